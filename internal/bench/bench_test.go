package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/rules"
	"github.com/docket-dev/docket/internal/store"
)

func TestFeeds(t *testing.T) {
	a, b := Feeds(3, 10, 6), Feeds(3, 10, 6)
	formats := map[string]int{}
	for i := range a {
		if !bytes.Equal(a[i].Body, b[i].Body) {
			t.Fatalf("feed %d differs between two runs with one seed", i)
		}
		formats[a[i].Format]++
		feed, err := ingest.Parse(a[i].Body, a[i].ContentType, "https://example.org/feed")
		if err != nil {
			t.Fatalf("feed %d (%s): %v", i, a[i].Format, err)
		}
		items := ingest.Normalize(feed, "https://example.org/feed", End, 0)
		guids := map[string]bool{}
		for _, it := range items {
			guids[it.GUID] = true
			if strings.Contains(it.Content+it.Summary, "<script") || strings.Contains(it.URL, "utm_") {
				t.Errorf("feed %d: item %s kept a script or a tracking parameter", i, it.GUID)
			}
			if it.PublishedAt.After(End) || it.Title == "" || it.Text == "" {
				t.Errorf("feed %d: item %s: date %v, title %q, %d bytes of text", i, it.GUID, it.PublishedAt, it.Title, len(it.Text))
			}
		}
		if len(items) != 6 || len(guids) != 6 {
			t.Errorf("feed %d (%s): got %d items with %d guids, want 6 and 6", i, a[i].Format, len(items), len(guids))
		}
	}
	for _, f := range []string{"rss", "atom", "json"} {
		if formats[f] == 0 {
			t.Errorf("no feed in %s, want every format", f)
		}
	}
	if c := Feeds(4, 1, 6); bytes.Equal(c[0].Body, a[0].Body) {
		t.Errorf("another seed gave the same feed")
	}
}

func TestTopics(t *testing.T) {
	all := Topics(200)
	slugs := map[string]bool{}
	for i, tp := range all {
		if err := tp.Validate(); err != nil {
			t.Errorf("topic %d: %v", i, err)
		}
		if _, err := rules.Parse(tp.Rule); err != nil {
			t.Errorf("topic %s: rule %q: %v", tp.Slug, tp.Rule, err)
		}
		if slugs[tp.Slug] {
			t.Errorf("slug %s twice", tp.Slug)
		}
		slugs[tp.Slug] = true
	}
	for i, tp := range Topics(10) {
		if tp != all[i] {
			t.Errorf("topic %d of 10 is not topic %d of 200", i, i)
		}
	}
	_, body := Statement("syria", StatementWords)
	if n := len(strings.Fields(body)); n < StatementWords*9/10 || n > StatementWords {
		t.Errorf("the statement has %d words, want about %d", n, StatementWords)
	}
}

func TestFeedServer(t *testing.T) {
	feeds := Feeds(1, 3, 2)
	srv, err := ServeFeeds(feeds, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(url, etag, encoding string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	tests := []struct {
		name       string
		validators bool
		etag, enc  string
		wantStatus int
		wantETag   bool
		wantGzip   bool
	}{
		{"first fetch", true, "", "", 200, true, false},
		{"matching ETag", true, feeds[1].ETag, "", 304, true, false},
		{"gzip asked for", true, "", "gzip", 200, true, true},
		{"no validators", false, feeds[1].ETag, "", 200, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.SetValidators(tt.validators)
			resp, body := get(srv.URL(1), tt.etag, tt.enc)
			if resp.StatusCode != tt.wantStatus || (resp.Header.Get("ETag") != "") != tt.wantETag {
				t.Fatalf("got %d with ETag %q, want %d and an ETag: %v", resp.StatusCode, resp.Header.Get("ETag"), tt.wantStatus, tt.wantETag)
			}
			if tt.wantGzip {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(zr)
			}
			if tt.wantStatus == 200 && !bytes.Equal(body, feeds[1].Body) {
				t.Errorf("got %d bytes, want the feed's %d", len(body), len(feeds[1].Body))
			}
		})
	}
	if all, notMod := srv.Requests(); all != 4 || notMod != 1 {
		t.Errorf("the server counted %d requests and %d 304s, want 4 and 1", all, notMod)
	}
	if srv.Hosts() != 2 && srv.Hosts() != 1 {
		t.Errorf("served on %d hosts, want 2 (or 1 where loopback has one address)", srv.Hosts())
	}
}

func TestSummarize(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	got := summarize(lat, 2*time.Second)
	want := Latency{Requests: 100, Seconds: 2, PerSecond: 50, P50Ms: 50, P99Ms: 99, MaxMs: 100}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := median([]float64{3, 1, 2, 10}); got != 2.5 {
		t.Errorf("median: got %v, want 2.5", got)
	}
	rounds := []Latency{
		{Requests: 10, Seconds: 1, PerSecond: 10, P50Ms: 1, P99Ms: 5, MaxMs: 6},
		{Requests: 30, Seconds: 1, PerSecond: 30, P50Ms: 3, P99Ms: 90, MaxMs: 95},
		{Requests: 20, Seconds: 1, PerSecond: 20, P50Ms: 2, P99Ms: 7, MaxMs: 8},
	}
	if got, want := medianLatency(rounds), (Latency{Requests: 60, Seconds: 3, PerSecond: 20, P50Ms: 2, P99Ms: 7, MaxMs: 8}); got != want {
		t.Errorf("medianLatency: got %+v, want %+v (one spoilt round out)", got, want)
	}
}

// TestRun runs every measurement but the memory of docket serve (the command line's tests
// start it) on a tiny corpus, on both databases when PostgreSQL is available, and checks
// that each gave a figure and that a corpus is built once.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds two small corpora")
	}
	ctx := context.Background()
	suggested, rankers := 0, 0
	cfg := Config{
		Seed: 1, Feeds: 6, Items: 5, Runs: 1, Workers: 4, Hosts: 3, Dir: t.TempDir(),
		Postgres: os.Getenv("DOCKET_TEST_POSTGRES_URL"), Sizes: []int{400, 200}, Concurrency: 2, PageTime: 300 * time.Millisecond,
		Evidence: func(db *store.DB) Suggester {
			rankers++
			return func(ctx context.Context, body string, topicIDs []int64, at time.Time) (int, error) {
				if len(topicIDs) != 1 || body == "" || !at.Equal(End) {
					t.Errorf("evidence asked for topics %v at %v with %d bytes", topicIDs, at, len(body))
				}
				suggested++
				return 3, nil
			}
		},
		Only: map[string]bool{"ingest": true, "repoll": true, "match": true, "pages": true, "evidence": true},
	}
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	wantIngest := 1
	if cfg.Postgres != "" {
		wantIngest = 2
	}
	if len(rep.Ingest) != wantIngest || rep.Ingest[0].PerSecond <= 0 || rep.Ingest[0].Ratio <= 0 {
		t.Errorf("ingest: %+v, want %d figures", rep.Ingest, wantIngest)
	}
	if len(rep.Repoll) != 2 || rep.Repoll[0].Kind != "304" || rep.Repoll[1].CPUMs <= 0 {
		t.Errorf("re-poll: %+v", rep.Repoll)
	}
	if len(rep.Match) != 2 || rep.Match[1].Topics != 200 || rep.Match[0].PerSecond <= 0 {
		t.Errorf("match: %+v", rep.Match)
	}
	// Four pages a size: the topic page and the timeline JSON, each as a reader gets it and
	// rendered every time.
	if len(rep.Pages) != 8 || rep.Pages[0].Items != 200 || rep.Pages[7].Items != 400 || rep.Pages[0].Docket.Requests == 0 ||
		rep.Pages[2].Name != "topic page, rendered" || rep.Pages[2].Docket.Requests == 0 || rep.Pages[0].TopicItems == 0 {
		t.Errorf("pages: %+v", rep.Pages)
	}
	if rep.Evidence == nil || rep.Evidence.Suggestions != 3 || suggested != 21 || rankers != 11 {
		t.Errorf("evidence: %+v after %d calls of %d rankers, want 3 suggestions after 21 calls of 11", rep.Evidence, suggested, rankers)
	}
	var md strings.Builder
	rep.WriteMarkdown(&md)
	for _, want := range []string{"### Ingest, end to end", "| 200 | topic page |", "### Evidence suggestions", "### Matching"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, md.String())
		}
	}

	c, err := OpenCorpus(ctx, Where{Dir: cfg.Dir}, 200, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Built || len(c.Topics) != corpusTopics {
		t.Errorf("the corpus of 200 items opened again: built %v with %d topics, want found in the cache with %d", c.Built, len(c.Topics), corpusTopics)
	}
	db, err := store.Open(ctx, c.URL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := db.ListTopics(ctx, store.TopicFilter{PublicOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	items := int64(0)
	for _, tp := range list {
		items += tp.ItemCount
	}
	if items == 0 {
		t.Errorf("the corpus's public topics hold no item")
	}
	if n, err := db.DueSources(ctx, End, false); err != nil || len(n) != 0 {
		t.Errorf("%d corpus sources are due (%v); want none, so docket serve on it fetches nothing", len(n), err)
	}
}

// TestCorpusOnPostgres builds a small corpus on PostgreSQL (COPY through a temporary table,
// the tsvector computed there) and measures its pages, as --db postgres://… does.
func TestCorpusOnPostgres(t *testing.T) {
	base := os.Getenv("DOCKET_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("PostgreSQL tests skipped: set DOCKET_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test to run them")
	}
	ctx := context.Background()
	where := Where{Postgres: base}
	const n = 300
	if err := store.DropSchema(ctx, base, where.key(n)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.DropSchema(context.Background(), base, where.key(n)) })
	c, err := OpenCorpus(ctx, where, n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Built || len(c.Topics) != corpusTopics {
		t.Fatalf("built %v with %d topics, want a new corpus with %d", c.Built, len(c.Topics), corpusTopics)
	}
	db, err := store.Open(ctx, c.URL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.ItemCount(ctx); err != nil || got != n {
		t.Errorf("the corpus holds %d items (%v), want %d", got, err, n)
	}
	var syria int64
	for _, tp := range c.Topics {
		if tp.Slug == "syria" {
			syria = tp.ID
		}
	}
	// The full text went in with the items: a search of the topic finds them.
	if page, err := db.Timeline(ctx, store.TimelineFilter{TopicID: syria, Public: true, Query: "syria"}); err != nil || len(page.Entries) == 0 {
		t.Errorf("searching the syria topic for syria: %v entries, %v; want some", page, err)
	}
	pages, err := MeasurePages(ctx, c, 2, 200*time.Millisecond)
	if err != nil || len(pages) != 4 || pages[0].Docket.Requests == 0 || pages[2].Docket.Requests == 0 {
		t.Errorf("pages on PostgreSQL: %+v, %v", pages, err)
	}
	again, err := OpenCorpus(ctx, where, n, nil)
	if err != nil || again.Built {
		t.Errorf("opened again: built %v, %v; want found", again.Built, err)
	}
}
