package ingest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
)

func TestParseOPML(t *testing.T) {
	f, err := os.Open("testdata/subscriptions.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseOPML(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []OPMLSource{
		{Title: "UN News – Middle East", XMLURL: "https://news.un.org/feed/subscribe/en/news/region/middle-east/feed/rss.xml", HTMLURL: "https://news.un.org/en/news/region/middle-east", Categories: []string{"UN"}},
		{Title: "UNHCR", XMLURL: "https://www.unhcr.org/rss/news.xml", Categories: []string{"UN", "Agencies", "Refugees", "Syria"}},
		{Title: "ReliefWeb Syria", XMLURL: "https://reliefweb.int/country/syr/rss.xml?a=1&b=2", Categories: []string{"UN", "Agencies"}},
		{Title: "Café news", XMLURL: "https://news.example.fr/rss", Categories: []string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%#v\nwant\n%#v", got, want)
	}
}

// TestParseOPMLLongTitle: an outline's title is cut like a feed's own, not stored whole.
func TestParseOPMLLongTitle(t *testing.T) {
	long := strings.Repeat("Syria news ", 100_000)
	doc := `<opml version="2.0"><body><outline type="rss" text="` + long + `" xmlUrl="https://news.example.org/rss"/></body></opml>`
	got, err := ParseOPML(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d sources, want 1", len(got))
	}
	if title := got[0].Title; len(title) > maxTitleLen || !strings.HasPrefix(title, "Syria news Syria") || !strings.HasSuffix(title, "…") {
		t.Errorf("the title is %d bytes, ending %q; want it cut to %d bytes with an ellipsis", len(title), title[max(0, len(title)-20):], maxTitleLen)
	}
}

func TestParseOPMLVersion2(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>x</title><dateCreated>Mon, 23 Nov 2026 10:00:00 GMT</dateCreated></head>
<body><outline text="Ḥalab" type="rss" xmlUrl=" https://example.org/feed " category="/News/Middle East"/></body></opml>`
	got, err := ParseOPML(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []OPMLSource{{Title: "Ḥalab", XMLURL: "https://example.org/feed", Categories: []string{"News/Middle East"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestParseOPMLErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "not an OPML file: it is empty"},
		{"white space", "  \n", "not an OPML file: it is empty"},
		{"RSS", `<rss version="2.0"><channel/></rss>`, "not an OPML file: the document is a <rss>, not <opml>"},
		{"HTML", `<!DOCTYPE html><html><body>Sign in</body></html>`, "not an OPML file: the document is a <html>, not <opml>"},
		{"JSON", `{"feeds": []}`, "not an OPML file: it has no <opml> element"},
		{"cut short", `<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/"`, "the OPML file is malformed: XML syntax error on line 1: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOPML(strings.NewReader(tt.in))
			var de *docket.Error
			if !errors.As(err, &de) || de.Code != docket.EINVALID {
				t.Fatalf("got %v, want a *docket.Error with code %s", err, docket.EINVALID)
			}
			if err.Error() != tt.want {
				t.Errorf("got %q, want %q", err, tt.want)
			}
		})
	}
}

func TestWriteOPMLRoundTrip(t *testing.T) {
	sources := []OPMLSource{
		{Title: "UN News", XMLURL: "https://news.un.org/rss.xml?a=1&b=2", HTMLURL: "https://news.un.org/", Categories: []string{"UN"}},
		{Title: "UNHCR <news>", XMLURL: "https://www.unhcr.org/rss/news.xml", Categories: []string{"UN", "Refugees", "Syria"}},
		{Title: "Café \"quoted\"", XMLURL: "https://news.example.fr/rss", Categories: []string{}},
		{Title: "", XMLURL: "https://untitled.example/feed", Categories: []string{}},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "Docket sources", sources); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(out, `<opml version="2.0">`) ||
		!strings.Contains(out, "<title>Docket sources</title>") {
		t.Errorf("got\n%s\nwant an OPML 2.0 document titled Docket sources", out)
	}
	// Well-formed XML, as a strict parser sees it.
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("written OPML is not well-formed: %v\n%s", err, out)
			}
			break
		}
	}
	got, err := ParseOPML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]OPMLSource(nil), sources...)
	want[3].Title = "https://untitled.example/feed" // the URL stands in for a missing title
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip: got\n%#v\nwant\n%#v", got, want)
	}
}

// FuzzParseOPML: no input may panic, and every source found has a feed URL.
func FuzzParseOPML(f *testing.F) {
	seed, err := os.ReadFile("testdata/subscriptions.opml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`<opml version="2.0"><body><outline text="a"><outline xmlUrl="x"/></outline></body></opml>`))
	f.Add([]byte(`<opml><body><outline xmlUrl="a"></outline></outline></outline></body></opml>`))
	f.Add([]byte(`<!DOCTYPE opml [<!ENTITY a "b">]><opml><body><outline xmlUrl="&a;"/></body></opml>`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		sources, err := ParseOPML(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, s := range sources {
			if s.XMLURL == "" {
				t.Errorf("source %q has no feed URL", s.Title)
			}
		}
		var buf bytes.Buffer
		if err := WriteOPML(&buf, "fuzz", sources); err != nil {
			t.Errorf("WriteOPML: %v", err)
		}
	})
}
