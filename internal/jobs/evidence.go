package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/store"
)

// RefreshEvidenceArgs is the job that suggests evidence for one statement. The fetch job
// inserts one for each statement it ingested or changed, in the transaction that stored
// them, so a first poll of a long-serving MP's record (hundreds of statements, a quarter of
// a second each) is worked in the background rather than inside the fetch.
type RefreshEvidenceArgs struct {
	StatementID int64 `json:"statement_id" river:"unique"`
}

// Kind names the job in River's tables.
func (RefreshEvidenceArgs) Kind() string { return "refresh_evidence" }

// InsertOpts makes the job unique per statement until it runs: a statement changed twice
// before its job ran is refreshed once, from its latest text.
func (RefreshEvidenceArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:       QueueDefault,
		MaxAttempts: 3,
		UniqueOpts:  uniqueWhileLive(),
	}
}

type refreshEvidenceWorker struct {
	river.WorkerDefaults[RefreshEvidenceArgs]
	ranker *evidence.Ranker
	log    *slog.Logger
}

func addRefreshEvidenceWorker(workers *river.Workers, db *store.DB, log *slog.Logger) {
	river.AddWorker(workers, &refreshEvidenceWorker{ranker: &evidence.Ranker{DB: db}, log: log})
}

func (w *refreshEvidenceWorker) Work(ctx context.Context, job *river.Job[RefreshEvidenceArgs]) error {
	err := w.ranker.Refresh(ctx, job.Args.StatementID)
	if docket.ErrorCode(err) == docket.ENOTFOUND {
		return nil // deleted since
	}
	if err != nil {
		return err
	}
	w.log.Debug("evidence suggested", "statement", job.Args.StatementID)
	return nil
}

// enqueueEvidence inserts the evidence job of each statement inside stx.
func enqueueEvidence(ctx context.Context, client *river.Client[*sql.Tx], stx *sql.Tx, statementIDs []int64) error {
	if len(statementIDs) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(statementIDs))
	for i, id := range statementIDs {
		params[i] = river.InsertManyParams{Args: RefreshEvidenceArgs{StatementID: id}}
	}
	if _, err := client.InsertManyTx(ctx, stx, params); err != nil {
		return fmt.Errorf("enqueue evidence of ingested statements: %w", err)
	}
	return nil
}
