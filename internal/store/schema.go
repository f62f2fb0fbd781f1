package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"regexp"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx" for the short administrative connections
)

// Several Docket databases can live in one PostgreSQL database as schemas: `docket bench`
// keeps its corpora so, and a URL whose search_path names a schema opens it.

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// SchemaURL returns the PostgreSQL URL base with its search_path set to schema.
func SchemaURL(base, schema string) (string, error) {
	if !schemaName.MatchString(schema) {
		return "", fmt.Errorf("%q is not a schema name Docket makes", schema)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", Redact(base), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// admin runs fn on a short connection to the PostgreSQL database base names.
func admin(ctx context.Context, base string, fn func(db *sql.DB) error) error {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return fmt.Errorf("open %s: %w", Redact(base), err)
	}
	defer db.Close()
	return fn(db)
}

// SchemaExists reports whether the PostgreSQL database base names holds schema.
func SchemaExists(ctx context.Context, base, schema string) (bool, error) {
	var ok bool
	err := admin(ctx, base, func(db *sql.DB) error {
		return db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&ok)
	})
	return ok, err
}

// CreateSchema creates an empty schema.
func CreateSchema(ctx context.Context, base, schema string) error {
	if !schemaName.MatchString(schema) {
		return fmt.Errorf("%q is not a schema name Docket makes", schema)
	}
	return admin(ctx, base, func(db *sql.DB) error {
		_, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema)
		return err
	})
}

// DropSchema drops a schema and everything in it, if it exists.
func DropSchema(ctx context.Context, base, schema string) error {
	if !schemaName.MatchString(schema) {
		return fmt.Errorf("%q is not a schema name Docket makes", schema)
	}
	return admin(ctx, base, func(db *sql.DB) error {
		_, err := db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
		return err
	})
}

// RenameSchema renames a schema: a corpus built under a temporary name appears whole or not
// at all.
func RenameSchema(ctx context.Context, base, from, to string) error {
	if !schemaName.MatchString(from) || !schemaName.MatchString(to) {
		return fmt.Errorf("%q or %q is not a schema name Docket makes", from, to)
	}
	return admin(ctx, base, func(db *sql.DB) error {
		_, err := db.ExecContext(ctx, `ALTER SCHEMA `+from+` RENAME TO `+to)
		return err
	})
}
