package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
	"github.com/docket-dev/docket/views"
)

// page gets an office page as b and parses it, failing unless the status is want.
func page(t *testing.T, b *browser, path string, want int) *goquery.Document {
	t.Helper()
	resp, body := b.do("GET", path, nil)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d: %.300s", path, resp.StatusCode, want, body)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// failSource records a failed fetch of the source at u, n times.
func failSource(t *testing.T, db *store.DB, u string, n int) {
	t.Helper()
	ctx := context.Background()
	src, err := db.SourceByURL(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		err = db.Update(ctx, func(tx *store.Tx) error {
			return tx.RecordFetch(ctx, src.ID, store.FetchOutcome{Status: 503, Err: "HTTP 503 Service Unavailable", NextFetchAt: time.Now().Add(time.Hour)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// addUNItem puts an item from the fixture's UN source on the public topic, published after
// the fixture's statement, so the statement is stale; it returns the item's id.
func addUNItem(t *testing.T, f *fixture, title, link string) int64 {
	t.Helper()
	ctx := context.Background()
	src, err := f.db.SourceByURL(ctx, "https://un.example.org/feed")
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	err = f.db.Update(ctx, func(tx *store.Tx) error {
		it := docket.Item{GUID: title, URL: link, Title: title, Text: title, PublishedAt: t0.Add(72 * time.Hour), ContentHash: title}
		res, err := tx.SaveItems(ctx, src.ID, []docket.Item{it})
		if err != nil {
			return err
		}
		id = res.New[0]
		return tx.LinkRuleMatches(ctx, id, it.PublishedAt, []store.TopicMatch{{TopicID: f.public.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestOfficeHome: the dashboard shows the failing-sources banner, the publish-status board's
// counts and the statements overtaken by events.
func TestOfficeHome(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 3)
		users := addUsers(t, db)
		b := signedIn(t, f, users[docket.RoleResearcher])

		doc := page(t, b, "/office", http.StatusOK)
		if n := doc.Find(`[data-testid=failing-sources]`).Length(); n != 0 {
			t.Errorf("with every source working, %d failing-sources banners", n)
		}
		if n := doc.Find(`[data-testid=home-stale]`).Length(); n != 0 {
			t.Errorf("with nothing new since the statement, a stale section")
		}

		failSource(t, db, "https://news.example.org/feed", 1)
		if _, err := db.Transition(context.Background(), f.draft.ID, docket.ActSubmit, store.SeenOf(f.draft), users[docket.RoleEditor], ""); err != nil {
			t.Fatal(err)
		}
		addUNItem(t, f, "Security Council meets on Syria", "https://un.example.org/sc")
		addUNItem(t, f, "UN convoy reaches Syria's north", "https://un.example.org/convoy")

		doc = page(t, b, "/office", http.StatusOK)
		banner := doc.Find(`[data-testid=failing-sources]`)
		if got := text(banner); !strings.Contains(got, "1 of 2 sources are failing") {
			t.Errorf("banner %q, want 1 of 2 sources failing", got)
		}
		if href, _ := banner.Find("a").Attr("href"); href != "/office/sources" {
			t.Errorf("the banner links to %q, want the sources page", href)
		}
		counts := map[string]string{}
		for _, st := range docket.Statuses {
			counts[st] = text(doc.Find(`[data-testid=count-` + st + `]`))
		}
		want := map[string]string{"draft": "0", "in_review": "1", "approved": "0", "published": "1", "withdrawn": "0"}
		for st, w := range want {
			if counts[st] != w {
				t.Errorf("board count of %s: %q, want %q (all: %v)", st, counts[st], w, counts)
			}
		}
		stale := doc.Find(`[data-testid=home-stale] li`)
		if stale.Length() != 1 || !strings.Contains(text(stale), "On Aleppo") || !strings.Contains(text(stale), "2 new items") {
			t.Errorf("stale section %q, want On Aleppo with 2 new items", text(stale))
		}
		if href, _ := stale.Find("a").Attr("href"); href != fmt.Sprintf("/office/statements/%d", f.published.ID) {
			t.Errorf("the stale statement links to %q", href)
		}
	})
}

// TestOfficeEmptyStates: a new office says there is nothing yet, rather than showing empty
// tables.
func TestOfficeEmptyStates(t *testing.T) {
	db := storetest.OpenSQLite(t)
	users := addUsers(t, db)
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db}))
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	b.signIn(users[docket.RoleAdmin].Email, testPassword)
	cases := []struct {
		path, want string
		absent     string
	}{
		{"/office", "No topics yet.", "[data-testid=failing-sources], [data-testid=home-stale], [data-testid=office-topics]"},
		{"/office/sources", "No sources yet.", "[data-testid=sources]"},
		{"/office/topics", "No topics yet.", "table"},
		{"/office/members", "No members yet.", "table"},
		{"/office/statements", "None: no published statement has been overtaken by events.", ""},
		{"/", "No public topics yet.", "[data-testid=topics]"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			doc := page(t, b, c.path, http.StatusOK)
			if got := text(doc.Find(".empty")); !strings.Contains(got, c.want) {
				t.Errorf("empty state %q, want %q", got, c.want)
			}
			if c.absent != "" && doc.Find(c.absent).Length() != 0 {
				t.Errorf("an empty office shows %s", c.absent)
			}
		})
	}
	doc := page(t, b, "/office", http.StatusOK)
	for _, st := range docket.Statuses {
		if got := text(doc.Find(`[data-testid=count-` + st + `]`)); got != "0" {
			t.Errorf("board count of %s: %q, want 0", st, got)
		}
	}
}

// jobs records the fetches the office asks for.
type fetchLog struct {
	mu  sync.Mutex
	ids []int64
}

func (j *fetchLog) EnqueueFetch(_ context.Context, id int64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ids = append(j.ids, id)
	return nil
}

func (j *fetchLog) list() []int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]int64(nil), j.ids...)
}

// TestSourcesPage: an admin adds a source (and its first fetch is asked for), fetches one now,
// disables and enables one; a failing source shows its error; a researcher sees no actions.
func TestSourcesPage(t *testing.T) {
	db := storetest.OpenSQLite(t)
	newFixture(t, db, 1)
	users := addUsers(t, db)
	j := &fetchLog{}
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db, Jobs: j}))
	defer srv.Close()
	admin := newBrowser(t, srv.URL)
	admin.signIn(users[docket.RoleAdmin].Email, testPassword)
	ctx := context.Background()
	news, _ := db.SourceByURL(ctx, "https://news.example.org/feed")

	rowOf := func(doc *goquery.Document, u string) *goquery.Selection {
		var row *goquery.Selection
		doc.Find(`[data-testid=source-row]`).Each(func(_ int, tr *goquery.Selection) {
			if strings.Contains(tr.Text(), u) {
				row = tr
			}
		})
		if row == nil {
			t.Fatalf("no row for %s", u)
		}
		return row
	}
	post := func(path string, form url.Values, wantLoc string) {
		t.Helper()
		resp, body := admin.do("POST", path, form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != wantLoc {
			t.Fatalf("POST %s: %d to %q, want 303 to %q: %.300s", path, resp.StatusCode, resp.Header.Get("Location"), wantLoc, body)
		}
	}

	t.Run("add", func(t *testing.T) {
		post("/office/sources", url.Values{"url": {"https://feeds.example.org/new.xml"}, "kind": {"ngo"}, "title": {"New NGO"}}, "/office/sources?done=source-added")
		src, err := db.SourceByURL(ctx, "https://feeds.example.org/new.xml")
		if err != nil {
			t.Fatal(err)
		}
		if got := j.list(); len(got) != 1 || got[0] != src.ID {
			t.Errorf("fetches asked %v, want the new source's first fetch (%d)", got, src.ID)
		}
		doc := page(t, admin, "/office/sources?done=source-added", http.StatusOK)
		if got := text(doc.Find(`[data-testid=flash]`)); got != views.Flashes["source-added"] {
			t.Errorf("message after adding %q, want %q", got, views.Flashes["source-added"])
		}
		if got := text(rowOf(doc, "feeds.example.org/new.xml").Find(`[data-testid=source-status]`)); got != "New" {
			t.Errorf("a source never fetched: status %q, want New", got)
		}
		resp, body := admin.do("POST", "/office/sources", url.Values{"url": {"not a url"}, "kind": {"news"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-url"`) {
			t.Errorf("a bad address: %d, want 422 with the error at the field", resp.StatusCode)
		}
	})

	t.Run("fetch now", func(t *testing.T) {
		before := len(j.list())
		post(fmt.Sprintf("/office/sources/%d/fetch", news.ID), url.Values{}, "/office/sources?done=source-fetching")
		if got := j.list(); len(got) != before+1 || got[len(got)-1] != news.ID {
			t.Errorf("fetches asked %v, want %d last", got, news.ID)
		}
		if resp, _ := admin.do("POST", "/office/sources/999999/fetch", url.Values{}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("fetching a source that does not exist: %d, want 404", resp.StatusCode)
		}
	})

	t.Run("disable and enable", func(t *testing.T) {
		before := len(j.list())
		post(fmt.Sprintf("/office/sources/%d/disabled", news.ID), url.Values{"disabled": {"true"}}, "/office/sources?done=source-disabled")
		doc := page(t, admin, "/office/sources", http.StatusOK)
		row := rowOf(doc, news.URL)
		if got := text(row.Find(`[data-testid=source-status]`)); got != "Disabled" {
			t.Errorf("status %q, want Disabled", got)
		}
		if got := text(row.Find(`form[action$="/disabled"] button`)); got != "Enable" {
			t.Errorf("a disabled source offers %q, want Enable", got)
		}
		if len(j.list()) != before {
			t.Errorf("disabling asked for a fetch")
		}
		post(fmt.Sprintf("/office/sources/%d/disabled", news.ID), url.Values{"disabled": {"false"}}, "/office/sources?done=source-enabled")
		if got := j.list(); len(got) != before+1 || got[len(got)-1] != news.ID {
			t.Errorf("enabling: fetches asked %v, want %d fetched again", got, news.ID)
		}
	})

	t.Run("errors shown", func(t *testing.T) {
		failSource(t, db, "https://un.example.org/feed", 3)
		doc := page(t, admin, "/office/sources", http.StatusOK)
		row := rowOf(doc, "https://un.example.org/feed")
		if got := text(row.Find(`[data-testid=source-status]`)); !strings.Contains(got, "Failing") || !strings.Contains(got, "3 times") || !strings.Contains(got, "HTTP 503 Service Unavailable") {
			t.Errorf("a failing source's status %q, want Failing 3 times with its error", got)
		}
		if !row.HasClass("failing") {
			t.Errorf("the failing row is not marked")
		}
	})

	t.Run("a researcher reads but cannot act", func(t *testing.T) {
		doc := page(t, signedInAt(t, srv.URL, users[docket.RoleResearcher]), "/office/sources", http.StatusOK)
		if n := doc.Find(`form[action^="/office/sources"]`).Length(); n != 0 {
			t.Errorf("a researcher is offered %d source forms", n)
		}
	})
}

func signedInAt(t *testing.T, base string, u *docket.User) *browser {
	t.Helper()
	b := newBrowser(t, base)
	if resp := b.signIn(u.Email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", u.Email, resp.StatusCode)
	}
	return b
}

// TestUsersPage: an admin adds a user who can then sign in, changes a role, and cannot demote
// the last admin from the web.
func TestUsersPage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 1)
		users := addUsers(t, db)
		admin := signedIn(t, f, users[docket.RoleAdmin])
		ctx := context.Background()

		resp, body := admin.do("POST", "/office/users", url.Values{"name": {"Nina New"}, "email": {"Nina@Example.org"}, "role": {"editor"}, "password": {"a fine long password"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/office/users?done=user-added" {
			t.Fatalf("add: %d to %q: %.300s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		nina, err := db.UserByEmail(ctx, "nina@example.org")
		if err != nil || nina.Role != docket.RoleEditor {
			t.Fatalf("the new user: %+v, %v", nina, err)
		}
		if resp := newBrowser(t, f.srv.URL).signIn("nina@example.org", "a fine long password"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the new user signs in: %d", resp.StatusCode)
		}
		doc := page(t, admin, "/office/users", http.StatusOK)
		listed := doc.Find(`[data-testid=users] tr`).FilterFunction(func(_ int, tr *goquery.Selection) bool {
			return text(tr.Find("td").Eq(0)) == "Nina New" && text(tr.Find("td").Eq(1)) == "nina@example.org"
		})
		if listed.Length() != 1 {
			t.Errorf("the list does not show the new user")
		} else if role, _ := listed.Find("option[selected]").Attr("value"); role != "editor" {
			t.Errorf("the new user's role shows as %q, want editor", role)
		}
		for _, bad := range []struct {
			name  string
			form  url.Values
			field string
		}{
			{"taken email", url.Values{"name": {"Again"}, "email": {"nina@example.org"}, "role": {"editor"}, "password": {"a fine long password"}}, "email"},
			{"short password", url.Values{"name": {"Short"}, "email": {"short@example.org"}, "role": {"editor"}, "password": {"short"}}, "password"},
		} {
			resp, body := admin.do("POST", "/office/users", bad.form)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-`+bad.field+`"`) {
				t.Errorf("%s: %d, want 422 with the error at %s", bad.name, resp.StatusCode, bad.field)
			}
		}

		// A role change, seen by the user at once.
		researcher := signedIn(t, f, users[docket.RoleResearcher])
		if resp, _ := researcher.do("GET", "/office/statements/new", nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("a researcher drafting: %d, want 403", resp.StatusCode)
		}
		resp, _ = admin.do("POST", fmt.Sprintf("/office/users/%d", users[docket.RoleResearcher].ID), url.Values{"role": {"editor"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/office/users?done=user-updated" {
			t.Fatalf("role change: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := researcher.do("GET", "/office/statements/new", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("after becoming an editor, drafting: %d, want 200", resp.StatusCode)
		}

		// The last admin cannot be demoted, nor disabled.
		for _, form := range []url.Values{{"role": {"editor"}}, {"role": {"admin"}, "disabled": {"true"}}} {
			resp, body := admin.do("POST", fmt.Sprintf("/office/users/%d", users[docket.RoleAdmin].ID), form)
			if resp.StatusCode != http.StatusConflict {
				t.Fatalf("demoting the last admin (%v): %d, want 409", form, resp.StatusCode)
			}
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			if got := text(doc.Find(`[data-testid=access-error]`)); !strings.Contains(got, "is the last admin") {
				t.Errorf("the users page says %q, want that this is the last admin", got)
			}
			if doc.Find(`[data-testid=users]`).Length() != 1 {
				t.Errorf("the refusal is not shown on the users page")
			}
		}
		if u, _ := db.UserByID(ctx, users[docket.RoleAdmin].ID); u.Role != docket.RoleAdmin || u.Disabled {
			t.Errorf("the last admin is now %s, disabled %v", u.Role, u.Disabled)
		}
		if resp, _ := admin.do("GET", "/office/users", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("the admin lost the users page: %d", resp.StatusCode)
		}
	})
}

// TestFeedURLsAreSanitized: an item's address comes from a feed; where the office links to
// it (the stale items of a statement, the evidence panel), a javascript: address becomes
// templ's harmless placeholder.
func TestFeedURLsAreSanitized(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	ctx := context.Background()
	id := addUNItem(t, f, "Not yet a convoy", "javascript:alert('item')")
	sentence := "Not yet."
	err := db.SetEvidence(ctx, store.EvidenceChange{StatementID: f.draft.ID, SentenceText: sentence, SentenceHash: statements.Hash(sentence),
		ItemID: id, State: docket.StateConfirmed, Manual: true})
	if err != nil {
		t.Fatal(err)
	}
	b := signedIn(t, f, users[docket.RoleEditor])
	for _, path := range []string{"/office/statements", fmt.Sprintf("/office/statements/%d", f.draft.ID), fmt.Sprintf("/office/statements/%d", f.published.ID)} {
		doc := page(t, b, path, http.StatusOK)
		links := doc.Find(`a`).FilterFunction(func(_ int, a *goquery.Selection) bool { return a.Text() == "Not yet a convoy" })
		if links.Length() == 0 {
			t.Errorf("%s does not link to the item", path)
		}
		links.Each(func(_ int, a *goquery.Selection) {
			if href, _ := a.Attr("href"); !strings.HasPrefix(href, "about:invalid") {
				t.Errorf("%s links the item to %q, want it sanitized", path, href)
			}
		})
	}
}
