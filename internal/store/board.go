package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// BoardColumn is one status on the publish-status board: how many statements it holds, and
// the first of them in the order of StatusPage.
type BoardColumn struct {
	Status     string
	Statements []StatementRow
	Total      int
	Overdue    int // in review for longer than the board's limit
}

// Count is how many statements the column holds, shown or not.
func (c *BoardColumn) Count() int { return c.Total }

// More is how many statements of the column are not shown.
func (c *BoardColumn) More() int { return c.Total - len(c.Statements) }

// TopicBoard is a topic's line on the board: its last published statement and the statements
// in progress.
type TopicBoard struct {
	Topic         docket.Topic
	LastPublished *StatementRow
	InProgress    []StatementRow
}

// Board is the publish-status board of the office.
type Board struct {
	Columns       []BoardColumn // one per status, in docket.Statuses order
	Topics        []TopicBoard  // topics that have statements, by title
	ReviewOverdue time.Duration
	Now           time.Time
}

// IsOverdue reports whether a statement has waited in review longer than the board allows.
func (b *Board) IsOverdue(r *StatementRow) bool {
	return r.Status == docket.StatusInReview && b.ReviewOverdue > 0 && b.Now.Sub(r.StatusChangedAt) > b.ReviewOverdue
}

// DefaultBoardRows is how many statements a board column shows when not told.
const DefaultBoardRows = 20

// PublishBoard reads the board: per status, how many statements it holds and the first
// perColumn of them (DefaultBoardRows when 0) in StatusPage's order, and per topic the last
// published statement and the ones in progress. reviewOverdue is how long a statement may
// stay in review before the board flags it. Ingestion brings thousands of published
// statements, so nothing here reads every statement or every status change: who holds each
// statement is worked out for the rows shown only.
func (db *DB) PublishBoard(ctx context.Context, now time.Time, reviewOverdue time.Duration, perColumn int) (*Board, error) {
	if perColumn <= 0 {
		perColumn = DefaultBoardRows
	}
	b := &Board{ReviewOverdue: reviewOverdue, Now: now}
	var counts []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := db.sel(ctx, &counts, `SELECT status, count(*) AS n FROM statements GROUP BY status`); err != nil {
		return nil, fmt.Errorf("count statements: %w", err)
	}
	total := map[string]int{}
	for _, c := range counts {
		total[c.Status] = c.N
	}
	var shown []*StatementRow
	for _, st := range docket.Statuses {
		col := BoardColumn{Status: st, Total: total[st]}
		if col.Total > 0 {
			rows, _, err := db.statusPage(ctx, st, Cursor{}, perColumn)
			if err != nil {
				return nil, err
			}
			col.Statements = rows
		}
		if st == docket.StatusInReview && reviewOverdue > 0 && col.Total > 0 {
			if err := db.get(ctx, &col.Overdue, `SELECT count(*) FROM statements WHERE status = ? AND status_changed_at < ?`,
				st, docket.StoreTime(now.Add(-reviewOverdue))); err != nil {
				return nil, fmt.Errorf("count overdue statements: %w", err)
			}
		}
		b.Columns = append(b.Columns, col)
	}
	for i := range b.Columns {
		for j := range b.Columns[i].Statements {
			shown = append(shown, &b.Columns[i].Statements[j])
		}
	}
	if err := db.boardTopics(ctx, b); err != nil {
		return nil, err
	}
	for i := range b.Topics {
		if b.Topics[i].LastPublished != nil {
			shown = append(shown, b.Topics[i].LastPublished)
		}
		for j := range b.Topics[i].InProgress {
			shown = append(shown, &b.Topics[i].InProgress[j])
		}
	}
	if err := db.addHolders(ctx, shown); err != nil {
		return nil, err
	}
	return b, nil
}

// boardTopics fills in each topic's line: the last statement published under it (as the
// public sees it, by its published topics) and the statements in progress filed under it.
func (db *DB) boardTopics(ctx context.Context, b *Board) error {
	var links []struct {
		StatementID int64 `db:"statement_id"`
		Last        bool  `db:"last"`
		docket.Topic
	}
	// In progress are the few statements being written; the last published is one a topic,
	// picked by a window over the published links, however many there are.
	err := db.sel(ctx, &links, `SELECT x.statement_id, x.last, t.id, t.slug, t.title, t.summary, t.rule, t.visibility, t.archived, t.created_at, t.updated_at
		FROM (
			SELECT st.topic_id, st.statement_id, 0 AS last FROM statement_topics st JOIN statements s ON s.id = st.statement_id
			WHERE s.status IN ('draft', 'in_review', 'approved')
			UNION ALL
			SELECT topic_id, statement_id, 1 AS last FROM (
				SELECT pst.topic_id, pst.statement_id,
					ROW_NUMBER() OVER (PARTITION BY pst.topic_id ORDER BY s.published_at DESC, s.id DESC) AS n
				FROM published_statement_topics pst JOIN statements s ON s.id = pst.statement_id
				WHERE s.status <> 'withdrawn' AND s.published_revision_id IS NOT NULL AND s.published_at IS NOT NULL
			) p WHERE n = 1
		) x JOIN topics t ON t.id = x.topic_id
		WHERE NOT t.archived ORDER BY t.title, t.id, x.statement_id`)
	if err != nil {
		return fmt.Errorf("statement topics: %w", err)
	}
	if len(links) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(links))
	for _, l := range links {
		ids = append(ids, l.StatementID)
	}
	rows, err := db.statementRows(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]StatementRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	var cur *TopicBoard
	for _, l := range links {
		if cur == nil || cur.Topic.ID != l.Topic.ID {
			b.Topics = append(b.Topics, TopicBoard{Topic: l.Topic})
			cur = &b.Topics[len(b.Topics)-1]
		}
		r, ok := byID[l.StatementID]
		switch {
		case !ok:
		case l.Last:
			cur.LastPublished = &r
		default:
			cur.InProgress = append(cur.InProgress, r)
		}
	}
	return nil
}

// statementRows loads the office rows of statements by id, in id order within each chunk.
func (db *DB) statementRows(ctx context.Context, ids []int64) ([]StatementRow, error) {
	var out []StatementRow
	err := inChunks(ids, func(in string, args []any) error {
		var part []StatementRow
		if err := db.sel(ctx, &part, statementRowSelect+` WHERE s.id IN `+in+` ORDER BY s.id`, args...); err != nil {
			return fmt.Errorf("load statements: %w", err)
		}
		out = append(out, part...)
		return nil
	})
	return out, err
}

// inChunks calls fn with ids a few hundred at a time, as a parenthesised list of
// placeholders and its arguments, for queries that take ids by IN.
func inChunks(ids []int64, fn func(in string, args []any) error) error {
	const chunk = 400
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		if err := fn(`(?`+strings.Repeat(", ?", len(part)-1)+`)`, args); err != nil {
			return err
		}
	}
	return nil
}

// statusOrder is how a status's statements are listed on the board and its pages: what
// waits on someone (draft, in review, approved) the longest waiting first, so what is overdue
// comes first; what is done (published, withdrawn) the newest first, published ones by the
// date they were published (an imported statement was published before Docket saw it).
func statusOrder(status string) (col string, desc bool) {
	switch status {
	case docket.StatusPublished:
		return "s.published_at", true
	case docket.StatusWithdrawn:
		return "s.status_changed_at", true
	}
	return "s.status_changed_at", false
}

// StatusPage returns a page of the statements in one status, in the board's order (see
// statusOrder), after the cursor (the zero cursor for the first page), with who holds each,
// and the cursor of the next page (zero on the last).
func (db *DB) StatusPage(ctx context.Context, status string, after Cursor, limit int) ([]StatementRow, Cursor, error) {
	if !validStatus(status) {
		return nil, Cursor{}, docket.FieldError("status", "status %q must be one of %s", status, strings.Join(docket.Statuses, ", "))
	}
	if limit <= 0 {
		limit = 100
	}
	rows, next, err := db.statusPage(ctx, status, after, limit)
	if err != nil {
		return nil, Cursor{}, err
	}
	shown := make([]*StatementRow, len(rows))
	for i := range rows {
		shown[i] = &rows[i]
	}
	return rows, next, db.addHolders(ctx, shown)
}

// CountStatus returns how many statements are in a status.
func (db *DB) CountStatus(ctx context.Context, status string) (int, error) {
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM statements WHERE status = ?`, status)
	return n, err
}

func (db *DB) statusPage(ctx context.Context, status string, after Cursor, limit int) ([]StatementRow, Cursor, error) {
	col, desc := statusOrder(status)
	q := statementRowSelect + ` WHERE s.status = ?`
	args := []any{status}
	cmp, dir := ">", "ASC"
	if desc {
		cmp, dir = "<", "DESC"
	}
	if !after.IsZero() {
		q += ` AND (` + col + ` ` + cmp + ` ? OR (` + col + ` = ? AND s.id ` + cmp + ` ?))`
		at := docket.StoreTime(after.PublishedAt)
		args = append(args, at, at, after.ID)
	}
	q += ` ORDER BY ` + col + ` ` + dir + `, s.id ` + dir + ` LIMIT ?`
	args = append(args, limit+1)
	var rows []StatementRow
	if err := db.sel(ctx, &rows, q, args...); err != nil {
		return nil, Cursor{}, fmt.Errorf("list %s statements: %w", status, err)
	}
	var next Cursor
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		next = Cursor{PublishedAt: last.StatusChangedAt, ID: last.ID}
		if col == "s.published_at" && last.PublishedAt != nil {
			next.PublishedAt = *last.PublishedAt
		}
	}
	return rows, next, nil
}

type statusAct struct {
	StatementID int64     `db:"statement_id"`
	Key         string    `db:"k"` // the status entered, or the version written
	Name        string    `db:"name"`
	At          time.Time `db:"at"`
}

// addHolders fills in, for the rows given, who put each statement in its status and who last
// wrote its current version (see StatementRow): two queries over the status changes and the
// revisions of those statements only. The times are read as plain columns (not from scalar
// subqueries) so that SQLite's driver still knows they are times.
func (db *DB) addHolders(ctx context.Context, rows []*StatementRow) error {
	if len(rows) == 0 {
		return nil
	}
	byID := make(map[int64][]*StatementRow, len(rows))
	var ids []int64
	for _, r := range rows {
		if _, ok := byID[r.ID]; !ok {
			ids = append(ids, r.ID)
		}
		byID[r.ID] = append(byID[r.ID], r)
	}
	return inChunks(ids, func(in string, part []any) error {
		// The latest entry into each status; an event that changes no status (a correction
		// at the source) moves nobody's hand.
		var acts, saves []statusAct
		if err := db.sel(ctx, &acts, `SELECT e.statement_id, e.to_status AS k, COALESCE(u.name, '') AS name, e.created_at AS at
			FROM status_events e LEFT JOIN users u ON u.id = e.user_id
			WHERE e.id IN (SELECT max(id) FROM status_events WHERE statement_id IN `+in+` AND from_status <> to_status
				GROUP BY statement_id, to_status)`, part...); err != nil {
			return fmt.Errorf("status changes: %w", err)
		}
		if err := db.sel(ctx, &saves, `SELECT r.statement_id, CAST(r.version AS TEXT) AS k, COALESCE(u.name, '') AS name, r.created_at AS at
			FROM statement_revisions r LEFT JOIN users u ON u.id = r.created_by
			WHERE r.id IN (SELECT max(id) FROM statement_revisions WHERE statement_id IN `+in+` AND created_by IS NOT NULL
				GROUP BY statement_id, version)`, part...); err != nil {
			return fmt.Errorf("last saves: %w", err)
		}
		for _, a := range acts {
			for _, r := range byID[a.StatementID] {
				if a.Key == r.Status {
					at := a.At
					r.EnteredBy, r.EnteredAt = a.Name, &at
				}
			}
		}
		for _, a := range saves {
			for _, r := range byID[a.StatementID] {
				if a.Key == fmt.Sprint(r.Version) {
					r.WrittenBy = a.Name
				}
			}
		}
		return nil
	})
}
