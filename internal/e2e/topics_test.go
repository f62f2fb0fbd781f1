package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTimelineFiltersAndCurationWithHTMX drives the public filter form and an office curation
// button in a real browser: htmx swaps the results and the entry in place (the page is not
// reloaded), and the address follows the filters so the back button and links still work.
func TestTimelineFiltersAndCurationWithHTMX(t *testing.T) {
	ctx := newBrowser(t)
	a := startApp(t, nil, "--demo")
	a.docket(t, "a long enough password\n", "user", "add", "--email", "r@example.org", "--name", "Rita Researcher", "--role", "researcher")

	// A page that reloads loses this mark; an htmx swap keeps it.
	const mark = `window.__docketNoReload = true`
	const marked = `window.__docketNoReload === true`

	do(t, ctx, "open the public topic", chromedp.Navigate(a.URL+"/topics/syria"), chromedp.WaitReady(chromedp.CSS("footer")))
	before := eval[int](t, ctx, `document.querySelectorAll('[data-testid=entry]').length`)
	eval[bool](t, ctx, mark)
	do(t, ctx, "search", chromedp.SendKeys(chromedp.CSS("#f-q"), "evacuation"), chromedp.Click(chromedp.CSS("form[data-testid=filters] button[type=submit]")))
	waitFor(t, 10*time.Second, "the results swapped in", func() bool {
		return eval[bool](t, ctx, `document.querySelectorAll('#timeline-results .entry-title mark').length > 0`)
	})
	if !eval[bool](t, ctx, marked) {
		t.Error("the search reloaded the page instead of swapping the results")
	}
	if q := eval[string](t, ctx, `location.search`); !strings.Contains(q, "q=evacuation") {
		t.Errorf("the address is %q, want it to carry the search", q)
	}
	after := eval[int](t, ctx, `document.querySelectorAll('[data-testid=entry]').length`)
	if after == 0 || after >= before {
		t.Errorf("%d entries after the search, %d before: want fewer, but some", after, before)
	}
	marks := eval[[]string](t, ctx, `[...document.querySelectorAll('#timeline-results mark')].map(m => m.textContent.toLowerCase())`)
	for _, m := range marks {
		if !strings.HasPrefix(m, "evacuation") {
			t.Errorf("marked %q, which is not the searched word", m)
		}
	}

	do(t, ctx, "sign in",
		chromedp.Navigate(a.URL+"/signin?next=/office/topics/syria"), chromedp.WaitReady(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "r@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "a long enough password"),
		chromedp.Click(chromedp.CSS("form[action='/signin'] button")),
		chromedp.WaitReady(chromedp.CSS("[data-testid=curate]")))
	eval[bool](t, ctx, mark)
	id := eval[string](t, ctx, `document.querySelector('[data-testid=entry]').id`)
	if !eval[bool](t, ctx, `(() => {
			const b = [...document.querySelectorAll('#`+id+` [data-testid=curate] button')].find(b => b.textContent.trim() === 'Reject');
			if (!b) return false;
			b.click();
			return true;
		})()`) {
		t.Fatal("no Reject button on the first entry")
	}
	waitFor(t, 10*time.Second, "the entry redrawn as rejected", func() bool {
		return eval[string](t, ctx, `(document.getElementById('`+id+`') || {}).dataset?.state || ''`) == "rejected"
	})
	if !eval[bool](t, ctx, marked) {
		t.Error("rejecting reloaded the page instead of swapping the entry")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#`+id+`').length`); n != 1 {
		t.Errorf("%d copies of the entry after the swap, want 1", n)
	}
}
