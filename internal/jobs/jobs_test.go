package jobs_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><guid>a</guid><title>Aleppo evacuation resumes</title><pubDate>Thu, 22 Dec 2016 10:00:00 GMT</pubDate></item>
</channel></rss>`

// TestFetchChain runs the fetch worker on each database: a source's job fetches it, stores
// its items, completes, and leaves exactly one successor scheduled at the source's
// next_fetch_at; inserting the job again while that one waits adds nothing.
func TestFetchChain(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feed) }))
		defer srv.Close()
		src := &docket.Source{URL: srv.URL, Kind: docket.KindNews}
		if err := db.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
		tm := &ingest.TopicMatchers{DB: db}
		ing := &ingest.Ingester{DB: db, Client: ingest.NewClient(ingest.ClientOptions{AllowPrivate: true}), Matcher: tm.Current}
		r, err := jobs.New(db, ing, jobs.Config{Work: true, SweepEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		waitFor := start(t, r)
		waitFor((jobs.FetchSourceArgs{}).Kind())
		got, err := db.SourceByID(ctx, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ItemCount != 1 || got.LastFetchedAt == nil || got.LastError != "" {
			t.Fatalf("after the job: %d items, fetched %v, error %q", got.ItemCount, got.LastFetchedAt, got.LastError)
		}
		// Re-inserting (as the sweeper does) must not add a second job.
		if err := r.EnqueueSources(ctx); err != nil {
			t.Fatal(err)
		}
		var waiting []struct {
			State       string    `db:"state"`
			ScheduledAt time.Time `db:"scheduled_at"`
		}
		if err := db.R.Select(&waiting, `SELECT state, scheduled_at FROM river_job WHERE kind = 'fetch_source' AND state <> 'completed'`); err != nil {
			t.Fatal(err)
		}
		if len(waiting) != 1 || waiting[0].State != "scheduled" {
			t.Fatalf("waiting jobs %+v, want one scheduled successor", waiting)
		}
		if d := waiting[0].ScheduledAt.Sub(got.NextFetchAt); d < -time.Second || d > time.Second {
			t.Errorf("successor scheduled at %v, want the source's next fetch %v", waiting[0].ScheduledAt, got.NextFetchAt)
		}
	})
}
