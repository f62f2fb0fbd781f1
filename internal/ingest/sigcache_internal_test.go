package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestSignaturesKeptOnlyWhenCommitted: a new item's story signature is kept for the next
// fetches' clustering only once the transaction that stored it has committed. SQLite gives a
// rolled-back item's id to the next item stored, so a signature kept before the commit would
// stand, after a rollback, for another item.
func TestSignaturesKeptOnlyWhenCommitted(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		feed := func(guid, title string) string {
			return fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><guid>%s</guid><title>%s</title>`+
				`<link>https://example.org/%s</link><description>%s</description><pubDate>Thu, 22 Dec 2016 10:00:00 GMT</pubDate></item></channel></rss>`,
				guid, title, guid, title)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/a" {
				io.WriteString(w, feed("a1", "Evacuation of eastern Aleppo completed, Red Cross says"))
				return
			}
			io.WriteString(w, feed("b1", "Red Cross says evacuation of eastern Aleppo is complete"))
		}))
		defer srv.Close()
		if err := db.CreateTopic(ctx, &docket.Topic{Slug: "syria", Title: "Syria", Visibility: docket.Public, Rule: "Aleppo"}); err != nil {
			t.Fatal(err)
		}
		tm := &TopicMatchers{DB: db}
		g := &Ingester{DB: db, Client: NewClient(ClientOptions{AllowPrivate: true}), Matcher: tm.Current}
		a := &docket.Source{URL: srv.URL + "/a", Kind: docket.KindNews}
		b := &docket.Source{URL: srv.URL + "/b", Kind: docket.KindUN}
		for _, s := range []*docket.Source{a, b} {
			if err := db.CreateSource(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := g.StoreOne(ctx, g.Fetch(ctx, *a)); err != nil {
			t.Fatal(err)
		}
		m, err := g.CurrentMatcher(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// b's item is stored, clustered with a's, and rolled back.
		var lost Outcome
		errRollback := errors.New("roll back")
		err = db.Update(ctx, func(tx *store.Tx) error {
			o, err := g.Store(ctx, tx, g.Fetch(ctx, *b), m)
			if err != nil {
				return err
			}
			lost = o
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("got %v, want the rollback", err)
		}
		if lost.New != 1 || len(lost.sigs) != 1 {
			t.Fatalf("the rolled-back store: %d new, %d signatures; want one of each (it was clustered)", lost.New, len(lost.sigs))
		}
		g.sigMu.Lock()
		for id := range lost.sigs {
			if _, ok := g.sigs[id]; ok {
				t.Errorf("the signature of item %d, rolled back, is kept", id)
			}
		}
		g.sigMu.Unlock()

		o, err := g.StoreOne(ctx, g.Fetch(ctx, *b))
		if err != nil {
			t.Fatal(err)
		}
		g.sigMu.Lock()
		defer g.sigMu.Unlock()
		for id := range o.sigs {
			if _, ok := g.sigs[id]; !ok {
				t.Errorf("the signature of item %d, committed, is not kept", id)
			}
		}
	})
}
