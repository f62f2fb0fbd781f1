package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestOfficeHomeTellsBlindFromQuiet: when every source that fed a topic fails, the office
// home says the topic is blind, not quiet.
func TestOfficeHomeTellsBlindFromQuiet(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 3)
	users := addUsers(t, db)
	b := newBrowser(t, f.srv.URL)
	b.signIn(users[docket.RoleResearcher].Email, testPassword)

	watchOf := func() string {
		resp, body := b.do("GET", "/office", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("office home: %d", resp.StatusCode)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		var got string
		doc.Find(`[data-testid=office-topics] tr`).Each(func(_ int, tr *goquery.Selection) {
			if strings.Contains(tr.Find("td").First().Text(), "Syria") {
				got, _ = tr.Find(`[data-testid=watch]`).Attr("data-watch")
			}
		})
		return got
	}
	// The fixture's items date from 2016: its sources work, but nothing is new.
	if got := watchOf(); got != "quiet" {
		t.Fatalf("with working sources and old items: %q, want quiet", got)
	}
	ctx := context.Background()
	for _, u := range []string{"https://news.example.org/feed", "https://un.example.org/feed"} {
		src, err := db.SourceByURL(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.RecordFetch(ctx, src.ID, store.FetchOutcome{Status: 503, Err: "HTTP 503 Service Unavailable", NextFetchAt: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := watchOf(); got != "blind" {
		t.Fatalf("with every source failing: %q, want blind", got)
	}
}
