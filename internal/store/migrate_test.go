package store_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestConcurrentMigrations starts several processes' worth of Migrate calls, each on its own
// connection pool, at once on a fresh PostgreSQL schema: the lock lets one apply everything,
// the others wait and find nothing to do, and every one reports the version the schema is at.
func TestConcurrentMigrations(t *testing.T) {
	dbURL := storetest.NewPostgresSchema(t)
	ctx := context.Background()
	const n = 6
	dbs := make([]*store.DB, n)
	for i := range dbs {
		db, err := store.Open(ctx, dbURL, store.Options{Readers: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	results := make([]*store.MigrationResult, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = db.Migrate(ctx)
		}()
	}
	close(start)
	wg.Wait()

	applied := 0
	latest := store.Latest()
	for i, res := range results {
		if errs[i] != nil {
			t.Errorf("migration %d: %v", i, errs[i])
			continue
		}
		if res.To != latest {
			t.Errorf("migration %d reported version %d, want %d (the newest)", i, res.To, latest)
		}
		if len(res.Applied) > 0 {
			applied++
			if res.From != 0 {
				t.Errorf("the migration that applied reported it started from version %d, want 0", res.From)
			}
		} else if res.From != latest {
			t.Errorf("migration %d applied nothing but reported going from %d to %d, want %d to %d", i, res.From, res.To, latest, latest)
		}
	}
	if applied != 1 {
		t.Errorf("%d of %d concurrent migrations applied migrations, want exactly 1", applied, n)
	}
	v, err := dbs[0].SchemaVersion(ctx)
	if err != nil || v != latest {
		t.Errorf("schema version %d (%v) after all of them, want %d", v, err, latest)
	}
}

// TestMigrateRefusesAnotherApplicationsDatabase: a database that holds tables but no goose
// version table is another application's. Docket refuses it, saying what to do, and leaves it
// as it was; an empty one is a new database.
func TestMigrateRefusesAnotherApplicationsDatabase(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			dbURL := d.URL(t)
			db, err := store.Open(ctx, dbURL, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.W.ExecContext(ctx, `CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)`); err != nil {
				t.Fatal(err)
			}
			db.Close()

			db, err = store.Open(ctx, dbURL, store.Options{})
			if err == nil {
				_, err = db.Migrate(ctx)
				db.Close()
			}
			want := "is not a Docket database: it holds tables (bookmarks) but no goose_db_version; give Docket a"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want an error containing %q", err, want)
			}
			look, err := store.Open(ctx, dbURL, store.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer look.Close()
			var tables []string
			q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
			if d.Name == "postgres" {
				q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
			}
			if err := look.R.SelectContext(ctx, &tables, q); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tables, []string{"bookmarks"}) {
				t.Errorf("tables after the refusal %v, want only [bookmarks]", tables)
			}
		})
	}
}
