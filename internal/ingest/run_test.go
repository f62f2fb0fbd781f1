package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

func rss(items ...string) string {
	return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title><link>https://example.org/</link>` +
		strings.Join(items, "") + `</channel></rss>`
}

func rssItem(guid, title, desc, date string) string {
	return fmt.Sprintf(`<item><guid isPermaLink="false">%s</guid><title>%s</title><link>https://example.org/%s</link><description>%s</description><pubDate>%s</pubDate></item>`,
		guid, title, guid, desc, date)
}

func newIngester(db *store.DB) *ingest.Ingester {
	tm := &ingest.TopicMatchers{DB: db}
	return &ingest.Ingester{DB: db, Client: ingest.NewClient(ingest.ClientOptions{AllowPrivate: true}), Matcher: tm.Current, Workers: 4}
}

// feedServer serves a few feeds and counts requests and 304s per path.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	hits     map[string]int
	notMod   map[string]int
	etagBody string
}

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{hits: map[string]int{}, notMod: map[string]int{}}
	fs.etagBody = rss(
		rssItem("e1", "Aleppo evacuation resumes", "Buses left eastern Aleppo.", "Thu, 22 Dec 2016 10:00:00 GMT"),
		rssItem("e2", "Idlib camps fill up", "Families arrive in Idlib.", "Thu, 22 Dec 2016 12:00:00 GMT"),
	)
	plain := rss(
		rssItem("p1", "UN Security Council meets on Syria", "Members were briefed.", "Wed, 21 Dec 2016 09:00:00 GMT"),
		rssItem("p2", "Aid convoy reaches Madaya", "Food and medicine.", "Wed, 21 Dec 2016 15:00:00 GMT"),
		rssItem("p2", "Aid convoy reaches Madaya", "A duplicate inside the feed.", "Wed, 21 Dec 2016 15:00:00 GMT"),
	)
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.hits[r.URL.Path]++
		fs.mu.Unlock()
		switch r.URL.Path {
		case "/etag":
			if r.Header.Get("If-None-Match") == `"v1"` {
				fs.mu.Lock()
				fs.notMod[r.URL.Path]++
				fs.mu.Unlock()
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, fs.etagBody)
		case "/plain":
			w.Header().Set("Content-Type", "text/xml")
			io.WriteString(w, plain)
		case "/broken":
			http.Error(w, "database on fire", http.StatusInternalServerError)
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(fs.Close)
	return fs
}

// TestOnceStoresOnceAndRecordsFailures ingests working and failing feeds twice: the second
// run writes no item, gets a 304 where the server sends ETags, and records each failure on
// its source, while the other sources go on.
func TestOnceStoresOnceAndRecordsFailures(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := newFeedServer(t)
		topic := &docket.Topic{Slug: "syria", Title: "Syria", Visibility: docket.Public, Rule: "Aleppo OR Idlib OR Syria"}
		if err := db.CreateTopic(ctx, topic); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/etag", "/plain", "/broken", "/html"} {
			if err := db.CreateSource(ctx, &docket.Source{URL: srv.URL + p, Kind: docket.KindNews}); err != nil {
				t.Fatal(err)
			}
		}
		g := newIngester(db)
		srcs, _ := db.DueSources(ctx, time.Now(), true)
		first, err := g.Once(ctx, srcs, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := ingest.Summary{Sources: 4, Fetched: 2, Failed: 2, New: 4}
		if first != want {
			t.Fatalf("first run: %+v, want %+v", first, want)
		}
		fetchedAt := itemTimes(t, db)

		srcs, _ = db.DueSources(ctx, time.Now(), true)
		second, err := g.Once(ctx, srcs, nil)
		if err != nil {
			t.Fatal(err)
		}
		want = ingest.Summary{Sources: 4, Fetched: 1, NotModified: 1, Failed: 2}
		if second != want {
			t.Fatalf("second run: %+v, want %+v", second, want)
		}
		if srv.notMod["/etag"] != 1 {
			t.Errorf("the ETag feed answered %d 304s, want 1", srv.notMod["/etag"])
		}
		if after := itemTimes(t, db); after != fetchedAt {
			t.Errorf("the second run rewrote items:\nbefore %s\nafter  %s", fetchedAt, after)
		}

		checks := map[string]struct {
			status  int
			errPart string
			errors  int
			items   int64
		}{
			"/etag":   {200, "", 0, 2},
			"/plain":  {200, "", 0, 2},
			"/broken": {500, "HTTP 500 Internal Server Error", 2, 0},
			"/html":   {200, "not a feed: the server sent an HTML page", 2, 0},
		}
		all, err := db.ListSources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all {
			c := checks[strings.TrimPrefix(s.URL, srv.URL)]
			if s.ConsecutiveErrors != c.errors || s.ItemCount != c.items || !strings.Contains(s.LastError, c.errPart) || (c.errPart == "" && s.LastError != "") {
				t.Errorf("%s: errors %d, items %d, last error %q; want %d, %d, %q", s.URL, s.ConsecutiveErrors, s.ItemCount, s.LastError, c.errors, c.items, c.errPart)
			}
			if s.LastFetchedAt == nil || !s.NextFetchAt.After(*s.LastFetchedAt) {
				t.Errorf("%s: next fetch %v is not after the last %v", s.URL, s.NextFetchAt, s.LastFetchedAt)
			}
			if c.errors > 0 && s.NextFetchAt.Sub(*s.LastFetchedAt) < 8*time.Minute {
				t.Errorf("%s: after 2 failures the next fetch is in %v, want a back-off of about 10 minutes", s.URL, s.NextFetchAt.Sub(*s.LastFetchedAt))
			}
		}
		page, err := db.Timeline(ctx, store.TimelineFilter{TopicID: topic.ID, Public: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) != 3 {
			t.Errorf("the topic has %d items, want the 3 that match its rule", len(page.Entries))
		}
	})
}

// itemTimes lists every item's id and fetch time, to see whether anything was rewritten.
func itemTimes(t *testing.T, db *store.DB) string {
	t.Helper()
	var rows []struct {
		ID        int64     `db:"id"`
		FetchedAt time.Time `db:"fetched_at"`
	}
	if err := db.R.Select(&rows, `SELECT id, fetched_at FROM items ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(rows)
}

// TestChangedItemIsUpdatedInPlace changes an item's text between fetches: same id, new text,
// and its topic links follow the new text.
func TestChangedItemIsUpdatedInPlace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := newFeedServer(t)
		aleppo := &docket.Topic{Slug: "aleppo", Title: "Aleppo", Visibility: docket.Public, Rule: "Aleppo"}
		madaya := &docket.Topic{Slug: "madaya", Title: "Madaya", Visibility: docket.Public, Rule: "Madaya"}
		for _, tp := range []*docket.Topic{aleppo, madaya} {
			if err := db.CreateTopic(ctx, tp); err != nil {
				t.Fatal(err)
			}
		}
		db.CreateSource(ctx, &docket.Source{URL: srv.URL + "/etag", Kind: docket.KindNews})
		g := newIngester(db)
		srcs, _ := db.DueSources(ctx, time.Now(), true)
		if _, err := g.Once(ctx, srcs, nil); err != nil {
			t.Fatal(err)
		}
		before, _ := db.Timeline(ctx, store.TimelineFilter{TopicID: aleppo.ID})
		if len(before.Entries) != 1 {
			t.Fatalf("aleppo has %d items, want 1", len(before.Entries))
		}
		id := before.Entries[0].ItemID
		srv.etagBody = rss(rssItem("e1", "Madaya evacuation resumes", "Buses left Madaya.", "Thu, 22 Dec 2016 10:00:00 GMT"))
		// A new body under the same ETag would be a server bug; drop the validator.
		db.W.Exec(db.W.Rebind(`UPDATE sources SET etag = '' WHERE url = ?`), srv.URL+"/etag")
		srcs, _ = db.DueSources(ctx, time.Now(), true)
		sum, err := g.Once(ctx, srcs, nil)
		if err != nil || sum.Updated != 1 || sum.New != 0 {
			t.Fatalf("second run: %+v, %v; want 1 updated", sum, err)
		}
		it, err := db.ItemByID(ctx, id)
		if err != nil || it.Title != "Madaya evacuation resumes" {
			t.Fatalf("item %d after the change: %+v, %v", id, it, err)
		}
		if after, _ := db.Timeline(ctx, store.TimelineFilter{TopicID: aleppo.ID}); len(after.Entries) != 0 {
			t.Errorf("the changed item is still suggested on Aleppo")
		}
		if m, _ := db.Timeline(ctx, store.TimelineFilter{TopicID: madaya.ID}); len(m.Entries) != 1 || m.Entries[0].ItemID != id {
			t.Errorf("the changed item is not on Madaya with the same id")
		}
	})
}

// TestClustersAtIngest stores the same story from two sources and another story: the copies
// share a cluster, the other story does not.
func TestClustersAtIngest(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		feeds := map[string]string{
			"/a": rss(rssItem("a1", "Aleppo evacuation completed, Red Cross says", "The evacuation of eastern Aleppo is complete, the ICRC says.", "Thu, 22 Dec 2016 10:00:00 GMT"),
				rssItem("a2", "Aleppo evacuation halted as ceasefire falters", "Buses stopped at a checkpoint.", "Sat, 17 Dec 2016 10:00:00 GMT")),
			"/b": rss(rssItem("b1", "ICRC says evacuation of eastern Aleppo is complete", "The last buses have left the city, the Red Cross said.", "Thu, 22 Dec 2016 13:00:00 GMT")),
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, feeds[r.URL.Path]) }))
		defer srv.Close()
		topic := &docket.Topic{Slug: "aleppo", Title: "Aleppo", Visibility: docket.Public, Rule: "Aleppo"}
		db.CreateTopic(ctx, topic)
		db.CreateSource(ctx, &docket.Source{URL: srv.URL + "/a", Kind: docket.KindNews})
		db.CreateSource(ctx, &docket.Source{URL: srv.URL + "/b", Kind: docket.KindUN})
		g := newIngester(db)
		g.Workers = 1 // /a is stored first, so /b's copy joins it
		srcs, _ := db.DueSources(ctx, time.Now(), true)
		if _, err := g.Once(ctx, srcs, nil); err != nil {
			t.Fatal(err)
		}
		page, _ := db.Timeline(ctx, store.TimelineFilter{TopicID: topic.ID})
		clusters := map[string]*int64{}
		for _, e := range page.Entries {
			// A story shows once, its other copies under it.
			for _, c := range append([]store.TimelineEntry{e}, e.Also...) {
				clusters[c.Title] = c.ClusterID
			}
		}
		a, b, other := clusters["Aleppo evacuation completed, Red Cross says"], clusters["ICRC says evacuation of eastern Aleppo is complete"], clusters["Aleppo evacuation halted as ceasefire falters"]
		if a == nil || b == nil || *a != *b {
			t.Fatalf("the two copies are not in one cluster: %v %v", a, b)
		}
		if other != nil && *other == *a {
			t.Fatalf("a different story joined the cluster")
		}
	})
}

// TestCorpusThroughTheIngester serves every file of the feed corpora over HTTP and ingests
// them all into a real SQLite file: each source ends with items or with a clear error
// recorded on it, never both, never neither for a feed with entries, and never fewer distinct
// items than gofeed alone finds.
func TestCorpusThroughTheIngester(t *testing.T) {
	dir := os.Getenv("DOCKET_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("feed corpus not found at %s (set DOCKET_CORPUS): %v", dir, err)
	}
	if testing.Short() {
		t.Skip("-short: the corpus takes a while")
	}
	files := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".json")) {
			rel, _ := filepath.Rel(dir, p)
			files["/"+filepath.ToSlash(rel)] = p
		}
		return nil
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(p, ".json") {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "application/xml")
		}
		http.ServeFile(w, r, p)
	}))
	defer srv.Close()
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	want := map[string]int{}
	err := db.Update(ctx, func(tx *store.Tx) error {
		for path, file := range files {
			body, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			want[srv.URL+path] = gofeedDistinct(body)
			if err := tx.CreateSource(ctx, &docket.Source{URL: srv.URL + path, Kind: docket.KindOther}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	g := newIngester(db)
	srcs, _ := db.DueSources(ctx, time.Now(), true)
	run, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	sum, err := g.Once(run, srcs, nil)
	if err != nil {
		t.Fatalf("ingest stopped: %v", err)
	}
	all, _ := db.ListSources(ctx)
	var withItems, refused int
	for _, s := range all {
		switch {
		case s.LastError != "" && s.ItemCount > 0:
			t.Errorf("%s: both items and an error (%s)", s.URL, s.LastError)
		case s.LastError != "":
			refused++
			if strings.Contains(s.LastError, "\n") || len(s.LastError) > 300 {
				t.Errorf("%s: the error is not one clear line: %q", s.URL, s.LastError)
			}
		case s.LastFetchedAt == nil:
			t.Errorf("%s: never fetched", s.URL)
		default:
			withItems++
		}
		if s.LastError == "" && int(s.ItemCount) < want[s.URL] {
			t.Errorf("%s: %d items, gofeed alone finds %d distinct", s.URL, s.ItemCount, want[s.URL])
		}
	}
	t.Logf("%d feeds: %d stored (%d items), %d refused with an error; summary %+v", len(all), withItems, sum.New, refused, sum)
}

// gofeedDistinct counts the distinct items gofeed alone finds in body, keyed as the corpus
// README says (guid, else link, else title+published); -1 when gofeed refuses it.
func gofeedDistinct(body []byte) int {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return -1
	}
	keys := map[string]bool{}
	for _, it := range f.Items {
		switch {
		case it.GUID != "":
			keys["g:"+it.GUID] = true
		case it.Link != "":
			keys["l:"+it.Link] = true
		case it.Title != "" || it.Published != "":
			keys["t:"+it.Title+"\x00"+it.Published] = true
		}
	}
	return len(keys)
}

// TestUnchangedBodyIsNotParsed polls a feed that sends no validators: a body the same as the
// last one stored is neither parsed nor stored again, and still counts as a fetch; a changed
// body, or another item cap, is parsed.
func TestUnchangedBodyIsNotParsed(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		body := rss(rssItem("u1", "Aleppo evacuation resumes", "Buses left.", "Thu, 22 Dec 2016 10:00:00 GMT"))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			io.WriteString(w, body)
		}))
		defer srv.Close()
		src := docket.Source{URL: srv.URL + "/feed", Kind: docket.KindNews}
		if err := db.CreateSource(ctx, &src); err != nil {
			t.Fatal(err)
		}
		g := newIngester(db)
		first := g.Fetch(ctx, src)
		if o, err := g.StoreOne(ctx, first); err != nil || o.New != 1 {
			t.Fatalf("first fetch: %+v, %v; want 1 new item", o, err)
		}

		again := g.Fetch(ctx, src)
		if !again.Unchanged || len(again.Items) != 0 {
			t.Fatalf("same body: unchanged %v with %d items parsed; want true and 0", again.Unchanged, len(again.Items))
		}
		before, _ := db.SourceByID(ctx, src.ID)
		o, err := g.StoreOne(ctx, again)
		if err != nil || o.NotModified || o.New+o.Updated != 0 || o.Err != "" {
			t.Fatalf("storing the same body: %+v, %v; want a fetch with nothing new", o, err)
		}
		after, _ := db.SourceByID(ctx, src.ID)
		if after.LastStatus != 200 || after.FetchInterval <= before.FetchInterval {
			t.Errorf("the fetch of the same body was not recorded: status %d, interval %ds then %ds; want 200 and a longer interval",
				after.LastStatus, before.FetchInterval, after.FetchInterval)
		}

		g.MaxItems = 1
		if f := g.Fetch(ctx, src); f.Unchanged {
			t.Errorf("another item cap: the body was taken as unchanged")
		}
		g.MaxItems = 0

		mu.Lock()
		body = rss(rssItem("u1", "Aleppo evacuation resumes", "Buses left.", "Thu, 22 Dec 2016 10:00:00 GMT"),
			rssItem("u2", "Idlib camps fill up", "Families arrive.", "Thu, 22 Dec 2016 12:00:00 GMT"))
		mu.Unlock()
		changed := g.Fetch(ctx, src)
		if changed.Unchanged || len(changed.Items) != 2 {
			t.Fatalf("changed body: unchanged %v with %d items; want false and 2", changed.Unchanged, len(changed.Items))
		}
		if o, err := g.StoreOne(ctx, changed); err != nil || o.New != 1 {
			t.Fatalf("storing the changed body: %+v, %v; want 1 new item", o, err)
		}
		if f := g.Fetch(ctx, src); !f.Unchanged {
			t.Errorf("the changed body fetched again was not taken as unchanged")
		}
	})
}
