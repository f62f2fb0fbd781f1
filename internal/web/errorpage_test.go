package web_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
)

// syncBuffer is a log destination the server's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestErrorPagesKeepTheUser: a handler that panics gives the 500 page in the layout, status
// 500, logged once; it and the cross-origin 403 show the signed-in user's header (and, in the
// office, the office's navigation), like every other page.
func TestErrorPagesKeepTheUser(t *testing.T) {
	db := storetest.OpenSQLite(t)
	users := addUsers(t, db)
	var logs syncBuffer
	srv := web.NewServer(web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom: a bug in a handler") })
	srv.HandleForTest("GET /test/panic", boom)
	srv.HandleForTest("GET /office/test/panic", boom)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	admin := newBrowser(t, hs.URL)
	if resp := admin.signIn(users[docket.RoleAdmin].Email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	anon := newBrowser(t, hs.URL)
	cases := []struct {
		name       string
		b          *browser
		method     string
		path       string
		hdr        []string
		status     int
		header     string // what the site header must say
		officeNav  bool
		wantPanics int
	}{
		{"panic, signed in", admin, "GET", "/test/panic", nil, 500, "Admin User", false, 1},
		{"panic in the office", admin, "GET", "/office/test/panic", nil, 500, "Admin User", true, 1},
		{"panic, signed out", anon, "GET", "/test/panic", nil, 500, "Office sign in", false, 1},
		{"cross-origin post, signed in", admin, "POST", "/office/sources", []string{"Sec-Fetch-Site", "cross-site"}, 403, "Admin User", true, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := strings.Count(logs.String(), "level=ERROR msg=panic")
			var form url.Values
			if c.method == "POST" {
				form = url.Values{"url": {"https://feeds.example.org/x"}, "kind": {"news"}}
			}
			resp, body := c.b.do(c.method, c.path, form, c.hdr...)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Find(`[data-testid=error]`).Length() != 1 || doc.Find("footer.site-footer").Length() != 1 {
				t.Errorf("not the error page in the layout: %.300s", body)
			}
			if got := doc.Find("header.site-header").Text(); !strings.Contains(got, c.header) {
				t.Errorf("site header %q, want it to say %q", strings.Join(strings.Fields(got), " "), c.header)
			}
			if got := doc.Find("nav.office-nav").Length() == 1; got != c.officeNav {
				t.Errorf("office navigation shown: %v, want %v", got, c.officeNav)
			}
			if c.status == 500 && !strings.Contains(doc.Find("h1").Text(), "Something went wrong") {
				t.Errorf("h1 %q, want Something went wrong", doc.Find("h1").Text())
			}
			if got := strings.Count(logs.String(), "level=ERROR msg=panic") - before; got != c.wantPanics {
				t.Errorf("%d panic records logged, want %d", got, c.wantPanics)
			}
			if strings.Contains(body, "boom") {
				t.Errorf("the page shows the panic's text")
			}
		})
	}
	if !strings.Contains(logs.String(), "boom: a bug in a handler") {
		t.Errorf("the panic's value is not in the log")
	}
}
