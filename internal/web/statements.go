package web

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// PageFetcher gets a web page for the statement import. The command line passes the feed
// client, so a page is fetched with the same protections as a feed: private addresses refused,
// a size cap, timeouts. Its errors are shown to the editor.
type PageFetcher interface {
	FetchPage(ctx context.Context, url string) (body []byte, contentType, finalURL string, err error)
}

// staleItemsShown is how many of a stale statement's new items a page lists.
const staleItemsShown = 5

// transitionActions are the workflow's actions, each once, in workflow order.
func transitionActions() []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range docket.Workflow {
		if !seen[t.Action] {
			seen[t.Action] = true
			out = append(out, t.Action)
		}
	}
	return out
}

// handleStatements is the publish-status board: statements by status with their age and who
// holds them, what is overdue, what is stale, and per topic the last published statement and
// the drafts in progress.
// With ?status=, it is the list of every statement in that status instead, a page at a time.
func (s *Server) handleStatements() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("status") {
			s.statusList(w, r)
			return
		}
		ctx := r.Context()
		now := s.now()
		board, err := s.db.PublishBoard(ctx, now, s.cfg.ReviewOverdue, store.DefaultBoardRows)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		stale, err := s.db.StaleStatements(ctx, s.cfg.StaleThreshold, staleItemsShown)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := views.StatementsView{Meta: s.officeMeta(r, "Statements"), Now: now, Threshold: s.cfg.StaleThreshold, ReviewOverdue: s.cfg.ReviewOverdue}
		for _, c := range board.Columns {
			col := views.BoardColumnView{Status: c.Status, Total: c.Total, Overdue: c.Overdue}
			for i := range c.Statements {
				col.Rows = append(col.Rows, rowView(board, &c.Statements[i]))
			}
			v.Columns = append(v.Columns, col)
		}
		for _, t := range board.Topics {
			tv := views.TopicBoardView{Slug: t.Topic.Slug, Title: t.Topic.Title}
			if t.LastPublished != nil {
				rv := rowView(board, t.LastPublished)
				tv.LastPublished = &rv
			}
			for i := range t.InProgress {
				tv.InProgress = append(tv.InProgress, rowView(board, &t.InProgress[i]))
			}
			v.Topics = append(v.Topics, tv)
		}
		for _, st := range stale {
			v.Stale = append(v.Stale, staleView(&st))
		}
		s.render(w, r, http.StatusOK, views.Statements(v))
	}
}

func rowView(b *store.Board, r *store.StatementRow) views.StatementRowView {
	since := r.StatusChangedAt
	if r.Status == docket.StatusPublished && r.PublishedAt != nil {
		since = *r.PublishedAt // an imported statement was published before Docket saw it
	}
	return views.StatementRowView{ID: r.ID, Title: r.Title, Kind: r.Kind, Status: r.Status, Origin: r.Origin, Version: r.Version, Member: r.MemberName,
		EnteredBy: r.EnteredBy, WrittenBy: r.WrittenBy, Since: since, PublishedAt: r.PublishedAt, Overdue: b.IsOverdue(r), Public: r.Public}
}

// statusListRows is how many statements a page of a status's list shows.
const statusListRows = 100

// statusList is every statement in one status, in the board's order, a page at a time: where
// a board column's "All …" link leads.
func (s *Server) statusList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	status := q.Get("status")
	after, err := store.ParseCursor(q.Get("after"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, next, err := s.db.StatusPage(ctx, status, after, statusListRows)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	total, err := s.db.CountStatus(ctx, status)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	board := &store.Board{ReviewOverdue: s.cfg.ReviewOverdue, Now: s.now()}
	v := views.StatusListView{Meta: s.officeMeta(r, docket.StatusLabel(status)+" statements"), Now: board.Now, Status: status, Total: total}
	for i := range rows {
		v.Rows = append(v.Rows, rowView(board, &rows[i]))
	}
	if !next.IsZero() {
		v.Next = "/office/statements?status=" + url.QueryEscape(status) + "&after=" + next.String()
	}
	s.render(w, r, http.StatusOK, views.StatementList(v))
}

func staleView(st *store.Staleness) views.StaleView {
	v := views.StaleView{ID: st.StatementID, Title: st.Title, PublishedAt: st.PublishedAt, NewItems: st.NewItems}
	for _, it := range st.Items {
		v.Items = append(v.Items, views.StaleItemView{Title: it.Title, URL: it.URL, Source: it.Source, SourceKind: it.SourceKind,
			PublishedAt: it.PublishedAt, Confirmed: it.Confirmed})
	}
	return v
}

// statementForm reads the editor's fields. Member and topics are ids; anything else in them
// is a field error.
func statementForm(r *http.Request) (views.StatementForm, []int64, error) {
	f := views.StatementForm{
		Title: strings.TrimSpace(r.PostFormValue("title")),
		Body:  normalizeBody(r.PostFormValue("body")),
		Kind:  r.PostFormValue("kind"),
	}
	var errs docket.Errors
	if m := strings.TrimSpace(r.PostFormValue("member")); m != "" {
		id, err := strconv.ParseInt(m, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, docket.FieldError("member", "choose a member from the list"))
		}
		f.MemberID = id
	}
	topics, err := topicIDs(r)
	if err != nil {
		errs = append(errs, err.(*docket.Error))
	}
	if rev := r.PostFormValue("revision"); rev != "" {
		f.Revision, _ = strconv.Atoi(rev)
	}
	return f, topics, errs.Err()
}

func topicIDs(r *http.Request) ([]int64, error) {
	if err := r.ParseForm(); err != nil {
		return nil, docket.FieldError("topics", "the form could not be read: %v", err)
	}
	var out []int64
	for _, t := range r.PostForm["topics"] {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil || id <= 0 {
			return nil, docket.FieldError("topics", "choose topics from the list")
		}
		out = append(out, id)
	}
	return out, nil
}

// normalizeBody makes line ends \n, so a browser's \r\n does not make every save a change.
func normalizeBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(strings.ReplaceAll(s, "\r", "\n"))
}

func memberPtr(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// memberOptions and topicOptions fill the editor's choices.
func (s *Server) memberOptions(ctx context.Context) ([]views.Option, error) {
	ms, err := s.db.ListMembers(ctx)
	if err != nil {
		return nil, err
	}
	var out []views.Option
	for _, m := range ms {
		label := m.Name
		if m.Constituency != "" {
			label += " (" + m.Constituency + ")"
		}
		out = append(out, views.Option{Value: strconv.FormatInt(m.ID, 10), Label: label})
	}
	return out, nil
}

func (s *Server) topicOptions(ctx context.Context, checked []int64) ([]views.TopicOption, error) {
	ts, err := s.db.ActiveTopics(ctx)
	if err != nil {
		return nil, err
	}
	on := map[int64]bool{}
	for _, id := range checked {
		on[id] = true
	}
	var out []views.TopicOption
	for _, t := range ts {
		out = append(out, views.TopicOption{ID: t.ID, Title: t.Title, Checked: on[t.ID]})
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Title) < strings.ToLower(out[j].Title) })
	return out, nil
}
