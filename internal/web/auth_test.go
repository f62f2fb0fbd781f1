package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/alexedwards/argon2id"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/internal/web"
)

func TestMain(m *testing.M) {
	// Real argon2id, but cheap: the tests sign in many times.
	docket.PasswordParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	os.Exit(m.Run())
}

const testPassword = "correct horse battery"

// addUsers creates one user per role and returns them by role.
func addUsers(t *testing.T, db *store.DB) map[string]*docket.User {
	t.Helper()
	users := map[string]*docket.User{}
	for _, role := range docket.Roles {
		hash, err := docket.HashPassword(testPassword)
		if err != nil {
			t.Fatal(err)
		}
		u := &docket.User{Email: role + "@example.org", Name: strings.ToUpper(role[:1]) + role[1:] + " User", Role: role, PasswordHash: hash}
		if err := db.CreateUser(context.Background(), u, nil); err != nil {
			t.Fatal(err)
		}
		users[role] = u
	}
	return users
}

// browser is an HTTP client with a cookie jar that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(method, path string, form url.Values, hdr ...string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (b *browser) signIn(email, pw string) *http.Response {
	b.t.Helper()
	resp, _ := b.do("POST", "/signin", url.Values{"email": {email}, "password": {pw}})
	return resp
}

func (b *browser) session() string {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "docket_session" {
			return c.Value
		}
	}
	return ""
}

var pathParam = regexp.MustCompile(`\{[a-z]+\}`)

// TestEveryOfficeRouteChecksTheRole walks every office route the server registers, as the
// public and as each role, and checks the answer against docket.Can.
func TestEveryOfficeRouteChecksTheRole(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 3)
	users := addUsers(t, db)
	srv := web.NewServer(web.Config{DB: db})
	routes := srv.OfficeRoutes()
	if len(routes) < 8 {
		t.Fatalf("only %d office routes registered", len(routes))
	}
	ids := map[string]string{
		"{id}":   fmt.Sprint(users[docket.RoleResearcher].ID),
		"{slug}": f.public.Slug,
	}
	browsers := map[string]*browser{"anonymous": newBrowser(t, f.srv.URL)}
	for role, u := range users {
		b := newBrowser(t, f.srv.URL)
		if resp := b.signIn(u.Email, testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in as %s: %d", role, resp.StatusCode)
		}
		browsers[role] = b
	}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = pathParam.ReplaceAllStringFunc(path, func(p string) string {
			if v, ok := ids[p]; ok {
				return v
			}
			return "1"
		})
		for who, b := range browsers {
			t.Run(rt.Pattern+"/"+who, func(t *testing.T) {
				var form url.Values
				if method == http.MethodPost {
					form = url.Values{}
				}
				resp, body := b.do(method, path, form)
				switch {
				case who == "anonymous" && method == http.MethodGet:
					if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin?next=") {
						t.Fatalf("got %d to %q, want a redirect to sign in", resp.StatusCode, resp.Header.Get("Location"))
					}
				case who == "anonymous":
					if resp.StatusCode != http.StatusUnauthorized {
						t.Fatalf("got %d, want 401", resp.StatusCode)
					}
				case !docket.Can(who, rt.Action):
					if resp.StatusCode != http.StatusForbidden {
						t.Fatalf("got %d, want 403 (a %s may not %s)", resp.StatusCode, who, rt.Action)
					}
				default:
					if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode >= 500 {
						t.Fatalf("got %d, want it allowed: %.300s", resp.StatusCode, body)
					}
					if method == http.MethodGet && resp.StatusCode != http.StatusOK {
						t.Fatalf("GET got %d, want 200: %.300s", resp.StatusCode, body)
					}
				}
			})
		}
	}
}

func TestSignIn(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	editor := users[docket.RoleEditor]

	t.Run("the session id changes at sign-in", func(t *testing.T) {
		b := newBrowser(t, f.srv.URL)
		if resp := b.signIn(editor.Email, testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first sign-in: %d", resp.StatusCode)
		}
		first := b.session()
		if resp := b.signIn(editor.Email, testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("second sign-in: %d", resp.StatusCode)
		}
		second := b.session()
		if first == "" || second == "" || first == second {
			t.Fatalf("session before %q, after %q: want two different ids", first, second)
		}
		// The old session is gone: a copy of its cookie no longer works.
		old := newBrowser(t, f.srv.URL)
		u, _ := url.Parse(f.srv.URL)
		old.c.Jar.SetCookies(u, []*http.Cookie{{Name: "docket_session", Value: first}})
		if resp, _ := old.do("GET", "/office", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the replaced session still opens the office: %d", resp.StatusCode)
		}
	})

	t.Run("cookie flags", func(t *testing.T) {
		b := newBrowser(t, f.srv.URL)
		resp := b.signIn(editor.Email, testPassword)
		c := resp.Header.Get("Set-Cookie")
		if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
			t.Errorf("cookie %q, want HttpOnly and SameSite=Lax", c)
		}
	})

	t.Run("sign out ends the session", func(t *testing.T) {
		b := newBrowser(t, f.srv.URL)
		b.signIn(editor.Email, testPassword)
		token := b.session()
		b.do("POST", "/signout", url.Values{})
		again := newBrowser(t, f.srv.URL)
		u, _ := url.Parse(f.srv.URL)
		again.c.Jar.SetCookies(u, []*http.Cookie{{Name: "docket_session", Value: token}})
		if resp, _ := again.do("GET", "/office", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("a signed-out session still opens the office: %d", resp.StatusCode)
		}
	})

	t.Run("throttled after repeated failures", func(t *testing.T) {
		b := newBrowser(t, f.srv.URL)
		target := users[docket.RoleResearcher]
		var codes []int
		for i := 0; i < 6; i++ {
			codes = append(codes, b.signIn(target.Email, "wrong password").StatusCode)
		}
		want := []int{401, 401, 401, 401, 401, 429}
		if fmt.Sprint(codes) != fmt.Sprint(want) {
			t.Fatalf("statuses %v, want %v", codes, want)
		}
		// Even the right password is refused while the account is locked.
		if resp := b.signIn(target.Email, testPassword); resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("right password during the lock: %d, want 429", resp.StatusCode)
		}
		// Another account from another address is not affected.
		other := newBrowser(t, f.srv.URL)
		if resp := other.signIn(users[docket.RoleAdmin].Email, testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("another account: %d", resp.StatusCode)
		}
	})

	t.Run("unknown account and wrong password answer alike", func(t *testing.T) {
		b := newBrowser(t, f.srv.URL)
		_, a := b.do("POST", "/signin", url.Values{"email": {"nobody@example.org"}, "password": {"whatever123"}})
		_, c := b.do("POST", "/signin", url.Values{"email": {users[docket.RoleAdmin].Email}, "password": {"whatever123"}})
		if !strings.Contains(a, "The email address or password is not right.") || !strings.Contains(c, "The email address or password is not right.") {
			t.Errorf("messages differ or are missing")
		}
	})

	t.Run("redirect after sign-in stays on this site", func(t *testing.T) {
		for _, next := range []string{"//evil.example/x", "/\t/evil.example", "/%09/evil.example", "https://evil.example/", "/\\evil.example"} {
			b := newBrowser(t, f.srv.URL)
			resp, _ := b.do("POST", "/signin", url.Values{"email": {editor.Email}, "password": {testPassword}, "next": {next}})
			if loc := resp.Header.Get("Location"); loc != "/office" {
				t.Errorf("next %q redirected to %q, want /office", next, loc)
			}
		}
		b := newBrowser(t, f.srv.URL)
		resp, _ := b.do("POST", "/signin", url.Values{"email": {editor.Email}, "password": {testPassword}, "next": {"/office/topics?x=1"}})
		if loc := resp.Header.Get("Location"); loc != "/office/topics?x=1" {
			t.Errorf("a page of the office: redirected to %q", loc)
		}
	})

	t.Run("parallel attempts cannot pass the limit", func(t *testing.T) {
		target := users[docket.RoleAdmin]
		results := make(chan int, 30)
		for i := 0; i < 30; i++ {
			go func() {
				b := newBrowser(t, f.srv.URL)
				// All wrong: a right one would rightly clear the account's count.
				results <- b.signIn(target.Email, "wrong password").StatusCode
			}()
		}
		counts := map[int]int{}
		for i := 0; i < 30; i++ {
			counts[<-results]++
		}
		if counts[http.StatusUnauthorized] > 5 || counts[http.StatusTooManyRequests] < 25 {
			t.Fatalf("statuses %v: more than 5 attempts on one account were checked", counts)
		}
	})
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	b := newBrowser(t, f.srv.URL)
	b.signIn(users[docket.RoleAdmin].Email, testPassword)
	form := url.Values{"url": {"https://feeds.example.org/rss"}, "kind": {"news"}}
	cases := []struct {
		name string
		hdr  []string
	}{
		{"Sec-Fetch-Site cross-site", []string{"Sec-Fetch-Site", "cross-site"}},
		{"foreign Origin", []string{"Origin", "https://evil.example"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, _ := b.do("POST", "/office/sources", form, c.hdr...)
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("got %d, want 403", resp.StatusCode)
			}
		})
	}
	if _, err := db.SourceByURL(context.Background(), "https://feeds.example.org/rss"); docket.ErrorCode(err) != docket.ENOTFOUND {
		t.Fatalf("a refused post still added the source: %v", err)
	}
	resp, _ := b.do("POST", "/office/sources", form, "Sec-Fetch-Site", "same-origin")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin post: %d, want 303", resp.StatusCode)
	}
}

// TestThrottleBehindAProxy: behind a trusted proxy, attempts count against the client named
// in X-Forwarded-For, so one client's failures do not lock out everybody else; an untrusted
// peer cannot choose its address with the header.
func TestThrottleBehindAProxy(t *testing.T) {
	db := storetest.OpenSQLite(t)
	users := addUsers(t, db)
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}))
	defer srv.Close()
	b := newBrowser(t, srv.URL)
	for i := 0; i < 21; i++ {
		// Many accounts, so only the address limit (20) can lock.
		b.do("POST", "/signin", url.Values{"email": {fmt.Sprintf("nobody%d@example.org", i)}, "password": {"wrong password"}},
			"X-Forwarded-For", "203.0.113.7")
	}
	resp, _ := b.do("POST", "/signin", url.Values{"email": {users[docket.RoleAdmin].Email}, "password": {testPassword}}, "X-Forwarded-For", "203.0.113.7")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the client over the limit: %d, want 429", resp.StatusCode)
	}
	resp, _ = newBrowser(t, srv.URL).do("POST", "/signin", url.Values{"email": {users[docket.RoleAdmin].Email}, "password": {testPassword}}, "X-Forwarded-For", "198.51.100.9")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another client through the same proxy: %d, want 303", resp.StatusCode)
	}

	// Without trust, the header is ignored: the peer's own address counts.
	plain := httptest.NewServer(web.NewServer(web.Config{DB: db}))
	defer plain.Close()
	pb := newBrowser(t, plain.URL)
	for i := 0; i < 21; i++ {
		pb.do("POST", "/signin", url.Values{"email": {fmt.Sprintf("x%d@example.org", i)}, "password": {"wrong password"}},
			"X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i))
	}
	resp, _ = pb.do("POST", "/signin", url.Values{"email": {users[docket.RoleEditor].Email}, "password": {testPassword}}, "X-Forwarded-For", "192.0.2.200")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("an untrusted peer choosing its address: %d, want 429", resp.StatusCode)
	}
}

// TestFormsAreBounded: a form larger than Docket accepts is refused with 413, before any
// handler reads it.
func TestFormsAreBounded(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite(t), 1)
	b := newBrowser(t, f.srv.URL)
	resp, body := b.do("POST", "/signin", url.Values{"email": {"a@example.org"}, "password": {strings.Repeat("x", 2<<20)}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "more than Docket accepts") {
		t.Fatalf("a 2 MiB sign-in form: %d", resp.StatusCode)
	}
}
