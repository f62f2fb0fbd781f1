package cli_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/cli"
	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestMain lets the test binary stand in for the docket binary: with DOCKET_TEST_RUN_DOCKET=1
// it runs the command line on its arguments, so tests can start real docket processes (and
// kill them) without building anything.
func TestMain(m *testing.M) {
	if os.Getenv("DOCKET_TEST_RUN_DOCKET") == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

const itemsPerSource = 3

// fetch is one request a feed server received.
type fetch struct {
	path   string
	pid    int // the docket process that asked (peers.of)
	period int // the test's due period when it came
	at     time.Time
}

type inflightKey struct {
	pid  int
	path string
}

// slowFeeds answers every path with an RSS feed of itemsPerSource items after delay. It
// records which process asked for what, and when; while frozen it holds every answer back, so
// requests already in flight stay in flight.
type slowFeeds struct {
	*httptest.Server
	peers *peers
	delay time.Duration

	mu       sync.Mutex
	period   int
	fetches  []fetch
	inflight map[inflightKey]int
	gate     chan struct{} // non-nil while frozen; closed on release
}

func newSlowFeeds(t testing.TB, ps *peers, delay time.Duration) *slowFeeds {
	f := &slowFeeds{peers: ps, delay: delay, inflight: map[inflightKey]int{}}
	f.Server = httptest.NewUnstartedServer(f)
	f.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateClosed || s == http.StateHijacked {
			ps.forget(c.RemoteAddr().String())
		}
	}
	f.Start()
	t.Cleanup(func() {
		f.release()
		f.Close()
	})
	return f
}

func (f *slowFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := inflightKey{f.peers.of(r.RemoteAddr), r.URL.Path}
	f.mu.Lock()
	f.fetches = append(f.fetches, fetch{key.path, key.pid, f.period, time.Now()})
	f.inflight[key]++
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		if f.inflight[key]--; f.inflight[key] == 0 {
			delete(f.inflight, key)
		}
		f.mu.Unlock()
	}()
	select {
	case <-time.After(f.delay):
	case <-r.Context().Done():
		return
	}
	for {
		f.mu.Lock()
		gate := f.gate
		f.mu.Unlock()
		if gate == nil {
			break
		}
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title><link>https://example.org%s</link>`, r.URL.Path, r.URL.Path)
	for i := 0; i < itemsPerSource; i++ {
		fmt.Fprintf(w, `<item><guid>%s/%d</guid><title>Report %d from %s</title><link>https://example.org%s/%d</link><pubDate>Thu, 22 Dec 2016 1%d:00:00 GMT</pubDate></item>`,
			r.URL.Path, i, i, r.URL.Path, r.URL.Path, i, i)
	}
	io.WriteString(w, `</channel></rss>`)
}

func (f *slowFeeds) setPeriod(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.period = n
}

// freeze holds back every answer from now on, until release.
func (f *slowFeeds) freeze() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gate == nil {
		f.gate = make(chan struct{})
	}
}

func (f *slowFeeds) release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gate != nil {
		close(f.gate)
		f.gate = nil
	}
}

// inflightOf lists the paths process pid is waiting for an answer on.
func (f *slowFeeds) inflightOf(pid int) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k := range f.inflight {
		if k.pid == pid {
			out = append(out, k.path)
		}
	}
	return out
}

func (f *slowFeeds) log() []fetch {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.fetches)
}

// addSources adds n sources, /f/0 to /f/n-1 on the feed server.
func addSources(t testing.TB, db *store.DB, feedURL string, n int) {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			if err := tx.CreateSource(ctx, &docket.Source{URL: fmt.Sprintf("%s/f/%d", feedURL, i), Kind: docket.KindNews}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// advance makes every source due now: the test's clock for the next due period. Each
// source's next fetch job waits, scheduled at its next_fetch_at (five minutes ahead at
// least); moving that time to now is what the passing of the period would do, without
// shortening any interval the ingester computes.
func advance(t *testing.T, db *store.DB, feeds *slowFeeds, period int) {
	t.Helper()
	feeds.setPeriod(period)
	if _, err := db.W.Exec(`UPDATE river_job SET scheduled_at = now() WHERE kind = 'fetch_source' AND state = 'scheduled'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec(`UPDATE sources SET next_fetch_at = now()`); err != nil {
		t.Fatal(err)
	}
}

// waitPeriodEnd waits until every source has been fetched and stored in the period: each
// has exactly one fetch job, its next, scheduled beyond the period, and none is waiting,
// running or being retried.
func waitPeriodEnd(t *testing.T, db *store.DB, sources int, limit time.Duration) {
	t.Helper()
	waitFor(t, limit, func() bool {
		var n struct {
			Ahead int `db:"ahead"`
			Other int `db:"other"`
		}
		err := db.R.Get(&n, `SELECT count(*) FILTER (WHERE state = 'scheduled' AND scheduled_at > now() + interval '1 minute') AS ahead,
			count(*) FILTER (WHERE state IN ('available', 'pending', 'running', 'retryable')
				OR (state = 'scheduled' AND scheduled_at <= now() + interval '1 minute')) AS other
			FROM river_job WHERE kind = 'fetch_source'`)
		if err != nil {
			t.Fatal(err)
		}
		return n.Ahead == sources && n.Other == 0
	})
	if n := fetchedSources(t, db); n != sources {
		t.Fatalf("%d of %d sources stored without error at the end of the period", n, sources)
	}
}

// runningFetches returns, by source path, when the fetch jobs that process pid is running
// were started.
func runningFetches(t *testing.T, db *store.DB, feedURL string, pid int) map[string]time.Time {
	t.Helper()
	var rows []struct {
		By       string    `db:"by"`
		SourceID int64     `db:"source_id"`
		At       time.Time `db:"attempted_at"`
	}
	err := db.R.Select(&rows, `SELECT attempted_by[array_length(attempted_by, 1)] AS by, (args->>'source_id')::bigint AS source_id, attempted_at
		FROM river_job WHERE state = 'running' AND kind = 'fetch_source'`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]time.Time{}
	for _, r := range rows {
		if !strings.HasSuffix(r.By, "-"+strconv.Itoa(pid)) {
			continue
		}
		s, err := db.SourceByID(context.Background(), r.SourceID)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(s.URL, feedURL)] = r.At
	}
	return out
}

// backends counts the PostgreSQL connections a process opened (by its application_name).
func backends(t *testing.T, db *store.DB, app string) int {
	t.Helper()
	var n int
	if err := db.R.Get(&n, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestThreeProcessesShareOnePostgreSQL runs three `docket serve --no-web` workers against one
// PostgreSQL database and 200 sources for three due periods. In the first, one worker is
// killed with SIGKILL while the feed server holds its fetches in flight: the sources whose
// jobs it held are fetched again, by the others, only once River takes the jobs for
// abandoned (--rescue-after); the sources it had stored are not. In the third, a worker
// is stopped with SIGTERM in the middle of its fetches and exits 0 in time, its fetches
// finished. Each source is fetched exactly once in each period, and no item is stored twice.
func TestThreeProcessesShareOnePostgreSQL(t *testing.T) {
	dbURL := storetest.NewPostgresSchema(t)
	if testing.Short() {
		t.Skip("-short: this test runs for about a minute")
	}
	ps := newPeers(t)
	// Slow enough that every worker always has fetches in flight.
	feeds := newSlowFeeds(t, ps, 200*time.Millisecond)
	ctx := context.Background()
	db := storetest.Open(t, dbURL)
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	const sources = 200
	addSources(t, db, feeds.URL, sources)

	const rescueAfter, shutdown = 8 * time.Second, 10 * time.Second
	env := []string{"DOCKET_ALLOW_PRIVATE_SOURCES=1", "DOCKET_LOG_LEVEL=warn", "DOCKET_FETCH_WORKERS=4",
		"DOCKET_JOB_TIMEOUT=5s", "DOCKET_RESCUE_AFTER=" + rescueAfter.String(), "DOCKET_SHUTDOWN_TIMEOUT=" + shutdown.String()}
	var procs []*docketProc
	apps := map[*docketProc]string{}
	feeds.setPeriod(1)
	for i := 0; i < 3; i++ {
		app := fmt.Sprintf("docket-worker-%d", i)
		p := docketProcess(t, append(env, "DOCKET_DB="+dbURL+"&application_name="+app), "serve", "--no-web")
		ps.add(p.pid())
		procs = append(procs, p)
		apps[p] = app
	}

	// Period 1: once some sources are stored, hold back the feed server's answers and kill,
	// with SIGKILL, the worker with the most fetches in flight.
	var victim *docketProc
	var inflight []string
	waitFor(t, 60*time.Second, func() bool {
		if fetchedSources(t, db) < 10 {
			return false
		}
		feeds.freeze()
		for _, p := range procs {
			if paths := feeds.inflightOf(p.pid()); len(paths) > len(inflight) {
				victim, inflight = p, paths
			}
		}
		if victim == nil {
			feeds.release()
			return false
		}
		return true
	})
	stored := fetchedSources(t, db)
	victim.kill(t)
	// Its transactions are over once PostgreSQL has seen its connections close.
	waitFor(t, 20*time.Second, func() bool { return backends(t, db, apps[victim]) == 0 })
	held := runningFetches(t, db, feeds.URL, victim.pid())
	askedByVictim := map[string]bool{}
	for _, f := range feeds.log() {
		if f.pid == victim.pid() {
			askedByVictim[f.path] = true
		}
	}
	feeds.release()
	for _, p := range inflight {
		if _, ok := held[p]; !ok {
			t.Errorf("%s was in flight when its worker was killed, but its job is not running", p)
		}
	}
	t.Logf("killed pid %d with %d fetches in flight at the feed server and %d fetch jobs running; %d of %d sources were stored",
		victim.pid(), len(inflight), len(held), stored, sources)
	waitPeriodEnd(t, db, sources, 150*time.Second)

	survivors := slices.DeleteFunc(slices.Clone(procs), func(p *docketProc) bool { return p == victim })
	advance(t, db, feeds, 2)
	waitPeriodEnd(t, db, sources, 90*time.Second)

	// Period 3: SIGTERM to a worker in the middle of its fetches.
	advance(t, db, feeds, 3)
	waitFor(t, 30*time.Second, func() bool { return len(feeds.inflightOf(survivors[0].pid())) > 0 })
	survivors[0].terminate(t, shutdown)
	stoppedAt := time.Now()
	waitPeriodEnd(t, db, sources, 90*time.Second)
	survivors[1].terminate(t, shutdown)

	// Each source fetched once a period, by a live worker; in period 1, the ones the killed
	// worker had asked for and not stored, once more, after the rescue.
	byPeriod := map[int]map[string][]fetch{1: {}, 2: {}, 3: {}}
	for _, f := range feeds.log() {
		if f.pid == 0 {
			t.Errorf("a request for %s came from no docket process the test started", f.path)
		}
		byPeriod[f.period][f.path] = append(byPeriod[f.period][f.path], f)
	}
	again := 0
	for period, paths := range byPeriod {
		if len(paths) != sources {
			t.Errorf("period %d: %d sources fetched, want %d", period, len(paths), sources)
		}
		for path, fs := range paths {
			startedAt, wasHeld := held[path]
			want := 1
			if period == 1 && wasHeld && askedByVictim[path] {
				want = 2
				again++
			}
			if len(fs) != want {
				t.Errorf("period %d: %s fetched %d times, want %d (its job held by the killed worker: %v, asked for by it: %v)",
					period, path, len(fs), want, wasHeld, askedByVictim[path])
				continue
			}
			last := fs[len(fs)-1]
			switch {
			case period > 1 && last.pid == victim.pid():
				t.Errorf("period %d: %s fetched by the killed worker", period, path)
			case period == 1 && wasHeld && (last.pid == victim.pid() || last.at.Before(startedAt.Add(rescueAfter))):
				t.Errorf("%s, held by the killed worker since %s, fetched by pid %d at %s, want another worker after the rescue (%s later)",
					path, startedAt.Format(time.StampMilli), last.pid, last.at.Format(time.StampMilli), rescueAfter)
			case period == 3 && last.pid == survivors[0].pid() && last.at.After(stoppedAt):
				t.Errorf("%s fetched by pid %d after it stopped", path, last.pid)
			}
		}
	}
	t.Logf("%d sources the killed worker had asked for were fetched again after the rescue", again)

	var items struct {
		N        int `db:"n"`
		Distinct int `db:"d"`
	}
	if err := db.R.Get(&items, `SELECT count(*) AS n, count(DISTINCT (source_id, guid)) AS d FROM items`); err != nil {
		t.Fatal(err)
	}
	if items.N != sources*itemsPerSource || items.Distinct != items.N {
		t.Errorf("%d items (%d distinct), want %d stored once each", items.N, items.Distinct, sources*itemsPerSource)
	}
}

func fetchedSources(t testing.TB, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.R.Get(&n, `SELECT count(*) FROM sources WHERE last_fetched_at IS NOT NULL AND last_error = ''`); err != nil {
		t.Fatal(err)
	}
	return n
}

// BenchmarkIngest200Sources measures the same ingest — 200 sources on 20 hosts that each
// answer in 200 ms, as feeds on the internet do — by one and by three `docket serve --no-web`
// processes sharing one PostgreSQL database. Each iteration uses a fresh schema; the time is
// from the processes' start to the last source stored. Run it with
//
//	DOCKET_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//	  go test -run '^$' -bench Ingest200Sources -benchtime 3x ./internal/cli/
func BenchmarkIngest200Sources(b *testing.B) {
	const sources, hosts = 200, 20
	var servers []*httptest.Server
	for h := 0; h < hosts; h++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+2))
		if err != nil {
			b.Skipf("cannot listen on 127.0.0.%d: %v", h+2, err)
		}
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(200 * time.Millisecond)
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>`, r.URL.Path)
			for i := 0; i < 10; i++ {
				fmt.Fprintf(w, `<item><guid>%s/%d</guid><title>Report %d on Syria</title><description>Aid convoys reached Idlib.</description><pubDate>Thu, 22 Dec 2016 10:%02d:00 GMT</pubDate></item>`, r.URL.Path, i, i, i)
			}
			io.WriteString(w, `</channel></rss>`)
		}))
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		defer srv.Close()
		servers = append(servers, srv)
	}
	for _, procs := range []int{1, 3} {
		b.Run(fmt.Sprintf("processes=%d", procs), func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				b.StopTimer()
				dbURL := storetest.NewPostgresSchema(b)
				ctx := context.Background()
				db := storetest.Open(b, dbURL)
				if err := jobs.Migrate(ctx, db); err != nil {
					b.Fatal(err)
				}
				err := db.Update(ctx, func(tx *store.Tx) error {
					for i := 0; i < sources; i++ {
						u := fmt.Sprintf("%s/f/%d", servers[i%hosts].URL, i)
						if err := tx.CreateSource(ctx, &docket.Source{URL: u, Kind: docket.KindNews}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				env := []string{"DOCKET_DB=" + dbURL, "DOCKET_ALLOW_PRIVATE_SOURCES=1", "DOCKET_LOG_LEVEL=error"}
				var running []*docketProc
				for p := 0; p < procs; p++ {
					running = append(running, docketProcess(b, env, "serve", "--no-web"))
				}
				for fetchedSources(b, db) < sources {
					if time.Since(start) > 3*time.Minute {
						b.Fatal("the ingest did not finish in 3 minutes")
					}
					time.Sleep(20 * time.Millisecond)
				}
				elapsed := time.Since(start)
				total += elapsed
				b.StopTimer()
				for _, p := range running {
					p.terminate(b, time.Minute)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(sources)/(total.Seconds()/float64(b.N)), "sources/s")
		})
	}
}

// TestTwoWebServersShareOnePostgreSQL runs two `docket serve --no-ingest` web servers and a
// `docket serve --no-web` worker on one PostgreSQL database, as deploy/compose.yaml does: a
// session made on one web server is good on the other (and signing out on one ends it on
// both); with --base-url set, public pages and the API give the same ETag on both, so a cache
// in front may revalidate against either; the web servers never fetch a source, although
// every source's fetch job waited for a worker from before they started; the worker fetches
// them all and listens on no port; SIGTERM stops each within its shutdown timeout, exit 0.
func TestTwoWebServersShareOnePostgreSQL(t *testing.T) {
	dbURL := storetest.NewPostgresSchema(t)
	if testing.Short() {
		t.Skip("-short: this test starts three docket processes")
	}
	ps := newPeers(t)
	feeds := newSlowFeeds(t, ps, 0)
	ctx := context.Background()
	db := storetest.Open(t, dbURL)
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	const sources, password = 5, "correct horse battery"
	addSources(t, db, feeds.URL, sources)
	mustRun(t, map[string]string{"DOCKET_DB": dbURL}, "topic", "add", "--title", "Syria", "--rule", "Report", "--public")
	mustRun(t, map[string]string{"DOCKET_DB": dbURL, "DOCKET_PASSWORD": password}, "user", "add", "--email", "ada@example.org", "--name", "Ada Admin", "--role", "admin")
	// Every source's fetch job waits for a process that works jobs.
	runner, err := jobs.New(db, nil, jobs.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.EnqueueSources(ctx); err != nil {
		t.Fatal(err)
	}

	const shutdown = 10 * time.Second
	env := []string{"DOCKET_DB=" + dbURL, "DOCKET_ALLOW_PRIVATE_SOURCES=1", "DOCKET_LOG_LEVEL=warn", "DOCKET_SHUTDOWN_TIMEOUT=" + shutdown.String()}
	var web []*docketProc
	var bases []string
	for range 2 {
		p := docketProcess(t, env, "serve", "--no-ingest", "--addr", "127.0.0.1:0", "--base-url", "https://docket.example.org")
		ps.add(p.pid())
		line := p.waitOutput(t, "Docket is serving on http://")
		web, bases = append(web, p), append(bases, strings.TrimSpace(line[strings.Index(line, "http://"):]))
	}

	// Sessions live in the database.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(bases[0]+"/signin", url.Values{"email": {"ada@example.org"}, "password": {password}, "next": {"/office"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "docket_session" && c.Value != "" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("signing in on the first server: %d, cookies %v; want 303 with a session cookie", resp.StatusCode, resp.Cookies())
	}
	office := func(base string, c *http.Cookie) (int, string) {
		req, _ := http.NewRequest("GET", base+"/office", nil)
		if c != nil {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := office(bases[1], session); code != http.StatusOK || !strings.Contains(body, "Ada Admin") {
		t.Errorf("the second server with the first's session cookie: %d, want 200 and the office of Ada Admin", code)
	}
	if code, _ := office(bases[1], nil); code != http.StatusSeeOther {
		t.Errorf("the second server without a cookie: %d, want 303 to the sign-in page", code)
	}

	// Neither web server has fetched anything, though the jobs have waited all along.
	if n := len(feeds.log()); n != 0 {
		t.Errorf("the feed server had %d requests before any worker ran, want none", n)
	}
	worker := docketProcess(t, env, "serve", "--no-web")
	ps.add(worker.pid())
	worker.waitOutput(t, "Docket is fetching sources (no web server: --no-web)")
	waitFor(t, 60*time.Second, func() bool { return fetchedSources(t, db) == sources })
	fetched := map[string]int{}
	for _, f := range feeds.log() {
		fetched[f.path]++
		if f.pid != worker.pid() {
			t.Errorf("%s was fetched by pid %d, want only the worker (pid %d; the web servers are %d and %d)", f.path, f.pid, worker.pid(), web[0].pid(), web[1].pid())
		}
	}
	if len(fetched) != sources {
		t.Errorf("%d sources fetched, want %d", len(fetched), sources)
	}
	var workedBy []string
	if err := db.R.Select(&workedBy, `SELECT DISTINCT unnest(attempted_by) FROM river_job WHERE kind = 'fetch_source'`); err != nil {
		t.Fatal(err)
	}
	if want := "-" + strconv.Itoa(worker.pid()); len(workedBy) != 1 || !strings.HasSuffix(workedBy[0], want) {
		t.Errorf("fetch jobs worked by %v, want the worker's client (…%s) only", workedBy, want)
	}
	if n := listeningPorts(worker.pid()); n != 0 {
		t.Errorf("the --no-web worker listens on %d ports, want none", n)
	}
	if n := listeningPorts(web[0].pid()); n != 1 {
		t.Errorf("a web server listens on %d ports, want 1 (else the check above proves nothing)", n)
	}

	// The same public page from either server, to the byte: the same ETag.
	for _, path := range []string{"/", "/topics/syria", "/topics/syria/feed.atom", "/api/v1/topics", "/api/v1/topics/syria", "/api/v1/topics/syria/timeline"} {
		var tags []string
		for _, base := range bases {
			resp, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "" {
				t.Fatalf("GET %s%s: %d, ETag %q; want 200 with an ETag", base, path, resp.StatusCode, resp.Header.Get("ETag"))
			}
			tags = append(tags, resp.Header.Get("ETag"))
		}
		if tags[0] != tags[1] {
			t.Errorf("%s: ETag %s on one server, %s on the other; want the same", path, tags[0], tags[1])
		}
		req, _ := http.NewRequest("GET", bases[1]+path, nil)
		req.Header.Set("If-None-Match", tags[0])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s on the second server with the first's ETag: %d, want 304", path, resp.StatusCode)
		}
	}

	// Signing out on the second server ends the session on the first too.
	req, _ := http.NewRequest("POST", bases[1]+"/signout", nil)
	req.AddCookie(session)
	if resp, err := client.Do(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	if code, _ := office(bases[0], session); code != http.StatusSeeOther {
		t.Errorf("the first server after signing out on the second: %d, want 303 to the sign-in page", code)
	}

	for _, p := range append(web, worker) {
		p.terminate(t, shutdown)
	}
}
