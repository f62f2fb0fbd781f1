package store_test

import (
	"context"
	"fmt"
	"slices"
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
// by halves, against its definition: for two to eight terms, exactly the items that have two
// of them are found, on both databases, and none that has one, or two of the terms left out.
func TestEvidenceCandidatesTwoOfMany(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		topic := mustTopic(t, db, "syria", docket.Public)
		src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		t0 := time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)
		words := []string{"aleppo", "idlib", "homs", "convoy", "shelling", "ceasefire", "hospital", "unicef"}
		var items []docket.Item
		type pair struct{ i, j int } // j == -1: the item has one word
		var pairs []pair
		for i := range words {
			items = append(items, item("one-"+words[i], "Report on "+words[i], t0))
			pairs = append(pairs, pair{i, -1})
			for j := i + 1; j < len(words); j++ {
				items = append(items, item(words[i]+"-"+words[j], "Report on "+words[i]+" and "+words[j], t0))
				pairs = append(pairs, pair{i, j})
			}
		}
		ids := saveLinked(t, db, src, topic.ID, docket.StateSuggested, items...)
		var terms []store.EvidenceTerm
		for _, w := range words {
			terms = append(terms, store.EvidenceTerm{Key: w})
		}
		for n := 2; n <= len(words); n++ {
			var want []int64
			for k, p := range pairs {
				if p.j >= 0 && p.j < n {
					want = append(want, ids[k])
				}
			}
			got, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: terms[:n], TopicIDs: []int64{topic.ID}, Before: t0.Add(time.Hour), Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("two of %d terms: got items %v, want %v", n, got, want)
			}
		}
	})
}

// TestEvidenceCandidatesOverTheLimit takes the two ways past the limit with more terms than
// the rank reads (rankedTerms, four): when the four rarest terms match more than the limit,
// the items that have the most of them rank first; when they match no more, all of their
// matches are kept and the newest of the others fill what is left.
func TestEvidenceCandidatesOverTheLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		topic := mustTopic(t, db, "syria", docket.Public)
		src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		t0 := time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)
		// The terms, the rarest first as callers give them.
		terms := []store.EvidenceTerm{{Key: "kafranbel"}, {Key: "saraqib"}, {Key: "maarrat"}, {Key: "ariha"}, {Key: "convoy"}, {Key: "shelling"}}
		ids := saveLinked(t, db, src, topic.ID, docket.StateSuggested,
			item("all-1", "Kafranbel Saraqib Maarrat Ariha under fire", t0),
			item("all-2", "Kafranbel, Saraqib, Maarrat and Ariha cut off", t0.Add(time.Minute)),
			item("two-1", "Kafranbel and Saraqib", t0.Add(2*time.Minute)),
			item("two-2", "Maarrat and Ariha", t0.Add(3*time.Minute)),
			item("two-3", "Saraqib and Ariha", t0.Add(4*time.Minute)),
			item("rest-1", "Convoy and shelling", t0.Add(5*time.Minute)),
			item("rest-2", "Convoy hit by shelling", t0.Add(6*time.Minute)),
			item("rest-3", "Shelling stops a convoy", t0.Add(7*time.Minute)))
		query := func(terms []store.EvidenceTerm, limit int) []int64 {
			t.Helper()
			got, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: terms, TopicIDs: []int64{topic.ID}, Before: t0.Add(time.Hour), Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			return got
		}
		// Eight items have two of the six terms; five have two of the rarest four, of which
		// two have all four.
		if got, want := query(terms, 2), []int64{ids[0], ids[1]}; !slices.Equal(got, want) {
			t.Errorf("ranked: got %v, want the two items with all four rarest terms %v", got, want)
		}
		// Two of these rarest four match three items (the two with kafranbel and saraqib, and
		// two-1), six match two of all; with a limit of four the newest of the others (rest-3)
		// fills the fourth place.
		rare := []store.EvidenceTerm{terms[0], terms[1], {Key: "nowhere"}, {Key: "nothing"}, terms[4], terms[5]}
		if got, want := query(rare, 4), []int64{ids[0], ids[1], ids[2], ids[7]}; !slices.Equal(got, want) {
			t.Errorf("rarest enough: got %v, want %v", got, want)
		}
	})
}

// TestEvidenceRankKeepsItsShape pins what the rank past the limit prefers on SQLite, where
// bm25 weighs a term once for every place the query writes it in the branches an item
// matches: the ranked query keeps the chain the rank was tuned with, under which an item
// with three of the four terms (a, b, d) outranks one with two (a, c), while the halves
// that find the matches would put the second first.
func TestEvidenceRankKeepsItsShape(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	topic := mustTopic(t, db, "syria", docket.Public)
	src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
	t0 := time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)
	ids := saveLinked(t, db, src, topic.ID, docket.StateSuggested,
		item("ac", "wa wc", t0),
		item("abd-1", "wa wb wd", t0.Add(time.Minute)),
		item("abd-2", "wa wb wd", t0.Add(2*time.Minute)),
		item("filler-1", "filler words", t0.Add(3*time.Minute)),
		item("filler-2", "more filler", t0.Add(4*time.Minute)))
	got, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: []store.EvidenceTerm{{Key: "wa"}, {Key: "wb"}, {Key: "wc"}, {Key: "wd"}},
		TopicIDs: []int64{topic.ID}, Before: t0.Add(time.Hour), Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{ids[1]}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v: the first item with three of the four terms", got, want)
	}
}
