package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/views"
)

// handleTopicSettings shows a topic's settings form.
func (s *Server) handleTopicSettings() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := s.db.TopicBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f := views.TopicForm{Slug: t.Slug, Title: t.Title, Summary: t.Summary, Rule: t.Rule, Visibility: t.Visibility, Archived: t.Archived, Revision: t.Revision}
		s.renderTopicSettings(w, r, t, http.StatusOK, views.TopicSettingsView{Form: f})
	}
}

func (s *Server) renderTopicSettings(w http.ResponseWriter, r *http.Request, t *docket.Topic, status int, v views.TopicSettingsView) {
	st, err := s.db.RematchStatus(r.Context(), t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Meta = s.officeMeta(r, "Settings: "+t.Title)
	v.Slug, v.Rematch = t.Slug, rematchView(st)
	s.render(w, r, status, views.TopicSettings(v))
}

// handleSaveTopicSettings saves a topic's settings. A changed rule, or a topic taken out of
// the archive, starts the re-match of every stored item in the same transaction.
func (s *Server) handleSaveTopicSettings() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		t, err := s.db.TopicBySlug(ctx, r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f := topicForm(r)
		f.Slug = t.Slug
		// A form without the revision it was loaded from cannot say it is not stale.
		f.Revision, err = strconv.ParseInt(r.PostFormValue("revision"), 10, 64)
		if err != nil {
			f.Revision = -1
		}
		old := *t
		t.Title, t.Summary, t.Rule, t.Visibility, t.Archived, t.Revision = f.Title, f.Summary, f.Rule, f.Visibility, f.Archived, f.Revision
		if fe, fault := checkTopic(t); fe != nil {
			s.renderTopicSettings(w, r, &old, http.StatusUnprocessableEntity, views.TopicSettingsView{Form: f, Errors: fe, RuleFault: fault})
			return
		}
		audit := auditRow(r, "topic.update", "topic:"+t.Slug, settingsChange(&old, t))
		started, err := s.db.SaveTopic(ctx, t, s.enqueueRematch(ctx), audit)
		if err != nil {
			fe, ferr := formErrors(err)
			if ferr != nil {
				s.fail(w, r, ferr)
				return
			}
			status := http.StatusUnprocessableEntity
			if docket.ErrorCode(err) == docket.ECONFLICT {
				// The form keeps what was typed and the revision it came from, so saving it
				// again without reloading is refused again.
				status = http.StatusConflict
			}
			s.renderTopicSettings(w, r, &old, status, views.TopicSettingsView{Form: f, Errors: fe})
			return
		}
		done := "topic-saved"
		if started {
			done = "rematch-started"
		}
		redirectDone(w, r, "/office/topics/"+t.Slug, done)
	}
}

// settingsChange says in a few words what a save changed, for the audit log.
func settingsChange(old, t *docket.Topic) string {
	s := ""
	add := func(part string) {
		if s != "" {
			s += "; "
		}
		s += part
	}
	if old.Rule != t.Rule {
		add(fmt.Sprintf("rule: %s → %s", old.Rule, t.Rule))
	}
	if old.Visibility != t.Visibility {
		add("visibility: " + t.Visibility)
	}
	if old.Archived != t.Archived {
		add(map[bool]string{true: "archived", false: "unarchived"}[t.Archived])
	}
	if old.Title != t.Title || old.Summary != t.Summary {
		add("title or summary")
	}
	if s == "" {
		return "no change"
	}
	return s
}
