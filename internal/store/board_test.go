package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestPublishBoard: each column says who has each statement in the terms of its status (a
// draft's writer, who submitted it, approved it, published or withdrew it), shows at most
// the rows asked for, the longest waiting first while work is pending and the newest first
// once published, counts the rest, and flags as overdue every statement in review too long,
// shown or not.
func TestPublishBoard(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2017, 1, 10, 12, 0, 0, 0, time.UTC)
		topic := mustTopic(t, db, "syria", docket.Public)
		ann := mustUser(t, db, docket.RoleEditor, "Ann")
		ben := mustUser(t, db, docket.RoleEditor, "Ben")
		cat := mustUser(t, db, docket.RoleAdmin, "Cat")
		at := func(ago time.Duration) { db.SetClock(func() time.Time { return now.Add(-ago) }) }
		// made writes a statement as Ann and takes it through the given actions, each by its
		// user, an hour apart, ending ago before now.
		made := func(title string, ago time.Duration, steps ...any) *docket.Statement {
			t.Helper()
			at(ago + time.Duration(len(steps)/2+1)*time.Hour)
			st := &docket.Statement{Title: title, Body: "Aid must reach Idlib.", Kind: docket.KindPressRelease}
			if err := db.CreateStatement(ctx, st, []int64{topic.ID}, &ann.ID, ""); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < len(steps); i += 2 {
				at(ago + time.Duration(len(steps)/2-i/2)*time.Hour)
				stepper(t, db, st.ID)(steps[i].(string), steps[i+1].(*docket.User))
			}
			return st
		}
		draft := made("A draft", 0)
		late := made("Late in review", 5*24*time.Hour, docket.ActSubmit, ann)
		later := made("Later in review", 4*24*time.Hour, docket.ActSubmit, ann)
		fresh := made("Fresh in review", time.Hour, docket.ActSubmit, ann)
		// A reviewer's fix of a typo does not make the statement theirs to approve.
		cur, _ := db.StatementByID(ctx, fresh.ID)
		if _, err := db.SaveDraft(ctx, fresh.ID, store.Draft{Title: cur.Title, Body: "Aid must reach Idlib now.", Kind: cur.Kind,
			TopicIDs: []int64{topic.ID}, BaseRevision: cur.Revision}, ben); err != nil {
			t.Fatal(err)
		}
		approved := made("Approved", 2*time.Hour, docket.ActSubmit, ann, docket.ActApprove, ben)
		published := made("Published", 3*24*time.Hour, docket.ActSubmit, ann, docket.ActApprove, ben, docket.ActPublish, cat)
		withdrawn := made("Withdrawn", 6*time.Hour, docket.ActSubmit, ann, docket.ActApprove, ben, docket.ActPublish, cat, docket.ActWithdraw, ben)
		revised := made("Revised", 30*time.Minute, docket.ActSubmit, ann, docket.ActApprove, ben, docket.ActPublish, cat, docket.ActRevise, cat)
		// Published before Docket saw them: by the date they were published.
		var imported []*docket.Statement
		for k := range 4 {
			at(time.Minute)
			on := now.AddDate(0, 0, -10*(k+1))
			st := &docket.Statement{Title: fmt.Sprint("Imported ", k), Body: "Text.", Kind: docket.KindArticle, Status: docket.StatusPublished,
				Origin: docket.OriginImported, PublishedAt: &on}
			if err := db.CreateStatement(ctx, st, []int64{topic.ID}, nil, "imported"); err != nil {
				t.Fatal(err)
			}
			imported = append(imported, st)
		}
		db.SetClock(func() time.Time { return now })

		board, err := db.PublishBoard(ctx, now, 48*time.Hour, 3)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			id               int64
			entered, written string
		}
		want := map[string]struct {
			total, overdue int
			rows           []row
		}{
			// Revising starts the version with a copy of the text, saved by whoever revised.
			docket.StatusDraft:     {2, 0, []row{{revised.ID, "Cat", "Cat"}, {draft.ID, "Ann", "Ann"}}},
			docket.StatusInReview:  {3, 2, []row{{late.ID, "Ann", "Ann"}, {later.ID, "Ann", "Ann"}, {fresh.ID, "Ann", "Ben"}}},
			docket.StatusApproved:  {1, 0, []row{{approved.ID, "Ben", "Ann"}}},
			docket.StatusPublished: {5, 0, []row{{published.ID, "Cat", "Ann"}, {imported[0].ID, "", ""}, {imported[1].ID, "", ""}}},
			docket.StatusWithdrawn: {1, 0, []row{{withdrawn.ID, "Ben", "Ann"}}},
		}
		for i, c := range board.Columns {
			if c.Status != docket.Statuses[i] {
				t.Fatalf("column %d is %s, want %s", i, c.Status, docket.Statuses[i])
			}
			w := want[c.Status]
			var got []row
			for _, r := range c.Statements {
				got = append(got, row{r.ID, r.EnteredBy, r.WrittenBy})
			}
			if c.Count() != w.total || c.Overdue != w.overdue || fmt.Sprint(got) != fmt.Sprint(w.rows) {
				t.Errorf("%s: %d statements, %d overdue, rows %v; want %d, %d, %v", c.Status, c.Count(), c.Overdue, got, w.total, w.overdue, w.rows)
			}
			if c.More() != w.total-len(w.rows) {
				t.Errorf("%s: %d more, want %d", c.Status, c.More(), w.total-len(w.rows))
			}
		}
		// The revised statement's first version, published this morning, is the topic's
		// last published statement while its second is written.
		if len(board.Topics) != 1 || board.Topics[0].LastPublished == nil || board.Topics[0].LastPublished.ID != revised.ID || len(board.Topics[0].InProgress) != 6 {
			t.Errorf("topic line %+v, want the last published and the 6 in progress", board.Topics)
		}

		t.Run("a status's list, a page at a time", func(t *testing.T) {
			var ids []int64
			var after store.Cursor
			for page := 0; ; page++ {
				rows, next, err := db.StatusPage(ctx, docket.StatusPublished, after, 2)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					ids = append(ids, r.ID)
					if r.ID == published.ID && r.EnteredBy != "Cat" {
						t.Errorf("page %d: published by %q, want Cat", page, r.EnteredBy)
					}
				}
				if next.IsZero() {
					break
				}
				after = next
			}
			wantIDs := []int64{published.ID, imported[0].ID, imported[1].ID, imported[2].ID, imported[3].ID}
			if fmt.Sprint(ids) != fmt.Sprint(wantIDs) {
				t.Errorf("pages give %v, want %v, the newest published first", ids, wantIDs)
			}
			if _, _, err := db.StatusPage(ctx, "lost", store.Cursor{}, 2); docket.ErrorCode(err) != docket.EINVALID {
				t.Errorf("an unknown status: got %v, want invalid", err)
			}
		})
	})
}
