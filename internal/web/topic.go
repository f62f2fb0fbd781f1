package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// handleTopic is the public topic page: summary, the MP's statements, the chart and the
// timeline with its filters. With htmx (or ?partial=1) it answers only the timeline's
// results: the next page, or the page a change of filters asks for.
func (s *Server) handleTopic() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		t, err := s.db.PublicTopicBySlug(ctx, r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		path := "/topics/" + t.Slug
		v := views.TopicView{Meta: s.meta(r, t.Title), Slug: t.Slug, Title: t.Title, Summary: t.Summary}
		v.Meta.Description = t.Summary
		v.Meta.AtomURL = path + "/feed.atom"
		v.Meta.Canonical = s.absURL(r, path)
		status := http.StatusOK
		tq, err := parseTimelineQuery(r.URL.Query(), 50)
		// The public timeline has no states to choose: it shows what is not rejected.
		tq.filter.States, tq.view.State = nil, ""
		switch {
		case docket.ErrorCode(err) == docket.EINVALID:
			if isHTMX(r) {
				s.render(w, r, http.StatusOK, views.FilterError(docket.ErrorMessage(err)))
				return
			}
			status = http.StatusUnprocessableEntity
			v.Filter = rawFilter(r.URL.Query(), false)
			v.Filter.Error = docket.ErrorMessage(err)
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			tq.filter.TopicID, tq.filter.Public = t.ID, true
			page, err := s.db.Timeline(ctx, tq.filter)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			days, err := s.timelineDays(ctx, t.ID, tq, page)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			next := nextURL(path, r.URL.Query(), page.Next)
			if isHTMX(r) {
				s.render(w, r, http.StatusOK, views.TimelineDays(days, next, tq.view.Any()))
				return
			}
			v.Days, v.NextURL, v.Filter = days, next, tq.view
		}
		v.ExportCSV, v.ExportJSON = exportURLs(path+"/timeline", r.URL.Query(), false)
		if v.Lead, v.Statements, err = s.topicStatements(r, t.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if tq.filter.Before.IsZero() {
			if v.Chart, err = s.topicChart(r, t.ID); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		s.render(w, r, status, views.Topic(v))
	}
}

// rawFilter gives the filters back as typed, to show them again with what is wrong.
func rawFilter(q url.Values, office bool) views.TimelineFilter {
	f := views.TimelineFilter{Kind: q.Get("kind"), From: q.Get("from"), To: q.Get("to"), Q: q.Get("q")}
	if office {
		f.State = q.Get("state")
	}
	return f
}

// topicStatements reads the MP's published statements on a topic, newest first: the latest
// in full with its numbered citations (PublishedEvidence, one query for one statement), and
// the earlier ones as cards counting their sources (Citations, one query for them all).
func (s *Server) topicStatements(r *http.Request, topicID int64) (*views.LeadStatement, []views.StatementCard, error) {
	sts, err := s.db.PublicStatementsForTopic(r.Context(), topicID, 10)
	if err != nil || len(sts) == 0 {
		return nil, nil, err
	}
	card := func(st *store.PublicStatement) views.StatementCard {
		return views.StatementCard{ID: st.ID, Title: st.Title, Kind: st.Kind, Member: st.MemberName, PublishedAt: st.PublishedAt}
	}
	latest := &sts[0]
	ev, err := s.db.PublishedEvidence(r.Context(), latest.ID)
	if err != nil {
		return nil, nil, err
	}
	lead := &views.LeadStatement{StatementCard: card(latest)}
	lead.Paragraphs, lead.Citations = citedParagraphs(latest.Body, ev)
	lead.Sources = len(lead.Citations)

	earlier := sts[1:]
	ids := make([]int64, len(earlier))
	for i, st := range earlier {
		ids[i] = st.ID
	}
	cited, err := s.db.Citations(r.Context(), ids)
	if err != nil {
		return nil, nil, err
	}
	cards := make([]views.StatementCard, 0, len(earlier))
	for i := range earlier {
		c := card(&earlier[i])
		c.Excerpt, c.Sources = cardExcerpt(earlier[i].Body, 280), citedSources(earlier[i].Body, cited[earlier[i].ID])
		cards = append(cards, c)
	}
	return lead, cards, nil
}

// citedSources counts the sources the published text cites, as the statement page numbers
// them (citedParagraphs): the items of the published evidence whose sentence the text has. The
// text's sentence hashes are remembered (sentenceHashes): a published text does not change,
// and splitting and hashing the ten statements of a topic page at every request cost a third
// of the page.
func citedSources(body string, cites []store.Citation) int {
	if len(cites) == 0 {
		return 0
	}
	has := sentenceHashes(body)
	items := map[int64]bool{}
	for _, c := range cites {
		if has[c.SentenceHash] {
			items[c.ItemID] = true
		}
	}
	return len(items)
}

// sentences caches, by text, the hashes of a statement's sentences; past maxSentenceTexts
// texts, it starts again empty.
var sentences struct {
	sync.Mutex
	m map[string]map[string]bool
}

const maxSentenceTexts = 1000

func sentenceHashes(body string) map[string]bool {
	sentences.Lock()
	has, ok := sentences.m[body]
	sentences.Unlock()
	if ok {
		return has
	}
	has = map[string]bool{}
	for _, sn := range statements.Split(strings.ReplaceAll(body, "\r\n", "\n")) {
		has[statements.Hash(sn.Text)] = true
	}
	sentences.Lock()
	defer sentences.Unlock()
	if sentences.m == nil || len(sentences.m) >= maxSentenceTexts {
		sentences.m = make(map[string]map[string]bool)
	}
	sentences.m[body] = has
	return has
}

// cardExcerpt is docket.Excerpt(body, "", n), reading only as much of body as the excerpt
// needs: a statement runs to thousands of words, and collapsing all of their spaces for the
// cards of a topic page cost a tenth of the page. Excerpt keeps the start of the text with its
// spaces collapsed, so a head of body that collapses to more than n bytes gives the same
// excerpt as the whole.
func cardExcerpt(body string, n int) string {
	if cut := 2*n + 64; len(body) > cut {
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		if head := body[:cut]; collapsesPast(head, n) {
			return docket.Excerpt(head, "", n)
		}
	}
	return docket.Excerpt(body, "", n)
}

// collapsesPast reports whether s, with its spaces collapsed as strings.Fields and a single
// space between fields would, is longer than n bytes.
func collapsesPast(s string, n int) bool {
	size, gap := 0, false
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if unicode.IsSpace(r) {
			gap = size > 0
			continue
		}
		if gap {
			size++
			gap = false
		}
		if size += w; size > n {
			return true
		}
	}
	return false
}

func (s *Server) topicChart(r *http.Request, topicID int64) (*views.Chart, error) {
	latest, err := s.db.LatestItemTime(r.Context(), topicID)
	if err != nil || latest.IsZero() {
		return nil, err
	}
	counts, err := s.chartCounts(r.Context(), topicID, latest, latest.AddDate(0, 0, -chartDays))
	if err != nil {
		return nil, err
	}
	return buildChart(counts, latest), nil
}

// chartCounts gives buildChart what ItemsPerDay(topicID, since) would, as far as the chart can
// tell. The chart never draws since's own day, which lies before its first: that day's items
// from since on only widen its span (when it has any) and name their kinds in its legend. So
// the whole days come from the daily counts, and that first day's partial items, which
// ItemsPerDay counts link by link (most of a busy topic's page), are only looked for when they
// would change the span or the legend, one kind at a time; each found stands for itself with a
// count of 1.
func (s *Server) chartCounts(ctx context.Context, topicID int64, latest, since time.Time) ([]store.DayCount, error) {
	since = docket.StoreTime(since)
	first := docket.LondonDay(since)
	next := docket.LondonMidnight(since).AddDate(0, 0, 1)
	all, err := s.db.DayCounts(ctx, topicID, first)
	if err != nil {
		return nil, err
	}
	var counts []store.DayCount
	var firstKinds []string
	shown := map[string]bool{}
	for _, c := range all {
		if c.Day == first {
			firstKinds = append(firstKinds, c.Kind)
			continue
		}
		counts = append(counts, c)
		shown[c.Kind] = true
	}
	var partial []store.DayCount
	for _, k := range firstKinds {
		if shown[k] {
			continue
		}
		found, err := s.db.HasItems(ctx, topicID, since, next, k)
		if err != nil {
			return nil, err
		}
		if found {
			partial = append(partial, store.DayCount{Day: first, Kind: k, Count: 1})
		}
	}
	if len(partial) == 0 && len(counts) > 0 && chartSpan(counts, latest) < chartDays {
		found, err := s.db.HasItems(ctx, topicID, since, next, "")
		if err != nil {
			return nil, err
		}
		if found {
			partial = append(partial, store.DayCount{Day: first, Kind: counts[0].Kind, Count: 1})
		}
	}
	return append(partial, counts...), nil
}

// handleHome lists the public topics.
func (s *Server) handleHome() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		topics, err := s.db.ListTopics(r.Context(), store.TopicFilter{PublicOnly: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := views.HomeView{Meta: s.meta(r, "Topics")}
		v.Meta.Description = "Public-affairs topics: the MP's statements beside the news and UN sources."
		for _, t := range topics {
			v.Topics = append(v.Topics, views.TopicCard{Slug: t.Slug, Title: t.Title, Summary: t.Summary,
				Items: t.ItemCount, Statements: t.StatementCount, Public: true})
		}
		s.render(w, r, http.StatusOK, views.Home(v))
	}
}
