package store_test

import (
	"context"
	"testing"

	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestItemsCompressLZ4 checks that PostgreSQL compresses items' long texts with lz4, which
// costs the server a fraction of pglz's CPU at ingest (migration 01601), and that the
// migration goes down and up again.
func TestItemsCompressLZ4(t *testing.T) {
	db := storetest.OpenPostgres(t)
	ctx := context.Background()
	compression := func() map[string]string {
		t.Helper()
		var rows []struct {
			Name string `db:"attname"`
			Comp string `db:"attcompression"`
		}
		if err := db.W.SelectContext(ctx, &rows, `SELECT attname::text AS attname, attcompression::text AS attcompression
			FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname IN ('summary', 'content', 'text', 'search')`); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, r := range rows {
			m[r.Name] = r.Comp
		}
		return m
	}
	got := compression()
	for _, col := range []string{"summary", "content", "text", "search"} {
		if got[col] != "l" {
			t.Errorf("items.%s compresses with %q, want lz4 (l)", col, got[col])
		}
	}
	if err := db.MigrateDownTo(ctx, 1201); err != nil {
		t.Fatalf("migrate down past 01601: %v", err)
	}
	for col, comp := range compression() {
		if comp != "" {
			t.Errorf("after migrating down, items.%s compresses with %q, want the default", col, comp)
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	if got := compression()["content"]; got != "l" {
		t.Errorf("after migrating up again, items.content compresses with %q, want lz4 (l)", got)
	}
}
