package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/bench"
	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/store"
)

func runBench(ctx context.Context, e *env, args []string) error {
	var o struct {
		db, postgres, sizes, only string
		feeds, items, runs        int
		workers, hosts, clients   int
		seed                      int
		pageTime                  time.Duration
		asJSON, quiet             bool
	}
	fs := newFlags(e, "bench", "[flags]", "Measures Docket against its performance limits on a generated corpus: ingest end to end\n"+
		"(against gofeed parsing the same bytes alone), re-polling unchanged sources, matching, the public\n"+
		"topic page and timeline JSON at each corpus size (against a handler writing the same bytes from\n"+
		"memory), evidence suggestions, and the peak memory of docket serve; then prints the figures with\n"+
		"their targets. It never writes to a Docket database of yours: it makes its own, and keeps the\n"+
		"large corpora (built once, which takes minutes) for the next run.")
	fs.stringEnv(&o.db, "db", "DOCKET_BENCH_DB", "", "where the corpora live: a folder for SQLite files (default "+
		filepath.Join(os.TempDir(), "docket-bench")+"), or postgres://USER@HOST/DB for a schema per corpus there")
	fs.stringEnv(&o.postgres, "postgres", "DOCKET_BENCH_POSTGRES", "", "a PostgreSQL database to measure ingest into as well (a fresh schema, dropped after); default the --db URL when it is one")
	fs.IntVar(&o.feeds, "feeds", 200, "feeds in the ingest corpus")
	fs.IntVar(&o.items, "items", 50, "items in each feed")
	fs.IntVar(&o.runs, "runs", 3, "ingest runs, each on a fresh database (medians are reported)")
	fs.IntVar(&o.workers, "workers", 8, "sources fetched at once, as docket ingest's --fetch-workers")
	fs.IntVar(&o.hosts, "hosts", 16, "loopback addresses to serve the feeds on (Docket fetches at most 2 at a time from one host)")
	fs.StringVar(&o.sizes, "sizes", "10k,100k,1M", "corpus sizes (items) to load the pages at; evidence and memory are measured at the largest")
	fs.IntVar(&o.clients, "concurrency", 4, "clients loading a page at once")
	fs.DurationVar(&o.pageTime, "page-time", 10*time.Second, "how long each page is loaded, split between Docket and the from-memory handler")
	fs.IntVar(&o.seed, "seed", 1, "the corpus's seed: the same seed gives the same feeds")
	fs.StringVar(&o.only, "only", "", "measure only these, comma-separated: "+strings.Join(bench.Measurements, ", "))
	fs.BoolVar(&o.asJSON, "json", false, "print the report as JSON")
	fs.BoolVar(&o.quiet, "quiet", false, "print no progress on standard error")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	sizes, err := parseSizes(o.sizes)
	if err != nil {
		return fs.fail("--sizes: %v", err)
	}
	only, err := parseOnly(o.only)
	if err != nil {
		return fs.fail("--only: %v", err)
	}
	for _, c := range []struct {
		name     string
		v, lo, h int
	}{{"feeds", o.feeds, 1, 10000}, {"items", o.items, 1, 10000}, {"runs", o.runs, 1, 100}, {"workers", o.workers, 1, 256},
		{"hosts", o.hosts, 1, 250}, {"concurrency", o.clients, 1, 1024}} {
		if c.v < c.lo || c.v > c.h {
			return fs.fail("--%s %d must be from %d to %d", c.name, c.v, c.lo, c.h)
		}
	}
	if o.pageTime < 100*time.Millisecond {
		return fs.fail("--page-time %s is too short to measure anything", o.pageTime)
	}
	cfg := bench.Config{
		Seed: uint64(o.seed), Feeds: o.feeds, Items: o.items, Runs: o.runs, Workers: o.workers, Hosts: o.hosts,
		Sizes: sizes, Concurrency: o.clients, PageTime: o.pageTime, Only: only,
		Dir: filepath.Join(os.TempDir(), "docket-bench"), Postgres: o.postgres,
	}
	switch {
	case strings.HasPrefix(o.db, "postgres://"), strings.HasPrefix(o.db, "postgresql://"):
		cfg.PagesOnPostgres = true
		if cfg.Postgres == "" {
			cfg.Postgres = o.db
		} else if cfg.Postgres != o.db {
			return fs.fail("--db and --postgres name two PostgreSQL databases: give one")
		}
	case o.db != "":
		cfg.Dir = o.db
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return docket.Errorf(docket.EINVALID, "--db %s: %v", cfg.Dir, err)
	}
	cfg.Evidence = func(db *store.DB) bench.Suggester {
		r := &evidence.Ranker{DB: db}
		return func(ctx context.Context, body string, topicIDs []int64, at time.Time) (int, error) {
			res, err := r.Suggest(ctx, evidence.Input{Body: body, TopicIDs: topicIDs, Date: at})
			n := 0
			for _, s := range res {
				n += len(s.Suggestions)
			}
			return n, err
		}
	}
	if exe, err := os.Executable(); err == nil {
		cfg.Command = func(ctx context.Context, args ...string) *exec.Cmd {
			cmd := exec.CommandContext(ctx, exe, args...)
			cmd.Env = os.Environ()
			return cmd
		}
	}
	if !o.quiet {
		start := time.Now()
		cfg.Log = func(format string, args ...any) {
			fmt.Fprintf(e.stderr, "bench %5.0fs: %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
		}
	}
	rep, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if o.asJSON {
		return printJSON(e.stdout, rep)
	}
	rep.WriteMarkdown(e.stdout)
	return nil
}

// parseSizes reads a list of item counts such as "10k,100k,1M".
func parseSizes(s string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		p := strings.TrimSpace(part)
		mul := 1
		switch {
		case strings.HasSuffix(p, "k"), strings.HasSuffix(p, "K"):
			mul, p = 1000, p[:len(p)-1]
		case strings.HasSuffix(p, "m"), strings.HasSuffix(p, "M"):
			mul, p = 1000000, p[:len(p)-1]
		}
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 100000000/mul {
			return nil, fmt.Errorf("%q is not a number of items from 1 to 100M (such as 10k or 1M)", strings.TrimSpace(part))
		}
		out = append(out, n*mul)
	}
	return out, nil
}

// parseOnly reads a list of measurement names; empty means all.
func parseOnly(s string) (map[string]bool, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		name := strings.TrimSpace(part)
		known := false
		for _, m := range bench.Measurements {
			known = known || m == name
		}
		if !known {
			return nil, fmt.Errorf("%q is not one of %s", name, strings.Join(bench.Measurements, ", "))
		}
		out[name] = true
	}
	return out, nil
}
