package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/demo"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var o struct {
		db, addr, baseURL, logLevel, logFormat string
		trustedProxies, metricsToken           string
		demo, noWeb, noIngest, allowPrivate    bool
		fetchWorkers, staleThreshold           int
		reviewOverdue                          time.Duration
		shutdown, rescueAfter, jobTimeout      time.Duration
		parliament                             parliamentOptions
	}
	fs := newFlags(e, "serve", "[flags]", "Serves the public pages, the office and the JSON API, and fetches sources in the background.\n"+
		"Several processes may share one PostgreSQL database: split the roles with --no-web and --no-ingest.")
	fs.dbFlag(&o.db)
	fs.stringEnv(&o.addr, "addr", "DOCKET_ADDR", "127.0.0.1:8080", "the address to listen on (host:port; port 0 picks a free one)")
	fs.stringEnv(&o.baseURL, "base-url", "DOCKET_BASE_URL", "", "the public address of the site, for links in feeds (e.g. https://docket.example.org)")
	fs.stringEnv(&o.metricsToken, "metrics-token", "DOCKET_METRICS_TOKEN", "", "when set, /metrics answers only requests that send it as a bearer token")
	fs.stringEnv(&o.trustedProxies, "trusted-proxies", "DOCKET_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (sign-in limits count the real client)")
	fs.BoolVar(&o.demo, "demo", false, "fill an empty database with demo data: the Syria topic, its sources, items and a published statement")
	fs.boolEnv(&o.noWeb, "no-web", "DOCKET_NO_WEB", "do not serve HTTP: only fetch sources (an ingest worker)")
	fs.boolEnv(&o.noIngest, "no-ingest", "DOCKET_NO_INGEST", "do not fetch sources: only serve HTTP")
	fs.boolEnv(&o.allowPrivate, "allow-private-sources", "DOCKET_ALLOW_PRIVATE_SOURCES", "allow feeds on loopback and private addresses (tests, intranets)")
	fs.intEnv(&o.fetchWorkers, "fetch-workers", "DOCKET_FETCH_WORKERS", 8, "how many sources this process fetches at once")
	fs.durationEnv(&o.shutdown, "shutdown-timeout", "DOCKET_SHUTDOWN_TIMEOUT", 20*time.Second, "how long to wait for requests and fetches to finish on SIGINT/SIGTERM")
	fs.durationEnv(&o.jobTimeout, "job-timeout", "DOCKET_JOB_TIMEOUT", 2*time.Minute, "the longest a background job (a fetch) may run")
	fs.durationEnv(&o.rescueAfter, "rescue-after", "DOCKET_RESCUE_AFTER", 3*time.Minute, "when a job has run this long, its process is taken for dead and another takes the job over (must exceed --job-timeout)")
	fs.intEnv(&o.staleThreshold, "stale-threshold", "DOCKET_STALE_THRESHOLD", defaultStaleThreshold, "how many new confirmed or UN items on its topics make a published statement stale")
	fs.durationEnv(&o.reviewOverdue, "review-overdue", "DOCKET_REVIEW_OVERDUE", defaultReviewOverdue, "how long a statement may wait in review before the board flags it")
	fs.stringEnv(&o.logLevel, "log-level", "DOCKET_LOG_LEVEL", "info", "debug, info, warn or error")
	fs.stringEnv(&o.logFormat, "log-format", "DOCKET_LOG_FORMAT", "text", "text or json")
	fs.parliamentFlags(&o.parliament, true)
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	if o.noWeb && o.noIngest {
		return fs.fail("--no-web and --no-ingest together leave nothing to do")
	}
	if why := badBaseURL(o.baseURL); why != "" {
		return fs.fail("--base-url %q %s: give the site's public address, such as https://docket.example.org", o.baseURL, why)
	}
	// jobs.New takes a zero or negative duration for its default: refuse one here, so what
	// was asked for is never silently replaced.
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--job-timeout", o.jobTimeout}, {"--rescue-after", o.rescueAfter}, {"--shutdown-timeout", o.shutdown}} {
		if d.v <= 0 {
			return fs.fail("%s %s must be positive", d.flag, d.v)
		}
	}
	if o.rescueAfter <= o.jobTimeout {
		return fs.fail("--rescue-after %s must be longer than --job-timeout %s", o.rescueAfter, o.jobTimeout)
	}
	if o.staleThreshold < 1 {
		return fs.fail("--stale-threshold %d must be at least 1", o.staleThreshold)
	}
	if o.reviewOverdue <= 0 {
		return fs.fail("--review-overdue %s must be positive", o.reviewOverdue)
	}
	if o.fetchWorkers < 1 || o.fetchWorkers > 256 {
		return fs.fail("--fetch-workers %d must be from 1 to 256", o.fetchWorkers)
	}
	proxies, err := parsePrefixes(o.trustedProxies)
	if err != nil {
		return fs.fail("--trusted-proxies: %v", err)
	}
	log, err := newLogger(e.stderr, o.logLevel, o.logFormat)
	if err != nil {
		return fs.fail("%v", err)
	}
	pc, err := o.parliament.client(fs)
	if err != nil {
		return err
	}

	db, err := openDB(ctx, e, o.db, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.demo {
		seeded, err := demo.Seed(ctx, db)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if seeded {
			log.Info("demo data loaded: topic syria with its sources, items and a published statement")
		} else {
			log.Info("the database already holds topics: demo data not loaded")
		}
	}

	if admins, err := db.CountAdmins(ctx); err != nil {
		return err
	} else if admins == 0 && !o.noWeb {
		fmt.Fprintln(e.stderr, "No admin can sign in to the office yet. Create one with:\n"+
			"  docket user add --db "+store.Redact(o.db)+" --email you@example.org --name 'Your Name' --role admin")
	}

	ing := newIngester(db, o.allowPrivate, pc, log)
	runner, err := jobs.New(db, ing, jobs.Config{Work: !o.noIngest, FetchWorkers: o.fetchWorkers, Logger: log,
		JobTimeout: o.jobTimeout, RescueAfter: o.rescueAfter})
	if err != nil {
		return err
	}
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer stopJobs()
	if err := runner.Start(jobsCtx); err != nil {
		return err
	}

	var srv *http.Server
	errc := make(chan error, 1)
	if !o.noWeb {
		ln, err := net.Listen("tcp", o.addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", o.addr, err)
		}
		handler := web.NewServer(web.Config{DB: db, Logger: log, Version: version(), BaseURL: o.baseURL, Jobs: runner,
			StaleThreshold: o.staleThreshold, ReviewOverdue: o.reviewOverdue, TrustedProxies: proxies, MetricsToken: o.metricsToken,
			// Pages imported by URL are fetched with the dial guard always on: an editor's
			// URL must never reach the intranet, whatever --allow-private-sources says.
			Pages: pageFetcher{ingest.NewClient(ingest.ClientOptions{UserAgent: ing.Client.UserAgent(), MaxBody: statements.MaxImportBytes})}})
		srv = &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          nil,
		}
		go func() { errc <- srv.Serve(ln) }()
		fmt.Fprintf(e.stdout, "Docket is serving on http://%s\n", displayAddr(ln.Addr()))
		if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() && o.baseURL == "" {
			log.Warn("--base-url is not set: links in feeds and pages will take the host each request names; set DOCKET_BASE_URL to the site's public address")
		}
	} else {
		fmt.Fprintln(e.stdout, "Docket is fetching sources (no web server: --no-web)")
	}
	if o.noIngest {
		log.Info("not fetching sources (--no-ingest)")
	}

	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.shutdown)
	defer cancel()
	var errs []error
	if srv != nil {
		if err := srv.Shutdown(sctx); err != nil {
			errs = append(errs, fmt.Errorf("stop web server: %w", err))
		}
	}
	if err := runner.Stop(sctx); err != nil {
		errs = append(errs, fmt.Errorf("stop jobs: %w", err))
	}
	stopJobs()
	return errors.Join(errs...)
}

// badBaseURL says what is wrong with a --base-url, "" when nothing is (or none is set). Feeds
// take their ids and the API its links from it, so it must be an absolute http(s) address,
// with nothing after the path that every link would then carry.
func badBaseURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not an address"
	case !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://"):
		return "must start with http:// or https://"
	case u.Host == "" || u.Hostname() == "":
		return "names no host"
	case u.User != nil:
		return "must not carry a user name or password"
	case u.RawQuery != "" || u.ForceQuery:
		return "must not have a query (?…)"
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "must not have a fragment (#…)"
	}
	return ""
}

// displayAddr makes a listener's address clickable: an unspecified host becomes 127.0.0.1.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP.IsUnspecified() {
		return fmt.Sprintf("127.0.0.1:%d", tcp.Port)
	}
	return tcp.String()
}

// parsePrefixes reads a comma-separated list of addresses and CIDR ranges.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or a CIDR range", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
