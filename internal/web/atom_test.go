package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestAtomFeedParsesBack reads a topic's Atom feed back with gofeed: a valid feed with ids,
// updated times, links and authors, carrying the published statement and the items.
func TestAtomFeedParsesBack(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite(t), 5)
	resp, body := f.get(t, "/topics/syria/feed.atom")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	feed, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("gofeed cannot parse the feed: %v\n%s", err, body)
	}
	if feed.FeedType != "atom" || feed.FeedVersion != "1.0" {
		t.Errorf("feed type %s %s, want atom 1.0", feed.FeedType, feed.FeedVersion)
	}
	if feed.Title != "Syria – Docket" || feed.UpdatedParsed == nil || feed.Link != f.srv.URL+"/topics/syria" {
		t.Errorf("feed title %q, updated %v, link %q", feed.Title, feed.UpdatedParsed, feed.Link)
	}
	if len(feed.Items) != 6 {
		t.Fatalf("%d entries, want 5 items and 1 statement", len(feed.Items))
	}
	ids := map[string]bool{}
	for _, it := range feed.Items {
		if it.GUID == "" || ids[it.GUID] {
			t.Errorf("entry %q: id %q missing or repeated", it.Title, it.GUID)
		}
		ids[it.GUID] = true
		if it.UpdatedParsed == nil || it.Link == "" || len(it.Authors) == 0 || it.Authors[0].Name == "" {
			t.Errorf("entry %q lacks updated, link or author: %+v", it.Title, it)
		}
	}
	if first := feed.Items[0]; first.Title != "On Aleppo" || first.Link != fmt.Sprintf("%s/statements/%d", f.srv.URL, f.published.ID) {
		t.Errorf("newest entry %q %q, want the statement", first.Title, first.Link)
	}
	if resp, _ := f.get(t, "/topics/office-only/feed.atom"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a private topic's feed: status %d, want 404", resp.StatusCode)
	}
}

// TestETags checks that public pages carry an ETag made from their content and answer 304
// when the reader has the same version, and a new tag when the content changes.
func TestETags(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite(t), 3)
	for _, path := range []string{"/", "/topics/syria", "/topics/syria/feed.atom", "/api/v1/topics/syria/timeline", fmt.Sprintf("/statements/%d", f.published.ID)} {
		resp, _ := f.get(t, path)
		tag := resp.Header.Get("ETag")
		if tag == "" {
			t.Fatalf("%s: no ETag", path)
		}
		again, body := f.get(t, path, "If-None-Match", tag)
		if again.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("%s with its own ETag: %d and %d bytes, want an empty 304", path, again.StatusCode, len(body))
		}
		if other, _ := f.get(t, path, "If-None-Match", `"something-else"`); other.StatusCode != http.StatusOK {
			t.Errorf("%s with another ETag: %d, want 200", path, other.StatusCode)
		}
	}
	resp, _ := f.get(t, "/topics/syria")
	before := resp.Header.Get("ETag")
	newFixtureItem(t, f, "A new report on Syria")
	after, _ := f.get(t, "/topics/syria", "If-None-Match", before)
	if after.StatusCode != http.StatusOK || after.Header.Get("ETag") == before {
		t.Errorf("after a new item: %d with tag %q, want 200 and a new tag", after.StatusCode, after.Header.Get("ETag"))
	}
}
