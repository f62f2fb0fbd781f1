package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/rules"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// rematcher enqueues a topic's re-match inside the transaction that changed its rule; the
// jobs runner of docket serve is one (Config.Jobs). Without one, rules still save, and stored
// items are matched again by whatever next saves the rule with a runner at hand.
type rematcher interface {
	EnqueueRematchTx(ctx context.Context, tx *store.Tx, topicID, gen int64) error
}

func (s *Server) enqueueRematch(ctx context.Context) store.EnqueueRematch {
	rm, ok := s.cfg.Jobs.(rematcher)
	if !ok {
		return nil
	}
	return func(tx *store.Tx, topicID, gen int64) error { return rm.EnqueueRematchTx(ctx, tx, topicID, gen) }
}

func rematchView(st store.RematchStatus) *views.RematchView {
	if st.StartedAt == nil {
		return nil
	}
	return &views.RematchView{Running: st.Running(), Done: st.Done, Total: st.Total, Added: st.Added, Removed: st.Removed, FinishedAt: st.FinishedAt}
}

// handleOfficeTopics lists every topic, archived ones too, with follow buttons and, for those
// who manage topics, the form that adds one.
func (s *Server) handleOfficeTopics() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderOfficeTopics(w, r, http.StatusOK, views.OfficeTopicsView{Form: views.TopicForm{Visibility: docket.Private}})
	}
}

func (s *Server) renderOfficeTopics(w http.ResponseWriter, r *http.Request, status int, v views.OfficeTopicsView) {
	ctx := r.Context()
	topics, err := s.db.ListTopics(ctx, store.TopicFilter{IncludeArchived: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	following, err := s.db.FollowedTopicIDs(ctx, currentUser(ctx).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	running, err := s.db.RunningRematches(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Meta = s.officeMeta(r, "Topics")
	for _, t := range topics {
		row := views.OfficeTopicRow{Slug: t.Slug, Title: t.Title, Public: t.Visibility == docket.Public, Archived: t.Archived,
			Following: following[t.ID], Items: t.ItemCount, Statements: t.StatementCount}
		if st, ok := running[t.ID]; ok {
			row.Rematch = rematchView(st)
		}
		v.Topics = append(v.Topics, row)
	}
	s.render(w, r, status, views.OfficeTopics(v))
}

// topicForm reads a topic's settings from a posted form.
func topicForm(r *http.Request) views.TopicForm {
	return views.TopicForm{
		Slug:       strings.TrimSpace(r.PostFormValue("slug")),
		Title:      strings.TrimSpace(r.PostFormValue("title")),
		Summary:    strings.TrimSpace(r.PostFormValue("summary")),
		Rule:       strings.TrimSpace(r.PostFormValue("rule")),
		Visibility: r.PostFormValue("visibility"),
		Archived:   r.PostFormValue("archived") == "true",
	}
}

// checkTopic validates a topic and its rule together, so the form shows every fault at once;
// a rule that does not parse also comes back cut around the fault.
func checkTopic(t *docket.Topic) (*views.FormErrors, *views.RuleFault) {
	fe := &views.FormErrors{}
	var errs docket.Errors
	if err := t.Validate(); err != nil {
		errors.As(err, &errs)
	}
	for _, e := range errs {
		fe.Add(e.Field, e.Message)
	}
	var fault *views.RuleFault
	if strings.TrimSpace(t.Rule) == "" {
		fe.Add("rule", "Write the rule that says which items belong to the topic.")
	} else if _, err := rules.Parse(t.Rule); err != nil {
		var pe *rules.ParseError
		if errors.As(err, &pe) {
			fault = views.NewRuleFault(t.Rule, pe.Pos, pe.Msg)
			fe.Add("rule", "The rule does not make sense at character "+itoa(int64(pe.Pos))+": "+pe.Msg+".")
		} else {
			fe.Add("rule", docket.ErrorMessage(err))
		}
	}
	if !fe.Any() {
		return nil, nil
	}
	return fe, fault
}

// handleAddTopic adds a topic from the office form; when items are stored already, their
// re-match against the new rule starts with it.
func (s *Server) handleAddTopic() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f := topicForm(r)
		if f.Visibility == "" {
			f.Visibility = docket.Private
		}
		t := &docket.Topic{Slug: f.Slug, Title: f.Title, Summary: f.Summary, Rule: f.Rule, Visibility: f.Visibility}
		if t.Slug == "" {
			t.Slug = docket.Slugify(t.Title)
		}
		if fe, fault := checkTopic(t); fe != nil {
			s.renderOfficeTopics(w, r, http.StatusUnprocessableEntity, views.OfficeTopicsView{Form: f, Errors: fe, RuleFault: fault})
			return
		}
		audit := auditRow(r, "topic.add", "topic:"+t.Slug, t.Visibility+"; rule: "+t.Rule)
		started, err := s.db.AddTopic(r.Context(), t, s.enqueueRematch(r.Context()), audit)
		if err != nil {
			fe, ferr := formErrors(err)
			if ferr != nil {
				s.fail(w, r, ferr)
				return
			}
			s.renderOfficeTopics(w, r, http.StatusUnprocessableEntity, views.OfficeTopicsView{Form: f, Errors: fe})
			return
		}
		done := "topic-added"
		if started {
			done = "rematch-started"
		}
		redirectDone(w, r, "/office/topics/"+t.Slug, done)
	}
}

// handleFollow follows or unfollows a topic. htmx gets the button back, turned over; a plain
// form returns to the page it came from.
func (s *Server) handleFollow(follow bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		t, err := s.db.TopicBySlug(ctx, r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		u := currentUser(ctx)
		done := "followed"
		if follow {
			err = s.db.Follow(ctx, u.ID, t.ID)
		} else {
			err, done = s.db.Unfollow(ctx, u.ID, t.ID), "unfollowed"
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		back := safeBack(r.PostFormValue("back"), "/office/topics")
		if isHTMX(r) {
			s.render(w, r, http.StatusOK, views.FollowButton(t.Slug, follow, back))
			return
		}
		redirectBack(w, r, back, done, "")
	}
}

// safeBack keeps the page an office form returns to inside the office.
func safeBack(back, fallback string) string {
	u, err := url.Parse(back)
	if err != nil || back == "" || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(u.Path, "/office/") || strings.HasPrefix(back, "//") || strings.Contains(back, `\`) {
		return fallback
	}
	return back
}

// redirectBack sends the browser back to an office page after an action, with the code of
// the message to show there and the anchor of what changed.
func redirectBack(w http.ResponseWriter, r *http.Request, back, done, anchor string) {
	u, err := url.Parse(back)
	if err != nil {
		u = &url.URL{Path: "/office"}
	}
	q := u.Query()
	q.Del("partial")
	q.Set("done", done)
	u.RawQuery, u.Fragment = q.Encode(), anchor
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}
