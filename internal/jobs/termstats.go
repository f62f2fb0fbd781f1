package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/docket-dev/docket/internal/store"
)

// TermStatsArgs is the job that keeps evidence ranking's searches fast: it takes the word
// counts evidence ranking weighs words by (store.RefreshTermStats) when they are due, and
// merges the full-text index's segments on SQLite (store.MergeSearchIndex). The leader
// inserts it every termStatsEvery and when it starts; it does little when there is nothing
// to do.
type TermStatsArgs struct{}

// Kind names the job in River's tables.
func (TermStatsArgs) Kind() string { return "term_stats" }

// InsertOpts make the job one at a time: a second is not inserted while one waits or runs.
func (TermStatsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueDefault,
		MaxAttempts: 3,
		UniqueOpts:  uniqueWhileLive(),
	}
}

// termStatsEvery is how often the leader asks whether the word counts are due.
const termStatsEvery = time.Hour

type termStatsWorker struct {
	river.WorkerDefaults[TermStatsArgs]
	db       *store.DB
	log      *slog.Logger
	minItems int
	timeout  time.Duration
}

func addTermStatsWorker(workers *river.Workers, db *store.DB, log *slog.Logger, minItems int, jobTimeout time.Duration) {
	river.AddWorker(workers, &termStatsWorker{db: db, log: log, minItems: minItems, timeout: jobTimeout})
}

// Timeout is the client's job timeout: reading the whole full-text index takes seconds at a
// million items on SQLite, and under a minute on PostgreSQL.
func (w *termStatsWorker) Timeout(*river.Job[TermStatsArgs]) time.Duration { return w.timeout }

func (w *termStatsWorker) Work(ctx context.Context, job *river.Job[TermStatsArgs]) error {
	start := time.Now()
	built, err := w.db.RefreshTermStats(ctx, w.minItems)
	if err != nil {
		return err
	}
	if built {
		w.log.Info("word counts taken for evidence ranking", "took", time.Since(start).Round(time.Millisecond))
	}
	// The merging stops well before the job's own deadline: what is left waits for the next
	// run instead of failing this one.
	budget := mergeBudget
	if deadline, ok := ctx.Deadline(); ok {
		budget = min(budget, time.Until(deadline)/2)
	}
	start = time.Now()
	steps, more, err := w.db.MergeSearchIndex(ctx, budget)
	if err != nil {
		return err
	}
	if steps > 0 {
		w.log.Info("full-text index merged", "steps", steps, "more to do", more, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// mergeBudget bounds the full-text index's merging in one run of the job (and half of what
// is left of the job's timeout bounds it further); what is left is merged an hour later.
// Merging a million items' index from 14 segments to 4 took 16 s, in steps that held the
// writer for under a tenth of a second each.
const mergeBudget = time.Minute

func termStatsPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(termStatsEvery),
		func() (river.JobArgs, *river.InsertOpts) { return TermStatsArgs{}, nil },
		&river.PeriodicJobOpts{ID: "term_stats", RunOnStart: true})
}
