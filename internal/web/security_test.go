package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
)

// hidden adds to the fixture what the public must never reach: an archived public topic with
// an item, and a withdrawn statement (published once, then withdrawn).
type hidden struct {
	archived  *docket.Topic
	withdrawn *docket.Statement
}

func addHidden(t *testing.T, f *fixture, admin *docket.User) hidden {
	t.Helper()
	ctx := context.Background()
	h := hidden{archived: &docket.Topic{Slug: "archived-topic", Title: "Archived topic", Visibility: docket.Public, Archived: true, Rule: "Archive"}}
	src, err := f.db.SourceByURL(ctx, "https://news.example.org/feed")
	if err != nil {
		t.Fatal(err)
	}
	err = f.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateTopic(ctx, h.archived); err != nil {
			return err
		}
		it := docket.Item{GUID: "archived-item", Title: "Archived briefing", Text: "Archived briefing", PublishedAt: t0, ContentHash: "a"}
		res, err := tx.SaveItems(ctx, src.ID, []docket.Item{it})
		if err != nil {
			return err
		}
		if err := tx.LinkRuleMatches(ctx, res.New[0], t0, []store.TopicMatch{{TopicID: h.archived.ID}}); err != nil {
			return err
		}
		pub := t0.Add(24 * time.Hour)
		h.withdrawn = &docket.Statement{Title: "Withdrawn on Homs", Body: "Words taken back.", Kind: docket.KindPressRelease,
			Status: docket.StatusPublished, PublishedAt: &pub}
		return tx.CreateStatement(ctx, h.withdrawn, []int64{f.public.ID, h.archived.ID}, nil, "")
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Transition(ctx, h.withdrawn.ID, docket.ActWithdraw, store.SeenOf(h.withdrawn), admin, "taken back"); err != nil {
		t.Fatal(err)
	}
	return h
}

// TestPublicRoutesHideWhatIsNotPublic walks every public route the server registers: given
// a private or archived topic's slug, or a draft's or withdrawn statement's id, each answers
// 404, as a page, a partial, JSON or Atom; routes without a parameter never name them. A new
// public handler that forgets to check visibility fails here.
func TestPublicRoutesHideWhatIsNotPublic(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, 2)
		users := addUsers(t, db)
		h := addHidden(t, f, users[docket.RoleAdmin])
		routes := web.NewServer(web.Config{DB: db}).PublicRoutes()
		if len(routes) < 8 {
			t.Fatalf("only %d public routes registered: %q", len(routes), routes)
		}
		values := map[string][]string{
			"{slug}": {f.private.Slug, h.archived.Slug},
			"{id}":   {fmt.Sprint(f.draft.ID), fmt.Sprint(h.withdrawn.ID)},
		}
		secrets := []string{f.private.Title, "Secret briefing", h.archived.Title, "Archived briefing", f.draft.Title, h.withdrawn.Title}
		// Each route is asked plainly, as htmx asks for a partial, for a later page, and
		// for JSON.
		variants := []struct {
			name, query string
			hdr         []string
		}{
			{"plain", "", nil},
			{"partial", "?partial=1", nil},
			{"htmx", "", []string{"HX-Request", "true"}},
			{"older page", "?before=" + url.QueryEscape(t0.Add(time.Hour).Format(time.RFC3339)) + "&limit=5", nil},
			{"json", "", []string{"Accept", "application/json"}},
		}
		for _, rt := range routes {
			_, path, _ := strings.Cut(rt, " ")
			path = strings.TrimSuffix(path, "{$}")
			param := pathParam.FindString(path)
			if param == "" {
				t.Run(rt, func(t *testing.T) {
					resp, body := f.get(t, path)
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("got %d, want 200", resp.StatusCode)
					}
					for _, s := range secrets {
						if strings.Contains(body, s) {
							t.Errorf("the answer names %q", s)
						}
					}
				})
				continue
			}
			vals, ok := values[param]
			if !ok {
				t.Fatalf("%s: no hidden value to try for %s", rt, param)
			}
			for _, v := range vals {
				p := strings.Replace(path, param, v, 1)
				for _, vr := range variants {
					t.Run(p+"/"+vr.name, func(t *testing.T) {
						resp, body := f.get(t, p+vr.query, vr.hdr...)
						if resp.StatusCode != http.StatusNotFound {
							t.Fatalf("got %d, want 404: %.300s", resp.StatusCode, body)
						}
						for _, s := range secrets {
							if strings.Contains(body, s) {
								t.Errorf("the 404 names %q", s)
							}
						}
					})
				}
			}
		}
		// The topic the withdrawn statement was on lists it no more, on its page or in JSON.
		for _, path := range []string{"/topics/syria", "/api/v1/topics/syria", "/topics/syria/feed.atom"} {
			if _, body := f.get(t, path); strings.Contains(body, h.withdrawn.Title) {
				t.Errorf("%s still shows the withdrawn statement", path)
			}
		}
	})
}

// TestSecurityHeaders: every kind of answer carries the same protections: a public page, an
// office page, an error page, JSON and the feed.
func TestSecurityHeaders(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	b := newBrowser(t, f.srv.URL)
	b.signIn(users[docket.RoleAdmin].Email, testPassword)
	want := map[string]string{
		"Content-Security-Policy":    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
		"X-Content-Type-Options":     "nosniff",
		"Referrer-Policy":            "strict-origin-when-cross-origin",
		"X-Frame-Options":            "DENY",
		"Cross-Origin-Opener-Policy": "same-origin",
	}
	cases := []struct {
		name, path string
		status     int
		b          *browser
	}{
		{"public page", "/topics/syria", http.StatusOK, newBrowser(t, f.srv.URL)},
		{"feed", "/topics/syria/feed.atom", http.StatusOK, newBrowser(t, f.srv.URL)},
		{"json", "/api/v1/topics", http.StatusOK, newBrowser(t, f.srv.URL)},
		{"office page", "/office", http.StatusOK, b},
		{"not found", "/no/such/page", http.StatusNotFound, newBrowser(t, f.srv.URL)},
		{"forbidden", "/office/users", http.StatusForbidden, signedIn(t, f, users[docket.RoleResearcher])},
		{"redirect to sign in", "/office", http.StatusSeeOther, newBrowser(t, f.srv.URL)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, _ := c.b.do("GET", c.path, nil)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			for k, v := range want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: got %q, want %q", k, got, v)
				}
			}
		})
	}
}
