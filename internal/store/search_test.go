package store_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// searchItem is an item of the search fixture: a guid, where it comes from, its title and
// text, and its state on the topic ("" = not on the topic).
type searchItem struct {
	guid, kind, title, text, state string
}

var searchItems = []searchItem{
	{"evac", docket.KindNews, "Aleppo evacuation resumes", "Aleppo evacuation resumes. Buses left eastern Aleppo at dawn, the ICRC said.", docket.StateSuggested},
	{"halab", docket.KindNews, "Ḥalab: a city under siege", "Ḥalab: a city under siege. Ḥalab is the Arabic name of ALEPPO; its CAFÉS are shut.", docket.StateConfirmed},
	{"council", docket.KindUN, "UN Security Council meets on Syria", "UN Security Council meets on Syria. Peace talks in Geneva stalled.", docket.StateSuggested},
	{"idlib", docket.KindUN, "Idlib camps fill up", "Idlib camps fill up. Evacuees from Aleppo arrive in the camps.", docket.StateSuggested},
	// The title ends with "peace" and the text starts with "talks": no phrase "peace talks".
	{"split", docket.KindNews, "Hope of peace", "Talks resume in Geneva next week.", docket.StateConfirmed},
	{"zoe", docket.KindNGO, "Zoë Bakr reports from Homs", "Zoë Bakr reports from Homs. The clinic reopened.", docket.StateSuggested},
	{"arabic", docket.KindNews, "حلب تحت الحصار", "حلب تحت الحصار. تقرير من المدينة.", docket.StateSuggested},
	{"rejected", docket.KindNews, "Aleppo pepper prices", "Aleppo pepper prices rose.", docket.StateRejected},
	{"elsewhere", docket.KindNews, "Aleppo in another topic", "Aleppo, but not on this topic.", ""},
}

// seedSearch stores searchItems, newest last (so "evac" is the oldest), and returns their ids
// by guid.
func seedSearch(t *testing.T, db *store.DB) (*docket.Topic, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	tp := mustTopic(t, db, "syria", docket.Public)
	srcs := map[string]*docket.Source{}
	for _, k := range []string{docket.KindNews, docket.KindUN, docket.KindNGO} {
		srcs[k] = mustSource(t, db, "https://"+k+".example.org/feed", k)
	}
	ids := map[string]int64{}
	t0 := time.Date(2016, 12, 12, 9, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i, si := range searchItems {
			it := docket.Item{GUID: si.guid, URL: "https://example.org/" + si.guid, Title: si.title, Text: si.text,
				PublishedAt: t0.Add(time.Duration(i) * time.Hour), ContentHash: si.guid}
			res, err := tx.SaveItems(ctx, srcs[si.kind].ID, []docket.Item{it})
			if err != nil {
				return err
			}
			ids[si.guid] = res.New[0]
			if si.state == "" {
				continue
			}
			if err := tx.LinkRuleMatches(ctx, res.New[0], it.PublishedAt, []store.TopicMatch{{TopicID: tp.ID}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, si := range searchItems {
		if si.state != "" && si.state != docket.StateSuggested {
			if err := db.SetLinkState(ctx, tp.ID, ids[si.guid], si.state); err != nil {
				t.Fatal(err)
			}
		}
	}
	return tp, ids
}

// TestSearch runs the same searches over the same items on both databases: the answers must
// be the same, item for item, and so must the snippets.
func TestSearch(t *testing.T) {
	cases := []struct {
		name  string
		q     string
		kinds []string
		want  []string // guids, newest first
	}{
		{"a word", "aleppo", nil, []string{"idlib", "halab", "evac"}},
		{"case does not matter", "ALEPPO", nil, []string{"idlib", "halab", "evac"}},
		{"accents do not matter", "halab", nil, []string{"halab"}},
		{"accents in the query do not matter", "Ḥalab cafés", nil, []string{"halab"}},
		{"a word is whole", "aleppos", nil, nil},
		{"a prefix", "evacu*", nil, []string{"idlib", "evac"}},
		{"a phrase", `"security council"`, nil, []string{"council"}},
		{"a phrase is in order", `"council security"`, nil, nil},
		{"a phrase stays inside the title or the text", `"peace talks"`, nil, []string{"council"}},
		{"words need not be a phrase", "peace talks", nil, []string{"split", "council"}},
		{"a phrase with a prefix", `"peace talk"*`, nil, []string{"council"}},
		{"all words must match", "aleppo idlib", nil, []string{"idlib"}},
		{"no match", "aleppo zzzz", nil, nil},
		{"accented name", "zoe", nil, []string{"zoe"}},
		{"arabic", "حلب", nil, []string{"arabic"}},
		{"rejected items stay out", "pepper", nil, nil},
		{"other topics stay out", "another", nil, nil},
		{"with a kind filter", "aleppo", []string{docket.KindUN}, []string{"idlib"}},
		{"punctuation only shows everything", "--", nil, []string{"arabic", "zoe", "split", "idlib", "council", "halab", "evac"}},
	}
	results := map[string]map[string][]string{} // dialect → case → guids
	snippets := map[string]map[string]string{}
	for _, d := range storetest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			db := storetest.Open(t, d.URL(t))
			tp, ids := seedSearch(t, db)
			byID := map[int64]string{}
			for g, id := range ids {
				byID[id] = g
			}
			results[d.Name], snippets[d.Name] = map[string][]string{}, map[string]string{}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					page, err := db.Timeline(context.Background(), store.TimelineFilter{TopicID: tp.ID, Public: true, Query: c.q, Kinds: c.kinds})
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					var snip []string
					for _, e := range page.Entries {
						got = append(got, byID[e.ItemID])
						snip = append(snip, marked(e.TitleHighlight)+" | "+marked(e.Snippet))
					}
					if !reflect.DeepEqual(got, c.want) {
						t.Errorf("got %q, want %q", got, c.want)
					}
					// The walk a common word takes finds the same.
					restore := store.SetSelectiveSearch(1)
					walked, err := db.Timeline(context.Background(), store.TimelineFilter{TopicID: tp.ID, Public: true, Query: c.q, Kinds: c.kinds})
					restore()
					if err != nil {
						t.Fatal(err)
					}
					var walkedIDs []string
					for _, e := range walked.Entries {
						walkedIDs = append(walkedIDs, byID[e.ItemID])
					}
					if !reflect.DeepEqual(walkedIDs, got) {
						t.Errorf("walking the timeline: got %q, want %q", walkedIDs, got)
					}
					results[d.Name][c.name] = got
					snippets[d.Name][c.name] = strings.Join(snip, "\n")
				})
			}
			t.Run("snippets mark the matches", func(t *testing.T) {
				page, err := db.Timeline(context.Background(), store.TimelineFilter{TopicID: tp.ID, Query: "evacu* aleppo"})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range page.Entries {
					got = append(got, marked(e.TitleHighlight)+" | "+marked(e.Snippet))
				}
				want := []string{
					"Idlib camps fill up | [Evacuees] from [Aleppo] arrive in the camps.",
					"[Aleppo] [evacuation] resumes | Buses left eastern [Aleppo] at dawn, the ICRC said.",
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got  %q\nwant %q", got, want)
				}
			})
			t.Run("search pages by keyset", func(t *testing.T) {
				var got []string
				f := store.TimelineFilter{TopicID: tp.ID, Query: "aleppo", Limit: 1}
				for range 5 {
					page, err := db.Timeline(context.Background(), f)
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range page.Entries {
						got = append(got, byID[e.ItemID])
					}
					if page.Next.IsZero() {
						break
					}
					f.Before = page.Next
				}
				if want := []string{"idlib", "halab", "evac"}; !reflect.DeepEqual(got, want) {
					t.Errorf("got %q, want %q", got, want)
				}
			})
			t.Run("a bad query is invalid input", func(t *testing.T) {
				_, err := db.Timeline(context.Background(), store.TimelineFilter{TopicID: tp.ID, Query: "a*"})
				if docket.ErrorCode(err) != docket.EINVALID {
					t.Errorf("got %v, want an invalid-input error", err)
				}
			})
		})
	}
	if len(results) == 2 {
		if !reflect.DeepEqual(results["sqlite"], results["postgres"]) {
			t.Errorf("the databases disagree:\nsqlite   %v\npostgres %v", results["sqlite"], results["postgres"])
		}
		if !reflect.DeepEqual(snippets["sqlite"], snippets["postgres"]) {
			t.Errorf("the snippets differ between the databases")
		}
	}
}

// marked writes segments with the hits in [brackets].
func marked(segs []store.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Hit {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}
