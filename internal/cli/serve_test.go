package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/web"
)

// get fetches a page and fails the test unless it answers 200.
func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d, want 200: %s", url, resp.StatusCode, body)
	}
	return body
}

// TestServeDemo runs `docket serve --demo` in-process on an empty database and reads the
// Syria page as a visitor would: the MP's statement with its cited sources, the timeline's
// items (the same ones the JSON API gives) with the statement on its day, and the chart,
// whose table adds up to the topic's items. (--no-ingest: the demo's feeds are real
// addresses on the internet, which a test must not depend on.)
func TestServeDemo(t *testing.T) {
	env := map[string]string{"DOCKET_DB": filepath.Join(t.TempDir(), "demo.db"), "DOCKET_LOG_LEVEL": "warn"}
	srv := startServe(t, env, "--demo", "--no-ingest", "--addr", "127.0.0.1:0")

	var topics struct {
		Topics []struct {
			Slug      string `json:"slug"`
			Title     string `json:"title"`
			ItemCount int64  `json:"item_count"`
		} `json:"topics"`
	}
	if err := json.Unmarshal(get(t, srv.base+"/api/v1/topics"), &topics); err != nil {
		t.Fatal(err)
	}
	if len(topics.Topics) != 1 || topics.Topics[0].Slug != "syria" || topics.Topics[0].Title != "Syria" || topics.Topics[0].ItemCount < 20 {
		t.Fatalf("/api/v1/topics lists %+v, want the demo's Syria topic with its items", topics.Topics)
	}
	var timeline struct {
		Items []struct {
			ID        int64  `json:"id"`
			Title     string `json:"title"`
			ClusterID *int64 `json:"cluster_id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(get(t, srv.base+"/api/v1/topics/syria/timeline"), &timeline); err != nil {
		t.Fatal(err)
	}

	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(get(t, srv.base+"/topics/syria"))))
	if err != nil {
		t.Fatal(err)
	}
	if h1 := doc.Find("h1").Text(); h1 != "Syria" {
		t.Errorf("h1 %q, want Syria", h1)
	}
	const statement = "Aleppo and the search for peace in Syria"
	// The demo's one statement leads the page, in full, with the sources it cites.
	st := doc.Find(`[data-testid="statements"] [data-testid="lead-statement"]`)
	if st.Length() != 1 || st.Find("h3 a").Text() != statement {
		t.Errorf("lead statement %q, want %q", st.Find("h3").Text(), statement)
	}
	if href, _ := st.Find("h3 a").Attr("href"); !strings.HasPrefix(href, "/statements/") {
		t.Errorf("the statement links to %q, want its public page", href)
	}
	if n := st.Find(`[data-testid="lead-citations"] li`).Length(); n == 0 {
		t.Error("the statement lists no cited sources")
	}
	if n := st.Find("sup.cite").Length(); n == 0 {
		t.Error("the statement's sentences carry no citation marks")
	}
	if on := doc.Find(`[data-testid="statement-entry"] .entry-title`).Text(); on != statement {
		t.Errorf("the timeline shows statement %q on its day, want %q", on, statement)
	}
	var entries []string
	doc.Find(`[data-testid="entry"] .entry-title`).Each(func(_ int, s *goquery.Selection) {
		entries = append(entries, strings.TrimSpace(s.Text()))
	})
	// The page shows a story once, as the first of its items the API lists.
	var stories []string
	seen := map[int64]bool{}
	for _, it := range timeline.Items {
		story := it.ID
		if it.ClusterID != nil {
			story = *it.ClusterID
		}
		if !seen[story] {
			seen[story] = true
			stories = append(stories, it.Title)
		}
	}
	if len(stories) < 10 || !slices.Equal(entries, stories) {
		t.Errorf("the page shows the items\n%q\nwant the stories of the API's first page\n%q", entries, stories)
	}
	chart := doc.Find(`[data-testid="chart"]`)
	if n := chart.Find("svg rect").Length(); n == 0 {
		t.Error("the chart draws no bars")
	}
	var total int64
	chart.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		n, err := strconv.ParseInt(tr.Find("td").Last().Text(), 10, 64)
		if err != nil {
			t.Errorf("chart row %q: %v", tr.Text(), err)
		}
		total += n
	})
	if total != topics.Topics[0].ItemCount {
		t.Errorf("the chart's table adds up to %d items, want the topic's %d", total, topics.Topics[0].ItemCount)
	}
	get(t, srv.base+"/readyz")
}

// TestReadyz: /readyz answers 503 while the database is not migrated and once it is closed,
// and 200 in between, so a load balancer sends no request to an instance that would fail it.
func TestReadyz(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db}))
	defer srv.Close()
	readyz := func() (int, string) {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	steps := []struct {
		name   string
		before func()
		code   int
		body   string
	}{
		{"not migrated", func() {}, http.StatusServiceUnavailable, "database schema not migrated\n"},
		{"migrated", func() {
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
		}, http.StatusOK, "ready\n"},
		{"closed", func() { db.Close() }, http.StatusServiceUnavailable, "database not reachable\n"},
	}
	for _, s := range steps {
		s.before()
		if code, body := readyz(); code != s.code || body != s.body {
			t.Errorf("%s: /readyz answered %d %q, want %d %q", s.name, code, body, s.code, s.body)
		}
	}
}
