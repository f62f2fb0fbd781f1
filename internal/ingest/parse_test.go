package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/docket"
)

// rssWith is an RSS 2.0 feed with one item whose title is title, behind an optional XML
// declaration.
func rssWith(decl, title string) string {
	return decl + `<rss version="2.0"><channel><title>Chan</title><link>http://example.com/</link>` +
		`<item><title>` + title + `</title><link>http://example.com/a</link><guid>a</guid></item></channel></rss>`
}

func firstTitle(t *testing.T, f *Feed) string {
	t.Helper()
	if len(f.Entries) == 0 {
		t.Fatalf("got no entries, want one")
	}
	return f.Entries[0].Title
}

func TestParseCharsets(t *testing.T) {
	latin1 := []byte(rssWith(`<?xml version="1.0" encoding="ISO-8859-1"?>`, "Caf\xe9 \xabAlep\xbb"))
	cp1252 := []byte(rssWith(`<?xml version="1.0" encoding="windows-1252"?>`, "\x93Aleppo\x94 \x96 \x80 5"))
	noDecl := []byte(rssWith("", "Caf\xe9 na\xefve"))
	utf8Feed := rssWith(`<?xml version="1.0" encoding="utf-8"?>`, "Ḥalab – «Alep» ☃")
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"ISO-8859-1 declared", latin1, "application/rss+xml", "Café «Alep»"},
		{"windows-1252 declared", cp1252, "text/xml", "“Aleppo” – € 5"},
		{"charset from Content-Type", noDecl, "text/xml; charset=ISO-8859-1", "Café naïve"},
		{"malformed Content-Type charset", noDecl, "text/xml; charset:iso-8859-1; qs=0.9", "Café naïve"},
		{"declaration beats a server default", latin1, "text/xml; charset=utf-8", "Café «Alep»"},
		{"no charset anywhere", noDecl, "", "Café naïve"},
		{"UTF-8", []byte(utf8Feed), "text/xml; charset=iso-8859-1", "Ḥalab – «Alep» ☃"},
		{"UTF-8 declared ISO-8859-1", []byte(rssWith(`<?xml version="1.0" encoding="ISO-8859-1"?>`, "Ḥalab ☃")), "", "Ḥalab ☃"},
		{"UTF-8 BOM", append([]byte{0xEF, 0xBB, 0xBF}, utf8Feed...), "", "Ḥalab – «Alep» ☃"},
		{"UTF-16LE BOM", utf16Bytes(utf8Feed, false, true), "", "Ḥalab – «Alep» ☃"},
		{"UTF-16BE BOM", utf16Bytes(utf8Feed, true, true), "", "Ḥalab – «Alep» ☃"},
		{"UTF-16LE without BOM", utf16Bytes(strings.Replace(utf8Feed, "utf-8", "utf-16", 1), false, false), "", "Ḥalab – «Alep» ☃"},
		{"UTF-32BE BOM", utf32Bytes(utf8Feed, true, true), "", "Ḥalab – «Alep» ☃"},
		{"UTF-32LE without BOM", utf32Bytes(utf8Feed, false, false), "", "Ḥalab – «Alep» ☃"},
		{"UTF-8 with a stray byte", []byte(rssWith(`<?xml version="1.0" encoding="utf-8"?>`, "Ḥalab \xff ☃")), "", "Ḥalab \uFFFD ☃"},
		{"leading white space", []byte("\n\n   \t" + utf8Feed), "", "Ḥalab – «Alep» ☃"},
		{"PHP warning before the feed", []byte("Warning: Cannot modify header information in feed.php on line 3\n" + utf8Feed), "text/html", "Ḥalab – «Alep» ☃"},
		{"served as text/html", []byte(utf8Feed), "text/html; charset=utf-8", "Ḥalab – «Alep» ☃"},
		{"served as text/plain", []byte(utf8Feed), "text/plain", "Ḥalab – «Alep» ☃"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.body, tt.contentType, "http://example.com/feed")
			if err != nil {
				t.Fatal(err)
			}
			if got := firstTitle(t, f); got != tt.want {
				t.Errorf("got title %q, want %q", got, tt.want)
			}
		})
	}
}

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	put := func(u uint16) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	if bom {
		put(0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return out
}

func utf32Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	put := func(r rune) {
		u := uint32(r)
		if bigEndian {
			out = append(out, byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
		}
	}
	if bom {
		put(0xFEFF)
	}
	for _, r := range s {
		put(r)
	}
	return out
}

func TestParseRefusals(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		contentType string
		want        string // whole message, or a prefix ending in "…"
	}{
		{"empty", "", "", "not a feed: the body is empty"},
		{"white space", " \r\n\t ", "text/xml", "not a feed: the body is empty"},
		{"HTML page", "<!DOCTYPE html>\n<html><head><title>Home</title></head><body><p>Hi</p></body></html>", "text/html", "not a feed: the server sent an HTML page"},
		{"HTML without doctype", "<html><body>Moved</body></html>", "text/html", "not a feed: the server sent an HTML page"},
		{"HTML fragment", "<div class=\"error\">Not found</div>", "text/html", "not a feed: the server sent an HTML page"},
		{"HTML after junk", "\x00\x00oops <html><body></body></html>", "", "not a feed: the server sent an HTML page"},
		{"truncated", `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Half`, "", "not a feed: the XML is cut short (…"},
		{"truncated end tag", rssWith("", "x")[:len(rssWith("", "x"))-1], "", "not a feed: the XML is cut short (…"},
		{"truncated in prolog", `<?xml version="1.0"?><!-- a comment that never`, "", "not a feed: the XML is cut short (inside a comment)"},
		{"malformed", `<rss version="2.0"><channel><title><![CDAT x]]></title></channel></rss>`, "", "not a feed: the XML is malformed (…"},
		{"plain text", "Service temporarily unavailable, try later.", "text/plain", `not a feed: the body is neither XML nor JSON (it begins "Service temporarily unavailable, try lat…")`},
		{"other XML", `<?xml version="1.0"?><note><to>Tove</to></note>`, "", "not a feed: the XML document is a <note>, not an RSS, RDF or Atom feed"},
		{"CDF", `<CHANNEL HREF="http://example.com/"><TITLE>x</TITLE></CHANNEL>`, "", "not a feed: this is a CDF channel (Channel Definition Format), which Docket does not read"},
		{"OPML", `<opml version="2.0"><body/></opml>`, "", "not a feed: this is an OPML subscription list; import it as a list of sources instead"},
		{"JSON cut short", `{"version": "https://jsonfeed.org/version/1.1", "items": [`, "application/json", "not a feed: the JSON is cut short"},
		{"JSON, not a feed", `{"error": "rate limited"}`, "application/json", "not a feed: the JSON document is not a JSON Feed"},
		{"JSON array", `[{"title": "x"}]`, "application/json", "not a feed: the JSON document is not a JSON Feed"},
		{"JSON malformed", `{"version": 1.1}`, "application/json", "not a feed: the JSON is malformed (…"},
		{"recursive entity", `<!DOCTYPE rss [<!ENTITY a "&b;"><!ENTITY b "&a;">]><rss><channel><title>&a;</title></channel></rss>`, "", "not a feed: its XML entity &…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), tt.contentType, "http://example.com/feed")
			if err == nil {
				t.Fatalf("got a feed with %d entries, want an error", len(f.Entries))
			}
			var de *docket.Error
			if !errors.As(err, &de) || de.Code != docket.EINVALID {
				t.Errorf("got %T %v, want a *docket.Error with code %s", err, err, docket.EINVALID)
			}
			if prefix, ok := strings.CutSuffix(tt.want, "…"); ok {
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("got %q, want it to start %q", err, prefix)
				}
			} else if err.Error() != tt.want {
				t.Errorf("got %q, want %q", err, tt.want)
			}
		})
	}
}

// billionLaughs declares ten levels of ten references each: 10^9 "lol"s if expanded.
func billionLaughs() string { return laughs("lol") }

// laughs is billionLaughs with lol0 standing for s. With s empty the expansion writes
// nothing but still walks 10^9 references: a bomb of time rather than memory.
func laughs(s string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE rss [` + "\n" + `<!ENTITY lol0 "` + s + `">` + "\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, `<!ENTITY lol%d "%s">`+"\n", i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	b.WriteString(`]>` + "\n" + `<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>`)
	return b.String()
}

func TestParseEntityBombs(t *testing.T) {
	quadratic := `<!DOCTYPE rss [<!ENTITY big "` + strings.Repeat("x", 100_000) + `">]><rss><channel>` +
		strings.Repeat(`<item><title>&big;</title></item>`, 20) + `</channel></rss>`
	tests := []struct {
		name string
		body string
	}{
		{"billion laughs", billionLaughs()},
		{"billion silent laughs", laughs("")},
		{"quadratic blowup", quadratic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Parse([]byte(tt.body), "", "")
			runtime.ReadMemStats(&after)
			want := "not a feed: its XML entities would expand to more than 1 MiB (an entity-expansion bomb); Docket does not expand them"
			if err == nil || err.Error() != want {
				t.Errorf("got %v, want %q", err, want)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 4<<20 {
				t.Errorf("Parse allocated %s, want a few MiB at most", byteSize(int64(grown)))
			}
		})
	}
}

func TestParseEntities(t *testing.T) {
	body := `<!DOCTYPE rss [
  <!ENTITY id "tag:example.com,">
  <!ENTITY org "International Committee of the &rc;">
  <!ENTITY rc "Red Cross">
  <!ENTITY % ext SYSTEM "http://example.com/evil.dtd">
  <!ENTITY file SYSTEM "file:///etc/passwd">
]>
<rss version="2.0"><channel><title>&org;</title>
<item><guid isPermaLink="false">&id;2006:/blog/</guid><title>&org; &amp; &file; <![CDATA[&id;]]></title></item>
</channel></rss>`
	f, err := Parse([]byte(body), "", "http://example.com/feed")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "International Committee of the Red Cross" {
		t.Errorf("got feed title %q, want the entities expanded", f.Title)
	}
	e := f.Entries[0]
	if e.GUID != "tag:example.com,2006:/blog/" {
		t.Errorf("got guid %q, want %q", e.GUID, "tag:example.com,2006:/blog/")
	}
	if strings.Contains(e.Title, "root:") {
		t.Errorf("external entity was read: %q", e.Title)
	}
	if !strings.HasPrefix(e.Title, "International Committee of the Red Cross &") {
		t.Errorf("got title %q, want the internal entity expanded", e.Title)
	}
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		format    string
		title     string
		site      string
		ttl       time.Duration
		firstHTML string // the first entry's Content, or its Description when Content is empty
	}{
		{
			name: "RSS 2.0 with ttl",
			body: `<rss version="2.0"><channel><title>A &amp;amp; B</title><link>/news/</link><ttl>60</ttl>
<item><title>x</title><description>&lt;p&gt;Hello&lt;/p&gt;</description></item></channel></rss>`,
			format: "rss", title: "A & B", site: "http://example.com/news/", ttl: time.Hour, firstHTML: "<p>Hello</p>",
		},
		{
			// gofeed's universal parser looks for the root in the first 4 KiB only.
			name: "RSS after a 5 KiB comment",
			body: `<?xml version="1.0"?><!-- ` + strings.Repeat("licence text ", 400) + `--><rss version="2.0"><channel><title>Long</title>
<item><title>x</title><description>d</description></item></channel></rss>`,
			format: "rss", title: "Long", firstHTML: "d",
		},
		{
			name: "RSS 1.0 with sy:updatePeriod",
			body: `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel rdf:about="http://example.org/"><title>RDF</title><link>http://example.org/</link>
<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency></channel>
<item rdf:about="http://example.org/1"><title>One</title><link>http://example.org/1</link><description>d</description></item>
</rdf:RDF>`,
			format: "rss", title: "RDF", site: "http://example.org/", ttl: 30 * time.Minute, firstHTML: "d",
		},
		{
			name: "Atom with text content",
			body: `<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">&lt;b&gt;Atom&lt;/b&gt;</title>
<link href="http://example.net/"/><entry><title>e</title><id>urn:1</id>
<content type="text">if a &lt; b then &lt;script&gt;</content></entry></feed>`,
			format: "atom", title: "Atom", site: "http://example.net/", firstHTML: "if a &lt; b then &lt;script&gt;",
		},
		{
			name: "Atom with html content",
			body: `<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
<entry><title>e</title><id>urn:1</id><content type="html">&lt;p&gt;para&lt;/p&gt;</content></entry></feed>`,
			format: "atom", title: "Atom", firstHTML: "<p>para</p>",
		},
		{
			name: "JSON Feed",
			body: `{"version": "https://jsonfeed.org/version/1.1", "title": "J <b>F</b>", "home_page_url": "https://example.org/",
"items": [{"id": "1", "title": "A < B", "content_text": "x < y"}]}`,
			format: "json", title: "J <b>F</b>", site: "https://example.org/", firstHTML: "x &lt; y",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), "", "http://example.com/feed")
			if err != nil {
				t.Fatal(err)
			}
			if f.Format != tt.format || f.Title != tt.title || f.SiteURL != tt.site || f.TTL != tt.ttl {
				t.Errorf("got format %q title %q site %q ttl %v, want %q %q %q %v", f.Format, f.Title, f.SiteURL, f.TTL, tt.format, tt.title, tt.site, tt.ttl)
			}
			if len(f.Entries) != 1 {
				t.Fatalf("got %d entries, want 1", len(f.Entries))
			}
			got := f.Entries[0].Content
			if got == "" {
				got = f.Entries[0].Description
			}
			if got != tt.firstHTML {
				t.Errorf("got entry HTML %q, want %q", got, tt.firstHTML)
			}
		})
	}
}

// TestParseAtomTextTypes honours the type of Atom titles and summaries as of content: text,
// the default, is escaped to HTML, so that what the feed wrote as text is shown as text.
func TestParseAtomTextTypes(t *testing.T) {
	feed := func(feedTitle, entry string) string {
		return `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">` + feedTitle +
			`<entry><id>urn:1</id>` + entry + `</entry></feed>`
	}
	tests := []struct {
		name, body             string
		feedTitle, title, html string // html: the entry's Description
	}{
		{
			name:      "text title and summary",
			body:      feed(`<title type="text">A &lt;b&gt; B</title>`, `<title type="text">Why &lt;br&gt; tags matter &amp; x&lt;y</title><summary type="text">Use &lt;b&gt;bold&lt;/b&gt;</summary>`),
			feedTitle: "A <b> B", title: "Why &lt;br&gt; tags matter &amp; x&lt;y", html: "Use &lt;b&gt;bold&lt;/b&gt;",
		},
		{
			name:      "untyped title and summary are text",
			body:      feed(`<title>A &amp; B</title>`, `<title>1 &lt; 2</title><summary>&lt;p&gt;p&lt;/p&gt;</summary>`),
			feedTitle: "A & B", title: "1 &lt; 2", html: "&lt;p&gt;p&lt;/p&gt;",
		},
		{
			name:      "html title and summary",
			body:      feed(`<title type="html">&lt;b&gt;A&lt;/b&gt;</title>`, `<title type="html">Why &lt;em&gt;x&lt;/em&gt;</title><summary type="html">&lt;b&gt;bold&lt;/b&gt;</summary>`),
			feedTitle: "A", title: "Why <em>x</em>", html: "<b>bold</b>",
		},
		{
			name:      "xhtml summary",
			body:      feed(`<title>F</title>`, `<title>t</title><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>bold</b></div></summary>`),
			feedTitle: "F", title: "t", html: "<b>bold</b>",
		},
		{
			name: "extension and source titles are not the entry's",
			body: feed(`<title>F</title>`, `<media:title type="html">m</media:title><source><title type="html">s</title></source>`+
				`<title>a &lt;b&gt;</title>`),
			feedTitle: "F", title: "a &lt;b&gt;",
		},
		{
			name: "prefixed Atom",
			body: `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>F</a:title><a:entry><a:id>urn:1</a:id>` +
				`<a:title type="text">x &lt;br&gt; y</a:title></a:entry></a:feed>`,
			feedTitle: "F", title: "x &lt;br&gt; y",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), "", "http://example.com/feed")
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != tt.feedTitle {
				t.Errorf("got feed title %q, want %q", f.Title, tt.feedTitle)
			}
			if got := firstTitle(t, f); got != tt.title {
				t.Errorf("got entry title %q, want %q", got, tt.title)
			}
			if got := f.Entries[0].Description; got != tt.html {
				t.Errorf("got entry summary %q, want %q", got, tt.html)
			}
		})
	}
	t.Run("normalized", func(t *testing.T) {
		f, err := Parse([]byte(tests[0].body), "", "http://example.com/feed")
		if err != nil {
			t.Fatal(err)
		}
		it := Normalize(f, "http://example.com/feed", time.Now(), 0)[0]
		if want := "Why <br> tags matter & x<y"; it.Title != want {
			t.Errorf("got title %q, want %q", it.Title, want)
		}
		if want := "Use &lt;b&gt;bold&lt;/b&gt;"; it.Summary != want {
			t.Errorf("got summary %q, want %q", it.Summary, want)
		}
	})
}

// TestParseSiteURL keeps the feed's site link only when it is an http or https address.
func TestParseSiteURL(t *testing.T) {
	rssLink := func(link string) string {
		return `<rss version="2.0"><channel><title>t</title><link>` + link + `</link></channel></rss>`
	}
	tests := []struct {
		name, body, want string
	}{
		{"RSS https", rssLink("https://example.org/news/"), "https://example.org/news/"},
		{"RSS relative", rssLink("/news/?utm_source=rss"), "http://example.com/news/"},
		{"RSS javascript", rssLink("javascript:alert(document.cookie)"), ""},
		{"RSS javascript with a host", rssLink("javascript://example.org/%0aalert(1)"), ""},
		{"RSS data", rssLink("data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"), ""},
		{"RSS ftp", rssLink("ftp://example.org/"), ""},
		{"Atom javascript", `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><link href="javascript:alert(1)"/></feed>`, ""},
		{"JSON Feed data", `{"version": "https://jsonfeed.org/version/1.1", "title": "t", "home_page_url": "data:text/html,<script>alert(1)</script>", "items": []}`, ""},
		{"JSON Feed https", `{"version": "https://jsonfeed.org/version/1.1", "title": "t", "home_page_url": "https://example.org/", "items": []}`, "https://example.org/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.body), "", "http://example.com/feed")
			if err != nil {
				t.Fatal(err)
			}
			if f.SiteURL != tt.want {
				t.Errorf("got site URL %q, want %q", f.SiteURL, tt.want)
			}
		})
	}
}

func TestSyTTL(t *testing.T) {
	tests := []struct {
		period, freq string
		want         time.Duration
	}{
		{"hourly", "", time.Hour},
		{"daily", "4", 6 * time.Hour},
		{"weekly", "1", 7 * 24 * time.Hour},
		{"Monthly", "x", 30 * 24 * time.Hour},
		{"yearly", "0", 365 * 24 * time.Hour},
		{"sometimes", "1", 0},
	}
	for _, tt := range tests {
		t.Run(tt.period+"/"+tt.freq, func(t *testing.T) {
			body := `<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>t</title>` +
				`<sy:updatePeriod>` + tt.period + `</sy:updatePeriod><sy:updateFrequency>` + tt.freq + `</sy:updateFrequency></channel></rss>`
			f, err := Parse([]byte(body), "", "")
			if err != nil {
				t.Fatal(err)
			}
			if f.TTL != tt.want {
				t.Errorf("got TTL %v, want %v", f.TTL, tt.want)
			}
		})
	}
}

func TestParsePanicError(t *testing.T) {
	err := error(&PanicError{Value: "index out of range", Stack: []byte("goroutine 1")})
	var pe *PanicError
	if !errors.As(fmt.Errorf("source 3: %w", err), &pe) || string(pe.Stack) != "goroutine 1" {
		t.Error("errors.As: got no *PanicError from a wrapped one, want it with its stack")
	}
	if got := docket.ErrorCode(err); got != docket.EINTERNAL {
		t.Errorf("a parser panic has code %q, want %q: it is Docket's bug", got, docket.EINTERNAL)
	}
	if got := err.Error(); got != "feed parser panicked: index out of range" {
		t.Errorf("got message %q", got)
	}
}

// realisticFeed is an RSS 2.0 feed of n items shaped like a news agency's: HTML summaries
// and content with links, images and tracking parameters.
func realisticFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Middle East news</title><link>https://news.example.org/world/middle-east</link>
<description>The latest from the region</description><language>en-gb</language><ttl>15</ttl>
<atom:link href="https://news.example.org/world/middle-east/rss.xml" rel="self" type="application/rss+xml"/>
`)
	start := time.Date(2016, 12, 22, 18, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, `<item>
<title><![CDATA[Aleppo: evacuation convoy %d leaves eastern districts]]></title>
<link>https://news.example.org/world/middle-east-%d?utm_source=rss&amp;utm_medium=feed</link>
<guid isPermaLink="false">https://news.example.org/world/middle-east-%d</guid>
<pubDate>%s</pubDate>
<dc:creator>Middle East correspondent</dc:creator>
<description><![CDATA[<p>Buses carrying civilians and fighters left the last rebel-held districts of <b>eastern Aleppo</b>, the Red Cross said.</p>]]></description>
<content:encoded><![CDATA[<p>Buses carrying civilians and fighters left the last rebel-held districts of <b>eastern Aleppo</b> on Thursday, the
<a href="/news/icrc?utm_campaign=x&amp;id=%d">International Committee of the Red Cross</a> said.</p>
<figure><img src="/images/aleppo-%d.jpg" alt="Buses in Aleppo" width="640" height="360" onerror="alert(1)"><figcaption>Buses waiting at Ramouseh</figcaption></figure>
<p>The UN Security Council voted unanimously to send observers to monitor the evacuation, which was halted twice this week.
Some 35,000 people have left since the operation began, according to the ICRC.</p>
<script>track("item-%d")</script>
<p>Read more: <a href="https://other.example.com/story?fbclid=abc&amp;p=2" target="_self">background</a></p>]]></content:encoded>
</item>
`, i, i, i, start.Add(-time.Duration(i)*time.Hour).Format(time.RFC1123Z), i, i, i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// BenchmarkParse is gofeed's universal parser alone, the baseline.
func BenchmarkParse(b *testing.B) {
	body := realisticFeed(50)
	b.SetBytes(int64(len(body)))
	items := 0
	for b.Loop() {
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		items += len(f.Items)
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkParseNormalize is Docket's Parse and Normalize on the same bytes.
func BenchmarkParseNormalize(b *testing.B) {
	body := realisticFeed(50)
	now := time.Date(2016, 12, 23, 0, 0, 0, 0, time.UTC)
	b.SetBytes(int64(len(body)))
	items := 0
	for b.Loop() {
		f, err := Parse(body, "application/rss+xml", "https://news.example.org/world/middle-east/rss.xml")
		if err != nil {
			b.Fatal(err)
		}
		items += len(Normalize(f, "https://news.example.org/world/middle-east/rss.xml", now, 0))
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkDocketParse is Parse alone, to set against gofeed's universal parser.
func BenchmarkDocketParse(b *testing.B) {
	body := realisticFeed(50)
	b.SetBytes(int64(len(body)))
	items := 0
	for b.Loop() {
		f, err := Parse(body, "application/rss+xml", "")
		if err != nil {
			b.Fatal(err)
		}
		items += len(f.Entries)
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}
