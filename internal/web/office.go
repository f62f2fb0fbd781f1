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
		v := views.OfficeHomeView{Meta: s.officeMeta(r, "Office"), Sources: len(srcs)}
		for _, src := range srcs {
			if src.Failing() && !src.Disabled {
				v.FailingSources++
			}
		}
		for _, t := range topics {
			v.Topics = append(v.Topics, views.TopicCard{Slug: t.Slug, Title: t.Title, Summary: t.Summary,
				Items: t.ItemCount, Statements: t.StatementCount, Public: t.IsPublic()})
		}
		s.render(w, r, http.StatusOK, views.OfficeHome(v))
	}
}
