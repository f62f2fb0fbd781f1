// Package bench measures Docket against its performance limits. It generates a deterministic
// corpus (feeds of realistic size and markup, topics with rules shaped like an office's, and
// databases of up to a million items), serves the feeds on loopback, and measures, in one
// run: ingest end to end against gofeed parsing the same bytes alone; re-polling unchanged
// sources; matching against 10 and 200 topics; the public topic page and timeline JSON under
// concurrent load against a handler writing the same bytes from memory; evidence suggestions;
// and the peak memory of a real `docket serve`. `docket bench` runs it; BENCHMARKS.md holds
// the figures.
package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
)

// The targets the figures are held to.
const (
	TargetIngestRatio = 0.5  // ingest items/s at least this share of parse-only items/s
	TargetRepollMs    = 2.0  // work to re-poll an unchanged source
	TargetPageP99Ms   = 10.0 // public topic page p99 at the largest corpus
	TargetPageRatio   = 0.3  // public topic page requests/s against the from-memory handler's
	TargetPageGrowth  = 1.5  // p99 at the largest corpus against p99 at the smallest
	TargetEvidenceMs  = 50.0 // evidence for a 500-word statement at the largest corpus
	TargetServeMB     = 200.0
)

// Measurements, by the names Config.Only takes.
var Measurements = []string{"ingest", "repoll", "match", "pages", "evidence", "memory"}

// Config says what Run measures, and on what.
type Config struct {
	Seed    uint64
	Feeds   int // the ingest corpus: Feeds feeds of Items items each
	Items   int
	Runs    int // ingest runs, each on a fresh database; medians are reported
	Workers int // sources fetched at once, and goroutines of the parse-only reference
	Hosts   int // loopback addresses the feeds are served on

	// Dir holds the temporary SQLite databases and the cached SQLite corpora.
	Dir string
	// Postgres, when set, is a PostgreSQL database: ingest is measured into a fresh schema
	// there too, and, with PagesOnPostgres, the corpora live there as schemas.
	Postgres        string
	PagesOnPostgres bool

	Sizes       []int // corpus sizes the pages are measured at; evidence and memory at the largest
	Concurrency int   // clients loading pages at once
	PageTime    time.Duration

	Evidence NewSuggester // nil: evidence is not measured, and the report says why
	Command  Command      // nil: the memory of `docket serve` is not measured

	Only map[string]bool // the measurements to run; empty: all
	Log  func(format string, args ...any)
}

func (c *Config) wants(m string) bool { return len(c.Only) == 0 || c.Only[m] }

func (c *Config) log(format string, args ...any) {
	if c.Log != nil {
		c.Log(format, args...)
	}
}

// Run measures what cfg asks for and returns the report. A measurement that fails stops the
// run: a figure from a broken run would mislead.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	start := time.Now()
	rep := &Report{Machine: ReadMachine(), Config: cfg.summary()}
	if cfg.wants("ingest") || cfg.wants("repoll") || cfg.wants("match") {
		if err := runFeeds(ctx, &cfg, rep); err != nil {
			return nil, err
		}
	}
	if cfg.wants("pages") || cfg.wants("evidence") || cfg.wants("memory") {
		if err := runCorpora(ctx, &cfg, rep); err != nil {
			return nil, err
		}
	}
	rep.Machine.LoadAfter = readLoad()
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// runFeeds measures what the feed corpus is for: ingest, re-polling and matching.
func runFeeds(ctx context.Context, cfg *Config, rep *Report) error {
	cfg.log("generating %d feeds of %d items", cfg.Feeds, cfg.Items)
	feeds := Feeds(cfg.Seed, cfg.Feeds, cfg.Items)
	total := TotalItems(feeds)
	for _, f := range feeds {
		rep.Config.FeedBytes += len(f.Body)
	}
	topics := Topics(10)

	if cfg.wants("match") {
		items, err := NormalizedItems(feeds)
		if err != nil {
			return err
		}
		for _, n := range []int{10, 200} {
			cfg.log("matching %d items against %d topics", len(items), n)
			m, err := MeasureMatch(items, Topics(n), 2*time.Second)
			if err != nil {
				return err
			}
			rep.Match = append(rep.Match, m)
		}
	}
	if !cfg.wants("ingest") && !cfg.wants("repoll") {
		return nil
	}
	srv, err := ServeFeeds(feeds, cfg.Hosts)
	if err != nil {
		return err
	}
	defer srv.Close()
	rep.Config.Hosts = srv.Hosts()

	dbs := []string{"sqlite"}
	if cfg.Postgres != "" {
		dbs = append(dbs, "postgres")
	} else {
		rep.Gaps = append(rep.Gaps, "ingest into PostgreSQL: no PostgreSQL URL given (--postgres, or --db postgres://…)")
	}
	runs := cfg.Runs
	if !cfg.wants("ingest") {
		runs = 1 // re-polling needs one ingested database
		dbs = dbs[:1]
	}
	figures := map[string]*IngestFigure{}
	var last *ingestTarget // the last SQLite database, kept for re-polling
	defer func() {
		if last != nil {
			last.close()
		}
	}()
	for r := range runs {
		for _, name := range dbs {
			cfg.log("ingest run %d of %d into %s: parse-only reference", r+1, runs, name)
			parse, err := ParseOnly(ctx, feeds, cfg.Workers, time.Second)
			if err != nil {
				return err
			}
			t, err := newIngestTarget(ctx, cfg, name, r)
			if err != nil {
				return err
			}
			sources, err := IngestSetup(ctx, t.db, srv, feeds, topics)
			if err != nil {
				t.close()
				return err
			}
			cfg.log("ingest run %d of %d into %s: %d items from %d sources", r+1, runs, name, total, len(sources))
			g := NewIngester(t.db, cfg.Workers)
			rate, err := Ingest(ctx, g, sources, total)
			if err != nil {
				t.close()
				return err
			}
			f := figures[name]
			if f == nil {
				f = &IngestFigure{Database: name}
				figures[name] = f
			}
			f.add(rate, parse)
			if name == "sqlite" {
				if last != nil {
					last.close()
				}
				last, t.g = t, g
			} else {
				t.close()
			}
		}
	}
	if cfg.wants("ingest") {
		for _, name := range dbs {
			f := figures[name]
			f.finish()
			rep.Ingest = append(rep.Ingest, *f)
		}
	}
	if cfg.wants("repoll") && last != nil {
		for _, kind := range []string{"304", "200-unchanged"} {
			cfg.log("re-polling %d unchanged sources (%s)", cfg.Feeds, kind)
			rp, err := MeasureRepoll(ctx, last.g, srv, kind, 2*time.Second)
			if err != nil {
				return err
			}
			rep.Repoll = append(rep.Repoll, rp)
		}
	}
	return nil
}

// ingestTarget is a fresh database for one ingest run, with the ingester that filled it
// (kept, for the last SQLite run, to re-poll with).
type ingestTarget struct {
	db    *store.DB
	g     *ingest.Ingester
	close func()
}

func newIngestTarget(ctx context.Context, cfg *Config, name string, run int) (*ingestTarget, error) {
	if name == "postgres" {
		schema := fmt.Sprintf("docket_bench_ingest_%d_%d", os.Getpid(), run)
		if err := store.CreateSchema(ctx, cfg.Postgres, schema); err != nil {
			return nil, err
		}
		drop := func() { store.DropSchema(context.WithoutCancel(ctx), cfg.Postgres, schema) }
		url, err := store.SchemaURL(cfg.Postgres, schema)
		if err != nil {
			drop()
			return nil, err
		}
		db, err := openMigrated(ctx, url)
		if err != nil {
			drop()
			return nil, err
		}
		return &ingestTarget{db: db, close: func() { db.Close(); drop() }}, nil
	}
	path := filepath.Join(cfg.Dir, fmt.Sprintf("ingest-%d-%d.db", os.Getpid(), run))
	remove := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}
	remove()
	db, err := openMigrated(ctx, path)
	if err != nil {
		remove()
		return nil, err
	}
	return &ingestTarget{db: db, close: func() { db.Close(); remove() }}, nil
}

func openMigrated(ctx context.Context, url string) (*store.DB, error) {
	db, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// runCorpora measures what the large corpora are for: pages, evidence and memory.
func runCorpora(ctx context.Context, cfg *Config, rep *Report) error {
	where := Where{Dir: cfg.Dir}
	if cfg.PagesOnPostgres {
		where = Where{Postgres: cfg.Postgres}
	}
	rep.Config.CorporaOn = "sqlite"
	if cfg.PagesOnPostgres {
		rep.Config.CorporaOn = "postgres"
	}
	sizes := slices.Clone(cfg.Sizes)
	slices.Sort(sizes)
	if len(sizes) == 0 {
		return fmt.Errorf("no corpus size to measure pages at")
	}
	largest := sizes[len(sizes)-1]
	if !cfg.wants("pages") {
		sizes = []int{largest}
	}
	for _, n := range sizes {
		cfg.log("corpus of %d items: opening (built once, then cached)", n)
		last := time.Now()
		c, err := OpenCorpus(ctx, where, n, func(done, total int) {
			if time.Since(last) > 10*time.Second {
				last = time.Now()
				cfg.log("corpus of %d items: %d written", total, done)
			}
		})
		if err != nil {
			return fmt.Errorf("corpus of %d items: %w", n, err)
		}
		rep.Corpora = append(rep.Corpora, CorpusFigure{Items: n, Built: c.Built, BuildSeconds: c.BuildSeconds})
		if cfg.wants("pages") {
			cfg.log("corpus of %d items: loading the public pages", n)
			pages, err := MeasurePages(ctx, c, cfg.Concurrency, cfg.PageTime)
			if err != nil {
				return err
			}
			rep.Pages = append(rep.Pages, pages...)
		}
		if n != largest {
			continue
		}
		if cfg.wants("evidence") {
			if cfg.Evidence == nil {
				rep.Gaps = append(rep.Gaps, "evidence suggestions: this build has no evidence ranker to measure")
			} else {
				cfg.log("corpus of %d items: evidence for a %d-word statement", n, StatementWords)
				ev, err := MeasureEvidence(ctx, c, cfg.Evidence, 10)
				if err != nil {
					return err
				}
				rep.Evidence = &ev
			}
		}
		if cfg.wants("memory") {
			if cfg.Command == nil {
				rep.Gaps = append(rep.Gaps, "memory of docket serve: no way to start it was given")
			} else {
				cfg.log("corpus of %d items: memory of docket serve under load", n)
				sv, err := MeasureServe(ctx, c, cfg.Command, cfg.Concurrency, max(cfg.PageTime, 5*time.Second))
				if err != nil {
					return err
				}
				rep.Serve = &sv
			}
		}
	}
	return nil
}
