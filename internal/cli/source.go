package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
)

func runSourceAdd(ctx context.Context, e *env, args []string) error {
	var (
		o  struct{ db, kind, title, member, memberID string }
		po parliamentOptions
	)
	fs := newFlags(e, "source add", "[flags] URL\n       docket source add --kind parliament --member-id ID [flags]",
		"Adds a feed (RSS, Atom or JSON Feed). It is fetched at the next ingest, or at once by a running docket serve.\n"+
			"With --kind parliament --member-id ID, adds a member's record in Parliament instead (speeches, written\n"+
			"questions and statements, early day motions), polled from Parliament's APIs; find the id with docket member find.\n"+
			"The items of an MP's own feed (--kind mp --member NAME) become that member's statements.")
	fs.dbFlag(&o.db)
	fs.StringVar(&o.kind, "kind", docket.KindNews, "what the source is: "+strings.Join(docket.SourceKinds, ", "))
	fs.StringVar(&o.title, "title", "", "a name for the source (default: the feed's own title)")
	fs.StringVar(&o.member, "member", "", "the member (by name) whose statements the feed holds, for --kind mp or parliament")
	fs.StringVar(&o.memberID, "member-id", "", "the member's Parliament id, for --kind parliament without a URL")
	fs.parliamentFlags(&po, false)
	if err := fs.parse(args); err != nil {
		return err
	}
	kindSet := false
	fs.Visit(func(f *flag.Flag) { kindSet = kindSet || f.Name == "kind" })
	o.member = strings.TrimSpace(o.member)
	rest := fs.Args()
	if len(rest) == 1 && o.memberID == "" {
		// parliament:member/ID typed as the URL is the same as --member-id ID.
		if id, ok := ingest.ParliamentMemberID(strings.TrimSpace(rest[0])); ok {
			o.memberID, rest = strconv.Itoa(id), nil
		}
	}
	if o.memberID != "" {
		if kindSet && o.kind != docket.KindParliament {
			return fs.fail("--member-id is for --kind parliament, not %s", o.kind)
		}
		if len(rest) > 0 {
			return fs.fail("--member-id takes no URL: the source is the member's record in Parliament")
		}
		id, err := parseMemberID(fs, o.memberID)
		if err != nil {
			return err
		}
		pc, err := po.client(fs)
		if err != nil {
			return err
		}
		db, err := openDB(ctx, e, o.db, nil)
		if err != nil {
			return err
		}
		defer db.Close()
		return addParliamentSource(ctx, e, db, pc, id, o.member, strings.TrimSpace(o.title))
	}
	if o.kind == docket.KindParliament && len(rest) == 0 {
		return fs.fail("give --member-id ID to follow a member's record in Parliament (find it with docket member find NAME), or a feed URL")
	}
	a, err := fs.args(1, 1)
	if err != nil {
		return err
	}
	if o.member != "" && o.kind != docket.KindMP && o.kind != docket.KindParliament {
		return fs.fail("--member is for --kind mp or parliament: a %s feed holds no member's statements", o.kind)
	}
	src := &docket.Source{URL: strings.TrimSpace(a[0]), Kind: o.kind, Title: o.title}
	if _, ok := ingest.ParliamentMemberID(src.URL); !ok && strings.HasPrefix(src.URL, "parliament:") {
		return fs.fail("%q is not a member's record: use --kind parliament --member-id ID", src.URL)
	}
	if err := store.ValidateSource(src); err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	var m *docket.Member
	if o.member != "" {
		if m, err = db.MemberByName(ctx, o.member); err != nil {
			return err
		}
		src.MemberID = &m.ID
	}
	if err := db.CreateSource(ctx, src); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added source %d: %s (%s)\n", src.ID, src.URL, src.Kind)
	if m != nil {
		fmt.Fprintf(e.stdout, "its items become statements of %s\n", memberLine(m))
	}
	return nil
}

// sourceJSON is a source as `source list --json` prints it.
type sourceJSON struct {
	ID                int64      `json:"id"`
	URL               string     `json:"url"`
	Title             string     `json:"title"`
	Kind              string     `json:"kind"`
	ItemCount         int64      `json:"item_count"`
	LastStatus        int        `json:"last_status"`
	LastError         string     `json:"last_error"`
	ConsecutiveErrors int        `json:"consecutive_errors"`
	LastFetchedAt     *time.Time `json:"last_fetched_at"`
	NextFetchAt       time.Time  `json:"next_fetch_at"`
	Disabled          bool       `json:"disabled"`
}

func runSourceList(ctx context.Context, e *env, args []string) error {
	var o struct {
		db      string
		asJSON  bool
		failing bool
	}
	fs := newFlags(e, "source list", "[flags]", "Lists sources with their health: items, last fetch, last status and error, next fetch.")
	fs.dbFlag(&o.db)
	fs.BoolVar(&o.asJSON, "json", false, "print JSON")
	fs.BoolVar(&o.failing, "failing", false, "only sources whose last fetch failed")
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
	srcs, err := db.ListSources(ctx)
	if err != nil {
		return err
	}
	out := make([]sourceJSON, 0, len(srcs))
	for _, s := range srcs {
		if o.failing && !s.Failing() {
			continue
		}
		out = append(out, sourceJSON{ID: s.ID, URL: s.URL, Title: s.Title, Kind: s.Kind, ItemCount: s.ItemCount,
			LastStatus: s.LastStatus, LastError: s.LastError, ConsecutiveErrors: s.ConsecutiveErrors,
			LastFetchedAt: s.LastFetchedAt, NextFetchAt: s.NextFetchAt, Disabled: s.Disabled})
	}
	if o.asJSON {
		return printJSON(e.stdout, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, "no sources: add one with docket source add URL")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tITEMS\tLAST FETCH\tSTATUS\tNEXT FETCH\tURL")
	now := time.Now()
	for _, s := range out {
		last := "never"
		if s.LastFetchedAt != nil {
			last = ago(now.Sub(*s.LastFetchedAt)) + " ago"
		}
		status := "ok"
		switch {
		case s.Disabled:
			status = "disabled"
		case s.LastError != "":
			status = fmt.Sprintf("failing ×%d: %s", s.ConsecutiveErrors, truncate(s.LastError, 60))
		case s.LastFetchedAt == nil:
			status = "new"
		}
		next := "due now"
		if d := s.NextFetchAt.Sub(now); d > 0 {
			next = "in " + ago(d)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", s.ID, s.Kind, s.ItemCount, last, status, next, s.URL)
	}
	return tw.Flush()
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// truncate shortens s to n characters, the last an ellipsis; it counts and cuts runes, so a
// multi-byte character (é, –, Arabic script) is never split.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
