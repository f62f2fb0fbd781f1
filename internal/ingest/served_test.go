package ingest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// servedItem is what one stored item must hold. In url and summaryHas, {srv} stands for the
// test server's address.
type servedItem struct {
	title, url string
	guid       string    // the whole guid, or a prefix ending in "…"
	date       time.Time // zero: the fetch time, as the feed gave none
	summaryHas string
}

// TestIngestServedBodies serves hostile, mislabelled and incomplete feeds from an httptest
// server and ingests them all with Once, the path `docket ingest` takes, into a real
// database: each source records the error a person reads, or its items are stored with
// decoded titles, absolute links, a guid and a date, and nothing a browser would run.
func TestIngestServedBodies(t *testing.T) {
	dec22 := func(h int) time.Time { return time.Date(2016, 12, 22, h, 0, 0, 0, time.UTC) }
	channel := func(items string) string {
		return `<rss version="2.0"><channel><title>Test</title><link>https://example.org/</link>` + items + `</channel></rss>`
	}
	aleppo := `<item><guid>a1</guid><title>Aleppo evacuation resumes</title><link>https://example.org/a1</link><pubDate>Thu, 22 Dec 2016 10:00:00 GMT</pubDate></item>`
	aleppoItem := []servedItem{{title: "Aleppo evacuation resumes", url: "https://example.org/a1", guid: "a1", date: dec22(10)}}
	utf8Feed := `<?xml version="1.0" encoding="utf-8"?>` + channel(aleppo)
	latin1Item := `<item><guid>l1</guid><title>Caf` + "\xe9" + ` ` + "\xab" + `Alep` + "\xbb" + `</title><pubDate>Thu, 22 Dec 2016 11:00:00 GMT</pubDate></item>`
	latin1Title := []servedItem{{title: "Café «Alep»", guid: "l1", date: dec22(11)}}

	tests := []struct {
		name        string
		contentType string
		body        string
		wantErr     string // the source's last error: whole, or a prefix ending in "…"
		want        []servedItem
	}{
		{name: "empty body", contentType: "application/rss+xml", body: "",
			wantErr: "not a feed: the body is empty"},
		{name: "truncated XML", contentType: "application/rss+xml", body: utf8Feed[:len(utf8Feed)/2],
			wantErr: "not a feed: the XML is cut short (…"},
		{name: "billion laughs", contentType: "application/rss+xml", body: billionLaughs(),
			wantErr: "not a feed: its XML entities would expand to more than 1 MiB (an entity-expansion bomb); Docket does not expand them"},
		{name: "HTML page", contentType: "text/html", body: "<!DOCTYPE html><html><body><p>Welcome</p></body></html>",
			wantErr: "not a feed: the server sent an HTML page"},
		{name: "ISO-8859-1 declared", contentType: "application/rss+xml",
			body: `<?xml version="1.0" encoding="ISO-8859-1"?>` + channel(latin1Item), want: latin1Title},
		{name: "ISO-8859-1 from the Content-Type", contentType: "text/xml; charset=ISO-8859-1",
			body: channel(latin1Item), want: latin1Title},
		{name: "UTF-8 BOM", contentType: "application/rss+xml", body: "\xEF\xBB\xBF" + utf8Feed, want: aleppoItem},
		{name: "UTF-16 BOM", contentType: "application/rss+xml",
			body: string(utf16Bytes(strings.Replace(utf8Feed, "utf-8", "utf-16", 1), false, true)), want: aleppoItem},
		{name: "served as text/html", contentType: "text/html; charset=utf-8", body: utf8Feed, want: aleppoItem},
		{name: "served as application/octet-stream", contentType: "application/octet-stream", body: utf8Feed, want: aleppoItem},
		{name: "relative links", contentType: "application/rss+xml",
			body: `<rss version="2.0"><channel><title>T</title><link>/news/</link>` +
				`<item><guid>r1</guid><title>Relative</title><link>story-1?utm_source=rss&amp;id=3</link>` +
				`<description>&lt;a href="more.html"&gt;more&lt;/a&gt; &lt;img src="/img/1.png"&gt;</description>` +
				`<pubDate>Thu, 22 Dec 2016 12:00:00 GMT</pubDate></item></channel></rss>`,
			want: []servedItem{{title: "Relative", url: "{srv}/news/story-1?id=3", guid: "r1", date: dec22(12),
				summaryHas: `<a href="{srv}/news/more.html" rel="nofollow noreferrer noopener" target="_blank">more</a> <img src="{srv}/img/1.png">`}}},
		{name: "missing guid", contentType: "application/rss+xml",
			body: channel(`<item><title>Link only</title><link>https://example.org/g1?fbclid=x</link><pubDate>Thu, 22 Dec 2016 13:00:00 GMT</pubDate></item>` +
				`<item><title>Neither guid nor link</title><pubDate>Thu, 22 Dec 2016 14:00:00 GMT</pubDate></item>`),
			want: []servedItem{
				{title: "Neither guid nor link", guid: "sha256:…", date: dec22(14)},
				{title: "Link only", url: "https://example.org/g1", guid: "https://example.org/g1", date: dec22(13)},
			}},
		{name: "missing date", contentType: "application/rss+xml",
			body: channel(`<item><guid>d1</guid><title>Undated</title></item>`),
			want: []servedItem{{title: "Undated", guid: "d1"}}},
		{name: "script in title, link and content", contentType: "application/rss+xml",
			body: channel(`<item><guid>s1</guid><title>&lt;script&gt;alert(1)&lt;/script&gt;Aleppo &lt;b onmouseover="alert(2)"&gt;update&lt;/b&gt;</title>` +
				`<link>javascript:alert(document.cookie)</link><description><![CDATA[<p onclick="steal()">Hi <a href="javascript:alert(3)">x</a></p>` +
				`<script>alert(4)</script><iframe src="https://evil.example/"></iframe>]]></description>` +
				`<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<img src=x onerror=alert(5)><svg onload=alert(6)></svg><a href="data:text/html,<script>alert(7)</script>">d</a>]]></content:encoded>` +
				`<pubDate>Thu, 22 Dec 2016 15:00:00 GMT</pubDate></item>`),
			want: []servedItem{{title: "Aleppo update", guid: "s1", date: dec22(15), summaryHas: "<p>Hi x</p>"}}},
	}

	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		bodies := map[string]int{}
		for i, tt := range tests {
			bodies["/"+strings.ReplaceAll(tt.name, " ", "-")] = i
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			i, ok := bodies[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", tests[i].contentType)
			w.Write([]byte(tests[i].body))
		}))
		defer srv.Close()
		for path := range bodies {
			if err := db.CreateSource(ctx, &docket.Source{URL: srv.URL + path, Kind: docket.KindNews}); err != nil {
				t.Fatal(err)
			}
		}
		g := &Ingester{DB: db, Client: NewClient(ClientOptions{AllowPrivate: true}), Workers: 4}
		srcs, err := db.DueSources(ctx, time.Now(), true)
		if err != nil {
			t.Fatal(err)
		}
		before := docket.Now()
		if _, err := g.Once(ctx, srcs, nil); err != nil {
			t.Fatal(err)
		}
		after := docket.Now()

		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				src, err := db.SourceByURL(ctx, srv.URL+"/"+strings.ReplaceAll(tt.name, " ", "-"))
				if err != nil {
					t.Fatal(err)
				}
				if prefix, ok := strings.CutSuffix(tt.wantErr, "…"); ok {
					if !strings.HasPrefix(src.LastError, prefix) {
						t.Errorf("got last error %q, want it to start %q", src.LastError, prefix)
					}
				} else if src.LastError != tt.wantErr {
					t.Errorf("got last error %q, want %q", src.LastError, tt.wantErr)
				}
				var items []docket.Item
				if err := db.R.Select(&items, db.R.Rebind(`SELECT guid, url, title, summary, content, text, published_at, fetched_at
					FROM items WHERE source_id = ? ORDER BY published_at DESC, id`), src.ID); err != nil {
					t.Fatal(err)
				}
				if len(items) != len(tt.want) {
					t.Fatalf("got %d items, want %d", len(items), len(tt.want))
				}
				for i, w := range tt.want {
					checkServedItem(t, items[i], w, srv.URL, before, after)
				}
			})
		}
	})
}

func checkServedItem(t *testing.T, got docket.Item, want servedItem, srvURL string, before, after time.Time) {
	t.Helper()
	expand := func(s string) string { return strings.ReplaceAll(s, "{srv}", srvURL) }
	if got.Title != want.title || got.URL != expand(want.url) {
		t.Errorf("got title %q URL %q, want %q %q", got.Title, got.URL, want.title, expand(want.url))
	}
	if prefix, ok := strings.CutSuffix(want.guid, "…"); ok {
		if !strings.HasPrefix(got.GUID, prefix) {
			t.Errorf("%q: got guid %q, want it to start %q", got.Title, got.GUID, prefix)
		}
	} else if got.GUID != want.guid {
		t.Errorf("%q: got guid %q, want %q", got.Title, got.GUID, want.guid)
	}
	switch {
	case want.date.IsZero():
		// The fetch time, taken as the body arrived; fetched_at is when it was stored.
		if got.PublishedAt.Before(before) || got.PublishedAt.After(got.FetchedAt) || got.FetchedAt.After(after) {
			t.Errorf("%q: got date %v (stored %v), want the fetch time, within [%v, %v]", got.Title, got.PublishedAt, got.FetchedAt, before, after)
		}
	case !got.PublishedAt.Equal(want.date):
		t.Errorf("%q: got date %v, want %v", got.Title, got.PublishedAt, want.date)
	}
	if want.summaryHas != "" && !strings.Contains(got.Summary, expand(want.summaryHas)) {
		t.Errorf("%q: got summary %q, want it to hold %q", got.Title, got.Summary, expand(want.summaryHas))
	}
	checkSafeHTML(t, got.Summary)
	checkSafeHTML(t, got.Content)
	checkWebURL(t, "the item's URL", got.URL)
	for _, s := range []string{got.Title, got.Text} {
		if strings.Contains(s, "alert") || strings.Contains(s, "<") {
			t.Errorf("%q: plain text %q holds markup or script", got.Title, s)
		}
	}
}
