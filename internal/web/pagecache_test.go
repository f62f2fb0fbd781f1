package web_test

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// pageCacheCounts reads the page cache's hits and misses from /metrics.
func pageCacheCounts(t *testing.T, f *fixture) (hits, misses int) {
	t.Helper()
	_, body := f.get(t, "/metrics")
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		for label, n := range map[string]*int{`docket_page_cache_total{result="hit"} `: &hits, `docket_page_cache_total{result="miss"} `: &misses} {
			if v, ok := strings.CutPrefix(line, label); ok {
				x, err := strconv.Atoi(v)
				if err != nil {
					t.Fatalf("metrics line %q: %v", line, err)
				}
				*n = x
			}
		}
	}
	return hits, misses
}

// TestPageCache: a public page is rendered once for readers who are not signed in and then
// served as rendered, until anything is written to the database, when the next reader gets
// the page as the database now is; a signed-in reader is never served a cached page, nor is
// their page kept for anyone else.
func TestPageCache(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 3)
		// PostgreSQL's snapshot is the whole server's: the other tests' transactions move it
		// too, so there a page may be rendered again at any time, and only what is shown is
		// checked; SQLite's data_version is this database's alone.
		exact := db.Dialect == store.SQLite
		h0, m0 := pageCacheCounts(t, f)
		_, first := f.get(t, "/topics/syria")
		_, second := f.get(t, "/topics/syria")
		if first != second {
			t.Fatal("the same page twice, with nothing written between, differs")
		}
		if h, m := pageCacheCounts(t, f); exact && (h != h0+1 || m != m0+1) {
			t.Errorf("two requests: %d hits, %d misses; want one of each", h-h0, m-m0)
		}

		newFixtureItem(t, f, "Fresh report from Idlib")
		if _, body := f.get(t, "/topics/syria"); !strings.Contains(body, "Fresh report from Idlib") {
			t.Fatal("after an item was stored, the page does not show it: a stale page was served")
		}
		if _, body := f.get(t, "/api/v1/topics/syria/timeline"); !strings.Contains(body, "Fresh report from Idlib") {
			t.Fatal("after an item was stored, the timeline JSON does not show it")
		}

		// The partial htmx asks for is another page than the whole one.
		_, whole := f.get(t, "/topics/syria")
		_, part := f.get(t, "/topics/syria", "HX-Request", "true")
		if part == whole || strings.Contains(part, "<html") {
			t.Error("an htmx request got the whole page")
		}
		// A header htmx never sends is answered with the whole page, which must not be kept
		// as the partial for the readers whose filter form asks for it.
		if _, odd := f.get(t, "/topics/syria?q=idlib", "HX-Request", "1"); !strings.Contains(odd, "<html") {
			t.Error(`HX-Request "1" got a partial; the handlers render one only for "true"`)
		}
		if _, part := f.get(t, "/topics/syria?q=idlib", "HX-Request", "true"); strings.Contains(part, "<html") {
			t.Error("after a request with HX-Request 1, htmx's own request got the whole page from the cache")
		}
		// So is the page asked for by another host name (its links are absolute).
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/topics/syria", nil)
		req.Host = "docket.example.org"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()

		users := addUsers(t, db)
		b := newBrowser(t, f.srv.URL)
		if resp := b.signIn(users["editor"].Email, testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", resp.StatusCode)
		}
		h1, m1 := pageCacheCounts(t, f)
		_, signedIn := b.do("GET", "/topics/syria", nil)
		if !strings.Contains(signedIn, users["editor"].Name) {
			t.Fatal("a signed-in editor was served a page that does not name them")
		}
		if h, m := pageCacheCounts(t, f); h != h1 || m != m1 {
			t.Errorf("a signed-in reader's page went through the cache: %d hits, %d misses", h-h1, m-m1)
		}
		if _, body := f.get(t, "/topics/syria"); strings.Contains(body, users["editor"].Name) {
			t.Error("a reader not signed in was served the editor's page")
		}
	})
}
