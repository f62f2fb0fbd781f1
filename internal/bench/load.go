package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Latency is what a load of concurrent requests saw.
type Latency struct {
	Requests  int     `json:"requests"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"requests_per_second"`
	P50Ms     float64 `json:"p50_ms"`
	P99Ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
}

// loader sends requests from concurrency goroutines, each waiting for its answer before the
// next, over kept-alive connections.
type loader struct {
	client      *http.Client
	concurrency int
}

func newLoader(concurrency int) *loader {
	return &loader{
		concurrency: concurrency,
		client: &http.Client{Transport: &http.Transport{
			MaxIdleConns: concurrency * 2, MaxIdleConnsPerHost: concurrency * 2, DisableCompression: true,
		}, Timeout: time.Minute},
	}
}

func (l *loader) close() { l.client.CloseIdleConnections() }

// get fetches a page and checks its status.
func (l *loader) get(ctx context.Context, url string) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return body, resp.Header, nil
}

// run loads urls (taken in turn) for d and returns every request's latency.
func (l *loader) run(ctx context.Context, urls []string, d time.Duration) ([]time.Duration, time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	var firstErr error
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range l.concurrency {
		wg.Go(func() {
			var mine []time.Duration
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				t := time.Now()
				if _, _, err := l.get(ctx, urls[i%len(urls)]); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return all, time.Since(start), firstErr
}

// summarize turns latencies over a time into a Latency.
func summarize(lat []time.Duration, elapsed time.Duration) Latency {
	if len(lat) == 0 {
		return Latency{}
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	p := func(q float64) time.Duration {
		i := int(q*float64(len(lat))+0.999999) - 1
		return lat[min(max(i, 0), len(lat)-1)]
	}
	return Latency{
		Requests: len(lat), Seconds: elapsed.Seconds(), PerSecond: float64(len(lat)) / elapsed.Seconds(),
		P50Ms: ms(p(0.50)), P99Ms: ms(p(0.99)), MaxMs: ms(lat[len(lat)-1]),
	}
}

// medianLatency is the median of each figure of several rounds' Latency, with their total
// requests and time.
func medianLatency(rounds []Latency) Latency {
	var out Latency
	var rate, p50, p99, maxMs []float64
	for _, r := range rounds {
		out.Requests += r.Requests
		out.Seconds += r.Seconds
		rate, p50, p99, maxMs = append(rate, r.PerSecond), append(p50, r.P50Ms), append(p99, r.P99Ms), append(maxMs, r.MaxMs)
	}
	out.PerSecond, out.P50Ms, out.P99Ms, out.MaxMs = median(rate), median(p50), median(p99), median(maxMs)
	return out
}
