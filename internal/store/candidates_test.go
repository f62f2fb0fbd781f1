package store_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestClusterCandidates checks, on links of three topics with ties in their dates, that
// ClusterCandidates gives the newest links of the asked topics in the window, as sorting them
// all would.
func TestClusterCandidates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var topics []int64
		for _, slug := range []string{"a", "b", "c"} {
			topics = append(topics, mustTopic(t, db, slug, docket.Public).ID)
		}
		src := mustSource(t, db, "https://example.org/feed", docket.KindNews)
		t0 := time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC)
		var all []store.ClusterCandidate
		err := db.Update(ctx, func(tx *store.Tx) error {
			var items []docket.Item
			for i := range 60 {
				items = append(items, item(fmt.Sprint("c", i), fmt.Sprint("Story ", i), t0.Add(time.Duration(i/3)*time.Hour)))
			}
			res, err := tx.SaveItems(ctx, src.ID, items)
			if err != nil {
				return err
			}
			var links []store.NewItemLinks
			for i, id := range res.New {
				l := store.NewItemLinks{ItemID: id, PublishedAt: items[i].PublishedAt}
				for k, tp := range topics {
					if (i+k)%(k+2) != 0 {
						l.Matches = append(l.Matches, store.TopicMatch{TopicID: tp})
						all = append(all, store.ClusterCandidate{ItemID: id, TopicID: tp, PublishedAt: docket.StoreTime(items[i].PublishedAt)})
					}
				}
				links = append(links, l)
			}
			return tx.LinkNewItems(ctx, links)
		})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			topics   []int64
			from, to time.Time
			limit    int
		}{
			{"all topics, few", topics, t0, t0.Add(30 * time.Hour), 7},
			{"all topics, more than there are", topics, t0, t0.Add(30 * time.Hour), 1000},
			{"two topics in a window", topics[1:], t0.Add(3 * time.Hour), t0.Add(12 * time.Hour), 10},
			{"one topic", topics[:1], t0, t0.Add(30 * time.Hour), 5},
			{"a limit on a tie", topics, t0, t0.Add(30 * time.Hour), 4},
		}
		for _, tt := range tests {
			for _, arms := range []int{100, 2, 1} {
				t.Run(fmt.Sprintf("%s, %d topics a query", tt.name, arms), func(t *testing.T) {
					defer store.SetCandidateArms(arms)()
					var got []store.ClusterCandidate
					err := db.Update(ctx, func(tx *store.Tx) (err error) {
						got, err = tx.ClusterCandidates(ctx, tt.topics, tt.from, tt.to, tt.limit)
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
					var want []store.ClusterCandidate
					for _, c := range all {
						if slices.Contains(tt.topics, c.TopicID) && !c.PublishedAt.Before(tt.from) && !c.PublishedAt.After(tt.to) {
							want = append(want, c)
						}
					}
					slices.SortFunc(want, func(a, b store.ClusterCandidate) int {
						if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
							return c
						}
						if c := cmp.Compare(b.ItemID, a.ItemID); c != 0 {
							return c
						}
						return cmp.Compare(a.TopicID, b.TopicID)
					})
					want = want[:min(tt.limit, len(want))]
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("got  %v\nwant %v", got, want)
					}
				})
			}
		}
	})
}
