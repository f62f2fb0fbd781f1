package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestTopicPageCitesTheLatestStatement: the topic page shows the MP's latest statement in
// full, each cited sentence marked with the numbers of its sources, listed below it and
// linked from the marks; the earlier statements are folded away, each counting its sources.
func TestTopicPageCitesTheLatestStatement(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 3)
		ctx := context.Background()
		convoy := addUNItem(t, f, "UN convoy reaches Aleppo", "https://un.example.org/convoy")
		council := addUNItem(t, f, "Security Council meets on Aleppo", "https://un.example.org/council")
		body := "The first convoy reached Aleppo.\n\nThe Security Council met on Aleppo. Nothing is cited here."
		pub := t0.Add(96 * time.Hour)
		latest := &docket.Statement{Title: "Aleppo today", Body: body, Kind: docket.KindPressRelease, Status: docket.StatusPublished, PublishedAt: &pub}
		if err := db.CreateStatement(ctx, latest, []int64{f.public.ID}, nil, ""); err != nil {
			t.Fatal(err)
		}
		// Both statements were created published: their citations are seeded, as an import's
		// or the demo's are (a published version's evidence cannot change).
		var cites []store.EvidenceChange
		for _, e := range []struct {
			sentence string
			item     int64
		}{{"The first convoy reached Aleppo.", convoy}, {"The Security Council met on Aleppo.", council}, {"The Security Council met on Aleppo.", convoy}} {
			cites = append(cites, store.EvidenceChange{SentenceText: e.sentence, SentenceHash: statements.Hash(e.sentence), ItemID: e.item, Manual: true})
		}
		if err := db.SeedCitations(ctx, latest.ID, cites); err != nil {
			t.Fatal(err)
		}
		// The earlier statement cites one item.
		early := "First paragraph."
		if err := db.SeedCitations(ctx, f.published.ID, []store.EvidenceChange{{SentenceText: early, SentenceHash: statements.Hash(early),
			ItemID: council, Manual: true}}); err != nil {
			t.Fatal(err)
		}

		doc := f.doc(t, "/topics/syria", http.StatusOK)
		lead := doc.Find(`[data-testid=statements] [data-testid=lead-statement]`)
		if got := text(lead.Find("h3")); got != "Aleppo today" {
			t.Fatalf("lead statement %q, want the latest, Aleppo today", got)
		}
		paras := lead.Find(".statement-body p")
		if paras.Length() != 2 {
			t.Fatalf("%d paragraphs, want 2", paras.Length())
		}
		if got := text(paras.Eq(0)); got != "The first convoy reached Aleppo. [1]" {
			t.Errorf("first paragraph %q, want its sentence marked [1]", got)
		}
		if got := text(paras.Eq(1)); got != "The Security Council met on Aleppo. [1][2] Nothing is cited here." {
			t.Errorf("second paragraph %q, want its cited sentence marked [1][2]", got)
		}
		sources := lead.Find(`[data-testid=lead-citations] li`)
		if sources.Length() != 2 {
			t.Fatalf("%d sources listed, want 2", sources.Length())
		}
		for i, want := range []struct{ title, href string }{{"UN convoy reaches Aleppo", "https://un.example.org/convoy"}, {"Security Council meets on Aleppo", "https://un.example.org/council"}} {
			a := sources.Eq(i).Find("a")
			if href, _ := a.Attr("href"); text(a) != want.title || href != want.href {
				t.Errorf("source %d: %q → %q, want %q → %q", i+1, text(a), href, want.title, want.href)
			}
		}
		// Every mark leads to its source in the list on this page.
		lead.Find("sup.cite a").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			n := strings.Trim(text(a), "[]")
			target := lead.Find(`li[id="` + strings.TrimPrefix(href, "#") + `"]`)
			if target.Length() != 1 || strconv.Itoa(target.Index()+1) != n {
				t.Errorf("mark [%s] links to %q, not to source %s", n, href, n)
			}
		})
		if got := text(lead.Find(`[data-testid=sources-count]`)); got != "2 cited sources" {
			t.Errorf("lead source count %q, want 2 cited sources", got)
		}
		earlier := doc.Find(`[data-testid=earlier-statements]`)
		if _, open := earlier.Attr("open"); earlier.Length() != 1 || open {
			t.Fatalf("earlier statements: %d folds (open %v), want one, closed", earlier.Length(), open)
		}
		if got := text(earlier.Find("summary")); got != "1 earlier statement" {
			t.Errorf("fold summary %q", got)
		}
		if got := text(earlier.Find("h3")); got != "On Aleppo" {
			t.Errorf("earlier statement %q, want On Aleppo", got)
		}
		if got := text(earlier.Find(`[data-testid=sources-count]`)); got != "1 cited source" {
			t.Errorf("earlier statement's count %q, want 1 cited source", got)
		}
	})
}
