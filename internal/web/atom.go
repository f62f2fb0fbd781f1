package web

import (
	"encoding/xml"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
)

// Atom 1.0 (RFC 4287), just the elements Docket writes.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string        `xml:"id"`
	Title     string        `xml:"title"`
	Updated   string        `xml:"updated"`
	Published string        `xml:"published"`
	Links     []atomLink    `xml:"link"`
	Author    atomPerson    `xml:"author"`
	Summary   *atomText     `xml:"summary,omitempty"`
	Category  *atomCategory `xml:"category,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// atomEntries is how many entries a topic's feed carries.
const atomEntries = 50

// handleTopicAtom is a public topic's Atom feed: the MP's published statements on the topic
// and the newest timeline items, newest first.
func (s *Server) handleTopicAtom() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		t, err := s.db.PublicTopicBySlug(ctx, r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page, err := s.db.Timeline(ctx, store.TimelineFilter{TopicID: t.ID, Public: true, Limit: atomEntries})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sts, err := s.db.PublicStatementsForTopic(ctx, t.ID, 20)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		base := s.baseURL(r)
		topicURL := base + "/topics/" + t.Slug
		f := atomFeed{
			ID: topicURL, Title: t.Title + " – Docket", Subtitle: t.Summary,
			Links: []atomLink{
				{Rel: "self", Type: "application/atom+xml", Href: topicURL + "/feed.atom"},
				{Rel: "alternate", Type: "text/html", Href: topicURL},
			},
			Author: atomPerson{Name: "Docket", URI: base + "/"},
			Gen:    "Docket",
		}
		updated := t.UpdatedAt
		for _, st := range sts {
			u := base + "/statements/" + itoa(st.ID)
			author := st.MemberName
			if author == "" {
				author = "The MP's office"
			}
			f.Entries = append(f.Entries, atomEntry{
				ID: u, Title: st.Title, Updated: atomTime(st.PublishedAt), Published: atomTime(st.PublishedAt),
				Links:    []atomLink{{Rel: "alternate", Type: "text/html", Href: u}},
				Author:   atomPerson{Name: author},
				Summary:  &atomText{Type: "text", Body: docket.Excerpt(st.Body, "", 400)},
				Category: &atomCategory{Term: "statement", Label: "The MP's statement"},
			})
			updated = later(updated, st.PublishedAt)
		}
		for _, e := range page.Entries {
			link := e.URL
			if !strings.HasPrefix(link, "http://") && !strings.HasPrefix(link, "https://") {
				link = topicURL + "#item-" + itoa(e.ItemID)
			}
			f.Entries = append(f.Entries, atomEntry{
				// The id is Docket's, not the source's, so it stays stable and unique even
				// when two sources carry the same link.
				ID: base + "/items/" + itoa(e.ItemID), Title: e.Title,
				Updated: atomTime(e.PublishedAt), Published: atomTime(e.PublishedAt),
				Links:    []atomLink{{Rel: "alternate", Href: link}},
				Author:   atomPerson{Name: e.SourceTitle},
				Summary:  &atomText{Type: "text", Body: e.Excerpt},
				Category: &atomCategory{Term: e.SourceKind},
			})
			updated = later(updated, e.PublishedAt)
		}
		sort.SliceStable(f.Entries, func(i, j int) bool { return f.Entries[i].Updated > f.Entries[j].Updated })
		f.Updated = atomTime(updated)
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Write([]byte(xml.Header))
		enc := xml.NewEncoder(w)
		enc.Indent("", "  ")
		if err := enc.Encode(f); err != nil {
			s.log.Debug("write atom", "err", err)
		}
	}
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
