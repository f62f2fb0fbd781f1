package store

import (
	"context"
	"time"
)

// AuditEntry is one recorded admin action or status change.
type AuditEntry struct {
	ID        int64     `db:"id" json:"id"`
	UserID    *int64    `db:"user_id" json:"user_id"`
	UserName  string    `db:"user_name" json:"user"`
	Action    string    `db:"action" json:"action"`
	Target    string    `db:"target" json:"target"`
	Detail    string    `db:"detail" json:"detail"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	// StatementID is set for statement status changes, which come from status_events.
	StatementID *int64 `db:"statement_id" json:"statement_id,omitempty"`
}

// Audit records an admin action inside tx, so it commits or rolls back with the action.
func (tx *Tx) Audit(ctx context.Context, by *int64, action, target, detail string) error {
	_, err := tx.exec(ctx, `INSERT INTO audit_log (user_id, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?)`,
		by, action, target, detail, tx.now)
	return err
}

// AuditTrail returns admin actions and statement status changes together, newest first,
// before the given id position (0: from the newest).
func (db *DB) AuditTrail(ctx context.Context, limit int, before time.Time) ([]AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	if before.IsZero() {
		before = db.now().Add(time.Hour)
	}
	var out []AuditEntry
	err := db.sel(ctx, &out, `SELECT * FROM (
		SELECT a.id, a.user_id, COALESCE(u.name, '') AS user_name, a.action, a.target, a.detail, a.created_at, NULL AS statement_id
			FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.created_at < ?
		UNION ALL
		SELECT e.id, e.user_id, COALESCE(u.name, '') AS user_name, 'statement.' || e.to_status AS action,
			'statement:' || s.title AS target,
			CASE WHEN e.from_status = '' THEN e.note ELSE e.from_status || ' → ' || e.to_status ||
				CASE WHEN e.note = '' THEN '' ELSE ': ' || e.note END END AS detail,
			e.created_at, e.statement_id
			FROM status_events e JOIN statements s ON s.id = e.statement_id LEFT JOIN users u ON u.id = e.user_id
			WHERE e.created_at < ?
	) x ORDER BY created_at DESC, id DESC LIMIT ?`, before, before, limit)
	return out, err
}
