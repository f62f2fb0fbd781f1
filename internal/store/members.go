package store

import (
	"context"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
)

const memberCols = `id, name, constituency, party, external_id, created_at`

// ValidateMember checks a member a person typed.
func ValidateMember(m *docket.Member) error {
	if strings.TrimSpace(m.Name) == "" {
		return docket.FieldError("name", "name must not be empty")
	}
	return nil
}

// CreateMember stores a new member.
func (db *DB) CreateMember(ctx context.Context, m *docket.Member) error {
	if err := ValidateMember(m); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error { return tx.CreateMember(ctx, m) })
}

// CreateMember stores a new member inside tx.
func (tx *Tx) CreateMember(ctx context.Context, m *docket.Member) error {
	m.Name = strings.TrimSpace(m.Name)
	m.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO members (name, constituency, party, external_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		m.Name, m.Constituency, m.Party, m.ExternalID, m.CreatedAt)
	if isUniqueViolation(err) {
		return docket.Errorf(docket.ECONFLICT, "a member with Parliament id %s already exists", deref(m.ExternalID))
	}
	if err != nil {
		return err
	}
	m.ID = id
	return nil
}

// UpdateMember saves a member's name, constituency, party and external id.
func (db *DB) UpdateMember(ctx context.Context, m *docket.Member) error {
	if err := ValidateMember(m); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE members SET name = ?, constituency = ?, party = ?, external_id = ? WHERE id = ?`,
			strings.TrimSpace(m.Name), m.Constituency, m.Party, m.ExternalID, m.ID)
		if isUniqueViolation(err) {
			return docket.Errorf(docket.ECONFLICT, "a member with Parliament id %s already exists", deref(m.ExternalID))
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return docket.Errorf(docket.ENOTFOUND, "member %d not found", m.ID)
		}
		return nil
	})
}

// MemberByID finds a member.
func (db *DB) MemberByID(ctx context.Context, id int64) (*docket.Member, error) {
	var m docket.Member
	if err := db.get(ctx, &m, `SELECT `+memberCols+` FROM members WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "member %d not found", id)
	}
	return &m, nil
}

// MemberByName finds a member by name, ignoring case and accents.
func (db *DB) MemberByName(ctx context.Context, name string) (*docket.Member, error) {
	all, err := db.ListMembers(ctx)
	if err != nil {
		return nil, err
	}
	want := docket.Fold(name)
	for i := range all {
		if docket.Fold(all[i].Name) == want {
			return &all[i], nil
		}
	}
	return nil, docket.Errorf(docket.ENOTFOUND, "no member named %q: add one with docket member add", name)
}

// MemberByExternalID finds a member by Parliament id.
func (db *DB) MemberByExternalID(ctx context.Context, ext string) (*docket.Member, error) {
	var m docket.Member
	if err := db.get(ctx, &m, `SELECT `+memberCols+` FROM members WHERE external_id = ?`, ext); err != nil {
		return nil, notFound(err, "no member with Parliament id %s", ext)
	}
	return &m, nil
}

// ListMembers returns every member by name.
func (db *DB) ListMembers(ctx context.Context) ([]docket.Member, error) {
	var out []docket.Member
	err := db.sel(ctx, &out, `SELECT `+memberCols+` FROM members ORDER BY name, id`)
	return out, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
