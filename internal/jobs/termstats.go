package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/docket-dev/docket/internal/store"
)

// TermStatsArgs is the job that takes the word counts evidence ranking weighs words by
// (store.RefreshTermStats) when they are due. The leader inserts it every termStatsEvery and
// when it starts; it does nothing when the counts are fresh.
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
	return nil
}

func termStatsPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(termStatsEvery),
		func() (river.JobArgs, *river.InsertOpts) { return TermStatsArgs{}, nil },
		&river.PeriodicJobOpts{ID: "term_stats", RunOnStart: true})
}
