package ingest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

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

// TestScheduleThroughTheStore ingests many sources of a few kinds and reads each one's next
// fetch off the source, as the scheduler will: the spread that keeps sources out of step
// must not take any of them past a bound, a Retry-After or what its feed asks for.
func TestScheduleThroughTheStore(t *testing.T) {
	const perKind = 40
	item := rssItem("s1", "Aleppo evacuation resumes", "Buses left.", "Thu, 22 Dec 2016 10:00:00 GMT")
	bodies := map[string]string{
		// A new source polled every 5 minutes whose items are new: it stays at 5 minutes.
		"busy": rss(item),
		// A source at 24 hours with no items: its interval grows, and stays at 24 hours.
		"quiet": rss(),
		// The feed asks for 2 hours (RSS ttl) or 6 hours (sy:updatePeriod daily, 4 times).
		"ttl": `<rss version="2.0"><channel><title>T</title><ttl>120</ttl>` + item + `</channel></rss>`,
		"sy": `<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>T</title>` +
			`<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>` + item + `</channel></rss>`,
	}
	kinds := []struct {
		kind     string
		interval time.Duration // the source's interval before the fetch
		min, max time.Duration // where its next fetch may fall
	}{
		{"busy", ingest.MinInterval, ingest.MinInterval, ingest.MinInterval * 11 / 10},
		{"quiet", ingest.MaxInterval, ingest.MaxInterval * 9 / 10, ingest.MaxInterval},
		{"ttl", 0, 2 * time.Hour, 2 * time.Hour * 11 / 10},
		{"sy", 0, 6 * time.Hour, 6 * time.Hour * 11 / 10},
		// HTTP 429 with Retry-After: 3600, the first failure.
		{"limited", 0, time.Hour, time.Hour * 11 / 10},
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			kind := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
			if kind == "limited" {
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, bodies[kind])
		}))
		defer srv.Close()
		for _, k := range kinds {
			for i := range perKind {
				src := &docket.Source{URL: fmt.Sprintf("%s/%s/%d.xml", srv.URL, k.kind, i), Kind: docket.KindNews}
				if err := db.CreateSource(ctx, src); err != nil {
					t.Fatal(err)
				}
				if k.interval > 0 {
					if _, err := db.W.Exec(db.W.Rebind(`UPDATE sources SET fetch_interval = ? WHERE id = ?`), int64(k.interval/time.Second), src.ID); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		srcs, err := db.DueSources(ctx, time.Now(), true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := newIngester(db).Once(ctx, srcs, nil); err != nil {
			t.Fatal(err)
		}
		all, err := db.ListSources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kinds {
			lo, hi := time.Duration(1<<62), time.Duration(0)
			n, outside := 0, 0
			for _, s := range all {
				if !strings.HasPrefix(s.URL, srv.URL+"/"+k.kind+"/") {
					continue
				}
				n++
				if s.LastFetchedAt == nil {
					t.Fatalf("%s was not fetched", s.URL)
				}
				// last_fetched_at is the transaction's clock, read a moment before the one
				// the wait is added to: allow a second.
				wait := s.NextFetchAt.Sub(*s.LastFetchedAt)
				lo, hi = min(lo, wait), max(hi, wait)
				if wait < k.min || wait > k.max+time.Second {
					outside++
				}
			}
			if n != perKind || outside > 0 {
				t.Errorf("%s: %d of %d sources fetched next outside [%v, %v]: soonest in %v, latest in %v",
					k.kind, outside, n, k.min, k.max, lo, hi)
			}
		}
	})
}

// TestMatchingAtIngest ingests a feed and reads back which topics each item landed on and the
// terms recorded with the link: a phrase does not match across the summary and the content,
// and a title that is the start of the text's first word ("UN" above "UNICEF says…") does not
// cut that word.
func TestMatchingAtIngest(t *testing.T) {
	item := func(guid, title, desc, content string) string {
		return fmt.Sprintf(`<item><guid isPermaLink="false">%s</guid><title>%s</title><description>%s</description>`+
			`<content:encoded>%s</content:encoded><pubDate>Thu, 22 Dec 2016 10:00:00 GMT</pubDate></item>`, guid, title, desc, content)
	}
	body := `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>` +
		item("m1", "Geneva round", "Envoys speak of peace", "Talks resume in Geneva") +
		item("m2", "Envoys meet", "A new round", "The peace talks resume in Geneva on Monday") +
		item("m3", "UN", "UNICEF says winter is coming to the camps", "") +
		item("m4", "Syrian army retakes eastern Alep", "Syrian army retakes eastern Aleppo after a month of fighting", "") +
		`</channel></rss>`
	topics := map[string]string{
		"peace":  `"peace talks"`,
		"unicef": `UNICEF`,
		"aleppo": `Aleppo OR Idlib`,
		"syria":  `(Syria OR Syrian) AND (Aleppo OR Geneva)`,
	}
	// item title → topic → the terms recorded on the link; a topic not listed has no link.
	want := map[string]map[string]string{
		"Geneva round":                     {},
		"Envoys meet":                      {"peace": "peace talks"},
		"UN":                               {"unicef": "unicef"},
		"Syrian army retakes eastern Alep": {"aleppo": "aleppo", "syria": "syrian, aleppo"},
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
		defer srv.Close()
		for slug, rule := range topics {
			if err := db.CreateTopic(ctx, &docket.Topic{Slug: slug, Title: slug, Visibility: docket.Public, Rule: rule}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CreateSource(ctx, &docket.Source{URL: srv.URL + "/feed", Kind: docket.KindNews}); err != nil {
			t.Fatal(err)
		}
		srcs, _ := db.DueSources(ctx, time.Now(), true)
		if sum, err := newIngester(db).Once(ctx, srcs, nil); err != nil || sum.New != 4 {
			t.Fatalf("ingest: %+v, %v; want 4 new items", sum, err)
		}
		var rows []struct {
			Title string `db:"title"`
			Slug  string `db:"slug"`
			Terms string `db:"terms"`
		}
		if err := db.R.Select(&rows, `SELECT i.title, t.slug, l.terms FROM item_topics l
			JOIN items i ON i.id = l.item_id JOIN topics t ON t.id = l.topic_id`); err != nil {
			t.Fatal(err)
		}
		got := map[string]map[string]string{}
		for title := range want {
			got[title] = map[string]string{}
		}
		for _, r := range rows {
			if got[r.Title] == nil {
				got[r.Title] = map[string]string{}
			}
			got[r.Title][r.Slug] = r.Terms
		}
		for title, w := range want {
			if fmt.Sprint(got[title]) != fmt.Sprint(w) {
				t.Errorf("%q: got topics and terms %v, want %v", title, got[title], w)
			}
		}
	})
}

// TestTopicsChangeBetweenFetchAndStore fetches a feed while one set of topics is current and
// stores it after another has replaced it: Fetch matches the items outside the store
// transaction, and Store must use those matches only when it is handed the same matcher.
func TestTopicsChangeBetweenFetchAndStore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		body := rss(rssItem("c1", "Aleppo evacuation resumes", "Buses left eastern Aleppo.", "Thu, 22 Dec 2016 10:00:00 GMT"),
			rssItem("c2", "Aid reaches Madaya", "Food and medicine.", "Thu, 22 Dec 2016 11:00:00 GMT"))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
		defer srv.Close()
		aleppo := &docket.Topic{Slug: "aleppo", Title: "Aleppo", Visibility: docket.Public, Rule: "Aleppo"}
		madaya := &docket.Topic{Slug: "madaya", Title: "Madaya", Visibility: docket.Public, Rule: "Madaya"}
		for _, tp := range []*docket.Topic{aleppo, madaya} {
			if err := db.CreateTopic(ctx, tp); err != nil {
				t.Fatal(err)
			}
		}
		src := &docket.Source{URL: srv.URL + "/feed", Kind: docket.KindNews}
		if err := db.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
		onlyAleppo, err := ingest.NewRuleMatcher([]docket.Topic{*aleppo})
		if err != nil {
			t.Fatal(err)
		}
		onlyMadaya, err := ingest.NewRuleMatcher([]docket.Topic{*madaya})
		if err != nil {
			t.Fatal(err)
		}
		g := newIngester(db)
		g.Matcher = func(context.Context) (ingest.Matcher, error) { return onlyAleppo, nil } // when Fetch runs
		f := g.Fetch(ctx, *src)
		if f.Err != nil {
			t.Fatal(f.Err)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := g.Store(ctx, tx, f, onlyMadaya) // the topics changed since
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			topic *docket.Topic
			want  []string
		}{{aleppo, nil}, {madaya, []string{"Aid reaches Madaya"}}} {
			page, err := db.Timeline(ctx, store.TimelineFilter{TopicID: tt.topic.ID})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range page.Entries {
				got = append(got, e.Title)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%s: got items %q, want %q (the matcher Store was given)", tt.topic.Slug, got, tt.want)
			}
		}
	})
}

// nulFeed is a JSON Feed with a NUL in every field Docket stores, its own title too.
const nulFeed = `{"version": "https://jsonfeed.org/version/1.1", "title": "Nul\u0000 feed", "home_page_url": "https://example.org/\u0000",
"items": [{"id": "n\u00001", "url": "https://example.org/n\u00001", "title": "Aleppo\u0000 talks", "summary": "Sum\u0000mary",
"content_text": "Text with a \u0000 NUL", "authors": [{"name": "Ann\u0000 Author"}], "date_published": "2016-12-22T10:00:00Z"}]}`

// TestNULIsNotStored ingests a feed with NUL characters, which PostgreSQL's text refuses:
// both databases store the item without them.
func TestNULIsNotStored(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/feed+json")
			io.WriteString(w, nulFeed)
		}))
		defer srv.Close()
		src := &docket.Source{URL: srv.URL + "/nul", Kind: docket.KindNews}
		if err := db.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
		sum, err := newIngester(db).Once(ctx, []docket.Source{*src}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := (ingest.Summary{Sources: 1, Fetched: 1, New: 1}); sum != want {
			t.Fatalf("got %+v, want %+v", sum, want)
		}
		var it docket.Item
		if err := db.W.GetContext(ctx, &it, db.W.Rebind(`SELECT guid, url, title, summary, content, text, author FROM items WHERE source_id = ?`), src.ID); err != nil {
			t.Fatal(err)
		}
		want := docket.Item{GUID: "n1", URL: "https://example.org/n1", Title: "Aleppo talks", Summary: "Summary",
			Content: "Text with a  NUL", Text: "Aleppo talks\n\nSummary\n\n\nText with a NUL", Author: "Ann Author"}
		if it != want {
			t.Errorf("got  %+v,\nwant %+v", it, want)
		}
		got, err := db.SourceByID(ctx, src.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Nul feed" || got.SiteURL != "https://example.org/" {
			t.Errorf("got source title %q and site %q, want %q and %q", got.Title, got.SiteURL, "Nul feed", "https://example.org/")
		}
	})
}

// TestRefusedItemsAreAFeedError stores, on PostgreSQL, a batch the database refuses (a NUL
// that Normalize would have removed, past the first insert's rows): the refusal is recorded
// on the source as a feed error, nothing of the batch is left, and the next store goes on.
func TestRefusedItemsAreAFeedError(t *testing.T) {
	db := storetest.OpenPostgres(t)
	ctx := context.Background()
	bad := &docket.Source{URL: "https://example.org/bad", Kind: docket.KindNews}
	good := &docket.Source{URL: "https://example.org/good", Kind: docket.KindNews}
	for _, s := range []*docket.Source{bad, good} {
		if err := db.CreateSource(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	items := func(n int) []docket.Item {
		var out []docket.Item
		for i := range n {
			g := fmt.Sprintf("g%d", i)
			out = append(out, docket.Item{GUID: g, URL: "https://example.org/" + g, Title: "Item " + g, Text: "Item " + g,
				PublishedAt: time.Date(2016, 12, 22, 10, 0, i, 0, time.UTC), ContentHash: "h-" + g})
		}
		return out
	}
	batch := items(150)
	batch[120].Title = "NUL\x00"
	g := newIngester(db)
	o, err := g.StoreOne(ctx, &ingest.Fetched{Source: *bad, Status: 200, Items: batch})
	if err != nil {
		t.Fatalf("store a refused batch: %v, want the refusal recorded on the source", err)
	}
	if !strings.Contains(o.Err, "refused") || o.New != 0 {
		t.Errorf("got outcome %+v, want a refusal and no new items", o)
	}
	if o, err := g.StoreOne(ctx, &ingest.Fetched{Source: *good, Status: 200, Items: items(3)}); err != nil || o.New != 3 {
		t.Fatalf("store the next source: %+v, %v; want 3 new items", o, err)
	}
	src, err := db.SourceByID(ctx, bad.ID)
	if err != nil {
		t.Fatal(err)
	}
	if src.ConsecutiveErrors != 1 || !strings.Contains(src.LastError, "invalid byte sequence") || src.ItemCount != 0 {
		t.Errorf("got source errors %d, last error %q, %d items; want 1, the database's refusal, none",
			src.ConsecutiveErrors, src.LastError, src.ItemCount)
	}
}

// TestHardFeedsInOneRun ingests, in one run, a feed with NUL characters, a feed whose item
// holds 200,000 distinct words (a tsvector PostgreSQL would refuse) and a plain one: all are
// stored, on both databases, and the run goes to its end.
func TestHardFeedsInOneRun(t *testing.T) {
	var words strings.Builder
	for i := range 200_000 {
		fmt.Fprintf(&words, "w%x ", i*7919)
	}
	huge := fmt.Sprintf(`{"version": "https://jsonfeed.org/version/1.1", "title": "Huge",
"items": [{"id": "h1", "url": "https://example.org/h1", "title": "Huge", "content_text": %q}]}`, words.String())
	good := rss(rssItem("ok1", "Aleppo evacuation resumes", "Buses left.", "Thu, 22 Dec 2016 10:00:00 GMT"))
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/nul":
				io.WriteString(w, nulFeed)
			case "/huge":
				io.WriteString(w, huge)
			default:
				io.WriteString(w, good)
			}
		}))
		defer srv.Close()
		for _, p := range []string{"/nul", "/huge", "/good"} {
			if err := db.CreateSource(ctx, &docket.Source{URL: srv.URL + p, Kind: docket.KindNews}); err != nil {
				t.Fatal(err)
			}
		}
		srcs, _ := db.DueSources(ctx, time.Now(), true)
		sum, err := newIngester(db).Once(ctx, srcs, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := (ingest.Summary{Sources: 3, Fetched: 3, New: 3}); sum != want {
			t.Errorf("got %+v, want %+v", sum, want)
		}
		all, err := db.ListSources(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all {
			if s.ItemCount != 1 || s.LastError != "" {
				t.Errorf("source %s: got %d items and error %q, want 1 item and no error", s.URL, s.ItemCount, s.LastError)
			}
		}
	})
}
