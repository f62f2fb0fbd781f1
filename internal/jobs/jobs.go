// Package jobs runs Docket's background work as River workers on either database: fetching
// each source on its schedule, re-matching a topic's items after its rule changes,
// suggesting evidence for the statements a fetch ingested, and keeping the word counts that
// evidence ranking weighs words by. River's
// job locking is the source lease: one fetch job per source exists at a time, a running job is
// locked to one process, and a killed process's jobs are rescued after RescueStuckJobsAfter.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
)

// FetchSourceArgs is the job that fetches one source. It is unique per source across every
// state but the finished ones, so re-inserting it (the sweeper does, every half minute) never
// makes a second job. River's default uniqueness includes "completed", which would block a
// source's next fetch for a day; see shared/notes/river.md.
type FetchSourceArgs struct {
	SourceID int64 `json:"source_id" river:"unique"`
}

// Kind names the job in River's tables.
func (FetchSourceArgs) Kind() string { return "fetch_source" }

// InsertOpts makes the job unique per source while it is waiting or running.
func (FetchSourceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueFetch,
		MaxAttempts: 5,
		UniqueOpts:  uniqueWhileLive(),
	}
}

// uniqueWhileLive makes a job unique by its arguments among the jobs not finished yet.
// River's default uniqueness counts completed jobs too, which would block a source's next
// fetch for a day (shared/notes/river.md).
func uniqueWhileLive() river.UniqueOpts {
	return river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}
}

// Queues.
const (
	QueueFetch   = "fetch"
	QueueDefault = river.QueueDefault
)

// Config tunes the runner.
type Config struct {
	// ID names this process among those sharing the database; default host-pid.
	ID string
	// FetchWorkers is how many sources this process fetches at once (default 8).
	FetchWorkers int
	// Work, when false, makes an insert-only client: it can enqueue but works nothing
	// (`serve --no-ingest`, the command line).
	Work bool
	// SweepEvery is how often every source's fetch job is (re)inserted (default 30s).
	SweepEvery time.Duration
	// RescueAfter is how long a job may run before River considers its process dead and
	// another process takes it over (default 3 minutes; River's own default is an hour).
	// It must exceed JobTimeout.
	RescueAfter time.Duration
	// JobTimeout ends a job that runs longer (default 2 minutes: the HTTP client's 30 s
	// limit, plus room to store).
	JobTimeout time.Duration
	// TermStatsMinItems is how many items there must be before word counts are kept for
	// evidence ranking (default store.TermStatsMinItems).
	TermStatsMinItems int
	Logger            *slog.Logger
}

// Runner owns the River client and the workers.
type Runner struct {
	db     *store.DB
	ing    *ingest.Ingester
	cfg    Config
	log    *slog.Logger
	client *river.Client[*sql.Tx]
}

// Migrate applies River's own migrations (its tables live beside Docket's; goose does not
// manage them). Run it after store.Migrate, at every start, so River upgrades bring theirs.
func Migrate(ctx context.Context, db *store.DB) error {
	if db.Dialect == store.Postgres {
		// Processes starting together would race to create River's tables: the first takes
		// this advisory lock and migrates, the others wait and find nothing to do.
		conn, err := db.W.Conn(ctx)
		if err != nil {
			return fmt.Errorf("river migrations: %w", err)
		}
		defer conn.Close()
		const lockID = 0x646f636b6574 // "docket"
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockID); err != nil {
			return fmt.Errorf("river migrations: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, lockID)
	}
	m, err := rivermigrate.New(driverFor(db), nil)
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

func driverFor(db *store.DB) riverdriver.Driver[*sql.Tx] {
	if db.Dialect == store.Postgres {
		return riverdatabasesql.NewWithPgxListener(stdlib.OpenDBFromPool(db.Pool), db.Pool)
	}
	return riversqlite.New(db.W.DB)
}

// New builds the runner; Start starts working.
func New(db *store.DB, ing *ingest.Ingester, cfg Config) (*Runner, error) {
	if cfg.ID == "" {
		host, _ := os.Hostname()
		cfg.ID = host + "-" + strconv.Itoa(os.Getpid())
	}
	if cfg.FetchWorkers <= 0 {
		cfg.FetchWorkers = 8
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = 30 * time.Second
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = 2 * time.Minute
	}
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = 3 * time.Minute
	}
	if cfg.TermStatsMinItems <= 0 {
		cfg.TermStatsMinItems = store.TermStatsMinItems
	}
	if cfg.RescueAfter <= cfg.JobTimeout {
		return nil, fmt.Errorf("jobs: rescue-after (%s) must be longer than the job timeout (%s)", cfg.RescueAfter, cfg.JobTimeout)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Runner{db: db, ing: ing, cfg: cfg, log: cfg.Logger}
	rc := &river.Config{
		ID:     cfg.ID,
		Logger: cfg.Logger.With("component", "river"),
		// An HTTP fetch is capped at 30 s; storing is quick. River retries only crashes and
		// database errors: feed errors are recorded on the source, not returned.
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		MaxAttempts:          5,
		FetchCooldown:        20 * time.Millisecond,
	}
	if cfg.Work {
		workers := river.NewWorkers()
		if db.Dialect == store.Postgres {
			river.AddWorker(workers, &fetchWorker[*riverdatabasesql.Driver]{r: r})
		} else {
			river.AddWorker(workers, &fetchWorker[*riversqlite.Driver]{r: r})
		}
		addRematchWorker(workers, db, cfg.Logger, cfg.JobTimeout)
		addRefreshEvidenceWorker(workers, db, cfg.Logger)
		addTermStatsWorker(workers, db, cfg.Logger, cfg.TermStatsMinItems, cfg.JobTimeout)
		rc.Workers = workers
		rc.PeriodicJobs = []*river.PeriodicJob{termStatsPeriodic()}
		rc.Queues = map[string]river.QueueConfig{
			QueueFetch:   {MaxWorkers: cfg.FetchWorkers},
			QueueDefault: {MaxWorkers: 2},
			QueueRematch: {MaxWorkers: 1},
		}
	}
	client, err := river.NewClient(driverFor(db), rc)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	r.client = client
	return r, nil
}

// Client is the River client, for tests that subscribe to events.
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// Start starts the workers and the sweeper; it returns at once. Stop ends both.
func (r *Runner) Start(ctx context.Context) error {
	if !r.cfg.Work {
		return nil
	}
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	go r.sweep(ctx)
	return nil
}

// Stop waits for running jobs to finish (or ctx to end).
func (r *Runner) Stop(ctx context.Context) error {
	if !r.cfg.Work {
		return nil
	}
	return r.client.Stop(ctx)
}

// sweep makes sure every enabled source has its fetch job; uniqueness makes this idempotent,
// and it is what picks up sources added by another process or by the command line, and
// restarts a chain a crash broke.
func (r *Runner) sweep(ctx context.Context) {
	t := time.NewTicker(r.cfg.SweepEvery)
	defer t.Stop()
	for {
		if err := r.EnqueueSources(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("schedule sources", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// EnqueueSources inserts the fetch job of every enabled source, due at its next_fetch_at.
func (r *Runner) EnqueueSources(ctx context.Context) error {
	srcs, err := r.db.DueSources(ctx, time.Time{}, true)
	if err != nil {
		return err
	}
	now := time.Now()
	params := make([]river.InsertManyParams, 0, len(srcs))
	for _, s := range srcs {
		params = append(params, river.InsertManyParams{Args: FetchSourceArgs{SourceID: s.ID}, InsertOpts: scheduleAt(s.NextFetchAt, now)})
	}
	const batch = 500
	for len(params) > 0 {
		n := min(batch, len(params))
		if _, err := r.client.InsertMany(ctx, params[:n]); err != nil {
			return fmt.Errorf("insert fetch jobs: %w", err)
		}
		params = params[n:]
	}
	return nil
}

// EnqueueFetch asks for a source to be fetched now (a new source, "fetch now" in the office).
func (r *Runner) EnqueueFetch(ctx context.Context, sourceID int64) error {
	_, err := r.client.Insert(ctx, FetchSourceArgs{SourceID: sourceID}, nil)
	return err
}

// scheduleAt leaves ScheduledAt zero for a job due now: any non-zero time makes River park
// the job until its scheduler's next tick (up to 5 s).
func scheduleAt(at, now time.Time) *river.InsertOpts {
	if !at.After(now) {
		return nil
	}
	return &river.InsertOpts{ScheduledAt: at}
}

type fetchWorker[D riverdriver.Driver[*sql.Tx]] struct {
	river.WorkerDefaults[FetchSourceArgs]
	r *Runner
}

func (w *fetchWorker[D]) Work(ctx context.Context, job *river.Job[FetchSourceArgs]) error {
	r := w.r
	src, err := r.db.SourceByID(ctx, job.Args.SourceID)
	if docket.ErrorCode(err) == docket.ENOTFOUND {
		return nil // deleted since: the chain ends here
	}
	if err != nil {
		return err
	}
	if src.Disabled {
		return nil
	}
	// The network part runs outside any transaction.
	f := r.ing.Fetch(ctx, *src)
	m, err := r.ing.CurrentMatcher(ctx)
	if err != nil {
		return err
	}
	stx, err := r.db.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer stx.Rollback()
	o, err := r.ing.Store(ctx, r.db.WrapTx(stx), f, m)
	if err != nil {
		return err
	}
	client := river.ClientFromContext[*sql.Tx](ctx)
	if err := enqueueEvidence(ctx, client, stx, o.Statements); err != nil {
		return err
	}
	// Completing the job and inserting its successor in the same transaction as the items
	// makes a fetch exactly-once even when the process dies: either all of it lands or none.
	if _, err := river.JobCompleteTx[D](ctx, stx, job); err != nil {
		return fmt.Errorf("complete fetch job: %w", err)
	}
	if _, err := client.InsertTx(ctx, stx, FetchSourceArgs{SourceID: src.ID}, scheduleAt(o.NextFetchAt, time.Now())); err != nil {
		return fmt.Errorf("schedule next fetch: %w", err)
	}
	if err := stx.Commit(); err != nil {
		return err
	}
	r.ing.Committed(o)
	if o.Err != "" {
		r.log.Warn("fetch failed", "source", src.URL, "err", o.Err, "next", o.NextFetchAt)
	} else {
		r.log.Debug("fetched", "source", src.URL, "new", o.New, "updated", o.Updated, "not_modified", o.NotModified)
	}
	return nil
}
