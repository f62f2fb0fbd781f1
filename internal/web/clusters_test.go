package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// clustered is the fixture with 12 items, of which reports 9, 8 and 5 are one story.
func clustered(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := newFixture(t, db, 12)
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		for _, i := range []int{9, 8, 5} {
			if err := tx.SetCluster(context.Background(), f.items[i], f.items[5]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestClustersShowOnce reads every page of the public topic page, the JSON timeline and the
// Atom feed: the story of reports 9, 8 and 5 shows once, as report 9 naming the other two
// sources, though its members straddle a page boundary, and every page holds its full count.
func TestClustersShowOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := clustered(t, db)
		want := "11 10 9+8,5 | 7 6 4 | 3 2 1 | 0"
		t.Run("topic page", func(t *testing.T) {
			var pages []string
			next := "/topics/syria?limit=3"
			for n := 0; next != "" && n < 10; n++ {
				doc := f.doc(t, next, http.StatusOK)
				var es []string
				doc.Find(`[data-testid=entry]`).Each(func(_ int, li *goquery.Selection) {
					s := reportNo(li.Find(".entry-title").Text())
					if also := li.Find(".also a"); also.Length() > 0 {
						var titles []string
						also.Each(func(_ int, a *goquery.Selection) { titles = append(titles, reportNo(a.AttrOr("title", ""))) })
						s += "+" + strings.Join(titles, ",")
					}
					es = append(es, s)
				})
				pages = append(pages, strings.Join(es, " "))
				next = doc.Find("nav.pager a").AttrOr("href", "")
			}
			if got := strings.Join(pages, " | "); got != want {
				t.Errorf("pages: got %s, want %s", got, want)
			}
		})
		t.Run("JSON", func(t *testing.T) {
			var pages []string
			next := "/api/v1/topics/syria/timeline?limit=3"
			for n := 0; next != "" && n < 10; n++ {
				var page struct {
					Items []struct {
						Title string `json:"title"`
						Also  []struct {
							Title string `json:"title"`
						} `json:"also"`
					} `json:"items"`
					NextURL *string `json:"next_url"`
				}
				getJSON(t, f, next, http.StatusOK, &page)
				var es []string
				for _, it := range page.Items {
					s := reportNo(it.Title)
					if len(it.Also) > 0 {
						var titles []string
						for _, a := range it.Also {
							titles = append(titles, reportNo(a.Title))
						}
						s += "+" + strings.Join(titles, ",")
					}
					es = append(es, s)
				}
				pages = append(pages, strings.Join(es, " "))
				next = ""
				if page.NextURL != nil {
					u, _ := url.Parse(*page.NextURL)
					next = u.RequestURI()
				}
			}
			if got := strings.Join(pages, " | "); got != want {
				t.Errorf("pages: got %s, want %s", got, want)
			}
		})
		t.Run("Atom", func(t *testing.T) {
			_, body := f.get(t, "/topics/syria/feed.atom")
			feed, err := gofeed.NewParser().ParseString(body)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range feed.Items {
				if strings.HasPrefix(e.Title, "Syria report") {
					got = append(got, reportNo(e.Title))
				}
			}
			if g := strings.Join(got, " "); g != "11 10 9 7 6 4 3 2 1 0" {
				t.Errorf("feed items: got %s, want each story once: 11 10 9 7 6 4 3 2 1 0", g)
			}
		})
	})
}

func reportNo(title string) string {
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(title), "Syria report number"))
}

// TestOfficeCuratesClusterMembers checks that the office lists a story's other copies under
// its newest one, each with its own controls, and that curating one redraws it as a member.
func TestOfficeCuratesClusterMembers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := clustered(t, db)
		users := addUsers(t, db)
		b := signedIn(t, f, users[docket.RoleResearcher])
		_, body := b.do("GET", "/office/topics/syria", nil)
		doc := parseHTML(t, body)
		for _, i := range []int{8, 5} {
			li := doc.Find(fmt.Sprintf("li#item-%d", f.items[i]))
			if got := li.AttrOr("data-member-of", ""); got != fmt.Sprint(f.items[9]) {
				t.Errorf("report %d: data-member-of %q, want %d", i, got, f.items[9])
			}
			if li.Find(`[data-testid=curate] button`).Length() < 3 {
				t.Errorf("report %d has no controls of its own: %s", i, li.Text())
			}
			if prev := li.Prev(); prev.AttrOr("id", "") != fmt.Sprintf("item-%d", f.items[9]) && prev.AttrOr("data-member-of", "") == "" {
				t.Errorf("report %d is not listed under report 9", i)
			}
		}
		resp, partial := b.do("POST", fmt.Sprintf("/office/topics/syria/items/%d/state", f.items[8]),
			url.Values{"state": {docket.StateConfirmed}, "member_of": {fmt.Sprint(f.items[9])}, "back": {"/office/topics/syria"}}, "HX-Request", "true")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm a member: %d", resp.StatusCode)
		}
		li := parseHTML(t, partial).Find("li")
		if li.AttrOr("data-state", "") != docket.StateConfirmed || li.AttrOr("data-member-of", "") != fmt.Sprint(f.items[9]) {
			t.Errorf("redrawn member: state %q member of %q", li.AttrOr("data-state", ""), li.AttrOr("data-member-of", ""))
		}
		for _, act := range []struct{ path, field, value string }{{"pin", "pinned", "true"}, {"notes", "body", "Same convoy, UN wording."}} {
			resp, _ := b.do("POST", fmt.Sprintf("/office/topics/syria/items/%d/%s", f.items[5], act.path),
				url.Values{act.field: {act.value}, "back": {"/office/topics/syria"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Errorf("%s a member: %d", act.path, resp.StatusCode)
			}
		}
		_, body = b.do("GET", "/office/topics/syria", nil)
		li = parseHTML(t, body).Find(fmt.Sprintf("li#item-%d", f.items[5]))
		if !li.HasClass("pinned") || !strings.Contains(li.Find(`[data-testid=notes]`).Text(), "Same convoy") {
			t.Errorf("member after pin and note: pinned %v, notes %q", li.HasClass("pinned"), li.Find(`[data-testid=notes]`).Text())
		}
	})
}
