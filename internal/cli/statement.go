package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
)

// Defaults of the statement settings shared by serve and statement list.
const (
	defaultStaleThreshold = 1
	defaultReviewOverdue  = 48 * time.Hour
)

// statementJSON is a statement as `statement show --json` prints it.
type statementJSON struct {
	ID          int64          `json:"id"`
	Title       string         `json:"title"`
	Status      string         `json:"status"`
	Version     int            `json:"version"`
	Member      *string        `json:"member"`
	Topics      []string       `json:"topics"`
	PublishedAt *time.Time     `json:"published_at"`
	Sentences   []sentenceJSON `json:"sentences"`
	Stale       staleJSON      `json:"stale"`
}

type sentenceJSON struct {
	Index    int            `json:"index"`
	Text     string         `json:"text"`
	Evidence []evidenceJSON `json:"evidence"`
}

type evidenceJSON struct {
	ItemID      int64     `json:"item_id"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	Source      string    `json:"source"`
	PublishedAt time.Time `json:"published_at"`
	Score       float64   `json:"score"`
	State       string    `json:"state"`
}

type staleJSON struct {
	NewItems int               `json:"new_items"`
	Items    []store.StaleItem `json:"items"`
}

// staleItemsShown is how many of a stale statement's new items are listed.
const staleItemsShown = 10

func runStatementShow(ctx context.Context, e *env, args []string) error {
	var o struct {
		db     string
		asJSON bool
	}
	fs := newFlags(e, "statement show", "[flags] ID", "Shows a statement in any status: its sentences with their evidence, and what has\n"+
		"happened on its topics since it was published.")
	fs.dbFlag(&o.db)
	fs.BoolVar(&o.asJSON, "json", false, "print JSON")
	if err := fs.parse(args); err != nil {
		return err
	}
	a, err := fs.args(1, 1)
	if err != nil {
		return err
	}
	id, err := parseID(a[0])
	if err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	out, err := loadStatementJSON(ctx, db, id)
	if err != nil {
		return err
	}
	if o.asJSON {
		return printJSON(e.stdout, out)
	}
	member := "no member"
	if out.Member != nil {
		member = *out.Member
	}
	fmt.Fprintf(e.stdout, "%d  %s\n%s, version %d, %s; topics: %s\n", out.ID, out.Title, docket.StatusLabel(out.Status), out.Version,
		member, strings.Join(out.Topics, ", "))
	if out.PublishedAt != nil {
		fmt.Fprintf(e.stdout, "published %s\n", out.PublishedAt.Format("2 Jan 2006 15:04 MST"))
	}
	for _, s := range out.Sentences {
		fmt.Fprintf(e.stdout, "\n[%d] %s\n", s.Index, s.Text)
		if len(s.Evidence) == 0 {
			fmt.Fprintln(e.stdout, "    (no evidence)")
		}
		for _, ev := range s.Evidence {
			fmt.Fprintf(e.stdout, "    %-9s %.2f  %s (%s, %s)\n", ev.State, ev.Score, ev.Title, ev.Source, ev.PublishedAt.Format("2 Jan 2006"))
		}
	}
	if out.Stale.NewItems > 0 {
		fmt.Fprintf(e.stdout, "\nstale: %d new items on its topics since it was published\n", out.Stale.NewItems)
		for _, it := range out.Stale.Items {
			fmt.Fprintf(e.stdout, "    %s  %s (%s)\n", it.PublishedAt.Format("2 Jan 2006"), it.Title, it.Source)
		}
	}
	return nil
}

func parseID(s string) (int64, error) {
	var id int64
	if _, err := fmt.Sscanf(s, "%d", &id); err != nil || id <= 0 || fmt.Sprint(id) != s {
		return 0, docket.FieldError("id", "%q is not a statement id (a positive whole number)", s)
	}
	return id, nil
}

// loadStatementJSON reads a statement with its evidence by sentence and its staleness.
func loadStatementJSON(ctx context.Context, db *store.DB, id int64) (*statementJSON, error) {
	s, err := db.StatementByID(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &statementJSON{ID: s.ID, Title: s.Title, Status: s.Status, Version: s.Version, PublishedAt: s.PublishedAt,
		Topics: []string{}, Sentences: []sentenceJSON{}}
	if s.MemberID != nil {
		m, err := db.MemberByID(ctx, *s.MemberID)
		if err != nil {
			return nil, err
		}
		out.Member = &m.Name
	}
	topics, err := db.StatementTopics(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, t := range topics {
		out.Topics = append(out.Topics, t.Slug)
	}
	ev, err := db.StatementEvidence(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, se := range evidence.BySentence(s.Body, ev) {
		sj := sentenceJSON{Index: se.Index, Text: se.Text, Evidence: []evidenceJSON{}}
		for _, e := range se.Evidence {
			sj.Evidence = append(sj.Evidence, evidenceJSON{ItemID: e.ItemID, Title: e.ItemTitle, URL: e.ItemURL, Source: e.SourceTitle,
				PublishedAt: e.ItemPublishedAt, Score: e.Score, State: e.State})
		}
		out.Sentences = append(out.Sentences, sj)
	}
	st, err := db.StatementStaleness(ctx, id, staleItemsShown)
	if err != nil {
		return nil, err
	}
	out.Stale = staleJSON{NewItems: st.NewItems, Items: st.Items}
	return out, nil
}

func runStatementList(ctx context.Context, e *env, args []string) error {
	var o struct {
		db, status string
		asJSON     bool
		stale      bool
		threshold  int
	}
	fs := newFlags(e, "statement list", "[flags]", "Lists statements, the most recently changed first; with --stale, the published statements\n"+
		"that confirmed or UN items on their topics have overtaken, with those items.")
	fs.dbFlag(&o.db)
	fs.StringVar(&o.status, "status", "", "only statements in this status: "+strings.Join(docket.Statuses, ", "))
	fs.BoolVar(&o.stale, "stale", false, "only published statements that newer items have made stale")
	fs.intEnv(&o.threshold, "stale-threshold", "DOCKET_STALE_THRESHOLD", defaultStaleThreshold, "how many new items make a statement stale")
	fs.BoolVar(&o.asJSON, "json", false, "print JSON")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	if o.threshold < 1 {
		return fs.fail("--stale-threshold %d must be at least 1", o.threshold)
	}
	if o.stale && o.status != "" && o.status != docket.StatusPublished {
		return fs.fail("--stale lists published statements: leave out --status %s", o.status)
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.stale {
		stale, err := db.StaleStatements(ctx, o.threshold, staleItemsShown)
		if err != nil {
			return err
		}
		if o.asJSON {
			if stale == nil {
				stale = []store.Staleness{}
			}
			return printJSON(e.stdout, stale)
		}
		if len(stale) == 0 {
			fmt.Fprintf(e.stdout, "no stale statements (at least %d new confirmed or UN items on their topics)\n", o.threshold)
			return nil
		}
		for _, s := range stale {
			fmt.Fprintf(e.stdout, "%d  %s (published %s): %d new items\n", s.StatementID, s.Title, s.PublishedAt.Format("2 Jan 2006"), s.NewItems)
			for _, it := range s.Items {
				fmt.Fprintf(e.stdout, "    %s  %s (%s)\n", it.PublishedAt.Format("2 Jan 2006"), it.Title, it.Source)
			}
		}
		return nil
	}
	rows, err := db.ListStatements(ctx, store.StatementFilter{Status: o.status})
	if err != nil {
		return err
	}
	if o.asJSON {
		if rows == nil {
			rows = []store.StatementRow{}
		}
		return printJSON(e.stdout, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "no statements: import one with docket statement import")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tVERSION\tSINCE\tMEMBER\tTITLE")
	now := time.Now()
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", r.ID, r.Status, r.Version, ago(now.Sub(r.StatusChangedAt)), r.MemberName, truncate(r.Title, 60))
	}
	return tw.Flush()
}

// topicFlags collects repeated --topic SLUG flags.
type topicFlags []string

func (t *topicFlags) String() string { return strings.Join(*t, ",") }

func (t *topicFlags) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*t = append(*t, p)
		}
	}
	return nil
}

func runStatementImport(ctx context.Context, e *env, args []string) error {
	var o struct {
		db, member, status, publishedAt, kind, title string
		allowPrivate, dryRun                         bool
		topics                                       topicFlags
	}
	fs := newFlags(e, "statement import", "[flags] FILE|URL|-",
		"Imports a statement from a text file, a saved web page, a web address, or standard input (-).\n"+
			"The page's boilerplate (cookie notices, share and subscribe lines, navigation) is removed and\n"+
			"listed, so you can check that nothing of the statement went with it. Without --member, the\n"+
			"signature (\"Name / MP for Constituency\") says who made it; a member not yet known is added.")
	fs.dbFlag(&o.db)
	fs.StringVar(&o.member, "member", "", "the member who made the statement, by name (default: from the signature)")
	fs.Var(&o.topics, "topic", "a topic to file it under, by slug; repeat for several")
	fs.StringVar(&o.status, "status", docket.StatusDraft, "draft (to go through review) or published (already public)")
	fs.StringVar(&o.publishedAt, "published-at", "", "when it was published, e.g. 2016-12-23 or 2016-12-23T14:05:00Z (default: now; with --status published)")
	fs.StringVar(&o.kind, "kind", docket.KindConstituentResponse, "what it is: "+strings.Join(docket.StatementKinds, ", "))
	fs.StringVar(&o.title, "title", "", "its title (default: the page's title or the text's heading, failing those one made up from its first sentence)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print what would be stored and what would be removed, and store nothing")
	fs.boolEnv(&o.allowPrivate, "allow-private-sources", "DOCKET_ALLOW_PRIVATE_SOURCES", "allow fetching from loopback and private addresses")
	if err := fs.parse(args); err != nil {
		return err
	}
	a, err := fs.args(1, 1)
	if err != nil {
		return err
	}
	if o.status != docket.StatusDraft && o.status != docket.StatusPublished {
		return fs.fail("--status %q must be draft or published", o.status)
	}
	var publishedAt *time.Time
	if o.publishedAt != "" {
		if o.status != docket.StatusPublished {
			return fs.fail("--published-at goes with --status published")
		}
		now := time.Now()
		t, err := parseDate(o.publishedAt, now)
		if err != nil {
			return fs.fail("--published-at %q: %v", o.publishedAt, err)
		}
		if docket.PublishedInFuture(t, now) {
			return fs.fail("--published-at %q is in the future: a statement imported as published has been published already", o.publishedAt)
		}
		publishedAt = &t
	}

	src := a[0]
	body, contentType, pageURL, err := readStatementSource(ctx, e, src, o.allowPrivate)
	if err != nil {
		return err
	}
	ex, err := statements.Extract(body, contentType, pageURL)
	if err != nil {
		return err
	}
	title, madeUp := strings.TrimSpace(o.title), false
	if title == "" {
		title, madeUp = ex.Title, ex.TitleMadeUp
	}

	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	in := store.Import{
		Statement:  docket.Statement{Title: title, Body: ex.Body, Kind: o.kind, Status: o.status, PublishedAt: publishedAt, SourceURL: pageURL},
		MemberName: ex.MemberName, Constituency: ex.Constituency, Party: ex.Party, Stripped: ex.Stripped,
	}
	if o.member != "" {
		m, err := db.MemberByName(ctx, o.member)
		if err != nil {
			return err
		}
		in.MemberID = &m.ID
	}
	for _, slug := range o.topics {
		t, err := db.TopicBySlug(ctx, slug)
		if err != nil {
			return err
		}
		in.TopicIDs = append(in.TopicIDs, t.ID)
	}
	if o.dryRun {
		res, err := db.PreviewImport(ctx, in)
		if err != nil {
			return err
		}
		printImport(e.stdout, res, madeUp, ex.Stripped, true)
		return nil
	}
	res, err := db.ImportStatement(ctx, in)
	if err != nil {
		return err
	}
	printImport(e.stdout, res, madeUp, ex.Stripped, false)
	s := res.Statement
	if len(in.TopicIDs) > 0 {
		r := &evidence.Ranker{DB: db}
		if err := r.Refresh(ctx, s.ID); err != nil {
			return fmt.Errorf("statement %d imported, but suggesting evidence failed: %w", s.ID, err)
		}
	}
	return nil
}

// printImport says what an import stored, or with dryRun would store: the statement, its
// member, a title that was made up, and every line removed.
func printImport(w io.Writer, res *store.ImportResult, titleMadeUp bool, stripped []string, dryRun bool) {
	s := res.Statement
	by := "with no member (no signature found: give --member)"
	if res.Member != nil {
		by = "by " + memberLine(res.Member)
	}
	if dryRun {
		fmt.Fprintf(w, "would import: %q (%s, %d sentences) %s\n", s.Title, s.Status, len(statements.Split(s.Body)), by)
	} else {
		fmt.Fprintf(w, "imported statement %d: %q (%s, %d sentences) %s\n", s.ID, s.Title, s.Status, len(statements.Split(s.Body)), by)
	}
	if titleMadeUp {
		fmt.Fprintln(w, "the text has no title, so this one was made up from its first sentence: check it, or give --title")
	}
	switch {
	case res.MemberCreated && dryRun:
		fmt.Fprintf(w, "would add member %s, from the signature\n", memberLine(res.Member))
	case res.MemberCreated:
		fmt.Fprintf(w, "added member %d, %s, from the signature\n", res.Member.ID, memberLine(res.Member))
	case res.MemberFilled && dryRun:
		fmt.Fprintf(w, "would fill in member %d from the signature: %s\n", res.Member.ID, memberLine(res.Member))
	case res.MemberFilled:
		fmt.Fprintf(w, "filled in member %d from the signature: %s\n", res.Member.ID, memberLine(res.Member))
	}
	if len(stripped) > 0 {
		verb := "removed"
		if dryRun {
			verb = "would remove"
		}
		fmt.Fprintf(w, "%s %d lines; check that none of them is part of the statement:\n", verb, len(stripped))
		for _, l := range stripped {
			fmt.Fprintf(w, "  - %s\n", truncate(l, 120))
		}
	}
	if dryRun {
		fmt.Fprintf(w, "\ntext:\n%s\n\nnothing was stored (--dry-run)\n", s.Body)
	}
}

// parseDate reads a date or a date and time; a date alone is noon UTC, so that it is the same
// day in every time zone the office reads it in.
// parseDate reads a time or a date; a date is taken as docket.PublishedOnDay says.
func parseDate(s string, now time.Time) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return docket.PublishedOnDay(t, now), nil
	}
	return time.Time{}, fmt.Errorf("not a date: write 2016-12-23 or 2016-12-23T14:05:00Z")
}

// readStatementSource reads a statement from a file, standard input or a web address; the
// address is fetched with the feed client, so the same protections apply (private addresses
// refused unless allowed, size cap, timeouts).
func readStatementSource(ctx context.Context, e *env, src string, allowPrivate bool) (body []byte, contentType, pageURL string, err error) {
	switch {
	case strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"):
		f := pageFetcher{ingest.NewClient(ingest.ClientOptions{AllowPrivate: allowPrivate, MaxBody: statements.MaxImportBytes,
			UserAgent: userAgent()})}
		return f.FetchPage(ctx, src)
	case src == "-":
		body, err = io.ReadAll(io.LimitReader(e.stdin, statements.MaxImportBytes+1))
	default:
		var fh *os.File
		if fh, err = os.Open(src); err != nil {
			return nil, "", "", docket.FieldError("file", "%v", err)
		}
		defer fh.Close()
		body, err = io.ReadAll(io.LimitReader(fh, statements.MaxImportBytes+1))
	}
	if err != nil {
		return nil, "", "", fmt.Errorf("read %s: %w", src, err)
	}
	return body, "", "", nil
}

// pageFetcher fetches one web page with the feed client, for the statement import.
type pageFetcher struct{ c *ingest.Client }

// FetchPage gets a page; any failure is the importer's to fix (a wrong address, a site
// that refuses), so it is an invalid-input error saying what happened.
func (p pageFetcher) FetchPage(ctx context.Context, url string) (body []byte, contentType, finalURL string, err error) {
	resp, err := p.c.Fetch(ctx, ingest.Request{URL: url})
	if err != nil {
		return nil, "", "", docket.Errorf(docket.EINVALID, "could not fetch %s: %v", url, err)
	}
	if resp.NotModified || len(resp.Body) == 0 {
		return nil, "", "", docket.Errorf(docket.EINVALID, "%s sent an empty page", url)
	}
	final := resp.FinalURL
	if final == "" {
		final = url
	}
	return resp.Body, resp.ContentType, final, nil
}
