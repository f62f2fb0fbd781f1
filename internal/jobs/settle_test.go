package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestRematchSettlesStaleIngest plays an ingester in another process that still held a
// matcher compiled from the old rule: after the re-match's walk has finished, it stores an
// Aleppo item linked by the old rule, an Idlib item left unlinked, and an update of an old
// Aleppo item, again linked by the old rule. The settling pass the walk scheduled (made due
// here, rather than waiting out the window) brings all three in line with the new rule.
func TestRematchSettlesStaleIngest(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		rm, err := jobs.NewRematcher(db, jobs.RematcherConfig{Batch: 4})
		if err != nil {
			t.Fatal(err)
		}
		// Saved before the worker starts, so setRule sees the re-match running.
		gen := w.setRule(t, rm, "Idlib")
		if err := rm.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rm.Stop(context.Background()) })
		before := wait(t, db, w.topic.ID, gen)

		src, err := db.SourceByURL(ctx, "https://news.example.org/feed")
		if err != nil {
			t.Fatal(err)
		}
		old := w.items[len(w.items)-1] // "Report 22 on Aleppo": unlinked by the new rule
		var staleAleppo, missedIdlib int64
		stale := []store.TopicMatch{{TopicID: w.topic.ID, Terms: []string{"aleppo"}}}
		at := time.Date(2016, 12, 3, 0, 0, 0, 0, time.UTC)
		err = db.Update(ctx, func(tx *store.Tx) error {
			res, err := tx.SaveItems(ctx, src.ID, []docket.Item{
				{GUID: "late-aleppo", Title: "Late report on Aleppo", Text: "Late report on Aleppo", PublishedAt: at, ContentHash: "a"},
				{GUID: "late-idlib", Title: "Late report on Idlib", Text: "Late report on Idlib", PublishedAt: at, ContentHash: "b"},
				// The feed changed item 22's text: it is stored again, and linked again.
				{GUID: "22", Title: "Report 22 on Aleppo, updated", Text: "Report 22 on Aleppo, updated", PublishedAt: at, ContentHash: "c"},
			})
			if err != nil {
				return err
			}
			staleAleppo, missedIdlib = res.New[0], res.New[1]
			if err := tx.LinkRuleMatches(ctx, staleAleppo, at, stale); err != nil {
				return err
			}
			return tx.LinkRuleMatches(ctx, old, at, stale)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := links(t, db, w.topic.ID); got[staleAleppo].State != docket.StateSuggested || got[old].State != docket.StateSuggested {
			t.Fatalf("the stale ingest's links are not there to settle: %+v %+v", got[staleAleppo], got[old])
		}
		// The pass waits until every ingester's matcher knows the new rule; make it due.
		res, err := db.W.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = created_at
			WHERE kind = 'rematch_settle' AND state = 'scheduled'`)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			t.Fatalf("%d settling passes scheduled, want 1", n)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			got := links(t, db, w.topic.ID)
			_, aleppoOn := got[staleAleppo]
			_, oldOn := got[old]
			idlib, idlibOn := got[missedIdlib]
			if !aleppoOn && !oldOn && idlibOn && idlib.Terms == "idlib" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after the settling pass: late Aleppo linked %v, updated Aleppo linked %v, late Idlib %+v (linked %v); want only the Idlib one, a suggestion",
					aleppoOn, oldOn, idlib, idlibOn)
			}
			time.Sleep(20 * time.Millisecond)
		}
		st, err := db.RematchStatus(ctx, w.topic.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Added != before.Added+1 || st.Removed != before.Removed+2 {
			t.Errorf("status %+v, want one more added and two more removed than %+v", st, before)
		}
	})
}
