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
	Text           string    `db:"text" json:"-"` // read only to cut the snippet
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

const timelineSelect = `SELECT it.item_id, i.url, i.title, i.excerpt, i.author, it.published_at, i.cluster_id,
	i.source_id, CASE WHEN s.title = '' THEN s.url ELSE s.title END AS source_title, s.kind AS source_kind,
	it.state, it.origin, it.terms, it.pinned%s
	FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id`

// Timeline returns a page of a topic's entries, newest first. A search that finds nothing is
// an empty page, and a query of only punctuation searches for nothing, so shows everything.
func (db *DB) Timeline(ctx context.Context, f TimelineFilter) (*TimelinePage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, MaxTimelineLimit)
	search, err := ParseSearch(f.Query)
	if err != nil {
		return nil, err
	}
	q, args := timelineQuery(db.Dialect, f, search)
	page := &TimelinePage{}
	if err := db.sel(ctx, &page.Entries, q, args...); err != nil {
		if !search.IsZero() {
			return nil, searchErr(err, search.String())
		}
		return nil, fmt.Errorf("timeline: %w", err)
	}
	if len(page.Entries) > f.Limit {
		page.Entries = page.Entries[:f.Limit]
		last := page.Entries[f.Limit-1]
		page.Next = Cursor{PublishedAt: last.PublishedAt, ID: last.ItemID}
	}
	if !search.IsZero() {
		for i := range page.Entries {
			e := &page.Entries[i]
			e.TitleHighlight = Highlight(e.Title, search)
			e.Snippet = Snippet(e.Text, e.Title, search, SnippetWidth)
			e.Text = ""
		}
	}
	return page, nil
}

// timelineQuery builds a timeline page's query. Every filter leaves the order to the index
// item_topics_timeline (topic_id, published_at DESC, item_id DESC), which the keyset cursor
// enters directly, so a page deep in a long timeline costs what the first does.
func timelineQuery(d Dialect, f TimelineFilter, search SearchQuery) (string, []any) {
	where := []string{`it.topic_id = ?`}
	args := []any{f.TopicID}
	switch {
	case f.Public || len(f.States) == 0:
		where = append(where, `it.state <> 'rejected'`)
	default:
		where = append(where, `it.state IN (?`+strings.Repeat(", ?", len(f.States)-1)+`)`)
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if len(f.Kinds) > 0 {
		where = append(where, `s.kind IN (?`+strings.Repeat(", ?", len(f.Kinds)-1)+`)`)
		for _, k := range f.Kinds {
			args = append(args, k)
		}
	}
	if !f.From.IsZero() {
		where = append(where, `it.published_at >= ?`)
		args = append(args, docket.StoreTime(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, `it.published_at < ?`)
		args = append(args, docket.StoreTime(f.To))
	}
	extra := ``
	if !search.IsZero() {
		cond, arg := searchCondition(d, search)
		where = append(where, cond)
		args = append(args, arg)
		extra = `, i.text`
	}
	if !f.Before.IsZero() {
		where = append(where, `(it.published_at, it.item_id) < (?, ?)`)
		args = append(args, docket.StoreTime(f.Before.PublishedAt), f.Before.ID)
	}
	q := fmt.Sprintf(timelineSelect, extra) + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY it.published_at DESC, it.item_id DESC LIMIT ?`
	return q, append(args, f.Limit+1)
}

// TimelineEntry returns one item as a topic's timeline shows it, whatever its state: the
// office redraws an entry with it after curating it.
func (db *DB) TimelineEntry(ctx context.Context, topicID, itemID int64) (*TimelineEntry, error) {
	var e TimelineEntry
	err := db.get(ctx, &e, fmt.Sprintf(timelineSelect, ``)+` WHERE it.topic_id = ? AND it.item_id = ?`, topicID, itemID)
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

// DayCount is how many of a topic's items one source kind published on one (UTC) day.
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
	first := since.Format("2006-01-02")
	dayStart := time.Date(since.Year(), since.Month(), since.Day(), 0, 0, 0, 0, time.UTC)
	next := dayStart.AddDate(0, 0, 1)
	day := `substr(it.published_at, 1, 10)`
	if db.Dialect == Postgres {
		day = `to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
	}
	count := func(from, to time.Time) ([]DayCount, error) {
		var out []DayCount
		err := db.sel(ctx, &out, `SELECT `+day+` AS day, s.kind AS kind, count(*) AS n
			FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
			WHERE it.topic_id = ? AND it.state <> 'rejected' AND it.published_at >= ? AND it.published_at < ?
			GROUP BY 1, 2 ORDER BY 1, 2`, topicID, from, to)
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
	st, err := db.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if st != nil {
		rows, err = st.QueryContext(ctx, topicID, first)
	} else {
		rows, err = db.R.QueryContext(ctx, db.R.Rebind(q), topicID, first)
	}
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
