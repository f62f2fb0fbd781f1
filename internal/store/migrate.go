package store

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

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
	exists, err := db.hasVersionTable(ctx)
	if err != nil || !exists {
		return 0, err
	}
	var v int64
	if err := db.W.GetContext(ctx, &v, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied`); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// hasVersionTable reports whether goose's version table exists, where Docket's tables are
// (on PostgreSQL, the first schema of the search path).
func (db *DB) hasVersionTable(ctx context.Context) (bool, error) {
	var exists bool
	q := `SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`
	if db.Dialect == Postgres {
		q = `SELECT to_regclass('goose_db_version') IS NOT NULL`
	}
	if err := db.W.GetContext(ctx, &exists, q); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	return exists, nil
}

// otherTables lists, up to three, the tables and views a database without goose's version
// table holds where Docket would create its own: SQLite's file; on PostgreSQL the schema that
// CREATE TABLE writes to (the search path's first), leaving out what extensions installed
// there (PostGIS's spatial_ref_sys).
func (db *DB) otherTables(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 3`
	if db.Dialect == Postgres {
		q = `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
			AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
			ORDER BY c.relname LIMIT 3`
	}
	var names []string
	if err := db.W.SelectContext(ctx, &names, q); err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return names, nil
}

// CheckSchema refuses, before anything writes to it, a database whose schema is newer than
// this binary, and one that holds another application's tables (see refuseForeign).
func (db *DB) CheckSchema(ctx context.Context) (int64, error) {
	if err := db.refuseForeign(ctx); err != nil {
		return 0, err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if latest := Latest(); v > latest {
		return v, docket.Errorf(docket.ECONFLICT, "the database schema is version %d, newer than this docket binary knows (%d): upgrade docket", v, latest)
	}
	return v, nil
}

// refuseForeign refuses a database that holds tables but no goose version table: another
// application's. Migrating it would add Docket's tables (users, sessions, items…) beside
// theirs, mixing two applications' data, where a name they share could half-apply a
// migration. An empty database, or an empty file, is a new one.
//
// The tables are listed before the version table is looked for: goose creates its table
// before any migration's, so a Docket process migrating the same database at this moment
// (on PostgreSQL the check runs before goose's lock is taken) has created it by the time its
// tables show, and is not taken for another application.
func (db *DB) refuseForeign(ctx context.Context) error {
	others, err := db.otherTables(ctx)
	if err != nil || len(others) == 0 {
		return err
	}
	exists, err := db.hasVersionTable(ctx)
	if err != nil || exists {
		return err
	}
	where, fix := "--db "+db.Path, "give Docket a file of its own (a new path is created)"
	if db.Dialect == Postgres {
		var schema string
		if err := db.W.GetContext(ctx, &schema, `SELECT current_schema()`); err != nil {
			return fmt.Errorf("read the current schema: %w", err)
		}
		where = fmt.Sprintf("PostgreSQL schema %q", schema)
		fix = "give Docket a database of its own, or a schema of its own with search_path=SCHEMA in --db"
	}
	return docket.Errorf(docket.ECONFLICT, "%s is not a Docket database: it holds tables (%s) but no goose_db_version; %s",
		where, strings.Join(others, ", "), fix)
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
