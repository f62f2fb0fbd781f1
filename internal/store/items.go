package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// SaveResult says what storing a feed's items changed.
type SaveResult struct {
	New     []int64 // ids of items stored for the first time
	Updated []int64 // ids of items whose content changed and were updated in place
	Same    int     // items seen before, unchanged: nothing written
}

// Changed reports whether anything was written.
func (r SaveResult) Changed() bool { return len(r.New)+len(r.Updated) > 0 }

// SaveItems upserts a source's items inside tx by (source, guid): a new item is inserted, an
// item whose content hash changed is updated in place (same id), an unchanged one writes
// nothing. The items' IDs are set. Items repeating a guid within the batch keep the first.
func (tx *Tx) SaveItems(ctx context.Context, sourceID int64, items []docket.Item) (SaveResult, error) {
	var res SaveResult
	if len(items) == 0 {
		return res, nil
	}
	known, err := tx.knownItems(ctx, sourceID, items)
	if err != nil {
		return res, err
	}
	ins, err := tx.PreparexContext(ctx, tx.Rebind(`INSERT INTO items
		(source_id, guid, url, title, summary, excerpt, content, text, author, published_at, fetched_at, content_hash, cluster_id`+
		tx.searchCol()+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`+tx.searchVal()+`) RETURNING id`))
	if err != nil {
		return res, err
	}
	defer ins.Close()
	// An item whose feed gives no date keeps the date it was first seen.
	upd, err := tx.PreparexContext(ctx, tx.Rebind(`UPDATE items SET url = ?, title = ?, summary = ?, excerpt = ?, content = ?, text = ?,
		author = ?, published_at = CASE WHEN ? THEN published_at ELSE ? END, fetched_at = ?, content_hash = ?`+tx.searchSet()+` WHERE id = ?`))
	if err != nil {
		return res, err
	}
	defer upd.Close()

	seen := make(map[string]bool, len(items))
	for i := range items {
		it := &items[i]
		if seen[it.GUID] {
			continue
		}
		seen[it.GUID] = true
		it.SourceID = sourceID
		it.PublishedAt = docket.StoreTime(it.PublishedAt)
		it.FetchedAt = tx.now
		k, ok := known[it.GUID]
		switch {
		case !ok:
			if it.Excerpt == "" {
				it.Excerpt = docket.Excerpt(it.Text, it.Title, 400)
			}
			args := []any{sourceID, it.GUID, it.URL, it.Title, it.Summary, it.Excerpt, it.Content, it.Text, it.Author,
				it.PublishedAt, it.FetchedAt, it.ContentHash, it.ClusterID}
			args = append(args, tx.searchArgs(it)...)
			if err := ins.QueryRowxContext(ctx, args...).Scan(&it.ID); err != nil {
				return res, fmt.Errorf("insert item %q: %w", it.GUID, err)
			}
			if err := tx.indexItem(ctx, it, false); err != nil {
				return res, err
			}
			res.New = append(res.New, it.ID)
		case k.hash != it.ContentHash:
			it.ID = k.id
			if it.Excerpt == "" {
				it.Excerpt = docket.Excerpt(it.Text, it.Title, 400)
			}
			if it.DateUnknown {
				it.PublishedAt = k.published
			}
			args := []any{it.URL, it.Title, it.Summary, it.Excerpt, it.Content, it.Text, it.Author, it.DateUnknown, it.PublishedAt, it.FetchedAt, it.ContentHash}
			args = append(args, tx.searchArgs(it)...)
			if _, err := upd.ExecContext(ctx, append(args, it.ID)...); err != nil {
				return res, fmt.Errorf("update item %d: %w", it.ID, err)
			}
			if err := tx.indexItem(ctx, it, true); err != nil {
				return res, err
			}
			if _, err := tx.exec(ctx, `UPDATE item_topics SET published_at = ? WHERE item_id = ?`, it.PublishedAt, it.ID); err != nil {
				return res, err
			}
			res.Updated = append(res.Updated, it.ID)
		default:
			it.ID = k.id
			res.Same++
		}
	}
	return res, nil
}

type knownItem struct {
	id        int64
	hash      string
	published time.Time
}

// knownItems looks up the stored id and hash of the batch's guids, a chunk at a time.
func (tx *Tx) knownItems(ctx context.Context, sourceID int64, items []docket.Item) (map[string]knownItem, error) {
	known := make(map[string]knownItem, len(items))
	const chunk = 400
	for start := 0; start < len(items); start += chunk {
		end := min(start+chunk, len(items))
		guids := make([]any, 0, end-start+1)
		guids = append(guids, sourceID)
		for _, it := range items[start:end] {
			guids = append(guids, it.GUID)
		}
		q := `SELECT id, guid, content_hash, published_at FROM items WHERE source_id = ? AND guid IN (?` + strings.Repeat(", ?", end-start-1) + `)`
		rows, err := tx.QueryxContext(ctx, tx.Rebind(q), guids...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k knownItem
			var guid string
			if err := rows.Scan(&k.id, &guid, &k.hash, &k.published); err != nil {
				rows.Close()
				return nil, err
			}
			known[guid] = k
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return known, nil
}

// Full-text indexing, the dialects side by side. Both index docket.Fold of the title and the
// text, so a word matches the same items on both.

func (tx *Tx) searchCol() string {
	if tx.dialect == Postgres {
		return `, search`
	}
	return ``
}

func (tx *Tx) searchVal() string {
	if tx.dialect == Postgres {
		return `, setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B')`
	}
	return ``
}

func (tx *Tx) searchSet() string {
	if tx.dialect == Postgres {
		return `, search = setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B')`
	}
	return ``
}

func (tx *Tx) searchArgs(it *docket.Item) []any {
	if tx.dialect == Postgres {
		return []any{docket.Fold(it.Title), docket.Fold(it.Text)}
	}
	return nil
}

// indexItem writes the SQLite FTS5 row; PostgreSQL's tsvector was written with the row.
func (tx *Tx) indexItem(ctx context.Context, it *docket.Item, replace bool) error {
	if tx.dialect == Postgres {
		return nil
	}
	if replace {
		if _, err := tx.exec(ctx, `DELETE FROM items_fts WHERE rowid = ?`, it.ID); err != nil {
			return fmt.Errorf("unindex item %d: %w", it.ID, err)
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO items_fts (rowid, title, body) VALUES (?, ?, ?)`,
		it.ID, docket.Fold(it.Title), docket.Fold(it.Text)); err != nil {
		return fmt.Errorf("index item %d: %w", it.ID, err)
	}
	return nil
}

// ItemByID finds an item.
func (db *DB) ItemByID(ctx context.Context, id int64) (*docket.Item, error) {
	var it docket.Item
	err := db.get(ctx, &it, `SELECT id, source_id, guid, url, title, summary, excerpt, content, text, author, published_at,
		fetched_at, content_hash, cluster_id FROM items WHERE id = ?`, id)
	if err != nil {
		return nil, notFound(err, "item %d not found", id)
	}
	return &it, nil
}

// ItemsByIDs loads items for matching, in id order.
func (tx *Tx) ItemsByIDs(ctx context.Context, ids []int64) ([]docket.Item, error) {
	var out []docket.Item
	const chunk = 400
	for start := 0; start < len(ids); start += chunk {
		end := min(start+chunk, len(ids))
		args := make([]any, 0, end-start)
		for _, id := range ids[start:end] {
			args = append(args, id)
		}
		var part []docket.Item
		err := tx.sel(ctx, &part, `SELECT id, source_id, guid, url, title, summary, excerpt, content, text, author, published_at,
			fetched_at, content_hash, cluster_id FROM items WHERE id IN (?`+strings.Repeat(", ?", len(args)-1)+`) ORDER BY id`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	return out, nil
}

// TopicMatch says that an item matches a topic's rule, with the terms found.
type TopicMatch struct {
	TopicID int64
	Terms   []string
}

// LinkRuleMatches records, inside tx, the topics whose rules an item matches now. New links
// start as suggested; a link a person confirmed, rejected or added by hand is left as it is;
// a rule link still only suggested whose rule no longer matches is removed.
func (tx *Tx) LinkRuleMatches(ctx context.Context, itemID int64, published time.Time, matches []TopicMatch) error {
	keep := make([]any, 0, len(matches)+1)
	keep = append(keep, itemID)
	for _, m := range matches {
		terms := strings.Join(m.Terms, ", ")
		_, err := tx.exec(ctx, `INSERT INTO item_topics (item_id, topic_id, origin, state, terms, pinned, published_at, created_at, updated_at)
			VALUES (?, ?, 'rule', 'suggested', ?, ?, ?, ?, ?)
			ON CONFLICT (item_id, topic_id) DO UPDATE SET terms = excluded.terms, published_at = excluded.published_at
			WHERE item_topics.terms <> excluded.terms OR item_topics.published_at <> excluded.published_at`,
			itemID, m.TopicID, terms, false, docket.StoreTime(published), tx.now, tx.now)
		if err != nil {
			return fmt.Errorf("link item %d to topic %d: %w", itemID, m.TopicID, err)
		}
		keep = append(keep, m.TopicID)
	}
	q := `DELETE FROM item_topics WHERE item_id = ? AND origin = 'rule' AND state = 'suggested'`
	if len(keep) > 1 {
		q += ` AND topic_id NOT IN (?` + strings.Repeat(", ?", len(keep)-2) + `)`
	}
	_, err := tx.exec(ctx, q, keep...)
	return err
}

// ItemTopicState returns the link of an item to a topic.
func (db *DB) ItemTopic(ctx context.Context, itemID, topicID int64) (*docket.ItemTopic, error) {
	var it docket.ItemTopic
	err := db.get(ctx, &it, `SELECT item_id, topic_id, origin, state, terms, pinned, published_at, created_at, updated_at
		FROM item_topics WHERE item_id = ? AND topic_id = ?`, itemID, topicID)
	if err != nil {
		return nil, notFound(err, "item %d is not on topic %d", itemID, topicID)
	}
	return &it, nil
}

// SetCluster puts an item in a story cluster, named by the id of its first item.
func (tx *Tx) SetCluster(ctx context.Context, itemID, clusterID int64) error {
	_, err := tx.exec(ctx, `UPDATE items SET cluster_id = ? WHERE id = ?`, clusterID, itemID)
	return err
}

// ClusterCandidate is a recent item on a topic that a new item may be the same story as.
type ClusterCandidate struct {
	ItemID      int64     `db:"item_id"`
	TopicID     int64     `db:"topic_id"`
	PublishedAt time.Time `db:"published_at"`
}

// ClusterCandidates returns, inside tx, the newest items (at most limit) of the given topics
// published between from and to. It reads only the timeline index; the caller loads the text
// of those it has not seen (ItemTexts). Only items on a topic are clustered: clusters exist
// to show a timeline's story once.
func (tx *Tx) ClusterCandidates(ctx context.Context, topicIDs []int64, from, to time.Time, limit int) ([]ClusterCandidate, error) {
	if len(topicIDs) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(topicIDs)+3)
	for _, id := range topicIDs {
		args = append(args, id)
	}
	args = append(args, docket.StoreTime(from), docket.StoreTime(to), limit)
	var out []ClusterCandidate
	err := tx.sel(ctx, &out, `SELECT item_id, topic_id, published_at FROM item_topics
		WHERE topic_id IN (?`+strings.Repeat(", ?", len(topicIDs)-1)+`) AND published_at >= ? AND published_at <= ?
		ORDER BY published_at DESC LIMIT ?`, args...)
	return out, err
}

// ItemText is what story clustering reads of an item.
type ItemText struct {
	ID        int64  `db:"id"`
	SourceID  int64  `db:"source_id"`
	Title     string `db:"title"`
	Excerpt   string `db:"excerpt"`
	ClusterID *int64 `db:"cluster_id"`
}

// ItemTexts loads the titles, excerpts and clusters of items inside tx.
func (tx *Tx) ItemTexts(ctx context.Context, ids []int64) ([]ItemText, error) {
	var out []ItemText
	const chunk = 400
	for start := 0; start < len(ids); start += chunk {
		end := min(start+chunk, len(ids))
		args := make([]any, 0, end-start)
		for _, id := range ids[start:end] {
			args = append(args, id)
		}
		var part []ItemText
		if err := tx.sel(ctx, &part, `SELECT id, source_id, title, excerpt, cluster_id FROM items WHERE id IN (?`+
			strings.Repeat(", ?", len(args)-1)+`)`, args...); err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	return out, nil
}

// ClusterOf returns an item's cluster, nil when it has none.
func (tx *Tx) ClusterOf(ctx context.Context, itemID int64) (*int64, error) {
	var c []sql.NullInt64
	err := tx.sel(ctx, &c, `SELECT cluster_id FROM items WHERE id = ?`, itemID)
	if err != nil || len(c) == 0 || !c[0].Valid {
		return nil, err
	}
	return &c[0].Int64, nil
}
