package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestTermStatsJob starts the workers on a database with items and no word counts: the
// leader's job, inserted at start, takes them, and evidence ranking finds them.
func TestTermStatsJob(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		src := &docket.Source{URL: "https://news.example/feed", Kind: docket.KindNews}
		if err := db.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2016, 12, 22, 10, 0, 0, 0, time.UTC)
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveItems(ctx, src.ID, []docket.Item{
				{GUID: "1", URL: "https://news.example/1", Title: "Aleppo evacuation", Text: "Buses leave Aleppo", PublishedAt: at},
				{GUID: "2", URL: "https://news.example/2", Title: "Aleppo talks", Text: "Envoys meet", PublishedAt: at},
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ing := &ingest.Ingester{DB: db, Client: ingest.NewClient(ingest.ClientOptions{})}
		r, err := jobs.New(db, ing, jobs.Config{Work: true, SweepEvery: time.Hour, TermStatsMinItems: 1})
		if err != nil {
			t.Fatal(err)
		}
		// The leader inserts the job when it starts.
		waitFor := start(t, r)
		waitFor((jobs.TermStatsArgs{}).Kind())
		info, err := db.TermStatsInfo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info == nil || info.Items != 2 {
			t.Fatalf("got word counts %+v, want them taken over 2 items", info)
		}
		got, err := db.TermCounts(ctx, []store.EvidenceTerm{{Key: "aleppo"}})
		if err != nil {
			t.Fatal(err)
		}
		if !got[0].Found || got[0].Docs != 2 {
			t.Errorf("aleppo: got %+v, want 2 items", got[0])
		}
	})
}
