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

// SessionUser returns the user of a live session, extending it when half its time has
// passed (so an active user stays signed in and an idle one does not). A missing, expired or
// disabled user's session is not found.
func (db *DB) SessionUser(ctx context.Context, tokenHash string, ttl time.Duration) (*docket.User, error) {
	var row struct {
		ExpiresAt time.Time `db:"expires_at"`
		docket.User
	}
	err := db.get(ctx, &row, `SELECT s.expires_at, u.id, u.email, u.name, u.role, u.password_hash, u.disabled, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash)
	if err != nil {
		return nil, notFound(err, "no session")
	}
	now := db.now()
	if row.ExpiresAt.Before(now) || row.User.Disabled {
		return nil, docket.Errorf(docket.ENOTFOUND, "session expired")
	}
	if row.ExpiresAt.Sub(now) < ttl/2 {
		err := db.Update(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE sessions SET expires_at = ?, last_seen_at = ? WHERE token_hash = ?`, now.Add(ttl), now, tokenHash)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	u := row.User
	return &u, nil
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
}

// Throttle limits failed sign-ins per key (an account, an address).
type Throttle struct {
	Max    int           // failures allowed within Window
	Window time.Duration // the counting window, and the lock's length
}

// LockedUntil returns when key's lock ends, zero when key is not locked.
func (db *DB) LockedUntil(ctx context.Context, key string) (time.Time, error) {
	var until []time.Time
	err := db.sel(ctx, &until, `SELECT locked_until FROM login_failures WHERE key = ? AND locked_until IS NOT NULL`, key)
	if err != nil || len(until) == 0 || until[0].Before(db.now()) {
		return time.Time{}, err
	}
	return until[0], nil
}

// RecordFailure counts a failed sign-in for each key and locks those over the limit. It
// returns the latest lock end among them, zero when none is locked.
func (db *DB) RecordFailure(ctx context.Context, th Throttle, keys ...string) (time.Time, error) {
	var locked time.Time
	err := db.Update(ctx, func(tx *Tx) error {
		for _, key := range keys {
			var cur []struct {
				Failures    int       `db:"failures"`
				WindowStart time.Time `db:"window_start"`
			}
			if err := tx.sel(ctx, &cur, `SELECT failures, window_start FROM login_failures WHERE key = ?`, key); err != nil {
				return err
			}
			n, start := 1, tx.now
			if len(cur) == 1 && tx.now.Sub(cur[0].WindowStart) < th.Window {
				n, start = cur[0].Failures+1, cur[0].WindowStart
			}
			var until *time.Time
			if n >= th.Max {
				t := tx.now.Add(th.Window)
				until = &t
				if t.After(locked) {
					locked = t
				}
			}
			_, err := tx.exec(ctx, `INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
				key, n, start, until)
			if err != nil {
				return err
			}
		}
		return nil
	})
	return locked, err
}

// ClearFailures forgets a key's failures after a successful sign-in.
func (db *DB) ClearFailures(ctx context.Context, key string) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return err
	})
}
