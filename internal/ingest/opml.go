package ingest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
)

// maxOPMLSize bounds an imported subscription list; real ones are well under 1 MiB.
const maxOPMLSize = 16 << 20

// OPMLSource is one feed of a subscription list. Categories are the folders it sits in,
// outermost first, then those of its category attribute.
type OPMLSource struct {
	Title      string
	XMLURL     string
	HTMLURL    string
	Categories []string
}

// ParseOPML reads an OPML 1.0 or 2.0 subscription list. Outlines without xmlUrl are folders;
// their text names a category of the feeds inside. A feed listed twice is kept once, with the
// first title. Anything that is not OPML is a *docket.Error.
func ParseOPML(r io.Reader) ([]OPMLSource, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxOPMLSize+1))
	if err != nil {
		return nil, fmt.Errorf("read OPML: %w", err)
	}
	if len(data) > maxOPMLSize {
		return nil, docket.Errorf(docket.EINVALID, "not an OPML file: it is larger than %s", byteSize(maxOPMLSize))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, docket.Errorf(docket.EINVALID, "not an OPML file: it is empty")
	}
	data = toUTF8(data, "")

	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false // real lists carry bare "&" in URLs
	d.Entity = xml.HTMLEntity

	var (
		out     []OPMLSource
		index   = map[string]int{}
		folders []string // one entry per open outline: its category, or "" for a feed
		root    bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !root {
				return nil, docket.Errorf(docket.EINVALID, "not an OPML file: %v", err)
			}
			return nil, docket.Errorf(docket.EINVALID, "the OPML file is malformed: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if !root {
				if name != "opml" {
					return nil, docket.Errorf(docket.EINVALID, "not an OPML file: the document is a <%s>, not <opml>", t.Name.Local)
				}
				root = true
				continue
			}
			if name != "outline" {
				continue
			}
			a := outlineAttrs(t.Attr)
			title := strings.TrimSpace(a["title"])
			if title == "" {
				title = strings.TrimSpace(a["text"])
			}
			feedURL := strings.TrimSpace(a["xmlurl"])
			if feedURL == "" {
				folders = append(folders, title)
				continue
			}
			folders = append(folders, "")
			cats := make([]string, 0, len(folders))
			for _, f := range folders {
				if f != "" && !slices.Contains(cats, f) {
					cats = append(cats, f)
				}
			}
			for c := range strings.SplitSeq(a["category"], ",") {
				c = strings.Trim(strings.TrimSpace(c), "/")
				if c != "" && !slices.Contains(cats, c) {
					cats = append(cats, c)
				}
			}
			if _, dup := index[feedURL]; dup {
				continue
			}
			index[feedURL] = len(out)
			out = append(out, OPMLSource{
				Title:      cutTitle(strings.Join(strings.Fields(title), " ")), // as a feed's own title is
				XMLURL:     feedURL,
				HTMLURL:    strings.TrimSpace(a["htmlurl"]),
				Categories: cats,
			})
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(folders) > 0 {
				folders = folders[:len(folders)-1]
			}
		}
	}
	if !root {
		return nil, docket.Errorf(docket.EINVALID, "not an OPML file: it has no <opml> element")
	}
	if out == nil {
		out = []OPMLSource{}
	}
	return out, nil
}

// outlineAttrs returns the attributes by lowercase name: lists in the wild write xmlUrl,
// xmlurl and XMLURL.
func outlineAttrs(attrs []xml.Attr) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		k := strings.ToLower(a.Name.Local)
		if _, ok := m[k]; !ok {
			m[k] = a.Value
		}
	}
	return m
}

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Category string        `xml:"category,attr,omitempty"`
	Children []opmlOutline `xml:"outline"`
}

// WriteOPML writes sources as an OPML 2.0 list. A source's first category becomes the folder
// it is written in, as feed readers expect; any others go in its category attribute, so that
// ParseOPML gives the same categories back.
func WriteOPML(w io.Writer, title string, sources []OPMLSource) error {
	doc := opmlDoc{Version: "2.0", Title: title}
	folders := map[string]int{}
	for _, s := range sources {
		o := opmlOutline{
			Text:    s.Title,
			Title:   s.Title,
			Type:    "rss",
			XMLURL:  s.XMLURL,
			HTMLURL: s.HTMLURL,
		}
		if o.Text == "" {
			o.Text = s.XMLURL
		}
		if len(s.Categories) == 0 {
			doc.Body = append(doc.Body, o)
			continue
		}
		o.Category = strings.Join(s.Categories[1:], ",")
		folder := s.Categories[0]
		i, ok := folders[folder]
		if !ok {
			i = len(doc.Body)
			folders[folder] = i
			doc.Body = append(doc.Body, opmlOutline{Text: folder, Title: folder})
		}
		doc.Body[i].Children = append(doc.Body[i].Children, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	return nil
}
