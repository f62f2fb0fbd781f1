package bench

import (
	"context"
	"os"
	"testing"
	"time"
)

// BenchmarkIngest ingests 100 feeds of 50 items end to end (loopback HTTP, parse, normalize,
// store, match against 10 topics, cluster) into a fresh database per iteration, and reports
// items/s and the share of gofeed's parse-only items/s on the same bytes, measured on as
// many goroutines just before.
func BenchmarkIngest(b *testing.B) {
	feeds := Feeds(1, 100, 50)
	srv, err := ServeFeeds(feeds, 16)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	dbs := []string{"sqlite"}
	if os.Getenv("DOCKET_TEST_POSTGRES_URL") != "" {
		dbs = append(dbs, "postgres")
	}
	for _, name := range dbs {
		b.Run(name, func(b *testing.B) {
			var items, parseItems int
			var ingestTime, parseTime time.Duration
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				parse, err := ParseOnly(ctx, feeds, 8, 200*time.Millisecond)
				if err != nil {
					b.Fatal(err)
				}
				parseItems += parse.Items
				parseTime += time.Duration(parse.Seconds * float64(time.Second))
				cfg := &Config{Dir: b.TempDir(), Postgres: os.Getenv("DOCKET_TEST_POSTGRES_URL")}
				t, err := newIngestTarget(ctx, cfg, name, i)
				if err != nil {
					b.Fatal(err)
				}
				sources, err := IngestSetup(ctx, t.db, srv, feeds, Topics(10))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				rate, err := Ingest(ctx, NewIngester(t.db, 8), sources, TotalItems(feeds))
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				items += rate.Items
				ingestTime += time.Duration(rate.Seconds * float64(time.Second))
				t.close()
				b.StartTimer()
			}
			perSec := float64(items) / ingestTime.Seconds()
			b.ReportMetric(perSec, "items/s")
			b.ReportMetric(perSec/(float64(parseItems)/parseTime.Seconds()), "of-parse-only")
		})
	}
}
