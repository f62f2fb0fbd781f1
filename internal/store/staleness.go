package store

import (
	"context"
	"fmt"
	"time"
)

// A published statement goes stale when events overtake it: its topics gain items published
// after it that someone confirmed, or that come from a UN source (whose word the office acts
// on without waiting for a researcher). Rejected links never count. Its topics are those it
// was published under: a new version's draft may change the working copy's.
const staleJoin = `FROM statements s
	JOIN published_statement_topics st ON st.statement_id = s.id
	JOIN item_topics it ON it.topic_id = st.topic_id AND it.published_at > s.published_at AND it.state <> 'rejected'
	JOIN items i ON i.id = it.item_id
	JOIN sources src ON src.id = i.source_id
	WHERE s.published_revision_id IS NOT NULL AND s.status <> 'withdrawn' AND s.published_at IS NOT NULL
	AND (it.state = 'confirmed' OR src.kind = 'un')`

// StaleItem is an item that arrived on a statement's topics after the statement was published.
type StaleItem struct {
	ItemID      int64     `db:"item_id" json:"item_id"`
	Title       string    `db:"title" json:"title"`
	URL         string    `db:"url" json:"url"`
	Source      string    `db:"source" json:"source"`
	SourceKind  string    `db:"source_kind" json:"source_kind"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
	// Confirmed is set when someone confirmed the item on one of the topics; otherwise it
	// counts because it comes from a UN source.
	Confirmed bool `db:"confirmed" json:"confirmed"`
}

// Staleness is how far events have overtaken a published statement.
type Staleness struct {
	StatementID int64     `db:"statement_id" json:"id"`
	Title       string    `db:"title" json:"title"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
	NewItems    int       `db:"new_items" json:"new_items"`
	// Items are the newest of the new items, at most the number asked for.
	Items []StaleItem `db:"-" json:"items"`
}

// StaleStatements returns the public statements with at least threshold new items (at least
// one), the most overtaken first, each with its newest items (at most itemsEach).
func (db *DB) StaleStatements(ctx context.Context, threshold, itemsEach int) ([]Staleness, error) {
	threshold = max(threshold, 1)
	var out []Staleness
	err := db.sel(ctx, &out, `SELECT s.id AS statement_id, s.title, s.published_at, count(DISTINCT i.id) AS new_items `+staleJoin+`
		GROUP BY s.id, s.title, s.published_at HAVING count(DISTINCT i.id) >= ?
		ORDER BY new_items DESC, s.published_at, s.id`, threshold)
	if err != nil {
		return nil, fmt.Errorf("stale statements: %w", err)
	}
	for i := range out {
		if out[i].Items, err = db.staleItems(ctx, out[i].StatementID, itemsEach); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// StatementStaleness returns one statement's new items since it was published; a statement
// the public does not see has none.
func (db *DB) StatementStaleness(ctx context.Context, statementID int64, itemsEach int) (*Staleness, error) {
	st := &Staleness{StatementID: statementID}
	var rows []Staleness
	err := db.sel(ctx, &rows, `SELECT s.id AS statement_id, s.title, s.published_at, count(DISTINCT i.id) AS new_items `+staleJoin+`
		AND s.id = ? GROUP BY s.id, s.title, s.published_at`, statementID)
	if err != nil {
		return nil, fmt.Errorf("staleness of statement %d: %w", statementID, err)
	}
	if len(rows) == 0 {
		st.Items = []StaleItem{}
		return st, nil
	}
	*st = rows[0]
	if st.Items, err = db.staleItems(ctx, statementID, itemsEach); err != nil {
		return nil, err
	}
	return st, nil
}

func (db *DB) staleItems(ctx context.Context, statementID int64, limit int) ([]StaleItem, error) {
	out := []StaleItem{}
	if limit <= 0 {
		return out, nil
	}
	err := db.sel(ctx, &out, `SELECT i.id AS item_id, i.title, i.url,
		CASE WHEN src.title = '' THEN src.url ELSE src.title END AS source, src.kind AS source_kind, i.published_at,
		max(CASE WHEN it.state = 'confirmed' THEN 1 ELSE 0 END) AS confirmed `+staleJoin+` AND s.id = ?
		GROUP BY i.id, i.title, i.url, src.title, src.url, src.kind, i.published_at
		ORDER BY i.published_at DESC, i.id DESC LIMIT ?`, statementID, limit)
	if err != nil {
		return nil, fmt.Errorf("new items of statement %d: %w", statementID, err)
	}
	return out, nil
}
