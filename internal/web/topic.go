package web

import (
	"net/http"
	"net/url"

	"github.com/docket-dev/docket/internal/docket"
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
		if v.Statements, err = s.statementCards(r, t.ID); err != nil {
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

func (s *Server) statementCards(r *http.Request, topicID int64) ([]views.StatementCard, error) {
	sts, err := s.db.PublicStatementsForTopic(r.Context(), topicID, 10)
	if err != nil {
		return nil, err
	}
	cards := make([]views.StatementCard, 0, len(sts))
	for _, st := range sts {
		ev, err := s.db.ConfirmedEvidence(r.Context(), st.ID)
		if err != nil {
			return nil, err
		}
		// Counted as the statement page numbers them: the sources of the published text.
		_, cites := citedParagraphs(st.Body, ev)
		cards = append(cards, views.StatementCard{
			ID: st.ID, Title: st.Title, Kind: st.Kind, Member: st.MemberName, PublishedAt: st.PublishedAt,
			Excerpt: docket.Excerpt(st.Body, "", 280), Sources: len(cites),
		})
	}
	return cards, nil
}

func (s *Server) topicChart(r *http.Request, topicID int64) (*views.Chart, error) {
	latest, err := s.db.LatestItemTime(r.Context(), topicID)
	if err != nil || latest.IsZero() {
		return nil, err
	}
	counts, err := s.db.ItemsPerDay(r.Context(), topicID, latest.AddDate(0, 0, -chartDays))
	if err != nil {
		return nil, err
	}
	return buildChart(counts, latest), nil
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
