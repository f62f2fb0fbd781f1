package ingest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// mpFeed is an MP's website feed: a press release with the site's furniture and the MP's
// signature in its text, a blog post, and a local story.
func mpFeed(pressRelease string) string {
	return rss(
		rssItem("news/aleppo-evacuation", "Hannah Wren calls for UN monitors in Aleppo",
			"&lt;p&gt;"+pressRelease+"&lt;/p&gt;&lt;p&gt;Do you like this post?&lt;/p&gt;&lt;p&gt;Hannah Wren&lt;br&gt;MP for Eastbridge and Marlow Vale&lt;/p&gt;",
			"Wed, 14 Dec 2016 09:30:00 GMT"),
		rssItem("blog/idlib-families", "Why I keep asking about Idlib",
			"&lt;p&gt;Families in Idlib have waited three weeks for aid convoys.&lt;/p&gt;", "Thu, 08 Dec 2016 18:00:00 GMT"),
		rssItem("news/lifeboat", "Eastbridge lifeboat crew honoured",
			"&lt;p&gt;The crew of the Eastbridge lifeboat were honoured at Westminster.&lt;/p&gt;", "Wed, 19 Oct 2016 12:00:00 GMT"),
	)
}

// TestMPFeedBecomesStatements ingests an MP's website feed: its items are kept but left off
// the topics, and each becomes a published statement of the member on the topics it matches,
// its body without the title, the furniture or the signature; a changed post is a new revision.
func TestMPFeedBecomesStatements(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		body := mpFeed("I have asked the Foreign Secretary to press for UN monitors on the Aleppo evacuation corridors.")
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, body)
		}))
		t.Cleanup(srv.Close)

		s := newParlSetup(t, db)
		mp := &docket.Source{URL: srv.URL + "/feed", Kind: docket.KindMP, MemberID: &s.member.ID}
		if err := db.CreateSource(ctx, mp); err != nil {
			t.Fatal(err)
		}
		ingestMP := func() ingest.Summary {
			t.Helper()
			g := newIngester(db)
			sum, err := g.Once(ctx, []docket.Source{*must(db.SourceByID(ctx, mp.ID))}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return sum
		}
		if sum := ingestMP(); sum != (ingest.Summary{Sources: 1, Fetched: 1, New: 3, StatementsNew: 3}) {
			t.Fatalf("first fetch: got %+v", sum)
		}
		if src := must(db.SourceByID(ctx, mp.ID)); src.ItemCount != 3 {
			t.Errorf("got %d items stored, want 3", src.ItemCount)
		}
		var links int
		if err := db.R.Get(&links, `SELECT count(*) FROM item_topics`); err != nil {
			t.Fatal(err)
		}
		if links != 0 {
			t.Errorf("got %d topic links for the MP's items, want none: they show as statements", links)
		}

		got := statementsByExternalID(t, db)
		prefix := "source:" + itoa(mp.ID) + ":"
		for _, tc := range []struct {
			guid, kind, title, date string
			topics                  []string
			body                    string
		}{
			{guid: "news/aleppo-evacuation", kind: docket.KindPressRelease, title: "Hannah Wren calls for UN monitors in Aleppo", date: "2016-12-14T09:30:00Z",
				topics: []string{"syria"}, body: "I have asked the Foreign Secretary to press for UN monitors on the Aleppo evacuation corridors."},
			{guid: "blog/idlib-families", kind: docket.KindArticle, title: "Why I keep asking about Idlib", date: "2016-12-08T18:00:00Z",
				topics: []string{"syria"}, body: "Families in Idlib have waited three weeks for aid convoys."},
			{guid: "news/lifeboat", kind: docket.KindPressRelease, title: "Eastbridge lifeboat crew honoured", date: "2016-10-19T12:00:00Z",
				topics: []string{"eastbridge"}, body: "The crew of the Eastbridge lifeboat were honoured at Westminster."},
		} {
			t.Run(tc.guid, func(t *testing.T) {
				st, ok := got[prefix+tc.guid]
				if !ok {
					keys := make([]string, 0, len(got))
					for k := range got {
						keys = append(keys, k)
					}
					t.Fatalf("no statement %s; have %q", prefix+tc.guid, keys)
				}
				want, _ := time.Parse(time.RFC3339, tc.date)
				if st.Kind != tc.kind || st.Title != tc.title || st.Body != tc.body || !slices.Equal(st.Topics, tc.topics) ||
					st.PublishedAt == nil || !st.PublishedAt.Equal(want) {
					t.Errorf("got kind %s, title %q, body %q, topics %v, published %v\nwant %s, %q, %q, %v, %v",
						st.Kind, st.Title, st.Body, st.Topics, st.PublishedAt, tc.kind, tc.title, tc.body, tc.topics, want)
				}
				if st.Status != docket.StatusPublished || st.Origin != docket.OriginIngested || st.MemberID == nil || *st.MemberID != s.member.ID {
					t.Errorf("got status %s, origin %s, member %v; want published, ingested, %d", st.Status, st.Origin, st.MemberID, s.member.ID)
				}
				if st.SourceURL != "https://example.org/"+tc.guid {
					t.Errorf("got source url %q, want the post's address", st.SourceURL)
				}
			})
		}

		// A re-match after a rule change must not file the MP's items under topics either.
		err := db.Update(ctx, func(tx *store.Tx) error {
			items, err := tx.ItemsAfter(ctx, 0, 100)
			if len(items) != 0 {
				t.Errorf("the re-match reads %d of the MP's items, want none", len(items))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("a changed post is a new revision", func(t *testing.T) {
			mu.Lock()
			body = mpFeed("I have asked the Foreign Secretary to press for UN monitors on the Aleppo and Idlib corridors.")
			mu.Unlock()
			sum := ingestMP()
			if sum.Updated != 1 || sum.StatementsUpdated != 1 || sum.StatementsNew != 0 {
				t.Errorf("got %+v, want one item and one statement updated", sum)
			}
			st := statementsByExternalID(t, db)[prefix+"news/aleppo-evacuation"]
			if st.Revision != 2 || !strings.Contains(st.Body, "Aleppo and Idlib corridors") {
				t.Errorf("got revision %d, body %q; want revision 2 with the new text", st.Revision, st.Body)
			}
		})
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
