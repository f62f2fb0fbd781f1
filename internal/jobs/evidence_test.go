package jobs_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

const newsFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><guid>n1</guid><title>Aleppo evacuation corridors open</title><link>https://news.example/n1</link>
<description>Buses crossed the evacuation corridors out of eastern Aleppo under monitors.</description>
<pubDate>Thu, 22 Dec 2016 10:00:00 GMT</pubDate></item>
</channel></rss>`

const mpSiteFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Hannah Wren MP</title>
<item><guid>p1</guid><title>UN monitors for Aleppo</title><link>https://mp.example/news/p1</link>
<description>The evacuation corridors of eastern Aleppo need monitors from the UN.</description>
<pubDate>Fri, 23 Dec 2016 09:00:00 GMT</pubDate></item>
</channel></rss>`

// TestFetchEnqueuesEvidence fetches an MP's site with the fetch worker: the statement it
// ingests gets its evidence job in the same transaction, and that job suggests the news item
// already on the topic.
func TestFetchEnqueuesEvidence(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := jobs.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/mp" {
				io.WriteString(w, mpSiteFeed)
				return
			}
			io.WriteString(w, newsFeed)
		}))
		defer srv.Close()
		topic := &docket.Topic{Slug: "syria", Title: "Syria", Visibility: docket.Public, Rule: "Aleppo"}
		if err := db.CreateTopic(ctx, topic); err != nil {
			t.Fatal(err)
		}
		tm := &ingest.TopicMatchers{DB: db}
		ing := &ingest.Ingester{DB: db, Client: ingest.NewClient(ingest.ClientOptions{AllowPrivate: true}), Matcher: tm.Current}
		news := &docket.Source{URL: srv.URL + "/news", Kind: docket.KindNews}
		if err := db.CreateSource(ctx, news); err != nil {
			t.Fatal(err)
		}
		// The news is stored first, so there is evidence to find.
		if _, err := ing.Once(ctx, []docket.Source{*news}, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.SetSourceDisabled(ctx, news.ID, true, nil); err != nil {
			t.Fatal(err)
		}
		member := &docket.Member{Name: "Hannah Wren"}
		if err := db.CreateMember(ctx, member); err != nil {
			t.Fatal(err)
		}
		mp := &docket.Source{URL: srv.URL + "/mp", Kind: docket.KindMP, MemberID: &member.ID}
		if err := db.CreateSource(ctx, mp); err != nil {
			t.Fatal(err)
		}

		r, err := jobs.New(db, ing, jobs.Config{Work: true, SweepEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		waitFor := start(t, r)
		waitFor((jobs.RefreshEvidenceArgs{}).Kind())
		rows, err := db.ListStatements(ctx, store.StatementFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 {
			t.Fatalf("got %d statements, want the MP's post", len(rows))
		}
		ev, err := db.StatementEvidence(ctx, rows[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) == 0 || ev[0].ItemTitle != "Aleppo evacuation corridors open" || ev[0].State != docket.StateSuggested {
			t.Errorf("got evidence %+v, want the news item suggested", ev)
		}
	})
}
