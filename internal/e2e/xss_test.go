package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// payloads are script attempts as feeds carry them. Each one, if it ran, would open a dialog
// whose text says which payload it was.
var payloads = []string{
	`<script>alert("p1")</script>`,
	`<img src=x onerror=alert("p2")>`,
	`<a href="javascript:alert('p3')">click</a>`,
	`<svg onload=alert("p4")><circle r=5 /></svg>`,
	`<iframe src="javascript:alert('p5')"></iframe>`,
	`<a href="jav&#x09;ascript:alert('p6')">tab</a>`,
	`<body onload=alert("p7")>`,
	`<object data="data:text/html,<script>alert('p8')</script>"></object>`,
	`<embed src="data:text/html,<script>alert('p9')</script>">`,
	`<form action="javascript:alert('p10')"><button>go</button></form>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert('p11')">`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert("p12")>`,
	`<div style="background:url(javascript:alert('p13'))">styled</div>`,
	`<details open ontoggle=alert("p14")>x</details>`,
	`"><script>alert("p15")</script>`,
	`<base href="javascript:alert('p16')//">`,
	`<noscript><p title="</noscript><img src=x onerror=alert('p17')>">`,
}

// hostileFeed carries every payload in titles, links, summaries and content.
func hostileFeed() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Hostile &lt;script&gt;alert("feedtitle")&lt;/script&gt;</title><link>https://hostile.example/</link>`)
	for i, p := range payloads {
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(p)
		link := "https://hostile.example/" + fmt.Sprint(i)
		if i%3 == 0 {
			link = "javascript:alert('link" + fmt.Sprint(i) + "')"
		}
		fmt.Fprintf(&b, `<item><title>Payload %d %s</title><link>%s</link><guid isPermaLink="false">p%d</guid>
<pubDate>Mon, 19 Dec 2016 %02d:00:00 GMT</pubDate>
<description>Payload summary %d %s</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>Payload content %d</p>%s]]></content:encoded></item>`,
			i, esc, esc2(link), i, i%24, i, esc, i, p)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func esc2(s string) string { return strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(s) }

// TestFeedScriptsNeverRun ingests a feed full of script payloads and loads the pages that
// show its items in a real browser: no dialog opens, and the DOM holds no script from the
// feed, no event handler attributes and no javascript: links.
func TestFeedScriptsNeverRun(t *testing.T) {
	ctx := newBrowser(t)
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, hostileFeed())
	}))
	defer feeds.Close()
	a := startApp(t, nil)
	a.docket(t, "", "topic", "add", "--title", "Hostile", "--rule", "payload", "--public")
	a.docket(t, "", "source", "add", "--kind", "news", feeds.URL)
	out := a.docket(t, "", "ingest", "--all")
	if !strings.Contains(out, fmt.Sprintf("%d new", len(payloads))) {
		t.Fatalf("ingest: %s", out)
	}
	d := watchDialogs(ctx)
	for _, path := range []string{"/", "/topics/hostile", "/topics/hostile?limit=5"} {
		do(t, ctx, "load "+path, chromedp.Navigate(a.URL+path), chromedp.WaitReady(chromedp.CSS("footer")))
		n := eval[int](t, ctx, `document.querySelectorAll('[data-testid=entry]').length`)
		bad := eval[[]string](t, ctx, `(() => {
				const bad = [];
				for (const el of document.querySelectorAll('*')) {
					for (const at of el.attributes) {
						if (at.name.startsWith('on')) bad.push(el.tagName + ' ' + at.name);
						if (/^\s*(javascript|vbscript|data):/i.test(at.value) && ['href','src','action','data','formaction'].includes(at.name)) bad.push(el.tagName + ' ' + at.name + '=' + at.value);
					}
				}
				for (const s of document.querySelectorAll('script')) {
					if (new URL(s.src).pathname !== '/static/htmx.min.js') bad.push('script ' + s.outerHTML.slice(0, 80));
				}
				for (const tag of ['iframe','object','embed','form[action^=javascript]','base','meta[http-equiv]','svg [onload]']) {
					for (const el of document.querySelectorAll(tag)) bad.push('element ' + tag);
				}
				return bad;
			})()`)
		if path == "/topics/hostile" && n != len(payloads) {
			t.Errorf("%s shows %d entries, want %d", path, n, len(payloads))
		}
		if len(bad) > 0 {
			t.Errorf("%s: the page holds live markup from the feed: %q", path, bad)
		}
	}
	if msgs := d.list(); len(msgs) > 0 {
		t.Fatalf("script from the feed ran: dialogs %q", msgs)
	}
}
