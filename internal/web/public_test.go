package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
)

// fixture is a small world: a public and a private topic, two sources, items on both
// topics, a published and a draft statement.
type fixture struct {
	db        *store.DB
	srv       *httptest.Server
	public    *docket.Topic
	private   *docket.Topic
	published *docket.Statement
	draft     *docket.Statement
	items     []int64
}

var t0 = time.Date(2016, 12, 13, 9, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, db *store.DB, nItems int) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db}
	f.public = &docket.Topic{Slug: "syria", Title: "Syria", Summary: "The war in Syria.", Visibility: docket.Public, Rule: "Syria"}
	f.private = &docket.Topic{Slug: "office-only", Title: "Office only", Visibility: docket.Private, Rule: "Secret"}
	news := &docket.Source{URL: "https://news.example.org/feed", Title: "Example News", Kind: docket.KindNews}
	un := &docket.Source{URL: "https://un.example.org/feed", Title: "UN Example", Kind: docket.KindUN}
	member := &docket.Member{Name: "Sarah Whitfield", Constituency: "Northbridge", Party: "Independent"}
	err := db.Update(ctx, func(tx *store.Tx) error {
		for _, x := range []*docket.Topic{f.public, f.private} {
			if err := tx.CreateTopic(ctx, x); err != nil {
				return err
			}
		}
		for _, s := range []*docket.Source{news, un} {
			if err := tx.CreateSource(ctx, s); err != nil {
				return err
			}
		}
		if err := tx.CreateMember(ctx, member); err != nil {
			return err
		}
		for i := 0; i < nItems; i++ {
			src := news
			if i%3 == 0 {
				src = un
			}
			it := docket.Item{GUID: fmt.Sprint("g", i), URL: fmt.Sprintf("https://example.org/%d", i),
				Title: fmt.Sprintf("Syria report number %d", i), Summary: "<p>Summary.</p>", Text: fmt.Sprintf("Syria report number %d. Summary.", i),
				PublishedAt: t0.Add(time.Duration(i) * time.Hour), ContentHash: fmt.Sprint(i)}
			res, err := tx.SaveItems(ctx, src.ID, []docket.Item{it})
			if err != nil {
				return err
			}
			f.items = append(f.items, res.New[0])
			if err := tx.LinkRuleMatches(ctx, res.New[0], it.PublishedAt, []store.TopicMatch{{TopicID: f.public.ID, Terms: []string{"syria"}}}); err != nil {
				return err
			}
		}
		secret := docket.Item{GUID: "secret", Title: "Secret briefing", Text: "Secret briefing", PublishedAt: t0, ContentHash: "s"}
		res, err := tx.SaveItems(ctx, news.ID, []docket.Item{secret})
		if err != nil {
			return err
		}
		if err := tx.LinkRuleMatches(ctx, res.New[0], t0, []store.TopicMatch{{TopicID: f.private.ID}}); err != nil {
			return err
		}
		pub := t0.Add(48 * time.Hour)
		f.published = &docket.Statement{MemberID: &member.ID, Title: "On Aleppo", Body: "First paragraph.\n\nSecond paragraph.",
			Kind: docket.KindConstituentResponse, Status: docket.StatusPublished, PublishedAt: &pub}
		if err := tx.CreateStatement(ctx, f.published, []int64{f.public.ID}, nil, ""); err != nil {
			return err
		}
		f.draft = &docket.Statement{MemberID: &member.ID, Title: "Draft on Idlib", Body: "Not yet.", Kind: docket.KindPressRelease}
		return tx.CreateStatement(ctx, f.draft, []int64{f.public.ID}, nil, "")
	})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(web.NewServer(web.Config{DB: db}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) get(t *testing.T, path string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (f *fixture) doc(t *testing.T, path string, wantStatus int) *goquery.Document {
	t.Helper()
	resp, body := f.get(t, path)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d; body:\n%.500s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("GET %s: content type %q, want HTML", path, ct)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestHomeListsPublicTopicsOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 3)
		doc := f.doc(t, "/", http.StatusOK)
		var got []string
		doc.Find(`[data-testid=topics] h2 a`).Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
		if len(got) != 1 || got[0] != "Syria" {
			t.Fatalf("topics on the home page: got %q, want [Syria]", got)
		}
		if meta := doc.Find(`[data-testid=topics] .meta`).Text(); !strings.Contains(meta, "3 items") || !strings.Contains(meta, "1 statement") {
			t.Errorf("counts %q, want 3 items and 1 statement (the draft is not counted)", meta)
		}
	})
}

func TestTopicPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 60)
		doc := f.doc(t, "/topics/syria", http.StatusOK)
		if got := doc.Find("h1").Text(); got != "Syria" {
			t.Errorf("h1 %q, want Syria", got)
		}
		if got := doc.Find(`[data-testid=statements] h3`).Text(); got != "On Aleppo" {
			t.Errorf("statements %q, want only the published one", got)
		}
		entries := doc.Find(`[data-testid=entry]`)
		if entries.Length() != 50 {
			t.Fatalf("got %d entries on the first page, want 50", entries.Length())
		}
		if first := entries.First().Find(".entry-title a").Text(); first != "Syria report number 59" {
			t.Errorf("first entry %q, want the newest (number 59)", first)
		}
		if doc.Find(`[data-testid=chart] rect`).Length() == 0 {
			t.Error("no chart bars")
		}
		if href, ok := doc.Find(`link[rel=alternate][type="application/atom+xml"]`).Attr("href"); !ok || href != "/topics/syria/feed.atom" {
			t.Errorf("atom link %q, want /topics/syria/feed.atom", href)
		}
		next, ok := doc.Find(`#pager a`).Attr("href")
		if !ok {
			t.Fatal("no link to older items")
		}
		doc2 := f.doc(t, next, http.StatusOK)
		older := doc2.Find(`[data-testid=entry]`)
		if older.Length() != 10 {
			t.Fatalf("second page: %d entries, want 10", older.Length())
		}
		if doc2.Find(`#pager`).Length() != 0 {
			t.Error("the last page offers older items")
		}
		if first := older.First().Find(".entry-title a").Text(); first != "Syria report number 9" {
			t.Errorf("second page starts with %q, want number 9", first)
		}
		// htmx asks for the partial: the entries and the pager, without the layout.
		_, partial := f.get(t, next, "HX-Request", "true")
		if strings.Contains(partial, "<html") || !strings.Contains(partial, "Syria report number 9") {
			t.Errorf("partial answer is not the bare timeline: %.200s", partial)
		}
	})
}

func TestPrivateAndDraftsAreNotFoundPublicly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 2)
		for _, path := range []string{
			"/topics/office-only",
			"/topics/no-such-topic",
			fmt.Sprintf("/statements/%d", f.draft.ID),
			"/statements/999999",
			"/statements/abc",
		} {
			doc := f.doc(t, path, http.StatusNotFound)
			if doc.Find(`[data-testid=error]`).Length() != 1 || doc.Find("header.site-header").Length() != 1 {
				t.Errorf("GET %s: the 404 is not the error page in the layout", path)
			}
		}
		for _, path := range []string{
			"/api/v1/topics/office-only",
			"/api/v1/topics/office-only/timeline",
			fmt.Sprintf("/api/v1/statements/%d", f.draft.ID),
		} {
			resp, body := f.get(t, path)
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"not_found"`) {
				t.Errorf("GET %s: %d %s, want a JSON 404", path, resp.StatusCode, body)
			}
		}
	})
}

func TestStatementPage(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite(t), 1)
	doc := f.doc(t, fmt.Sprintf("/statements/%d", f.published.ID), http.StatusOK)
	if got := doc.Find("h1").Text(); got != "On Aleppo" {
		t.Errorf("h1 %q", got)
	}
	if n := doc.Find(".statement-body p").Length(); n != 2 {
		t.Errorf("%d paragraphs, want 2", n)
	}
	if by := doc.Find(".summary-list").Text(); !strings.Contains(by, "Sarah Whitfield") || !strings.Contains(by, "MP for Northbridge") {
		t.Errorf("byline %q, want the member and constituency", by)
	}
	if og, _ := doc.Find(`meta[property="og:type"]`).Attr("content"); og != "article" {
		t.Errorf("og:type %q, want article", og)
	}
}

func TestAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 7)
		var topics struct {
			Topics []struct {
				Slug      string `json:"slug"`
				ItemCount int    `json:"item_count"`
			} `json:"topics"`
		}
		getJSON(t, f, "/api/v1/topics", http.StatusOK, &topics)
		if len(topics.Topics) != 1 || topics.Topics[0].Slug != "syria" || topics.Topics[0].ItemCount != 7 {
			t.Fatalf("topics: got %+v, want syria with 7 items", topics)
		}
		var topic struct {
			Slug       string `json:"slug"`
			Statements []struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
			} `json:"statements"`
		}
		getJSON(t, f, "/api/v1/topics/syria", http.StatusOK, &topic)
		if len(topic.Statements) != 1 || topic.Statements[0].ID != f.published.ID {
			t.Fatalf("topic statements: got %+v, want only the published one", topic.Statements)
		}

		type page struct {
			Items []struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
			} `json:"items"`
			Next *string `json:"next"`
		}
		var seen []int64
		path := "/api/v1/topics/syria/timeline?limit=3"
		for path != "" {
			var p page
			getJSON(t, f, path, http.StatusOK, &p)
			for _, it := range p.Items {
				seen = append(seen, it.ID)
			}
			path = ""
			if p.Next != nil {
				path = "/api/v1/topics/syria/timeline?limit=3&before=" + *p.Next
			}
		}
		if len(seen) != 7 {
			t.Fatalf("paged through %d items, want 7", len(seen))
		}
		if seen[0] != f.items[6] {
			t.Errorf("first item %d, want the newest %d", seen[0], f.items[6])
		}

		var bad struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		getJSON(t, f, "/api/v1/topics/syria/timeline?limit=0", http.StatusUnprocessableEntity, &bad)
		if bad.Error.Code != "invalid" || !strings.Contains(bad.Error.Message, "limit") {
			t.Errorf("bad limit: got %+v, want an invalid error naming limit", bad)
		}
		getJSON(t, f, "/api/v1/topics/syria/timeline?before=nonsense", http.StatusUnprocessableEntity, &bad)
		if !strings.Contains(bad.Error.Message, "before") {
			t.Errorf("bad cursor: got %+v, want an error naming before", bad)
		}
		getJSON(t, f, "/api/v1/topics/syria/timeline?to=9999-12-31", http.StatusUnprocessableEntity, &bad)
		if !strings.Contains(bad.Error.Message, "1900 to 2200") {
			t.Errorf("a date past any timeline: got %+v", bad)
		}
		// from and to take whole days, both included.
		var day struct {
			Items []struct{ ID int64 } `json:"items"`
		}
		getJSON(t, f, "/api/v1/topics/syria/timeline?from=2016-12-13&to=2016-12-13&limit=200", http.StatusOK, &day)
		if len(day.Items) != 7 {
			t.Errorf("items on 13 Dec 2016: %d, want the 7 of the fixture's first day (09:00 to 15:00 UTC)", len(day.Items))
		}

		var st struct {
			Title  string   `json:"title"`
			Topics []string `json:"topics"`
			Member string   `json:"member"`
		}
		getJSON(t, f, fmt.Sprintf("/api/v1/statements/%d", f.published.ID), http.StatusOK, &st)
		if st.Title != "On Aleppo" || st.Member != "Sarah Whitfield" || len(st.Topics) != 1 {
			t.Errorf("statement: got %+v", st)
		}
	})
}

func getJSON(t *testing.T, f *fixture, path string, wantStatus int, v any) {
	t.Helper()
	resp, body := f.get(t, path)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d: %s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
}

func TestHealthAndHeaders(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite(t), 1)
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, body := f.get(t, path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
	}
	resp, _ := f.get(t, "/")
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	resp, body := f.get(t, "/metrics")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "docket_http_requests_total") {
		t.Errorf("metrics: %d, missing docket_http_requests_total", resp.StatusCode)
	}
	resp, _ = f.get(t, "/static/docket.css")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
		t.Errorf("stylesheet: %d, etag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
	resp, _ = f.get(t, "/static/docket.css", "If-None-Match", resp.Header.Get("ETag"))
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("stylesheet revalidation: %d, want 304", resp.StatusCode)
	}
	// Pages link to the stylesheet of this build, which may be cached for good.
	css, ok := f.doc(t, "/", http.StatusOK).Find(`link[rel=stylesheet]`).Attr("href")
	if !ok || !strings.HasPrefix(css, "/static/docket.css?v=") {
		t.Fatalf("stylesheet link %q, want a versioned one", css)
	}
	resp, _ = f.get(t, css)
	if cc := resp.Header.Get("Cache-Control"); resp.StatusCode != http.StatusOK || !strings.Contains(cc, "immutable") {
		t.Errorf("versioned stylesheet: %d, Cache-Control %q", resp.StatusCode, cc)
	}
}

// newFixtureItem adds one more item to the public topic.
func newFixtureItem(t *testing.T, f *fixture, title string) {
	t.Helper()
	ctx := context.Background()
	src, err := f.db.SourceByURL(ctx, "https://news.example.org/feed")
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.Update(ctx, func(tx *store.Tx) error {
		it := docket.Item{GUID: title, Title: title, Text: title, PublishedAt: t0.Add(1000 * time.Hour), ContentHash: title}
		res, err := tx.SaveItems(ctx, src.ID, []docket.Item{it})
		if err != nil {
			return err
		}
		return tx.LinkRuleMatches(ctx, res.New[0], it.PublishedAt, []store.TopicMatch{{TopicID: f.public.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMetricsToken: with a token set, /metrics answers only a scraper that sends it.
func TestMetricsToken(t *testing.T) {
	db := storetest.OpenSQLite(t)
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db, MetricsToken: "s3cret"}))
	defer srv.Close()
	for _, c := range []struct {
		auth string
		want int
	}{{"", 401}, {"Bearer wrong", 401}, {"Bearer s3cret", 200}} {
		req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("Authorization %q: %d, want %d", c.auth, resp.StatusCode, c.want)
		}
	}
}
