package store_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// stepper returns a function that applies a workflow action to a statement, at its current
// revision, as a user, failing the test when it is refused.
func stepper(t *testing.T, db *store.DB, id int64) func(action string, by *docket.User) {
	return func(action string, by *docket.User) {
		t.Helper()
		ctx := context.Background()
		cur, err := db.StatementByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Transition(ctx, id, action, store.SeenOf(cur), by, ""); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
	}
}

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
		step := stepper(t, db, st.ID)
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

// citationsOf lists a statement's public citations as sentence/item, from both readers: the
// statement page's (PublishedEvidence) and the topic page's counts (Citations).
func citationsOf(t *testing.T, db *store.DB, id int64) (page, counts []string) {
	t.Helper()
	ctx := context.Background()
	ev, err := db.PublishedEvidence(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ev {
		page = append(page, fmt.Sprintf("%s/%d", e.SentenceHash, e.ItemID))
	}
	cs, err := db.Citations(ctx, []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs[id] {
		counts = append(counts, fmt.Sprintf("%s/%d", c.SentenceHash, c.ItemID))
	}
	sort.Strings(counts)
	return page, counts
}

// TestPublishedCitations: the citations the public sees are the published version's, taken
// when it was published. Rejecting a citation on a new version's draft leaves the public page
// alone until that version is published; the published version's evidence cannot be changed
// at all; withdrawing takes the citations down with the statement.
func TestPublishedCitations(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tp := mustTopic(t, db, "syria", docket.Public)
		src := mustSource(t, db, "https://example.org/feed", docket.KindNews)
		ids := saveLinked(t, db, src, tp.ID, docket.StateConfirmed,
			item("a", "Evacuation of Aleppo begins", time.Now().Add(-48*time.Hour)),
			item("b", "Buses leave eastern Aleppo", time.Now().Add(-24*time.Hour)))
		writer := mustUser(t, db, docket.RoleEditor, "Writer")
		reviewer := mustUser(t, db, docket.RoleEditor, "Reviewer")
		st := mustStatement(t, db, docket.StatusDraft, writer, tp.ID)
		sentence := "The evacuation of eastern Aleppo has begun."
		hash := statements.Hash(sentence)
		decide := func(item int64, state string) error {
			return db.SetEvidence(ctx, store.EvidenceChange{StatementID: st.ID, SentenceHash: hash, SentenceText: sentence,
				ItemID: item, State: state, By: &writer.ID})
		}
		step := stepper(t, db, st.ID)
		one := []string{fmt.Sprintf("%s/%d", hash, ids[0])}
		check := func(when string, want []string) {
			t.Helper()
			page, counts := citationsOf(t, db, st.ID)
			if fmt.Sprint(page) != fmt.Sprint(want) || fmt.Sprint(counts) != fmt.Sprint(want) {
				t.Errorf("%s: public citations %v (page), %v (counts), want %v", when, page, counts, want)
			}
		}

		if err := decide(ids[0], docket.StateConfirmed); err != nil {
			t.Fatal(err)
		}
		check("a draft", nil)
		step(docket.ActSubmit, writer)
		step(docket.ActApprove, reviewer)
		if err := decide(ids[1], docket.StateConfirmed); docket.ErrorCode(err) != docket.ECONFLICT {
			t.Errorf("confirming evidence on an approved version: got %v, want a conflict (reopen it first)", err)
		}
		step(docket.ActPublish, reviewer)
		check("version 1 published", one)
		if err := decide(ids[0], docket.StateRejected); docket.ErrorCode(err) != docket.ECONFLICT {
			t.Errorf("rejecting evidence on the published version: got %v, want a conflict (revise it first)", err)
		}
		check("after a refused change to the published version", one)

		step(docket.ActRevise, writer)
		if err := decide(ids[0], docket.StateRejected); err != nil {
			t.Fatalf("rejecting on version 2's draft: %v", err)
		}
		if err := decide(ids[1], docket.StateConfirmed); err != nil {
			t.Fatalf("confirming on version 2's draft: %v", err)
		}
		check("version 2's draft rejects the citation", one)
		if conf, _ := db.ConfirmedEvidence(ctx, st.ID); len(conf) != 1 || conf[0].ItemID != ids[1] {
			t.Errorf("the draft's own evidence: %+v, want item %d alone", conf, ids[1])
		}

		step(docket.ActSubmit, writer)
		step(docket.ActApprove, reviewer)
		step(docket.ActPublish, reviewer)
		check("version 2 published", []string{fmt.Sprintf("%s/%d", hash, ids[1])})

		step(docket.ActWithdraw, reviewer)
		check("withdrawn", nil)
		step(docket.ActRevise, writer)
		check("a draft after withdrawing", nil)
	})
}

// TestPublishedCitationsMigration: the migration that brought in the snapshot filled it with
// the confirmed evidence of the statements public at the time, and of no other.
func TestPublishedCitationsMigration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tp := mustTopic(t, db, "syria", docket.Public)
		src := mustSource(t, db, "https://example.org/feed", docket.KindNews)
		ids := saveLinked(t, db, src, tp.ID, docket.StateConfirmed, item("a", "Evacuation of Aleppo begins", time.Now().Add(-time.Hour)))
		published := mustStatement(t, db, docket.StatusPublished, nil, tp.ID)
		draft := mustStatement(t, db, docket.StatusDraft, nil, tp.ID)
		if err := db.MigrateDownTo(ctx, 1000); err != nil {
			t.Fatal(err)
		}
		// Before the snapshot existed, decisions were taken in any status.
		for _, id := range []int64{published.ID, draft.ID} {
			if _, err := db.W.ExecContext(ctx, db.W.Rebind(`INSERT INTO evidence (statement_id, sentence_hash, sentence_text, item_id, origin, state, created_at)
				VALUES (?, 'h', 's', ?, 'suggested', 'confirmed', ?)`), id, ids[0], time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("[h/%d]", ids[0])
		if page, counts := citationsOf(t, db, published.ID); fmt.Sprint(page) != want || fmt.Sprint(counts) != want {
			t.Errorf("the published statement after the migration: %v, %v, want %s", page, counts, want)
		}
		if page, _ := citationsOf(t, db, draft.ID); len(page) != 0 {
			t.Errorf("the draft after the migration: %v, want no public citations", page)
		}
	})
}
