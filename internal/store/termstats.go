package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// TermStatsInfo says when the word counts of term_stats were taken, over how many items, and
// which words they hold: those that at least MinDocs items have.
type TermStatsInfo struct {
	Items   int       `db:"items"`
	MinDocs int       `db:"min_docs"`
	BuiltAt time.Time `db:"built_at"`
}

// Word counts are kept from TermStatsMinItems items on; below, counting in the index as it
// stands is quick. A word is kept when at least TermStatsMinDocs(items) items have it: the
// rarer ones are counted when asked, in posting lists that short.
const TermStatsMinItems = 10_000

// TermStatsMinDocs is the fewest items a word is kept for, among n.
func TermStatsMinDocs(n int) int { return max(2, n/20_000) }

// termStatsMaxAge is how old counts may grow while the items change at all; past a tenth
// more or fewer items they are taken again at once.
const termStatsMaxAge = 24 * time.Hour

// RefreshTermStats takes the word counts again when they are due: when none were taken and
// there are minItems items (TermStatsMinItems, but for tests), when the items have grown or
// shrunk by a tenth since, or when the counts are a day old and the items have changed. It
// reports whether it took them.
func (db *DB) RefreshTermStats(ctx context.Context, minItems int) (bool, error) {
	info, err := db.TermStatsInfo(ctx)
	if err != nil {
		return false, err
	}
	n, err := db.ItemCount(ctx)
	if err != nil {
		return false, err
	}
	switch {
	case info == nil && n < minItems:
		return false, nil
	case info == nil:
	case abs(n-info.Items) >= max(1, info.Items/10):
	case n != info.Items && db.now().Sub(info.BuiltAt) >= termStatsMaxAge:
	default:
		return false, nil
	}
	if _, err := db.BuildTermStats(ctx, TermStatsMinDocs(n)); err != nil {
		return false, err
	}
	return true, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TermStatsInfo returns the summary of the stored word counts, or nil when none were built.
func (db *DB) TermStatsInfo(ctx context.Context) (*TermStatsInfo, error) {
	var info TermStatsInfo
	err := db.get(ctx, &info, `SELECT items, min_docs, built_at FROM term_stats_info WHERE id = 1`)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("word counts: %w", err)
	}
	return &info, nil
}

// BuildTermStats counts, for every word of the full-text index that at least minDocs items
// have, how many items have it, and replaces term_stats with the counts. It reads the whole
// index (seconds at a million items) on a reader, outside the write transaction, which then
// only writes the rows.
func (db *DB) BuildTermStats(ctx context.Context, minDocs int) (TermStatsInfo, error) {
	minDocs = max(minDocs, 1)
	info := TermStatsInfo{MinDocs: minDocs}
	type row struct {
		Term string `db:"term"`
		Docs int    `db:"docs"`
	}
	var rows []row
	if db.Dialect == Postgres {
		// One snapshot for the count and the words, so the two agree.
		tx, err := db.R.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
		if err != nil {
			return info, fmt.Errorf("count words: %w", err)
		}
		defer tx.Rollback()
		if err := tx.GetContext(ctx, &info.Items, `SELECT count(*) FROM items`); err != nil {
			return info, fmt.Errorf("count items: %w", err)
		}
		if err := tx.SelectContext(ctx, &rows, `SELECT word AS term, ndoc AS docs FROM ts_stat('SELECT search FROM items') WHERE ndoc >= $1`, minDocs); err != nil {
			return info, fmt.Errorf("count words: %w", err)
		}
	} else {
		// FTS5's vocabulary table reads the index's own posting lists. It is a temporary
		// table of one reader connection, inside one read transaction with the item count.
		conn, err := db.R.Connx(ctx)
		if err != nil {
			return info, fmt.Errorf("count words: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.items_vocab USING fts5vocab(main, items_fts, 'row')`); err != nil {
			return info, fmt.Errorf("count words: %w", err)
		}
		tx, err := conn.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return info, fmt.Errorf("count words: %w", err)
		}
		defer tx.Rollback()
		if err := tx.GetContext(ctx, &info.Items, `SELECT count(*) FROM items`); err != nil {
			return info, fmt.Errorf("count items: %w", err)
		}
		if err := tx.SelectContext(ctx, &rows, `SELECT term, doc AS docs FROM temp.items_vocab WHERE doc >= ?`, minDocs); err != nil {
			return info, fmt.Errorf("count words: %w", err)
		}
	}
	info.BuiltAt = db.now()
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM term_stats`); err != nil {
			return err
		}
		const batch = 400
		for start := 0; start < len(rows); start += batch {
			part := rows[start:min(start+batch, len(rows))]
			args := make([]any, 0, 2*len(part))
			for _, r := range part {
				args = append(args, r.Term, r.Docs)
			}
			q := `INSERT INTO term_stats (term, docs) VALUES (?, ?)` + strings.Repeat(`, (?, ?)`, len(part)-1)
			if _, err := tx.ExecContext(ctx, tx.Rebind(q), args...); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO term_stats_info (id, items, min_docs, built_at) VALUES (1, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET items = excluded.items, min_docs = excluded.min_docs, built_at = excluded.built_at`),
			info.Items, info.MinDocs, info.BuiltAt)
		return err
	})
	if err != nil {
		return info, fmt.Errorf("store word counts: %w", err)
	}
	return info, nil
}

// TermCount is what term_stats says of an evidence term: how many items have it (for a
// prefix, the sum over its words, which counts twice an item that has two of them) and, for
// a prefix, its words, the commonest first. Found is false when no word of term_stats is the
// term: every item that has it, if any, has it in fewer than MinDocs items.
type TermCount struct {
	Docs  int
	Words []string
	Found bool
}

// TermCounts looks terms up in term_stats.
func (db *DB) TermCounts(ctx context.Context, terms []EvidenceTerm) ([]TermCount, error) {
	out := make([]TermCount, len(terms))
	type row struct {
		I    int    `db:"i"`
		Term string `db:"term"`
		Docs int    `db:"docs"`
	}
	const chunk = 40
	for start := 0; start < len(terms); start += chunk {
		end := min(start+chunk, len(terms))
		var q strings.Builder
		var args []any
		for i := start; i < end; i++ {
			t := terms[i]
			if !t.valid() {
				return nil, fmt.Errorf("search term %q is not one folded word", t.Key)
			}
			if q.Len() > 0 {
				q.WriteString(" UNION ALL ")
			}
			if t.Prefix {
				// Folded words are letters and digits; U+10FFFF sorts after any of them.
				fmt.Fprintf(&q, `SELECT %d AS i, term, docs FROM term_stats WHERE term >= ? AND term < ?`, i)
				args = append(args, t.Key, t.Key+"\U0010FFFF")
			} else {
				fmt.Fprintf(&q, `SELECT %d AS i, term, docs FROM term_stats WHERE term = ?`, i)
				args = append(args, t.Key)
			}
		}
		var rows []row
		if err := db.sel(ctx, &rows, q.String(), args...); err != nil {
			return nil, fmt.Errorf("look up word counts: %w", err)
		}
		sort.SliceStable(rows, func(a, b int) bool {
			if rows[a].I != rows[b].I {
				return rows[a].I < rows[b].I
			}
			if rows[a].Docs != rows[b].Docs {
				return rows[a].Docs > rows[b].Docs
			}
			return rows[a].Term < rows[b].Term
		})
		for _, r := range rows {
			c := &out[r.I]
			c.Found = true
			c.Docs += r.Docs
			if terms[r.I].Prefix {
				c.Words = append(c.Words, r.Term)
			}
		}
	}
	return out, nil
}
