package evidence_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestTopThreeWithWordCounts is TestTopThreeOnTheCorpus once the background job has taken
// the word counts: a word found in them is weighed by its stored count, a prefix by the sum
// of its words' and searched by those words, and the rare words the counts leave out are
// counted as before. Each sentence's item is still among its three, and both databases
// still agree.
func TestTopThreeWithWordCounts(t *testing.T) {
	var sentences []corpusSentence
	readJSON(t, "testdata/sentences.json", &sentences)
	results := map[string]string{}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := loadCorpus(t, db)
		// Words in two items or more are kept, the others counted when asked.
		if _, err := db.BuildTermStats(ctx, 2); err != nil {
			t.Fatal(err)
		}
		r := &evidence.Ranker{DB: db}
		var got [][]string
		for _, c := range sentences {
			res, err := r.Suggest(ctx, evidence.Input{Body: c.Sentence, TopicIDs: []int64{w.topic.ID}, Date: day(t, c.Date)})
			if err != nil {
				t.Fatal(err)
			}
			var top []string
			for _, s := range res[0].Suggestions {
				top = append(top, w.guids[s.Item.ID])
			}
			if !slices.Contains(top, c.Want) {
				t.Errorf("%q: top 3 %v, want %s among them", c.Sentence, top, c.Want)
			}
			got = append(got, top)
		}
		results[db.Dialect.String()] = fmt.Sprint(got)
	})
	if len(results) == 2 && results["sqlite"] != results["postgres"] {
		t.Errorf("the databases suggest differently:\nsqlite   %s\npostgres %s", results["sqlite"], results["postgres"])
	}
}
