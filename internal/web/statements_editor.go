package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// handleNewStatement is the form for a new draft.
func (s *Server) handleNewStatement() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderNewStatement(w, r, http.StatusOK, views.StatementForm{Kind: docket.KindConstituentResponse}, nil, nil)
	}
}

func (s *Server) renderNewStatement(w http.ResponseWriter, r *http.Request, status int, f views.StatementForm, topics []int64, fe *views.FormErrors) {
	v := views.EditorView{Meta: s.officeMeta(r, "New draft"), Form: f, Errors: fe}
	var err error
	if v.Members, err = s.memberOptions(r.Context()); err == nil {
		v.Topics, err = s.topicOptions(r.Context(), topics)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, views.NewStatement(v))
}

// handleCreateStatement stores a new draft, suggests its evidence and opens it.
func (s *Server) handleCreateStatement() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, topics, err := statementForm(r)
		if err == nil {
			st := &docket.Statement{Title: f.Title, Body: f.Body, Kind: f.Kind, MemberID: memberPtr(f.MemberID)}
			u := currentUser(r.Context())
			err = s.db.Update(r.Context(), func(tx *store.Tx) error {
				if err := store.ValidateStatement(st); err != nil {
					return err
				}
				return tx.CreateStatement(r.Context(), st, topics, &u.ID, "")
			})
			if err == nil {
				s.refreshEvidence(r.Context(), st.ID)
				redirectDone(w, r, "/office/statements/"+itoa(st.ID), "statement-created")
				return
			}
		}
		fe, err := formErrors(err)
		if err != nil {
			s.fail(w, r, foreignKeyAsField(err))
			return
		}
		s.renderNewStatement(w, r, http.StatusUnprocessableEntity, f, topics, fe)
	}
}

// foreignKeyAsField turns a store failure on an unknown member or topic into what it is for
// the reader, a bad choice in the form; other errors pass through.
func foreignKeyAsField(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "FOREIGN KEY") || strings.Contains(msg, "SQLSTATE 23503") {
		return docket.Errorf(docket.EINVALID, "choose the member and topics from the lists")
	}
	return err
}

// refreshEvidence stores fresh suggestions for a statement's saved text. A failure is logged,
// not shown: the save has happened, and the panel still offers the previous suggestions.
func (s *Server) refreshEvidence(ctx context.Context, id int64) {
	if err := s.ranker.Refresh(ctx, id); err != nil && ctx.Err() == nil {
		s.log.Error("suggest evidence", "statement", id, "err", err)
	}
}

// handleEditor is the office page of a statement.
func (s *Server) handleEditor() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "statement")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		st, err := s.db.StatementByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderEditor(w, r, http.StatusOK, st, nil, nil, nil)
	}
}

// renderEditor shows a statement; form and topics, when given, are what the user sent (to
// show again with its errors) instead of the stored values.
func (s *Server) renderEditor(w http.ResponseWriter, r *http.Request, status int, st *docket.Statement, form *views.StatementForm, topics []int64, fe *views.FormErrors) {
	v, err := s.editorView(r, st, form, topics, fe)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, views.Editor(v))
}

func (s *Server) editorView(r *http.Request, st *docket.Statement, form *views.StatementForm, topics []int64, fe *views.FormErrors) (views.EditorView, error) {
	ctx := r.Context()
	u := currentUser(ctx)
	v := views.EditorView{Meta: s.officeMeta(r, st.Title), ID: st.ID, Status: st.Status, Version: st.Version, Origin: st.Origin,
		SourceURL: st.SourceURL, Public: st.PublishedRevisionID != nil && st.Status != docket.StatusWithdrawn, PublishedAt: st.PublishedAt, Errors: fe}
	canEdit := docket.Can(u.Role, docket.ActEditStatement)
	v.Editable = store.Editable(st.Status) && canEdit
	switch {
	case !store.Editable(st.Status) && st.Status == docket.StatusApproved:
		v.LockedWhy = "This version is approved. Reopen it to change it."
	case !store.Editable(st.Status):
		v.LockedWhy = "This version is " + strings.ToLower(docket.StatusLabel(st.Status)) + " and never changes. Revise it to start a new version."
	case !canEdit:
		v.LockedWhy = "You can read this statement and comment on it."
	}
	storedTopics, err := s.db.StatementTopics(ctx, st.ID)
	if err != nil {
		return v, err
	}
	v.EvidenceRev = st.EvidenceRev
	if form != nil {
		// The revision the user started from stays in the form: after a conflict, saving
		// again must not overwrite what the other person saved unseen.
		v.Form = *form
		if v.Form.Revision <= 0 {
			v.Form.Revision = st.Revision
		}
	} else {
		v.Form = views.StatementForm{Title: st.Title, Body: st.Body, Kind: st.Kind, Revision: st.Revision}
		if st.MemberID != nil {
			v.Form.MemberID = *st.MemberID
		}
		for _, t := range storedTopics {
			topics = append(topics, t.ID)
		}
	}
	if v.Members, err = s.memberOptions(ctx); err != nil {
		return v, err
	}
	if v.Topics, err = s.topicOptions(ctx, topics); err != nil {
		return v, err
	}
	if v.Panel, err = s.storedPanel(ctx, st, storedTopics); err != nil {
		return v, err
	}
	// Evidence is decided on a version being written, as its text is (store.SetEvidence).
	v.Panel.CanEdit = docket.Can(u.Role, docket.ActEditEvidence) && store.Editable(st.Status)
	if v.Earlier, err = s.earlierView(ctx, st, v.Form.MemberID, topics); err != nil {
		return v, err
	}

	wrote, err := s.db.WroteVersion(ctx, st.ID, st.Version, u.ID)
	if err != nil {
		return v, err
	}
	for _, t := range docket.Actions(st.Status, st.PublishedRevisionID != nil) {
		if !docket.Can(u.Role, t.Action) {
			continue
		}
		a := views.ActionView{Action: t.Action, Label: t.Label, Confirm: confirmText(t.Action)}
		if t.Action == docket.ActWithdraw && t.From != docket.StatusPublished {
			a.Confirm = "The published version disappears from the public pages at once. The text being written stays as it is, and revising it starts the next version."
		}
		if t.Action == docket.ActApprove && wrote {
			a.Blocked = "You wrote part of this version, so someone else must approve it."
		}
		switch t.Action {
		case docket.ActSubmit, docket.ActApprove, docket.ActPublish:
			if v.Panel.Unsupported > 0 {
				a.Warning = views.SentencesWithout(v.Panel.Unsupported, len(v.Panel.Sentences)) + ". This is a warning, not a block: you can go ahead."
			}
		}
		v.Actions = append(v.Actions, a)
	}

	hist, err := s.db.StatusHistory(ctx, st.ID)
	if err != nil {
		return v, err
	}
	for _, e := range hist {
		v.History = append(v.History, views.HistoryEvent{At: e.CreatedAt, Who: e.UserName, From: e.FromStatus, To: e.ToStatus, Note: e.Note, Version: e.Version})
	}
	revs, err := s.db.Revisions(ctx, st.ID)
	if err != nil {
		return v, err
	}
	for i, rv := range revs {
		row := views.RevisionRow{Revision: rv.Revision.Revision, Version: rv.Version, Author: rv.AuthorName, At: rv.CreatedAt,
			Public: v.Public && st.PublishedRevisionID != nil && *st.PublishedRevisionID == rv.ID}
		if i > 0 {
			row.Changed = rv.Changed(&revs[i-1])
		}
		v.Revisions = append(v.Revisions, row)
	}
	cs, err := s.db.Comments(ctx, st.ID)
	if err != nil {
		return v, err
	}
	for _, c := range cs {
		v.Comments = append(v.Comments, views.CommentView{Who: c.UserName, At: c.CreatedAt, Body: c.Body})
	}
	if v.ImportStripped, err = s.db.ImportStripped(ctx, st.ID); err != nil {
		return v, err
	}
	if v.Public {
		stale, err := s.db.StatementStaleness(ctx, st.ID, staleItemsShown)
		if err != nil {
			return v, err
		}
		sv := staleView(stale)
		v.Stale = &sv
		v.StaleThreshold = s.cfg.StaleThreshold // as the board and statement list --stale count it
	}
	return v, nil
}

// earlierShown is how many of the member's earlier statements the editor lists.
const earlierShown = 10

// earlierView is what the statement's member said in public before on its topics (the form's
// member and topics, when the editor shows what was sent back): for a published statement,
// what came before it; for a draft, everything public.
func (s *Server) earlierView(ctx context.Context, st *docket.Statement, memberID int64, topics []int64) (*views.EarlierView, error) {
	if memberID == 0 {
		return nil, nil
	}
	m, err := s.db.MemberByID(ctx, memberID)
	if docket.ErrorCode(err) == docket.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := &views.EarlierView{Member: m.Name, NoTopics: len(topics) == 0}
	var before time.Time
	if st.PublishedAt != nil && (st.Status == docket.StatusPublished || st.Status == docket.StatusWithdrawn) {
		before = *st.PublishedAt
	}
	rows, err := s.db.EarlierStatements(ctx, memberID, topics, st.ID, before, earlierShown)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		v.Statements = append(v.Statements, views.EarlierStatement{ID: r.ID, Title: r.Title, Kind: r.Kind, PublishedAt: r.PublishedAt, SourceURL: r.SourceURL})
	}
	return v, nil
}

// confirmText says what an action does, before the button that does it.
func confirmText(action string) string {
	switch action {
	case docket.ActSubmit:
		return "Reviewers will see this revision. While it is in review, a change to it needs approving again."
	case docket.ActRequestChanges:
		return "It goes back to its writers as a draft. Say what should change in the note."
	case docket.ActApprove:
		return "You approve this revision as it stands. It can then be published."
	case docket.ActReopen:
		return "It goes back to being a draft, and will need review again."
	case docket.ActPublish:
		return "This version becomes the public text at once."
	case docket.ActWithdraw:
		return "It disappears from the public pages. The office keeps it and its history."
	case docket.ActRevise:
		return "A new version starts as a draft. The public keeps seeing the published version until the new one is published."
	}
	return ""
}

// handleSaveStatement saves the editor's changes as a new revision, refusing (and showing
// the editor's text again) when someone else saved meanwhile.
func (s *Server) handleSaveStatement() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "statement")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		st, err := s.db.StatementByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f, topics, err := statementForm(r)
		if err == nil {
			var saved *docket.Statement
			saved, err = s.db.SaveDraft(r.Context(), id, store.Draft{Title: f.Title, Body: f.Body, Kind: f.Kind, MemberID: memberPtr(f.MemberID),
				TopicIDs: topics, BaseRevision: f.Revision}, currentUser(r.Context()))
			if err == nil {
				done := "statement-saved"
				if saved.Revision == st.Revision {
					done = "statement-unchanged"
				} else {
					s.refreshEvidence(r.Context(), id)
				}
				redirectDone(w, r, "/office/statements/"+itoa(id), done)
				return
			}
		}
		fe, ferr := formErrors(err)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		status := http.StatusUnprocessableEntity
		if docket.ErrorCode(err) == docket.ECONFLICT {
			status = http.StatusConflict
		}
		// Show the current revision with the user's text, so nothing typed is lost.
		if cur, err := s.db.StatementByID(r.Context(), id); err == nil {
			st = cur
		}
		s.renderEditor(w, r, status, st, &f, topics, fe)
	}
}
