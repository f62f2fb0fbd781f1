package ingest

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	htmlatom "golang.org/x/net/html/atom"

	"github.com/docket-dev/docket/internal/docket"
)

var fetchTime = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

const feedURL = "https://feeds.example.org/world/rss.xml"

// normalizeRSS parses an RSS 2.0 channel holding items and normalizes it.
func normalizeRSS(t *testing.T, items string, now time.Time, maxItems int) []docket.Item {
	t.Helper()
	body := `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">` +
		`<channel><title>World</title><link>https://news.example.org/world/</link>` + items + `</channel></rss>`
	f, err := Parse([]byte(body), "application/rss+xml", feedURL)
	if err != nil {
		t.Fatal(err)
	}
	return Normalize(f, feedURL, now, maxItems)
}

func oneItem(t *testing.T, item string) docket.Item {
	t.Helper()
	items := normalizeRSS(t, item, fetchTime, 0)
	if len(items) != 1 {
		t.Fatalf("got %d items, want 1", len(items))
	}
	return items[0]
}

func TestNormalizeLinks(t *testing.T) {
	tests := []struct {
		name, item, wantURL string
		wantInHTML          []string
	}{
		{
			name:       "relative item link against the feed's link",
			item:       `<item><title>t</title><link>../uk/story-1</link><description>&lt;a href="more.html"&gt;more&lt;/a&gt; &lt;img src="/img/1.png"&gt;</description></item>`,
			wantURL:    "https://news.example.org/uk/story-1",
			wantInHTML: []string{`href="https://news.example.org/uk/more.html"`, `src="https://news.example.org/img/1.png"`},
		},
		{
			name:    "protocol-relative link",
			item:    `<item><title>t</title><link>//cdn.example.net/a?id=3</link></item>`,
			wantURL: "https://cdn.example.net/a?id=3",
		},
		{
			name:       "tracking parameters dropped, others kept in order",
			item:       `<item><title>t</title><link>https://news.example.org/a?utm_source=rss&amp;id=7&amp;fbclid=XyZ&amp;page=2&amp;UTM_Medium=x&amp;gclid=1#top</link><description>&lt;a href="https://other.example.com/?mc_cid=1&amp;amp;q=aleppo&amp;amp;_ga=2"&gt;x&lt;/a&gt;</description></item>`,
			wantURL:    "https://news.example.org/a?id=7&page=2#top",
			wantInHTML: []string{`href="https://other.example.com/?q=aleppo"`},
		},
		{
			name:    "only tracking parameters",
			item:    `<item><title>t</title><link>https://news.example.org/a?utm_source=rss&amp;utm_medium=feed</link></item>`,
			wantURL: "https://news.example.org/a",
		},
		{
			name:    "permalink guid stands in for a missing link",
			item:    `<item><title>t</title><guid>https://news.example.org/p/9</guid></item>`,
			wantURL: "https://news.example.org/p/9",
		},
		{
			name:    "javascript link dropped",
			item:    `<item><title>t</title><link>javascript:alert(document.cookie)</link></item>`,
			wantURL: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := oneItem(t, tt.item)
			if it.URL != tt.wantURL {
				t.Errorf("got URL %q, want %q", it.URL, tt.wantURL)
			}
			for _, want := range tt.wantInHTML {
				if !strings.Contains(it.Summary, want) {
					t.Errorf("got summary %q, want it to hold %s", it.Summary, want)
				}
			}
		})
	}
}

func TestNormalizeXMLBase(t *testing.T) {
	body := `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/">
<title>B</title><link href="/"/>
<entry xml:base="2016/12/"><title>e</title><id>urn:e</id><link href="post.html"/>
<content type="html">&lt;a href="img.html"&gt;i&lt;/a&gt;</content></entry></feed>`
	f, err := Parse([]byte(body), "", "http://feeds.example.org/atom")
	if err != nil {
		t.Fatal(err)
	}
	items := Normalize(f, "http://feeds.example.org/atom", fetchTime, 0)
	if len(items) != 1 {
		t.Fatalf("got %d items, want 1", len(items))
	}
	if want := "http://example.org/blog/2016/12/post.html"; items[0].URL != want {
		t.Errorf("got URL %q, want %q", items[0].URL, want)
	}
	if want := `href="http://example.org/blog/2016/12/img.html"`; !strings.Contains(items[0].Summary+items[0].Content, want) {
		t.Errorf("got HTML %q, want it to hold %s", items[0].Summary+items[0].Content, want)
	}
}

func TestNormalizeSanitizes(t *testing.T) {
	item := `<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Aleppo &lt;b&gt;update&lt;/b&gt;</title>
<link>https://news.example.org/a</link>
<description><![CDATA[<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a> <a href="https://a.example/">ok</a></p>
<script>alert(1)</script><style>body{display:none}</style><iframe src="https://evil.example/"></iframe>
<form action="https://evil.example/"><input name="q"></form><object data="x.swf"></object><embed src="x.swf">
<img src="data:image/png;base64,AAAA" onerror="alert(1)"><img src="https://img.example/a.png" alt="A">
<svg><script>alert(1)</script></svg><base href="https://evil.example/"><meta http-equiv="refresh" content="0">
<a href="vbscript:msgbox(1)">v</a><a href=" JaVa&#x09;ScRiPt:alert(1)">j</a><p style="position:fixed" id="csrf" class="x">styled</p>]]></description></item>`
	it := oneItem(t, item)
	if it.Title != "Aleppo update" {
		t.Errorf("got title %q, want %q", it.Title, "Aleppo update")
	}
	checkSafeHTML(t, it.Summary)
	for _, want := range []string{
		`<a href="https://a.example/" rel="nofollow noreferrer noopener" target="_blank">ok</a>`,
		`<img src="https://img.example/a.png" alt="A">`,
		`<p>styled</p>`,
	} {
		if !strings.Contains(it.Summary, want) {
			t.Errorf("got summary %q, want it to hold %s", it.Summary, want)
		}
	}
	if strings.Contains(it.Text, "alert") || strings.Contains(it.Text, "display:none") {
		t.Errorf("got text %q, want no script or style content", it.Text)
	}
}

// checkSafeHTML fails t if s holds anything a browser would run, load as a document, submit or
// style: it parses s as a browser would and looks at every element and attribute.
func checkSafeHTML(t testing.TB, s string) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: htmlatom.Body})
	if err != nil {
		t.Fatalf("parse sanitized HTML: %v", err)
	}
	forbidden := map[string]bool{
		"script": true, "iframe": true, "object": true, "embed": true, "style": true, "base": true,
		"meta": true, "form": true, "input": true, "button": true, "link": true, "frame": true,
		"frameset": true, "svg": true, "math": true, "textarea": true, "select": true, "applet": true,
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if forbidden[n.Data] {
				t.Errorf("sanitized HTML holds <%s>: %q", n.Data, s)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || key == "id" || key == "name" || key == "srcdoc" || key == "formaction" {
					t.Errorf("sanitized HTML has attribute %s on <%s>: %q", a.Key, n.Data, s)
				}
				switch key {
				case "href", "src", "cite", "action", "background", "poster", "xlink:href", "srcset", "data":
					v := strings.Map(func(r rune) rune {
						if r <= ' ' || r == 0x7f {
							return -1
						}
						return r
					}, strings.ToLower(a.Val))
					for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
						if strings.HasPrefix(v, scheme) {
							t.Errorf("sanitized HTML has %s=%q on <%s>: %q", a.Key, a.Val, n.Data, s)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

// checkWebURL fails t unless u, a link Docket's pages show, is empty or an http or https
// address with a host.
func checkWebURL(t testing.TB, what, u string) {
	t.Helper()
	if u == "" {
		return
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		t.Errorf("%s is %q, want empty or an http(s) address", what, u)
	}
}

func TestNormalizeText(t *testing.T) {
	it := oneItem(t, `<item><title>  AT&amp;amp;T   and
	the &lt;i&gt;UN&lt;/i&gt;&amp;nbsp;agency  </title><link>https://news.example.org/t</link>
<description>&lt;p&gt;First&amp;nbsp;para &amp;amp; more.&lt;/p&gt;&lt;p&gt;Second&lt;br&gt;line&lt;/p&gt;&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;li&gt;two&lt;/li&gt;&lt;/ul&gt;</description></item>`)
	if want := "AT&T and the UN agency"; it.Title != want {
		t.Errorf("got title %q, want %q", it.Title, want)
	}
	if want := "AT&T and the UN agency\n\nFirst para & more.\n\nSecond\nline\n\none\ntwo"; it.Text != want {
		t.Errorf("got text %q, want %q", it.Text, want)
	}
}

func TestNormalizeGUIDAndDates(t *testing.T) {
	later := fetchTime.Add(time.Hour)
	items := `
<item><title>has guid</title><guid isPermaLink="false">id-1</guid><link>https://news.example.org/1</link><pubDate>Thu, 22 Dec 2016 18:00:00 +0200</pubDate></item>
<item><title>link only</title><link>https://news.example.org/2?utm_source=x</link><pubDate>Thu, 22 Dec 2016 17:00:00 GMT</pubDate></item>
<item><title>neither</title><pubDate>Thu, 22 Dec 2016 16:00:00 GMT</pubDate></item>
<item><title>updated only</title><guid>id-4</guid><atom:updated xmlns:atom="http://www.w3.org/2005/Atom">2016-12-22T15:00:00Z</atom:updated></item>
<item><title>undated</title><guid>id-5</guid></item>
<item><title>far future</title><guid>id-6</guid><pubDate>Sat, 24 Nov 2029 12:00:00 GMT</pubDate></item>
<item><title>slightly ahead</title><guid>id-7</guid><pubDate>Tue, 24 Nov 2026 18:00:00 GMT</pubDate></item>
<item><title>duplicate of the first</title><guid isPermaLink="false">id-1</guid></item>`
	first := normalizeRSS(t, items, fetchTime, 0)
	second := normalizeRSS(t, items, later, 0)
	byTitle := map[string]docket.Item{}
	for _, it := range first {
		byTitle[it.Title] = it
	}
	if len(first) != 7 {
		t.Fatalf("got %d items, want 7 (the duplicate guid collapsed)", len(first))
	}
	if _, ok := byTitle["duplicate of the first"]; ok {
		t.Error("got the later item of a duplicate guid, want the first kept")
	}
	hashed := byTitle["neither"].GUID
	tests := []struct {
		title    string
		wantGUID string
		wantDate time.Time
	}{
		{"has guid", "id-1", time.Date(2016, 12, 22, 16, 0, 0, 0, time.UTC)},
		{"link only", "https://news.example.org/2", time.Date(2016, 12, 22, 17, 0, 0, 0, time.UTC)},
		{"neither", hashed, time.Date(2016, 12, 22, 16, 0, 0, 0, time.UTC)},
		{"undated", "id-5", fetchTime},
		{"far future", "id-6", fetchTime},
		{"slightly ahead", "id-7", time.Date(2026, 11, 24, 18, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			it, ok := byTitle[tt.title]
			if !ok {
				t.Fatalf("no item titled %q", tt.title)
			}
			if it.GUID != tt.wantGUID {
				t.Errorf("got guid %q, want %q", it.GUID, tt.wantGUID)
			}
			if !it.PublishedAt.Equal(tt.wantDate) || it.PublishedAt.Location() != time.UTC {
				t.Errorf("got date %v, want %v in UTC", it.PublishedAt, tt.wantDate)
			}
			if !it.FetchedAt.Equal(fetchTime) {
				t.Errorf("got fetched at %v, want %v", it.FetchedAt, fetchTime)
			}
			if it.SourceID != 0 {
				t.Errorf("got SourceID %d, want 0 for the caller to set", it.SourceID)
			}
		})
	}
	if !strings.HasPrefix(hashed, "sha256:") || len(hashed) != len("sha256:")+40 {
		t.Errorf("got hash guid %q, want sha256: and 40 hex digits", hashed)
	}
	if byTitle["updated only"].PublishedAt.IsZero() {
		t.Error("item with only an updated date got no date")
	}
	// A second fetch an hour later: same guids and hashes, the undated item included.
	for i := range first {
		if first[i].GUID != second[i].GUID || first[i].ContentHash != second[i].ContentHash {
			t.Errorf("item %q: got guid/hash %s/%s then %s/%s, want them stable across fetches",
				first[i].Title, first[i].GUID, first[i].ContentHash, second[i].GUID, second[i].ContentHash)
		}
	}
}

func TestNormalizeContentHash(t *testing.T) {
	base := `<item><title>T</title><guid>g</guid><description>d</description><pubDate>Thu, 22 Dec 2016 18:00:00 GMT</pubDate></item>`
	h0 := oneItem(t, base).ContentHash
	changes := map[string]string{
		"title":       strings.Replace(base, "<title>T<", "<title>T2<", 1),
		"description": strings.Replace(base, ">d<", ">d2<", 1),
		"date":        strings.Replace(base, "18:00:00", "19:00:00", 1),
		"author":      strings.Replace(base, "<guid>", "<author>a@example.org (A)</author><guid>", 1),
		"link":        strings.Replace(base, "<guid>", "<link>https://x.example/</link><guid>", 1),
	}
	for name, item := range changes {
		t.Run(name, func(t *testing.T) {
			if h := oneItem(t, item).ContentHash; h == h0 {
				t.Errorf("hash unchanged after the %s changed", name)
			}
		})
	}
	if h := oneItem(t, base).ContentHash; h != h0 {
		t.Errorf("got hash %s, then %s for the same item", h0, h)
	}
}

func TestNormalizeTitleFallback(t *testing.T) {
	it := oneItem(t, `<item><guid>g</guid><description>The UN Security Council voted on Monday to send observers to monitor the evacuation of eastern Aleppo.</description></item>`)
	if want := "The UN Security Council voted on Monday to send observers to monitor…"; it.Title != want {
		t.Errorf("got title %q, want %q", it.Title, want)
	}
}

func TestNormalizeMaxItems(t *testing.T) {
	var b strings.Builder
	for i := range 30 {
		// Written oldest first, as some feeds do.
		fmt.Fprintf(&b, `<item><title>n%d</title><guid>g%d</guid><pubDate>%s</pubDate></item>`,
			i, i, time.Date(2016, 12, 1+i%28, i, 0, 0, 0, time.UTC).Format(time.RFC1123Z))
	}
	items := normalizeRSS(t, b.String(), fetchTime, 10)
	if len(items) != 10 {
		t.Fatalf("got %d items, want 10", len(items))
	}
	for i := 1; i < len(items); i++ {
		if items[i].PublishedAt.After(items[i-1].PublishedAt) {
			t.Errorf("item %d (%v) is newer than item %d (%v), want newest first", i, items[i].PublishedAt, i-1, items[i-1].PublishedAt)
		}
	}
	if items[0].Title != "n27" {
		t.Errorf("got newest %q, want n27", items[0].Title)
	}
}

func TestNormalizeContentAndSummary(t *testing.T) {
	it := oneItem(t, `<item><title>t</title><guid>g</guid><description>Short.</description>
<content:encoded>&lt;p&gt;Short. And the rest of the story.&lt;/p&gt;</content:encoded></item>`)
	if it.Summary != "Short." || it.Content != "<p>Short. And the rest of the story.</p>" {
		t.Errorf("got summary %q content %q", it.Summary, it.Content)
	}
	if want := "t\n\nShort. And the rest of the story."; it.Text != want {
		t.Errorf("got text %q, want %q (the summary is inside the content)", it.Text, want)
	}
	same := oneItem(t, `<item><title>t</title><guid>g</guid><description>Same.</description><content:encoded>Same.</content:encoded></item>`)
	if same.Summary != "Same." || same.Content != "" {
		t.Errorf("got summary %q content %q, want the duplicate content dropped", same.Summary, same.Content)
	}
}

func TestCleanURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://a.example/x", "https://a.example/x"},
		{"https://a.example/x?", "https://a.example/x?"},
		{"https://a.example/x?utm_source=a", "https://a.example/x"},
		{"https://a.example/x?a=1&utm_source=a&b=2", "https://a.example/x?a=1&b=2"},
		{"https://a.example/x?utm%5Fsource=a&b", "https://a.example/x?b"},
		{"https://a.example/x?gclid=1#frag", "https://a.example/x#frag"},
		{"https://a.example/x?yclid=1&mc_eid=2&_ga=3&keep=utm_source", "https://a.example/x?keep=utm_source"},
	}
	for _, tt := range tests {
		if got := cleanURL(tt.in); got != tt.want {
			t.Errorf("cleanURL(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTidyText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  a  b\t c ", "a b c"},
		{"\n\na\n\n\n\nb\n", "a\n\nb"},
		{"a\r\nb", "a\nb"},
		{"a\u00a0\u2009b", "a b"},
		{" x \n  y ", "x\ny"},
	}
	for _, tt := range tests {
		if got := tidyText(tt.in); got != tt.want {
			t.Errorf("tidyText(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzNormalize feeds arbitrary bytes through Parse and Normalize: nothing may panic, and the
// sanitized HTML must hold nothing a browser would run.
func FuzzNormalize(f *testing.F) {
	seeds := []string{
		rssWith(`<?xml version="1.0" encoding="utf-8"?>`, "Aleppo"),
		`<rss><channel><item><title>x</title><description>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;&lt;img src=x onerror=alert(1)&gt;</description></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><content type="html">&lt;script&gt;alert(1)&lt;/script&gt;&lt;svg onload=alert(1)&gt;</content></entry></feed>`,
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="javascript:alert(1)//"><entry><id>1</id><link href="x"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="y">y</a></div></content></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","content_html":"<iframe src=//evil></iframe><a href=' data:text/html,x'>d</a>"}]}`,
		`<rss><channel><item><description><![CDATA[<a href="&#106;avascript:alert(1)">e</a><math><mi xlink:href="javascript:x">m</mi></math><style>*{}</style>]]></description></item></channel></rss>`,
		`<!DOCTYPE rss [<!ENTITY x "&lt;script&gt;">]><rss><channel><item><description>&x;</description></item></channel></rss>`,
		`{"version":"https://jsonfeed.org/version/1","home_page_url":"data:text/html,<script>alert(1)</script>","items":[{"id":"1","url":"javascript:alert(1)"}]}`,
		`<rss><channel><link>javascript://example.org/%0aalert(1)</link><item><link>vbscript:x</link><guid>data:text/html,x</guid></item></channel></rss>`,
		billionLaughs(),
		"\xff\xfe<\x00r\x00s\x00s\x00>\x00",
		"",
	}
	for _, s := range seeds {
		f.Add([]byte(s), "application/rss+xml")
	}
	f.Add(realisticFeed(3), "text/html; charset=windows-1252")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := Parse(body, contentType, "https://feeds.example.org/rss")
		if err != nil {
			var pe *PanicError
			if errors.As(err, &pe) {
				t.Fatalf("parser panicked: %v\n%s", err, pe.Stack)
			}
			return
		}
		checkWebURL(t, "the feed's site URL", feed.SiteURL)
		for _, it := range Normalize(feed, "https://feeds.example.org/rss", fetchTime, 100) {
			checkSafeHTML(t, it.Summary)
			checkSafeHTML(t, it.Content)
			checkWebURL(t, "item "+it.GUID+"'s URL", it.URL)
			if it.GUID == "" {
				t.Errorf("item %q has no guid", it.Title)
			}
		}
	})
}

// BenchmarkNormalize is Normalize alone on a parsed 50-item feed.
func BenchmarkNormalize(b *testing.B) {
	f, err := Parse(realisticFeed(50), "application/rss+xml", feedURL)
	if err != nil {
		b.Fatal(err)
	}
	items := 0
	for b.Loop() {
		items += len(Normalize(f, feedURL, fetchTime, 0))
	}
	b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
}

// TestNormalizeConcurrent runs Parse and Normalize from several goroutines, as the ingester
// does, so that the race detector sees the shared policy, tables and regexps in use.
func TestNormalizeConcurrent(t *testing.T) {
	body := realisticFeed(5)
	want := ""
	results := make(chan string, 4)
	for range 4 {
		go func() {
			f, err := Parse(body, "", feedURL)
			if err != nil {
				results <- err.Error()
				return
			}
			var b strings.Builder
			for _, it := range Normalize(f, feedURL, fetchTime, 0) {
				b.WriteString(it.ContentHash)
			}
			results <- b.String()
		}()
	}
	for i := range 4 {
		got := <-results
		if i == 0 {
			want = got
		} else if got != want {
			t.Errorf("goroutine results differ: %q and %q", got, want)
		}
	}
}

// FuzzSanitize checks the sanitizer on its own: its output is safe, sanitizeHTML gives what
// policy.Sanitize gives, and text without a tag takes a shortcut that must give what the full
// path gives.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"plain & simple", "a &lt;b&gt; &amp;amp; &#39;q&#39; &quot;", "x\r\ny\u00a0z", "&nbsp;&copy;&notanentity;",
		`<a href="javascript:alert(1)">x</a>`, `<img src=x onerror=alert(1)>`, `<p>a</p><p>b</p>`,
		"<scr<!-- -->ipt>alert(1)</script>", "\xff\xfe<", "&#0;&#x110000;", "a\x00b", "\xff\xfe x", "&#x80;&#150;",
	} {
		f.Add(s)
	}
	base := parseBase("https://news.example.org/a/b")
	f.Fuzz(func(t *testing.T, s string) {
		safe, text := sanitize(s, base)
		checkSafeHTML(t, safe)
		rewritten, slowText := rewriteHTML(strings.TrimSpace(s), base)
		if got, want := sanitizeHTML(rewritten), policy.Sanitize(rewritten); got != want {
			t.Errorf("sanitizeHTML(%q) = %q, policy.Sanitize gives %q", rewritten, got, want)
		}
		if strings.Contains(s, "<") {
			return
		}
		slow := strings.TrimSpace(policy.Sanitize(rewritten))
		if safe != slow || text != slowText {
			t.Errorf("shortcut for %q: got %q / %q, full path gives %q / %q", s, safe, text, slow, slowText)
		}
	})
}

// FuzzItemExcerpt checks that itemExcerpt, reading only the head of a text, gives what
// docket.Excerpt gives on the whole of it.
func FuzzItemExcerpt(f *testing.F) {
	long := strings.Repeat("Aleppo evacuation\u00a0resumes  \n", 40)
	for _, s := range []string{"", "UN", "Title", long, "Title " + long, "Title" + long, "  Title\t\t" + long,
		strings.Repeat("x", 900), strings.Repeat("é ", 500), strings.Repeat(" \u2003", 300) + long, "\xff" + long} {
		f.Add(s, "Title")
		f.Add(s, "")
		f.Add(s, "UN")
	}
	f.Fuzz(func(t *testing.T, text, title string) {
		if got, want := itemExcerpt(text, title), docket.Excerpt(text, title, excerptLen); got != want {
			t.Errorf("itemExcerpt(%q, %q) = %q, want %q", text, title, got, want)
		}
	})
}

// TestNormalizeLengthLimits cuts huge titles, of items and of the feed, on a rune boundary
// with an ellipsis, and drops links too long to lead anywhere.
func TestNormalizeLengthLimits(t *testing.T) {
	longTitle := strings.Repeat("Alépö ", 300_000) // 2.1 MB, two-byte runes
	longURL := "https://example.org/a?q=" + strings.Repeat("x", 500_000)
	okURL := "https://example.org/b?q=" + strings.Repeat("y", maxURLLen-len("https://example.org/b?q="))
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>` + longTitle + `</title><link>` + longURL + `</link>` +
		`<item><guid>g1</guid><title>` + longTitle + `</title><link>` + longURL + `</link><description>d</description></item>` +
		`<item><guid>g2</guid><title>Short</title><link>` + okURL + `</link><description>d</description></item>` +
		`</channel></rss>`
	f, err := Parse([]byte(body), "application/rss+xml", feedURL)
	if err != nil {
		t.Fatal(err)
	}
	checkCut := func(what, got string) {
		t.Helper()
		if len(got) > maxTitleLen || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") || !strings.HasPrefix(longTitle, strings.TrimSuffix(got, "…")) {
			t.Errorf("got %s of %d bytes (%q…%q), want at most %d bytes, valid UTF-8, the title's start and an ellipsis",
				what, len(got), got[:min(len(got), 20)], got[max(0, len(got)-20):], maxTitleLen)
		}
	}
	checkCut("feed title", f.Title)
	if f.SiteURL != "" {
		t.Errorf("got a site URL of %d bytes, want none", len(f.SiteURL))
	}
	items := Normalize(f, feedURL, fetchTime, 0)
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	byGUID := map[string]docket.Item{}
	for _, it := range items {
		byGUID[it.GUID] = it
	}
	long, short := byGUID["g1"], byGUID["g2"]
	checkCut("item title", long.Title)
	if long.URL != "" {
		t.Errorf("got an item URL of %d bytes, want none", len(long.URL))
	}
	if short.Title != "Short" || short.URL != okURL {
		t.Errorf("got title %q and a URL of %d bytes, want %q and the %d-byte URL", short.Title, len(short.URL), "Short", len(okURL))
	}
}
