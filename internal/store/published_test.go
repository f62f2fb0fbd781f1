package store_test

import (
	"context"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestPublishedSnapshot: what the public sees of a statement — text, kind, member, topics —
// is what was published. Revising it and editing the new draft changes none of that until the
// new version is published; withdrawing it takes it off every public list.
func TestPublishedSnapshot(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		private := mustTopic(t, db, "internal", docket.Private)
		public := mustTopic(t, db, "syria", docket.Public)
		var editors []*docket.User
		for _, e := range []string{"a@example.org", "b@example.org"} {
			u := &docket.User{Email: e, Name: e, Role: docket.RoleEditor, PasswordHash: "x"}
			if err := db.CreateUser(ctx, u, nil); err != nil {
				t.Fatal(err)
			}
			editors = append(editors, u)
		}
		m1 := &docket.Member{Name: "Sarah Whitfield"}
		m2 := &docket.Member{Name: "Someone Else"}
		db.CreateMember(ctx, m1)
		db.CreateMember(ctx, m2)
		st := &docket.Statement{Title: "On aid", Body: "Aid must reach Idlib.", Kind: docket.KindPressRelease, MemberID: &m1.ID}
		if err := db.CreateStatement(ctx, st, []int64{private.ID}, &editors[0].ID, ""); err != nil {
			t.Fatal(err)
		}
		step := func(action string, by *docket.User) {
			t.Helper()
			cur, err := db.StatementByID(ctx, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Transition(ctx, st.ID, action, cur.Revision, by, ""); err != nil {
				t.Fatalf("%s: %v", action, err)
			}
		}
		step(docket.ActSubmit, editors[0])
		step(docket.ActApprove, editors[1])
		step(docket.ActPublish, editors[1])
		step(docket.ActRevise, editors[0])

		cur, _ := db.StatementByID(ctx, st.ID)
		_, err := db.SaveDraft(ctx, st.ID, store.Draft{Title: "On aid, revised", Body: "Aid must reach Idlib and Aleppo.",
			Kind: docket.KindSpeech, MemberID: &m2.ID, TopicIDs: []int64{public.ID}, BaseRevision: cur.Revision}, editors[0])
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.PublicStatementByID(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "On aid" || got.Kind != docket.KindPressRelease || got.MemberName != "Sarah Whitfield" {
			t.Errorf("public view during the new draft: %q, %s, %q; want the published version", got.Title, got.Kind, got.MemberName)
		}
		if on, _ := db.PublicStatementsForTopic(ctx, public.ID, 10); len(on) != 0 {
			t.Errorf("the draft's new public topic already lists the statement")
		}
		if ts, _ := db.PublicTopicsOfStatement(ctx, st.ID); len(ts) != 0 {
			t.Errorf("public topics of the statement %v, want none (it was published under a private topic)", ts)
		}

		step(docket.ActSubmit, editors[0])
		step(docket.ActApprove, editors[1])
		step(docket.ActPublish, editors[1])
		got, _ = db.PublicStatementByID(ctx, st.ID)
		if got.Title != "On aid, revised" || got.Kind != docket.KindSpeech || got.MemberName != "Someone Else" {
			t.Errorf("public view after publishing version 2: %q, %s, %q", got.Title, got.Kind, got.MemberName)
		}
		if on, _ := db.PublicStatementsForTopic(ctx, public.ID, 10); len(on) != 1 {
			t.Errorf("version 2 is not listed on its public topic")
		}

		step(docket.ActWithdraw, editors[1])
		if _, err := db.PublicStatementByID(ctx, st.ID); docket.ErrorCode(err) != docket.ENOTFOUND {
			t.Errorf("a withdrawn statement: %v, want not found", err)
		}
		if on, _ := db.PublicStatementsForTopic(ctx, public.ID, 10); len(on) != 0 {
			t.Errorf("a withdrawn statement is still listed on its topic")
		}
	})
}
