package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// pathID reads a positive integer path value; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, docket.Errorf(docket.ENOTFOUND, "no %s %q", name, r.PathValue(name))
	}
	return id, nil
}

// handleStatement is the public page of a published statement.
func (s *Server) handleStatement() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		st, err := s.db.PublicStatementByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		topics, err := s.db.PublicTopicsOfStatement(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ev, err := s.db.ConfirmedEvidence(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		paras, cites := citedParagraphs(st.Body, ev)
		v := views.StatementView{
			Meta: s.meta(r, st.Title), ID: st.ID, Title: st.Title, Kind: st.Kind, Member: st.MemberName,
			Constituency: st.Constituency, Party: st.Party, PublishedAt: st.PublishedAt, Version: st.Version,
			SourceURL: st.SourceURL, Paragraphs: paras, Citations: cites,
		}
		v.Meta.OGType = "article"
		v.Meta.Description = docket.Excerpt(st.Body, "", 200)
		for _, t := range topics {
			v.Topics = append(v.Topics, views.TopicCard{Slug: t.Slug, Title: t.Title})
		}
		s.render(w, r, http.StatusOK, views.Statement(v))
	}
}

// citedParagraphs cuts the published text into paragraphs of sentences, each with the numbers
// of the items confirmed as its evidence; the numbers run in the order the citations first
// appear. Only the published text's sentences are looked up, so evidence of a draft's new
// sentences never shows, and only items are cited.
func citedParagraphs(body string, ev []store.EvidenceRow) ([]views.Paragraph, []views.Citation) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	byHash := map[string][]store.EvidenceRow{}
	for _, e := range ev {
		byHash[e.SentenceHash] = append(byHash[e.SentenceHash], e)
	}
	number := map[int64]int{}
	var cites []views.Citation
	var paras []views.Paragraph
	// A paragraph ends at a blank line; a sentence belongs to the paragraph it starts in.
	breaks := paragraphStarts(body)
	para := -1
	for _, sn := range statements.Split(body) {
		p := 0
		for p+1 < len(breaks) && breaks[p+1] <= sn.Start {
			p++
		}
		if p != para {
			paras = append(paras, views.Paragraph{})
			para = p
		}
		cs := views.CitedSentence{Text: sn.Text}
		for _, e := range byHash[statements.Hash(sn.Text)] {
			n, ok := number[e.ItemID]
			if !ok {
				n = len(cites) + 1
				number[e.ItemID] = n
				cites = append(cites, views.Citation{N: n, Title: e.ItemTitle, URL: e.ItemURL, Source: e.SourceTitle, PublishedAt: e.ItemPublishedAt})
			}
			cs.Citations = append(cs.Citations, n)
		}
		last := &paras[len(paras)-1]
		last.Sentences = append(last.Sentences, cs)
	}
	return paras, cites
}

// paragraphStarts returns the byte offsets where the paragraphs of body start: 0, and after
// each run of blank lines.
func paragraphStarts(body string) []int {
	starts := []int{0}
	lines := strings.SplitAfter(body, "\n")
	pos, blank := 0, false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = true
		} else if blank {
			starts = append(starts, pos)
			blank = false
		}
		pos += len(l)
	}
	return starts
}
