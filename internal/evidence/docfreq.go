package evidence

import (
	"context"
	"sync"
	"time"

	"github.com/docket-dev/docket/internal/store"
)

// Counting how many items have a word is most of the cost of a suggestion on PostgreSQL,
// where each matching item is a visit to its heap page. A draft's words are counted again
// at every pause in typing, and across statements on one topic the words repeat, while a
// word's count barely moves in minutes: so counts are kept for dfTTL.
const (
	dfTTL        = 10 * time.Minute
	dfMaxEntries = 50_000
)

type dfEntry struct {
	df    int // capped at limit+1
	limit int // the cap it was counted with
	at    time.Time
}

type dfCache struct {
	mu sync.Mutex
	m  map[store.EvidenceTerm]dfEntry
}

// get returns a term's count for a cap, when one is known: an exact count (under its own
// cap) answers any cap; a capped one answers only caps no higher.
func (c *dfCache) get(t store.EvidenceTerm, limit int, now time.Time) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[t]
	if !ok || now.Sub(e.at) > dfTTL || (e.df > e.limit && limit > e.limit) {
		return 0, false
	}
	return min(e.df, limit+1), true
}

func (c *dfCache) put(t store.EvidenceTerm, df, limit int, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= dfMaxEntries {
		clear(c.m) // cheaper than tracking age; the next statements refill it
	}
	c.m[t] = dfEntry{df: df, limit: limit, at: now}
}

// docFreq returns how many items have each term, counting up to limit+1: more than limit
// means common.
func (r *Ranker) docFreq(ctx context.Context, terms []Term, limit, workers int) ([]int, error) {
	r.once.Do(func() { r.cache = &dfCache{m: map[store.EvidenceTerm]dfEntry{}} })
	now := time.Now()
	out := make([]int, len(terms))
	var missing []int
	for i, t := range terms {
		if df, ok := r.cache.get(t.search(), limit, now); ok {
			out[i] = df
		} else {
			missing = append(missing, i)
		}
	}
	chunks := min(workers, len(missing))
	err := parallel(ctx, chunks, workers, func(ctx context.Context, c int) error {
		var part []store.EvidenceTerm
		var at []int
		for j := c; j < len(missing); j += chunks {
			part = append(part, terms[missing[j]].search())
			at = append(at, missing[j])
		}
		dfs, err := r.DB.DocFreq(ctx, part, limit+1)
		if err != nil {
			return err
		}
		for k, df := range dfs {
			out[at[k]] = df
			r.cache.put(part[k], df, limit, now)
		}
		return nil
	})
	return out, err
}

// parallel calls fn for 0 ≤ i < n, at most workers at a time, and returns the first error;
// after an error, the calls not yet started are skipped.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	if n <= 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	next := make(chan int)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(ctx, i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}
