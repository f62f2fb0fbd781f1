package ingest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestConcurrentStoresOfOneSource stores one source's items from two transactions at once
// on PostgreSQL, as docket ingest beside docket serve can: the second must wait for the
// first and find its items known, where it used to insert the same guids and fail on
// items_source_id_guid_key.
func TestConcurrentStoresOfOneSource(t *testing.T) {
	db := storetest.OpenPostgres(t)
	ctx := context.Background()
	src := &docket.Source{URL: "https://example.org/feed", Kind: docket.KindNews}
	if err := db.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	fetched := func() *ingest.Fetched {
		var items []docket.Item
		for i := range 3 {
			g := fmt.Sprintf("g%d", i)
			items = append(items, docket.Item{GUID: g, URL: "https://example.org/" + g, Title: "Item " + g, Text: "Item " + g,
				PublishedAt: time.Date(2016, 12, 22, 10, i, 0, 0, time.UTC), ContentHash: "h-" + g})
		}
		return &ingest.Fetched{Source: *src, Status: 200, Items: items}
	}
	g := &ingest.Ingester{DB: db}

	stx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stx.Rollback()
	first, err := g.Store(ctx, db.WrapTx(stx), fetched(), nil)
	if err != nil || first.New != 3 {
		t.Fatalf("first store: %+v, %v; want 3 new items", first, err)
	}
	var pid int
	if err := stx.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}

	type result struct {
		o   ingest.Outcome
		err error
	}
	second := make(chan result, 1)
	go func() {
		o, err := g.StoreOne(ctx, fetched())
		second <- result{o, err}
	}()
	// Wait until the second transaction waits on a lock the first holds.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := db.W.GetContext(ctx, &waiting, `SELECT count(*) FROM pg_stat_activity
			WHERE $1 = ANY(pg_blocking_pids(pid))`, pid); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case r := <-second:
			t.Fatalf("second store ended before the first committed: %+v, %v", r.o, r.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the second store never waited for the first")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := stx.Commit(); err != nil {
		t.Fatal(err)
	}
	r := <-second
	if r.err != nil {
		t.Fatalf("second store: %v", r.err)
	}
	if r.o.New != 0 || r.o.Updated != 0 || r.o.Err != "" {
		t.Errorf("second store: %+v, want no new or updated items and no error", r.o)
	}
	var n int
	if err := db.W.GetContext(ctx, &n, `SELECT count(*) FROM items WHERE source_id = $1`, src.ID); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("got %d items stored, want 3", n)
	}
}
