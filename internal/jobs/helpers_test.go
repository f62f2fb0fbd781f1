package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/docket-dev/docket/internal/jobs"
)

// start starts r's workers for the test and returns a function that waits until a job of
// kind has completed, failing the test when one ends otherwise, or when none completes in
// 30 s. Jobs of other kinds (the leader's periodic ones) are passed over.
func start(t *testing.T, r *jobs.Runner) (waitFor func(kind string)) {
	t.Helper()
	events, cancel := r.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	t.Cleanup(cancel)
	ctx, stop := context.WithCancel(context.Background())
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop()
		r.Stop(context.Background())
	})
	return func(kind string) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case ev := <-events:
				if ev.Job.Kind != kind {
					continue
				}
				if ev.Kind != river.EventKindJobCompleted {
					t.Fatalf("the %s job ended %s: %v", kind, ev.Kind, ev.Job.Errors)
				}
				return
			case <-deadline:
				t.Fatalf("no %s job completed", kind)
			}
		}
	}
}
