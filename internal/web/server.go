// Package web serves Docket's pages, its JSON API, health checks and metrics. Every route is
// listed in routes.go; each page or action has its own file; errors become responses in one
// place (errors.go).
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/store"
)

//go:embed static
var staticFS embed.FS

// Enqueuer asks the background workers to fetch a source now.
type Enqueuer interface {
	EnqueueFetch(ctx context.Context, sourceID int64) error
}

// Config holds what the server needs.
type Config struct {
	DB      *store.DB
	Logger  *slog.Logger
	Version string
	// BaseURL is the public address, for absolute links in feeds and Open Graph tags; when
	// empty, the request's host is used.
	BaseURL string
	// Jobs, when set, lets office actions start fetches at once.
	Jobs Enqueuer
	// Registry collects metrics; a new one is made when nil.
	Registry *prometheus.Registry
	// Now is the clock (tests replace it).
	Now func() time.Time
	// MetricsToken, when set, must come as a bearer token to read /metrics.
	MetricsToken string
	// TrustedProxies are the addresses of reverse proxies whose X-Forwarded-For is believed,
	// so sign-in attempts are counted per real client, not per proxy.
	TrustedProxies []netip.Prefix
	// StaleThreshold is how many new confirmed or UN items on its topics make a published
	// statement stale (default 1).
	StaleThreshold int
	// ReviewOverdue is how long a statement may wait in review before the board flags it
	// (default 48 hours).
	ReviewOverdue time.Duration
	// Pages fetches a web page for the statement import, with the feed client's protections;
	// when nil, the import takes pasted text only.
	Pages PageFetcher
	// NoPageCache renders every public page afresh, even for readers who are not signed in
	// (pageCache): for measuring what rendering costs.
	NoPageCache bool
}

// Server is Docket's HTTP handler.
type Server struct {
	cfg     Config
	db      *store.DB
	log     *slog.Logger
	handler http.Handler
	metrics *metrics
	now     func() time.Time

	mux          *http.ServeMux // tests add routes to it
	officeRoutes []OfficeRoute
	publicRoutes []string
	ranker       *evidence.Ranker
	// passwordChecks bounds the password checks running at once: each takes 64 MiB.
	passwordChecks chan struct{}
	passwordWait   time.Duration
	// pages keeps public pages rendered for readers who are not signed in; nil with
	// Config.NoPageCache.
	pages *pageCache
}

// NewServer builds the handler with every route and middleware.
func NewServer(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
		cfg.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.StaleThreshold <= 0 {
		cfg.StaleThreshold = 1
	}
	if cfg.ReviewOverdue <= 0 {
		cfg.ReviewOverdue = 48 * time.Hour
	}
	s := &Server{cfg: cfg, db: cfg.DB, log: cfg.Logger, now: cfg.Now, ranker: &evidence.Ranker{DB: cfg.DB},
		passwordChecks: make(chan struct{}, 4), passwordWait: passwordWait}
	if !cfg.NoPageCache {
		s.pages = &pageCache{}
	}
	s.metrics = newMetrics(cfg.Registry)
	mux := http.NewServeMux()
	s.mux = mux
	s.routes(mux)
	// Cross-origin form posts are refused before any handler runs.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusForbidden, "Request refused", "This form was sent from another site, so Docket refused it.")
	}))
	// withUser runs before the recoverer and the cross-origin check, so their error pages
	// show the signed-in user's header like any other page; the recoverer runs inside
	// observe, so a panic's 500 is counted. The outer recoverer only catches a panic in the
	// middleware itself.
	s.handler = s.recoverer(securityHeaders(s.observe(s.withUser(s.recoverer(cop.Handler(s.limitForms(mux)))))))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// securityHeaders sets the headers every response carries. No inline script is allowed:
// the only scripts are Docket's own static files.
func securityHeaders(next http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic in a handler into a 500 page and one log line with the stack.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong", "Docket could not show this page. The error has been logged.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe counts and times requests by route pattern, and logs slow or failed ones.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		if i := strings.IndexByte(route, ' '); i >= 0 {
			route = route[i+1:]
		}
		d := time.Since(start)
		s.metrics.observe(r.Method, route, rec.status, d)
		if rec.status >= 500 {
			s.log.Warn("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", d)
		} else {
			s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", d)
		}
	})
}

// Form size limits: a form is a few fields; an import carries a whole page.
const (
	maxFormBytes   = 1 << 20
	maxImportBytes = 10 << 20
)

// limitForms caps what a POST may send and parses its form up front, so a form too large is
// refused with 413 here instead of reaching a handler as silently empty fields.
func (s *Server) limitForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		limit := int64(maxFormBytes)
		if r.URL.Path == "/office/statements/import" {
			limit = maxImportBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.errorPage(w, r, http.StatusRequestEntityTooLarge, "Too much sent",
					fmt.Sprintf("This form sent more than Docket accepts (%d MiB).", limit>>20))
				return
			}
			s.errorPage(w, r, http.StatusBadRequest, "This form could not be read", "The browser sent a form Docket could not read. Try again.")
			return
		}
		next.ServeHTTP(w, r)
	})
}
