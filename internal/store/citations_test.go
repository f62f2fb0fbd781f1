package store_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestCitations checks that Citations gives, for each statement, the sentence and item of
// each piece of evidence confirmed when it was published, as PublishedEvidence does, and
// nothing else.
func TestCitations(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tp := mustTopic(t, db, "syria", docket.Public)
		src := mustSource(t, db, "https://example.org/feed", docket.KindNews)
		writer := mustUser(t, db, docket.RoleEditor, "Writer")
		reviewer := mustUser(t, db, docket.RoleEditor, "Reviewer")
		var itemIDs []int64
		err := db.Update(ctx, func(tx *store.Tx) error {
			res, err := tx.SaveItems(ctx, src.ID, []docket.Item{item("a", "Aid reaches Aleppo", time.Now()), item("b", "Talks in Geneva", time.Now())})
			itemIDs = res.New
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for k := range 3 {
			st := &docket.Statement{Title: fmt.Sprint("S", k), Body: "Aid reached Aleppo. Talks resume.", Kind: docket.KindPressRelease}
			if err := db.CreateStatement(ctx, st, []int64{tp.ID}, &writer.ID, ""); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, st.ID)
			for j, state := range []string{docket.StateConfirmed, docket.StateRejected, docket.StateSuggested, docket.StateConfirmed}[:k+2] {
				err := db.SetEvidence(ctx, store.EvidenceChange{StatementID: st.ID, SentenceHash: fmt.Sprint("h", j), SentenceText: fmt.Sprint("s", j),
					ItemID: itemIDs[j%2], State: state})
				if err != nil {
					t.Fatal(err)
				}
			}
			for _, step := range []struct {
				action string
				by     *docket.User
			}{{docket.ActSubmit, writer}, {docket.ActApprove, reviewer}, {docket.ActPublish, reviewer}} {
				cur, err := db.StatementByID(ctx, st.ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Transition(ctx, st.ID, step.action, store.SeenOf(cur), step.by, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		got, err := db.Citations(ctx, append(ids, 9999))
		if err != nil {
			t.Fatal(err)
		}
		for k, id := range ids {
			ev, err := db.PublishedEvidence(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var want, have []string
			for _, e := range ev {
				want = append(want, fmt.Sprint(e.SentenceHash, "/", e.ItemID))
			}
			for _, c := range got[id] {
				have = append(have, fmt.Sprint(c.SentenceHash, "/", c.ItemID))
			}
			sort.Strings(want)
			sort.Strings(have)
			if fmt.Sprint(have) != fmt.Sprint(want) {
				t.Errorf("statement %d: got %v, want %v", id, have, want)
			}
			if wantN := []int{1, 1, 2}[k]; len(have) != wantN {
				t.Errorf("statement %d: %d citations %v, want the %d confirmed", id, len(have), have, wantN)
			}
		}
		if len(got[9999]) != 0 {
			t.Errorf("a statement that does not exist has citations: %v", got[9999])
		}
	})
}
