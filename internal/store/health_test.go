package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestTopicsHealth tells a blind topic (its sources fail) from a watched one.
func TestTopicsHealth(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		watched := mustTopic(t, db, "watched", docket.Public)
		blind := mustTopic(t, db, "blind", docket.Public)
		ok := mustSource(t, db, "https://ok.example.org/feed", docket.KindNews)
		bad := mustSource(t, db, "https://bad.example.org/feed", docket.KindNews)
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i, x := range []struct {
				src   *docket.Source
				topic *docket.Topic
				at    time.Time
			}{{ok, watched, now.Add(-time.Hour)}, {bad, watched, now.Add(-2 * time.Hour)}, {bad, blind, now.Add(-3 * time.Hour)}} {
				res, err := tx.SaveItems(ctx, x.src.ID, []docket.Item{item(string(rune('a'+i)), "Syria", x.at)})
				if err != nil {
					return err
				}
				if err := tx.LinkRuleMatches(ctx, res.New[0], x.at, []store.TopicMatch{{TopicID: x.topic.ID}}); err != nil {
					return err
				}
			}
			return tx.RecordFetch(ctx, bad.ID, store.FetchOutcome{Status: 500, Err: "HTTP 500", NextFetchAt: now})
		})
		if err != nil {
			t.Fatal(err)
		}
		h, err := db.TopicsHealth(ctx)
		if err != nil {
			t.Fatal(err)
		}
		w, b := h[watched.ID], h[blind.ID]
		if w.Sources != 2 || w.FailingSources != 1 || w.Blind() {
			t.Errorf("watched topic: %+v, want 2 sources, 1 failing, not blind", w)
		}
		if b.Sources != 1 || b.FailingSources != 1 || !b.Blind() {
			t.Errorf("blind topic: %+v, want its only source failing", b)
		}
		if w.LatestItem == nil || !w.LatestItem.Equal(now.Add(-time.Hour)) {
			t.Errorf("watched topic's latest item %v, want %v", w.LatestItem, now.Add(-time.Hour))
		}
	})
}
