package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestMergeSearchIndex stores items in many transactions, each of which leaves the SQLite
// full-text index a segment more, and merges them: fewer segments, the same search results,
// and nothing to do the second time.
func TestMergeSearchIndex(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	topic := mustTopic(t, db, "syria", docket.Public)
	src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
	t0 := time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)
	for i := range 14 {
		saveLinked(t, db, src, topic.ID, docket.StateSuggested,
			item(fmt.Sprintf("a%d", i), fmt.Sprintf("Convoy %d reaches Aleppo", i), t0.Add(time.Duration(i)*time.Hour)),
			item(fmt.Sprintf("b%d", i), fmt.Sprintf("Shelling resumes near Idlib, day %d", i), t0.Add(time.Duration(i)*time.Hour+time.Minute)))
	}
	search := func() string {
		t.Helper()
		got, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: []store.EvidenceTerm{{Key: "convoy"}, {Key: "aleppo"}, {Key: "shell", Prefix: true}, {Key: "idlib"}},
			TopicIDs: []int64{topic.ID}, Before: t0.Add(48 * time.Hour), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(got)
	}
	before, err := db.SearchIndexSegments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if before < 3 {
		t.Fatalf("14 transactions left %d segments: the test needs several to merge", before)
	}
	found := search()
	steps, more, err := db.MergeSearchIndex(ctx, time.Minute)
	if err != nil || more || steps == 0 {
		t.Fatalf("merge: %d steps, more to do %v, %v; want some steps and nothing left", steps, more, err)
	}
	after, err := db.SearchIndexSegments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after >= before {
		t.Errorf("segments: %d before merging, %d after", before, after)
	}
	if got := search(); got != found {
		t.Errorf("after merging the search finds %s, before %s", got, found)
	}
	if steps, more, err := db.MergeSearchIndex(ctx, time.Minute); err != nil || more || steps != 0 {
		t.Errorf("merging again: %d steps, more %v, %v; want nothing done", steps, more, err)
	}
	// A budget already spent stops before the first step and says work may remain.
	if steps, more, err := db.MergeSearchIndex(ctx, 0); err != nil || !more || steps != 0 {
		t.Errorf("with no budget: %d steps, more %v, %v; want none done and more to do", steps, more, err)
	}
}

// TestEvidenceCandidatesTwoOfMany checks the query for two of many terms, which is written
// by halves, against its definition: every item that has exactly two of six terms is found,
// on both databases, and no item with one.
func TestEvidenceCandidatesTwoOfMany(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		topic := mustTopic(t, db, "syria", docket.Public)
		src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		t0 := time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)
		words := []string{"aleppo", "idlib", "homs", "convoy", "shelling", "ceasefire"}
		var items []docket.Item
		for i := range words {
			items = append(items, item("one-"+words[i], "Report on "+words[i], t0))
			for j := i + 1; j < len(words); j++ {
				items = append(items, item(words[i]+"-"+words[j], "Report on "+words[i]+" and "+words[j], t0))
			}
		}
		ids := saveLinked(t, db, src, topic.ID, docket.StateSuggested, items...)
		want := map[int64]bool{}
		for k, it := range items {
			if it.GUID[:4] != "one-" {
				want[ids[k]] = true
			}
		}
		var terms []store.EvidenceTerm
		for _, w := range words {
			terms = append(terms, store.EvidenceTerm{Key: w})
		}
		for n := 2; n <= len(words); n++ {
			got, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: terms[:n], TopicIDs: []int64{topic.ID}, Before: t0.Add(time.Hour), Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n*(n-1)/2 {
				t.Errorf("two of %d terms: %d items, want the %d pairs", n, len(got), n*(n-1)/2)
			}
			for _, id := range got {
				if !want[id] {
					t.Errorf("two of %d terms: item %d has one of them", n, id)
				}
			}
		}
	})
}
