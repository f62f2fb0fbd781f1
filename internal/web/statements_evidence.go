package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

func panelEvidence(e store.EvidenceRow) views.PanelEvidence {
	return views.PanelEvidence{ItemID: e.ItemID, Title: e.ItemTitle, URL: e.ItemURL, Source: e.SourceTitle, SourceKind: e.SourceKind,
		PublishedAt: e.ItemPublishedAt, Score: e.Score, Terms: e.Terms, State: e.State, Manual: e.Origin == docket.EvidenceManual}
}

// storedPanel is the evidence panel of a statement's saved text: the suggestions stored at
// its last save, and the editors' decisions.
func (s *Server) storedPanel(ctx context.Context, st *docket.Statement, topics []docket.Topic) (views.EvidencePanel, error) {
	p := views.EvidencePanel{StatementID: st.ID, NoTopics: len(topics) == 0}
	ev, err := s.db.StatementEvidence(ctx, st.ID)
	if err != nil {
		return p, err
	}
	for _, se := range evidence.BySentence(st.Body, ev) {
		ps := views.PanelSentence{Index: se.Index, Text: se.Text}
		for _, e := range se.Evidence {
			switch e.State {
			case docket.StateConfirmed:
				ps.Confirmed = append(ps.Confirmed, panelEvidence(e))
			case docket.StateSuggested:
				ps.Suggested = append(ps.Suggested, panelEvidence(e))
			default:
				ps.Rejected++
			}
		}
		p.Sentences = append(p.Sentences, ps)
	}
	countUnsupported(&p)
	return p, nil
}

func countUnsupported(p *views.EvidencePanel) {
	p.Unsupported = 0
	for _, s := range p.Sentences {
		if len(s.Confirmed) == 0 {
			p.Unsupported++
		}
	}
}

// livePanel is the evidence panel of text being typed: fresh suggestions for each sentence,
// with the decisions already recorded for the sentences that were there before.
func (s *Server) livePanel(ctx context.Context, st *docket.Statement, body string, topics []int64) (views.EvidencePanel, error) {
	p := views.EvidencePanel{StatementID: st.ID, NoTopics: len(topics) == 0, Live: true}
	ev, err := s.db.StatementEvidence(ctx, st.ID)
	if err != nil {
		return p, err
	}
	decided := map[string][]store.EvidenceRow{}
	for _, e := range ev {
		if e.State != docket.StateSuggested {
			decided[e.SentenceHash] = append(decided[e.SentenceHash], e)
		}
	}
	res, err := s.ranker.Suggest(ctx, evidence.Input{Body: body, TopicIDs: topics, Date: evidence.StatementDate(st, s.db.Now())})
	if err != nil {
		return p, err
	}
	for _, ss := range res {
		ps := views.PanelSentence{Index: ss.Index, Text: ss.Text}
		known := map[int64]bool{}
		for _, e := range decided[ss.Hash] {
			known[e.ItemID] = true
			if e.State == docket.StateConfirmed {
				ps.Confirmed = append(ps.Confirmed, panelEvidence(e))
			} else {
				ps.Rejected++
			}
		}
		for _, g := range ss.Suggestions {
			if known[g.Item.ID] {
				continue
			}
			ps.Suggested = append(ps.Suggested, views.PanelEvidence{ItemID: g.Item.ID, Title: g.Item.Title, URL: g.Item.URL,
				Source: g.Item.SourceTitle, SourceKind: g.Item.SourceKind, PublishedAt: g.Item.PublishedAt, Score: g.Score,
				Terms: strings.Join(g.Terms, ", "), State: docket.StateSuggested})
		}
		p.Sentences = append(p.Sentences, ps)
	}
	countUnsupported(&p)
	return p, nil
}

// handleEvidencePreview answers htmx as the editor types: the evidence panel for the text in
// the form, computed without saving anything.
func (s *Server) handleEvidencePreview() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, ok := s.statementFromPath(w, r)
		if !ok {
			return
		}
		s.renderLivePanel(w, r, st, http.StatusOK, "")
	}
}

func (s *Server) renderLivePanel(w http.ResponseWriter, r *http.Request, st *docket.Statement, status int, msg string) {
	topics, err := topicIDs(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.livePanel(r.Context(), st, normalizeBody(r.PostFormValue("body")), topics)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.CanEdit = docket.Can(currentUser(r.Context()).Role, docket.ActEditEvidence) && store.Editable(st.Status)
	p.Error = msg
	s.render(w, r, status, views.EvidencePanelPartial(p))
}

func (s *Server) statementFromPath(w http.ResponseWriter, r *http.Request) (*docket.Statement, bool) {
	id, err := pathID(r, "statement")
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	st, err := s.db.StatementByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return st, true
}

// handleSetEvidence records an editor's decision on an item for a sentence: confirm, reject,
// undo, or add an item by its number or address. From htmx it answers with the panel for
// the text in the form; otherwise it goes back to the editor.
func (s *Server) handleSetEvidence() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st, ok := s.statementFromPath(w, r)
		if !ok {
			return
		}
		ctx := r.Context()
		sentence := strings.TrimSpace(r.PostFormValue("sentence"))
		c := store.EvidenceChange{StatementID: st.ID, SentenceText: sentence, SentenceHash: statements.Hash(sentence),
			State: r.PostFormValue("state"), Manual: r.PostFormValue("manual") == "1", By: &currentUser(ctx).ID}
		if sentence == "" {
			c.SentenceHash = ""
		}
		itemID, err := s.itemRef(ctx, r.PostFormValue("item"))
		if err == nil {
			c.ItemID = itemID
			err = s.db.SetEvidence(ctx, c)
		}
		if isHTMX(r) && r.PostForm.Has("body") {
			status := http.StatusOK
			msg := ""
			if err != nil {
				if docket.ErrorCode(err) == docket.EINTERNAL {
					s.fail(w, r, err)
					return
				}
				status, msg = statusOf(docket.ErrorCode(err)), docket.ErrorMessage(err)
			}
			// The panel of the text in the editor, whose topics are the saved ones unless
			// the form sent its own.
			if !r.PostForm.Has("topics") {
				topics, terr := s.db.StatementTopics(ctx, st.ID)
				if terr != nil {
					s.fail(w, r, terr)
					return
				}
				for _, t := range topics {
					r.PostForm.Add("topics", strconv.FormatInt(t.ID, 10))
				}
			}
			s.renderLivePanel(w, r, st, status, msg)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/office/statements/"+itoa(st.ID)+"?done=evidence-saved#evidence-panel", http.StatusSeeOther)
	}
}

// itemRef reads an item given by its number or by its address.
func (s *Server) itemRef(ctx context.Context, ref string) (int64, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return 0, docket.FieldError("item", "give the item's number or address")
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && id > 0 {
		return id, nil
	}
	if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
		return s.db.ItemIDByURL(ctx, ref)
	}
	return 0, docket.FieldError("item", "%q is neither an item number nor an address", ref)
}
