package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// BoardColumn is one status on the publish-status board with its statements, the longest
// waiting first.
type BoardColumn struct {
	Status     string
	Statements []StatementRow
	Overdue    int // in review for longer than the board's limit
}

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

// PublishBoard reads the board: every statement by status, and per topic the last published
// statement and the ones in progress. reviewOverdue is how long a statement may stay in review
// before the board flags it.
func (db *DB) PublishBoard(ctx context.Context, now time.Time, reviewOverdue time.Duration) (*Board, error) {
	rows, err := db.ListStatements(ctx, StatementFilter{})
	if err != nil {
		return nil, err
	}
	b := &Board{ReviewOverdue: reviewOverdue, Now: now}
	byStatus := map[string]*BoardColumn{}
	for _, s := range docket.Statuses {
		b.Columns = append(b.Columns, BoardColumn{Status: s})
	}
	for i := range b.Columns {
		byStatus[b.Columns[i].Status] = &b.Columns[i]
	}
	byID := map[int64]StatementRow{}
	for _, r := range rows {
		byID[r.ID] = r
		c := byStatus[r.Status]
		if c == nil {
			continue
		}
		c.Statements = append(c.Statements, r)
		if b.IsOverdue(&r) {
			c.Overdue++
		}
	}
	for i := range b.Columns {
		ss := b.Columns[i].Statements
		sort.SliceStable(ss, func(a, c int) bool { return ss[a].StatusChangedAt.Before(ss[c].StatusChangedAt) })
	}

	var links []struct {
		StatementID int64 `db:"statement_id"`
		docket.Topic
	}
	err = db.sel(ctx, &links, `SELECT st.statement_id, t.id, t.slug, t.title, t.summary, t.rule, t.visibility, t.archived, t.created_at, t.updated_at
		FROM statement_topics st JOIN topics t ON t.id = st.topic_id WHERE NOT t.archived ORDER BY t.title, t.id, st.statement_id`)
	if err != nil {
		return nil, fmt.Errorf("statement topics: %w", err)
	}
	var cur *TopicBoard
	for _, l := range links {
		if cur == nil || cur.Topic.ID != l.Topic.ID {
			b.Topics = append(b.Topics, TopicBoard{Topic: l.Topic})
			cur = &b.Topics[len(b.Topics)-1]
		}
		r, ok := byID[l.StatementID]
		if !ok {
			continue
		}
		if r.Public && r.PublishedAt != nil && (cur.LastPublished == nil || r.PublishedAt.After(*cur.LastPublished.PublishedAt)) {
			r := r
			cur.LastPublished = &r
		}
		switch r.Status {
		case docket.StatusDraft, docket.StatusInReview, docket.StatusApproved:
			cur.InProgress = append(cur.InProgress, r)
		}
	}
	return b, nil
}

// Count is how many statements a column holds.
func (c *BoardColumn) Count() int { return len(c.Statements) }
