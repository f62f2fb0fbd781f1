package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// Cursor is a keyset position in a timeline: the (published_at, item id) of the last entry
// shown. Pages never use OFFSET, so a page deep in a long timeline costs what the first does.
type Cursor struct {
	PublishedAt time.Time
	ID          int64
}

// IsZero reports whether the cursor is unset (the first page).
func (c Cursor) IsZero() bool { return c.ID == 0 }

// String encodes the cursor as an opaque token for URLs.
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	raw := strconv.FormatInt(c.PublishedAt.UnixMicro(), 10) + "." + strconv.FormatInt(c.ID, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor decodes a token made by Cursor.String; "" is the first page.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	bad := docket.FieldError("before", "before %q is not a timeline position: use the next value of a previous page", s)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, bad
	}
	ts, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return Cursor{}, bad
	}
	us, err1 := strconv.ParseInt(ts, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	// Times outside these years would not sort as SQLite's text (a five-digit year sorts
	// before "2016"), and no timeline holds them.
	lo, hi := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro(), time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	if err1 != nil || err2 != nil || n <= 0 || us < lo || us >= hi {
		return Cursor{}, bad
	}
	return Cursor{PublishedAt: time.UnixMicro(us).UTC(), ID: n}, nil
}

// TimelineFilter selects a topic's entries.
type TimelineFilter struct {
	TopicID int64
	// Public shows what the public timeline shows: every link not rejected (confirmed, and
	// matched by the rule and not rejected). The office sees rejected ones too when States
	// asks for them.
	Public bool
	States []string // suggested, confirmed, rejected; empty = all but rejected
	Kinds  []string // source kinds; empty = all
	From   time.Time
	To     time.Time // exclusive
	// Query is a full-text search (ParseSearch): only items matching it, each with its
	// highlighted title and snippet.
	Query  string
	Before Cursor
	Limit  int
}

// TimelineEntry is one item on a topic's timeline with its source and its link to the topic.
type TimelineEntry struct {
	ItemID      int64     `db:"item_id" json:"id"`
	URL         string    `db:"url" json:"url"`
	Title       string    `db:"title" json:"title"`
	Excerpt     string    `db:"excerpt" json:"excerpt"`
	Author      string    `db:"author" json:"author,omitempty"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
	ClusterID   *int64    `db:"cluster_id" json:"cluster_id,omitempty"`
	SourceID    int64     `db:"source_id" json:"source_id"`
	SourceTitle string    `db:"source_title" json:"source"`
	SourceKind  string    `db:"source_kind" json:"source_kind"`
	State       string    `db:"state" json:"state"`
	Origin      string    `db:"origin" json:"origin"`
	Terms       string    `db:"terms" json:"terms,omitempty"`
	Pinned      bool      `db:"pinned" json:"pinned"`
	// A search fills these: the title with the matches marked, and the passage of the text
	// that holds the most of them.
	TitleHighlight []Segment `db:"-" json:"title_highlight,omitempty"`
	Snippet        []Segment `db:"-" json:"snippet,omitempty"`
	// Also holds, on the entry that stands for a story cluster (its newest member the filters
	// show), the cluster's other members the filters show, newest first.
	Also []TimelineEntry `db:"-" json:"also,omitempty"`
}

// TimelinePage is one page of a timeline, newest first; Next is the cursor of the following
// page, zero at the end.
type TimelinePage struct {
	Entries []TimelineEntry
	Next    Cursor
}

// MaxTimelineLimit caps a page.
const MaxTimelineLimit = 200

// SnippetWidth is how many bytes of text a search snippet shows.
const SnippetWidth = 240

// selectiveSearch is how many full-text matches, across every topic, a search may have for
// SQLite to start from them (look each up on the topic and sort them) rather than walk the
// topic's timeline. Counting up to it costs a millisecond or two for words, about three for a
// phrase of two common words, whose positions FTS5 must compare: a tenth of the walk.
var selectiveSearch = 500

const timelineCols = `it.item_id, i.url, i.title, i.excerpt, i.author, it.published_at, i.cluster_id,
	i.source_id, CASE WHEN s.title = '' THEN s.url ELSE s.title END AS source_title, s.kind AS source_kind,
	it.state, it.origin, it.terms, it.pinned`

const timelineSelect = `SELECT ` + timelineCols + `
	FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id`

// Story clusters. Copies of one story from several sources share items.cluster_id; a timeline
// shows each cluster once, as its newest member that the filters show (its head), with the
// other members it shows under it. A row is a head when no member of its cluster on the topic
// that the same filters show sorts after it, which the query asks of each row it walks
// through items_cluster and the links' primary key: a few index lookups for a clustered row,
// none for the others. Whether a row is a head does not depend on the page, so keyset pages
// show each cluster exactly once, and a page holds Limit heads.

// Timeline returns a page of a topic's entries, newest first, each story cluster once (see
// above). A search that finds nothing is an empty page, and a query of only punctuation
// searches for nothing, so shows everything.
func (db *DB) Timeline(ctx context.Context, f TimelineFilter) (*TimelinePage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, MaxTimelineLimit)
	search, err := ParseSearch(f.Query)
	if err != nil {
		return nil, err
	}
	fail := func(err error) error {
		if !search.IsZero() {
			return searchErr(err, search.String())
		}
		return fmt.Errorf("timeline: %w", err)
	}
	mode := walk
	// PostgreSQL's GIN index answers a word or a prefix alone, but must read every candidate
	// row's tsvector to check a phrase, so counting a phrase of common words costs more than
	// walking the timeline for it: a phrase is never counted there.
	if !search.IsZero() && (db.Dialect == SQLite || !search.hasPhrase()) {
		count, arg := `SELECT count(*) FROM (SELECT 1 FROM items_fts WHERE items_fts MATCH ? LIMIT ?) x`, any(search.ftsMatch())
		if db.Dialect == Postgres {
			count, arg = `SELECT count(*) FROM (SELECT 1 FROM items WHERE search @@ to_tsquery('simple', ?) LIMIT ?) x`, search.tsQuery()
		}
		var n int
		if err := db.get(ctx, &n, count, arg, selectiveSearch); err != nil {
			return nil, fail(err)
		}
		if n == 0 {
			return &TimelinePage{}, nil
		}
		if n < selectiveSearch {
			mode = fromMatches
		}
	}
	page := &TimelinePage{}
	switch {
	case mode == fromMatches:
		q, args := timelineQuery(db.Dialect, f, search, mode)
		page.Entries, err = db.entries(ctx, q, args...)
	case !search.IsZero() && db.Dialect == SQLite:
		page.Entries, err = db.walkSearch(ctx, f, search)
	default:
		q, args := timelineQuery(db.Dialect, f, search, walk)
		page.Entries, err = db.entries(ctx, q, args...)
	}
	if err != nil {
		return nil, fail(err)
	}
	if len(page.Entries) > f.Limit {
		page.Entries = page.Entries[:f.Limit]
		last := page.Entries[f.Limit-1]
		page.Next = Cursor{PublishedAt: last.PublishedAt, ID: last.ItemID}
	}
	if err := db.clusterMembers(ctx, f, search, page.Entries); err != nil {
		return nil, fail(err)
	}
	if !search.IsZero() {
		if err := db.highlight(ctx, search, page.Entries); err != nil {
			return nil, fail(err)
		}
	}
	return page, nil
}

// clusterMembers fills Also of the heads among es with the other members of their clusters
// that f shows, in one query (and, for a search on SQLite, one more: see below).
func (db *DB) clusterMembers(ctx context.Context, f TimelineFilter, search SearchQuery, es []TimelineEntry) error {
	var clusters, heads []int64
	byCluster := map[int64]int{}
	for i, e := range es {
		if e.ClusterID != nil {
			byCluster[*e.ClusterID] = i
			clusters = append(clusters, *e.ClusterID)
			heads = append(heads, e.ItemID)
		}
	}
	if len(clusters) == 0 {
		return nil
	}
	w := filterConds(db.Dialect, f, search, "it", "i", "s", false)
	if db.Dialect == SQLite {
		// The set of every match would cost as much as the page for a common word; the
		// members found are checked against the index below instead (ftsHits).
		w = filterConds(db.Dialect, f, SearchQuery{}, "it", "i", "s", false)
	}
	inClusters, clusterArgs := idList(db.Dialect, clusters)
	notHeads, headArgs := idList(db.Dialect, heads)
	q := `SELECT ` + timelineCols + ` FROM items i CROSS JOIN item_topics it CROSS JOIN sources s
		WHERE i.cluster_id IN ` + inClusters + ` AND i.id NOT IN ` + notHeads + `
		AND it.item_id = i.id AND it.topic_id = ? AND s.id = i.source_id`
	args := append(append(clusterArgs, headArgs...), f.TopicID)
	if len(w.conds) > 0 {
		q += ` AND ` + strings.Join(w.conds, " AND ")
		args = append(args, w.args...)
	}
	q += ` ORDER BY it.published_at DESC, it.item_id DESC`
	found, err := db.entries(ctx, q, args...)
	if err != nil {
		return err
	}
	members := found
	if len(members) > 0 && !search.IsZero() && db.Dialect == SQLite {
		ids := make([]int64, len(members))
		for i, m := range members {
			ids[i] = m.ItemID
		}
		hit, err := db.ftsHits(ctx, search, ids)
		if err != nil {
			return err
		}
		kept := members[:0]
		for _, m := range members {
			if hit[m.ItemID] {
				kept = append(kept, m)
			}
		}
		members = kept
	}
	for _, m := range members {
		if i, ok := byCluster[*m.ClusterID]; ok {
			es[i].Also = append(es[i].Also, m)
		}
	}
	return nil
}

// query runs a reader query through the statement cache (readStmt), for a caller that scans
// the rows by hand.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := db.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.R.QueryContext(ctx, db.R.Rebind(q), args...)
}

// idList is a list of ids for IN: on SQLite one JSON parameter, so that the query's text is
// the same for every list and its prepared statement is kept (readStmt).
func idList(d Dialect, ids []int64) (string, []any) {
	if d == SQLite {
		parts := make([]string, len(ids))
		for k, id := range ids {
			parts[k] = strconv.FormatInt(id, 10)
		}
		return `(SELECT value FROM json_each(?))`, []any{"[" + strings.Join(parts, ",") + "]"}
	}
	args := make([]any, len(ids))
	for k, id := range ids {
		args[k] = id
	}
	return `(?` + strings.Repeat(", ?", len(ids)-1) + `)`, args
}

// entries runs a query of timelineCols and scans its rows by hand: sqlx's reflection cost
// as much as the query on a page of fifty stories and their other copies.
func (db *DB) entries(ctx context.Context, q string, args ...any) ([]TimelineEntry, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineEntry
	for rows.Next() {
		var e TimelineEntry
		var cluster sql.NullInt64
		if err := rows.Scan(&e.ItemID, &e.URL, &e.Title, &e.Excerpt, &e.Author, &e.PublishedAt, &cluster, &e.SourceID,
			&e.SourceTitle, &e.SourceKind, &e.State, &e.Origin, &e.Terms, &e.Pinned); err != nil {
			return nil, err
		}
		if cluster.Valid {
			e.ClusterID = &cluster.Int64
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// highlight marks a search's matches in the titles of es and their cluster members and cuts
// their snippets, reading the items' text in one query.
func (db *DB) highlight(ctx context.Context, search SearchQuery, es []TimelineEntry) error {
	var ids []any
	for _, e := range es {
		ids = append(ids, e.ItemID)
		for _, m := range e.Also {
			ids = append(ids, m.ItemID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ID   int64  `db:"id"`
		Text string `db:"text"`
	}
	if err := db.R.SelectContext(ctx, &rows, db.R.Rebind(`SELECT id, text FROM items WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`), ids...); err != nil {
		return err
	}
	text := make(map[int64]string, len(rows))
	for _, r := range rows {
		text[r.ID] = r.Text
	}
	mark := func(e *TimelineEntry) {
		e.TitleHighlight = Highlight(e.Title, search)
		e.Snippet = Snippet(text[e.ItemID], e.Title, search, SnippetWidth)
	}
	for i := range es {
		mark(&es[i])
		for j := range es[i].Also {
			mark(&es[i].Also[j])
		}
	}
	return nil
}

// conds is a list of SQL conditions and their arguments, in order.
type conds struct {
	conds []string
	args  []any
}

func (c *conds) add(cond string, args ...any) {
	c.conds = append(c.conds, cond)
	c.args = append(c.args, args...)
}

// filterConds is what f asks of a link (alias it), its item (i) and its source (s), but the
// topic and the cursor: the states, source kinds, dates and search. On SQLite a search reads
// the common table m of its matches (searchCTE) when inM is set, else the full-text index.
func filterConds(d Dialect, f TimelineFilter, search SearchQuery, it, i, s string, inM bool) conds {
	var c conds
	switch {
	case f.Public || len(f.States) == 0:
		c.add(it + `.state <> 'rejected'`)
	default:
		args := make([]any, len(f.States))
		for k, st := range f.States {
			args[k] = st
		}
		c.add(it+`.state IN (?`+strings.Repeat(", ?", len(f.States)-1)+`)`, args...)
	}
	if len(f.Kinds) > 0 {
		args := make([]any, len(f.Kinds))
		for k, kind := range f.Kinds {
			args[k] = kind
		}
		c.add(s+`.kind IN (?`+strings.Repeat(", ?", len(f.Kinds)-1)+`)`, args...)
	}
	if !f.From.IsZero() {
		c.add(it+`.published_at >= ?`, docket.StoreTime(f.From))
	}
	if !f.To.IsZero() {
		c.add(it+`.published_at < ?`, docket.StoreTime(f.To))
	}
	switch {
	case search.IsZero():
	case d == Postgres:
		c.add(i+`.search @@ to_tsquery('simple', ?)`, search.tsQuery())
	case inM:
		c.add(it + `.item_id IN (SELECT id FROM m)`)
	default:
		c.add(it+`.item_id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)`, search.ftsMatch())
	}
	return c
}

// searchCTE is, for a search on SQLite, the common table m of the items it matches, which the
// full-text index is read once for however many times the query looks in it.
func searchCTE(d Dialect, search SearchQuery) (string, []any) {
	if search.IsZero() || d == Postgres {
		return ``, nil
	}
	return `WITH m(id) AS MATERIALIZED (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) `, []any{search.ftsMatch()}
}

// headJoin is, on SQLite, the join that finds, for a row (it, i), a member of its story cluster on the
// topic that f shows and that sorts after it: the row heads its cluster when it finds none
// (it2.item_id IS NULL). It is a join rather than a NOT EXISTS so that SQLite gathers a
// search's matches once for the query rather than once for each row. The unary + keep SQLite
// from reading the topic's timeline index for it2: the cluster's few items, each found by the
// link's primary key, are the way in.
func headJoin(d Dialect, f TimelineFilter, search SearchQuery) (string, []any) {
	w := filterConds(d, f, search, "it2", "i2", "s2", true)
	plus := `` // PostgreSQL has no unary + for times, and needs none
	if d == SQLite {
		plus = `+`
	}
	for k, c := range w.conds {
		if d == SQLite {
			w.conds[k] = strings.ReplaceAll(c, "it2.published_at", plus+"it2.published_at")
		}
		if strings.HasPrefix(c, "i2.search") {
			w.conds[k] = `EXISTS (SELECT 1 FROM items i3 WHERE i3.id = it2.item_id AND i3` + strings.TrimPrefix(c, "i2") + `)`
		}
		if len(f.Kinds) > 0 && strings.HasPrefix(c, "s2.kind") {
			w.conds[k] = `(SELECT s2.kind FROM items i2 JOIN sources s2 ON s2.id = i2.source_id WHERE i2.id = it2.item_id)` +
				strings.TrimPrefix(c, "s2.kind")
		}
	}
	return ` LEFT JOIN item_topics it2 ON i.cluster_id IS NOT NULL AND it2.topic_id = it.topic_id
		AND it2.item_id IN (SELECT i2.id FROM items i2 WHERE i2.cluster_id = i.cluster_id)
		AND (` + plus + `it2.published_at, it2.item_id) > (it.published_at, it.item_id) AND ` + strings.Join(w.conds, " AND "), w.args
}

// headCond is the condition that a row (it, i) heads its story cluster: no member of its
// cluster on the topic that f shows sorts after it, found through items_cluster and the links'
// primary key; PostgreSQL checks a search on each member's own tsvector. SQLite takes it
// for every query but one starting from a search's matches (headJoin).
func headCond(d Dialect, f TimelineFilter, search SearchQuery) (string, []any) {
	w := filterConds(d, f, search, "it2", "i2", "s2", false)
	// CROSS JOIN keeps SQLite to this order (PostgreSQL takes it for a plain join): the
	// cluster's items by items_cluster, then each one's link by the primary key.
	tables := `items i2 CROSS JOIN item_topics it2`
	if len(f.Kinds) > 0 {
		tables += ` CROSS JOIN sources s2`
		w.conds = append(w.conds, `s2.id = i2.source_id`)
	}
	return `NOT EXISTS (SELECT 1 FROM ` + tables + ` WHERE i2.cluster_id = i.cluster_id AND it2.item_id = i2.id
		AND it2.topic_id = it.topic_id AND (it2.published_at, it2.item_id) > (it.published_at, it.item_id) AND ` +
		strings.Join(w.conds, " AND ") + `)`, w.args
}

// A timeline query's way through the data.
type timelineMode int

const (
	// walk reads the topic's timeline index in order, folding story clusters with headJoin.
	walk timelineMode = iota
	// fromMatches starts from a search's few matches (SQLite).
	fromMatches
	// walkNoHeads walks the timeline for a search's matches and leaves story clusters to
	// walkSearch (SQLite).
	walkNoHeads
)

// timelineQuery builds a timeline page's query. Every filter leaves the order to the index
// item_topics_timeline (topic_id, published_at DESC, item_id DESC), which the keyset cursor
// enters directly, so a page deep in a long timeline costs what the first does. The exception
// is a search that few items match (fromMatches, SQLite only): walking the timeline to find
// them would read all of a big topic, so the query starts from the matches, finds each one's
// link to the topic by its primary key, and sorts the few found.
func timelineQuery(d Dialect, f TimelineFilter, search SearchQuery, mode timelineMode) (string, []any) {
	var cte string
	var args []any
	from := ` FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id`
	where := `it.topic_id = ?`
	w := filterConds(d, f, search, "it", "i", "s", false)
	switch {
	case mode == fromMatches && d == Postgres:
		// The fences (OFFSET 0) keep PostgreSQL to looking each match's link up by the primary
		// key: its guess of how many rows a tsquery matches is a fixed share of the table,
		// which makes it read all of a big topic's links into a hash instead.
		from = ` FROM (SELECT id FROM items WHERE search @@ to_tsquery('simple', ?) OFFSET 0) m
			CROSS JOIN LATERAL (SELECT it0.* FROM item_topics it0 WHERE it0.item_id = m.id AND it0.topic_id = ? OFFSET 0) it
			CROSS JOIN items i CROSS JOIN sources s`
		where = `i.id = it.item_id AND s.id = i.source_id`
		args = append(args, search.tsQuery())
		w = filterConds(d, f, SearchQuery{}, "it", "i", "s", false) // m is the matches
	case mode == fromMatches:
		cte, args = searchCTE(d, search)
		from = ` FROM m CROSS JOIN item_topics it CROSS JOIN items i CROSS JOIN sources s`
		where = `it.item_id = m.id AND it.topic_id = ? AND i.id = it.item_id AND s.id = i.source_id`
		w = filterConds(d, f, SearchQuery{}, "it", "i", "s", false) // m is the matches
	}
	// On SQLite a search's matches go in a LEFT JOIN (headJoin), which SQLite gathers once;
	// otherwise NOT EXISTS (headCond, below), cheaper for each row.
	joinHeads := d == SQLite && mode == fromMatches
	if joinHeads {
		join, joinArgs := headJoin(d, f, search)
		from += join
		args = append(args, joinArgs...)
		w.add(`it2.item_id IS NULL`)
	}
	args = append(args, f.TopicID)
	if !f.Before.IsZero() {
		w.add(`(it.published_at, it.item_id) < (?, ?)`, docket.StoreTime(f.Before.PublishedAt), f.Before.ID)
	}
	if mode != walkNoHeads && !joinHeads {
		head, headArgs := headCond(d, f, search)
		w.add(head, headArgs...)
	}
	q := cte + `SELECT ` + timelineCols + from + ` WHERE ` + where + ` AND ` + strings.Join(w.conds, " AND ") +
		` ORDER BY it.published_at DESC, it.item_id DESC LIMIT ?`
	args = append(args, w.args...)
	limit := f.Limit + 1
	if mode == walkNoHeads {
		limit = f.Limit // walkSearch asks for a batch of that many
	}
	return q, append(args, limit)
}

// walkSearch reads a page of a search on SQLite that matches too many items to start from
// them. The timeline is walked in order for the matches (one gathering of the search's
// matches for each batch of rows), and story clusters are folded here instead of in the query:
// asking each clustered row's newer members whether they match would gather the matches once
// for each row. A match is a head when no newer member of its cluster matches: none earlier
// in this walk, and none on the pages before (checked in one query for the batch).
func (db *DB) walkSearch(ctx context.Context, f TimelineFilter, search SearchQuery) ([]TimelineEntry, error) {
	seen := map[int64]bool{} // clusters already shown, or known to be shown before this page
	var out []TimelineEntry
	batch := f
	// Most rows of a batch are heads; a few clusters cost a second batch now and then.
	batch.Limit = 2*(f.Limit+1) + 10
	for {
		q, args := timelineQuery(SQLite, batch, search, walkNoHeads)
		rows, err := db.entries(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		if !f.Before.IsZero() {
			if err := db.shownBefore(ctx, f, search, rows, seen); err != nil {
				return nil, err
			}
		}
		for _, r := range rows {
			if r.ClusterID != nil {
				if seen[*r.ClusterID] {
					continue
				}
				seen[*r.ClusterID] = true
			}
			out = append(out, r)
			if len(out) > f.Limit {
				return out, nil
			}
		}
		if len(rows) < batch.Limit {
			return out, nil
		}
		last := rows[len(rows)-1]
		batch.Before = Cursor{PublishedAt: last.PublishedAt, ID: last.ItemID}
	}
}

// shownBefore marks in seen the clusters of rows that have a member on the pages before
// f.Before (the cursor's own entry the last of them) that f shows, matching the search.
func (db *DB) shownBefore(ctx context.Context, f TimelineFilter, search SearchQuery, rows []TimelineEntry, seen map[int64]bool) error {
	var clusters []any
	for _, r := range rows {
		if r.ClusterID != nil && !seen[*r.ClusterID] {
			clusters = append(clusters, *r.ClusterID)
		}
	}
	if len(clusters) == 0 {
		return nil
	}
	w := filterConds(SQLite, f, SearchQuery{}, "it", "i", "s", false)
	q := `SELECT it.item_id, i.cluster_id FROM items i CROSS JOIN item_topics it CROSS JOIN sources s
		WHERE i.cluster_id IN (?` + strings.Repeat(", ?", len(clusters)-1) + `) AND it.item_id = i.id AND it.topic_id = ?
		AND s.id = i.source_id AND (it.published_at, it.item_id) >= (?, ?) AND ` + strings.Join(w.conds, " AND ")
	args := append(clusters, f.TopicID, docket.StoreTime(f.Before.PublishedAt), f.Before.ID)
	var before []struct {
		ItemID    int64 `db:"item_id"`
		ClusterID int64 `db:"cluster_id"`
	}
	if err := db.R.SelectContext(ctx, &before, db.R.Rebind(q), append(args, w.args...)...); err != nil {
		return err
	}
	ids := make([]int64, len(before))
	for i, b := range before {
		ids[i] = b.ItemID
	}
	hit, err := db.ftsHits(ctx, search, ids)
	if err != nil {
		return err
	}
	for _, b := range before {
		if hit[b.ItemID] {
			seen[b.ClusterID] = true
		}
	}
	return nil
}

// ftsHits reports which of the items ids (a few, such as the members of some clusters)
// match a search on SQLite. A story's copies arrive within hours of each other, so their ids
// are close: FTS5 reads only the matches within the range of their ids, which it enters
// directly, where the set of every match would cost as much as a page for a common word.
func (db *DB) ftsHits(ctx context.Context, search SearchQuery, ids []int64) (map[int64]bool, error) {
	hit := map[int64]bool{}
	if len(ids) == 0 {
		return hit, nil
	}
	lo, hi := ids[0], ids[0]
	for _, id := range ids {
		lo, hi = min(lo, id), max(hi, id)
	}
	var hits []int64
	if err := db.R.SelectContext(ctx, &hits, `SELECT rowid FROM items_fts WHERE items_fts MATCH ? AND rowid >= ? AND rowid <= ?`,
		search.ftsMatch(), lo, hi); err != nil {
		return nil, err
	}
	for _, id := range hits {
		hit[id] = true
	}
	return hit, nil
}

// TimelineEntry returns one item as a topic's timeline shows it, whatever its state: the
// office redraws an entry with it after curating it.
func (db *DB) TimelineEntry(ctx context.Context, topicID, itemID int64) (*TimelineEntry, error) {
	var e TimelineEntry
	err := db.get(ctx, &e, timelineSelect+` WHERE it.topic_id = ? AND it.item_id = ?`, topicID, itemID)
	if err != nil {
		return nil, notFound(err, "item %d is not on this topic", itemID)
	}
	return &e, nil
}

// TimelineStatement is a published statement as a topic's timeline shows it.
type TimelineStatement struct {
	ID          int64     `db:"id" json:"id"`
	Title       string    `db:"title" json:"title"`
	Body        string    `db:"body" json:"-"`
	Kind        string    `db:"kind" json:"kind"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
	MemberName  string    `db:"member_name" json:"member"`
}

// TimelineStatements returns a topic's published statements (their published revision)
// published in [from, to), newest first; a zero bound is open. A timeline page shows the
// statements of the time its items span, so every statement appears on exactly one page.
func (db *DB) TimelineStatements(ctx context.Context, topicID int64, from, to time.Time) ([]TimelineStatement, error) {
	q := `SELECT s.id, r.title, r.body, s.published_kind AS kind, s.published_at, COALESCE(m.name, '') AS member_name
		FROM published_statement_topics st JOIN statements s ON s.id = st.statement_id
		JOIN statement_revisions r ON r.id = s.published_revision_id
		LEFT JOIN members m ON m.id = s.published_member_id
		WHERE st.topic_id = ? AND s.status <> 'withdrawn' AND s.published_at IS NOT NULL`
	args := []any{topicID}
	if !from.IsZero() {
		q += ` AND s.published_at >= ?`
		args = append(args, docket.StoreTime(from))
	}
	if !to.IsZero() {
		q += ` AND s.published_at < ?`
		args = append(args, docket.StoreTime(to))
	}
	var out []TimelineStatement
	err := db.sel(ctx, &out, q+` ORDER BY s.published_at DESC, s.id DESC LIMIT 500`, args...)
	return out, err
}

// DayCount is how many of a topic's items one source kind published on one day in London
// (docket.London), the days the timeline groups items by.
type DayCount struct {
	Day   string `db:"day" json:"day"` // YYYY-MM-DD
	Kind  string `db:"kind" json:"kind"`
	Count int    `db:"n" json:"count"`
}

// ItemsPerDay counts a topic's timeline items per day and source kind from since on, as the
// public timeline shows them (rejected links left out). Whole days come from
// topic_day_counts, which triggers keep, so that a topic of a hundred thousand items costs what
// a small one does. Only since's own day, of which only the part from since on counts, is
// counted from its links: the part from since on, or, when that is the longer part, the whole
// day's count less the part before since.
func (db *DB) ItemsPerDay(ctx context.Context, topicID int64, since time.Time) ([]DayCount, error) {
	since = docket.StoreTime(since)
	first := docket.LondonDay(since)
	dayStart := docket.LondonMidnight(since)
	next := dayStart.AddDate(0, 0, 1) // a calendar day in London: 23 or 25 hours at a change of clocks
	// Both counts lie within since's day, so every row is of the day first.
	count := func(from, to time.Time) ([]DayCount, error) {
		var out []DayCount
		err := db.sel(ctx, &out, `SELECT CAST(? AS TEXT) AS day, s.kind AS kind, count(*) AS n
			FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
			WHERE it.topic_id = ? AND it.state <> 'rejected' AND it.published_at >= ? AND it.published_at < ?
			GROUP BY s.kind ORDER BY s.kind`, first, topicID, docket.StoreTime(from), docket.StoreTime(to))
		return out, err
	}
	if since.Sub(dayStart) < 12*time.Hour {
		out, err := count(since, next)
		if err != nil {
			return nil, err
		}
		return db.wholeDays(ctx, topicID, first, `>`, out)
	}
	before, err := count(dayStart, since)
	if err != nil {
		return nil, err
	}
	whole, err := db.wholeDays(ctx, topicID, first, `>=`, nil)
	if err != nil {
		return nil, err
	}
	var out []DayCount
	for _, c := range whole {
		if c.Day == first {
			for _, b := range before {
				if b.Kind == c.Kind {
					c.Count -= b.Count
				}
			}
			if c.Count <= 0 {
				continue
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// DayCounts returns a topic's counts per whole day and source kind from the day fromDay
// (YYYY-MM-DD) on, as ItemsPerDay counts them, from topic_day_counts alone.
func (db *DB) DayCounts(ctx context.Context, topicID int64, fromDay string) ([]DayCount, error) {
	return db.wholeDays(ctx, topicID, fromDay, `>=`, nil)
}

// HasItems reports whether a topic's public timeline has an item published in [from, to)
// from a source of the given kind, or of any kind when kind is "".
func (db *DB) HasItems(ctx context.Context, topicID int64, from, to time.Time, kind string) (bool, error) {
	q := `SELECT it.item_id FROM item_topics it WHERE it.topic_id = ? AND it.state <> 'rejected'
		AND it.published_at >= ? AND it.published_at < ? LIMIT 1`
	args := []any{topicID, docket.StoreTime(from), docket.StoreTime(to)}
	if kind != "" {
		q = `SELECT it.item_id FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
			WHERE it.topic_id = ? AND it.state <> 'rejected' AND it.published_at >= ? AND it.published_at < ? AND s.kind = ? LIMIT 1`
		args = append(args, kind)
	}
	var hit []int64
	err := db.sel(ctx, &hit, q, args...)
	return len(hit) > 0, err
}

// wholeDays appends to out the counts of a topic's whole days after the day first
// (YYYY-MM-DD), or from it on when op is ">=", from topic_day_counts: by day, then by kind
// in the order of its name, as ItemsPerDay has always listed them. Sixty days of a busy topic
// are scanned by hand, without sqlx's reflection, which cost as much as the query.
func (db *DB) wholeDays(ctx context.Context, topicID int64, first, op string, out []DayCount) ([]DayCount, error) {
	q := `SELECT day, mp, news, ngo, other, parliament, un FROM topic_day_counts WHERE topic_id = ? AND day ` + op + ` ? ORDER BY day`
	rows, err := db.query(ctx, q, topicID, first)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	kinds := [...]string{docket.KindMP, docket.KindNews, docket.KindNGO, docket.KindOther, docket.KindParliament, docket.KindUN}
	for rows.Next() {
		var day string
		var n [len(kinds)]int
		if err := rows.Scan(&day, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5]); err != nil {
			return nil, err
		}
		for k, c := range n {
			if c > 0 {
				out = append(out, DayCount{Day: day, Kind: kinds[k], Count: c})
			}
		}
	}
	return out, rows.Err()
}

// LatestItemTime returns when the newest item on a topic's public timeline was published,
// zero when it has none.
func (db *DB) LatestItemTime(ctx context.Context, topicID int64) (time.Time, error) {
	var ts []time.Time
	err := db.sel(ctx, &ts, `SELECT it.published_at FROM item_topics it
		WHERE it.topic_id = ? AND it.state <> 'rejected' ORDER BY it.published_at DESC, it.item_id DESC LIMIT 1`, topicID)
	if err != nil || len(ts) == 0 {
		return time.Time{}, err
	}
	return ts[0], nil
}
