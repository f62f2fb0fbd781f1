package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/docket-dev/docket/internal/store"
)

// The public JSON API: public topics and published statements only.

type apiTopic struct {
	Slug           string    `json:"slug"`
	Title          string    `json:"title"`
	Summary        string    `json:"summary"`
	ItemCount      int64     `json:"item_count"`
	StatementCount int64     `json:"statement_count"`
	UpdatedAt      time.Time `json:"updated_at"`
	URL            string    `json:"url"`
	TimelineURL    string    `json:"timeline_url"`
	AtomURL        string    `json:"atom_url"`
}

func (s *Server) apiTopic(r *http.Request, t store.TopicSummary) apiTopic {
	return apiTopic{
		Slug: t.Slug, Title: t.Title, Summary: t.Summary, ItemCount: t.ItemCount, StatementCount: t.StatementCount,
		UpdatedAt: t.UpdatedAt, URL: s.absURL(r, "/topics/"+t.Slug),
		TimelineURL: s.absURL(r, "/api/v1/topics/"+t.Slug+"/timeline"), AtomURL: s.absURL(r, "/topics/"+t.Slug+"/feed.atom"),
	}
}

func (s *Server) handleAPITopics() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		topics, err := s.db.ListTopics(r.Context(), store.TopicFilter{PublicOnly: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := make([]apiTopic, 0, len(topics))
		for _, t := range topics {
			out = append(out, s.apiTopic(r, t))
		}
		s.writeJSON(w, http.StatusOK, map[string]any{"topics": out})
	}
}

type apiStatement struct {
	store.PublicStatement
	URL string `json:"url"`
}

func (s *Server) handleAPITopic() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := s.db.PublicTopicBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		all, err := s.db.ListTopics(r.Context(), store.TopicFilter{PublicOnly: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var summary store.TopicSummary
		for _, a := range all {
			if a.ID == t.ID {
				summary = a
			}
		}
		sts, err := s.db.PublicStatementsForTopic(r.Context(), t.ID, 50)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := struct {
			apiTopic
			Statements []apiStatement `json:"statements"`
		}{apiTopic: s.apiTopic(r, summary), Statements: []apiStatement{}}
		for _, st := range sts {
			out.Statements = append(out.Statements, apiStatement{PublicStatement: st, URL: s.absURL(r, "/api/v1/statements/"+itoa(st.ID))})
		}
		s.writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) handleAPITimeline() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := s.db.PublicTopicBySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		tq, err := parseTimelineQuery(r.URL.Query(), 50)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		tq.filter.TopicID, tq.filter.Public = t.ID, true
		page, err := s.db.Timeline(r.Context(), tq.filter)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := struct {
			Topic   string    `json:"topic"`
			Items   []apiItem `json:"items"`
			Next    *string   `json:"next"`
			NextURL *string   `json:"next_url"`
		}{Topic: t.Slug, Items: make([]apiItem, 0, len(page.Entries))}
		for _, e := range page.Entries {
			it := apiItem{TimelineEntry: e}
			for _, m := range e.Also {
				it.Also = append(it.Also, apiAlso{ID: m.ItemID, URL: m.URL, Title: m.Title, Source: m.SourceTitle,
					SourceKind: m.SourceKind, PublishedAt: m.PublishedAt})
			}
			out.Items = append(out.Items, it)
		}
		if !page.Next.IsZero() {
			n := page.Next.String()
			u := s.absURL(r, nextURL("/api/v1/topics/"+t.Slug+"/timeline", r.URL.Query(), page.Next))
			out.Next, out.NextURL = &n, &u
		}
		s.writeJSON(w, http.StatusOK, out)
	}
}

// apiItem is a timeline entry as the API gives it: a story cluster once, its other copies
// under also, each the essentials of a link to it.
type apiItem struct {
	store.TimelineEntry
	Also []apiAlso `json:"also,omitempty"`
}

type apiAlso struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Title       string    `json:"title"`
	Source      string    `json:"source"`
	SourceKind  string    `json:"source_kind"`
	PublishedAt time.Time `json:"published_at"`
}

type apiCitation struct {
	N           int       `json:"n"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	Source      string    `json:"source"`
	PublishedAt time.Time `json:"published_at"`
}

type apiSentence struct {
	Text      string `json:"text"`
	Citations []int  `json:"citations"`
}

// handleAPIStatement is a published statement as JSON, with its sentences and the sources
// each cites.
func (s *Server) handleAPIStatement() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.loadPublicStatement(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		out := struct {
			store.PublicStatement
			Topics    []string      `json:"topics"`
			URL       string        `json:"url"`
			Sentences []apiSentence `json:"sentences"`
			Citations []apiCitation `json:"citations"`
		}{PublicStatement: *p.PublicStatement, Topics: []string{}, URL: s.absURL(r, "/statements/"+itoa(p.ID)),
			Sentences: []apiSentence{}, Citations: []apiCitation{}}
		for _, t := range p.topics {
			out.Topics = append(out.Topics, t.Slug)
		}
		for _, para := range p.paras {
			for _, sent := range para.Sentences {
				out.Sentences = append(out.Sentences, apiSentence{Text: sent.Text, Citations: append([]int{}, sent.Citations...)})
			}
		}
		for _, c := range p.cites {
			out.Citations = append(out.Citations, apiCitation{N: c.N, Title: c.Title, URL: c.URL, Source: c.Source, PublishedAt: c.PublishedAt})
		}
		s.writeJSON(w, http.StatusOK, out)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
