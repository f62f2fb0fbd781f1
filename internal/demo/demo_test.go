package demo_test

import (
	"context"
	"testing"

	"github.com/docket-dev/docket/internal/demo"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestSeed loads the demo on each database: the topic's timeline holds the items its rule
// matches (not the one about peppers), the statement is public with citations, and a second
// seed does nothing.
func TestSeed(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seeded, err := demo.Seed(ctx, db)
		if err != nil || !seeded {
			t.Fatalf("seed: %v, %v", seeded, err)
		}
		topic, err := db.PublicTopicBySlug(ctx, "syria")
		if err != nil {
			t.Fatal(err)
		}
		page, err := db.Timeline(ctx, store.TimelineFilter{TopicID: topic.ID, Public: true, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		// Each story once, its other copies under it.
		var items []store.TimelineEntry
		for _, e := range page.Entries {
			items = append(append(items, e), e.Also...)
		}
		if len(items) != 31 {
			t.Errorf("%d items on the timeline, want the 31 the rule matches", len(items))
		}
		for _, e := range items {
			if e.Title == "Aleppo pepper prices soar as growers struggle" {
				t.Error("the rule's NOT clause let the pepper story in")
			}
		}
		sts, err := db.PublicStatementsForTopic(ctx, topic.ID, 10)
		if err != nil || len(sts) != 1 {
			t.Fatalf("public statements: %v, %v", sts, err)
		}
		cites, err := db.ConfirmedEvidence(ctx, sts[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cites) < 5 {
			t.Errorf("%d confirmed citations, want the demo statement cited", len(cites))
		}
		if again, err := demo.Seed(ctx, db); err != nil || again {
			t.Errorf("second seed: %v, %v; want nothing done", again, err)
		}
	})
}
