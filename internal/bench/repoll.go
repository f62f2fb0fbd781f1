package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
)

// Repoll is the work of fetching sources whose feeds have not changed since the last fetch,
// per source, one source at a time. The feed server runs in this process, so CPU time per
// source includes its side of each exchange; Baseline is the CPU time of the same requests
// made by a bare HTTP client that discards the answer, and Work the difference: Docket's own
// work, without the network exchange and the server.
type Repoll struct {
	Kind     string  `json:"kind"` // "304" or "200-unchanged"
	Sources  int     `json:"sources"`
	Fetches  int     `json:"fetches"`
	CPUMs    float64 `json:"cpu_ms_per_source"`
	Baseline float64 `json:"baseline_cpu_ms_per_source"`
	WorkMs   float64 `json:"work_ms_per_source"`
	StoreMs  float64 `json:"store_ms_per_source"`
	WallMs   float64 `json:"wall_ms_per_source"`
}

// MeasureRepoll fetches and stores every source again, in passes, for at least minTime: with
// the server answering 304 to the validators Docket kept (kind "304"), or sending the same
// body again with no validators (kind "200-unchanged"). Nothing may be stored.
func MeasureRepoll(ctx context.Context, g *ingest.Ingester, srv *FeedServer, kind string, minTime time.Duration) (Repoll, error) {
	srv.SetValidators(kind == "304")
	defer srv.SetValidators(true)
	res := Repoll{Kind: kind}
	sources, err := g.DB.DueSources(ctx, time.Now(), true)
	if err != nil {
		return res, err
	}
	if len(sources) == 0 {
		return res, fmt.Errorf("no sources to poll again")
	}
	res.Sources = len(sources)
	// One pass first, so that connections are open and the validators settled.
	if _, err := repollPass(ctx, g, sources, kind); err != nil {
		return res, err
	}
	var storeTime time.Duration
	cpu0, _ := CPUTime()
	start := time.Now()
	for res.Fetches == 0 || time.Since(start) < minTime {
		d, err := repollPass(ctx, g, sources, kind)
		if err != nil {
			return res, err
		}
		storeTime += d
		res.Fetches += len(sources)
	}
	wall := time.Since(start)
	cpu1, _ := CPUTime()
	per := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(res.Fetches) }
	res.CPUMs, res.StoreMs, res.WallMs = per(cpu1-cpu0), per(storeTime), per(wall)

	base, err := baselinePolls(ctx, sources, res.Fetches)
	if err != nil {
		return res, err
	}
	res.Baseline = per(base)
	res.WorkMs = max(res.CPUMs-res.Baseline, 0)
	return res, nil
}

// repollPass polls every source once, in turn, and returns the time spent storing.
func repollPass(ctx context.Context, g *ingest.Ingester, sources []docket.Source, kind string) (time.Duration, error) {
	var storeTime time.Duration
	for i := range sources {
		src := &sources[i]
		f := g.Fetch(ctx, *src)
		t := time.Now()
		o, err := g.StoreOne(ctx, f)
		storeTime += time.Since(t)
		switch {
		case err != nil:
			return 0, err
		case o.Err != "":
			return 0, fmt.Errorf("poll %s again: %s", src.URL, o.Err)
		case o.New+o.Updated > 0:
			return 0, fmt.Errorf("poll %s again: %d new and %d updated items from an unchanged feed", src.URL, o.New, o.Updated)
		case kind == "304" && !o.NotModified:
			return 0, fmt.Errorf("poll %s again: got a full answer, want 304", src.URL)
		}
		src.ETag, src.LastModified = f.ETag, f.LastMod
	}
	return storeTime, nil
}

// baselinePolls makes n requests like Docket's for the sources, in turn, with a bare HTTP
// client, and returns the CPU time they took.
func baselinePolls(ctx context.Context, sources []docket.Source, n int) (time.Duration, error) {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 2}}
	defer client.CloseIdleConnections()
	get := func(src docket.Source) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		if src.ETag != "" {
			req.Header.Set("If-None-Match", src.ETag)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return err
	}
	for _, src := range sources {
		if err := get(src); err != nil {
			return 0, err
		}
	}
	cpu0, _ := CPUTime()
	for i := 0; i < n; i++ {
		if err := get(sources[i%len(sources)]); err != nil {
			return 0, err
		}
	}
	cpu1, _ := CPUTime()
	return cpu1 - cpu0, nil
}
