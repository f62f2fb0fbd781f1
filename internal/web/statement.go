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

// publicStatement is what the public may read of a statement: its published snapshot, its
// public topics, and its text cut into paragraphs with numbered citations.
type publicStatement struct {
	*store.PublicStatement
	topics []docket.Topic
	paras  []views.Paragraph
	cites  []views.Citation
}

// loadPublicStatement reads the statement the path names, as the public may see it: a draft,
// a withdrawn statement or an unknown id are all not found.
func (s *Server) loadPublicStatement(r *http.Request) (*publicStatement, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	st, err := s.db.PublicStatementByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	topics, err := s.db.PublicTopicsOfStatement(r.Context(), id)
	if err != nil {
		return nil, err
	}
	ev, err := s.db.PublishedEvidence(r.Context(), id)
	if err != nil {
		return nil, err
	}
	paras, cites := citedParagraphs(st.Body, ev)
	return &publicStatement{PublicStatement: st, topics: topics, paras: paras, cites: cites}, nil
}

// handleStatement is the public page of a published statement.
func (s *Server) handleStatement() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.loadPublicStatement(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v := views.StatementView{
			Meta: s.meta(r, p.Title), ID: p.ID, Title: p.Title, Kind: p.Kind, Member: p.MemberName,
			Constituency: p.Constituency, Party: p.Party, PublishedAt: p.PublishedAt, Version: p.Version,
			SourceURL: p.SourceURL, Paragraphs: p.paras, Citations: p.cites,
		}
		v.Meta.OGType = "article"
		v.Meta.Description = docket.Excerpt(p.Body, "", 200)
		for _, t := range p.topics {
			v.Topics = append(v.Topics, views.TopicCard{Slug: t.Slug, Title: t.Title})
		}
		s.render(w, r, http.StatusOK, views.Statement(v))
	}
}

// citedParagraphs cuts the published text into paragraphs of sentences, each with the numbers
// of the items its published evidence cites; the numbers run in the order the citations first
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
