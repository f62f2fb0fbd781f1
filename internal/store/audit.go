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
	// Kind says which table the entry is from ("a" audit_log, "s" status_events): ids are
	// unique only within one, so it is part of the trail's order and of a cursor.
	Kind string `db:"kind" json:"-"`
}

// Cursor is where the next page of the trail starts: the entries after this one.
func (e AuditEntry) Cursor() AuditCursor { return AuditCursor{At: e.CreatedAt, Kind: e.Kind, ID: e.ID} }

// AuditCursor is a position in the audit trail, which runs newest first by (created_at,
// kind, id). A cursor with no Kind stands before every entry at At.
type AuditCursor struct {
	At   time.Time
	Kind string
	ID   int64
}

// AuditRow is the audit log's record of an office action. The store method doing the action
// takes it and writes it in the action's own transaction, so no action is done unrecorded and
// no record tells of an action undone. Such methods record nothing for a nil row: the command
// line, run by whoever runs the server, does not audit.
type AuditRow struct {
	By                     *int64 // the user; nil for none
	Action, Target, Detail string
}

// audit writes row, when there is one, inside tx.
func (tx *Tx) audit(ctx context.Context, row *AuditRow) error {
	if row == nil {
		return nil
	}
	return tx.Audit(ctx, row.By, row.Action, row.Target, row.Detail)
}

// Audit records an admin action inside tx, so it commits or rolls back with the action.
func (tx *Tx) Audit(ctx context.Context, by *int64, action, target, detail string) error {
	_, err := tx.exec(ctx, `INSERT INTO audit_log (user_id, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?)`,
		by, action, target, detail, tx.now)
	return err
}

// AuditTrail returns admin actions and statement status changes together, newest first,
// older than before (zero: from the newest).
func (db *DB) AuditTrail(ctx context.Context, limit int, before time.Time) ([]AuditEntry, error) {
	out, _, err := db.AuditPage(ctx, limit, AuditCursor{At: before})
	return out, err
}

// AuditPage returns a page of the audit trail after the cursor (a zero cursor: from the
// newest), and the cursor of the next page, nil on the last. Paging by keyset keeps every page
// as cheap as the first however long the trail grows.
func (db *DB) AuditPage(ctx context.Context, limit int, after AuditCursor) ([]AuditEntry, *AuditCursor, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	if after.At.IsZero() {
		after = AuditCursor{At: db.now().Add(time.Hour)}
	}
	// One branch of the union keeps its rows that come after the cursor in the order
	// (created_at DESC, kind DESC, id DESC).
	where := func(kind, col, idCol string) (string, []any) {
		switch {
		case after.Kind == "" || kind > after.Kind:
			return col + ` < ?`, []any{after.At}
		case kind < after.Kind:
			return col + ` <= ?`, []any{after.At}
		}
		return `(` + col + ` < ? OR (` + col + ` = ? AND ` + idCol + ` < ?))`, []any{after.At, after.At, after.ID}
	}
	aWhere, aArgs := where("a", "a.created_at", "a.id")
	sWhere, sArgs := where("s", "e.created_at", "e.id")
	var out []AuditEntry
	err := db.sel(ctx, &out, `SELECT * FROM (
		SELECT a.id, 'a' AS kind, a.user_id, COALESCE(u.name, '') AS user_name, a.action, a.target, a.detail, a.created_at, NULL AS statement_id
			FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE `+aWhere+`
		UNION ALL
		SELECT e.id, 's' AS kind, e.user_id, COALESCE(u.name, '') AS user_name, 'statement.' || e.to_status AS action,
			'statement:' || s.title AS target,
			CASE WHEN e.from_status = '' THEN e.note ELSE e.from_status || ' → ' || e.to_status ||
				CASE WHEN e.note = '' THEN '' ELSE ': ' || e.note END END AS detail,
			e.created_at, e.statement_id
			FROM status_events e JOIN statements s ON s.id = e.statement_id LEFT JOIN users u ON u.id = e.user_id
			WHERE `+sWhere+`
	) x ORDER BY created_at DESC, kind DESC, id DESC LIMIT ?`, append(append(aArgs, sArgs...), limit+1)...)
	if err != nil || len(out) <= limit {
		return out, nil, err
	}
	out = out[:limit]
	next := out[limit-1].Cursor()
	return out, &next, nil
}
