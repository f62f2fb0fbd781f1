package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

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
// New items are inserted many rows to a statement, and their full-text rows likewise: on
// SQLite, FTS5 writes its pending index at the end of every statement, so one statement per
// row made it write (and later merge) a tiny index segment per item.
func (tx *Tx) SaveItems(ctx context.Context, sourceID int64, items []docket.Item) (SaveResult, error) {
	return tx.SaveFoldedItems(ctx, sourceID, items, nil)
}

// Folded is an item's title and text as docket.Fold gives them: what full-text search
// indexes, on both databases.
type Folded struct{ Title, Text string }

// FoldItem folds an item's title and text for the full-text index, each cut to its first
// words within maxIndexedTitle and maxIndexedText bytes.
func FoldItem(it *docket.Item) Folded {
	return Folded{Title: indexedWords(docket.Fold(it.Title), maxIndexedTitle), Text: indexedWords(docket.Fold(it.Text), maxIndexedText)}
}

// maxIndexedText and maxIndexedTitle bound the folded text full-text search indexes of an
// item. PostgreSQL refuses a tsvector over 1 MiB (1048575 bytes), and many distinct short
// words cost it about three times their folded size (a 256 KiB text of every one- to
// three-letter word and single CJK character makes a 788 kB tsvector); an item of 200,000
// distinct words failed to store. The cut is made here, in Go, so that both databases index
// the same words: what lies past it (in texts over 40,000 words or so) is not searchable.
const (
	maxIndexedText  = 256 << 10
	maxIndexedTitle = 4 << 10
)

// indexedWords is folded, words separated by single spaces, cut to the words that fit in
// max bytes.
func indexedWords(folded string, max int) string {
	if len(folded) <= max {
		return folded
	}
	if i := strings.LastIndexByte(folded[:max+1], ' '); i > 0 {
		return folded[:i]
	}
	for max > 0 && !utf8.RuneStart(folded[max]) { // one word longer than max
		max--
	}
	return folded[:max]
}

// SaveFoldedItems is SaveItems given folded[i], FoldItem(&items[i]), for the items the caller
// folded beforehand (a zero Folded, or a short slice, leaves the rest to fold here): folding
// reads every byte of an item's text, and ingest does it outside the transaction.
func (tx *Tx) SaveFoldedItems(ctx context.Context, sourceID int64, items []docket.Item, folded []Folded) (SaveResult, error) {
	var res SaveResult
	if len(items) == 0 {
		return res, nil
	}
	if err := tx.lockSource(ctx, sourceID); err != nil {
		return res, err
	}
	known, err := tx.knownItems(ctx, sourceID, items)
	if err != nil {
		return res, err
	}
	foldOf := func(i int) Folded {
		if i < len(folded) && folded[i] != (Folded{}) {
			return folded[i]
		}
		return FoldItem(&items[i])
	}
	var upd *sqlx.Stmt
	seen := make(map[string]bool, len(items))
	fresh := make([]entry, 0, len(items))
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
			fresh = append(fresh, entry{it, foldOf(i)})
		case k.hash != it.ContentHash:
			it.ID = k.id
			if it.Excerpt == "" {
				it.Excerpt = docket.Excerpt(it.Text, it.Title, 400)
			}
			if it.DateUnknown {
				it.PublishedAt = k.published
			}
			if upd == nil {
				// An item whose feed gives no date keeps the date it was first seen.
				if upd, err = tx.PreparexContext(ctx, tx.Rebind(`UPDATE items SET url = ?, title = ?, summary = ?, excerpt = ?, content = ?, text = ?,
					author = ?, published_at = CASE WHEN ? THEN published_at ELSE ? END, fetched_at = ?, content_hash = ?`+tx.searchSet()+` WHERE id = ?`)); err != nil {
					return res, err
				}
				defer upd.Close()
			}
			e := entry{it, foldOf(i)}
			args := []any{it.URL, it.Title, it.Summary, it.Excerpt, it.Content, it.Text, it.Author, it.DateUnknown, it.PublishedAt, it.FetchedAt, it.ContentHash}
			args = append(args, tx.searchArgs(e.folded)...)
			if _, err := upd.ExecContext(ctx, append(args, it.ID)...); err != nil {
				return res, fmt.Errorf("update item %d: %w", it.ID, err)
			}
			if err := tx.indexItems(ctx, []entry{e}, true); err != nil {
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
	if err := tx.insertItems(ctx, sourceID, fresh); err != nil {
		return res, err
	}
	for _, e := range fresh {
		res.New = append(res.New, e.it.ID)
	}
	return res, nil
}

// entry is an item being written, with its folded text.
type entry struct {
	it     *docket.Item
	folded Folded
}

// insertChunk is how many rows one INSERT writes: well under both databases' limits on
// parameters (32766 on SQLite, 65535 on PostgreSQL).
const insertChunk = 100

// insertItems inserts new items of one source, many to a statement, sets their IDs and
// indexes them for full-text search.
func (tx *Tx) insertItems(ctx context.Context, sourceID int64, items []entry) error {
	for start := 0; start < len(items); start += insertChunk {
		chunk := items[start:min(start+insertChunk, len(items))]
		row := `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?` + tx.searchVal() + `)`
		q := `INSERT INTO items (source_id, guid, url, title, summary, excerpt, content, text, author, published_at, fetched_at,
			content_hash, cluster_id` + tx.searchCol() + `) VALUES ` + row + strings.Repeat(", "+row, len(chunk)-1) + ` RETURNING id, guid`
		args := make([]any, 0, len(chunk)*15)
		byGUID := make(map[string]*docket.Item, len(chunk))
		for _, e := range chunk {
			it := e.it
			args = append(args, sourceID, it.GUID, it.URL, it.Title, it.Summary, it.Excerpt, it.Content, it.Text, it.Author,
				it.PublishedAt, it.FetchedAt, it.ContentHash, it.ClusterID)
			args = append(args, tx.searchArgs(e.folded)...)
			byGUID[it.GUID] = it
		}
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("insert %d items: %w", len(chunk), err)
		}
		// RETURNING promises no order: the guid, unique within the source, says which row
		// got which id.
		for rows.Next() {
			var id int64
			var guid string
			if err := rows.Scan(&id, &guid); err != nil {
				rows.Close()
				return err
			}
			if it := byGUID[guid]; it != nil {
				it.ID = id
			}
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("insert %d items: %w", len(chunk), err)
		}
		for _, e := range chunk {
			if e.it.ID == 0 {
				return fmt.Errorf("insert item %q: no id returned", e.it.GUID)
			}
		}
		if err := tx.indexItems(ctx, chunk, false); err != nil {
			return err
		}
	}
	return nil
}

// ItemHashes returns the content hashes of those of guids that a source's stored items
// have, by guid. Ingest reads it outside any transaction, to prepare only the items it will
// write; SaveItems decides for itself what to write.
func (db *DB) ItemHashes(ctx context.Context, sourceID int64, guids []string) (map[string]string, error) {
	out := make(map[string]string, len(guids))
	const chunk = 400
	for start := 0; start < len(guids); start += chunk {
		part := guids[start:min(start+chunk, len(guids))]
		args := make([]any, 0, len(part)+1)
		args = append(args, sourceID)
		for _, g := range part {
			args = append(args, g)
		}
		var rows []struct {
			GUID string `db:"guid"`
			Hash string `db:"content_hash"`
		}
		if err := db.sel(ctx, &rows, `SELECT guid, content_hash FROM items WHERE source_id = ? AND guid IN (?`+
			strings.Repeat(", ?", len(part)-1)+`)`, args...); err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.GUID] = r.Hash
		}
	}
	return out, nil
}

// lockSource makes a PostgreSQL transaction that stores a source's items wait for any other
// doing so: under READ COMMITTED both would read the same guids as unknown and both insert
// them, and the second fail on items_source_id_guid_key (docket ingest may run beside docket
// serve on one database; River keeps only its own fetches of a source apart). Locking the
// source's row before the known items are read makes the second read what the first stored.
// SQLite needs nothing: its write transactions already run one at a time.
func (tx *Tx) lockSource(ctx context.Context, sourceID int64) error {
	if tx.dialect != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, `SELECT id FROM sources WHERE id = ? FOR UPDATE`, sourceID); err != nil {
		return fmt.Errorf("lock source %d: %w", sourceID, err)
	}
	return nil
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

func (tx *Tx) searchArgs(f Folded) []any {
	if tx.dialect == Postgres {
		return []any{f.Title, f.Text}
	}
	return nil
}

// indexItems writes the SQLite FTS5 rows of items, one statement for all of them;
// PostgreSQL's tsvector was written with the row.
func (tx *Tx) indexItems(ctx context.Context, items []entry, replace bool) error {
	if tx.dialect == Postgres || len(items) == 0 {
		return nil
	}
	if replace {
		for _, e := range items {
			if _, err := tx.exec(ctx, `DELETE FROM items_fts WHERE rowid = ?`, e.it.ID); err != nil {
				return fmt.Errorf("unindex item %d: %w", e.it.ID, err)
			}
		}
	}
	args := make([]any, 0, 3*len(items))
	for _, e := range items {
		args = append(args, e.it.ID, e.folded.Title, e.folded.Text)
	}
	if _, err := tx.exec(ctx, `INSERT INTO items_fts (rowid, title, body) VALUES (?, ?, ?)`+strings.Repeat(", (?, ?, ?)", len(items)-1), args...); err != nil {
		return fmt.Errorf("index %d items: %w", len(items), err)
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

// NewItemLinks are the topics a new item matches.
type NewItemLinks struct {
	ItemID      int64
	PublishedAt time.Time
	Matches     []TopicMatch
}

// LinkNewItems records, inside tx, the topics that items inserted by this same transaction
// match, as suggested rule links, many rows to a statement: what LinkRuleMatches does for an
// item that has no links yet, without looking for links to remove. Rows go in topic order,
// so that transactions linking items to the same topics meet those rows in the same order.
func (tx *Tx) LinkNewItems(ctx context.Context, items []NewItemLinks) error {
	type link struct {
		item, topic int64
		terms       string
		published   time.Time
	}
	var links []link
	for _, it := range items {
		at := docket.StoreTime(it.PublishedAt)
		for i, m := range it.Matches {
			dup := false
			for _, later := range it.Matches[i+1:] {
				dup = dup || later.TopicID == m.TopicID
			}
			if !dup { // a topic matched twice keeps its last terms, as two upserts would
				links = append(links, link{it.ItemID, m.TopicID, strings.Join(m.Terms, ", "), at})
			}
		}
	}
	slices.SortFunc(links, func(a, b link) int {
		if c := cmp.Compare(a.topic, b.topic); c != 0 {
			return c
		}
		if c := a.published.Compare(b.published); c != 0 {
			return c
		}
		return cmp.Compare(a.item, b.item)
	})
	const row = `(?, ?, 'rule', 'suggested', ?, ?, ?, ?, ?)`
	for start := 0; start < len(links); start += insertChunk {
		chunk := links[start:min(start+insertChunk, len(links))]
		args := make([]any, 0, 7*len(chunk))
		for _, l := range chunk {
			args = append(args, l.item, l.topic, l.terms, false, l.published, tx.now, tx.now)
		}
		if _, err := tx.exec(ctx, `INSERT INTO item_topics (item_id, topic_id, origin, state, terms, pinned, published_at, created_at, updated_at)
			VALUES `+row+strings.Repeat(", "+row, len(chunk)-1), args...); err != nil {
			return fmt.Errorf("link %d items to topics: %w", len(items), err)
		}
	}
	return nil
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
// published between from and to, newest first (ties: the higher item id, then the lower topic
// id). It reads only the timeline index, in one query for up to candidateArms topics: a
// UNION ALL of each topic's links in the window, which SQLite merges as it reads them from
// the index, newest first, stopping at the limit, and PostgreSQL answers in one round trip.
// (Reading topic by topic read each one's links newer than the oldest kept so far, three
// times as many; one query with topic_id IN (…) read every link of a busy topic in the
// window and sorted them all.) The caller loads the text of those it has not seen
// (ItemTexts). Only items on a topic are clustered: clusters exist to show a timeline's
// story once.
func (tx *Tx) ClusterCandidates(ctx context.Context, topicIDs []int64, from, to time.Time, limit int) ([]ClusterCandidate, error) {
	if len(topicIDs) == 0 || limit <= 0 {
		return nil, nil
	}
	var top, run, merged []candidate
	low, high := docket.StoreTime(from), docket.StoreTime(to)
	for start := 0; start < len(topicIDs); start += candidateArms {
		ids := topicIDs[start:min(start+candidateArms, len(topicIDs))]
		q, args := tx.candidatesQuery(ids, low, high, limit)
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		run = run[:0]
		for rows.Next() {
			var c candidate
			var at storedTime
			if err := rows.Scan(&c.ItemID, &c.TopicID, &at); err != nil {
				rows.Close()
				return nil, err
			}
			c.PublishedAt, c.at = at.t, at.t.UnixMicro()
			run = append(run, c)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		// The database sorted them already; sorting again (one pass over sorted links)
		// keeps the merge exact whatever order it gave.
		slices.SortFunc(run, compareCandidates)
		merged = mergeCandidates(merged[:0], top, run, limit)
		top, merged = merged, top
		if len(top) == limit {
			low = top[limit-1].PublishedAt // only links at least as new can be kept
		}
	}
	out := make([]ClusterCandidate, len(top))
	for i, c := range top {
		out[i] = c.ClusterCandidate
	}
	return out, nil
}

// candidateArms is how many topics one ClusterCandidates query reads, well under SQLite's
// 500 terms of a compound SELECT (a variable for the tests).
var candidateArms = 100

// candidatesQuery is the query for the newest limit links of topics in [low, high] and its
// arguments. On SQLite, each topic's SELECT is read from the timeline index in the order the
// ORDER BY wants, so SQLite merges them as they come (no sorting, and no row read past the
// limit but one a topic); a first SELECT of no rows, with an expression for published_at,
// gives the result's columns no declared type, so that the driver hands the dates over as
// text for storedTime to read, instead of parsing each with time.Parse (which cost most of
// reading a row). On PostgreSQL, each topic's SELECT has its own ORDER BY and LIMIT, so that
// it reads at most limit links whatever plan it chooses.
func (tx *Tx) candidatesQuery(topicIDs []int64, low, high time.Time, limit int) (string, []any) {
	var q strings.Builder
	args := make([]any, 0, 4*len(topicIDs)+1)
	if tx.dialect == SQLite {
		q.WriteString(`SELECT 0, 0, '' WHERE 0`)
		for _, id := range topicIDs {
			q.WriteString(` UNION ALL SELECT item_id, topic_id, published_at FROM item_topics
				WHERE topic_id = ? AND published_at >= ? AND published_at <= ?`)
			args = append(args, id, low, high)
		}
		q.WriteString(` ORDER BY 3 DESC, 1 DESC, 2 LIMIT ?`)
		return q.String(), append(args, limit)
	}
	q.WriteString(`SELECT item_id, topic_id, published_at FROM (`)
	for i, id := range topicIDs {
		if i > 0 {
			q.WriteString(` UNION ALL `)
		}
		q.WriteString(`(SELECT item_id, topic_id, published_at FROM item_topics
			WHERE topic_id = ? AND published_at >= ? AND published_at <= ?
			ORDER BY published_at DESC, item_id DESC LIMIT ?)`)
		args = append(args, id, low, high, limit)
	}
	q.WriteString(`) AS c ORDER BY published_at DESC, item_id DESC, topic_id LIMIT ?`)
	return q.String(), append(args, limit)
}

// candidate is a ClusterCandidate with its date in microseconds, to compare without
// time.Time's Compare.
type candidate struct {
	ClusterCandidate
	at int64
}

// compareCandidates orders the newest first; ties go to the higher item id, then the lower
// topic id.
func compareCandidates(a, b candidate) int {
	if c := cmp.Compare(b.at, a.at); c != 0 {
		return c
	}
	if c := cmp.Compare(b.ItemID, a.ItemID); c != 0 {
		return c
	}
	return cmp.Compare(a.TopicID, b.TopicID)
}

// mergeCandidates appends to out the first limit of a and b, two sorted lists, merged.
func mergeCandidates(out, a, b []candidate, limit int) []candidate {
	for len(out) < limit && (len(a) > 0 || len(b) > 0) {
		if len(b) == 0 || (len(a) > 0 && compareCandidates(a[0], b[0]) <= 0) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// storedTime scans a time column that the driver may give as text: the SQLite driver parses
// the text of a column declared DATETIME itself, trying two layouts with time.Parse, where
// parseSQLiteTime reads the digits; a query that reads many dates can select them without a
// declared type and scan them into a storedTime (see candidatesQuery).
type storedTime struct{ t time.Time }

func (st *storedTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		st.t = v
		return nil
	case string:
		t, err := parseSQLiteTime(v)
		st.t = t
		return err
	case []byte:
		t, err := parseSQLiteTime(string(v))
		st.t = t
		return err
	}
	return fmt.Errorf("scan %T as a time", v)
}

// parseSQLiteTime reads a time as the SQLite driver writes it (_time_format=sqlite), in UTC:
// "2006-01-02 15:04:05.999999999+00:00", read digit by digit when it is in UTC, as
// docket.StoreTime makes every stored time. Other text goes through the driver's own layouts.
func parseSQLiteTime(s string) (time.Time, error) {
	if t, ok := parseUTCText(s); ok {
		return t, nil
	}
	ts, _ := strings.CutSuffix(s, "Z")
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, ts); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("parse %q as a time", s)
}

// parseUTCText parses "2006-01-02 15:04:05+00:00", with up to nine digits of a second's
// fraction before the zone.
func parseUTCText(s string) (time.Time, bool) {
	rest, ok := strings.CutSuffix(s, "+00:00")
	if !ok || len(rest) < 19 || rest[4] != '-' || rest[7] != '-' || rest[10] != ' ' || rest[13] != ':' || rest[16] != ':' {
		return time.Time{}, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, true
	}
	year, ok1 := num(rest[0:4])
	month, ok2 := num(rest[5:7])
	day, ok3 := num(rest[8:10])
	hour, ok4 := num(rest[11:13])
	minute, ok5 := num(rest[14:16])
	sec, ok6 := num(rest[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := rest[19:]; frac != "" {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		n, ok := num(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			n *= 10
		}
		nsec = n
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // 31 April: time.Parse refuses it, Date would roll it over
		return time.Time{}, false
	}
	return t, true
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
