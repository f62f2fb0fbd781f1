package store

import (
	"context"
	"database/sql"
	"fmt"
)

// DataVersion returns a value that changes whenever anything is committed to the database,
// by this process or any other: pages rendered from the database stay valid while it does
// not change. On SQLite it is PRAGMA data_version, read on a connection of its own that never
// writes (the pragma tells a connection about the other connections' commits, not its own);
// on PostgreSQL it is the current snapshot, which changes when a transaction that writes
// begins or ends, on any instance.
func (db *DB) DataVersion(ctx context.Context) (string, error) {
	if db.Dialect == Postgres {
		var v string
		if err := db.R.GetContext(ctx, &v, `SELECT pg_current_snapshot()::text`); err != nil {
			return "", fmt.Errorf("data version: %w", err)
		}
		return v, nil
	}
	db.versionMu.Lock()
	defer db.versionMu.Unlock()
	if db.versionConn == nil {
		c, err := sql.Open("sqlite", sqliteDSN(db.Path, sqliteReader))
		if err != nil {
			return "", fmt.Errorf("data version: %w", err)
		}
		c.SetMaxOpenConns(1)
		c.SetMaxIdleConns(1)
		c.SetConnMaxLifetime(0)
		c.SetConnMaxIdleTime(0)
		db.versionConn = c
	}
	var v int64
	if err := db.versionConn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return "", fmt.Errorf("data version: %w", err)
	}
	return fmt.Sprint(v), nil
}
