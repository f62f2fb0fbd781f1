package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

const (
	sessionCookie = "docket_session"
	sessionTTL    = 14 * 24 * time.Hour
)

// Failed sign-ins are throttled per account and per address; both are kept in the database
// so every instance behind a load balancer counts the same failures.
var (
	accountThrottle = store.Throttle{Max: 5, Window: 15 * time.Minute}
	addressThrottle = store.Throttle{Max: 20, Window: 15 * time.Minute}
)

// accountKey is the throttle key of an account: wrong passwords at sign-in and at a password
// change count together.
func accountKey(email string) string { return "account:" + email }

// passwordWait is how long a password check waits for a slot before the answer is "busy".
const passwordWait = 5 * time.Second

// withPasswordSlot runs f holding one of the few password slots: a check or a hash takes
// 64 MiB by design, so only len(passwordChecks) run at once. It reports false, without
// running f, when no slot came free within s.passwordWait or the client went away.
func (s *Server) withPasswordSlot(ctx context.Context, f func()) bool {
	t := time.NewTimer(s.passwordWait)
	defer t.Stop()
	select {
	case s.passwordChecks <- struct{}{}:
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
	defer func() { <-s.passwordChecks }()
	f()
	return true
}

// busy answers a request that found no password slot.
func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	if r.Context().Err() != nil {
		return
	}
	w.Header().Set("Retry-After", "5")
	s.errorPage(w, r, http.StatusServiceUnavailable, "Busy", "Too many people are signing in at once. Try again in a few seconds.")
}

// dummyHash is compared against when the account does not exist, so a wrong address takes as
// long to refuse as a wrong password and sign-in does not reveal who has an account.
var dummyHash = sync.OnceValue(func() string { h, _ := docket.HashPassword("docket-no-such-user"); return h })

type ctxKey int

const userKey ctxKey = 1

// currentUser returns the signed-in user, nil for the public.
func currentUser(ctx context.Context) *docket.User {
	u, _ := ctx.Value(userKey).(*docket.User)
	return u
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// withUser loads the session's user, if any, into the request's context.
func (s *Server) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err == nil && c.Value != "" {
			u, renewed, err := s.db.SessionUser(r.Context(), tokenHash(c.Value), sessionTTL)
			switch {
			case err == nil:
				if !renewed.IsZero() {
					// The session was extended: so is the cookie, or the browser would drop
					// it sessionTTL after sign-in however active the user is.
					s.setSessionCookie(w, r, c.Value)
				}
				r = r.WithContext(context.WithValue(r.Context(), userKey, u))
			case docket.ErrorCode(err) == docket.ENOTFOUND:
				s.clearSessionCookie(w, r)
			default:
				s.fail(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// OfficeRoute is an office route and the action it needs, for the authorization table.
type OfficeRoute struct {
	Pattern string
	Action  string
}

// OfficeRoutes lists every office route with the action it requires.
func (s *Server) OfficeRoutes() []OfficeRoute { return s.officeRoutes }

// PublicRoutes lists the patterns of every public page, feed and API route: what anyone may
// read, and where a private topic or an unpublished statement must be a 404.
func (s *Server) PublicRoutes() []string { return s.publicRoutes }

// public registers a route anyone may read, cached by its ETag (cacheable).
func (s *Server) public(mux *http.ServeMux, pattern string, maxAge time.Duration, h http.Handler) {
	s.publicRoutes = append(s.publicRoutes, pattern)
	mux.Handle(pattern, s.cacheable(maxAge, false, h))
}

// publicStreamed registers a public route that streams its answer (an export), so is not
// held whole by cacheable; it is listed with the others, for the test that walks them.
func (s *Server) publicStreamed(mux *http.ServeMux, pattern string, h http.Handler) {
	s.publicRoutes = append(s.publicRoutes, pattern)
	mux.Handle(pattern, h)
}

// publicDated is public with a Last-Modified too, for feed readers that send only
// If-Modified-Since; it costs a database read a request (store.PageVersion).
func (s *Server) publicDated(mux *http.ServeMux, pattern string, maxAge time.Duration, h http.Handler) {
	s.publicRoutes = append(s.publicRoutes, pattern)
	mux.Handle(pattern, s.cacheable(maxAge, true, h))
}

// office registers an office route: anonymous readers are sent to sign in, a role without
// the action gets 403. The check is here, in one place, for every office handler.
func (s *Server) office(mux *http.ServeMux, pattern, action string, h http.Handler) {
	s.officeRoutes = append(s.officeRoutes, OfficeRoute{pattern, action})
	mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r.Context())
		if u == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, docket.Errorf(docket.EUNAUTH, "sign in first"))
			return
		}
		if !docket.Can(u.Role, action) {
			s.fail(w, r, docket.Errorf(docket.EFORBIDDEN, "a %s cannot do this", u.Role))
			return
		}
		h.ServeHTTP(w, r)
	}))
}

func (s *Server) secureCookies(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://")
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secureCookies(r), MaxAge: int(sessionTTL / time.Second),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r), MaxAge: -1})
}

// clientAddr is the address sign-in attempts are counted against: the peer, or, when the
// peer is a trusted proxy, the last address in X-Forwarded-For that is not one.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		if !s.trusted(h) {
			return h
		}
	}
	return host
}

// trusted reports whether addr is one of the proxies the server was told to trust.
func (s *Server) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// safeNext keeps a post-sign-in redirect inside the office of this site. Parsing refuses
// control characters, which browsers would strip ("/\t/evil.example" is "//evil.example").
func safeNext(next string) string { return safeBack(next, "/office") }

func (s *Server) handleSignInForm() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r.Context()) != nil {
			http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
			return
		}
		s.renderSignIn(w, r, http.StatusOK, views.SignInView{Next: r.URL.Query().Get("next")})
	}
}

func (s *Server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, v views.SignInView) {
	v.Meta = s.meta(r, "Sign in")
	v.Meta.Section = "office"
	s.render(w, r, status, views.SignIn(v))
}

// handleSignIn checks the password, throttling failures per account and per address, and
// starts a new session: a fresh token at every sign-in, so a token planted before sign-in is
// worthless after it.
func (s *Server) handleSignIn() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		email := store.NormalizeEmail(r.PostFormValue("email"))
		pw := r.PostFormValue("password")
		next := r.PostFormValue("next")
		v := views.SignInView{Email: email, Next: next}
		acctKey, addrKey := accountKey(email), "address:"+s.clientAddr(r)
		tooMany := func(until time.Time) {
			v.Error = "Too many attempts. Try again after " + views.Clock(until) + "."
			s.renderSignIn(w, r, http.StatusTooManyRequests, v)
		}
		// Count the attempt before checking the password, so parallel attempts cannot all
		// pass a limit that is only checked first.
		for _, a := range []struct {
			key string
			th  store.Throttle
		}{{addrKey, addressThrottle}, {acctKey, accountThrottle}} {
			until, err := s.db.Attempt(ctx, a.th, a.key)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if !until.IsZero() {
				s.log.Info("sign-in throttled", "email", email, "address", s.clientAddr(r))
				tooMany(until)
				return
			}
		}
		u, err := s.db.UserByEmail(ctx, email)
		if err != nil && docket.ErrorCode(err) != docket.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		hash := dummyHash()
		if u != nil {
			hash = u.PasswordHash
		}
		var ok bool
		if !s.withPasswordSlot(ctx, func() { ok, err = docket.CheckPassword(pw, hash) }) {
			s.busy(w, r)
			return
		}
		if err != nil || !ok || u == nil || u.Disabled {
			v.Error = "The email address or password is not right."
			s.log.Info("sign-in failed", "email", email, "address", s.clientAddr(r))
			s.renderSignIn(w, r, http.StatusUnauthorized, v)
			return
		}
		if err := s.db.ClearFailures(ctx, acctKey); err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.db.Forgive(ctx, addrKey); err != nil {
			s.fail(w, r, err)
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			s.db.DeleteSession(ctx, tokenHash(c.Value))
		}
		b := make([]byte, 32)
		rand.Read(b)
		token := base64.RawURLEncoding.EncodeToString(b)
		if err := s.db.CreateSession(ctx, tokenHash(token), u.ID, sessionTTL); err != nil {
			s.fail(w, r, err)
			return
		}
		s.setSessionCookie(w, r, token)
		s.log.Info("signed in", "user", u.Email)
		http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	}
}

func (s *Server) handleSignOut() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			if err := s.db.DeleteSession(r.Context(), tokenHash(c.Value)); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		s.clearSessionCookie(w, r)
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}
}

// sessionToken returns the hash of the request's session token, "" when there is none.
func sessionToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	return tokenHash(c.Value)
}
