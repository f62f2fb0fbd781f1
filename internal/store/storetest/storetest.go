// Package storetest opens real, migrated Docket databases for tests: an SQLite file in the
// test's temporary folder, and, when DOCKET_TEST_POSTGRES_URL is set, a fresh schema on that
// PostgreSQL server. Tests written with ForEach run once per database, so one table of cases
// covers both dialects.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx" for the schema set-up

	"github.com/docket-dev/docket/internal/store"
)

// PostgresURL returns the PostgreSQL server tests may use, or skips the test saying why. Under
// CI=true a missing server fails the test instead: CI must run the PostgreSQL tests.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DOCKET_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but DOCKET_TEST_POSTGRES_URL is not set: the PostgreSQL tests must run in CI")
		}
		t.Skip("PostgreSQL tests skipped: set DOCKET_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run them")
	}
	return u
}

// NewPostgresSchema creates an empty schema for one test and returns a URL whose search_path
// points at it; the schema is dropped when the test ends.
func NewPostgresSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "docket_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v (is PostgreSQL running at %s?)", err, base)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// SQLiteURL returns the path of a new SQLite file in the test's temporary folder.
func SQLiteURL(t testing.TB) string {
	return filepath.Join(t.TempDir(), "docket.db")
}

// Open opens and migrates a database at dbURL, closed when the test ends.
func Open(t testing.TB, dbURL string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", dbURL, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// OpenSQLite opens a new migrated SQLite database.
func OpenSQLite(t testing.TB) *store.DB { return Open(t, SQLiteURL(t)) }

// OpenPostgres opens a new migrated PostgreSQL schema, or skips as PostgresURL says.
func OpenPostgres(t testing.TB) *store.DB { return Open(t, NewPostgresSchema(t)) }

// Dialect names a database for ForEach.
type Dialect struct {
	Name string
	URL  func(t testing.TB) string
}

// Dialects are the databases every store test runs on.
var Dialects = []Dialect{
	{"sqlite", SQLiteURL},
	{"postgres", NewPostgresSchema},
}

// ForEach runs fn as a subtest on a fresh migrated database of each dialect.
func ForEach(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d.Name, func(t *testing.T) {
			fn(t, Open(t, d.URL(t)))
		})
	}
}
