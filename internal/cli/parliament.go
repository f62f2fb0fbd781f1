package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/parliament"
	"github.com/docket-dev/docket/internal/store"
)

// parliamentOptions are where the UK Parliament APIs are and how politely to call them. The
// base URLs are settings so tests, and mirrors, can stand in for Parliament's servers.
type parliamentOptions struct {
	hansard, questions, motions, members string
	interval                             time.Duration
}

// parliamentFlags adds the settings of the APIs a command calls: every one for the commands
// that poll members' records, only the Members API's for those that look members up.
func (fs *flags) parliamentFlags(o *parliamentOptions, polls bool) {
	def := parliament.DefaultConfig()
	o.hansard, o.questions, o.motions, o.interval = def.HansardBase, def.QuestionsBase, def.MotionsBase, def.MinInterval
	if polls {
		fs.stringEnv(&o.hansard, "parliament-hansard-url", "DOCKET_PARLIAMENT_HANSARD_URL", def.HansardBase, "base URL of Parliament's Hansard API")
		fs.stringEnv(&o.questions, "parliament-questions-url", "DOCKET_PARLIAMENT_QUESTIONS_URL", def.QuestionsBase, "base URL of Parliament's written questions and statements API")
		fs.stringEnv(&o.motions, "parliament-motions-url", "DOCKET_PARLIAMENT_MOTIONS_URL", def.MotionsBase, "base URL of Parliament's early day motions API")
	}
	fs.stringEnv(&o.members, "parliament-members-url", "DOCKET_PARLIAMENT_MEMBERS_URL", def.MembersBase, "base URL of Parliament's Members API")
	if polls {
		fs.durationEnv(&o.interval, "parliament-interval", "DOCKET_PARLIAMENT_INTERVAL", def.MinInterval, "the pause between two requests to one Parliament API")
	}
}

// client makes the process's one Parliament client. A bad setting is a usage error.
func (o *parliamentOptions) client(fs *flags) (*parliament.Client, error) {
	if o.interval < 0 {
		return nil, fs.fail("--parliament-interval %s must not be negative", o.interval)
	}
	cfg := parliament.DefaultConfig()
	cfg.HansardBase, cfg.QuestionsBase, cfg.MotionsBase, cfg.MembersBase = o.hansard, o.questions, o.motions, o.members
	cfg.MinInterval = o.interval
	cfg.UserAgent = userAgent()
	c, err := parliament.New(cfg)
	if err != nil {
		var es docket.Errors
		if errors.As(err, &es) {
			msgs := make([]string, len(es))
			for i, e := range es {
				msgs[i] = strings.NewReplacer("HansardBase", "--parliament-hansard-url", "QuestionsBase", "--parliament-questions-url",
					"MotionsBase", "--parliament-motions-url", "MembersBase", "--parliament-members-url").Replace(e.Message)
			}
			return nil, fs.fail("%s", strings.Join(msgs, "; "))
		}
		return nil, fs.fail("%v", err)
	}
	return c, nil
}

// memberFindJSON is a member as `member find --json` prints it.
type memberFindJSON struct {
	ID           int    `json:"id"`
	Name         string `json:"name"`
	Party        string `json:"party"`
	House        string `json:"house"`
	Constituency string `json:"constituency"`
	Current      bool   `json:"current"`
}

func runMemberFind(ctx context.Context, e *env, args []string) error {
	var (
		o      parliamentOptions
		asJSON bool
	)
	fs := newFlags(e, "member find", "[flags] NAME", "Searches Parliament's Members API for members whose name contains NAME, and prints their\n"+
		"Parliament ids: the id is what 'docket source add --kind parliament --member-id ID' takes.")
	fs.parliamentFlags(&o, false)
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	if err := fs.parse(args); err != nil {
		return err
	}
	a, err := fs.args(1, -1)
	if err != nil {
		return err
	}
	name := strings.Join(a, " ")
	pc, err := o.client(fs)
	if err != nil {
		return err
	}
	ms, err := pc.FindMembers(ctx, name)
	if err != nil {
		return err
	}
	out := make([]memberFindJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, memberFindJSON{ID: m.ID, Name: m.Name, Party: m.Party, House: m.House, Constituency: m.Constituency, Current: m.Current})
	}
	if asJSON {
		return printJSON(e.stdout, out)
	}
	if len(out) == 0 {
		fmt.Fprintf(e.stdout, "no member of either House has a name containing %q\n", name)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPARTY\tHOUSE\tCONSTITUENCY\tCURRENT")
	for _, m := range out {
		current := "no"
		if m.Current {
			current = "yes"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Name, m.Party, m.House, m.Constituency, current)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nFollow one with: docket source add --kind parliament --member-id %d\n", out[0].ID)
	return nil
}

// parseMemberID reads a Parliament member id as typed.
func parseMemberID(fs *flags, s string) (int, error) {
	id, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || id <= 0 || id > 999999999 {
		return 0, fs.fail("--member-id %q must be a positive whole number, a member's Parliament id (find it with docket member find NAME)", s)
	}
	return id, nil
}

// memberLookupTimeout bounds the Members API call of source add: the member can be named
// later, and the command should not hang on an unreachable API.
const memberLookupTimeout = 15 * time.Second

// addParliamentSource adds the source that polls the record of the member with Parliament id
// id, linked to the Docket member with that id: found, or the member called name (which then
// gets the id), or created from the Members API, or, when the API cannot be reached, created
// as "Member ID" to be renamed later.
func addParliamentSource(ctx context.Context, e *env, db *store.DB, pc *parliament.Client, id int, name, title string) error {
	src := &docket.Source{URL: ingest.ParliamentSourceURL(id), Kind: docket.KindParliament, Title: title}
	if have, err := db.SourceByURL(ctx, src.URL); err == nil {
		return docket.Errorf(docket.ECONFLICT, "member %d is already followed by source %d", id, have.ID)
	} else if docket.ErrorCode(err) != docket.ENOTFOUND {
		return err
	}
	ext := strconv.Itoa(id)
	m, err := db.MemberByExternalID(ctx, ext)
	switch {
	case err == nil:
		if name != "" && docket.Fold(name) != docket.Fold(m.Name) {
			return docket.Errorf(docket.ECONFLICT, "Parliament id %d belongs to member %d, %s, not %s", id, m.ID, m.Name, name)
		}
	case docket.ErrorCode(err) != docket.ENOTFOUND:
		return err
	case name != "":
		if m, err = db.MemberByName(ctx, name); err != nil {
			return err
		}
		if m.ExternalID != nil && *m.ExternalID != ext {
			return docket.Errorf(docket.ECONFLICT, "member %d, %s, has Parliament id %s, not %d", m.ID, m.Name, *m.ExternalID, id)
		}
		m.ExternalID = &ext
		if err := db.UpdateMember(ctx, m, nil); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "member %d, %s, now has Parliament id %d\n", m.ID, m.Name, id)
	default:
		m = &docket.Member{ExternalID: &ext}
		lctx, cancel := context.WithTimeout(ctx, memberLookupTimeout)
		pm, lerr := pc.Member(lctx, id)
		cancel()
		if lerr == nil {
			m.Name, m.Party = pm.Name, pm.Party
			if pm.House == "Commons" {
				m.Constituency = pm.Constituency // for a peer, the API gives the kind of peerage
			}
		} else {
			m.Name = "Member " + ext
			fmt.Fprintf(e.stderr, "Parliament's Members API did not answer (%s): the member is added as %q; rename them on the office's Members page.\n", oneLine(lerr), m.Name)
		}
	}
	if src.Title == "" {
		src.Title = m.Name + " in Parliament"
	}
	created := m.ID == 0
	err = db.Update(ctx, func(tx *store.Tx) error {
		if created {
			if err := tx.CreateMember(ctx, m); err != nil {
				return err
			}
		}
		src.MemberID = &m.ID
		return tx.CreateSource(ctx, src)
	})
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(e.stdout, "added member %d: %s, Parliament id %d\n", m.ID, memberLine(m), id)
	}
	fmt.Fprintf(e.stdout, "added source %d: %s (%s), the record of %s in Parliament\n", src.ID, src.URL, src.Kind, m.Name)
	return nil
}
