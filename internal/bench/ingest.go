package bench

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
)

// Rate is an amount of work done in a time, by the clock and in CPU time (every thread of the
// process, so the garbage collector's work too). CPU time is what other work on a shared
// machine disturbs least.
type Rate struct {
	Items      int     `json:"items"`
	Seconds    float64 `json:"seconds"`
	CPUSeconds float64 `json:"cpu_seconds"`
	PerSecond  float64 `json:"per_second"`
	PerCPU     float64 `json:"per_cpu_second"`
}

// timed runs fn and returns its rate for items of work.
func timed(items func() (int, error), fn func() error) (Rate, error) {
	cpu0, _ := CPUTime()
	start := time.Now()
	if err := fn(); err != nil {
		return Rate{}, err
	}
	wall := time.Since(start)
	cpu1, _ := CPUTime()
	n, err := items()
	if err != nil {
		return Rate{}, err
	}
	r := Rate{Items: n, Seconds: wall.Seconds(), CPUSeconds: (cpu1 - cpu0).Seconds()}
	if r.Seconds > 0 {
		r.PerSecond = float64(n) / r.Seconds
	}
	if r.CPUSeconds > 0 {
		r.PerCPU = float64(n) / r.CPUSeconds
	}
	return r, nil
}

// ParseOnly parses every feed's bytes with gofeed's universal parser and nothing else, on
// workers goroutines, as many whole passes as fit in at least minTime.
func ParseOnly(ctx context.Context, feeds []Feed, workers int, minTime time.Duration) (Rate, error) {
	var items atomic.Int64
	var parseErr error
	var once sync.Once
	rate, err := timed(func() (int, error) { return int(items.Load()), parseErr }, func() error {
		start := time.Now()
		for time.Since(start) < minTime || items.Load() == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			next := make(chan int)
			var wg sync.WaitGroup
			for range workers {
				wg.Go(func() {
					p := gofeed.NewParser()
					for i := range next {
						f, err := p.Parse(bytes.NewReader(feeds[i].Body))
						if err != nil {
							once.Do(func() { parseErr = fmt.Errorf("gofeed on %s: %w", feeds[i].Name, err) })
							continue
						}
						items.Add(int64(len(f.Items)))
					}
				})
			}
			for i := range feeds {
				next <- i
			}
			close(next)
			wg.Wait()
		}
		return nil
	})
	return rate, err
}

// IngestSetup makes db ready to ingest the feeds: the topics and one source per feed.
func IngestSetup(ctx context.Context, db *store.DB, srv *FeedServer, feeds []Feed, topics []docket.Topic) ([]docket.Source, error) {
	var sources []docket.Source
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, t := range topics {
			if err := tx.CreateTopic(ctx, &t); err != nil {
				return err
			}
		}
		for i, f := range feeds {
			src := docket.Source{URL: srv.URL(i), Kind: f.Kind}
			if err := tx.CreateSource(ctx, &src); err != nil {
				return err
			}
			sources = append(sources, src)
		}
		return nil
	})
	return sources, err
}

// NewIngester returns an ingester as `docket ingest` builds one, allowed to fetch from
// loopback.
func NewIngester(db *store.DB, workers int) *ingest.Ingester {
	client := ingest.NewClient(ingest.ClientOptions{AllowPrivate: true, UserAgent: "Docket-bench"})
	tm := &ingest.TopicMatchers{DB: db}
	return &ingest.Ingester{DB: db, Client: client, Matcher: tm.Current, Workers: workers}
}

// Ingest fetches every source once through g, end to end: HTTP on loopback, parse,
// normalize, store, match, cluster. Every item must arrive new.
func Ingest(ctx context.Context, g *ingest.Ingester, sources []docket.Source, want int) (Rate, error) {
	var sum ingest.Summary
	return timed(func() (int, error) {
		if sum.Failed > 0 || sum.New != want {
			return 0, fmt.Errorf("ingest: %d sources failed, %d new items, want 0 and %d", sum.Failed, sum.New, want)
		}
		return sum.New, nil
	}, func() error {
		var err error
		sum, err = g.Once(ctx, sources, nil)
		return err
	})
}
