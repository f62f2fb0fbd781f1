package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/docket-dev/docket/internal/docket"
)

// Loader writes generated items straight into a database in bulk, for building the large
// corpora `docket bench` measures pages on: many rows to a statement on SQLite, COPY on
// PostgreSQL, with the items' full-text index and topic links, and none of ingest's checks for
// items seen before. It is for a database that one writer is filling; ingest never uses it.
type Loader struct {
	db     *DB
	nextID int64
}

// LoadItem is an item to load, with its topic links. Cluster, when not negative, is the index
// (in the same Load call) of the item whose id names this item's story cluster.
type LoadItem struct {
	Item    docket.Item
	Links   []LoadLink
	Cluster int
}

// LoadLink is an item's link to a topic.
type LoadLink struct {
	TopicID int64
	Terms   string
	State   string // suggested, confirmed or rejected
}

// NewLoader returns a loader that numbers items after those already stored.
func (db *DB) NewLoader(ctx context.Context) (*Loader, error) {
	var last int64
	if err := db.W.GetContext(ctx, &last, `SELECT COALESCE(max(id), 0) FROM items`); err != nil {
		return nil, err
	}
	return &Loader{db: db, nextID: last + 1}, nil
}

// Load writes items, their full-text rows and their topic links in one transaction, and sets
// the items' IDs.
func (l *Loader) Load(ctx context.Context, items []LoadItem) error {
	if len(items) == 0 {
		return nil
	}
	for i := range items {
		it := &items[i].Item
		it.ID = l.nextID
		l.nextID++
		it.PublishedAt, it.FetchedAt = docket.StoreTime(it.PublishedAt), docket.StoreTime(it.FetchedAt)
		if it.Excerpt == "" {
			it.Excerpt = docket.Excerpt(it.Text, it.Title, 400)
		}
	}
	for i := range items {
		if c := items[i].Cluster; c >= 0 && c < len(items) {
			id := items[c].Item.ID
			items[i].Item.ClusterID = &id
		}
	}
	if l.db.Dialect == Postgres {
		return l.copyPostgres(ctx, items)
	}
	return l.db.Update(ctx, func(tx *Tx) error { return l.insertSQLite(ctx, tx, items) })
}

// Close finishes loading: on PostgreSQL, the items' id sequence moves past the ids the loader
// gave, so that ingest numbers new items after them.
func (l *Loader) Close(ctx context.Context) error {
	if l.db.Dialect != Postgres {
		return nil
	}
	_, err := l.db.W.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('items', 'id'), GREATEST((SELECT max(id) FROM items), 1))`)
	return err
}

const loadChunk = 200

func (l *Loader) insertSQLite(ctx context.Context, tx *Tx, items []LoadItem) error {
	const itemRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	const linkRow = `(?, ?, 'rule', ?, ?, ?, ?, ?, ?)`
	for start := 0; start < len(items); start += loadChunk {
		chunk := items[start:min(start+loadChunk, len(items))]
		args := make([]any, 0, 14*len(chunk))
		fts := make([]any, 0, 3*len(chunk))
		for _, li := range chunk {
			it := &li.Item
			args = append(args, it.ID, it.SourceID, it.GUID, it.URL, it.Title, it.Summary, it.Excerpt, it.Content, it.Text, it.Author,
				it.PublishedAt, it.FetchedAt, it.ContentHash, it.ClusterID)
			f := FoldItem(it)
			fts = append(fts, it.ID, f.Title, f.Text)
		}
		if _, err := tx.exec(ctx, `INSERT INTO items (id, source_id, guid, url, title, summary, excerpt, content, text, author,
			published_at, fetched_at, content_hash, cluster_id) VALUES `+itemRow+strings.Repeat(", "+itemRow, len(chunk)-1), args...); err != nil {
			return fmt.Errorf("load items: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO items_fts (rowid, title, body) VALUES (?, ?, ?)`+strings.Repeat(", (?, ?, ?)", len(chunk)-1), fts...); err != nil {
			return fmt.Errorf("load full text: %w", err)
		}
	}
	var links []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := tx.exec(ctx, `INSERT INTO item_topics (item_id, topic_id, origin, state, terms, pinned, published_at, created_at, updated_at)
			VALUES `+linkRow+strings.Repeat(", "+linkRow, n-1), links...)
		links, n = links[:0], 0
		if err != nil {
			return fmt.Errorf("load links: %w", err)
		}
		return nil
	}
	for _, li := range items {
		it := &li.Item
		for _, lk := range li.Links {
			links = append(links, it.ID, lk.TopicID, lk.State, lk.Terms, false, it.PublishedAt, it.FetchedAt, it.FetchedAt)
			if n++; n == loadChunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// copyPostgres copies the items into a temporary table, then into items with their tsvector
// (COPY cannot compute it), and the links straight into item_topics.
func (l *Loader) copyPostgres(ctx context.Context, items []LoadItem) error {
	conn, err := l.db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE load_items (id BIGINT, source_id BIGINT, guid TEXT, url TEXT, title TEXT,
		summary TEXT, excerpt TEXT, content TEXT, text TEXT, author TEXT, published_at TIMESTAMPTZ, fetched_at TIMESTAMPTZ,
		content_hash TEXT, cluster_id BIGINT, ftitle TEXT, ftext TEXT) ON COMMIT DROP`); err != nil {
		return err
	}
	cols := []string{"id", "source_id", "guid", "url", "title", "summary", "excerpt", "content", "text", "author",
		"published_at", "fetched_at", "content_hash", "cluster_id", "ftitle", "ftext"}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"load_items"}, cols, pgx.CopyFromSlice(len(items), func(i int) ([]any, error) {
		it := &items[i].Item
		f := FoldItem(it)
		return []any{it.ID, it.SourceID, it.GUID, it.URL, it.Title, it.Summary, it.Excerpt, it.Content, it.Text, it.Author,
			it.PublishedAt, it.FetchedAt, it.ContentHash, it.ClusterID, f.Title, f.Text}, nil
	}))
	if err != nil {
		return fmt.Errorf("copy items: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO items (id, source_id, guid, url, title, summary, excerpt, content, text, author,
		published_at, fetched_at, content_hash, cluster_id, search)
		SELECT id, source_id, guid, url, title, summary, excerpt, content, text, author, published_at, fetched_at, content_hash,
		cluster_id, setweight(to_tsvector('simple', ftitle), 'A') || setweight(to_tsvector('simple', ftext), 'B')
		FROM load_items ORDER BY id`); err != nil {
		return fmt.Errorf("load items: %w", err)
	}
	var rows [][]any
	for _, li := range items {
		for _, lk := range li.Links {
			rows = append(rows, []any{li.Item.ID, lk.TopicID, "rule", lk.State, lk.Terms, false, li.Item.PublishedAt, li.Item.FetchedAt, li.Item.FetchedAt})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"item_topics"}, []string{"item_id", "topic_id", "origin", "state", "terms", "pinned",
		"published_at", "created_at", "updated_at"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy links: %w", err)
	}
	return tx.Commit(ctx)
}

// Analyze refreshes PostgreSQL's planner statistics, as autovacuum would soon after a
// table grew by a million rows. On SQLite it does nothing: Docket never runs ANALYZE there,
// so queries must be planned well without statistics.
func (db *DB) Analyze(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	_, err := db.W.ExecContext(ctx, `ANALYZE`)
	return err
}

// Checkpoint copies SQLite's write-ahead log into the database file and empties it, so that
// the file alone holds the database (to copy or move it); on PostgreSQL it does nothing.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.Dialect != SQLite {
		return nil
	}
	_, err := db.W.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}
