package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// handleTransition applies one workflow action. The form carries the revision the user saw
// and the count of evidence decisions, so acting on text that changed meanwhile, or
// approving or publishing evidence that changed meanwhile, is refused.
func (s *Server) handleTransition(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "statement")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rev, err := strconv.Atoi(r.PostFormValue("revision"))
		if err != nil || rev <= 0 {
			s.fail(w, r, docket.FieldError("revision", "the form does not say which revision it was acting on: reload the page"))
			return
		}
		// A form without the count saw no evidence decisions.
		evidence := 0
		if v := r.PostFormValue("evidence"); v != "" {
			if evidence, err = strconv.Atoi(v); err != nil || evidence < 0 {
				s.fail(w, r, docket.FieldError("evidence", "the form's evidence count %q is not a number: reload the page", v))
				return
			}
		}
		st, err := s.db.Transition(r.Context(), id, action, store.Seen{Revision: rev, Evidence: evidence}, currentUser(r.Context()), r.PostFormValue("note"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if action == docket.ActRevise {
			// The new version is weighed against today, not the old publication date.
			s.refreshEvidence(r.Context(), st.ID)
		}
		redirectDone(w, r, "/office/statements/"+itoa(id), "statement-"+action)
	}
}

// handleAddComment adds a comment: researchers take part this way without changing status.
func (s *Server) handleAddComment() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, ok := s.statementFromPath(w, r)
		if !ok {
			return
		}
		u := currentUser(r.Context())
		if _, err := s.db.AddComment(r.Context(), st.ID, &u.ID, r.PostFormValue("comment")); err != nil {
			if docket.ErrorCode(err) != docket.EINVALID {
				s.fail(w, r, err)
				return
			}
			v, verr := s.editorView(r, st, nil, nil, nil)
			if verr != nil {
				s.fail(w, r, verr)
				return
			}
			v.CommentErr = docket.ErrorMessage(err)
			s.render(w, r, http.StatusUnprocessableEntity, views.Editor(v))
			return
		}
		http.Redirect(w, r, "/office/statements/"+itoa(st.ID)+"?done=comment-added#comments-h", http.StatusSeeOther)
	}
}

// handleRevisions compares two revisions word by word: by default the latest with the one
// before it.
func (s *Server) handleRevisions() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, ok := s.statementFromPath(w, r)
		if !ok {
			return
		}
		ctx := r.Context()
		revs, err := s.db.Revisions(ctx, st.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		b := st.Revision
		if q := r.URL.Query().Get("b"); q != "" {
			if b, err = strconv.Atoi(q); err != nil {
				s.fail(w, r, docket.FieldError("b", "b %q is not a revision number", q))
				return
			}
		}
		a := max(b-1, 1)
		if q := r.URL.Query().Get("a"); q != "" {
			if a, err = strconv.Atoi(q); err != nil {
				s.fail(w, r, docket.FieldError("a", "a %q is not a revision number", q))
				return
			}
		}
		ra, err := s.db.RevisionByNumber(ctx, st.ID, a)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rb, err := s.db.RevisionByNumber(ctx, st.ID, b)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := views.RevisionsView{Meta: s.officeMeta(r, "Changes to "+st.Title), ID: st.ID, Title: st.Title, A: a, B: b,
			TitleDiff: diffView(statements.Diff(ra.Title, rb.Title)), BodyDiff: diffView(statements.Diff(ra.Body, rb.Body)),
			Same: len(rb.Changed(ra)) == 0}
		if v.Facts, err = s.factChanges(ctx, ra, rb); err != nil {
			s.fail(w, r, err)
			return
		}
		for _, rv := range revs {
			v.Revisions = append(v.Revisions, views.RevisionRow{Revision: rv.Revision.Revision, Version: rv.Version, Author: rv.AuthorName, At: rv.CreatedAt})
		}
		s.render(w, r, http.StatusOK, views.Revisions(v))
	}
}

// factChanges says how the kind, member and topics of revision b differ from a's.
func (s *Server) factChanges(ctx context.Context, a, b *store.RevisionInfo) ([]views.FactChange, error) {
	var out []views.FactChange
	for _, f := range b.Changed(a) {
		switch f {
		case "kind":
			out = append(out, views.FactChange{Field: "Kind", From: views.StatementKindLabel(a.Kind), To: views.StatementKindLabel(b.Kind)})
		case "member":
			out = append(out, views.FactChange{Field: "Member", From: revisionMember(a), To: revisionMember(b)})
		case "topics":
			from, err := s.topicTitles(ctx, a.TopicIDs())
			if err != nil {
				return nil, err
			}
			to, err := s.topicTitles(ctx, b.TopicIDs())
			if err != nil {
				return nil, err
			}
			out = append(out, views.FactChange{Field: "Topics", From: from, To: to})
		}
	}
	return out, nil
}

func revisionMember(r *store.RevisionInfo) string {
	switch {
	case r.MemberID == nil:
		return "no member"
	case r.MemberName == "":
		return "a member since removed"
	}
	return r.MemberName
}

// topicTitles names topics for a diff, "none" for none.
func (s *Server) topicTitles(ctx context.Context, ids []int64) (string, error) {
	if len(ids) == 0 {
		return "none", nil
	}
	var names []string
	for _, id := range ids {
		t, err := s.db.TopicByID(ctx, id)
		switch {
		case docket.ErrorCode(err) == docket.ENOTFOUND:
			names = append(names, "a topic since removed")
		case err != nil:
			return "", err
		default:
			names = append(names, t.Title)
		}
	}
	return strings.Join(names, ", "), nil
}

func diffView(ops []statements.DiffOp) []views.DiffOp {
	out := make([]views.DiffOp, len(ops))
	for i, op := range ops {
		out[i] = views.DiffOp{Kind: op.Kind, Text: op.Text}
	}
	return out
}
