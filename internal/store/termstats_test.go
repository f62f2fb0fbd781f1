package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestTermStats takes word counts and looks terms up in them, on both databases alike: a
// word's count, a prefix's words (the commonest first) and their sum, and what the counts
// leave out.
func TestTermStats(t *testing.T) {
	results := map[string]string{}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		t0 := time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveItems(ctx, src.ID, []docket.Item{
				item("a", "Evacuation of Aleppo begins", t0),
				item("b", "Evacuation halted in Aleppo", t0),
				item("c", "Evacuated families reach Idlib", t0),
				item("d", "Aleppo under siege", t0),
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if info, err := db.TermStatsInfo(ctx); err != nil || info != nil {
			t.Fatalf("before any were taken: got %+v, %v, want none", info, err)
		}
		if built, err := db.RefreshTermStats(ctx, 5); err != nil || built {
			t.Fatalf("with 4 items and a minimum of 5: built %v, %v; want nothing taken", built, err)
		}
		info, err := db.BuildTermStats(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if info.Items != 4 || info.MinDocs != 2 {
			t.Errorf("got %+v, want 4 items and words of 2 or more", info)
		}
		got, err := db.TermCounts(ctx, []store.EvidenceTerm{
			{Key: "aleppo"},              // 3 items
			{Key: "evacu", Prefix: true}, // evacuation (2), evacuated (1, left out)
			{Key: "idlib"},               // 1 item: left out
			{Key: "siege", Prefix: true}, // 1 item: left out
			{Key: "nothing"},             // no item
			{Key: "evacuation"},          // the whole word only
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []store.TermCount{
			{Docs: 3, Found: true},
			{Docs: 2, Words: []string{"evacuation"}, Found: true},
			{}, {}, {},
			{Docs: 2, Found: true},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v,\nwant %+v", got, want)
		}
		results[db.Dialect.String()] = fmt.Sprint(got)

		// Fresh counts are not taken again; a tenth more items makes them due.
		if built, err := db.RefreshTermStats(ctx, 1); err != nil || built {
			t.Fatalf("fresh counts: built %v, %v; want nothing taken", built, err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveItems(ctx, src.ID, []docket.Item{item("e", "Idlib shelled", t0)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if built, err := db.RefreshTermStats(ctx, 1); err != nil || !built {
			t.Fatalf("after 4 → 5 items: built %v, %v; want the counts taken again", built, err)
		}
		got, err = db.TermCounts(ctx, []store.EvidenceTerm{{Key: "idlib"}})
		if err != nil || !got[0].Found || got[0].Docs != 2 {
			t.Errorf("idlib after the new item: got %+v, %v; want 2 items", got, err)
		}
	})
	if len(results) == 2 && results["sqlite"] != results["postgres"] {
		t.Errorf("the databases disagree: sqlite %s, postgres %s", results["sqlite"], results["postgres"])
	}
}

// TestEvidenceCandidatesTwoOf finds the items that share two of a sentence's terms, and,
// when there are more than asked for, the ones the database ranks best.
func TestEvidenceCandidatesTwoOf(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		topic := mustTopic(t, db, "syria", docket.Public)
		news := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		t0 := time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)
		ids := saveLinked(t, db, news, topic.ID, docket.StateSuggested,
			item("a", "Buses leave eastern Aleppo with the wounded", t0),
			item("b", "Evacuation of Aleppo halted as shelling resumes", t0.Add(time.Hour)),
			item("c", "Evacuated families reach Idlib", t0.Add(2*time.Hour)),
			item("d", "Buses and ambulances wait outside Aleppo for the evacuation", t0.Add(3*time.Hour)))
		terms := []store.EvidenceTerm{{Key: "buses"}, {Key: "evacu", Prefix: true}, {Key: "aleppo"}}
		cases := []struct {
			name  string
			terms []store.EvidenceTerm
			limit int
			want  []int64
		}{
			// a: buses, aleppo; b: evacuation, aleppo; d: all three. c has one.
			{"two of three", terms, 10, []int64{ids[3], ids[1], ids[0]}},
			// The prefix alone would find c (evacuated, idlib); its words say which it stands for.
			{"words for a prefix", []store.EvidenceTerm{{Key: "evacu", Prefix: true, Words: []string{"evacuation"}}, {Key: "idlib"}}, 10, nil},
			{"prefix", []store.EvidenceTerm{{Key: "evacu", Prefix: true}, {Key: "idlib"}}, 10, []int64{ids[2]}},
			// Over the limit the best ranked come first: d has the three terms.
			{"over the limit", terms, 1, []int64{ids[3]}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: c.terms, TopicIDs: []int64{topic.ID}, Before: t0.Add(24 * time.Hour), Limit: c.limit})
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("got %v, want %v", got, c.want)
				}
			})
		}
		if _, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: []store.EvidenceTerm{{Key: "aleppo"}, {Key: "x", Words: []string{`x" OR "y`}}},
			TopicIDs: []int64{topic.ID}, Before: t0}); err == nil {
			t.Error("a word that is not one folded word was accepted")
		}
	})
}
