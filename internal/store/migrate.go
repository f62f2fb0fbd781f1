package store

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/migrations"
)

// MigrationResult says what Migrate did.
type MigrationResult struct {
	From, To int64
	Applied  []string
}

func (db *DB) provider() (*goose.Provider, error) {
	dir, dialect := "sqlite", goose.DialectSQLite3
	if db.Dialect == Postgres {
		dir, dialect = "postgres", goose.DialectPostgres
	}
	fsys, err := fs.Sub(migrations.FS, dir)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if db.Dialect == Postgres {
		// Two processes starting at once must not both migrate: a session-level advisory
		// lock serializes them, and the second finds nothing left to do.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.W.DB, fsys, opts...)
}

// Latest is the newest schema version this binary knows.
func Latest() int64 {
	var latest int64
	for _, dir := range []string{"sqlite", "postgres"} {
		ents, _ := fs.ReadDir(migrations.FS, dir)
		for _, e := range ents {
			var v int64
			if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err == nil && v > latest {
				latest = v
			}
		}
	}
	return latest
}

// SchemaVersion returns the schema version recorded in the database, 0 when none.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var exists bool
	q := `SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`
	if db.Dialect == Postgres {
		q = `SELECT to_regclass('goose_db_version') IS NOT NULL`
	}
	if err := db.W.GetContext(ctx, &exists, q); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int64
	if err := db.W.GetContext(ctx, &v, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied`); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// CheckSchema refuses a database whose schema is newer than this binary, before anything
// writes to it.
func (db *DB) CheckSchema(ctx context.Context) (int64, error) {
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if latest := Latest(); v > latest {
		return v, docket.Errorf(docket.ECONFLICT, "the database schema is version %d, newer than this docket binary knows (%d): upgrade docket", v, latest)
	}
	return v, nil
}

// Migrate applies every pending migration. On PostgreSQL another process may be migrating at
// the same moment: goose's lock makes one wait for the other, and the versions reported are
// read after it, so the one that found nothing to do says so, at the version the other left.
func (db *DB) Migrate(ctx context.Context) (*MigrationResult, error) {
	if _, err := db.CheckSchema(ctx); err != nil {
		return nil, err
	}
	p, err := db.provider()
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	to, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	res := &MigrationResult{From: to, To: to}
	for _, r := range results {
		res.Applied = append(res.Applied, r.Source.Path)
	}
	if len(results) > 0 {
		// What the database held when this process began applying: the migration before
		// the first one it applied.
		res.From = 0
		for _, src := range p.ListSources() {
			if v := src.Version; v < results[0].Source.Version {
				res.From = max(res.From, v)
			}
		}
	}
	return res, nil
}

// Pending reports whether migrations are waiting, for /readyz and `docket migrate --check`.
func (db *DB) Pending(ctx context.Context) (bool, error) {
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return false, err
	}
	return v < Latest(), nil
}
