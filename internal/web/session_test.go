package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
)

// TestSessionCookieSlides: the session's cookie is sent again when the session is extended,
// so an active user stays signed in past the first cookie's lifetime; requests in between
// send no cookie.
func TestSessionCookieSlides(t *testing.T) {
	db := storetest.OpenSQLite(t)
	users := addUsers(t, db)
	var mu sync.Mutex
	now := time.Now()
	db.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db}))
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	if resp := b.signIn(users[docket.RoleEditor].Email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	token := b.session()
	steps := []struct {
		after      time.Duration
		wantCookie bool
	}{
		{time.Hour, false},          // early in the session: nothing to renew
		{6 * 24 * time.Hour, false}, // still more than half of 14 days left
		{2 * 24 * time.Hour, true},  // day 8: extended to 14 days from now, and the cookie with it
		{time.Hour, false},
		{12 * 24 * time.Hour, true}, // day 20: past the first cookie's 14 days, still signed in
	}
	for i, st := range steps {
		advance(st.after)
		resp, _ := b.do("GET", "/office", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("step %d: office %d, want 200 (still signed in)", i, resp.StatusCode)
		}
		var got *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "docket_session" {
				got = c
			}
		}
		if (got != nil) != st.wantCookie {
			t.Fatalf("step %d: Set-Cookie %v, want one: %v", i, got, st.wantCookie)
		}
		if got != nil {
			if got.Value != token || got.MaxAge != int((14*24*time.Hour)/time.Second) || !got.HttpOnly || got.SameSite != http.SameSiteLaxMode {
				t.Errorf("step %d: renewed cookie %+v, want the same token for 14 days, HttpOnly, SameSite=Lax", i, got)
			}
		}
	}
	// Idle past the expiry: signed out.
	advance(15 * 24 * time.Hour)
	if resp, _ := b.do("GET", "/office", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after 15 idle days: %d, want a redirect to sign in", resp.StatusCode)
	}
}

// TestSecureCookies: the session cookie is Secure when the request came over TLS, or when
// --base-url is https (a TLS-terminating proxy in front speaks plain HTTP to Docket).
func TestSecureCookies(t *testing.T) {
	db := storetest.OpenSQLite(t)
	users := addUsers(t, db)
	cases := []struct {
		name    string
		baseURL string
		tls     bool
		want    bool
	}{
		{"plain http", "", false, false},
		{"http base URL", "http://docket.example.org", false, false},
		{"https base URL behind a proxy", "https://docket.example.org", false, true},
		{"TLS", "", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := web.NewServer(web.Config{DB: db, BaseURL: c.baseURL})
			var srv *httptest.Server
			if c.tls {
				srv = httptest.NewTLSServer(h)
			} else {
				srv = httptest.NewServer(h)
			}
			defer srv.Close()
			client := srv.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			form := url.Values{"email": {users[docket.RoleEditor].Email}, "password": {testPassword}}
			resp, err := client.PostForm(srv.URL+"/signin", form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			set := resp.Header.Get("Set-Cookie")
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(set, "docket_session=") {
				t.Fatalf("sign in: %d, Set-Cookie %q", resp.StatusCode, set)
			}
			if got := strings.Contains(set, "; Secure"); got != c.want {
				t.Errorf("Set-Cookie %q: Secure %v, want %v", set, got, c.want)
			}
		})
	}
}
