package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
)

func parse(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func titles(doc *goquery.Document, sel string) []string {
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

func TestPublicTimelineFilters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 60)
		cases := []struct {
			name        string
			query       string
			entries     int
			first       string
			statements  int
			wantSnippet bool
		}{
			{"no filter: 50 items and the statement of their span", "", 50, "Syria report number 59", 1, false},
			{"search", "q=number+7", 1, "Syria report number 7", 0, true},
			{"search with accents and case", "q=SYRIA+r%C3%89PORT+number+7", 1, "Syria report number 7", 0, true},
			{"search finds the statement too", "q=aleppo", 0, "", 1, false},
			{"kind", "kind=un", 20, "Syria report number 57", 0, false},
			{"dates", "from=2016-12-14&to=2016-12-14", 24, "Syria report number 38", 0, false},
			{"nothing matches", "q=zzzz", 0, "", 0, false},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				doc := f.doc(t, "/topics/syria?"+c.query, http.StatusOK)
				entries := titles(doc, `[data-testid=entry] .entry-title`)
				if len(entries) != c.entries {
					t.Fatalf("got %d entries, want %d", len(entries), c.entries)
				}
				if c.first != "" && entries[0] != c.first {
					t.Errorf("first entry %q, want %q", entries[0], c.first)
				}
				if n := doc.Find(`[data-testid=statement-entry]`).Length(); n != c.statements {
					t.Errorf("%d statements on the timeline, want %d", n, c.statements)
				}
				if got := doc.Find(`[data-testid=entry] .entry-title mark`).Length() > 0; got != c.wantSnippet {
					t.Errorf("marked title shown: %v, want %v", got, c.wantSnippet)
				}
				if q, _ := url.ParseQuery(c.query); q.Get("q") != "" {
					if v, _ := doc.Find(`#f-q`).Attr("value"); v != q.Get("q") {
						t.Errorf("search box holds %q, want %q", v, q.Get("q"))
					}
				}
			})
		}
		t.Run("the form works without and with htmx", func(t *testing.T) {
			doc := f.doc(t, "/topics/syria", http.StatusOK)
			form := doc.Find(`form[data-testid=filters]`)
			if m, _ := form.Attr("method"); m != "get" {
				t.Errorf("form method %q, want get", m)
			}
			if a, _ := form.Attr("action"); a != "/topics/syria" {
				t.Errorf("form action %q", a)
			}
			if hx, _ := form.Attr("hx-get"); hx != "/topics/syria" {
				t.Errorf("hx-get %q", hx)
			}
			_, partial := f.get(t, "/topics/syria?q=number+7", "HX-Request", "true")
			if strings.Contains(partial, "<html") || !strings.Contains(partial, "<mark>7</mark>") {
				t.Errorf("htmx answer is not the marked results alone: %.300s", partial)
			}
		})
		t.Run("bad filters are shown, not thrown", func(t *testing.T) {
			doc := f.doc(t, "/topics/syria?from=yesterday&q=aleppo", http.StatusUnprocessableEntity)
			if msg := doc.Find(`[data-testid=filter-error]`).Text(); !strings.Contains(msg, "from") {
				t.Errorf("error %q, want one naming from", msg)
			}
			if v, _ := doc.Find(`#f-from`).Attr("value"); v != "yesterday" {
				t.Errorf("from box holds %q, want what was typed", v)
			}
			resp, partial := f.get(t, "/topics/syria?q=a*", "HX-Request", "true")
			if resp.StatusCode != http.StatusOK || !strings.Contains(partial, `data-testid="filter-error"`) {
				t.Errorf("htmx with a bad search: %d %.200s", resp.StatusCode, partial)
			}
		})
		t.Run("the pager keeps the filters", func(t *testing.T) {
			doc := f.doc(t, "/topics/syria?q=report&to=2016-12-15", http.StatusOK)
			next, _ := doc.Find(`#pager a`).Attr("href")
			if !strings.Contains(next, "q=report") || !strings.Contains(next, "to=2016-12-15") || !strings.Contains(next, "before=") {
				t.Fatalf("next page %q, want the filters and a cursor", next)
			}
			doc2 := f.doc(t, next, http.StatusOK)
			if got := titles(doc2, `[data-testid=entry] .entry-title`); len(got) != 10 || got[0] != "Syria report number 9" {
				t.Fatalf("second page %q, want items 9 to 0", got)
			}
		})
		t.Run("the API searches too", func(t *testing.T) {
			var page struct {
				Items []struct {
					Title   string          `json:"title"`
					Snippet []store.Segment `json:"title_highlight"`
				} `json:"items"`
			}
			getJSON(t, f, "/api/v1/topics/syria/timeline?q=number+7", http.StatusOK, &page)
			if len(page.Items) != 1 || len(page.Items[0].Snippet) == 0 {
				t.Fatalf("got %+v, want item 7 with its highlighted title", page)
			}
		})
	})
}

// officeWorld is the fixture with users signed in, and a server that can enqueue re-matches
// (an insert-only jobs runner, as docket serve --no-ingest has).
type officeWorld struct {
	*fixture
	users    map[string]*docket.User
	browsers map[string]*browser
}

func newOfficeWorld(t *testing.T, db *store.DB, nItems int) *officeWorld {
	t.Helper()
	f := newFixture(t, db, nItems)
	if err := jobs.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(db, nil, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db, Jobs: runner}))
	t.Cleanup(srv.Close)
	f.srv = srv
	w := &officeWorld{fixture: f, users: addUsers(t, db), browsers: map[string]*browser{}}
	for role, u := range w.users {
		b := newBrowser(t, srv.URL)
		if resp := b.signIn(u.Email, testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in as %s: %d", role, resp.StatusCode)
		}
		w.browsers[role] = b
	}
	return w
}

func (w *officeWorld) page(t *testing.T, role, path string, want int) *goquery.Document {
	t.Helper()
	resp, body := w.browsers[role].do("GET", path, nil)
	if resp.StatusCode != want {
		t.Fatalf("GET %s as %s: %d, want %d: %.400s", path, role, resp.StatusCode, want, body)
	}
	return parse(t, body)
}

func TestOfficeTimelineAndCuration(t *testing.T) {
	w := newOfficeWorld(t, storetest.OpenSQLite(t), 30)
	r := w.browsers[docket.RoleResearcher]
	newest, oldest := w.items[29], w.items[0]

	t.Run("the page", func(t *testing.T) {
		doc := w.page(t, docket.RoleResearcher, "/office/topics/syria", http.StatusOK)
		if n := doc.Find(`[data-testid=entry]`).Length(); n != 30 {
			t.Errorf("%d entries, want 30", n)
		}
		if doc.Find(`[data-testid=curate]`).Length() != 30 || doc.Find(`[data-testid=chart]`).Length() != 1 {
			t.Error("curation controls or chart missing")
		}
		if href, _ := doc.Find(`[data-testid=export-csv]`).Attr("href"); href != "/office/topics/syria/export.csv" {
			t.Errorf("export link %q", href)
		}
		if doc.Find(`a[href="/office/topics/syria/settings"]`).Length() != 0 {
			t.Error("a researcher is offered the settings")
		}
		doc = w.page(t, docket.RoleResearcher, "/office/topics/syria?q=number+3&kind=news", http.StatusOK)
		if href, _ := doc.Find(`[data-testid=export-json]`).Attr("href"); href != "/office/topics/syria/export.json?kind=news&q=number+3" {
			t.Errorf("export link %q, want the page's filters", href)
		}
	})

	t.Run("reject without JavaScript returns to the page, at the item", func(t *testing.T) {
		resp, _ := r.do("POST", fmt.Sprintf("/office/topics/syria/items/%d/state", newest),
			url.Values{"state": {"rejected"}, "back": {"/office/topics/syria?kind=news"}})
		want := fmt.Sprintf("/office/topics/syria?done=item-curated&kind=news#item-%d", newest)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Fatalf("got %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
		}
		pub := w.doc(t, "/topics/syria", http.StatusOK)
		if got := titles(pub, `[data-testid=entry] .entry-title`); got[0] == "Syria report number 29" {
			t.Error("the public timeline still shows the rejected item")
		}
		office := w.page(t, docket.RoleResearcher, "/office/topics/syria?state=rejected", http.StatusOK)
		if got := titles(office, `[data-testid=entry] .entry-title`); len(got) != 1 || got[0] != "Syria report number 29" {
			t.Errorf("rejected filter shows %q", got)
		}
	})

	t.Run("a form cannot send the browser off the office", func(t *testing.T) {
		resp, _ := r.do("POST", fmt.Sprintf("/office/topics/syria/items/%d/state", newest),
			url.Values{"state": {"suggested"}, "back": {"https://evil.example/office/x"}})
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/office/topics/syria?") {
			t.Errorf("redirected to %q", loc)
		}
	})

	t.Run("pin with htmx redraws the entry", func(t *testing.T) {
		resp, body := r.do("POST", fmt.Sprintf("/office/topics/syria/items/%d/pin", oldest),
			url.Values{"pinned": {"true"}, "back": {"/office/topics/syria"}}, "HX-Request", "true")
		if resp.StatusCode != http.StatusOK || strings.Contains(body, "<html") {
			t.Fatalf("got %d: %.300s", resp.StatusCode, body)
		}
		doc := parse(t, body)
		if id, _ := doc.Find(`li.entry`).Attr("id"); id != fmt.Sprintf("item-%d", oldest) || doc.Find(`.tag-pin`).Length() != 1 {
			t.Errorf("answer is not the pinned entry: %.300s", body)
		}
		pub := w.doc(t, "/topics/syria?to=2016-12-13", http.StatusOK)
		if pub.Find(`li.entry.pinned .tag-pin`).Length() == 0 {
			t.Error("the public timeline does not mark the key event")
		}
	})

	t.Run("notes are escaped and kept", func(t *testing.T) {
		resp, body := r.do("POST", fmt.Sprintf("/office/topics/syria/items/%d/notes", oldest),
			url.Values{"body": {"<script>alert(1)</script> check OCHA"}}, "HX-Request", "true")
		if resp.StatusCode != http.StatusOK || strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
			t.Fatalf("got %d: %.400s", resp.StatusCode, body)
		}
		doc := w.page(t, docket.RoleEditor, "/office/topics/syria", http.StatusOK)
		if note := doc.Find(fmt.Sprintf(`#item-%d [data-testid=notes]`, oldest)).Text(); !strings.Contains(note, "check OCHA") || !strings.Contains(note, "Researcher User") {
			t.Errorf("notes %q, want the note and its author", note)
		}
		resp, _ = r.do("POST", fmt.Sprintf("/office/topics/syria/items/%d/notes", oldest), url.Values{"body": {"  "}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("empty note: %d, want 422", resp.StatusCode)
		}
	})

	t.Run("add by hand", func(t *testing.T) {
		var secret int64
		if err := w.db.R.Get(&secret, `SELECT id FROM items WHERE guid = 'secret'`); err != nil {
			t.Fatal(err)
		}
		resp, _ := r.do("POST", "/office/topics/syria/items", url.Values{"item": {fmt.Sprint(secret)}, "back": {"/office/topics/syria"}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), fmt.Sprintf("#item-%d", secret)) {
			t.Fatalf("got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		e, err := w.db.TimelineEntry(context.Background(), w.public.ID, secret)
		if err != nil || e.Origin != docket.OriginManual || e.State != docket.StateConfirmed {
			t.Fatalf("entry %+v (%v), want a confirmed hand-added link", e, err)
		}
		for _, bad := range []string{"", "not a number", "https://example.org/none", "999999"} {
			resp, body := r.do("POST", "/office/topics/syria/items", url.Values{"item": {bad}})
			doc := parse(t, body)
			if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`#e-item`).Length() != 1 {
				t.Errorf("item %q: got %d, want 422 with the error by the field", bad, resp.StatusCode)
			}
		}
	})

	t.Run("bad curation input", func(t *testing.T) {
		cases := []struct {
			path string
			form url.Values
			want int
		}{
			{fmt.Sprintf("/office/topics/syria/items/%d/state", newest), url.Values{"state": {"maybe"}}, http.StatusUnprocessableEntity},
			{fmt.Sprintf("/office/topics/syria/items/%d/pin", newest), url.Values{"pinned": {"perhaps"}}, http.StatusUnprocessableEntity},
			{"/office/topics/syria/items/999999/state", url.Values{"state": {"confirmed"}}, http.StatusNotFound},
			{"/office/topics/nope/items/1/state", url.Values{"state": {"confirmed"}}, http.StatusNotFound},
		}
		for _, c := range cases {
			if resp, _ := r.do("POST", c.path, c.form); resp.StatusCode != c.want {
				t.Errorf("POST %s %v: %d, want %d", c.path, c.form, resp.StatusCode, c.want)
			}
		}
	})
}

func TestFollowAndOfficeHome(t *testing.T) {
	db := storetest.OpenSQLite(t)
	now := time.Date(2016, 12, 20, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	w := newOfficeWorld(t, db, 3)
	r := w.browsers[docket.RoleResearcher]

	resp, body := r.do("POST", "/office/topics/syria/follow", url.Values{"back": {"/office/topics"}}, "HX-Request", "true")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "/office/topics/syria/unfollow") {
		t.Fatalf("follow with htmx: %d %.200s, want the unfollow button", resp.StatusCode, body)
	}
	newItems := func() string {
		t.Helper()
		doc := w.page(t, docket.RoleResearcher, "/office", http.StatusOK)
		return strings.TrimSpace(doc.Find(`[data-testid=followed] [data-testid=new-items]`).Text())
	}
	if got := newItems(); got != "Nothing new" {
		t.Errorf("right after following: %q", got)
	}
	now = now.Add(time.Hour)
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		res, err := tx.SaveItems(context.Background(), 1, []docket.Item{{GUID: "fresh", Title: "Syria: fresh news", Text: "Syria: fresh news", PublishedAt: now, ContentHash: "f"}})
		if err != nil {
			return err
		}
		return tx.LinkRuleMatches(context.Background(), res.New[0], now, []store.TopicMatch{{TopicID: w.public.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := newItems(); got != "1 new item" {
		t.Errorf("after an item arrived: %q, want 1 new item", got)
	}
	now = now.Add(time.Hour)
	w.page(t, docket.RoleResearcher, "/office/topics/syria", http.StatusOK)
	if got := newItems(); got != "Nothing new" {
		t.Errorf("after opening the topic: %q", got)
	}
	resp, _ = r.do("POST", "/office/topics/syria/unfollow", url.Values{"back": {"/office/topics"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/office/topics?done=unfollowed" {
		t.Fatalf("unfollow: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if doc := w.page(t, docket.RoleResearcher, "/office", http.StatusOK); doc.Find(`[data-testid=followed]`).Length() != 0 {
		t.Error("the office home still lists the unfollowed topic")
	}
}

func TestExport(t *testing.T) {
	db := storetest.OpenSQLite(t)
	w := newOfficeWorld(t, db, 250) // more than one store page (200)
	r := w.browsers[docket.RoleResearcher]
	// A feed title that a spreadsheet would take for a formula.
	if _, err := db.W.Exec(`UPDATE items SET title = '=HYPERLINK("https://evil.example")' WHERE id = ?`, w.items[249]); err != nil {
		t.Fatal(err)
	}
	t.Run("csv", func(t *testing.T) {
		resp, body := r.do("GET", "/office/topics/syria/export.csv", nil)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("got %d %v", resp.StatusCode, resp.Header)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 251 || rows[0][0] != "id" {
			t.Fatalf("%d rows, want a header and 250 items", len(rows))
		}
		if rows[1][2] != `'=HYPERLINK("https://evil.example")` {
			t.Errorf("formula cell %q, want it defused", rows[1][2])
		}
		seen := map[string]bool{}
		for _, row := range rows[1:] {
			if seen[row[0]] {
				t.Fatalf("item %s exported twice", row[0])
			}
			seen[row[0]] = true
		}
	})
	t.Run("json with a filter", func(t *testing.T) {
		resp, body := r.do("GET", "/office/topics/syria/export.json?kind=un", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("got %d", resp.StatusCode)
		}
		var out struct {
			Topic string `json:"topic"`
			Items []struct {
				ID         int64  `json:"id"`
				SourceKind string `json:"source_kind"`
				Notes      []any  `json:"notes"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("not JSON: %v: %.200s", err, body)
		}
		if out.Topic != "syria" || len(out.Items) != 84 {
			t.Fatalf("topic %q with %d items, want syria with the 84 UN items", out.Topic, len(out.Items))
		}
		for _, it := range out.Items {
			if it.SourceKind != docket.KindUN || it.Notes == nil {
				t.Fatalf("item %+v, want UN items with a notes list", it)
			}
		}
	})
	t.Run("a bad filter is an error page, not a broken file", func(t *testing.T) {
		if resp, _ := r.do("GET", "/office/topics/syria/export.csv?from=soon", nil); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("got %d, want 422", resp.StatusCode)
		}
	})
}

// settingsRevision reads the revision a topic's settings form carries, as a browser sends it.
func settingsRevision(t *testing.T, w *officeWorld, role, slug string) string {
	t.Helper()
	doc := w.page(t, role, "/office/topics/"+slug+"/settings", http.StatusOK)
	rev, ok := doc.Find(`[data-testid=settings-form] input[name=revision]`).Attr("value")
	if !ok {
		t.Fatal("the settings form carries no revision")
	}
	return rev
}

// TestTopicSettingsStaleSave: a settings form loaded before someone else saved is refused
// with 409 and shown again as typed, rather than putting back the rule it was loaded with.
func TestTopicSettingsStaleSave(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := newOfficeWorld(t, db, 3)
		admin, editor := w.browsers[docket.RoleAdmin], w.browsers[docket.RoleEditor]
		before := settingsRevision(t, w, docket.RoleEditor, "syria")
		if got := settingsRevision(t, w, docket.RoleAdmin, "syria"); got != before {
			t.Fatalf("admin's form at revision %s, editor's at %s", got, before)
		}
		first := url.Values{"title": {"Syria"}, "visibility": {"public"}, "rule": {"Syria OR Damascus"}, "revision": {before}}
		if resp, body := admin.do("POST", "/office/topics/syria/settings", first); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first save: %d: %.400s", resp.StatusCode, body)
		}
		stale := url.Values{"title": {"Syria, typed"}, "visibility": {"public"}, "rule": {"Syria OR Homs"}, "revision": {before}}
		resp, body := editor.do("POST", "/office/topics/syria/settings", stale)
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("stale save: got %d, want 409: %.400s", resp.StatusCode, body)
		}
		doc := parse(t, body)
		if msg := doc.Find(`[data-testid=settings-form]`).Text(); !strings.Contains(msg, "reload") {
			t.Errorf("the form says %q, want it to ask to reload", msg)
		}
		if got := doc.Find(`#f-rule`).Text(); got != "Syria OR Homs" {
			t.Errorf("the rule box holds %q, want what was typed", got)
		}
		if got, _ := doc.Find(`#f-title`).Attr("value"); got != "Syria, typed" {
			t.Errorf("the title box holds %q, want what was typed", got)
		}
		if got, _ := doc.Find(`input[name=revision]`).Attr("value"); got != before {
			t.Errorf("the form shown again carries revision %s, want %s, so saving it again is refused again", got, before)
		}
		topic, err := db.TopicBySlug(context.Background(), "syria")
		if err != nil || topic.Rule != "Syria OR Damascus" || topic.Title != "Syria" {
			t.Errorf("topic %+v (%v), want the first save's rule and title", topic, err)
		}
		delete(stale, "revision")
		if resp, _ := editor.do("POST", "/office/topics/syria/settings", stale); resp.StatusCode != http.StatusConflict {
			t.Errorf("a save that names no revision: got %d, want 409", resp.StatusCode)
		}
		stale.Set("revision", settingsRevision(t, w, docket.RoleEditor, "syria"))
		if resp, body := editor.do("POST", "/office/topics/syria/settings", stale); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after reloading: got %d, want the save to go through: %.400s", resp.StatusCode, body)
		}
	})
}

func TestTopicSettingsAndNewTopics(t *testing.T) {
	db := storetest.OpenSQLite(t)
	w := newOfficeWorld(t, db, 3)
	admin := w.browsers[docket.RoleAdmin]

	t.Run("a rule that does not parse is shown at its fault", func(t *testing.T) {
		form := url.Values{"title": {"Syria"}, "visibility": {"public"}, "rule": {"Syria AND (Aleppo OR"}, "revision": {settingsRevision(t, w, docket.RoleAdmin, "syria")}}
		resp, body := admin.do("POST", "/office/topics/syria/settings", form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("got %d", resp.StatusCode)
		}
		doc := parse(t, body)
		if msg := doc.Find(`#e-rule`).Text(); !strings.Contains(msg, "character 19") {
			t.Errorf("error %q, want the position", msg)
		}
		fault := doc.Find(`[data-testid=rule-fault]`)
		if fault.Text() != "Syria AND (Aleppo OR" || fault.Find("mark").Text() != "OR" {
			t.Errorf("rule shown as %q with %q marked, want the OR marked", fault.Text(), fault.Find("mark").Text())
		}
		if v := doc.Find(`#f-rule`).Text(); v != "Syria AND (Aleppo OR" {
			t.Errorf("the rule box holds %q, want what was typed", v)
		}
	})
	t.Run("a new rule starts the re-match", func(t *testing.T) {
		form := url.Values{"title": {"Syria"}, "summary": {"The war."}, "visibility": {"public"}, "rule": {"Syria OR Damascus"}, "revision": {settingsRevision(t, w, docket.RoleAdmin, "syria")}}
		resp, _ := admin.do("POST", "/office/topics/syria/settings", form)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/office/topics/syria?done=rematch-started" {
			t.Fatalf("got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		st, err := db.RematchStatus(context.Background(), w.public.ID)
		if err != nil || !st.Running() || st.Total != 4 {
			t.Fatalf("status %+v (%v), want a queued re-match of the 4 stored items", st, err)
		}
		doc := w.page(t, docket.RoleResearcher, "/office/topics/syria", http.StatusOK)
		banner := doc.Find(`[data-testid=rematch]`)
		if hx, _ := banner.Attr("hx-get"); hx != "/office/topics/syria/rematch" || !strings.Contains(banner.Text(), "0 of 4") {
			t.Errorf("banner %q polling %q", banner.Text(), hx)
		}
		form.Set("revision", settingsRevision(t, w, docket.RoleAdmin, "syria"))
		resp, _ = admin.do("POST", "/office/topics/syria/settings", form)
		if loc := resp.Header.Get("Location"); loc != "/office/topics/syria?done=topic-saved" {
			t.Errorf("saving again without a change: %q, want no new re-match", loc)
		}
	})
	t.Run("add a topic", func(t *testing.T) {
		resp, body := admin.do("POST", "/office/topics", url.Values{"title": {"Yemen"}, "rule": {"Yemen OR"}, "visibility": {"private"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || parse(t, body).Find(`[data-testid=rule-fault]`).Length() != 1 {
			t.Fatalf("bad rule: %d", resp.StatusCode)
		}
		resp, _ = admin.do("POST", "/office/topics", url.Values{"title": {"Yemen"}, "rule": {"Yemen OR Sanaa"}, "visibility": {"private"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/office/topics/yemen?done=rematch-started" {
			t.Fatalf("got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body = admin.do("POST", "/office/topics", url.Values{"title": {"Yemen"}, "rule": {"Yemen"}, "visibility": {"private"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "already exists") {
			t.Errorf("duplicate: %d", resp.StatusCode)
		}
		doc := w.page(t, docket.RoleResearcher, "/office/topics", http.StatusOK)
		if got := titles(doc, `[data-testid=topic-row] td:first-child`); len(got) != 3 {
			t.Errorf("topics %q, want 3", got)
		}
		if doc.Find(`[data-testid=topic-form]`).Length() != 0 {
			t.Error("a researcher is offered the new-topic form")
		}
	})
}
