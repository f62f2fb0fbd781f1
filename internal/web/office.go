package web

import (
	"net/http"

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
		v := views.OfficeHomeView{Meta: s.officeMeta(r, "Office"), Sources: len(srcs)}
		isFollowed := map[int64]bool{}
		for _, f := range followed {
			isFollowed[f.ID] = true
			v.Followed = append(v.Followed, views.FollowedCard{NewItems: f.NewItems, TopicCard: views.TopicCard{
				Slug: f.Slug, Title: f.Title, Summary: f.Summary, Items: f.ItemCount, Statements: f.StatementCount, Public: f.IsPublic()}})
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
				Items: t.ItemCount, Statements: t.StatementCount, Public: t.IsPublic()})
		}
		s.render(w, r, http.StatusOK, views.OfficeHome(v))
	}
}
