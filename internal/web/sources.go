package web

import (
	"net/http"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// handleSources is the office sources page: each source's health.
func (s *Server) handleSources() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderSources(w, r, http.StatusOK, views.SourcesView{Form: views.SourceForm{Kind: docket.KindNews}})
	}
}

func (s *Server) renderSources(w http.ResponseWriter, r *http.Request, status int, v views.SourcesView) {
	srcs, err := s.db.ListSources(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Meta = s.officeMeta(r, "Sources")
	v.Now = s.now()
	for _, x := range srcs {
		v.Sources = append(v.Sources, views.SourceRow{ID: x.ID, URL: x.URL, Title: x.Title, Kind: x.Kind, Items: x.ItemCount,
			LastFetchedAt: x.LastFetchedAt, NextFetchAt: x.NextFetchAt, LastStatus: x.LastStatus, LastError: x.LastError,
			ConsecutiveErrors: x.ConsecutiveErrors, Disabled: x.Disabled})
	}
	s.render(w, r, status, views.Sources(v))
}

// formErrors turns a validation error into the form's errors; any other error is returned.
func formErrors(err error) (*views.FormErrors, error) {
	fe := &views.FormErrors{}
	switch e := err.(type) {
	case docket.Errors:
		for _, x := range e {
			fe.Add(x.Field, x.Message)
		}
		return fe, nil
	case *docket.Error:
		if e.Code == docket.EINVALID || e.Code == docket.ECONFLICT {
			fe.Add(e.Field, e.Message)
			return fe, nil
		}
	}
	return nil, err
}

// handleAddSource adds a source from the office form and asks for its first fetch.
func (s *Server) handleAddSource() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f := views.SourceForm{URL: strings.TrimSpace(r.PostFormValue("url")), Kind: r.PostFormValue("kind"), Title: strings.TrimSpace(r.PostFormValue("title"))}
		src := &docket.Source{URL: f.URL, Kind: f.Kind, Title: f.Title}
		if err := s.db.AddSource(r.Context(), src, auditRow(r, "source.add", "source:"+src.URL, src.Kind)); err != nil {
			fe, err := formErrors(err)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			s.renderSources(w, r, http.StatusUnprocessableEntity, views.SourcesView{Form: f, Errors: fe})
			return
		}
		s.enqueue(r, src.ID)
		redirectDone(w, r, "/office/sources", "source-added")
	}
}

// enqueue asks the workers to fetch a source now, when this process can reach them; the
// sweeper picks the source up otherwise.
func (s *Server) enqueue(r *http.Request, sourceID int64) {
	if s.cfg.Jobs == nil {
		return
	}
	if err := s.cfg.Jobs.EnqueueFetch(r.Context(), sourceID); err != nil {
		s.log.Warn("enqueue fetch", "source", sourceID, "err", err)
	}
}

func (s *Server) handleFetchSource() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if _, err := s.db.SourceByID(r.Context(), id); err != nil {
			s.fail(w, r, err)
			return
		}
		s.enqueue(r, id)
		redirectDone(w, r, "/office/sources", "source-fetching")
	}
}

func (s *Server) handleSourceDisabled() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		disabled := r.PostFormValue("disabled") == "true"
		audit := auditRow(r, "source.disabled", "source:"+itoa(id), map[bool]string{true: "disabled", false: "enabled"}[disabled])
		if err := s.db.SetSourceDisabled(r.Context(), id, disabled, audit); err != nil {
			s.fail(w, r, err)
			return
		}
		if !disabled {
			s.enqueue(r, id)
			redirectDone(w, r, "/office/sources", "source-enabled")
			return
		}
		redirectDone(w, r, "/office/sources", "source-disabled")
	}
}

// auditRow is the audit log's record of an office action by the signed-in user, for the store
// method doing the action to write in the action's own transaction: an action whose record
// cannot be written is not done.
func auditRow(r *http.Request, action, target, detail string) *store.AuditRow {
	row := &store.AuditRow{Action: action, Target: target, Detail: detail}
	if u := currentUser(r.Context()); u != nil {
		row.By = &u.ID
	}
	return row
}
