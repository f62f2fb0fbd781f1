package web

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// timelineQuery is a timeline request's filters, parsed from the query string.
type timelineQuery struct {
	filter store.TimelineFilter
	view   views.TimelineFilter
	search store.SearchQuery
}

// parseTimelineQuery reads kind, from, to, before and limit; a bad value is an EINVALID
// error that names the parameter.
func parseTimelineQuery(q url.Values, defaultLimit int) (timelineQuery, error) {
	var tq timelineQuery
	f := &tq.filter
	f.Limit = defaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.MaxTimelineLimit {
			return tq, docket.FieldError("limit", "limit %q must be a whole number from 1 to %d", v, store.MaxTimelineLimit)
		}
		f.Limit = n
	}
	cur, err := store.ParseCursor(q.Get("before"))
	if err != nil {
		return tq, err
	}
	f.Before = cur
	if k := q.Get("kind"); k != "" {
		for _, kind := range strings.Split(k, ",") {
			if !docket.ValidSourceKind(kind) {
				return tq, docket.FieldError("kind", "kind %q must be one of %s", kind, strings.Join(docket.SourceKinds, ", "))
			}
			f.Kinds = append(f.Kinds, kind)
		}
		tq.view.Kind = k
	}
	if v := q.Get("from"); v != "" {
		t, err := parseDay("from", v)
		if err != nil {
			return tq, err
		}
		f.From = t
		tq.view.From = v
	}
	if v := q.Get("to"); v != "" {
		t, err := parseDay("to", v)
		if err != nil {
			return tq, err
		}
		f.To = t.AddDate(0, 0, 1) // "to" includes its day
		tq.view.To = v
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return tq, docket.FieldError("to", "to must not be before from")
	}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		search, err := store.ParseSearch(v)
		if err != nil {
			return tq, err
		}
		f.Query, tq.view.Q, tq.search = v, v, search
	}
	switch v := q.Get("state"); v {
	case "":
	case "all":
		f.States = []string{docket.StateSuggested, docket.StateConfirmed, docket.StateRejected}
		tq.view.State = v
	case docket.StateSuggested, docket.StateConfirmed, docket.StateRejected:
		f.States = []string{v}
		tq.view.State = v
	default:
		return tq, docket.FieldError("state", "state %q must be suggested, confirmed, rejected or all", v)
	}
	return tq, nil
}

// withStatements reports whether the MP's statements belong on a timeline so filtered: they
// have no source kind and no curation state, so a filter on either leaves them out.
func (tq timelineQuery) withStatements() bool {
	return len(tq.filter.Kinds) == 0 && len(tq.filter.States) == 0
}

// nextURL is the address of the page after page, keeping the filters.
func nextURL(path string, q url.Values, next store.Cursor) string {
	if next.IsZero() {
		return ""
	}
	v := url.Values{}
	for _, k := range []string{"kind", "from", "to", "q", "state", "limit"} {
		if q.Get(k) != "" {
			v.Set(k, q.Get(k))
		}
	}
	v.Set("before", next.String())
	return path + "?" + v.Encode()
}

// entries turns a page of the store's timeline into view entries. The store shows each story
// cluster once, as its newest member with the others under it: the public page names their
// sources ("Also reported by"), and the office lists them, each with its own controls.
func entries(page []store.TimelineEntry) []views.Entry {
	out := make([]views.Entry, 0, len(page))
	for _, e := range page {
		v := entry(e)
		for _, m := range e.Also {
			v.Also = append(v.Also, views.AlsoSource{Source: m.SourceTitle, URL: m.URL, Title: m.Title})
			v.Members = append(v.Members, entry(m))
			v.StoryPinned = v.StoryPinned || m.Pinned
		}
		out = append(out, v)
	}
	return out
}

// entry is one store timeline entry as pages show it.
func entry(e store.TimelineEntry) views.Entry {
	return views.Entry{
		ID: e.ItemID, Title: e.Title, URL: e.URL, Excerpt: e.Excerpt, Source: e.SourceTitle,
		SourceKind: e.SourceKind, PublishedAt: e.PublishedAt, State: e.State, Pinned: e.Pinned, Terms: e.Terms,
		Origin: e.Origin, TitleParts: segments(e.TitleHighlight), Snippet: segments(e.Snippet),
	}
}

func segments(ss []store.Segment) []views.Segment {
	if len(ss) == 0 {
		return nil
	}
	out := make([]views.Segment, len(ss))
	for i, s := range ss {
		out[i] = views.Segment{Text: s.Text, Hit: s.Hit}
	}
	return out
}

// timelineDays lays a page of a topic's timeline out by day, with the topic's published
// statements of the span of time the page covers: from its last item (or the start of time,
// on the last page) up to where the previous page stopped. Every statement so lands on
// exactly one page, on its day, among the items of that day.
func (s *Server) timelineDays(ctx context.Context, topicID int64, tq timelineQuery, page *store.TimelinePage) ([]views.Day, error) {
	es := entries(page.Entries)
	if tq.withStatements() {
		from, to := tq.filter.From, tq.filter.To
		if !page.Next.IsZero() && page.Next.PublishedAt.After(from) {
			from = page.Next.PublishedAt
		}
		if before := tq.filter.Before; !before.IsZero() && (to.IsZero() || before.PublishedAt.Before(to)) {
			to = before.PublishedAt
		}
		sts, err := s.db.TimelineStatements(ctx, topicID, from, to)
		if err != nil {
			return nil, err
		}
		for _, st := range sts {
			if !tq.search.Matches(st.Title, st.Body) {
				continue
			}
			es = append(es, views.Entry{PublishedAt: st.PublishedAt, Statement: &views.StatementCard{
				ID: st.ID, Title: st.Title, Kind: st.Kind, Member: st.MemberName, PublishedAt: st.PublishedAt,
				Excerpt: cardExcerpt(st.Body, 280),
			}})
		}
		// Items arrive newest first; the statements go in among them, a statement before
		// the items of the same moment.
		sort.SliceStable(es, func(i, j int) bool {
			if !es[i].PublishedAt.Equal(es[j].PublishedAt) {
				return es[i].PublishedAt.After(es[j].PublishedAt)
			}
			return es[i].Statement != nil && es[j].Statement == nil
		})
	}
	return byDay(es), nil
}

// byDay groups entries, newest first, by their date in London.
func byDay(es []views.Entry) []views.Day {
	var days []views.Day
	for _, e := range es {
		t := e.PublishedAt.In(views.London)
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, views.London)
		if n := len(days); n == 0 || !days[n-1].Date.Equal(d) {
			days = append(days, views.Day{Date: d})
		}
		days[len(days)-1].Entries = append(days[len(days)-1].Entries, e)
	}
	return days
}

// parseDay reads a date of a filter as a day in London, where the timeline's days are, and
// keeps it within years a timeline can hold.
func parseDay(field, v string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", v, views.London)
	if err != nil {
		return time.Time{}, docket.FieldError(field, "%s %q must be a date like 2016-12-23", field, v)
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, docket.FieldError(field, "%s %q is not a year a timeline holds (1900 to 2200)", field, v)
	}
	return t, nil
}
