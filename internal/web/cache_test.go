package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
)

// TestLastModified: the Atom feed's Last-Modified moves forward whenever the feed changes,
// even when the change removes its newest item (a time read from the items would move back);
// a client that sends only If-Modified-Since gets 304 for the version it has and 200 for any
// other; every instance answers the same; pages without a Last-Modified ignore the header.
func TestLastModified(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 3)
		ctx := context.Background()
		// The clock stands still: changes within one second still move Last-Modified on.
		now := time.Now().Truncate(time.Second)
		db.SetClock(func() time.Time { return now })
		const feed = "/topics/syria/feed.atom"
		lastModified := func(srv string) (time.Time, int) {
			t.Helper()
			req, _ := http.NewRequest("GET", srv+feed, nil)
			// As behind one address: the feed's links are made from the Host.
			req.Host = strings.TrimPrefix(f.srv.URL, "http://")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			lm, err := http.ParseTime(resp.Header.Get("Last-Modified"))
			if err != nil {
				t.Fatalf("Last-Modified %q: %v", resp.Header.Get("Last-Modified"), err)
			}
			return lm, resp.StatusCode
		}
		ifModifiedSince := func(srv string, since time.Time, hdr ...string) int {
			t.Helper()
			req, _ := http.NewRequest("GET", srv+feed, nil)
			req.Host = strings.TrimPrefix(f.srv.URL, "http://")
			req.Header.Set("If-Modified-Since", since.UTC().Format(http.TimeFormat))
			for i := 0; i+1 < len(hdr); i += 2 {
				req.Header.Set(hdr[i], hdr[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		first, _ := lastModified(f.srv.URL)
		if again, _ := lastModified(f.srv.URL); !again.Equal(first) {
			t.Fatalf("the same feed twice: Last-Modified %v then %v", first, again)
		}
		if got := ifModifiedSince(f.srv.URL, first); got != http.StatusNotModified {
			t.Errorf("If-Modified-Since its own Last-Modified: %d, want 304", got)
		}
		if got := ifModifiedSince(f.srv.URL, first.Add(-time.Second)); got != http.StatusOK {
			t.Errorf("If-Modified-Since a second before: %d, want 200", got)
		}
		// A second instance on the same database gives the same date for the same feed.
		other := httptest.NewServer(web.NewServer(web.Config{DB: db}))
		defer other.Close()
		if lm, _ := lastModified(other.URL); !lm.Equal(first) {
			t.Errorf("another instance: Last-Modified %v, want %v", lm, first)
		}

		// Rejecting the newest item takes it off the feed: the feed is newer, not older.
		newest := f.items[len(f.items)-1]
		if err := db.SetLinkState(ctx, f.public.ID, newest, docket.StateRejected); err != nil {
			t.Fatal(err)
		}
		if got := ifModifiedSince(f.srv.URL, first); got != http.StatusOK {
			t.Errorf("after the newest item was rejected, If-Modified-Since the old date: %d, want 200", got)
		}
		second, _ := lastModified(other.URL)
		if !second.After(first) {
			t.Errorf("after a change Last-Modified %v, want it after %v", second, first)
		}
		// Undoing it brings back the first bytes, but not the first date: a client holding
		// the changed feed must not get 304 for the old one.
		if err := db.SetLinkState(ctx, f.public.ID, newest, docket.StateSuggested); err != nil {
			t.Fatal(err)
		}
		third, _ := lastModified(f.srv.URL)
		if !third.After(second) {
			t.Errorf("after undoing, Last-Modified %v, want it after %v", third, second)
		}
		if got := ifModifiedSince(f.srv.URL, second); got != http.StatusOK {
			t.Errorf("If-Modified-Since the changed feed's date after undoing: %d, want 200", got)
		}
		// If-None-Match wins over If-Modified-Since.
		if got := ifModifiedSince(f.srv.URL, third, "If-None-Match", `"another-version"`); got != http.StatusOK {
			t.Errorf("a stale ETag with a current date: %d, want 200", got)
		}
		// The topic page has no Last-Modified, so a date alone never makes it 304.
		resp, _ := f.get(t, "/topics/syria", "If-Modified-Since", time.Now().Add(24*time.Hour).UTC().Format(http.TimeFormat))
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Last-Modified") != "" {
			t.Errorf("topic page with a future If-Modified-Since: %d, Last-Modified %q, want 200 and none", resp.StatusCode, resp.Header.Get("Last-Modified"))
		}
	})
}
