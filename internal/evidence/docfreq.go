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

// termKey is a term as the counts know it.
type termKey struct {
	Key    string
	Prefix bool
}

type dfEntry struct {
	df    int // capped at limit+1
	limit int // the cap it was counted with
	words []string
	at    time.Time
}

type dfCache struct {
	mu sync.Mutex
	m  map[termKey]dfEntry
}

// get returns a term's count for a cap, when one is known: an exact count (under its own
// cap) answers any cap; a capped one answers only caps no higher.
func (c *dfCache) get(t termKey, limit int, now time.Time) (dfEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[t]
	if !ok || now.Sub(e.at) > dfTTL || (e.df > e.limit && limit > e.limit) {
		return dfEntry{}, false
	}
	e.df = min(e.df, limit+1)
	return e, true
}

func (c *dfCache) put(t termKey, e dfEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= dfMaxEntries {
		clear(c.m) // cheaper than tracking age; the next statements refill it
	}
	c.m[t] = e
}

// maxWords is the most words a prefix is searched by (store.EvidenceTerm.Words); a prefix
// with more is searched as a prefix.
const maxWords = 16

// counts are how many items have each term (capped at limit+1: more than limit means
// common), and the words that stand for each prefix in a search.
type counts struct {
	df    []int
	words [][]string
}

// docFreq counts how many items have each term. With word counts in term_stats (stats), a
// term found there takes its count from it, and only the rare terms, the ones it leaves out,
// are counted in the index, each in at most a few posting lists of fewer than stats.MinDocs
// items; without, every term is counted in the index, up to limit+1.
func (r *Ranker) docFreq(ctx context.Context, terms []Term, stats *store.TermStatsInfo, limit, workers int) (counts, error) {
	r.once.Do(func() { r.cache = &dfCache{m: map[termKey]dfEntry{}} })
	now := time.Now()
	out := counts{df: make([]int, len(terms)), words: make([][]string, len(terms))}
	set := func(i int, e dfEntry) {
		out.df[i] = min(e.df, limit+1)
		out.words[i] = e.words
		e.at, e.limit = now, limit
		r.cache.put(termKey{terms[i].Key, terms[i].Prefix}, e)
	}
	var missing []int
	for i, t := range terms {
		if e, ok := r.cache.get(termKey{t.Key, t.Prefix}, limit, now); ok {
			out.df[i], out.words[i] = e.df, e.words
		} else {
			missing = append(missing, i)
		}
	}
	if stats != nil && len(missing) > 0 {
		part := make([]store.EvidenceTerm, len(missing))
		for j, i := range missing {
			part[j] = terms[i].search()
		}
		found, err := r.DB.TermCounts(ctx, part)
		if err != nil {
			return out, err
		}
		var rare []int
		for j, i := range missing {
			c := found[j]
			if !c.Found {
				rare = append(rare, i)
				continue
			}
			e := dfEntry{df: c.Docs}
			if len(c.Words) <= maxWords {
				e.words = c.Words
			}
			set(i, e)
		}
		missing = rare
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
			set(at[k], dfEntry{df: df})
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
