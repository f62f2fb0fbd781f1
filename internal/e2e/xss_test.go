package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
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

// survivors are payloads that reach a page as literal text, because the feed escaped them
// once more than the sanitizer unescapes: a CDATA title holding an escaped tag, a summary
// escaped twice, an author with an escaped tag. Stripping tags leaves them as they are, so
// only templ's escaping stands between them and the page: they are what catches an
// escaping regression (a title rendered with templ.Raw becomes a live <img onerror>).
var survivors = []struct{ title, summary, author string }{
	{`<![CDATA[Payload aleph &lt;img src=x onerror=alert("s1")&gt; headline]]>`, `Survivor one.`, `reporter@example.org (Ann)`},
	{`Payload bravo report`, `Survivor summary &amp;lt;img src=x onerror=alert("s2")&amp;gt; escaped twice`, `x@example.org (&lt;img src=x onerror=alert("s3")&gt;)`},
	{`<![CDATA[Payload charlie &lt;svg onload=alert("s4")&gt;&lt;/svg&gt; notice]]>`, `<![CDATA[&lt;iframe src="javascript:alert('s5')"&gt;&lt;/iframe&gt;]]>`, ``},
}

// survivorText is what must appear as text on the pages that show the survivors.
const survivorText = `<img src=x onerror=alert("s1")>`

// hostileFeed carries every payload in titles, links, summaries and content, and the
// survivors; its own title is hostile too (it names the source when none was given).
func hostileFeed() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title><![CDATA[Hostile &lt;img src=x onerror=alert("feedtitle")&gt; feed]]></title><link>https://hostile.example/</link>`)
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
	for i, sv := range survivors {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://hostile.example/survivor/%d</link><guid isPermaLink="false">s%d</guid>
<pubDate>%02d Dec 2016 10:00:00 GMT</pubDate><description>%s</description><author>%s</author></item>`,
			sv.title, i, i, 20+2*i, sv.summary, sv.author)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// unFeed is a UN source's feed of survivors, added under a hostile name of its own.
const unFeed = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>UN</title><link>https://un.example/</link>
<item><title><![CDATA[Payload delta bulletin &lt;img src=x onerror=alert("u1")&gt;]]></title><link>https://un.example/1</link><guid>u1</guid>
<pubDate>Mon, 26 Dec 2016 09:00:00 GMT</pubDate><description>Geneva &amp;lt;script&amp;gt;alert("u2")&amp;lt;/script&amp;gt;</description></item>
</channel></rss>`

func esc2(s string) string { return strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(s) }

// scanJS lists the live markup a page holds that no Docket page should: event handler
// attributes, javascript:/data: links, scripts other than htmx, and embedding elements.
const scanJS = `(() => {
	const bad = [];
	for (const el of document.querySelectorAll('*')) {
		for (const at of el.attributes) {
			if (at.name.startsWith('on')) bad.push(el.tagName + ' ' + at.name);
			if (/^\s*(javascript|vbscript|data):/i.test(at.value) && ['href','src','action','data','formaction'].includes(at.name)) bad.push(el.tagName + ' ' + at.name + '=' + at.value);
		}
	}
	for (const s of document.querySelectorAll('script')) {
		if (new URL(s.src || 'inline:', location.href).pathname !== '/static/htmx.min.js') bad.push('script ' + s.outerHTML.slice(0, 80));
	}
	for (const tag of ['iframe','object','embed','form[action^=javascript]','base','meta[http-equiv]','svg [onload]']) {
		for (const el of document.querySelectorAll(tag)) bad.push('element ' + tag);
	}
	return bad;
})()`

// TestFeedScriptsNeverRun ingests feeds full of script payloads, some escaped so they
// survive sanitizing as text, files a statement citing their items, and loads every page that
// shows them, public and office, in a real browser: no dialog opens, the DOM holds no live
// markup from the feeds, and the survivors show as the text they are. Under the CSP an
// injected handler would not run anyway, so the DOM scan is what fails on an escaping
// regression; a control first shows that the scan sees injected markup.
func TestFeedScriptsNeverRun(t *testing.T) {
	browser := newBrowser(t)
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		if r.URL.Path == "/un.xml" {
			io.WriteString(w, unFeed)
			return
		}
		io.WriteString(w, hostileFeed())
	}))
	defer feeds.Close()
	a := startApp(t, nil)
	a.docket(t, flowPassword+"\n", "user", "add", "--email", "admin@example.org", "--name", "Ada Admin", "--role", "admin")
	a.docket(t, "", "topic", "add", "--title", "Hostile", "--rule", "payload", "--public")
	a.docket(t, "", "source", "add", "--kind", "news", feeds.URL+"/hostile.xml")
	a.docket(t, "", "source", "add", "--kind", "un", "--title", `UN <img src=x onerror=alert("srctitle")> desk`, feeds.URL+"/un.xml")
	out := a.docket(t, "", "ingest", "--all")
	if !strings.Contains(out, fmt.Sprintf("%d new", len(payloads)+len(survivors)+1)) {
		t.Fatalf("ingest: %s", out)
	}
	published, draft := fileStatements(t, a)

	admin := newUser(t, browser, "admin@example.org")
	admin.signIn(t, a.URL)
	public := newUser(t, browser, "")
	d := watchDialogs(public.ctx)
	da := watchDialogs(admin.ctx)

	// Controls: the scan flags markup injected into a page, and a dialog that opens is seen.
	do(t, public.ctx, "load the control page", chromedp.Navigate(a.URL+"/"), chromedp.WaitReady(chromedp.CSS("footer")))
	if bad := eval[[]string](t, public.ctx, scanJS); len(bad) != 0 {
		t.Fatalf("the home page already holds live markup: %q", bad)
	}
	eval[any](t, public.ctx, `document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x onerror="void 0"><a href="javascript:void 0">x</a><iframe></iframe>')`)
	if bad := eval[[]string](t, public.ctx, scanJS); len(bad) != 3 {
		t.Fatalf("the scan found %q in injected markup, want the handler, the javascript: link and the iframe", bad)
	}
	eval[any](t, public.ctx, `alert("control")`)
	waitFor(t, 10*time.Second, "the control dialog", func() bool { return len(d.list()) == 1 })

	pages := []struct {
		who      *user
		path     string
		literals []string // text that must show, as text
	}{
		{public, "/", nil},
		{public, "/topics/hostile", []string{survivorText, `<img src=x onerror=alert("s2")>`, `<img src=x onerror=alert("u1")>`, `onerror=alert("feedtitle")`, `onerror=alert("srctitle")`}},
		{public, "/topics/hostile?limit=5", nil},
		{public, "/topics/hostile?q=aleph", []string{survivorText}},
		{public, "/statements/" + published, []string{survivorText}},
		{admin, "/office", nil},
		{admin, "/office/topics/hostile", []string{survivorText, `onerror=alert("srctitle")`}},
		{admin, "/office/sources", []string{`onerror=alert("feedtitle")`, `onerror=alert("srctitle")`}},
		{admin, "/office/statements", []string{`<img src=x onerror=alert("u1")>`}},
		{admin, "/office/statements/" + draft, []string{survivorText}},
		{admin, "/office/statements/" + published, []string{survivorText}},
	}
	for _, p := range pages {
		do(t, p.who.ctx, "load "+p.path, chromedp.Navigate(a.URL+p.path), chromedp.WaitReady(chromedp.CSS("footer")))
		if p.path == "/topics/hostile" {
			if n := eval[int](t, p.who.ctx, `document.querySelectorAll('[data-testid=entry]').length`); n != len(payloads)+len(survivors)+1 {
				t.Errorf("%s shows %d entries, want %d: %s", p.path, n, len(payloads)+len(survivors)+1, eval[string](t, p.who.ctx, `[...document.querySelectorAll('[data-testid=entry] .entry-title')].map(e => e.innerText).join(" | ")`))
			}
		}
		if bad := eval[[]string](t, p.who.ctx, scanJS); len(bad) > 0 {
			t.Errorf("%s: the page holds live markup from the feeds: %q", p.path, bad)
		}
		body := eval[string](t, p.who.ctx, `document.body.innerText`)
		for _, l := range p.literals {
			if !strings.Contains(body, l) {
				t.Errorf("%s does not show %q as text", p.path, l)
			}
		}
	}
	if msgs := d.list(); len(msgs) != 1 {
		t.Errorf("script from the feeds ran on public pages: dialogs %q, want only the control", msgs)
	}
	if msgs := da.list(); len(msgs) > 0 {
		t.Errorf("script from the feeds ran in the office: dialogs %q", msgs)
	}
}

// fileStatements files, straight in the database, a published statement on the hostile topic
// (published before its items, so they make it stale) and a draft, both citing the
// survivors and some payload items; it returns their ids.
func fileStatements(t *testing.T, a *app) (published, draft string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, a.DB, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	topic, err := db.PublicTopicBySlug(ctx, "hostile")
	if err != nil {
		t.Fatal(err)
	}
	var cited []int64
	for _, u := range []string{"https://hostile.example/survivor/0", "https://hostile.example/survivor/1", "https://hostile.example/survivor/2", "https://hostile.example/1", "https://hostile.example/2", "https://un.example/1"} {
		id, err := db.ItemIDByURL(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		cited = append(cited, id)
	}
	const sentence = "The feeds reported it."
	body := sentence + " Nothing else is cited."
	pub := time.Date(2016, 12, 18, 12, 0, 0, 0, time.UTC)
	ids := make([]string, 2)
	for i, st := range []*docket.Statement{
		{Title: "On the hostile feeds", Body: body, Kind: docket.KindPressRelease, Status: docket.StatusPublished, PublishedAt: &pub},
		{Title: "Draft on the hostile feeds", Body: body, Kind: docket.KindPressRelease},
	} {
		if err := db.CreateStatement(ctx, st, []int64{topic.ID}, nil, ""); err != nil {
			t.Fatal(err)
		}
		// The published one is seeded (its version's citations are fixed once published).
		var cs []store.EvidenceChange
		for _, item := range cited {
			cs = append(cs, store.EvidenceChange{SentenceText: sentence, SentenceHash: statements.Hash(sentence), ItemID: item, Manual: true})
		}
		if err := db.SeedCitations(ctx, st.ID, cs); err != nil {
			t.Fatal(err)
		}
		ids[i] = fmt.Sprint(st.ID)
	}
	return ids[0], ids[1]
}
