package e2e

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/docket-dev/docket/internal/cli"
	"github.com/docket-dev/docket/internal/docket"
)

func TestMain(m *testing.M) {
	// Real argon2id, cheap enough for many sign-ins.
	docket.PasswordParams = &argon2id.Params{Memory: 4096, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	os.Exit(m.Run())
}

// chromiumPath finds the browser, or skips the test saying why; under DOCKET_E2E=1 a missing
// browser fails the test instead.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("DOCKET_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("DOCKET_E2E") == "1" {
		t.Fatal("DOCKET_E2E=1 but no chromium found: install Debian's chromium or set DOCKET_CHROMIUM")
	}
	t.Skip("browser tests skipped: chromium not found (apt-get install chromium, or set DOCKET_E2E=1 to require them)")
	return ""
}

// newBrowser starts a headless chromium with a fresh profile, closed when the test ends.
// The flags keep it off the network it would otherwise try to reach at start.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	// The first call starts the browser; it must not carry a timeout (that would stop the
	// browser with it), so a watchdog fails the test if the start hangs.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start chromium: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("chromium did not start within 60s")
	}
	return ctx
}

// dialogs records every alert, confirm or prompt a page opens: a payload that runs shows
// up here. Dialogs are dismissed so the page goes on.
type dialogs struct {
	mu   sync.Mutex
	msgs []string
}

func watchDialogs(ctx context.Context) *dialogs {
	d := &dialogs{}
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			d.mu.Lock()
			d.msgs = append(d.msgs, ev.Message)
			d.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return d
}

func (d *dialogs) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.msgs...)
}

// app is a running Docket.
type app struct {
	URL string
	DB  string
	env map[string]string
}

// docket runs a docket command against the app's database.
func (a *app) docket(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errb strings.Builder
	code := cli.Run(context.Background(), args, func(k string) string { return a.env[k] }, strings.NewReader(stdin), &out, &errb)
	if code != 0 {
		t.Fatalf("docket %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// startApp runs `docket serve` in-process on a new SQLite file and waits for /healthz.
func startApp(t *testing.T, extraEnv map[string]string, args ...string) *app {
	t.Helper()
	a := &app{DB: filepath.Join(t.TempDir(), "docket.db")}
	a.env = map[string]string{"DOCKET_DB": a.DB, "DOCKET_ALLOW_PRIVATE_SOURCES": "1", "DOCKET_LOG_LEVEL": "warn"}
	for k, v := range extraEnv {
		a.env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan struct{})
	var errb strings.Builder
	var mu sync.Mutex
	go func() {
		defer close(done)
		cli.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), func(k string) string { return a.env[k] },
			strings.NewReader(""), pw, writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return errb.Write(p) }))
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("docket serve did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("docket serve printed no address: %v\n%s", err, errb.String())
	}
	go io.Copy(io.Discard, pr)
	a.URL = strings.TrimSpace(line[strings.Index(line, "http://"):])
	waitFor(t, 15*time.Second, "docket /healthz", func() bool {
		resp, err := http.Get(a.URL + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return a
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// waitFor polls ok until it holds or the limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %s", what, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// do runs browser steps with a deadline, failing the test on error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c, steps...); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, pageText(ctx))
	}
}

// pageText says where the browser is and what the page shows, for failure messages.
func pageText(ctx context.Context) string {
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(c, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 1500)`))
	if err != nil {
		return "(page not readable: " + err.Error() + ")"
	}
	return "page: " + s
}

// eval evaluates JavaScript in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	return v
}
