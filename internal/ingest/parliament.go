package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/parliament"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
)

// An MP's own record comes in two ways, and both become ingested statements (published, of
// the source's member, filed under the topics their text matches) rather than timeline items:
//
//   - a parliament source whose URL is parliament:member/ID polls the Parliament APIs through
//     the process's one parliament.Client (Hansard, written questions and statements, early
//     day motions) instead of fetching a feed;
//   - a feed of kind mp (the MP's own website), or of kind parliament linked to a member
//     (such as a member's debates feed), is fetched and stored as usual, and each of its items
//     also becomes a statement.

// parliamentPrefix starts the URL of a source that polls a member's record.
const parliamentPrefix = "parliament:member/"

// ParliamentSourceURL is the URL of the source that polls the record of the member with
// Parliament id memberID. It is stable, so adding the same member twice is refused as a
// duplicate source.
func ParliamentSourceURL(memberID int) string {
	return parliamentPrefix + strconv.Itoa(memberID)
}

// ParliamentMemberID returns the Parliament member id a source URL of the form
// parliament:member/ID names; ok is false for any other URL, and for an id written with
// leading zeros, so that each member has one URL and cannot be added twice.
func ParliamentMemberID(u string) (id int, ok bool) {
	rest, found := strings.CutPrefix(u, parliamentPrefix)
	if !found || rest == "" || len(rest) > 9 || rest[0] == '0' {
		return 0, false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	id, err := strconv.Atoi(rest)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}

// Parliament sources are polled at most hourly: the APIs publish a day's record once or twice
// a day, and each poll costs several requests to a free public service.
const ParliamentMinInterval = time.Hour

// cursorLookback keeps a parliament source's cursor this far behind today, so records that
// Parliament publishes a day or two after their date (Hansard's daily part, a question's
// entry) are still asked for. Asking for them again costs nothing: statements are upserted by
// their external id.
const cursorLookback = 3 * 24 * time.Hour

// ParliamentFetch is what a poll of the Parliament APIs found for one member.
type ParliamentFetch struct {
	MemberID      int       // the member's Parliament id
	Since         time.Time // the day asked from; zero for everything
	Contributions []parliament.Contribution
	// Cursor is the day the next poll starts from, "YYYY-MM-DD". It is set only when the
	// poll had no error, so what a failing API left out is asked for again.
	Cursor string
}

// fetchParliament polls the Parliament APIs for the member a parliament source names, from
// the day in its cursor on. Partial results are kept beside the error: Store keeps them and
// records the error.
func (g *Ingester) fetchParliament(ctx context.Context, f *Fetched, memberID int) {
	src := f.Source
	p := &ParliamentFetch{MemberID: memberID}
	f.Parliament = p
	f.Title = "Parliament member " + strconv.Itoa(memberID)
	if g.Parliament == nil {
		f.Err = errors.New("parliament: this process has no Parliament API client")
		return
	}
	if src.MemberID == nil && g.DB != nil {
		// A source added without its member (the office's form takes only a URL) still
		// files the statements under the member with that Parliament id, when there is one.
		if m, err := g.DB.MemberByExternalID(ctx, strconv.Itoa(memberID)); err == nil {
			f.Source.MemberID = &m.ID
			src.MemberID = &m.ID
		}
	}
	if c := strings.TrimSpace(src.Cursor); c != "" {
		since, err := time.Parse(time.DateOnly, c)
		if err != nil {
			// Polling from the start again is slow once, but loses nothing.
			g.log().Warn("parliament source cursor is not a date: polling from the start", "source", src.URL, "cursor", c)
		} else {
			p.Since = since
		}
	}
	cs, err := g.Parliament.Contributions(ctx, memberID, p.Since)
	p.Contributions = append(cs, g.answeredSince(ctx, src, p.Since, cs)...)
	if err != nil {
		f.Err = err
		f.RetryAfter, _ = parliament.RetryAfter(err)
		var apiErr *parliament.APIError
		if errors.As(err, &apiErr) {
			f.Status = apiErr.StatusCode
		}
		return
	}
	f.Status = 200
	p.Cursor = nextCursor(p.Since, cs, docket.Now())
}

// Written questions are listed by the day they were tabled, so once the cursor has passed
// that day, the list no longer shows a question the government answers later. Each poll
// therefore fetches again, one by one, up to maxAnswerChecks of the member's questions tabled
// in the answerWindow before the cursor that were stored without an answer.
const (
	answerWindow    = 60 * 24 * time.Hour
	maxAnswerChecks = 20
)

// answeredSince returns the member's written questions stored unanswered that have been
// answered since. Failures are logged, not returned: the questions are still unanswered in
// the database, so the next poll tries them again, and the poll's own lists are not at fault.
func (g *Ingester) answeredSince(ctx context.Context, src docket.Source, since time.Time, polled []parliament.Contribution) []parliament.Contribution {
	if since.IsZero() || src.MemberID == nil || g.DB == nil || ctx.Err() != nil {
		return nil
	}
	exts, err := g.DB.IngestedLacking(ctx, *src.MemberID, "wq:", AnswerHeading, since.Add(-answerWindow), maxAnswerChecks)
	if err != nil {
		g.log().Warn("parliament: list unanswered written questions", "source", src.URL, "err", err)
		return nil
	}
	seen := make(map[string]bool, len(polled))
	for _, c := range polled {
		seen[c.ExternalID] = true
	}
	var out []parliament.Contribution
	for _, ext := range exts {
		id, err := strconv.Atoi(strings.TrimPrefix(ext, "wq:"))
		if err != nil || seen[ext] {
			continue
		}
		c, err := g.Parliament.WrittenQuestion(ctx, id)
		if err != nil {
			// One failure (an API asking to wait, a question withdrawn) is likely to repeat for
			// the others: leave them to the next poll.
			g.log().Warn("parliament: check a written question for its answer", "source", src.URL, "question", id, "err", err)
			break
		}
		if strings.TrimSpace(c.Answer) != "" {
			out = append(out, c)
		}
	}
	return out
}

// nextCursor is where the poll after one from since that found cs starts: the newest day
// seen, but no later than cursorLookback before now (a record dated in the future, or a list
// that lags behind the others, must not make the next polls skip days), and never before
// since. It is "" when there is nothing to move to.
func nextCursor(since time.Time, cs []parliament.Contribution, now time.Time) string {
	var newest time.Time
	for _, c := range cs {
		if c.Date.After(newest) {
			newest = c.Date
		}
	}
	if newest.IsZero() {
		if since.IsZero() {
			return ""
		}
		return since.Format(time.DateOnly)
	}
	limit := now.UTC().Add(-cursorLookback)
	if newest.After(limit) {
		newest = limit
	}
	if newest.Before(since) {
		newest = since
	}
	return newest.UTC().Format(time.DateOnly)
}

// storeParliament stores a parliament poll inside tx: each contribution as an ingested
// statement of the source's member, then the poll's outcome on the source. A poll that failed
// part way still stores what it got, but records the error, backs off, and keeps the cursor.
func (g *Ingester) storeParliament(ctx context.Context, tx *store.Tx, f *Fetched, m Matcher) (Outcome, error) {
	src := f.Source
	o := Outcome{SourceID: src.ID, URL: src.URL}
	for _, c := range f.Parliament.Contributions {
		st := ContributionStatement(c, src.MemberID)
		var topics []int64
		if m != nil {
			doc := docket.Item{Title: c.Title, Text: withTitle(c.Title, c.Text)}
			topics = topicIDs(m.Match(&doc))
		}
		if err := g.upsertStatement(ctx, tx, st, topics, &o); err != nil {
			return o, fmt.Errorf("store statements of %s: %w", src.URL, err)
		}
	}
	now := docket.Now()
	if f.Err != nil {
		o.Err = f.Err.Error()
		o.NextFetchAt = now.Add(RetryWait(src.ConsecutiveErrors+1, f.RetryAfter, src.URL))
		return o, tx.RecordFetch(ctx, src.ID, store.FetchOutcome{Status: f.Status, Err: o.Err, NextFetchAt: o.NextFetchAt})
	}
	changed := o.StatementsNew+o.StatementsUpdated > 0
	interval := NextInterval(time.Duration(src.FetchInterval)*time.Second, changed, ParliamentMinInterval)
	o.NextFetchAt = now.Add(NextFetchWait(interval, ParliamentMinInterval, src.URL))
	return o, tx.RecordFetch(ctx, src.ID, store.FetchOutcome{
		Status: f.Status, Cursor: f.Parliament.Cursor, Changed: changed, Title: f.Title,
		Interval: interval, NextFetchAt: o.NextFetchAt,
	})
}

// upsertStatement stores one ingested statement and counts what happened in o.
func (g *Ingester) upsertStatement(ctx context.Context, tx *store.Tx, st *docket.Statement, topics []int64, o *Outcome) error {
	res, err := tx.UpsertIngestedStatement(ctx, st, topics)
	if err != nil {
		return fmt.Errorf("statement %s: %w", *st.ExternalID, err)
	}
	switch res {
	case store.IngestCreated:
		o.StatementsNew++
		o.Statements = append(o.Statements, st.ID)
	case store.IngestUpdated:
		o.StatementsUpdated++
		o.Statements = append(o.Statements, st.ID)
	}
	return nil
}

func topicIDs(ms []store.TopicMatch) []int64 {
	if len(ms) == 0 {
		return nil
	}
	out := make([]int64, len(ms))
	for i, x := range ms {
		out[i] = x.TopicID
	}
	return out
}

// AnswerHeading separates a written question from the government's answer in the body of
// its statement: the answer is not the member's words, and a reader must see where they end.
const AnswerHeading = "Answer from the government:"

// maxTitle is the longest title a statement may have (store.ValidateStatement).
const maxTitle = 300

// ContributionStatement is the statement a Parliament contribution becomes, of the member
// memberID (the source's; nil for none). Its body is the member's words, then, for an
// answered written question, the answer under AnswerHeading.
func ContributionStatement(c parliament.Contribution, memberID *int64) *docket.Statement {
	// No NUL characters, as from feeds (withoutNUL).
	c.ExternalID, c.Title, c.Text, c.Answer, c.URL = stripNUL(c.ExternalID), stripNUL(c.Title), stripNUL(c.Text), stripNUL(c.Answer), stripNUL(c.URL)
	ext := c.ExternalID
	body := c.Text
	if strings.TrimSpace(c.Answer) != "" {
		body = strings.TrimSpace(body + "\n\n" + AnswerHeading + "\n\n" + c.Answer)
	}
	st := &docket.Statement{
		MemberID:   memberID,
		Title:      statementTitle(c.Title, c.Text, contributionFallbackTitle(c)),
		Body:       body,
		Kind:       contributionKind(c.Kind),
		SourceURL:  c.URL,
		ExternalID: &ext,
	}
	if !c.Date.IsZero() {
		d := c.Date
		st.PublishedAt = &d
	}
	return st
}

func contributionKind(k string) string {
	switch k {
	case docket.KindSpeech, docket.KindWrittenQuestion, docket.KindArticle, docket.KindPressRelease:
		return k
	}
	return docket.KindArticle
}

func contributionFallbackTitle(c parliament.Contribution) string {
	switch c.Kind {
	case docket.KindSpeech:
		return "Speech in the " + houseName(c.House)
	case docket.KindWrittenQuestion:
		return "Written question"
	}
	return "Statement in the " + houseName(c.House)
}

func houseName(h string) string {
	switch h {
	case "Commons", "Lords":
		return "House of " + h
	}
	return "Parliament"
}

// statementTitle is title, or the start of text when there is none, within the length a
// statement's title may have; fallback when both are empty.
func statementTitle(title, text, fallback string) string {
	t := strings.Join(strings.Fields(title), " ")
	if t == "" {
		t = firstWords(text, 12, 120)
	}
	if t == "" {
		t = fallback
	}
	if len(t) > maxTitle {
		t = truncateRunes(t, maxTitle-len("…")) + "…"
	}
	return t
}

// StatementsFromFeed reports whether the items of a feed source are also the member's
// statements: an MP's own site (kind mp), or a feed of kind parliament that is linked to a
// member (such as the member's debates). A parliament feed with no member is news about
// Parliament, not anyone's statement.
func StatementsFromFeed(src *docket.Source) bool { return store.StatementSource(src) }

// storeFeedStatements makes each item of a feed that StatementsFromFeed holds a statement of
// the source's member, filed under the topics its text matches. Every item of the batch is
// upserted, not only the new and changed ones, so items stored before the source was linked
// to statements become statements at its next change; an unchanged statement costs a lookup.
func (g *Ingester) storeFeedStatements(ctx context.Context, tx *store.Tx, src *docket.Source, items []docket.Item, m Matcher, o *Outcome) error {
	seen := make(map[string]bool, len(items))
	for i := range items {
		it := &items[i]
		if seen[it.GUID] {
			continue // a guid repeated in the batch was stored once
		}
		seen[it.GUID] = true
		st := ItemStatement(src, it)
		var topics []int64
		if m != nil {
			// The statement's text, not the item's: the signature that Extract removed names
			// the constituency, and would file every post under it.
			topics = topicIDs(m.Match(&docket.Item{Title: st.Title, Text: withTitle(st.Title, st.Body)}))
		}
		if err := g.upsertStatement(ctx, tx, st, topics, o); err != nil {
			return fmt.Errorf("store statements of %s: %w", src.URL, err)
		}
	}
	return nil
}

// ItemStatement is the statement a feed item of an MP's source becomes: keyed by
// "source:<source id>:<guid>", of the source's member, its body the item's text without the
// title line and without the page furniture and signature statements.Extract removes.
func ItemStatement(src *docket.Source, it *docket.Item) *docket.Statement {
	ext := "source:" + strconv.FormatInt(src.ID, 10) + ":" + it.GUID
	pub := it.PublishedAt
	return &docket.Statement{
		MemberID:    src.MemberID,
		Title:       statementTitle(it.Title, it.Text, "Statement"),
		Body:        itemBody(it),
		Kind:        itemKind(src.Kind, it.URL),
		SourceURL:   it.URL,
		ExternalID:  &ext,
		PublishedAt: &pub,
	}
}

// itemBody is an item's plain text as a statement's body. Extract reads the title line as
// the heading and drops it; when the title is too long to read as one, it is cut here.
func itemBody(it *docket.Item) string {
	text := strings.TrimSpace(it.Text)
	body := ""
	if ex, err := statements.Extract([]byte(text), "text/plain; charset=utf-8", it.URL); err == nil {
		body = ex.Body
	}
	if body == "" {
		body = text
	}
	if t := strings.TrimSpace(it.Title); t != "" {
		if rest, ok := strings.CutPrefix(body, t); ok {
			body = rest
		}
	}
	return strings.TrimSpace(body)
}

// itemKind guesses what a statement from a member's feed is from its address: MP sites put
// speeches and opinion pieces under paths that say so, and call the rest news, which is
// their press releases. A parliament feed of a member is mostly debates.
func itemKind(sourceKind, link string) string {
	path := ""
	if u, err := url.Parse(link); err == nil {
		path = strings.ToLower(u.Host + u.Path)
	}
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(path, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("written-question", "writtenquestion", "wrans"):
		return docket.KindWrittenQuestion
	case has("speech", "debate", "hansard"):
		return docket.KindSpeech
	case has("blog", "article", "opinion", "column", "comment"):
		return docket.KindArticle
	case sourceKind == docket.KindParliament:
		return docket.KindArticle
	}
	return docket.KindPressRelease
}
