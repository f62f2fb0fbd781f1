package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// clusterWorld is a topic of 12 items an hour apart, n0 (oldest) to n11, all titled
// "Report": n9, n8 and n5 are one story (cluster), told by the news, the UN and the news; only
// n5 says "convoy".
func clusterWorld(t *testing.T, db *store.DB) (topicID int64, ids []int64) {
	t.Helper()
	ctx := context.Background()
	tp := mustTopic(t, db, "syria", docket.Public)
	news := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
	un := mustSource(t, db, "https://un.example.org/feed", docket.KindUN)
	t0 := time.Date(2016, 12, 1, 9, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := 0; i < 12; i++ {
			src := news
			if i == 8 {
				src = un
			}
			title := fmt.Sprintf("Report n%d", i)
			if i == 5 {
				title += " on the convoy"
			}
			it := item(fmt.Sprint("g", i), title, t0.Add(time.Duration(i)*time.Hour))
			res, err := tx.SaveItems(ctx, src.ID, []docket.Item{it})
			if err != nil {
				return err
			}
			ids = append(ids, res.New[0])
			if err := tx.LinkRuleMatches(ctx, res.New[0], it.PublishedAt, []store.TopicMatch{{TopicID: tp.ID, Terms: []string{"report"}}}); err != nil {
				return err
			}
		}
		for _, i := range []int{9, 8, 5} {
			if err := tx.SetCluster(ctx, ids[i], ids[5]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tp.ID, ids
}

// pages reads every page of a timeline and writes it as "n11 n10 n9(n8,n5) | n7 …": each
// entry by its title's last word, its cluster's other members in brackets, pages apart.
func pages(t *testing.T, db *store.DB, f store.TimelineFilter) string {
	t.Helper()
	var out []string
	for n := 0; ; n++ {
		if n > 20 {
			t.Fatal("pagination does not end")
		}
		page, err := db.Timeline(context.Background(), f)
		if err != nil {
			t.Fatal(err)
		}
		var es []string
		for _, e := range page.Entries {
			s := name(e.Title)
			if len(e.Also) > 0 {
				var also []string
				for _, m := range e.Also {
					also = append(also, name(m.Title))
				}
				s += "(" + strings.Join(also, ",") + ")"
			}
			es = append(es, s)
		}
		out = append(out, strings.Join(es, " "))
		if page.Next.IsZero() {
			return strings.Join(out, " | ")
		}
		f.Before = page.Next
	}
}

func name(title string) string {
	for _, w := range strings.Fields(title) {
		if strings.HasPrefix(w, "n") && len(w) > 1 && w[1] >= '0' && w[1] <= '9' {
			return w
		}
	}
	return title
}

// TestTimelineClusters checks that a story cluster shows once across keyset pages, as its
// newest member the filters show, with its other members under it, and that every page holds
// its full number of entries.
func TestTimelineClusters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		topic, ids := clusterWorld(t, db)
		all := "n11 n10 n9(n8,n5) | n7 n6 n4 | n3 n2 n1 | n0"
		cases := []struct {
			name string
			f    store.TimelineFilter
			want string
		}{
			{"public", store.TimelineFilter{Public: true}, all},
			{"office", store.TimelineFilter{}, all},
			{"UN only: the UN's copy heads the story", store.TimelineFilter{Kinds: []string{docket.KindUN}}, "n8"},
			{"a range that leaves the head out", store.TimelineFilter{To: time.Date(2016, 12, 1, 9+9, 0, 0, 0, time.UTC)},
				"n8(n5) n7 n6 | n4 n3 n2 | n1 n0"},
			{"a search that one member matches", store.TimelineFilter{Query: "convoy"}, "n5"},
			{"a search that all match", store.TimelineFilter{Query: "report"}, all},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.f.TopicID, c.f.Limit = topic, 3
				if got := pages(t, db, c.f); got != c.want {
					t.Errorf("got  %s\nwant %s", got, c.want)
				}
				if c.f.Query != "" {
					// The same through the walk that a common word takes.
					defer store.SetSelectiveSearch(1)()
					if got := pages(t, db, c.f); got != c.want {
						t.Errorf("walking the timeline: got  %s\nwant %s", got, c.want)
					}
				}
			})
		}
		// A rejected head gives way to the next member; the office still sees it when it
		// asks for rejected links.
		if err := db.SetLinkState(ctx, topic, ids[9], docket.StateRejected); err != nil {
			t.Fatal(err)
		}
		want := "n11 n10 n8(n5) | n7 n6 n4 | n3 n2 n1 | n0"
		if got := pages(t, db, store.TimelineFilter{TopicID: topic, Public: true, Limit: 3}); got != want {
			t.Errorf("after rejecting n9: got  %s\nwant %s", got, want)
		}
		got := pages(t, db, store.TimelineFilter{TopicID: topic, States: []string{docket.StateRejected}, Limit: 3})
		if got != "n9" {
			t.Errorf("rejected only: got %s, want n9", got)
		}
		page, err := db.Timeline(ctx, store.TimelineFilter{TopicID: topic, Query: "report", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			for _, m := range e.Also {
				if len(m.TitleHighlight) == 0 || !slices.ContainsFunc(m.TitleHighlight, func(s store.Segment) bool { return s.Hit }) {
					t.Errorf("member %s of a search has no highlighted title: %+v", m.Title, m.TitleHighlight)
				}
			}
		}
	})
}
