package store

import (
	"context"
	"fmt"
	"time"
)

// The full-text index on SQLite (FTS5) is a set of b-tree segments: each write transaction
// adds one, and FTS5 merges four of a size into one larger as they pile up (its automerge),
// so a million items ingested over months sit in a dozen or more. A search walks every
// segment for every word it names: at a million items (the bench corpus, 14 segments), the
// evidence for a 500-word statement took 123 ms of CPU, and 106 once they were merged into
// four, its searches walking a fifth to a third less. MergeSearchIndex merges them in the
// background, a bounded step at a time, with FTS5's 'merge' command and usermerge 2
// (migration 01701): two segments of a size are merged, rather than four, so the index
// stays at about one segment a size class, without rewriting all of it each time as
// 'optimize' would.

// mergeStepPages is how many pages of merged index one step writes: about 2 MB, 40–90 ms
// of the writer at a million items, so ingest waits no longer than that for it.
const mergeStepPages = 500

// MergeSearchIndex merges the full-text index's segments, a step of mergeStepPages pages
// in a transaction of its own, until nothing is left to merge, ctx ends or budget has
// passed. It reports how many steps did work and whether work remains. On PostgreSQL, whose
// GIN index needs no such upkeep, it does nothing.
func (db *DB) MergeSearchIndex(ctx context.Context, budget time.Duration) (steps int, more bool, err error) {
	if db.Dialect == Postgres {
		return 0, false, nil
	}
	deadline := time.Now().Add(budget)
	for {
		if ctx.Err() != nil || !time.Now().Before(deadline) {
			return steps, true, ctx.Err()
		}
		var worked bool
		err := db.Update(ctx, func(tx *Tx) error {
			var before, after int64
			if err := tx.get(ctx, &before, `SELECT total_changes()`); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO items_fts (items_fts, rank) VALUES ('merge', ?)`, mergeStepPages); err != nil {
				return fmt.Errorf("merge the full-text index: %w", err)
			}
			if err := tx.get(ctx, &after, `SELECT total_changes()`); err != nil {
				return err
			}
			// FTS5's documented sign of work done: the command changed two rows or more.
			worked = after-before >= 2
			return nil
		})
		if err != nil {
			return steps, true, err
		}
		if !worked {
			return steps, false, nil
		}
		steps++
	}
}

// SearchIndexSegments returns how many segments the full-text index has on SQLite (0 on
// PostgreSQL).
func (db *DB) SearchIndexSegments(ctx context.Context) (int, error) {
	if db.Dialect == Postgres {
		return 0, nil
	}
	var n int
	err := db.get(ctx, &n, `SELECT count(DISTINCT segid) FROM items_fts_idx`)
	return n, err
}
