package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// handleOfficeHome is the office dashboard.
func (s *Server) handleOfficeHome() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		topics, err := s.db.ListTopics(ctx, store.TopicFilter{})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		srcs, err := s.db.ListSources(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		followed, err := s.db.FollowedTopics(ctx, currentUser(ctx).ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		health, err := s.db.TopicsHealth(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := views.OfficeHomeView{Meta: s.officeMeta(r, "Office"), Sources: len(srcs), Now: s.now()}
		board, err := s.db.PublishBoard(ctx, s.now(), s.cfg.ReviewOverdue, store.DefaultBoardRows)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, c := range board.Columns {
			sc := views.StatusCount{Status: c.Status, Count: c.Total, Overdue: c.Overdue}
			for i := range c.Statements {
				st := &c.Statements[i]
				if sc.Oldest == nil || st.StatusChangedAt.Before(sc.Oldest.Since) {
					sc.Oldest = &views.StatementLink{ID: st.ID, Title: st.Title, Since: st.StatusChangedAt}
				}
			}
			v.Board = append(v.Board, sc)
		}
		stale, err := s.db.StaleStatements(ctx, s.cfg.StaleThreshold, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		const staleShown = 5
		for i, st := range stale {
			if i == staleShown {
				v.StaleMore = len(stale) - staleShown
				break
			}
			v.Stale = append(v.Stale, views.StaleSummary{ID: st.StatementID, Title: st.Title, NewItems: st.NewItems})
		}
		isFollowed := map[int64]bool{}
		for _, f := range followed {
			isFollowed[f.ID] = true
			v.Followed = append(v.Followed, views.FollowedCard{NewItems: f.NewItems, TopicCard: views.TopicCard{
				Slug: f.Slug, Title: f.Title, Summary: f.Summary, Items: f.ItemCount, Statements: f.StatementCount, Public: f.IsPublic(),
				Watch: watch(health[f.ID], s.now())}})
		}
		for _, src := range srcs {
			if src.Failing() && !src.Disabled {
				v.FailingSources++
			}
		}
		for _, t := range topics {
			if isFollowed[t.ID] {
				continue
			}
			v.Topics = append(v.Topics, views.TopicCard{Slug: t.Slug, Title: t.Title, Summary: t.Summary,
				Items: t.ItemCount, Statements: t.StatementCount, Public: t.IsPublic(), Watch: watch(health[t.ID], s.now())})
		}
		s.render(w, r, http.StatusOK, views.OfficeHome(v))
	}
}

// quietAfter is how long without a new item makes a watched topic quiet.
const quietAfter = 7 * 24 * time.Hour

// watch tells how well a topic is watched, from its sources' health.
func watch(h store.TopicHealth, now time.Time) views.Watch {
	switch {
	case h.Sources == 0:
		return views.Watch{}
	case h.Blind():
		return views.Watch{State: "blind", Note: fmt.Sprintf("all %d of its sources are failing", h.Sources)}
	case h.FailingSources > 0:
		return views.Watch{State: "partly", Note: fmt.Sprintf("%d of its %d sources are failing", h.FailingSources, h.Sources)}
	case h.LatestItem != nil && now.Sub(*h.LatestItem) > quietAfter:
		return views.Watch{State: "quiet", Note: "nothing new since " + views.Date(*h.LatestItem)}
	}
	return views.Watch{State: "active", Note: fmt.Sprintf("%d sources, all working", h.Sources)}
}
