package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// Comment is a remark on a statement by someone in the office. Researchers comment too: it is
// how they take part in a statement without changing its status.
type Comment struct {
	ID          int64     `db:"id" json:"id"`
	StatementID int64     `db:"statement_id" json:"statement_id"`
	UserID      *int64    `db:"user_id" json:"user_id"`
	UserName    string    `db:"user_name" json:"user"`
	Body        string    `db:"body" json:"body"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

// MaxCommentLength bounds a comment, which is a remark, not a document.
const MaxCommentLength = 5000

// AddComment stores a comment on a statement.
func (db *DB) AddComment(ctx context.Context, statementID int64, by *int64, body string) (*Comment, error) {
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return nil, docket.FieldError("comment", "the comment is empty")
	case len(body) > MaxCommentLength:
		return nil, docket.FieldError("comment", "the comment must be at most %d characters", MaxCommentLength)
	}
	c := &Comment{StatementID: statementID, UserID: by, Body: body}
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.statementByID(ctx, statementID); err != nil {
			return err
		}
		c.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO statement_comments (statement_id, user_id, body, created_at) VALUES (?, ?, ?, ?)`,
			statementID, by, body, c.CreatedAt)
		if err != nil {
			return fmt.Errorf("add comment: %w", err)
		}
		c.ID = id
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Comments returns a statement's comments, oldest first.
func (db *DB) Comments(ctx context.Context, statementID int64) ([]Comment, error) {
	var out []Comment
	err := db.sel(ctx, &out, `SELECT c.id, c.statement_id, c.user_id, COALESCE(u.name, '') AS user_name, c.body, c.created_at
		FROM statement_comments c LEFT JOIN users u ON u.id = c.user_id
		WHERE c.statement_id = ? ORDER BY c.id`, statementID)
	return out, err
}
