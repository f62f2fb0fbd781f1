package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTimelinePlans checks on SQLite that every kind of timeline page reads the
// item_topics_timeline index in order and never sorts: that is what keeps page 500 as cheap as
// page 1 (BenchmarkTimeline measures it).
func TestTimelinePlans(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	deep := Cursor{PublishedAt: time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), ID: 1000}
	cases := []struct {
		name string
		f    TimelineFilter
		q    string
	}{
		{"first page", TimelineFilter{Public: true}, ""},
		{"deep page", TimelineFilter{Public: true, Before: deep}, ""},
		{"office states", TimelineFilter{States: []string{"suggested", "rejected"}, Before: deep}, ""},
		{"kind and dates", TimelineFilter{Kinds: []string{"un"}, From: deep.PublishedAt.AddDate(-1, 0, 0), To: deep.PublishedAt}, ""},
		{"search", TimelineFilter{Public: true, Before: deep}, `aleppo "peace talks" evac*`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.f.TopicID, c.f.Limit = 1, 50
			search, err := ParseSearch(c.q)
			if err != nil {
				t.Fatal(err)
			}
			mode := walk
			if !search.IsZero() {
				mode = walkNoHeads
			}
			q, args := timelineQuery(SQLite, c.f, search, mode)
			all := explain(t, db, q, args...)
			if !strings.Contains(all, "USING INDEX item_topics_timeline") || strings.Contains(all, "TEMP B-TREE") {
				t.Errorf("plan does not walk item_topics_timeline without sorting:\n%s", all)
			}
		})
	}
}

// TestFollowedTopicsPlan checks on SQLite that the office home's followed topics never count a
// topic's links one by one: the item count comes from topic_day_counts, and the new links are
// counted in the index item_topics_linked alone.
func TestFollowedTopicsPlan(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	all := explain(t, db, followedTopicsQuery, 1)
	for _, want := range []string{"SEARCH c USING PRIMARY KEY", "USING COVERING INDEX item_topics_linked"} {
		if !strings.Contains(all, want) {
			t.Errorf("plan does not read %s:\n%s", want, all)
		}
	}
	if strings.Contains(all, "item_topics_timeline") || strings.Contains(all, "SCAN it") {
		t.Errorf("plan reads a topic's links one by one:\n%s", all)
	}
}

// explain is SQLite's plan of a query, a step a line.
func explain(t *testing.T, db *DB, q string, args ...any) string {
	t.Helper()
	var plan []struct {
		ID      int    `db:"id"`
		Parent  int    `db:"parent"`
		NotUsed int    `db:"notused"`
		Detail  string `db:"detail"`
	}
	if err := db.R.SelectContext(context.Background(), &plan, `EXPLAIN QUERY PLAN `+q, args...); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, p := range plan {
		lines = append(lines, p.Detail)
	}
	return strings.Join(lines, "\n")
}
