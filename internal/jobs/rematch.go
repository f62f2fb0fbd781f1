package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
)

// QueueRematch holds re-match jobs, apart from fetches, so the command line can work them
// without fetching anything.
const QueueRematch = "rematch"

// RematchTopicArgs is the job that matches every stored item against one topic's rule again,
// after the rule changed. Gen is the topic's re-match generation when the job was enqueued: a
// later rule change opens a new generation, and the older job stops at its next batch.
type RematchTopicArgs struct {
	TopicID int64 `json:"topic_id" river:"unique"`
	Gen     int64 `json:"gen" river:"unique"`
}

// Kind names the job in River's tables.
func (RematchTopicArgs) Kind() string { return "rematch_topic" }

// InsertOpts puts the job on its queue, unique per generation while it waits or runs (not
// when completed: a long re-match continues as a successor job of the same generation).
func (RematchTopicArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueRematch,
		MaxAttempts: 10,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
			rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled,
		}},
	}
}

// RematchSettleArgs is the pass that closes a re-match. An ingester trusts its compiled topic
// matcher for a while (ingest.TopicMatchers, two seconds) and then holds it until its store
// transaction commits, so items matched against the old rule can be stored after the walk of
// RematchTopicArgs has passed their ids: with ids above its last (After), or, on PostgreSQL,
// whose ids come before commit, below it; and an update moves an old item too. Those items
// were all stored from Since on, the rule change less the longest a store transaction lasts,
// and all of them are committed by the time this job is scheduled for: the rule change, plus
// the matcher's trust, plus that longest transaction. The pass matches them against the rule
// again and brings their links in line, as the walk does.
type RematchSettleArgs struct {
	TopicID int64     `json:"topic_id" river:"unique"`
	Gen     int64     `json:"gen" river:"unique"`
	After   int64     `json:"after"`
	Since   time.Time `json:"since"`
	// Cursor is where a long pass handed over to its successor.
	Cursor int64 `json:"cursor" river:"unique"`
}

// Kind names the job in River's tables.
func (RematchSettleArgs) Kind() string { return "rematch_settle" }

// InsertOpts puts the job on the re-match queue, unique per generation and place.
func (RematchSettleArgs) InsertOpts() river.InsertOpts { return RematchTopicArgs{}.InsertOpts() }

// matcherTrust is how long ingest.TopicMatchers trusts a compiled matcher (its recheck).
const matcherTrust = 2 * time.Second

// settleWindow is, for a store transaction that can last up to longest, how long after a rule
// change the settling pass waits, and (the same span) how far before the change the items it
// looks at were stored.
func settleWindow(longest time.Duration) time.Duration { return matcherTrust + longest + 5*time.Second }

const (
	// rematchBatch is how many items one transaction matches: big enough that a batch costs
	// little more than its matching, small enough that the SQLite writer is not held long.
	rematchBatch = 1000
	// rematchBudget is how long one job works before handing over to a successor. River
	// takes a job that runs longer than RescueStuckJobsAfter for a crashed one and runs it
	// again, so a re-match of millions of items must come in shorter pieces.
	rematchBudget = 60 * time.Second
)

// addRematchWorker registers the re-match worker for the database's driver. Its time budget
// is half the client's job timeout at most (which is below RescueStuckJobsAfter), so the last
// batch always has room to finish before River thinks the job is stuck.
func addRematchWorker(workers *river.Workers, db *store.DB, log *slog.Logger, jobTimeout time.Duration) {
	// A fetch stores its items within its job's timeout, or not at all.
	w := rematchConfig{db: db, log: log, batch: rematchBatch, budget: min(rematchBudget, jobTimeout/2), timeout: jobTimeout,
		settle: settleWindow(jobTimeout)}
	addRematchWorkers(workers, db, w)
}

func addRematchWorkers(workers *river.Workers, db *store.DB, w rematchConfig) {
	if db.Dialect == store.Postgres {
		river.AddWorker(workers, &rematchWorker[*riverdatabasesql.Driver]{rematchConfig: w})
		river.AddWorker(workers, &settleWorker[*riverdatabasesql.Driver]{rematchConfig: w})
	} else {
		river.AddWorker(workers, &rematchWorker[*riversqlite.Driver]{rematchConfig: w})
		river.AddWorker(workers, &settleWorker[*riversqlite.Driver]{rematchConfig: w})
	}
}

type rematchConfig struct {
	db      *store.DB
	log     *slog.Logger
	batch   int
	budget  time.Duration // how long one job works before handing over
	timeout time.Duration // when River cancels a job: the budget, and room for a last batch
	settle  time.Duration // settleWindow: when the settling pass runs, and how far back it looks
}

type rematchWorker[D riverdriver.Driver[*sql.Tx]] struct {
	river.WorkerDefaults[RematchTopicArgs]
	rematchConfig
}

// Timeout leaves the last batch room to finish after the budget runs out.
func (w *rematchWorker[D]) Timeout(*river.Job[RematchTopicArgs]) time.Duration { return w.timeout }

// Work walks the items by id from where the generation stands, one transaction per batch: it
// locks the topic's row, checks the generation is still current, matches the batch, brings the
// topic's rule suggestions for that id range in line, and records the progress. A job that
// dies between batches loses nothing: its retry starts from the recorded place. Two jobs of
// one generation (a rescued job whose first run was only slow) take turns batch by batch on
// the locked row, each going on from where the other recorded, so no item is done twice.
func (w *rematchWorker[D]) Work(ctx context.Context, job *river.Job[RematchTopicArgs]) error {
	deadline := time.Now().Add(w.budget)
	var m *ingest.RuleMatcher
	return w.inBatches(ctx, fmt.Sprintf("re-match topic %d", job.Args.TopicID), func(stx *sql.Tx) (bool, error) {
		return w.batchTx(ctx, stx, job, &m, deadline)
	})
}

// inBatches calls batch, each time in a transaction of its own, until it reports it is done.
func (w *rematchConfig) inBatches(ctx context.Context, what string, batch func(*sql.Tx) (bool, error)) error {
	for {
		stx, err := w.db.W.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		done, err := batch(stx)
		if err != nil {
			stx.Rollback()
			return err
		}
		if err := stx.Commit(); err != nil {
			return fmt.Errorf("%s: commit: %w", what, err)
		}
		if done {
			return nil
		}
	}
}

// batchTx does one batch inside stx and reports whether this job is done (finished, replaced
// by a newer generation, or handed over to its successor).
func (w *rematchWorker[D]) batchTx(ctx context.Context, stx *sql.Tx, job *river.Job[RematchTopicArgs], m **ingest.RuleMatcher, deadline time.Time) (bool, error) {
	args := job.Args
	tx := w.db.WrapTx(stx)
	t, err := tx.LockRematch(ctx, args.TopicID)
	if docket.ErrorCode(err) == docket.ENOTFOUND {
		return true, nil // the topic is gone
	}
	if err != nil {
		return false, err
	}
	if t.Gen != args.Gen || t.FinishedAt != nil || t.Archived {
		return true, nil // a newer rule took over, or there is nothing left to do
	}
	if *m == nil {
		rm, err := ingest.NewRuleMatcher([]docket.Topic{{ID: t.ID, Slug: t.Slug, Rule: t.Rule}})
		if err != nil {
			// The rule was checked when saved, so only a newer binary's syntax gets here.
			// Matching nothing would strip every suggestion; stop instead, and say why.
			w.log.Error("re-match: the topic's rule does not parse; nothing changed", "topic", t.Slug, "err", err)
			if err := tx.RecordRematch(ctx, t.ID, t.Gen, store.RematchStep{Cursor: t.Cursor, Finished: true}); err != nil {
				return false, err
			}
			return true, complete[D](ctx, stx, job)
		}
		*m = rm
	}
	items, err := tx.ItemsAfter(ctx, t.Cursor, w.batch)
	if err != nil {
		return false, fmt.Errorf("re-match topic %s: read items: %w", t.Slug, err)
	}
	var matches []store.ItemMatch
	upTo := t.Cursor
	for i := range items {
		it := &items[i]
		upTo = it.ID
		for _, tm := range (*m).Match(it) {
			if tm.TopicID == t.ID {
				matches = append(matches, store.ItemMatch{ItemID: it.ID, PublishedAt: it.PublishedAt, Terms: tm.Terms})
			}
		}
	}
	step := store.RematchStep{Cursor: upTo, Items: int64(len(items)), Finished: len(items) < w.batch}
	if len(items) > 0 {
		if step.Added, step.Removed, err = tx.RelinkTopic(ctx, t.ID, t.Cursor, upTo, matches); err != nil {
			return false, err
		}
	}
	if err := tx.RecordRematch(ctx, t.ID, t.Gen, step); err != nil {
		return false, err
	}
	switch {
	case step.Finished:
		w.log.Info("topic re-matched", "topic", t.Slug, "gen", t.Gen, "items", t.Done+step.Items,
			"added", t.Added+step.Added, "removed", t.Removed+step.Removed)
		if err := w.scheduleSettle(ctx, stx, t, upTo); err != nil {
			return false, err
		}
		return true, complete[D](ctx, stx, job)
	case time.Now().After(deadline):
		// Hand over in the same transaction as the progress, as the fetch chain does.
		if err := complete[D](ctx, stx, job); err != nil {
			return false, err
		}
		if _, err := river.ClientFromContext[*sql.Tx](ctx).InsertTx(ctx, stx, args, nil); err != nil {
			return false, fmt.Errorf("re-match topic %s: continue: %w", t.Slug, err)
		}
		return true, nil
	}
	return false, nil
}

// scheduleSettle inserts, in the walk's last transaction, the pass that closes the re-match.
func (w *rematchConfig) scheduleSettle(ctx context.Context, stx *sql.Tx, t *store.RematchTopic, after int64) error {
	changed := time.Now()
	if t.StartedAt != nil {
		changed = *t.StartedAt
	}
	args := RematchSettleArgs{TopicID: t.ID, Gen: t.Gen, After: after, Since: changed.Add(-w.settle)}
	opts := &river.InsertOpts{ScheduledAt: changed.Add(w.settle)}
	if _, err := river.ClientFromContext[*sql.Tx](ctx).InsertTx(ctx, stx, args, opts); err != nil {
		return fmt.Errorf("re-match topic %s: schedule the settling pass: %w", t.Slug, err)
	}
	return nil
}

type settleWorker[D riverdriver.Driver[*sql.Tx]] struct {
	river.WorkerDefaults[RematchSettleArgs]
	rematchConfig
}

// Timeout leaves the last batch room to finish after the budget runs out.
func (w *settleWorker[D]) Timeout(*river.Job[RematchSettleArgs]) time.Duration { return w.timeout }

// Work matches the items stored since the rule changed against it again, batch by batch,
// each in its own transaction with the topic locked, as the walk does; a newer generation
// ends it (its own walk and pass see to everything).
func (w *settleWorker[D]) Work(ctx context.Context, job *river.Job[RematchSettleArgs]) error {
	deadline := time.Now().Add(w.budget)
	var m *ingest.RuleMatcher
	return w.inBatches(ctx, fmt.Sprintf("settle the re-match of topic %d", job.Args.TopicID), func(stx *sql.Tx) (bool, error) {
		return w.batchTx(ctx, stx, job, &m, deadline)
	})
}

func (w *settleWorker[D]) batchTx(ctx context.Context, stx *sql.Tx, job *river.Job[RematchSettleArgs], m **ingest.RuleMatcher, deadline time.Time) (bool, error) {
	args := job.Args
	tx := w.db.WrapTx(stx)
	finish := func() (bool, error) {
		if _, err := river.JobCompleteTx[D](ctx, stx, job); err != nil {
			return false, fmt.Errorf("complete the settling pass: %w", err)
		}
		return true, nil
	}
	t, err := tx.LockRematch(ctx, args.TopicID)
	if docket.ErrorCode(err) == docket.ENOTFOUND {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if t.Gen != args.Gen || t.Archived {
		return finish()
	}
	if *m == nil {
		rm, err := ingest.NewRuleMatcher([]docket.Topic{{ID: t.ID, Slug: t.Slug, Rule: t.Rule}})
		if err != nil {
			return finish() // the walk said why, and changed nothing either
		}
		*m = rm
	}
	items, err := tx.ItemsToSettle(ctx, args.After, args.Since, args.Cursor, w.batch)
	if err != nil {
		return false, fmt.Errorf("settle the re-match of topic %s: read items: %w", t.Slug, err)
	}
	ids := make([]int64, len(items))
	var matches []store.ItemMatch
	for i := range items {
		it := &items[i]
		ids[i] = it.ID
		for _, tm := range (*m).Match(it) {
			if tm.TopicID == t.ID {
				matches = append(matches, store.ItemMatch{ItemID: it.ID, PublishedAt: it.PublishedAt, Terms: tm.Terms})
			}
		}
	}
	added, removed, err := tx.RelinkItems(ctx, t.ID, ids, matches)
	if err != nil {
		return false, err
	}
	if err := tx.RecordSettle(ctx, t.ID, t.Gen, added, removed); err != nil {
		return false, err
	}
	if len(items) < w.batch {
		if added+removed > 0 || len(items) > 0 {
			w.log.Info("topic re-match settled", "topic", t.Slug, "gen", t.Gen, "items", len(items), "added", added, "removed", removed)
		}
		return finish()
	}
	args.Cursor = ids[len(ids)-1]
	if time.Now().After(deadline) {
		if _, err := river.JobCompleteTx[D](ctx, stx, job); err != nil {
			return false, err
		}
		if _, err := river.ClientFromContext[*sql.Tx](ctx).InsertTx(ctx, stx, args, nil); err != nil {
			return false, fmt.Errorf("settle the re-match of topic %s: continue: %w", t.Slug, err)
		}
		return true, nil
	}
	job.Args = args
	return false, nil
}

func complete[D riverdriver.Driver[*sql.Tx]](ctx context.Context, stx *sql.Tx, job *river.Job[RematchTopicArgs]) error {
	if _, err := river.JobCompleteTx[D](ctx, stx, job); err != nil {
		return fmt.Errorf("complete re-match job: %w", err)
	}
	return nil
}

// EnqueueRematchTx inserts the re-match job of a topic's generation inside tx, the
// transaction that changed the topic (store.EnqueueRematch).
func (r *Runner) EnqueueRematchTx(ctx context.Context, tx *store.Tx, topicID, gen int64) error {
	return enqueueRematch(ctx, r.client, tx, topicID, gen)
}

func enqueueRematch(ctx context.Context, c *river.Client[*sql.Tx], tx *store.Tx, topicID, gen int64) error {
	if _, err := c.InsertTx(ctx, tx.Tx.Tx, RematchTopicArgs{TopicID: topicID, Gen: gen}, nil); err != nil {
		return fmt.Errorf("enqueue re-match of topic %d: %w", topicID, err)
	}
	return nil
}

// RematcherConfig tunes a Rematcher.
type RematcherConfig struct {
	// ID names this process among those sharing the database; default host-pid-rematch.
	ID     string
	Logger *slog.Logger
	// Batch and Budget override the batch size and the time one job works before handing
	// over to its successor (tests make both small).
	Batch  int
	Budget time.Duration
	// StoreWindow is the longest a store transaction of an ingester sharing the database
	// lasts, from taking its matcher to committing (default: a fetch job's, 2 minutes): the
	// settling pass after a re-match (RematchSettleArgs) waits for it.
	StoreWindow time.Duration
}

// Rematcher is a River client that works re-match jobs only: the command line runs one
// in-process to re-match a topic and show its progress, without fetching any source.
type Rematcher struct {
	client *river.Client[*sql.Tx]
}

// NewRematcher builds a Rematcher; Start starts working.
func NewRematcher(db *store.DB, cfg RematcherConfig) (*Rematcher, error) {
	if cfg.ID == "" {
		host, _ := os.Hostname()
		cfg.ID = host + "-" + strconv.Itoa(os.Getpid()) + "-rematch"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	w := rematchConfig{db: db, log: cfg.Logger, batch: cfg.Batch, budget: cfg.Budget}
	if w.batch <= 0 {
		w.batch = rematchBatch
	}
	if w.budget <= 0 {
		w.budget = rematchBudget
	}
	w.timeout = w.budget + time.Minute
	if cfg.StoreWindow <= 0 {
		cfg.StoreWindow = 2 * time.Minute
	}
	w.settle = settleWindow(cfg.StoreWindow)
	workers := river.NewWorkers()
	addRematchWorkers(workers, db, w)
	client, err := river.NewClient(driverFor(db), &river.Config{
		ID:                   cfg.ID,
		Logger:               cfg.Logger.With("component", "river"),
		Workers:              workers,
		Queues:               map[string]river.QueueConfig{QueueRematch: {MaxWorkers: 1}},
		JobTimeout:           w.timeout,
		RescueStuckJobsAfter: max(3*time.Minute, w.timeout+time.Minute),
		MaxAttempts:          10,
		FetchCooldown:        20 * time.Millisecond,
	})
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return &Rematcher{client: client}, nil
}

// EnqueueRematchTx inserts the re-match job of a topic's generation inside tx
// (store.EnqueueRematch).
func (m *Rematcher) EnqueueRematchTx(ctx context.Context, tx *store.Tx, topicID, gen int64) error {
	return enqueueRematch(ctx, m.client, tx, topicID, gen)
}

// Start starts working re-match jobs; it returns at once.
func (m *Rematcher) Start(ctx context.Context) error { return m.client.Start(ctx) }

// Stop stops working, cancelling a running job: its batch rolls back, and the job resumes
// later, here or in a running docket serve, from the last batch it recorded.
func (m *Rematcher) Stop(ctx context.Context) error { return m.client.StopAndCancel(ctx) }

// Wait is WaitRematch for a Rematcher that works the job: it also returns, with the job's
// error, when an attempt at this generation fails (River retries it later).
func (m *Rematcher) Wait(ctx context.Context, db *store.DB, topicID, gen int64, every time.Duration, progress func(store.RematchStatus)) (store.RematchStatus, error) {
	events, cancel := m.client.SubscribeConfig(&river.SubscribeConfig{Kinds: []river.EventKind{river.EventKindJobFailed}, ChanSize: 64})
	defer cancel()
	return waitRematch(ctx, db, topicID, gen, every, progress, events)
}

// WaitRematch reads a topic's re-match progress every interval until generation gen has
// finished or a newer generation has replaced it, calling progress with each status that
// differs from the last. It returns the last status read.
func WaitRematch(ctx context.Context, db *store.DB, topicID, gen int64, every time.Duration, progress func(store.RematchStatus)) (store.RematchStatus, error) {
	return waitRematch(ctx, db, topicID, gen, every, progress, nil)
}

func waitRematch(ctx context.Context, db *store.DB, topicID, gen int64, every time.Duration, progress func(store.RematchStatus), failed <-chan *river.Event) (store.RematchStatus, error) {
	t := time.NewTicker(every)
	defer t.Stop()
	var last store.RematchStatus
	first := true
	for {
		st, err := db.RematchStatus(ctx, topicID)
		if err != nil {
			return st, err
		}
		if progress != nil && (first || st.Done != last.Done || st.Gen != last.Gen || (st.FinishedAt == nil) != (last.FinishedAt == nil)) {
			progress(st)
		}
		first, last = false, st
		if st.Gen != gen || st.FinishedAt != nil {
			return st, nil
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case ev := <-failed:
			if err := failure(ev, topicID, gen); err != nil {
				return st, err
			}
		case <-t.C:
		}
	}
}

// failure returns the error of a failed attempt at the given re-match, nil for any other job.
func failure(ev *river.Event, topicID, gen int64) error {
	if ev == nil || ev.Job == nil || ev.Job.Kind != (RematchTopicArgs{}).Kind() {
		return nil
	}
	var args RematchTopicArgs
	if err := json.Unmarshal(ev.Job.EncodedArgs, &args); err != nil || args.TopicID != topicID || args.Gen != gen {
		return nil
	}
	msg := "unknown error"
	if n := len(ev.Job.Errors); n > 0 {
		msg = ev.Job.Errors[n-1].Error
	}
	return fmt.Errorf("re-match failed (attempt %d, retried later): %s", ev.Job.Attempt, msg)
}
