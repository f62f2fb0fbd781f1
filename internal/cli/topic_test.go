package cli_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// seedItems stores n items, every second one about Aleppo and every third one about Idlib,
// and returns how many mention each.
func seedItems(t *testing.T, dbURL string, n int) (aleppo, idlib int) {
	t.Helper()
	ctx := context.Background()
	if r := run(t, map[string]string{"DOCKET_DB": dbURL}, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	db, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := &docket.Source{URL: "https://news.example.org/feed", Kind: docket.KindNews}
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateSource(ctx, src); err != nil {
			return err
		}
		var items []docket.Item
		for i := range n {
			title := fmt.Sprintf("Report %d", i)
			if i%2 == 0 {
				title += " from Aleppo"
				aleppo++
			}
			if i%3 == 0 {
				title += " on Idlib"
				idlib++
			}
			items = append(items, docket.Item{GUID: fmt.Sprint(i), Title: title, Text: title,
				PublishedAt: time.Date(2016, 12, 1, i%24, 0, 0, 0, time.UTC), ContentHash: fmt.Sprint(i)})
		}
		_, err := tx.SaveItems(ctx, src.ID, items)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return aleppo, idlib
}

func TestTopicRules(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			dbURL := d.URL(t)
			env := map[string]string{"DOCKET_DB": dbURL}
			aleppo, idlib := seedItems(t, dbURL, 30)
			both := 5 // multiples of 6 below 30

			steps := []struct {
				name     string
				args     []string
				code     int
				inStdout []string
				inStderr string
			}{
				{"adding a topic matches the stored items", []string{"topic", "add", "--title", "Syria", "--rule", "Aleppo"}, 0,
					[]string{"added topic syria (private)", "topic syria: 30 stored items matched in", fmt.Sprintf(": %d suggestions added, 0 removed", aleppo)}, ""},
				{"a new rule", []string{"topic", "set-rule", "syria", "Idlib"}, 0,
					[]string{"topic syria: rule set", fmt.Sprintf(": %d suggestions added, %d removed", idlib-both, aleppo-both)}, ""},
				{"the same rule", []string{"topic", "set-rule", "syria", "Idlib"}, 0, []string{"the rule is unchanged"}, ""},
				{"no wait", []string{"topic", "set-rule", "--no-wait", "syria", "Idlib OR Aleppo"}, 0,
					[]string{"rule set", "in the background by a running docket serve"}, ""},
				{"a rule that does not parse", []string{"topic", "set-rule", "syria", "Idlib AND (Aleppo"}, 2, nil, "position"},
				{"an unknown topic", []string{"topic", "set-rule", "yemen", "Sanaa"}, 1, nil, `topic "yemen" not found`},
				{"missing arguments", []string{"topic", "set-rule", "syria"}, 2, nil, "usage: docket topic set-rule"},
			}
			for _, s := range steps {
				t.Run(s.name, func(t *testing.T) {
					r := run(t, env, s.args...)
					if r.code != s.code || !strings.Contains(r.stderr, s.inStderr) {
						t.Fatalf("got exit %d, stdout %q, stderr %q; want exit %d with %q", r.code, r.stdout, r.stderr, s.code, s.inStderr)
					}
					for _, want := range s.inStdout {
						if !strings.Contains(r.stdout, want) {
							t.Errorf("stdout %q, want it to contain %q", r.stdout, want)
						}
					}
				})
			}

			// --no-wait left the job queued; running set-rule again without it works that job's
			// successor generation here.
			db, err := store.Open(context.Background(), dbURL, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			tp, err := db.TopicBySlug(context.Background(), "syria")
			if err != nil {
				t.Fatal(err)
			}
			st, err := db.RematchStatus(context.Background(), tp.ID)
			if err != nil || !st.Running() {
				t.Fatalf("after --no-wait: %+v (%v), want a queued re-match", st, err)
			}
			r := run(t, env, "topic", "set-rule", "syria", "Aleppo OR Idlib")
			if r.code != 0 || !strings.Contains(r.stdout, "30 stored items matched") {
				t.Fatalf("set-rule after --no-wait: %+v", r)
			}
			var linked int
			if err := db.R.Get(&linked, db.R.Rebind(`SELECT count(*) FROM item_topics WHERE topic_id = ?`), tp.ID); err != nil {
				t.Fatal(err)
			}
			if want := aleppo + idlib - both; linked != want {
				t.Errorf("%d items linked, want %d (Aleppo OR Idlib)", linked, want)
			}
		})
	}
}
