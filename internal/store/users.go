package store

import (
	"context"
	"net/mail"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
)

const userCols = `id, email, name, role, password_hash, disabled, created_at`

// NormalizeEmail trims and lowercases an address, so sign-in ignores case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateUser checks a user a person typed.
func ValidateUser(u *docket.User) error {
	var errs docket.Errors
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		errs = append(errs, docket.FieldError("email", "email %q is not an email address", u.Email))
	}
	if strings.TrimSpace(u.Name) == "" {
		errs = append(errs, docket.FieldError("name", "name must not be empty"))
	}
	if !docket.ValidRole(u.Role) {
		errs = append(errs, docket.FieldError("role", "role %q must be one of %s", u.Role, strings.Join(docket.Roles, ", ")))
	}
	return errs.Err()
}

// CreateUser stores a new user; PasswordHash must already be set.
func (db *DB) CreateUser(ctx context.Context, u *docket.User, by *int64) error {
	u.Email = NormalizeEmail(u.Email)
	if err := ValidateUser(u); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		u.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO users (email, name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			u.Email, strings.TrimSpace(u.Name), u.Role, u.PasswordHash, u.Disabled, u.CreatedAt)
		if isUniqueViolation(err) {
			return &docket.Error{Code: docket.ECONFLICT, Field: "email", Message: "a user with email " + u.Email + " already exists"}
		}
		if err != nil {
			return err
		}
		u.ID = id
		return tx.Audit(ctx, by, "user.create", "user:"+u.Email, "role "+u.Role)
	})
}

// UserByID finds a user.
func (db *DB) UserByID(ctx context.Context, id int64) (*docket.User, error) {
	var u docket.User
	if err := db.get(ctx, &u, `SELECT `+userCols+` FROM users WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "user %d not found", id)
	}
	return &u, nil
}

// UserByEmail finds a user by email, ignoring case.
func (db *DB) UserByEmail(ctx context.Context, email string) (*docket.User, error) {
	var u docket.User
	if err := db.get(ctx, &u, `SELECT `+userCols+` FROM users WHERE email = ?`, NormalizeEmail(email)); err != nil {
		return nil, notFound(err, "no user with email %s", email)
	}
	return &u, nil
}

// ListUsers returns every user by name.
func (db *DB) ListUsers(ctx context.Context) ([]docket.User, error) {
	var out []docket.User
	err := db.sel(ctx, &out, `SELECT `+userCols+` FROM users ORDER BY name, id`)
	return out, err
}

// CountAdmins counts the admins who can sign in.
func (db *DB) CountAdmins(ctx context.Context) (int, error) {
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled`)
	return n, err
}

// UpdateUserAccess changes a user's role and disabled flag. The last active admin cannot be
// demoted or disabled, so the office can never lock itself out. Disabling ends the user's
// sessions.
func (db *DB) UpdateUserAccess(ctx context.Context, id int64, role string, disabled bool, by *int64) error {
	if !docket.ValidRole(role) {
		return docket.FieldError("role", "role %q must be one of %s", role, strings.Join(docket.Roles, ", "))
	}
	return db.Update(ctx, func(tx *Tx) error {
		var u docket.User
		if err := tx.get(ctx, &u, `SELECT `+userCols+` FROM users WHERE id = ?`, id); err != nil {
			return notFound(err, "user %d not found", id)
		}
		if u.Role == docket.RoleAdmin && !u.Disabled && (role != docket.RoleAdmin || disabled) {
			// Lock the active admins' rows, so two admins demoting each other at once cannot
			// both see the other still there (PostgreSQL; SQLite runs one writer at a time).
			var admins []int64
			if err := tx.sel(ctx, &admins, `SELECT id FROM users WHERE role = 'admin' AND NOT disabled`+tx.forUpdate()); err != nil {
				return err
			}
			if len(admins) <= 1 {
				return docket.Errorf(docket.ECONFLICT, "%s is the last admin: make someone else an admin first", u.Name)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE users SET role = ?, disabled = ? WHERE id = ?`, role, disabled, id); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		detail := "role " + u.Role + " → " + role
		if disabled != u.Disabled {
			detail += map[bool]string{true: ", disabled", false: ", enabled"}[disabled]
		}
		return tx.Audit(ctx, by, "user.access", "user:"+u.Email, detail)
	})
}

// SetPassword replaces a user's password hash and ends their other sessions.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string, keepSession string) error {
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return docket.Errorf(docket.ENOTFOUND, "user %d not found", id)
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, id, keepSession); err != nil {
			return err
		}
		return tx.Audit(ctx, &id, "user.password", "user", "password changed")
	})
}
