package store_test

import (
	"context"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestMatchMember: a signature names a stored member however the two write the name, and
// names the member of its constituency when the names differ but share a word.
func TestMatchMember(t *testing.T) {
	all := []docket.Member{
		{ID: 1, Name: "Ms Hannah Wren", Constituency: "Eastbridge and Marlow Vale"},
		{ID: 2, Name: "Rt Hon Sir Edward Hale MP", Constituency: "Northbridge"},
		{ID: 3, Name: "John Smith", Constituency: "Leeds Central"},
		{ID: 4, Name: "John Smith", Constituency: "Exampleton"},
		{ID: 5, Name: "Dr. Amal Haddad"},
		{ID: 6, Name: "Thomas Baird", Constituency: "Southvale"},
		{ID: 7, Name: "Lady Siân Prys-Jones OBE", Constituency: "Ynys Môn"},
		{ID: 8, Name: "Ann Lee", Constituency: "Leeds Central"},
	}
	cases := []struct {
		name, signature, constituency string
		want                          int64 // 0: no member, a new one is added
	}{
		{"honorific on the stored name", "Hannah Wren", "Eastbridge and Marlow Vale", 1},
		{"letters after the signature", "HANNAH WREN MP", "", 1},
		{"a different honorific", "Mrs Hannah Wren", "", 1},
		{"title and letters on the stored name", "Edward Hale", "", 2},
		{"the same title on both", "The Rt. Hon. Sir Edward Hale", "Northbridge", 2},
		{"two of a name told apart by the seat", "John Smith", "Exampleton", 4},
		{"two of a name, no seat: the oldest", "John Smith", "", 3},
		{"doctor with a full stop", "Amal Haddad", "Westhaven", 5},
		{"accents, hyphens and a title", "Sian Prys-Jones", "", 7},
		{"the seat's member by surname", "Tom Baird", "SOUTHVALE", 6},
		{"the seat's member by first name", "Hannah Marsh", "Eastbridge and Marlow Vale", 1},
		{"a new member for the seat", "Peter Quill", "Southvale", 0},
		{"an unknown name and seat", "Peter Quill", "Westhaven", 0},
		{"an initial is not enough", "H. Quill", "Eastbridge and Marlow Vale", 0},
		{"a seat with two members is no clue", "Ann Smith", "Leeds Central", 0},
		{"titles alone name nobody", "Lord", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got int64
			if m := store.MatchMember(all, c.signature, c.constituency); m != nil {
				got = m.ID
			}
			if got != c.want {
				t.Errorf("MatchMember(%q, %q) = member %d, want %d", c.signature, c.constituency, got, c.want)
			}
		})
	}
}

func TestNameKey(t *testing.T) {
	for in, want := range map[string]string{
		"Ms Hannah Wren":                     "hannah wren",
		"Hannah Wren MP":                     "hannah wren",
		"The Rt. Hon. Dame Jo Bell":          "jo bell",
		"Sir Keir Starmer KC MP":             "keir starmer",
		"Jane Doe M.P.":                      "jane doe",
		"Lord":                               "lord",
		"  Zoë   O'Neill ":                   "zoe o neill",
		"Professor Sir John Curtice":         "john curtice",
		"Cllr Mohammed Ali, OBE":             "mohammed ali",
		"Baroness Chakrabarti of Kennington": "chakrabarti of kennington",
	} {
		if got := store.NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestImportFindsTheMemberOfTheSignature: importing a text signed "Hannah Wren / MP for
// Eastbridge and Marlow Vale" files it under the stored "Ms Hannah Wren", fills in what her
// record lacked, and adds nobody; a preview says the same and stores nothing.
func TestImportFindsTheMemberOfTheSignature(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		wren := &docket.Member{Name: "Ms Hannah Wren"}
		other := &docket.Member{Name: "Thomas Baird", Constituency: "Southvale", Party: "Green"}
		for _, m := range []*docket.Member{wren, other} {
			if err := db.CreateMember(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		in := store.Import{Statement: docket.Statement{Title: "On Idlib", Body: "Text.", Kind: docket.KindConstituentResponse},
			MemberName: "Hannah Wren", Constituency: "Eastbridge and Marlow Vale", Party: "Labour", Stripped: []string{"Hannah Wren", "MP for Eastbridge and Marlow Vale"}}
		preview, err := db.PreviewImport(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if preview.Member == nil || preview.Member.ID != wren.ID || preview.MemberCreated || !preview.MemberFilled || preview.Statement.ID != 0 {
			t.Errorf("preview %+v (member %+v), want Ms Hannah Wren filled in, nothing stored", preview, preview.Member)
		}
		if rows, _ := db.ListStatements(ctx, store.StatementFilter{}); len(rows) != 0 {
			t.Errorf("the preview stored %d statements", len(rows))
		}
		if m, _ := db.MemberByID(ctx, wren.ID); m.Constituency != "" {
			t.Errorf("the preview changed the member: %+v", m)
		}

		res, err := db.ImportStatement(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if res.MemberCreated || res.Member.ID != wren.ID || !res.MemberFilled {
			t.Errorf("import: member %+v, created %v, filled %v; want Ms Hannah Wren, filled in", res.Member, res.MemberCreated, res.MemberFilled)
		}
		ms, _ := db.ListMembers(ctx)
		if len(ms) != 2 {
			t.Errorf("%d members after the import, want the 2 there were", len(ms))
		}
		m, _ := db.MemberByID(ctx, wren.ID)
		if m.Name != "Ms Hannah Wren" || m.Constituency != "Eastbridge and Marlow Vale" || m.Party != "Labour" {
			t.Errorf("member after the import %+v, want her constituency and party from the signature", m)
		}
		if got, _ := db.ImportStripped(ctx, res.Statement.ID); len(got) != 2 || got[1] != "MP for Eastbridge and Marlow Vale" {
			t.Errorf("stripped lines kept %q", got)
		}

		// What the member's record says already is not overwritten by a signature.
		in.MemberName, in.Constituency, in.Party = "Tom Baird", "Southvale", "Labour"
		res, err = db.ImportStatement(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Member.ID != other.ID || res.MemberFilled || res.Member.Party != "Green" {
			t.Errorf("import by the seat: member %+v, filled %v; want Thomas Baird unchanged", res.Member, res.MemberFilled)
		}
		if m, err := db.MemberByName(ctx, "hannah wren"); err != nil || m.ID != wren.ID {
			t.Errorf("MemberByName(hannah wren) = %+v, %v", m, err)
		}
	})
}
