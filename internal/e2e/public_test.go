package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotDir is where screenshots go: docs/screenshots when DOCKET_UPDATE_SCREENSHOTS=1
// (to refresh the ones README.md shows), else the test's temporary folder.
func screenshotDir(t *testing.T) string {
	if os.Getenv("DOCKET_UPDATE_SCREENSHOTS") == "1" {
		dir := filepath.Join("..", "..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// shoot saves a screenshot of what the viewport shows as name.png.
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(c, chromedp.Evaluate[any](`window.scrollTo(0, 0); for (const e of document.querySelectorAll('*')) { if (e.scrollTop) e.scrollTop = 0 }`)); err != nil {
		t.Fatalf("scroll to the top: %v", err)
	}
	png, err := chromedp.Run(c, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// widths are the viewports every page is checked at: a phone and a desktop.
var widths = []struct {
	name          string
	width, height int64
}{
	{"phone", 375, 812},
	{"desktop", 1280, 900},
}

// TestDemoPublicPages loads the demo's public pages at a phone and a desktop width: each
// shows its content, none scrolls sideways, and screenshots are written.
func TestDemoPublicPages(t *testing.T) {
	ctx := newBrowser(t)
	a := startApp(t, nil, "--demo")
	dir := screenshotDir(t)
	pages := []struct {
		name, path, wait string
		minEntries       int
	}{
		{"home", "/", "[data-testid=topics]", 0},
		{"topic", "/topics/syria", "[data-testid=timeline]", 20},
		{"statement", "/statements/1", "[data-testid=statement]", 0},
	}
	for _, w := range widths {
		for _, p := range pages {
			t.Run(w.name+"/"+p.name, func(t *testing.T) {
				do(t, ctx, "load", chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(a.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.wait)))
				overflow := eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
				if overflow > 0 {
					t.Errorf("the page scrolls sideways by %dpx at %dpx wide", overflow, w.width)
				}
				if p.minEntries > 0 {
					if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid=entry]').length`); n < p.minEntries {
						t.Errorf("%d timeline entries, want at least %d", n, p.minEntries)
					}
				}
				shoot(t, ctx, dir, p.name+"-"+w.name)
			})
		}
	}
}
