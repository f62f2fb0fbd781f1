package cli_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
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

// docketProcess starts this test binary as `docket args...` with env added.
func docketProcess(t testing.TB, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "DOCKET_TEST_RUN_DOCKET=1"), env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("docket %s (pid %d) said:\n%s", strings.Join(args, " "), cmd.Process.Pid, out.String())
		}
	})
	return cmd
}

// fetchLog counts, per source path, the fetches a feed server answered.
type fetchLog struct {
	mu    sync.Mutex
	count map[string]int
}

func (l *fetchLog) add(path string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.count[path]++
}

func (l *fetchLog) snapshot() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]int, len(l.count))
	for k, v := range l.count {
		out[k] = v
	}
	return out
}

const itemsPerSource = 3

// TestThreeProcessesShareOnePostgreSQL runs three `docket serve --no-web` workers against one
// PostgreSQL database and 200 sources. Each source is fetched once in its due period — no two
// processes fetch one source — although a worker is killed with SIGKILL in the middle: the
// sources it held are rescued and fetched by the others, and no item is stored twice.
func TestThreeProcessesShareOnePostgreSQL(t *testing.T) {
	dbURL := storetest.NewPostgresSchema(t)
	if testing.Short() {
		t.Skip("-short: this test runs for about a minute")
	}
	log := &fetchLog{count: map[string]int{}}
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.add(r.URL.Path)
		// Slow enough that every worker holds running fetches when one is killed.
		select {
		case <-time.After(400 * time.Millisecond):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title><link>https://example.org%s</link>`, r.URL.Path, r.URL.Path)
		for i := 0; i < itemsPerSource; i++ {
			fmt.Fprintf(w, `<item><guid>%s/%d</guid><title>Report %d from %s</title><link>https://example.org%s/%d</link><pubDate>Thu, 22 Dec 2016 1%d:00:00 GMT</pubDate></item>`,
				r.URL.Path, i, i, r.URL.Path, r.URL.Path, i, i)
		}
		io.WriteString(w, `</channel></rss>`)
	}))
	defer feeds.Close()

	ctx := context.Background()
	db := storetest.Open(t, dbURL)
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	const sources = 200
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := 0; i < sources; i++ {
			if err := tx.CreateSource(ctx, &docket.Source{URL: fmt.Sprintf("%s/f/%d", feeds.URL, i), Kind: docket.KindNews}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	env := []string{"DOCKET_DB=" + dbURL, "DOCKET_ALLOW_PRIVATE_SOURCES=1", "DOCKET_LOG_LEVEL=warn",
		"DOCKET_JOB_TIMEOUT=10s", "DOCKET_RESCUE_AFTER=15s", "DOCKET_FETCH_WORKERS=4"}
	var procs []*exec.Cmd
	for i := 0; i < 3; i++ {
		procs = append(procs, docketProcess(t, env, "serve", "--no-web"))
	}

	// Kill, with SIGKILL, a worker that holds running fetches.
	var victim *exec.Cmd
	var held []int64
	waitFor(t, 60*time.Second, func() bool {
		for _, p := range procs {
			ids := runningJobsOf(t, db, p.Process.Pid)
			if len(ids) > 0 {
				victim, held = p, ids
				return true
			}
		}
		return false
	})
	done := fetchedSources(t, db)
	if err := victim.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed pid %d holding %d fetches; %d of %d sources were stored", victim.Process.Pid, len(held), done, sources)

	// Every source ends up stored, the killed worker's ones after River rescues them.
	waitFor(t, 150*time.Second, func() bool { return fetchedSources(t, db) == sources })

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
	heldPaths := map[string]bool{}
	for _, id := range held {
		s, err := db.SourceByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		heldPaths[strings.TrimPrefix(s.URL, feeds.URL)] = true
	}
	twice := 0
	for path, n := range log.snapshot() {
		switch {
		case n == 1:
		case n == 2 && heldPaths[path]:
			twice++ // fetched by the killed worker, which died before storing, then rescued
		default:
			t.Errorf("%s was fetched %d times (held by the killed worker: %v)", path, n, heldPaths[path])
		}
	}
	if len(log.snapshot()) != sources {
		t.Errorf("%d sources fetched, want %d", len(log.snapshot()), sources)
	}
	t.Logf("%d of the killed worker's %d fetches were fetched again after the rescue", twice, len(held))
}

// runningJobsOf returns the sources whose fetch job the process with pid is running.
func runningJobsOf(t *testing.T, db *store.DB, pid int) []int64 {
	t.Helper()
	var rows []struct {
		By   string `db:"by"`
		Args string `db:"args"`
	}
	err := db.R.Select(&rows, `SELECT attempted_by[array_length(attempted_by, 1)] AS by, args::text AS args
		FROM river_job WHERE state = 'running' AND kind = 'fetch_source'`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range rows {
		if strings.HasSuffix(r.By, "-"+strconv.Itoa(pid)) {
			var id int64
			fmt.Sscanf(r.Args[strings.Index(r.Args, ":")+1:], "%d", &id)
			ids = append(ids, id)
		}
	}
	return ids
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
				var cmds []*exec.Cmd
				for p := 0; p < procs; p++ {
					cmds = append(cmds, docketProcess(b, env, "serve", "--no-web"))
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
				for _, c := range cmds {
					c.Process.Signal(syscall.SIGTERM)
					c.Wait()
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(sources)/(total.Seconds()/float64(b.N)), "sources/s")
		})
	}
}
