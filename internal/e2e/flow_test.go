package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// flowFeed is a UN feed about the evacuation of Aleppo, as the flow test's source.
const flowFeed = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>UN News: Middle East (test)</title><link>https://news.example.org/</link>
<item><guid>ev-1</guid><title>ICRC: first convoy of ambulances leaves eastern Aleppo</title><link>https://news.example.org/ev-1</link>
<pubDate>Thu, 15 Dec 2016 07:00:00 GMT</pubDate><description>The International Committee of the Red Cross says the first convoy carrying wounded people and civilians has left eastern Aleppo.</description></item>
<item><guid>ev-2</guid><title>Security Council adopts resolution on monitoring of Aleppo evacuations</title><link>https://news.example.org/ev-2</link>
<pubDate>Mon, 19 Dec 2016 17:00:00 GMT</pubDate><description>The Council unanimously requested the UN to carry out neutral monitoring of the evacuations from eastern Aleppo.</description></item>
<item><guid>ev-3</guid><title>Displaced families from Aleppo need shelter in Idlib</title><link>https://news.example.org/ev-3</link>
<pubDate>Thu, 22 Dec 2016 14:00:00 GMT</pubDate><description>Families who left eastern Aleppo are staying in crowded camps in Idlib and need shelter, food and winter clothing.</description></item>
<item><guid>ev-4</guid><title>Aid agencies warn of freezing temperatures in Idlib camps</title><link>https://news.example.org/ev-4</link>
<pubDate>Fri, 23 Dec 2016 09:00:00 GMT</pubDate><description>Temperatures are below freezing at night in the camps of Idlib governorate.</description></item>
</channel></rss>`

const flowStatement = `Thank you for writing to me about Aleppo.

The Red Cross led the first convoy of ambulances out of eastern Aleppo, carrying wounded civilians. The Security Council unanimously asked the UN to monitor the evacuations.

Families displaced from Aleppo to Idlib now need shelter, food and winter clothing in crowded camps.`

// user is one person's own browser context (own cookies) in the shared browser.
type user struct {
	ctx   context.Context
	email string
}

func newUser(t *testing.T, browser context.Context, email string) *user {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first call opens the tab and must not carry a timeout: ending that context would
	// close the tab with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a browser context: %v", err)
	}
	return &user{ctx: ctx, email: email}
}

const flowPassword = "correct horse battery"

func (u *user) signIn(t *testing.T, base string) {
	t.Helper()
	do(t, u.ctx, "sign in as "+u.email,
		chromedp.Navigate(base+"/signin"),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), u.email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), flowPassword),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("nav.office-nav")),
	)
}

// TestOfficeToPublicFlow is the office's day in a real browser: an admin creates a topic and
// a source, the source is fetched from an httptest feed server, the items appear on the
// topic's timeline; one editor drafts a statement, confirms evidence and submits it; a second
// editor approves and publishes it; the public page shows it with its citations. Every page
// is then checked at a phone and a desktop width, and screenshots are written.
func TestOfficeToPublicFlow(t *testing.T) {
	browser := newBrowser(t)
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, flowFeed)
	}))
	defer feeds.Close()
	a := startApp(t, nil)
	a.docket(t, flowPassword+"\n", "user", "add", "--email", "admin@example.org", "--name", "Ada Admin", "--role", "admin")
	base := a.URL

	admin := newUser(t, browser, "admin@example.org")
	admin.signIn(t, base)

	// The admin adds two editors, a topic and a source, through the office's forms.
	for _, ed := range []struct{ name, email string }{{"Eddie Editor", "eddie@example.org"}, {"Erin Editor", "erin@example.org"}} {
		do(t, admin.ctx, "add "+ed.email,
			chromedp.Navigate(base+"/office/users"),
			chromedp.SendKeys(chromedp.CSS("#f-name"), ed.name),
			chromedp.SendKeys(chromedp.CSS("#f-email"), ed.email),
			chromedp.SetValue(chromedp.CSS("#f-role"), "editor"),
			chromedp.SendKeys(chromedp.CSS("#f-password"), flowPassword),
			chromedp.Click(chromedp.CSS(`form[action="/office/users"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
		)
	}
	do(t, admin.ctx, "add a topic",
		chromedp.Navigate(base+"/office/topics"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Aleppo"),
		chromedp.SetValue(chromedp.CSS("#f-rule"), `Aleppo OR Idlib NOT "Aleppo pepper"`),
		chromedp.SetValue(chromedp.CSS("#f-visibility"), "public"),
		chromedp.Click(chromedp.CSS(`[data-testid=topic-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	do(t, admin.ctx, "add a source",
		chromedp.Navigate(base+"/office/sources"),
		chromedp.SendKeys(chromedp.CSS("#f-url"), feeds.URL+"/un.xml"),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "un"),
		chromedp.Click(chromedp.CSS(`form[action="/office/sources"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	do(t, admin.ctx, "follow the topic",
		chromedp.Navigate(base+"/office/topics/aleppo"),
		chromedp.Click(chromedp.CSS(`form.follow button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/office/topics/aleppo/unfollow"]`)),
	)
	// The running server's workers fetch the new source; its items reach the timeline.
	waitFor(t, 30*time.Second, "items on the office timeline", func() bool {
		do(t, admin.ctx, "reload the topic", chromedp.Navigate(base+"/office/topics/aleppo"), chromedp.WaitReady(chromedp.CSS("footer")))
		return eval[int](t, admin.ctx, `document.querySelectorAll('[data-testid=entry]').length`) == 4
	})

	// Eddie drafts a statement, confirms the best evidence of a sentence, and submits it.
	eddie := newUser(t, browser, "eddie@example.org")
	eddie.signIn(t, base)
	do(t, eddie.ctx, "draft a statement",
		chromedp.Navigate(base+"/office/statements/new"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "The evacuation of Aleppo"),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "constituent_response"),
		chromedp.Click(chromedp.CSS(`input[name=topics]`)),
		chromedp.SetValue(chromedp.CSS("#f-body"), flowStatement),
		chromedp.Click(chromedp.CSS(`[data-testid=new-statement] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=evidence-panel]")),
	)
	editorURL := eval[string](t, eddie.ctx, `location.pathname`)
	if !regexp.MustCompile(`^/office/statements/\d+$`).MatchString(editorURL) {
		t.Fatalf("after creating the draft the browser is at %s", editorURL)
	}
	id := strings.TrimPrefix(editorURL, "/office/statements/")
	if n := eval[int](t, eddie.ctx, `document.querySelectorAll('[data-testid=evidence] button[value=confirmed]').length`); n < 2 {
		t.Fatalf("%d suggestions to confirm, want evidence suggested for the draft", n)
	}
	// Confirm the best suggestion of the two sentences about events (the 2nd and the 4th).
	for i, n := range []int{2, 4} {
		sel := fmt.Sprintf(`#evidence-panel [data-testid=sentence]:nth-of-type(%d) [data-testid=evidence] button[value=confirmed]`, n)
		do(t, eddie.ctx, "confirm a suggestion", chromedp.Click(chromedp.CSS(sel)))
		waitFor(t, 10*time.Second, "the panel shows the confirmation", func() bool {
			return eval[int](t, eddie.ctx, `document.querySelectorAll('#evidence-panel .evidence-confirmed').length`) == i+1
		})
	}
	// Typing a new sentence refreshes the evidence panel (htmx, debounced), without saving.
	before := eval[int](t, eddie.ctx, `document.querySelectorAll('#evidence-panel [data-testid=sentence]').length`)
	eval[any](t, eddie.ctx, `(() => { const b = document.querySelector('#f-body'); b.focus(); b.setSelectionRange(b.value.length, b.value.length) })()`)
	do(t, eddie.ctx, "type a sentence", chromedp.KeyEvent(" Temperatures in the Idlib camps fall below freezing at night."))
	waitFor(t, 15*time.Second, "the panel shows the new sentence", func() bool {
		return eval[int](t, eddie.ctx, `document.querySelectorAll('#evidence-panel [data-testid=sentence]').length`) == before+1
	})
	if got := eval[string](t, eddie.ctx, `[...document.querySelectorAll('#evidence-panel [data-testid=sentence]')].pop().textContent`); !strings.Contains(got, "Aid agencies warn of freezing temperatures") {
		t.Errorf("the new sentence's suggestions %q do not include the freezing-camps report", got)
	}
	// Text put in without a key (pasted, dropped) refreshes the panel too: it fires input,
	// not keyup.
	before = eval[int](t, eddie.ctx, `document.querySelectorAll('#evidence-panel [data-testid=sentence]').length`)
	eval[any](t, eddie.ctx, `(() => { const b = document.querySelector('#f-body'); b.focus(); b.setSelectionRange(b.value.length, b.value.length);
		document.execCommand('insertText', false, ' Families from Aleppo need shelter in Idlib.') })()`)
	waitFor(t, 15*time.Second, "the panel shows the pasted sentence", func() bool {
		return eval[int](t, eddie.ctx, `document.querySelectorAll('#evidence-panel [data-testid=sentence]').length`) == before+1
	})
	do(t, eddie.ctx, "reload the saved draft", chromedp.Navigate(base+editorURL), chromedp.WaitVisible(chromedp.CSS("#evidence-panel")))
	shootWidths(t, eddie.ctx, "statement-editor")
	do(t, eddie.ctx, "submit for review",
		chromedp.Navigate(base+editorURL),
		chromedp.Click(chromedp.CSS(`[data-testid=action-submit] summary`)),
		chromedp.Click(chromedp.CSS(`[data-testid=action-submit] button[type=submit]`)),
	)
	waitStatus(t, eddie.ctx, "In review")
	if got := eval[string](t, eddie.ctx, `document.querySelector('[data-testid=status]').textContent`); got != "In review" {
		t.Fatalf("status after submitting: %q", got)
	}
	// Eddie wrote it, so he cannot approve it.
	if n := eval[int](t, eddie.ctx, `document.querySelectorAll('[data-testid=action-approve] button[type=submit]').length`); n != 0 {
		t.Errorf("the author is offered the approve button")
	}

	// Erin approves and publishes.
	erin := newUser(t, browser, "erin@example.org")
	erin.signIn(t, base)
	for _, action := range []string{"approve", "publish"} {
		do(t, erin.ctx, action,
			chromedp.Navigate(base+editorURL),
			chromedp.Click(chromedp.CSS(`[data-testid=action-`+action+`] summary`)),
			chromedp.Click(chromedp.CSS(`[data-testid=action-`+action+`] button[type=submit]`)),
		)
		waitStatus(t, erin.ctx, map[string]string{"approve": "Approved", "publish": "Published"}[action])
	}
	if got := eval[string](t, erin.ctx, `document.querySelector('[data-testid=status]').textContent`); got != "Published" {
		t.Fatalf("status after publishing: %q", got)
	}

	// The public reads it, with numbered citations linking to the items.
	public := newUser(t, browser, "")
	do(t, public.ctx, "public statement", chromedp.Navigate(base+"/statements/"+id), chromedp.WaitVisible(chromedp.CSS("[data-testid=statement]")))
	cites := eval[[]string](t, public.ctx, `[...document.querySelectorAll('[data-testid=citations] li a')].map(a => a.href)`)
	if len(cites) < 2 {
		t.Fatalf("citations %q, want the two confirmed items", cites)
	}
	for _, c := range cites {
		if !strings.HasPrefix(c, "https://news.example.org/ev-") {
			t.Errorf("citation links to %s, want the item's address", c)
		}
	}
	if n := eval[int](t, public.ctx, `document.querySelectorAll('.statement-body sup.cite').length`); n < 2 {
		t.Errorf("%d citation marks in the text, want 2", n)
	}
	do(t, public.ctx, "public topic", chromedp.Navigate(base+"/topics/aleppo"), chromedp.WaitVisible(chromedp.CSS("[data-testid=timeline]")))
	if got := eval[string](t, public.ctx, `document.querySelector('[data-testid=statements] h3').textContent`); got != "The evacuation of Aleppo" {
		t.Errorf("the public topic page lists %q, want the published statement", got)
	}
	if got := eval[string](t, public.ctx, `(document.querySelector('[data-testid=sources-count]') || {}).textContent || ""`); got != "2 cited sources" {
		t.Errorf("the statement's card says %q, want 2 cited sources", got)
	}

	// A researcher, to see the 403 page.
	a.docket(t, flowPassword+"\n", "user", "add", "--email", "rita@example.org", "--name", "Rita Researcher", "--role", "researcher")
	rita := newUser(t, browser, "rita@example.org")
	rita.signIn(t, base)

	// Every page, at a phone and a desktop width.
	pages := []struct {
		who  *user
		name string
		path string
	}{
		{public, "public-home", "/"},
		{public, "public-topic", "/topics/aleppo"},
		{public, "public-statement", "/statements/" + id},
		{public, "signin", "/signin"},
		{public, "not-found", "/no/such/page"},
		{admin, "office-home", "/office"},
		{admin, "office-topics", "/office/topics"},
		{admin, "office-topic", "/office/topics/aleppo"},
		{admin, "office-topic-settings", "/office/topics/aleppo/settings"},
		{admin, "office-statements", "/office/statements"},
		{admin, "office-statement-new", "/office/statements/new"},
		{admin, "office-statement", editorURL},
		{admin, "office-revisions", editorURL + "/revisions"},
		{admin, "office-import", "/office/statements/import"},
		{admin, "office-members", "/office/members"},
		{admin, "office-sources", "/office/sources"},
		{admin, "office-users", "/office/users"},
		{admin, "office-audit", "/office/audit"},
		{admin, "office-account", "/office/account"},
		{rita, "forbidden", "/office/users"},
	}
	dir := screenshotDir(t)
	for _, w := range widths {
		for _, p := range pages {
			t.Run(w.name+"/"+p.name, func(t *testing.T) {
				do(t, p.who.ctx, "load", chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(base+p.path), chromedp.WaitReady(chromedp.CSS("footer")))
				if overflow := eval[int](t, p.who.ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
					wide := eval[[]string](t, p.who.ctx, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !(e.parentElement && e.parentElement.closest('.table-wrap'))).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`)
					t.Errorf("%s scrolls sideways by %dpx at %dpx wide: %q", p.path, overflow, w.width, wide)
				}
				if n := eval[int](t, p.who.ctx, `document.querySelectorAll('main h1').length`); n != 1 {
					t.Errorf("%s has %d h1 in main, want 1", p.path, n)
				}
				if p.name == "forbidden" {
					if got := eval[string](t, p.who.ctx, `document.querySelector('main h1').textContent + ' / ' + document.querySelector('.nav-user').textContent`); got != "You cannot do this / Rita Researcher" {
						t.Errorf("the 403 page says %q, want its heading and the user's name", got)
					}
				}
				if low := eval[[]string](t, p.who.ctx, tagContrastJS); len(low) > 0 {
					t.Errorf("%s: tags below 4.5:1: %q", p.path, low)
				}
				if p.name == "office-home" || p.name == "office-topic" {
					shoot(t, p.who.ctx, dir, p.name+"-"+w.name)
				}
			})
		}
	}
	// Dark mode, as a reader who prefers it sees the pages: they render dark, and their tags
	// keep their contrast.
	for _, who := range []*user{public, admin} {
		if _, err := chromedp.Call(who.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}); err != nil {
			t.Fatalf("emulate dark mode: %v", err)
		}
	}
	for _, p := range []struct {
		who   *user
		path  string
		plain bool // a page with no tags
	}{{public, "/topics/aleppo", false}, {public, "/statements/" + id, true}, {admin, "/office", false}, {admin, "/office/topics", false},
		{admin, "/office/topics/aleppo", false}, {admin, "/office/sources", false}, {admin, editorURL, false}} {
		t.Run("dark"+p.path, func(t *testing.T) {
			do(t, p.who.ctx, "load", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+p.path), chromedp.WaitReady(chromedp.CSS("footer")))
			if dark := eval[bool](t, p.who.ctx, `matchMedia('(prefers-color-scheme: dark)').matches && getComputedStyle(document.body).backgroundColor === 'rgb(17, 20, 22)'`); !dark {
				t.Fatalf("%s is not dark: background %s", p.path, eval[string](t, p.who.ctx, `getComputedStyle(document.body).backgroundColor`))
			}
			if n := eval[int](t, p.who.ctx, `document.querySelectorAll('.tag').length`); n == 0 && !p.plain {
				t.Fatalf("%s shows no tags to check", p.path)
			}
			if low := eval[[]string](t, p.who.ctx, tagContrastJS); len(low) > 0 {
				t.Errorf("%s in dark mode: tags below 4.5:1: %q", p.path, low)
			}
		})
	}
}

// tagContrastJS lists the tags on the page whose text is below WCAG's 4.5:1 against their
// background, as the browser computes their colours.
const tagContrastJS = `(() => {
	const rgb = s => s.match(/[\d.]+/g).slice(0, 3).map(Number);
	const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const low = [];
	for (const el of document.querySelectorAll('.tag')) {
		const st = getComputedStyle(el);
		const a = lum(rgb(st.color)), b = lum(rgb(st.backgroundColor));
		const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
		if (ratio < 4.5) low.push(el.className + ' "' + el.textContent.trim() + '" ' + st.color + ' on ' + st.backgroundColor + ' ' + ratio.toFixed(2));
	}
	return low;
})()`

// waitStatus waits until the editor, reloaded after a workflow action, shows the status.
func waitStatus(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	waitFor(t, 15*time.Second, "status "+want, func() bool {
		c, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		got, err := chromedp.Run(c, chromedp.Evaluate[string](`(document.querySelector('[data-testid=status]') || {}).textContent || ""`))
		return err == nil && got == want && strings.Contains(pageText(ctx), "done=")
	})
}

// shootWidths screenshots the current page at the desktop width.
func shootWidths(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	do(t, ctx, "desktop width", chromedp.EmulateViewport(1280, 1000))
	shoot(t, ctx, screenshotDir(t), name)
}
