package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/parliament"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// parliamentAPI answers like the Parliament APIs, from the parliament package's recordings of
// their answers for member 4821 (every list on one page), and returns a client pointed at it.
func parliamentAPI(t *testing.T) *parliament.Client {
	t.Helper()
	files := map[string]string{
		"/search/contributions/Spoken.json":       "hansard_spoken.json",
		"/search/contributions/Written.json":      "hansard_written.json",
		"/api/writtenquestions/questions":         "questions.json",
		"/api/writtenquestions/questions/1700002": "question_1700002.json",
		"/api/writtenstatements/statements":       "statements.json",
		"/EarlyDayMotions/list":                   "edms.json",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join("..", "parliament", "testdata", name))
		if err != nil {
			t.Errorf("fixture: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	cfg := parliament.DefaultConfig()
	cfg.HansardBase, cfg.QuestionsBase, cfg.MotionsBase, cfg.MembersBase = srv.URL, srv.URL, srv.URL, srv.URL
	cfg.MinInterval = 0
	c, err := parliament.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ingestMemberRecord adds Ms Hannah Wren (Parliament id 4821) and her record in Parliament as
// a source, ingests it, and returns the member and her statements' ids by external id.
func ingestMemberRecord(t *testing.T, db *store.DB) (*docket.Member, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	ext := "4821"
	m := &docket.Member{Name: "Ms Hannah Wren", Constituency: "Eastbridge and Marlow Vale", Party: "Labour", ExternalID: &ext}
	if err := db.CreateMember(ctx, m); err != nil {
		t.Fatal(err)
	}
	src := &docket.Source{URL: ingest.ParliamentSourceURL(4821), Kind: docket.KindParliament, MemberID: &m.ID}
	if err := db.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	tm := &ingest.TopicMatchers{DB: db}
	g := &ingest.Ingester{DB: db, Matcher: tm.Current, Parliament: parliamentAPI(t)}
	sum, err := g.Once(ctx, []docket.Source{*src}, nil)
	if err != nil || sum.StatementsNew != 11 {
		t.Fatalf("ingest: %+v, %v; want 11 statements", sum, err)
	}
	var rows []struct {
		ID  int64  `db:"id"`
		Ext string `db:"external_id"`
	}
	if err := db.R.Select(&rows, `SELECT id, external_id FROM statements WHERE external_id IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, r := range rows {
		ids[r.Ext] = r.ID
	}
	return m, ids
}

// statementEntry is a statement as a timeline shows it.
type statementEntry struct {
	title, kind, href, day string
	itemsBefore            int // items above it on its day
}

func statementEntries(doc *goquery.Document) map[string]statementEntry {
	out := map[string]statementEntry{}
	doc.Find(`[data-testid=timeline] section.day`).Each(func(_ int, day *goquery.Selection) {
		date, _ := day.Find(`.day-head time`).Attr("datetime")
		items := 0
		day.Find(`ol.entries > li`).Each(func(_ int, li *goquery.Selection) {
			if li.Is(`[data-testid=statement-entry]`) {
				a := li.Find(`.entry-title a`)
				href, _ := a.Attr("href")
				e := statementEntry{title: strings.TrimSpace(a.Text()), kind: strings.TrimSpace(li.Find(`[data-testid=statement-kind]`).Text()),
					href: href, day: date, itemsBefore: items}
				out[e.title] = e
				return
			}
			items++
		})
	})
	return out
}

// TestMemberRecordOnTimelines ingests a member's record in Parliament and finds the
// contributions on the public and office timelines of the topic their text matches, on their
// day among the news items, with their kind, each linked to its statement page.
func TestMemberRecordOnTimelines(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 30) // news items from 13 Dec 2016 09:00, hourly
		_, ids := ingestMemberRecord(t, db)
		users := addUsers(t, db)
		researcher := signedIn(t, f, users[docket.RoleResearcher])

		want := map[string]statementEntry{
			"Syria: Humanitarian Aid":    {kind: "Written question", href: fmt.Sprint("/statements/", ids["wq:1700003"]), day: "2016-12-14", itemsBefore: 14},
			"Humanitarian Aid: Syria":    {kind: "Article", href: fmt.Sprint("/statements/", ids["ws:1600123"]), day: "2016-12-15"},
			"Syria: Humanitarian Access": {kind: "Speech", href: fmt.Sprint("/statements/", ids["hansard:C1B2A3D4-0003-4E5F-9A8B-7C6D5E4F3A21"]), day: "2016-12-07"},
			"Syria: Russia":              {kind: "Written question", href: fmt.Sprint("/statements/", ids["wq:1700002"]), day: "2016-12-05"},
		}
		for _, page := range []struct {
			name string
			doc  func() *goquery.Document
		}{
			{"public", func() *goquery.Document { return f.doc(t, "/topics/syria", http.StatusOK) }},
			{"office", func() *goquery.Document {
				_, body := researcher.do("GET", "/office/topics/syria", nil)
				return parseHTML(t, body)
			}},
		} {
			t.Run(page.name, func(t *testing.T) {
				doc := page.doc()
				got := statementEntries(doc)
				for title, w := range want {
					g, ok := got[title]
					if !ok {
						t.Errorf("%q is not on the timeline; statements there: %v", title, got)
						continue
					}
					if g.kind != w.kind || g.href != w.href || g.day != w.day || g.itemsBefore != w.itemsBefore {
						t.Errorf("%q: got kind %q, link %s, day %s after %d items; want %q, %s, %s after %d",
							title, g.kind, g.href, g.day, g.itemsBefore, w.kind, w.href, w.day, w.itemsBefore)
					}
				}
				if _, ok := got["Eastbridge Rail Services"]; ok {
					t.Error("a speech that does not match the topic's rule is on its timeline")
				}
				if n := doc.Find(`[data-testid=entry]`).Length(); n != 30 {
					t.Errorf("got %d news items, want the 30 still there", n)
				}
				// A date without a time of day shows no "00:00".
				li := doc.Find(fmt.Sprintf(`#statement-%d`, ids["wq:1700003"]))
				if li.Find(`time`).Length() != 0 {
					t.Errorf("the written question shows a time of day: %q", li.Find(`.entry-meta`).Text())
				}
				if src := li.Find(`.source`).Text(); !strings.Contains(src, "Ms Hannah Wren") {
					t.Errorf("got member %q, want Ms Hannah Wren", src)
				}
			})
		}

		doc := f.doc(t, want["Syria: Russia"].href, http.StatusOK)
		body := doc.Find(`.statement-body`).Text()
		if !strings.Contains(body, "protection of civilians in Aleppo.") || !strings.Contains(body, ingest.AnswerHeading) ||
			!strings.Contains(body, "The Foreign Secretary raised the protection of civilians") {
			t.Errorf("statement page body %q, want the question in full and the answer under its heading", body)
		}
		if by := doc.Find(`.summary-list`).Text(); !strings.Contains(by, "Ms Hannah Wren") || !strings.Contains(by, "questions-statements.parliament.uk") {
			t.Errorf("statement page facts %q, want the member and the original on Parliament's site", by)
		}
	})
}

// TestEditorListsEarlierStatements opens drafts and an ingested statement in the office:
// beside each, the member's earlier public statements on its topics, newest first, itself
// left out; another member's draft lists only that member's.
func TestEditorListsEarlierStatements(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 0)
		m, ids := ingestMemberRecord(t, db)
		users := addUsers(t, db)
		ed := signedIn(t, f, users[docket.RoleEditor])

		create := func(form url.Values) string {
			t.Helper()
			resp, _ := ed.do("POST", "/office/statements", form)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("create draft: %d", resp.StatusCode)
			}
			return strings.Split(resp.Header.Get("Location"), "?")[0]
		}
		onSyria := create(url.Values{"title": {"Aid to Syria"}, "kind": {"press_release"}, "member": {fmt.Sprint(m.ID)},
			"topics": {fmt.Sprint(f.public.ID)}, "body": {"Aid must reach the families of Aleppo."}})
		noTopic := create(url.Values{"title": {"Untitled thoughts"}, "kind": {"press_release"}, "member": {fmt.Sprint(m.ID)}, "body": {"Later."}})
		noMember := create(url.Values{"title": {"Nobody's"}, "kind": {"press_release"}, "topics": {fmt.Sprint(f.public.ID)}, "body": {"Later."}})

		office := func(id int64) string { return fmt.Sprint("/office/statements/", id) }
		all := []string{"Humanitarian Aid: Syria", "Syria: Humanitarian Aid", "Protection of medical workers in Syria",
			"Syria: Humanitarian Access", "Syria: Russia", "Refugees: Syria"}
		for _, tc := range []struct {
			name, path string
			want       []string // titles, newest first; nil for no list
			hint       string
		}{
			{name: "a draft lists everything the member said on its topics", path: onSyria, want: all},
			{name: "a published statement lists what came before it", path: office(ids["wq:1700003"]), want: all[2:]},
			{name: "a draft without a topic asks for one", path: noTopic, hint: "File the statement under a topic"},
			{name: "another member's draft lists theirs", path: office(f.draft.ID), want: []string{"On Aleppo"}},
			{name: "a draft without a member lists nothing", path: noMember},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp, body := ed.do("GET", tc.path, nil)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d", tc.path, resp.StatusCode)
				}
				doc := parseHTML(t, body)
				sec := doc.Find(`.editor-evidence [data-testid=earlier]`)
				if tc.want == nil && tc.hint == "" {
					if sec.Length() != 0 {
						t.Errorf("got an earlier statements list %q, want none", sec.Text())
					}
					return
				}
				if sec.Length() != 1 {
					t.Fatalf("no earlier statements beside the draft")
				}
				if tc.hint != "" && !strings.Contains(sec.Text(), tc.hint) {
					t.Errorf("got %q, want the hint %q", sec.Text(), tc.hint)
				}
				var titles []string
				sec.Find(`[data-testid=earlier-statement]`).Each(func(_ int, li *goquery.Selection) {
					titles = append(titles, strings.TrimSpace(li.Find(`a`).First().Text()))
				})
				if !slices.Equal(titles, tc.want) {
					t.Errorf("got %q, want %q", titles, tc.want)
				}
			})
		}

		t.Run("each links to its statement, with its kind and the original", func(t *testing.T) {
			_, body := ed.do("GET", onSyria, nil)
			li := parseHTML(t, body).Find(`[data-testid=earlier-statement]`).Eq(1)
			href, _ := li.Find(`a`).First().Attr("href")
			orig, _ := li.Find(`a[rel~=nofollow]`).Attr("href")
			if href != office(ids["wq:1700003"]) || li.Find(`[data-testid=earlier-kind]`).Text() != "Written question" ||
				!strings.HasPrefix(orig, "https://questions-statements.parliament.uk/written-questions/detail/2016-12-14/") {
				t.Errorf("got link %s, kind %q, original %s", href, li.Find(`[data-testid=earlier-kind]`).Text(), orig)
			}
		})
	})
}
