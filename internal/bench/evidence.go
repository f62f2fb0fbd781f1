package bench

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/store"
)

// Suggester suggests evidence for each sentence of a statement filed under topicIDs and
// dated at, and returns how many suggestions it made.
type Suggester func(ctx context.Context, body string, topicIDs []int64, at time.Time) (int, error)

// NewSuggester makes a Suggester over the items in db, with caches of its own: Run measures
// whichever it is given, so the measurement does not depend on how evidence is ranked. A
// fresh one per statement is an editor's first request; one kept across statements, their
// next ones.
type NewSuggester func(db *store.DB) Suggester

// Evidence is the time to suggest evidence for a whole statement: with a fresh suggester
// each time (Cold) and with one kept across runs (Warm).
type Evidence struct {
	Items       int     `json:"corpus_items"`
	Words       int     `json:"statement_words"`
	Runs        int     `json:"runs"`
	Suggestions int     `json:"suggestions"`
	ColdP50Ms   float64 `json:"cold_p50_ms"`
	ColdMaxMs   float64 `json:"cold_max_ms"`
	WarmP50Ms   float64 `json:"warm_p50_ms"`
	WarmMaxMs   float64 `json:"warm_max_ms"`
}

// StatementWords is the length of the statement evidence is suggested for.
const StatementWords = 500

// MeasureEvidence suggests evidence for a statement of StatementWords words on the corpus's
// largest region, runs times cold and runs times warm (after one run to warm up).
func MeasureEvidence(ctx context.Context, c *Corpus, newSuggester NewSuggester, runs int) (Evidence, error) {
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
	timeRuns := func(next func() Suggester) ([]time.Duration, error) {
		var times []time.Duration
		for range runs {
			s := next()
			start := time.Now()
			n, err := s(ctx, body, topicIDs, StatementDate())
			if err != nil {
				return nil, err
			}
			times = append(times, time.Since(start))
			res.Suggestions = n
		}
		slices.Sort(times)
		return times, nil
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	cold, err := timeRuns(func() Suggester { return newSuggester(db) })
	if err != nil {
		return res, err
	}
	warm := newSuggester(db)
	if _, err := warm(ctx, body, topicIDs, StatementDate()); err != nil {
		return res, err
	}
	hot, err := timeRuns(func() Suggester { return warm })
	if err != nil {
		return res, err
	}
	res.ColdP50Ms, res.ColdMaxMs = ms(cold[len(cold)/2]), ms(cold[len(cold)-1])
	res.WarmP50Ms, res.WarmMaxMs = ms(hot[len(hot)/2]), ms(hot[len(hot)-1])
	return res, nil
}
