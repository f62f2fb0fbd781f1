package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestTermStatsJob starts the workers on a database with items and no word counts: the
// leader's job, inserted at start, takes them, and evidence ranking finds them; on SQLite it
// merges the full-text index that the items' several transactions left in segments.
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
		for i := range 6 {
			err := db.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.SaveItems(ctx, src.ID, []docket.Item{{GUID: fmt.Sprint("more-", i), URL: fmt.Sprint("https://news.example/more-", i),
					Title: "Idlib shelling", Text: "Families leave Idlib", PublishedAt: at}})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		segments, err := db.SearchIndexSegments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect == store.SQLite && segments < 3 {
			t.Fatalf("seven transactions left %d segments: the test needs several", segments)
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
		if info == nil || info.Items != 8 {
			t.Fatalf("got word counts %+v, want them taken over 8 items", info)
		}
		if after, err := db.SearchIndexSegments(ctx); err != nil || (db.Dialect == store.SQLite && after >= segments) {
			t.Errorf("full-text index segments: %d before the job, %d after (%v); want fewer", segments, after, err)
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
