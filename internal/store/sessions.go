package store

import (
	"context"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// Session is a signed-in browser. Only a hash of its token is stored, so a copy of the
// database does not let anyone sign in.
type Session struct {
	TokenHash  string    `db:"token_hash"`
	UserID     int64     `db:"user_id"`
	CreatedAt  time.Time `db:"created_at"`
	ExpiresAt  time.Time `db:"expires_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, tokenHash string, userID int64, ttl time.Duration) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
			tokenHash, userID, tx.now, tx.now.Add(ttl), tx.now)
		if err != nil {
			return err
		}
		// Sign-ins are rare: a good moment to clear expired sessions.
		_, err = tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, tx.now)
		return err
	})
}

// SessionUser returns the user of a live session. The session slides: once half its time
// has passed it is extended to a full ttl again, so an active user stays signed in and an idle
// one does not; renewed is then the new expiry (zero otherwise), for the caller to send the
// browser a cookie that lasts as long. Extending only past half-time keeps most requests
// free of a write and of a Set-Cookie. A missing, expired or disabled user's session is not
// found.
func (db *DB) SessionUser(ctx context.Context, tokenHash string, ttl time.Duration) (u *docket.User, renewed time.Time, err error) {
	var row struct {
		ExpiresAt time.Time `db:"expires_at"`
		docket.User
	}
	err = db.get(ctx, &row, `SELECT s.expires_at, u.id, u.email, u.name, u.role, u.password_hash, u.disabled, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash)
	if err != nil {
		return nil, time.Time{}, notFound(err, "no session")
	}
	now := db.now()
	if row.ExpiresAt.Before(now) || row.User.Disabled {
		return nil, time.Time{}, docket.Errorf(docket.ENOTFOUND, "session expired")
	}
	if row.ExpiresAt.Sub(now) < ttl/2 {
		renewed = now.Add(ttl)
		err := db.Update(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE sessions SET expires_at = ?, last_seen_at = ? WHERE token_hash = ?`, renewed, now, tokenHash)
			return err
		})
		if err != nil {
			return nil, time.Time{}, err
		}
	}
	return &row.User, renewed, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
}

// Throttle limits sign-in attempts per key (an account, an address).
type Throttle struct {
	Max    int           // attempts allowed within Window
	Window time.Duration // the counting window, and the lock's length
}

// Attempt counts a sign-in attempt for key before the password is checked, and returns when
// the key's lock ends if it is locked (zero when the attempt may go on). Counting first, in
// one statement, is what stops parallel attempts from all slipping under the limit. A
// successful attempt is forgiven afterwards (Forgive, ClearFailures).
func (db *DB) Attempt(ctx context.Context, th Throttle, key string) (time.Time, error) {
	var locked time.Time
	err := db.Update(ctx, func(tx *Tx) error {
		var row struct {
			Failures    int        `db:"failures"`
			LockedUntil *time.Time `db:"locked_until"`
		}
		windowStart := tx.now.Add(-th.Window)
		err := tx.QueryRowxContext(ctx, tx.Rebind(`INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES (?, 1, ?, NULL)
			ON CONFLICT (key) DO UPDATE SET
				failures = CASE WHEN login_failures.window_start < ? THEN 1 ELSE login_failures.failures + 1 END,
				window_start = CASE WHEN login_failures.window_start < ? THEN excluded.window_start ELSE login_failures.window_start END
			RETURNING failures, locked_until`), key, tx.now, windowStart, windowStart).StructScan(&row)
		if err != nil {
			return err
		}
		if row.LockedUntil != nil && row.LockedUntil.After(tx.now) {
			locked = *row.LockedUntil
			return nil
		}
		if row.Failures > th.Max {
			locked = tx.now.Add(th.Window)
			_, err = tx.exec(ctx, `UPDATE login_failures SET locked_until = ? WHERE key = ?`, locked, key)
		}
		return err
	})
	return locked, err
}

// Forgive takes back one counted attempt of key: a successful sign-in from an address does
// not count against it.
func (db *DB) Forgive(ctx context.Context, key string) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE login_failures SET failures = failures - 1 WHERE key = ? AND failures > 0`, key)
		return err
	})
}

// ClearFailures forgets a key's attempts after a successful sign-in.
func (db *DB) ClearFailures(ctx context.Context, key string) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return err
	})
}
