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
	return db.AddMember(ctx, m, nil)
}

// AddMember is CreateMember for an office action, recorded by audit (when not nil) in the same
// transaction.
func (db *DB) AddMember(ctx context.Context, m *docket.Member, audit *AuditRow) error {
	if err := ValidateMember(m); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		if err := tx.CreateMember(ctx, m); err != nil {
			return err
		}
		return tx.audit(ctx, audit)
	})
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

// UpdateMember saves a member's name, constituency, party and external id, recorded by audit
// in the same transaction.
func (db *DB) UpdateMember(ctx context.Context, m *docket.Member, audit *AuditRow) error {
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
		return tx.audit(ctx, audit)
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

// MemberByName finds a member by name, ignoring case, accents, honorifics and titles
// (NameKey): "hannah wren" finds "Ms Hannah Wren".
func (db *DB) MemberByName(ctx context.Context, name string) (*docket.Member, error) {
	all, err := db.ListMembers(ctx)
	if err != nil {
		return nil, err
	}
	if m := byName(all, name, ""); m != nil {
		return m, nil
	}
	return nil, docket.Errorf(docket.ENOTFOUND, "no member named %q: add one with docket member add", name)
}

// Words around a name that do not tell one person from another, folded: honorifics and
// titles before it, letters after it.
var (
	nameTitles   = setOf("mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame", "lord", "lady", "baron", "baroness", "the", "rt", "right", "hon", "honourable", "rev", "reverend", "cllr", "councillor")
	postNominals = setOf("mp", "m", "p", "obe", "cbe", "mbe", "kbe", "dbe", "kc", "qc", "pc", "jp", "dl", "frs", "kcb", "dcb")
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// NameKey is the form in which two writings of one person's name are equal: folded (case,
// accents and punctuation gone), without honorifics and titles before it ("Rt Hon", "Ms",
// "Dr", "Sir", "Lady") or letters after it ("MP", "OBE"). A name that is nothing but such
// words is its folded self.
func NameKey(name string) string {
	words := strings.Fields(docket.Fold(name))
	all := strings.Join(words, " ")
	for len(words) > 1 && nameTitles[words[0]] {
		words = words[1:]
	}
	for len(words) > 1 && postNominals[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return all
	}
	return strings.Join(words, " ")
}

// MatchMember finds the member a signature names among all: the one whose name is the same
// by NameKey (the one of the signature's constituency, when several are); failing that, the
// only member of that constituency, provided the names share a word ("Tom Wren" and "Thomas
// Wren", "Hannah Wren" and "Hannah Marsh" after a marriage), since a seat changes hands at
// an election and its new member is someone else. nil when none matches.
func MatchMember(all []docket.Member, name, constituency string) *docket.Member {
	if m := byName(all, name, constituency); m != nil {
		return m
	}
	c := docket.Fold(constituency)
	if c == "" {
		return nil
	}
	var of []int
	for i := range all {
		if docket.Fold(all[i].Constituency) == c {
			of = append(of, i)
		}
	}
	if len(of) != 1 {
		return nil
	}
	m := &all[of[0]]
	mine := map[string]bool{}
	for _, w := range strings.Fields(NameKey(m.Name)) {
		mine[w] = len(w) > 1 // an initial is too little to go on
	}
	for _, w := range strings.Fields(NameKey(name)) {
		if mine[w] {
			return m
		}
	}
	return nil
}

// byName finds a member by NameKey, preferring one of constituency when several share the
// name, then the oldest.
func byName(all []docket.Member, name, constituency string) *docket.Member {
	want := NameKey(name)
	c := docket.Fold(constituency)
	var found *docket.Member
	for i := range all {
		if NameKey(all[i].Name) != want {
			continue
		}
		if c != "" && docket.Fold(all[i].Constituency) == c {
			return &all[i]
		}
		if found == nil {
			found = &all[i]
		}
	}
	return found
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
