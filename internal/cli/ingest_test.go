package cli_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// feedServer serves RSS bodies by path with an ETag made from the body, answers a matching
// If-None-Match with 304, a path it has no body for with 500, and remembers every request.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	bodies   map[string]string
	requests []feedRequest
}

type feedRequest struct {
	path, userAgent string
	status          int
}

func newFeedServer(t *testing.T, bodies map[string]string) *feedServer {
	fs := &feedServer{bodies: bodies}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		body, ok := fs.bodies[r.URL.Path]
		status := http.StatusOK
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(body)))
		switch {
		case !ok:
			status = http.StatusInternalServerError
		case r.Header.Get("If-None-Match") == etag:
			status = http.StatusNotModified
		}
		fs.requests = append(fs.requests, feedRequest{r.URL.Path, r.UserAgent(), status})
		fs.mu.Unlock()
		if status == http.StatusInternalServerError {
			http.Error(w, "the feed store is down", status)
			return
		}
		w.Header().Set("ETag", etag)
		if status == http.StatusNotModified {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) setBody(path, body string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.bodies[path] = body
}

// takeRequests returns the requests since the last call.
func (fs *feedServer) takeRequests() []feedRequest {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	r := fs.requests
	fs.requests = nil
	return r
}

func rss(items ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title><link>https://example.org/</link>`)
	for i, title := range items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://example.org/%d</link><guid>%d</guid><pubDate>Thu, 22 Dec 2016 1%d:00:00 GMT</pubDate></item>`, title, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// itemRows reads every column of every item, to see that a run wrote none.
func itemRows(t *testing.T, dbURL string) []map[string]any {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.R.Queryx(`SELECT * FROM items ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		m := map[string]any{}
		if err := rows.MapScan(m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestIngestCommand runs `docket ingest` against an httptest feed server: the first run's
// summary, a failing source listed with its error (and exit 0), a second run on unchanged feeds
// that gets 304s and writes no item, a changed feed counted as updated, the JSON summary with
// its failures, and exit 1 when the database cannot be reached.
func TestIngestCommand(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(d.Name, func(t *testing.T) {
			feeds := newFeedServer(t, map[string]string{
				"/un":   rss("Aleppo evacuation resumes", "Idlib camps fill up"),
				"/news": rss("Talks in Astana"),
			})
			env := map[string]string{"DOCKET_DB": d.URL(t), "DOCKET_ALLOW_PRIVATE_SOURCES": "1"}
			for _, p := range []string{"/un", "/news", "/down"} {
				mustRun(t, env, "source", "add", feeds.URL+p)
			}

			r := mustRun(t, env, "ingest")
			summary := regexp.MustCompile(`^3 sources in [0-9.]+m?s: 2 fetched, 0 not modified, 1 failed; items: 3 new, 0 updated\n`)
			if !summary.MatchString(r.stdout) {
				t.Errorf("first run printed %q, want a summary matching %s", r.stdout, summary)
			}
			if want := "  failed: " + feeds.URL + "/down: "; !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "500") {
				t.Errorf("first run printed %q, want the failing source listed with its HTTP status (%q…500)", r.stdout, want)
			}
			ua := regexp.MustCompile(`^Docket/[^ ()]+ \(\+https://github\.com/docket-dev/docket\)$`)
			for _, req := range feeds.takeRequests() {
				if !ua.MatchString(req.userAgent) {
					t.Errorf("%s was asked with User-Agent %q, want one matching %s", req.path, req.userAgent, ua)
				}
			}
			before := itemRows(t, env["DOCKET_DB"])
			if len(before) != 3 {
				t.Fatalf("%d items stored, want 3", len(before))
			}

			r = mustRun(t, env, "ingest", "--all", "--json", "--fetch-workers", "2") // the flag serve takes too
			var got struct {
				ingest.Summary
				Failures []struct {
					URL   string `json:"url"`
					Error string `json:"error"`
				} `json:"failures"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("ingest --json printed %q: %v", r.stdout, err)
			}
			if got.Sources != 3 || got.Fetched != 0 || got.NotModified != 2 || got.Failed != 1 || got.New != 0 || got.Updated != 0 {
				t.Errorf("second run on unchanged feeds: %+v, want 3 sources, 2 not modified, 1 failed, no items", got)
			}
			if len(got.Failures) != 1 || got.Failures[0].URL != feeds.URL+"/down" || !strings.Contains(got.Failures[0].Error, "500") {
				t.Errorf("failures %+v, want %s/down with its error", got.Failures, feeds.URL)
			}
			statuses := map[string]int{}
			for _, req := range feeds.takeRequests() {
				statuses[req.path] = req.status
			}
			if want := map[string]int{"/un": 304, "/news": 304, "/down": 500}; !reflect.DeepEqual(statuses, want) {
				t.Errorf("the second run's answers %v, want %v", statuses, want)
			}
			if after := itemRows(t, env["DOCKET_DB"]); !reflect.DeepEqual(after, before) {
				t.Errorf("the second run on unchanged feeds changed the items:\nbefore %v\nafter  %v", before, after)
			}

			feeds.setBody("/news", rss("Talks in Astana resume"))
			r = mustRun(t, env, "ingest", "--all")
			if want := "1 fetched, 1 not modified, 1 failed; items: 0 new, 1 updated"; !strings.Contains(r.stdout, want) {
				t.Errorf("after a feed changed: %q, want %q", r.stdout, want)
			}

			r = run(t, map[string]string{"DOCKET_DB": "postgres://postgres@127.0.0.1:1/test?connect_timeout=2"}, "ingest")
			if r.code != 1 || !strings.Contains(r.stderr, "cannot reach PostgreSQL") {
				t.Errorf("ingest with an unreachable database: %+v, want exit 1 saying so", r)
			}
		})
	}
}
