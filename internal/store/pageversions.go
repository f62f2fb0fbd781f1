package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

type pageVersion struct {
	ETag  string    `db:"etag"`
	Since time.Time `db:"since"`
}

// PageVersion returns since when the page at path has had the given ETag: its Last-Modified.
// When the ETag differs from the version last recorded, etag becomes the page's version,
// since now and always at least a second after the previous one (HTTP dates have seconds), so
// a page's Last-Modified only moves forward and moves whenever its bytes change, and every
// instance on this database answers the same. Serving the same bytes costs one read.
func (db *DB) PageVersion(ctx context.Context, path, etag string) (time.Time, error) {
	var cur pageVersion
	err := db.get(ctx, &cur, `SELECT etag, since FROM page_versions WHERE path = ?`, path)
	if err == nil && cur.ETag == etag {
		return cur.Since, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("page version: %w", err)
	}
	var since time.Time
	err = db.Update(ctx, func(tx *Tx) error {
		// Read again inside the write: another instance may have recorded a version since.
		for range 2 {
			var cur pageVersion
			err := tx.get(ctx, &cur, `SELECT etag, since FROM page_versions WHERE path = ?`+tx.forUpdate(), path)
			switch {
			case err == nil && cur.ETag == etag:
				since = cur.Since
				return nil
			case err == nil:
				since = tx.now.Truncate(time.Second).UTC()
				if next := cur.Since.Truncate(time.Second).Add(time.Second); since.Before(next) {
					since = next.UTC()
				}
				_, err = tx.exec(ctx, `UPDATE page_versions SET etag = ?, since = ? WHERE path = ?`, etag, since, path)
				return err
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			since = tx.now.Truncate(time.Second).UTC()
			res, err := tx.exec(ctx, `INSERT INTO page_versions (path, etag, since) VALUES (?, ?, ?) ON CONFLICT (path) DO NOTHING`, path, etag, since)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				return nil
			}
			// Another instance inserted the row meanwhile: go round once more, to move past it.
		}
		return fmt.Errorf("page version of %s: the row keeps changing", path)
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("page version: %w", err)
	}
	return since, nil
}
