package ingest

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/docket-dev/docket/internal/docket"
)

const smallFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>One</title><link>http://example.com/1</link></item></channel></rss>`

// testClient is a client that may reach httptest servers on loopback.
func testClient(o ClientOptions) *Client {
	o.AllowPrivate = true
	return NewClient(o)
}

func fetchErrorOf(t *testing.T, err error) *FetchError {
	t.Helper()
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("got error %v (%T), want a *FetchError", err, err)
	}
	return fe
}

func TestFetchOK(t *testing.T) {
	var gotUA, gotAccept, gotINM, gotIMS string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
		gotINM, gotIMS = r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"v2"`)
		w.Header().Set("Last-Modified", "Tue, 24 Nov 2026 10:00:00 GMT")
		io.WriteString(w, smallFeed)
	}))
	defer srv.Close()

	c := testClient(ClientOptions{})
	resp, err := c.Fetch(context.Background(), Request{URL: srv.URL + "/feed", ETag: `"v1"`, LastModified: "Mon, 23 Nov 2026 10:00:00 GMT"})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"body", string(resp.Body), smallFeed},
		{"content type", resp.ContentType, "application/rss+xml; charset=utf-8"},
		{"etag", resp.ETag, `"v2"`},
		{"last modified", resp.LastModified, "Tue, 24 Nov 2026 10:00:00 GMT"},
		{"final URL", resp.FinalURL, srv.URL + "/feed"},
		{"If-None-Match sent", gotINM, `"v1"`},
		{"If-Modified-Since sent", gotIMS, "Mon, 23 Nov 2026 10:00:00 GMT"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if !strings.HasPrefix(gotUA, "Docket/") || !strings.Contains(gotUA, "github.com/docket-dev/docket") {
		t.Errorf("User-Agent: got %q, want Docket/<version> (+https://github.com/docket-dev/docket)", gotUA)
	}
	if !strings.Contains(gotAccept, "application/rss+xml") {
		t.Errorf("Accept: got %q, want it to name application/rss+xml", gotAccept)
	}
	if resp.Status != 200 || resp.NotModified || resp.Elapsed <= 0 {
		t.Errorf("got status %d, not modified %v, elapsed %v; want 200, false, > 0", resp.Status, resp.NotModified, resp.Elapsed)
	}
}

func TestFetchNotModified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"abc"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"abc"`)
		io.WriteString(w, smallFeed)
	}))
	defer srv.Close()
	c := testClient(ClientOptions{})

	first, err := c.Fetch(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Fetch(context.Background(), Request{URL: srv.URL, ETag: first.ETag, LastModified: "Mon, 23 Nov 2026 10:00:00 GMT"})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Status != 304 || len(second.Body) != 0 {
		t.Errorf("got not modified %v, status %d, %d body bytes; want true, 304, 0", second.NotModified, second.Status, len(second.Body))
	}
	if second.ETag != `"abc"` || second.LastModified != "Mon, 23 Nov 2026 10:00:00 GMT" {
		t.Errorf("got validators %q %q, want the request's kept", second.ETag, second.LastModified)
	}
}

func compress(t testing.TB, encoding string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch encoding {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "br":
		w = brotli.NewWriter(&buf)
	default:
		t.Fatalf("unknown encoding %s", encoding)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchDecompresses(t *testing.T) {
	for _, enc := range []string{"gzip", "deflate", "br"} {
		t.Run(enc, func(t *testing.T) {
			body := compress(t, enc, []byte(smallFeed))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.Header.Get("Accept-Encoding"), enc) {
					t.Errorf("Accept-Encoding: got %q, want it to offer %s", r.Header.Get("Accept-Encoding"), enc)
				}
				w.Header().Set("Content-Encoding", enc)
				w.Write(body)
			}))
			defer srv.Close()
			resp, err := testClient(ClientOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			if string(resp.Body) != smallFeed {
				t.Errorf("got body %q, want %q", resp.Body, smallFeed)
			}
		})
	}
	t.Run("gzip label on a plain body", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			io.WriteString(w, smallFeed)
		}))
		defer srv.Close()
		resp, err := testClient(ClientOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if string(resp.Body) != smallFeed {
			t.Errorf("got body %q, want %q", resp.Body, smallFeed)
		}
	})
}

func TestFetchErrors(t *testing.T) {
	past := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		opts       ClientOptions
		path       string
		wantKind   string
		wantStatus int
		wantMsg    string // the whole message, or a prefix ending in "…"
		wantRetry  time.Duration
	}{
		{
			name:     "500",
			handler:  func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) },
			wantKind: KindHTTP, wantStatus: 500, wantMsg: "HTTP 500 Internal Server Error",
		},
		{
			name:     "404",
			handler:  func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			wantKind: KindHTTP, wantStatus: 404, wantMsg: "HTTP 404 Not Found",
		},
		{
			name: "429 with Retry-After seconds",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "120")
				w.WriteHeader(http.StatusTooManyRequests)
			},
			wantKind: KindHTTP, wantStatus: 429, wantRetry: 2 * time.Minute,
			wantMsg: "HTTP 429 Too Many Requests (the server asks to wait 2 min)",
		},
		{
			name: "503 with Retry-After date",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", past)
				w.WriteHeader(http.StatusServiceUnavailable)
			},
			wantKind: KindHTTP, wantStatus: 503, wantMsg: "HTTP 503 Service Unavailable (the server asks to wait 1 min …",
		},
		{
			name: "Cloudflare challenge",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Cf-Mitigated", "challenge")
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusForbidden)
			},
			wantKind: KindHTTP, wantStatus: 403, wantMsg: "HTTP 403 Forbidden (blocked by Cloudflare's bot check)",
		},
		{
			name: "redirect loop",
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/a" {
					http.Redirect(w, r, "/b", http.StatusFound)
					return
				}
				http.Redirect(w, r, "/a", http.StatusMovedPermanently)
			},
			path:     "/a",
			wantKind: KindRedirects, wantMsg: "redirect loop: …",
		},
		{
			name: "too many redirects",
			handler: func(w http.ResponseWriter, r *http.Request) {
				var n int
				fmt.Sscanf(r.URL.Path, "/r%d", &n)
				http.Redirect(w, r, fmt.Sprintf("/r%d", n+1), http.StatusFound)
			},
			path:     "/r0",
			wantKind: KindRedirects, wantMsg: "too many redirects (5)",
		},
		{
			name: "redirect to another scheme",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "ftp://example.com/feed", http.StatusFound)
			},
			wantKind: KindInvalidURL, wantMsg: "redirected to ftp://example.com/feed, which is not an http or https address",
		},
		{
			name: "slow server",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(200)
				io.WriteString(w, "<rss>")
				w.(http.Flusher).Flush()
				<-r.Context().Done()
			},
			opts:     ClientOptions{Timeout: 200 * time.Millisecond},
			wantKind: KindTimeout, wantMsg: "timed out after 200ms",
		},
		{
			name:     "no response headers",
			handler:  func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			opts:     ClientOptions{HeaderTimeout: 100 * time.Millisecond},
			wantKind: KindTimeout, wantMsg: "no response within 100ms",
		},
		{
			name: "Content-Length over the cap",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "2048")
				w.Write(make([]byte, 2048))
			},
			opts:     ClientOptions{MaxBody: 1024},
			wantKind: KindTooLarge, wantMsg: "feed is larger than the 1 KiB limit",
		},
		{
			name: "corrupt gzip",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3})
			},
			wantKind: KindBody, wantMsg: "the gzip-compressed body is corrupt: …",
		},
		{
			name: "unknown encoding",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "zstd")
				w.Write([]byte("x"))
			},
			wantKind: KindBody, wantMsg: `the server compressed the feed with "zstd", which Docket does not read`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			resp, err := testClient(tt.opts).Fetch(context.Background(), Request{URL: srv.URL + tt.path})
			if err == nil {
				t.Fatalf("got response %d with %d bytes, want an error", resp.Status, len(resp.Body))
			}
			fe := fetchErrorOf(t, err)
			switch {
			case tt.wantKind == KindHTTP && (resp == nil || resp.Status != tt.wantStatus || len(resp.Body) != 0):
				t.Errorf("got response %+v with an HTTP error, want one with status %d and no body", resp, tt.wantStatus)
			case tt.wantKind != KindHTTP && resp != nil:
				t.Errorf("got response %+v with a %s error, want none", resp, fe.Kind)
			}
			if fe.Kind != tt.wantKind || fe.Status != tt.wantStatus {
				t.Errorf("got kind %q status %d, want %q %d (%v)", fe.Kind, fe.Status, tt.wantKind, tt.wantStatus, err)
			}
			if prefix, ok := strings.CutSuffix(tt.wantMsg, "…"); ok {
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("got message %q, want it to start %q", err, prefix)
				}
			} else if err.Error() != tt.wantMsg {
				t.Errorf("got message %q, want %q", err, tt.wantMsg)
			}
			if tt.wantRetry != 0 && fe.RetryAfter != tt.wantRetry {
				t.Errorf("got RetryAfter %v, want %v", fe.RetryAfter, tt.wantRetry)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("message %q spans lines, want one", err)
			}
		})
	}
}

func TestFetchRetryAfterDate(t *testing.T) {
	at := time.Now().Add(10 * time.Minute).UTC().Truncate(time.Second)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", at.Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	_, err := testClient(ClientOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
	fe := fetchErrorOf(t, err)
	if fe.RetryAfter < 9*time.Minute || fe.RetryAfter > 10*time.Minute {
		t.Errorf("got RetryAfter %v, want about 10m", fe.RetryAfter)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"30", 30 * time.Second},
		{" 3600 ", time.Hour},
		{"999999999999", 365 * 24 * time.Hour},
		{"Tue, 24 Nov 2026 12:05:00 GMT", 5 * time.Minute},
		{"Tuesday, 24-Nov-26 12:01:00 GMT", time.Minute},
		{"Tue Nov 24 12:00:30 2026", 30 * time.Second},
		{"Tue, 24 Nov 2026 11:00:00 GMT", 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ParseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("ParseRetryAfter(%q): got %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFetchInvalidURL(t *testing.T) {
	for _, u := range []string{"", "feed.example.com/rss", "ftp://example.com/feed", "javascript:alert(1)", "http://"} {
		t.Run(u, func(t *testing.T) {
			_, err := testClient(ClientOptions{}).Fetch(context.Background(), Request{URL: u})
			if fe := fetchErrorOf(t, err); fe.Kind != KindInvalidURL {
				t.Errorf("got kind %q (%v), want %q", fe.Kind, err, KindInvalidURL)
			}
		})
	}
}

func TestFetchConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = testClient(ClientOptions{}).Fetch(context.Background(), Request{URL: "http://" + addr + "/feed"})
	fe := fetchErrorOf(t, err)
	if want := "cannot connect to " + addr + ": connection refused"; fe.Kind != KindConnect || err.Error() != want {
		t.Errorf("got %q (%s), want %q (%s)", err, fe.Kind, want, KindConnect)
	}
}

func TestFetchTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, smallFeed)
	}))
	defer srv.Close()
	t.Run("untrusted certificate", func(t *testing.T) {
		_, err := testClient(ClientOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
		fe := fetchErrorOf(t, err)
		if fe.Kind != KindTLS || !strings.HasPrefix(err.Error(), "the server's TLS certificate is not valid: ") {
			t.Errorf("got %q (%s), want a TLS certificate error", err, fe.Kind)
		}
	})
	t.Run("trusted certificate", func(t *testing.T) {
		tlsConfig := srv.Client().Transport.(*http.Transport).TLSClientConfig
		resp, err := testClient(ClientOptions{TLSConfig: tlsConfig}).Fetch(context.Background(), Request{URL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if string(resp.Body) != smallFeed {
			t.Errorf("got body %q, want the feed", resp.Body)
		}
	})
}

// TestFetchGzipBomb serves 1 GiB of zeros gzipped into about 1 MiB: the client must stop at
// the cap without holding more than a few times the cap in memory.
func TestFetchGzipBomb(t *testing.T) {
	const decoded = 1 << 30
	// One gzip member of 16 MiB of zeros, repeated: a gzip stream may hold many members, and
	// building it this way costs 16 MiB of compression instead of 1 GiB.
	member := compress(t, "gzip", make([]byte, 16<<20))
	bomb := bytes.Repeat(member, decoded/(16<<20))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	}))
	defer srv.Close()

	const maxBody = 4 << 20
	c := testClient(ClientOptions{MaxBody: maxBody})
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.Fetch(context.Background(), Request{URL: srv.URL})
	runtime.ReadMemStats(&after)

	fe := fetchErrorOf(t, err)
	if fe.Kind != KindTooLarge || err.Error() != "feed is larger than the 4 MiB limit" {
		t.Errorf("got %q (%s), want %q", err, fe.Kind, "feed is larger than the 4 MiB limit")
	}
	// TotalAlloc only grows: it bounds the peak of what the fetch allocated, the server's
	// writes included.
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 3*maxBody {
		t.Errorf("fetch allocated %s, want well under 3 × the %s cap", byteSize(int64(grown)), byteSize(maxBody))
	} else {
		t.Logf("gzip bomb (%s → 1 GiB): fetch allocated %s with a %s cap", byteSize(int64(len(bomb))), byteSize(int64(grown)), byteSize(maxBody))
	}
}

// TestFetchHugeBody streams 300 MB without Content-Length: the client must stop reading at
// the cap, at a small one and at the 10 MiB default, and close the connection, which stops
// the server, without holding much more than the cap in memory.
func TestFetchHugeBody(t *testing.T) {
	const total = 300 << 20
	for _, tt := range []struct {
		name    string
		maxBody int64 // 0: the default
		wantMsg string
	}{
		{"1 MiB cap", 1 << 20, "feed is larger than the 1 MiB limit"},
		{"default cap", 0, "feed is larger than the 10 MiB limit"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var written atomic.Int64
			done := make(chan struct{})
			chunk := bytes.Repeat([]byte("<item>x</item>"), 4096)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				for written.Load() < total {
					n, err := w.Write(chunk)
					written.Add(int64(n))
					if err != nil {
						return
					}
				}
			}))
			defer srv.Close()

			start := time.Now()
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := testClient(ClientOptions{MaxBody: tt.maxBody}).Fetch(context.Background(), Request{URL: srv.URL})
			runtime.ReadMemStats(&after)
			fe := fetchErrorOf(t, err)
			if fe.Kind != KindTooLarge || err.Error() != tt.wantMsg {
				t.Errorf("got %q (%s), want %q (%s)", err, fe.Kind, tt.wantMsg, KindTooLarge)
			}
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("server still writing 10s after the client gave up")
			}
			limit := cmp.Or(tt.maxBody, DefaultMaxBody)
			if grown := after.TotalAlloc - before.TotalAlloc; grown > uint64(3*limit) {
				t.Errorf("fetch allocated %s, want under 3 × the %s cap", byteSize(int64(grown)), byteSize(limit))
			}
			if w := written.Load(); w >= total {
				t.Errorf("server wrote all %d bytes, want the client to hang up early", w)
			} else {
				t.Logf("client stopped after %v; server managed %s of 300 MiB", time.Since(start).Round(time.Millisecond), byteSize(w))
			}
		})
	}
}

// TestFetchRedirectLimit follows a chain of redirects: 5 are followed, the 6th is refused
// without being requested.
func TestFetchRedirectLimit(t *testing.T) {
	for _, tt := range []struct {
		redirects int
		wantErr   string
	}{
		{5, ""},
		{6, "too many redirects (5)"},
	} {
		t.Run(fmt.Sprintf("%d redirects", tt.redirects), func(t *testing.T) {
			var mu sync.Mutex
			var requested []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				requested = append(requested, r.URL.Path)
				mu.Unlock()
				var n int
				fmt.Sscanf(r.URL.Path, "/r%d", &n)
				if n == tt.redirects {
					io.WriteString(w, smallFeed)
					return
				}
				http.Redirect(w, r, fmt.Sprintf("/r%d", n+1), http.StatusFound)
			}))
			defer srv.Close()
			resp, err := testClient(ClientOptions{}).Fetch(context.Background(), Request{URL: srv.URL + "/r0"})
			var gotErr string
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr {
				t.Errorf("got error %q, want %q", gotErr, tt.wantErr)
			}
			if err == nil && resp.FinalURL != fmt.Sprintf("%s/r%d", srv.URL, tt.redirects) {
				t.Errorf("got final URL %s, want the end of the chain", resp.FinalURL)
			}
			// The first request and the 5 redirects followed, whether or not the chain goes on.
			if want := "[/r0 /r1 /r2 /r3 /r4 /r5]"; fmt.Sprint(requested) != want {
				t.Errorf("the server was asked for %v, want %s", requested, want)
			}
		})
	}
}

// TestClientDefaults checks that a client and an ingester left unconfigured use the issue's
// figures.
func TestClientDefaults(t *testing.T) {
	o := NewClient(ClientOptions{}).opts
	checks := []struct {
		name      string
		got, want any
	}{
		{"total timeout", o.Timeout, 30 * time.Second},
		{"body cap", o.MaxBody, int64(10 << 20)},
		{"redirects", o.MaxRedirects, 5},
		{"requests at a time per host", o.PerHost, 2},
		{"workers", (&Ingester{}).workers(), 8},
		{"private addresses allowed", o.AllowPrivate, false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if !strings.HasPrefix(o.UserAgent, "Docket/") {
		t.Errorf("User-Agent: got %q, want Docket/<version>", o.UserAgent)
	}
}

// TestFetchCanceledMidBody cancels the context while the server is still dribbling the body:
// the fetch returns at once with a cancellation, not after the 30 s timeout.
func TestFetchCanceledMidBody(t *testing.T) {
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`)
		w.(http.Flusher).Flush()
		close(started)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				io.WriteString(w, "<item><title>x</title></item>")
				w.(http.Flusher).Flush()
			}
		}
	}))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := testClient(ClientOptions{}).Fetch(ctx, Request{URL: srv.URL})
		errc <- err
	}()
	<-started
	canceled := time.Now()
	cancel()
	select {
	case err := <-errc:
		fe := fetchErrorOf(t, err)
		if fe.Kind != KindCanceled || !errors.Is(err, context.Canceled) {
			t.Errorf("got %q (%s), want a cancellation wrapping context.Canceled", err, fe.Kind)
		}
		if d := time.Since(canceled); d > 2*time.Second {
			t.Errorf("the fetch returned %v after the cancel, want promptly", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the fetch still runs 10s after its context was canceled")
	}
}

// TestFetchPerHost starts more fetches to one host than the per-host cap (2 by default)
// allows and checks, at the server, that no more than that run at once: fetches of one feed
// host, and fetches of six feeds on six hosts that all redirect to one CDN host, which serves
// the bodies (an origin's slot is free again once its redirect is answered).
func TestFetchPerHost(t *testing.T) {
	const perHost, fetches = 2, 6
	loopback := func(ctx context.Context, host string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}
	tests := []struct {
		name     string
		url      func(base string, i int) string
		host     string // where the bodies come from
		redirect bool   // the URLs' hosts only redirect, to cdn.test
	}{
		{"one host", func(base string, _ int) string { return base }, "127.0.0.1", false},
		{"redirected to one CDN", func(base string, i int) string {
			return strings.Replace(base, "127.0.0.1", fmt.Sprintf("news%d.test", i), 1) + "/rss.xml"
		}, "cdn.test", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var active, peak atomic.Int32
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if host, port, _ := net.SplitHostPort(r.Host); strings.HasPrefix(host, "news") {
					http.Redirect(w, r, "http://cdn.test:"+port+"/feeds"+r.URL.Path, http.StatusFound)
					return
				}
				n := active.Add(1)
				defer active.Add(-1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				<-release
				io.WriteString(w, smallFeed)
			}))
			defer srv.Close()
			// Deferred after Close, so it runs first: a failing test leaves no handler blocked.
			free := sync.OnceFunc(func() { close(release) })
			defer free()

			c := testClient(ClientOptions{Resolve: loopback})
			users := func(host string) int {
				c.hosts.mu.Lock()
				defer c.hosts.mu.Unlock()
				if s := c.hosts.hosts[host]; s != nil {
					return s.users
				}
				return 0
			}
			var wg sync.WaitGroup
			errs := make(chan error, fetches)
			for i := range fetches {
				wg.Go(func() {
					_, err := c.Fetch(context.Background(), Request{URL: tt.url(srv.URL, i)})
					errs <- err
				})
			}
			// Wait until every fetch holds or waits for a slot of the host that serves the
			// bodies and the server sees perHost of them.
			deadline := time.Now().Add(10 * time.Second)
			for users(tt.host) != fetches || active.Load() != perHost {
				if time.Now().After(deadline) {
					t.Fatalf("after 10s: %d fetches at the limiter of %s, %d at the server; want %d and %d",
						users(tt.host), tt.host, active.Load(), fetches, perHost)
				}
				runtime.Gosched()
			}
			for i := range fetches {
				if h := fmt.Sprintf("news%d.test", i); tt.redirect && users(h) != 0 {
					t.Errorf("%s: %d fetches hold its slot after its redirect was answered, want 0", h, users(h))
				}
			}
			free()
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Error(err)
				}
			}
			if p := peak.Load(); p != perHost {
				t.Errorf("got %d requests at once at %s, want %d", p, tt.host, perHost)
			}
			c.hosts.mu.Lock()
			left := len(c.hosts.hosts)
			c.hosts.mu.Unlock()
			if left != 0 {
				t.Errorf("limiter keeps %d hosts after all fetches ended, want 0", left)
			}
		})
	}
}

func TestFetchCanceledWhileWaiting(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
	}))
	defer srv.Close()
	defer close(release)

	c := testClient(ClientOptions{PerHost: 1})
	go c.Fetch(context.Background(), Request{URL: srv.URL})
	<-arrived

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Fetch(ctx, Request{URL: srv.URL})
	fe := fetchErrorOf(t, err)
	if fe.Kind != KindCanceled || !errors.Is(err, context.Canceled) {
		t.Errorf("got %q (%s), want a canceled error wrapping context.Canceled", err, fe.Kind)
	}
	var de *docket.Error
	if errors.As(err, &de) {
		t.Errorf("a canceled fetch reads as a user error %q, want it not to", de.Message)
	}
}

func TestFetchErrorIsDocketError(t *testing.T) {
	err := error(fetchErr(KindHTTP, nil, "HTTP 410 Gone"))
	if got := docket.ErrorMessage(err); got != "HTTP 410 Gone" {
		t.Errorf("docket.ErrorMessage: got %q, want %q", got, "HTTP 410 Gone")
	}
	if got := docket.ErrorCode(err); got != docket.EINVALID {
		t.Errorf("docket.ErrorCode: got %q, want %q", got, docket.EINVALID)
	}
}

func TestHumanSizes(t *testing.T) {
	durations := []struct {
		d    time.Duration
		want string
	}{
		{250 * time.Millisecond, "250ms"}, {1500 * time.Millisecond, "2s"}, {90 * time.Second, "1 min 30s"}, {20 * time.Minute, "20 min"},
		{time.Hour, "1 h"}, {26*time.Hour + 5*time.Minute, "26 h 5 min"},
	}
	for _, tt := range durations {
		if got := humanDuration(tt.d); got != tt.want {
			t.Errorf("humanDuration(%v): got %q, want %q", tt.d, got, tt.want)
		}
	}
	sizes := []struct {
		n    int64
		want string
	}{{10 << 20, "10 MiB"}, {1536 << 10, "1.5 MiB"}, {512 << 10, "512 KiB"}, {300, "300 bytes"}}
	for _, tt := range sizes {
		if got := byteSize(tt.n); got != tt.want {
			t.Errorf("byteSize(%d): got %q, want %q", tt.n, got, tt.want)
		}
	}
}

// FuzzParseRetryAfter: any header value gives a wait between 0 and a year.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "Tue, 24 Nov 2026 12:05:00 GMT", "-1", "1e9", "Tue Nov 24 12:00:30 2026", ""} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		if d := ParseRetryAfter(v, now); d < 0 || d > 365*24*time.Hour {
			t.Errorf("ParseRetryAfter(%q): got %v, want within [0, 1 year]", v, d)
		}
	})
}

func TestFetchRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/older", http.StatusMovedPermanently)
		case "/older":
			http.Redirect(w, r, "/feed", http.StatusPermanentRedirect)
		case "/temp":
			http.Redirect(w, r, "/old", http.StatusFound)
		case "/feed":
			io.WriteString(w, smallFeed)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tests := []struct {
		path          string
		wantPermanent bool
	}{
		{"/feed", false},
		{"/old", true},
		{"/temp", false},
	}
	c := testClient(ClientOptions{})
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := c.Fetch(context.Background(), Request{URL: srv.URL + tt.path})
			if err != nil {
				t.Fatal(err)
			}
			if resp.FinalURL != srv.URL+"/feed" || resp.MovedPermanently != tt.wantPermanent {
				t.Errorf("got final URL %s, moved permanently %v; want %s, %v", resp.FinalURL, resp.MovedPermanently, srv.URL+"/feed", tt.wantPermanent)
			}
		})
	}
}
