package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/docket-dev/docket/internal/ingest"
)

// failureJSON is a source that failed, as `ingest --json` lists it.
type failureJSON struct {
	URL   string `json:"url"`
	Error string `json:"error"`
}

func runIngest(ctx context.Context, e *env, args []string) error {
	var o struct {
		db, logLevel       string
		all, allowPrivate  bool
		asJSON, noProgress bool
		workers            int
		parliament         parliamentOptions
	}
	fs := newFlags(e, "ingest", "[flags]", "Fetches the sources that are due (--all: every source) once, stores their items, and exits.\n"+
		"A source that fails is recorded with its error and retried later; that is not a failure of the command.\n"+
		"Exit status: 0 when the run completed, 1 on a fatal error such as an unreachable database.")
	fs.dbFlag(&o.db)
	fs.BoolVar(&o.all, "all", false, "fetch every enabled source, due or not")
	fs.boolEnv(&o.allowPrivate, "allow-private-sources", "DOCKET_ALLOW_PRIVATE_SOURCES", "allow feeds on loopback and private addresses (tests, intranets)")
	fs.intEnv(&o.workers, "fetch-workers", "DOCKET_FETCH_WORKERS", 8, "how many sources to fetch at once (at most 2 at a time from one host)")
	fs.BoolVar(&o.asJSON, "json", false, "print the summary as JSON")
	fs.BoolVar(&o.noProgress, "no-progress", false, "no progress bar, even on a terminal")
	fs.stringEnv(&o.logLevel, "log-level", "DOCKET_LOG_LEVEL", "warn", "debug, info, warn or error")
	fs.parliamentFlags(&o.parliament, true)
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	if o.workers < 1 || o.workers > 256 {
		return fs.fail("--fetch-workers %d must be from 1 to 256", o.workers)
	}
	pc, err := o.parliament.client(fs)
	if err != nil {
		return err
	}
	showBar := !o.noProgress && isTerminal(e.stderr)
	level := o.logLevel
	if showBar && level == "warn" {
		level = "error" // per-source warnings would tear the bar; the summary lists failures
	}
	log, err := newLogger(e.stderr, level, "text")
	if err != nil {
		return fs.fail("%v", err)
	}
	db, err := openDB(ctx, e, o.db, log)
	if err != nil {
		return err
	}
	defer db.Close()
	srcs, err := db.DueSources(ctx, time.Now(), o.all)
	if err != nil {
		return err
	}
	ing := newIngester(db, o.allowPrivate, pc, log)
	ing.Workers = o.workers

	var bar *progressbar.ProgressBar
	if showBar && len(srcs) > 0 {
		bar = progressbar.NewOptions(len(srcs),
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription("fetching"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	var failures []ingest.Outcome
	start := time.Now()
	sum, runErr := ing.Once(ctx, srcs, func(o ingest.Outcome) {
		if o.Err != "" {
			failures = append(failures, o)
		}
		if bar != nil {
			bar.Add(1)
		}
	})
	if bar != nil {
		bar.Finish()
	}
	if runErr != nil {
		return runErr
	}
	elapsed := time.Since(start)
	if o.asJSON {
		failed := make([]failureJSON, 0, len(failures))
		for _, f := range failures {
			failed = append(failed, failureJSON{URL: f.URL, Error: f.Err})
		}
		return printJSON(e.stdout, struct {
			ingest.Summary
			Seconds  float64       `json:"seconds"`
			Failures []failureJSON `json:"failures"`
		}{sum, elapsed.Seconds(), failed})
	}
	if len(srcs) == 0 {
		fmt.Fprintln(e.stdout, "no sources are due (use --all to fetch every source)")
		return nil
	}
	fmt.Fprintf(e.stdout, "%d sources in %s: %d fetched, %d not modified, %d failed; items: %d new, %d updated",
		sum.Sources, elapsed.Round(time.Millisecond), sum.Fetched, sum.NotModified, sum.Failed, sum.New, sum.Updated)
	if sum.StatementsNew+sum.StatementsUpdated > 0 {
		fmt.Fprintf(e.stdout, "; the MP's statements: %d new, %d updated", sum.StatementsNew, sum.StatementsUpdated)
	}
	fmt.Fprintln(e.stdout)
	for _, f := range failures {
		fmt.Fprintf(e.stdout, "  failed: %s: %s\n", f.URL, f.Err)
	}
	return nil
}
