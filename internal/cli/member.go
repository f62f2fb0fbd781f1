package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
)

func runMemberAdd(ctx context.Context, e *env, args []string) error {
	var o struct{ db, name, constituency, party string }
	fs := newFlags(e, "member add", "--name NAME [--constituency C] [--party P]",
		"Adds a member (an MP) whose statements Docket tracks.")
	fs.dbFlag(&o.db)
	fs.StringVar(&o.name, "name", "", "the member's name, e.g. 'Jane Doe'")
	fs.StringVar(&o.constituency, "constituency", "", "the constituency they represent")
	fs.StringVar(&o.party, "party", "", "their party")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	m := &docket.Member{Name: strings.TrimSpace(o.name), Constituency: strings.TrimSpace(o.constituency), Party: strings.TrimSpace(o.party)}
	if err := store.ValidateMember(m); err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if same, err := db.MemberByName(ctx, m.Name); err == nil {
		return docket.Errorf(docket.ECONFLICT, "member %d is already called %s", same.ID, same.Name)
	}
	if err := db.CreateMember(ctx, m); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added member %d: %s\n", m.ID, memberLine(m))
	return nil
}

// memberLine is "Jane Doe, MP for Exampleton (Labour)".
func memberLine(m *docket.Member) string {
	s := m.Name
	if m.Constituency != "" {
		s += ", MP for " + m.Constituency
	}
	if m.Party != "" {
		s += " (" + m.Party + ")"
	}
	return s
}

func runMemberList(ctx context.Context, e *env, args []string) error {
	var o struct {
		db     string
		asJSON bool
	}
	fs := newFlags(e, "member list", "[flags]", "Lists the members.")
	fs.dbFlag(&o.db)
	fs.BoolVar(&o.asJSON, "json", false, "print JSON")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	ms, err := db.ListMembers(ctx)
	if err != nil {
		return err
	}
	if o.asJSON {
		if ms == nil {
			ms = []docket.Member{}
		}
		return printJSON(e.stdout, ms)
	}
	if len(ms) == 0 {
		fmt.Fprintln(e.stdout, "no members: add one with docket member add --name NAME")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCONSTITUENCY\tPARTY")
	for _, m := range ms {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", m.ID, m.Name, m.Constituency, m.Party)
	}
	return tw.Flush()
}
