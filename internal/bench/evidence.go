package bench

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/store"
)

// Suggester suggests evidence from the items in db for each sentence of a statement filed
// under topicIDs and dated at, and returns how many suggestions it made. Run measures
// whichever one it is given, so the measurement does not depend on how evidence is ranked.
type Suggester func(ctx context.Context, db *store.DB, body string, topicIDs []int64, at time.Time) (int, error)

// Evidence is the time to suggest evidence for a whole statement.
type Evidence struct {
	Items       int     `json:"corpus_items"`
	Words       int     `json:"statement_words"`
	Runs        int     `json:"runs"`
	Suggestions int     `json:"suggestions"`
	P50Ms       float64 `json:"p50_ms"`
	MaxMs       float64 `json:"max_ms"`
}

// StatementWords is the length of the statement evidence is suggested for.
const StatementWords = 500

// MeasureEvidence suggests evidence for a statement of StatementWords words on the corpus's
// largest region, runs times after one run to warm up.
func MeasureEvidence(ctx context.Context, c *Corpus, suggest Suggester, runs int) (Evidence, error) {
	res := Evidence{Items: c.Items, Runs: runs}
	db, err := store.Open(ctx, c.URL, store.Options{})
	if err != nil {
		return res, err
	}
	defer db.Close()
	var topicIDs []int64
	for _, t := range c.Topics {
		if t.Slug == regions[0].slug {
			topicIDs = append(topicIDs, t.ID)
		}
	}
	_, body := Statement(regions[0].slug, StatementWords)
	res.Words = len(strings.Fields(body))
	if _, err := suggest(ctx, db, body, topicIDs, StatementDate()); err != nil {
		return res, err
	}
	var times []time.Duration
	for range runs {
		start := time.Now()
		n, err := suggest(ctx, db, body, topicIDs, StatementDate())
		if err != nil {
			return res, err
		}
		times = append(times, time.Since(start))
		res.Suggestions = n
	}
	slices.Sort(times)
	res.P50Ms = float64(times[len(times)/2].Microseconds()) / 1000
	res.MaxMs = float64(times[len(times)-1].Microseconds()) / 1000
	return res, nil
}
