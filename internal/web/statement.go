package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
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
		v := views.StatementView{
			Meta: s.meta(r, st.Title), ID: st.ID, Title: st.Title, Kind: st.Kind, Member: st.MemberName,
			Constituency: st.Constituency, Party: st.Party, PublishedAt: st.PublishedAt, Version: st.Version,
			SourceURL: st.SourceURL, Paragraphs: paragraphs(st),
		}
		v.Meta.OGType = "article"
		v.Meta.Description = docket.Excerpt(st.Body, "", 200)
		for _, t := range topics {
			v.Topics = append(v.Topics, views.TopicCard{Slug: t.Slug, Title: t.Title})
		}
		s.render(w, r, http.StatusOK, views.Statement(v))
	}
}

// paragraphs splits a statement's body at blank lines.
func paragraphs(st *store.PublicStatement) []views.Paragraph {
	var out []views.Paragraph
	for _, p := range strings.Split(strings.ReplaceAll(st.Body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, views.Paragraph{Sentences: []views.CitedSentence{{Text: p}}})
		}
	}
	return out
}
