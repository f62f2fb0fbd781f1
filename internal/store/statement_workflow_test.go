package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

func mustUser(t *testing.T, db *store.DB, role, name string) *docket.User {
	t.Helper()
	u := &docket.User{Email: fmt.Sprintf("%s.%d@example.org", role, time.Now().UnixNano()), Name: name, Role: role, PasswordHash: "not used"}
	if err := db.CreateUser(context.Background(), u, nil); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

// mustStatement stores a statement in a status, written by author.
func mustStatement(t *testing.T, db *store.DB, status string, author *docket.User, topics ...int64) *docket.Statement {
	t.Helper()
	s := &docket.Statement{Title: "On Aleppo", Body: "The evacuation of eastern Aleppo has begun.", Kind: docket.KindPressRelease, Status: status}
	var by *int64
	if author != nil {
		by = &author.ID
	}
	if err := db.CreateStatement(context.Background(), s, topics, by, ""); err != nil {
		t.Fatalf("create statement: %v", err)
	}
	return s
}

// allowed is the workflow of docs/design.md, written out rather than read from docket.Workflow
// so that a change to the table shows up here: status → the actions that leave it.
var allowed = map[string][]string{
	docket.StatusDraft:     {docket.ActSubmit},
	docket.StatusInReview:  {docket.ActRequestChanges, docket.ActApprove},
	docket.StatusApproved:  {docket.ActReopen, docket.ActPublish},
	docket.StatusPublished: {docket.ActWithdraw, docket.ActRevise},
	docket.StatusWithdrawn: {docket.ActRevise},
}

var wantTo = map[string]string{
	docket.ActSubmit: docket.StatusInReview, docket.ActRequestChanges: docket.StatusDraft, docket.ActApprove: docket.StatusApproved,
	docket.ActReopen: docket.StatusDraft, docket.ActPublish: docket.StatusPublished, docket.ActWithdraw: docket.StatusWithdrawn,
	docket.ActRevise: docket.StatusDraft,
}

var actions = []string{docket.ActSubmit, docket.ActRequestChanges, docket.ActApprove, docket.ActReopen, docket.ActPublish,
	docket.ActWithdraw, docket.ActRevise}

// TestWorkflowTable applies every action to a statement in every status as every role, and
// checks the answer: allowed (one status_events row, the new status) or refused with the
// code that says why (forbidden for the role, conflict for the status), changing nothing.
func TestWorkflowTable(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		author := mustUser(t, db, docket.RoleEditor, "Author")
		users := map[string]*docket.User{}
		for _, role := range docket.Roles {
			users[role] = mustUser(t, db, role, "A "+role)
		}
		for _, role := range docket.Roles {
			for _, status := range docket.Statuses {
				for _, action := range actions {
					t.Run(role+"/"+status+"/"+action, func(t *testing.T) {
						s := mustStatement(t, db, status, author)
						before, _ := db.StatusHistory(ctx, s.ID)
						_, err := db.Transition(ctx, s.ID, action, store.SeenOf(s), users[role], "")
						wantCode := ""
						switch {
						case role == docket.RoleResearcher:
							wantCode = docket.EFORBIDDEN
						case !contains(allowed[status], action):
							wantCode = docket.ECONFLICT
						}
						if got := docket.ErrorCode(err); got != wantCode {
							t.Fatalf("got %q (%v), want %q", got, err, wantCode)
						}
						got, _ := db.StatementByID(ctx, s.ID)
						after, _ := db.StatusHistory(ctx, s.ID)
						if wantCode != "" {
							if got.Status != status || len(after) != len(before) {
								t.Fatalf("refused, yet status %s and %d events (was %s, %d)", got.Status, len(after), status, len(before))
							}
							return
						}
						if got.Status != wantTo[action] {
							t.Errorf("status %s, want %s", got.Status, wantTo[action])
						}
						if len(after) != len(before)+1 {
							t.Fatalf("%d status events, want %d", len(after), len(before)+1)
						}
						last := after[len(after)-1]
						if last.FromStatus != status || last.ToStatus != wantTo[action] || last.UserID == nil || *last.UserID != users[role].ID {
							t.Errorf("event %+v, want %s → %s by %s", last, status, wantTo[action], role)
						}
					})
				}
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestNobodyApprovesTheirOwnVersion(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		writer := mustUser(t, db, docket.RoleEditor, "Writer")
		admin := mustUser(t, db, docket.RoleAdmin, "Admin")
		other := mustUser(t, db, docket.RoleEditor, "Other")
		s := mustStatement(t, db, docket.StatusDraft, writer)
		// The admin fixes a word: that makes the admin a writer of this version too.
		s, err := db.SaveDraft(ctx, s.ID, store.Draft{Title: s.Title, Body: s.Body + " Buses left today.", Kind: s.Kind, BaseRevision: s.Revision}, admin)
		if err != nil {
			t.Fatal(err)
		}
		if s, err = db.Transition(ctx, s.ID, docket.ActSubmit, store.SeenOf(s), writer, ""); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*docket.User{writer, admin} {
			_, err := db.Transition(ctx, s.ID, docket.ActApprove, store.SeenOf(s), u, "")
			if docket.ErrorCode(err) != docket.EFORBIDDEN {
				t.Errorf("%s approving their own version: got %v, want forbidden", u.Name, err)
			}
		}
		s, err = db.Transition(ctx, s.ID, docket.ActApprove, store.SeenOf(s), other, "reads well")
		if err != nil || s.Status != docket.StatusApproved {
			t.Fatalf("another editor approving: got %v, %v", s, err)
		}
		// A new version is a new slate: the writer of version 1 who did not write version 2
		// may approve it.
		if s, err = db.Transition(ctx, s.ID, docket.ActPublish, store.SeenOf(s), other, ""); err != nil {
			t.Fatal(err)
		}
		if s, err = db.Transition(ctx, s.ID, docket.ActRevise, store.SeenOf(s), other, ""); err != nil {
			t.Fatal(err)
		}
		if s, err = db.SaveDraft(ctx, s.ID, store.Draft{Title: s.Title, Body: s.Body + " More.", Kind: s.Kind, BaseRevision: s.Revision}, other); err != nil {
			t.Fatal(err)
		}
		if s, err = db.Transition(ctx, s.ID, docket.ActSubmit, store.SeenOf(s), other, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Transition(ctx, s.ID, docket.ActApprove, store.SeenOf(s), writer, ""); err != nil {
			t.Errorf("the writer of version 1 approving version 2: %v", err)
		}
	})
}

// TestEditAndApproveRace starts an editor's save and a reviewer's approval of the same
// revision at the same moment, many times: exactly one of them must win each time, and the
// loser must be told to reload.
//
// Only PostgreSQL races here. SQLite has one writer and takes its lock when a transaction
// begins (_txlock=immediate), so the save and the approval run one after the other and the
// second sees the first's commit; its run checks that outcome, not the race. On PostgreSQL
// both read the statement before either writes, and what stops the save from landing on a
// statement just approved is the status guard of SaveDraft's UPDATE (status IN ('draft',
// 'in_review'), re-checked after the approval's row lock is released): without it this test
// fails there, in each of three runs within the first four rounds.
func TestEditAndApproveRace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		writer := mustUser(t, db, docket.RoleEditor, "Writer")
		reviewer := mustUser(t, db, docket.RoleEditor, "Reviewer")
		wins := map[string]int{}
		for round := 0; round < 20; round++ {
			s := mustStatement(t, db, docket.StatusDraft, writer)
			s, err := db.Transition(ctx, s.ID, docket.ActSubmit, store.SeenOf(s), writer, "")
			if err != nil {
				t.Fatal(err)
			}
			start := make(chan struct{})
			var wg sync.WaitGroup
			var saveErr, approveErr error
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				_, saveErr = db.SaveDraft(ctx, s.ID, store.Draft{Title: s.Title, Body: s.Body + " A late change.", Kind: s.Kind, BaseRevision: s.Revision}, writer)
			}()
			go func() {
				defer wg.Done()
				<-start
				_, approveErr = db.Transition(ctx, s.ID, docket.ActApprove, store.SeenOf(s), reviewer, "")
			}()
			close(start)
			wg.Wait()
			if (saveErr == nil) == (approveErr == nil) {
				t.Fatalf("round %d: save %v, approve %v: want exactly one to succeed", round, saveErr, approveErr)
			}
			lost := saveErr
			if saveErr == nil {
				lost = approveErr
				wins["save"]++
			} else {
				wins["approve"]++
			}
			if docket.ErrorCode(lost) != docket.ECONFLICT {
				t.Fatalf("round %d: the loser got %v, want a conflict", round, lost)
			}
			got, _ := db.StatementByID(ctx, s.ID)
			switch {
			case saveErr == nil && (got.Status != docket.StatusInReview || got.Revision != s.Revision+1):
				t.Fatalf("round %d: the save won, yet status %s revision %d", round, got.Status, got.Revision)
			case approveErr == nil && (got.Status != docket.StatusApproved || got.Revision != s.Revision):
				t.Fatalf("round %d: the approval won, yet status %s revision %d", round, got.Status, got.Revision)
			}
		}
		t.Logf("wins: %v", wins)
	})
}

func TestSaveDraft(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := mustUser(t, db, docket.RoleEditor, "Ann")
		b := mustUser(t, db, docket.RoleEditor, "Ben")
		syria := mustTopic(t, db, "syria", docket.Public)
		idlib := mustTopic(t, db, "idlib", docket.Public)
		s := mustStatement(t, db, docket.StatusDraft, a, syria.ID)

		t.Run("a save is a new revision", func(t *testing.T) {
			got, err := db.SaveDraft(ctx, s.ID, store.Draft{Title: "On Idlib", Body: "New text.", Kind: docket.KindSpeech,
				TopicIDs: []int64{idlib.ID}, BaseRevision: 1}, a)
			if err != nil {
				t.Fatal(err)
			}
			if got.Revision != 2 || got.Title != "On Idlib" || got.Kind != docket.KindSpeech {
				t.Fatalf("got %+v, want revision 2 with the new title and kind", got)
			}
			revs, _ := db.Revisions(ctx, s.ID)
			if len(revs) != 2 || revs[1].Body != "New text." || revs[1].AuthorName != "Ann" || revs[0].Body != s.Body {
				t.Fatalf("revisions %+v, want the first and the new one by Ann", revs)
			}
			topics, _ := db.StatementTopics(ctx, s.ID)
			if len(topics) != 1 || topics[0].ID != idlib.ID {
				t.Errorf("topics %v, want only idlib", topics)
			}
		})
		t.Run("a save from an older revision is a conflict", func(t *testing.T) {
			_, err := db.SaveDraft(ctx, s.ID, store.Draft{Title: "Ben's title", Body: "Ben's text.", Kind: docket.KindSpeech, BaseRevision: 1}, b)
			if docket.ErrorCode(err) != docket.ECONFLICT || docket.ErrorMessage(err) != "someone else saved this statement meanwhile: reload" {
				t.Fatalf("got %v, want the reload conflict", err)
			}
			got, _ := db.StatementByID(ctx, s.ID)
			if got.Title != "On Idlib" || got.Revision != 2 {
				t.Errorf("the refused save changed the statement: %+v", got)
			}
		})
		t.Run("a save that changes nothing writes nothing", func(t *testing.T) {
			got, err := db.SaveDraft(ctx, s.ID, store.Draft{Title: "On Idlib", Body: "New text.", Kind: docket.KindSpeech,
				TopicIDs: []int64{idlib.ID}, BaseRevision: 2}, b)
			if err != nil || got.Revision != 2 {
				t.Fatalf("got %+v, %v, want revision 2 unchanged", got, err)
			}
			if wrote, _ := db.WroteVersion(ctx, s.ID, 1, b.ID); wrote {
				t.Error("an empty save made Ben a writer of the version")
			}
		})
		t.Run("bad fields are refused by name", func(t *testing.T) {
			cases := []struct {
				name  string
				draft store.Draft
				field string
			}{
				{"empty title", store.Draft{Title: " ", Kind: docket.KindSpeech, BaseRevision: 2}, "title"},
				{"unknown kind", store.Draft{Title: "x", Kind: "tweet", BaseRevision: 2}, "kind"},
				{"no revision", store.Draft{Title: "x", Kind: docket.KindSpeech}, "revision"},
				{"unknown member", store.Draft{Title: "x", Kind: docket.KindSpeech, MemberID: ptr(int64(9999)), BaseRevision: 2}, "member"},
				{"unknown topic", store.Draft{Title: "x", Kind: docket.KindSpeech, TopicIDs: []int64{9999}, BaseRevision: 2}, "topics"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					_, err := db.SaveDraft(ctx, s.ID, c.draft, a)
					var e *docket.Error
					if !asError(err, &e) || e.Code != docket.EINVALID || e.Field != c.field {
						t.Fatalf("got %v, want an invalid %s", err, c.field)
					}
				})
			}
		})
		t.Run("approved and published versions do not change", func(t *testing.T) {
			for _, status := range []string{docket.StatusApproved, docket.StatusPublished, docket.StatusWithdrawn} {
				x := mustStatement(t, db, status, a)
				_, err := db.SaveDraft(ctx, x.ID, store.Draft{Title: "Changed", Body: "Changed.", Kind: x.Kind, BaseRevision: x.Revision}, a)
				if docket.ErrorCode(err) != docket.ECONFLICT {
					t.Errorf("%s: got %v, want a conflict", status, err)
				}
			}
		})
		t.Run("a transition on an older revision is a conflict", func(t *testing.T) {
			_, err := db.Transition(ctx, s.ID, docket.ActSubmit, store.Seen{Revision: 1}, a, "")
			if docket.ErrorCode(err) != docket.ECONFLICT {
				t.Fatalf("got %v, want a conflict", err)
			}
		})
	})
}

func ptr[T any](v T) *T { return &v }

func TestReviseKeepsThePublishedVersionPublic(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := mustUser(t, db, docket.RoleEditor, "Ann")
		b := mustUser(t, db, docket.RoleEditor, "Ben")
		s := mustStatement(t, db, docket.StatusDraft, a)
		step := func(action string, by *docket.User) {
			t.Helper()
			var err error
			if s, err = db.Transition(ctx, s.ID, action, store.SeenOf(s), by, ""); err != nil {
				t.Fatalf("%s: %v", action, err)
			}
		}
		step(docket.ActSubmit, a)
		step(docket.ActApprove, b)
		step(docket.ActPublish, b)
		pub, err := db.PublicStatementByID(ctx, s.ID)
		if err != nil || pub.Body != "The evacuation of eastern Aleppo has begun." || pub.Version != 1 {
			t.Fatalf("public after publishing: %+v, %v", pub, err)
		}
		step(docket.ActRevise, a)
		if s.Version != 2 || s.Status != docket.StatusDraft {
			t.Fatalf("after revise: version %d status %s, want 2 draft", s.Version, s.Status)
		}
		if s, err = db.SaveDraft(ctx, s.ID, store.Draft{Title: "On Aleppo, revised", Body: "The evacuation is complete.", Kind: s.Kind, BaseRevision: s.Revision}, a); err != nil {
			t.Fatal(err)
		}
		pub, err = db.PublicStatementByID(ctx, s.ID)
		if err != nil || pub.Title != "On Aleppo" || pub.Body != "The evacuation of eastern Aleppo has begun." || pub.Version != 1 {
			t.Fatalf("public while version 2 is a draft: %+v, %v; want version 1's text", pub, err)
		}
		step(docket.ActSubmit, a)
		step(docket.ActApprove, b)
		step(docket.ActPublish, b)
		pub, _ = db.PublicStatementByID(ctx, s.ID)
		if pub.Body != "The evacuation is complete." || pub.Version != 2 {
			t.Fatalf("public after publishing version 2: %+v", pub)
		}
		step(docket.ActWithdraw, b)
		if _, err := db.PublicStatementByID(ctx, s.ID); docket.ErrorCode(err) != docket.ENOTFOUND {
			t.Fatalf("withdrawn statement publicly: %v, want not found", err)
		}
		step(docket.ActRevise, a)
		if _, err := db.PublicStatementByID(ctx, s.ID); docket.ErrorCode(err) != docket.ENOTFOUND {
			t.Fatalf("a withdrawn statement being revised came back publicly: %v", err)
		}
		hist, _ := db.StatusHistory(ctx, s.ID)
		var got []string
		for _, e := range hist {
			got = append(got, fmt.Sprintf("%d:%s", e.Version, e.ToStatus))
		}
		want := "[1:draft 1:in_review 1:approved 1:published 2:draft 2:in_review 2:approved 2:published 2:withdrawn 3:draft]"
		if fmt.Sprint(got) != want {
			t.Errorf("history %v, want %s", got, want)
		}
	})
}

func TestComments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := mustUser(t, db, docket.RoleEditor, "Ann")
		r := mustUser(t, db, docket.RoleResearcher, "Rae")
		s := mustStatement(t, db, docket.StatusDraft, a)
		if _, err := db.AddComment(ctx, s.ID, &r.ID, "  The figure in the second sentence is from OCHA.  "); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddComment(ctx, s.ID, &r.ID, "   "); docket.ErrorCode(err) != docket.EINVALID {
			t.Errorf("empty comment: got %v, want invalid", err)
		}
		if _, err := db.AddComment(ctx, 9999, &r.ID, "x"); docket.ErrorCode(err) != docket.ENOTFOUND {
			t.Errorf("comment on no statement: got %v, want not found", err)
		}
		cs, err := db.Comments(ctx, s.ID)
		if err != nil || len(cs) != 1 || cs[0].Body != "The figure in the second sentence is from OCHA." || cs[0].UserName != "Rae" {
			t.Fatalf("comments %+v, %v", cs, err)
		}
		rows, err := db.ListStatements(ctx, store.StatementFilter{})
		if err != nil || len(rows) != 1 || rows[0].ID != s.ID {
			t.Fatalf("rows %+v, %v, want the statement", rows, err)
		}
		if _, err := db.ListStatements(ctx, store.StatementFilter{Status: "lost"}); docket.ErrorCode(err) != docket.EINVALID {
			t.Errorf("unknown status filter: got %v, want invalid", err)
		}
	})
}

// TestRevisionsRecordKindMemberAndTopics: each revision keeps the kind, member and topics of
// the working copy it saved, so a save that changes only those is told from the one before;
// revisions saved before the migration take the statement's values.
func TestRevisionsRecordKindMemberAndTopics(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		syria := mustTopic(t, db, "syria", docket.Public)
		idlib := mustTopic(t, db, "idlib", docket.Public)
		m := &docket.Member{Name: "Sarah Whitfield"}
		if err := db.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		a := mustUser(t, db, docket.RoleEditor, "Ann")
		s := mustStatement(t, db, docket.StatusDraft, a, syria.ID)
		if _, err := db.SaveDraft(ctx, s.ID, store.Draft{Title: s.Title, Body: s.Body, Kind: docket.KindSpeech, MemberID: &m.ID,
			TopicIDs: []int64{idlib.ID, syria.ID}, BaseRevision: 1}, a); err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			revs, err := db.Revisions(ctx, s.ID)
			if err != nil || len(revs) != 2 {
				t.Fatalf("%s: %d revisions, %v", when, len(revs), err)
			}
			got := fmt.Sprint(revs[0].Kind, revs[0].TopicIDs(), " ", revs[1].Kind, revs[1].MemberName, revs[1].TopicIDs(), revs[1].Changed(&revs[0]))
			want := fmt.Sprint(docket.KindPressRelease, []int64{syria.ID}, " ", docket.KindSpeech, "Sarah Whitfield", []int64{syria.ID, idlib.ID}, []string{"kind", "member", "topics"})
			if got != want {
				t.Errorf("%s: revisions %s, want %s", when, got, want)
			}
		}
		check("saved")

		if err := db.MigrateDownTo(ctx, 1003); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		revs, _ := db.Revisions(ctx, s.ID)
		for _, r := range revs {
			if r.Kind != docket.KindSpeech || r.MemberName != "Sarah Whitfield" || fmt.Sprint(r.TopicIDs()) != fmt.Sprint([]int64{syria.ID, idlib.ID}) {
				t.Errorf("revision %d after the migration: %s, %q, %v; want the statement's values", r.Revision.Revision, r.Kind, r.MemberName, r.TopicIDs())
			}
		}
	})
}

// statementWithItem makes a draft by writer on a public topic of its own named after name,
// with an item on the topic to cite.
func statementWithItem(t *testing.T, db *store.DB, name string, writer *docket.User) (*docket.Statement, int64) {
	t.Helper()
	topic := mustTopic(t, db, "syria-"+name, docket.Public)
	src := mustSource(t, db, "https://news.example.org/"+name+".xml", docket.KindNews)
	ids := saveLinked(t, db, src, topic.ID, docket.StateSuggested,
		item(name, "Evacuation of eastern Aleppo begins", time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)))
	return mustStatement(t, db, docket.StatusDraft, writer, topic.ID), ids[0]
}

// TestAHandInTheVersion: revising a statement, or deciding its evidence, is having a hand in
// the version, as saving its text is; nobody approves a version they had a hand in. Above
// all, nobody puts a withdrawn text back on the public pages alone.
func TestAHandInTheVersion(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		writer := mustUser(t, db, docket.RoleEditor, "Writer")
		admin := mustUser(t, db, docket.RoleAdmin, "Admin")
		other := mustUser(t, db, docket.RoleEditor, "Other")
		third := mustUser(t, db, docket.RoleEditor, "Third")
		s, itemID := statementWithItem(t, db, "hand", writer)
		step := func(s *docket.Statement, action string, by *docket.User) *docket.Statement {
			t.Helper()
			out, err := db.Transition(ctx, s.ID, action, store.SeenOf(s), by, "")
			if err != nil {
				t.Fatalf("%s by %s: %v", action, by.Name, err)
			}
			return out
		}
		refuses := func(s *docket.Statement, by *docket.User, why string) {
			t.Helper()
			if _, err := db.Transition(ctx, s.ID, docket.ActApprove, store.SeenOf(s), by, ""); docket.ErrorCode(err) != docket.EFORBIDDEN {
				t.Errorf("%s approving (%s): got %v, want forbidden", by.Name, why, err)
			}
		}
		s = step(step(step(s, docket.ActSubmit, writer), docket.ActApprove, other), docket.ActPublish, writer)
		s = step(s, docket.ActWithdraw, admin)

		// The writer revises the withdrawn text and submits it unchanged: the version has no
		// saved text of its own, but the writer started it, and it is the writer's words.
		s = step(s, docket.ActRevise, writer)
		if s.Version != 2 || s.Revision != 2 {
			t.Fatalf("revised: version %d, revision %d; want 2 and 2 (a copy of the text)", s.Version, s.Revision)
		}
		s = step(s, docket.ActSubmit, writer)
		refuses(s, writer, "they revised it, and wrote its words")
		s = step(s, docket.ActRequestChanges, other)

		// Whoever revises is an author, and so is the author of the words revised.
		s = step(step(s, docket.ActSubmit, writer), docket.ActApprove, other)
		s = step(step(s, docket.ActPublish, other), docket.ActRevise, admin)
		s = step(s, docket.ActSubmit, admin)
		refuses(s, admin, "they revised it")
		refuses(s, writer, "the words revised are theirs")

		// Deciding evidence is a hand in the version too.
		s = step(s, docket.ActRequestChanges, third)
		if err := db.SetEvidence(ctx, store.EvidenceChange{StatementID: s.ID, SentenceHash: "h", SentenceText: s.Body,
			ItemID: itemID, State: docket.StateConfirmed, By: &other.ID}); err != nil {
			t.Fatal(err)
		}
		if s, _ = db.StatementByID(ctx, s.ID); s.EvidenceRev == 0 {
			t.Fatal("an evidence decision left the statement's evidence count at 0")
		}
		s = step(s, docket.ActSubmit, admin)
		refuses(s, other, "they confirmed its evidence")

		// The public sees version 3 once someone with no hand in it approves it.
		s = step(step(s, docket.ActApprove, third), docket.ActPublish, third)
		pub, err := db.PublicStatementByID(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pub.Version != 3 {
			t.Errorf("the public statement says version %d, want 3", pub.Version)
		}
	})
}

// TestApprovingEvidenceUnseen: evidence decided after the reviewer loaded the page is not
// approved or published unseen; the reviewer is told to reload.
func TestApprovingEvidenceUnseen(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		writer := mustUser(t, db, docket.RoleEditor, "Writer")
		reviewer := mustUser(t, db, docket.RoleEditor, "Reviewer")
		s, itemID := statementWithItem(t, db, "unseen", writer)
		s, err := db.Transition(ctx, s.ID, docket.ActSubmit, store.SeenOf(s), writer, "")
		if err != nil {
			t.Fatal(err)
		}
		loaded := store.SeenOf(s) // the reviewer opens the page
		if err := db.SetEvidence(ctx, store.EvidenceChange{StatementID: s.ID, SentenceHash: "h", SentenceText: s.Body,
			ItemID: itemID, State: docket.StateConfirmed, By: &writer.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Transition(ctx, s.ID, docket.ActApprove, loaded, reviewer, ""); docket.ErrorCode(err) != docket.ECONFLICT {
			t.Fatalf("approving with the evidence as it was: got %v, want a conflict", err)
		}
		if cur, _ := db.StatementByID(ctx, s.ID); cur.Status != docket.StatusInReview {
			t.Fatalf("after the refused approval the statement is %s", cur.Status)
		}
		cur, _ := db.StatementByID(ctx, s.ID)
		if s, err = db.Transition(ctx, s.ID, docket.ActApprove, store.SeenOf(cur), reviewer, ""); err != nil {
			t.Fatalf("approving after reloading: %v", err)
		}
		stale := store.SeenOf(cur)
		stale.Evidence--
		if _, err := db.Transition(ctx, s.ID, docket.ActPublish, stale, reviewer, ""); docket.ErrorCode(err) != docket.ECONFLICT {
			t.Errorf("publishing with an older evidence count: got %v, want a conflict", err)
		}
		if _, err := db.Transition(ctx, s.ID, docket.ActPublish, store.SeenOf(s), reviewer, ""); err != nil {
			t.Errorf("publishing what was approved: %v", err)
		}
	})
}

// TestWithdrawWhileRevising: a published text found wrong comes off the public pages at
// once, while its correction is still being written; a statement never published has
// nothing to withdraw.
func TestWithdrawWhileRevising(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		writer := mustUser(t, db, docket.RoleEditor, "Writer")
		other := mustUser(t, db, docket.RoleEditor, "Other")
		s, _ := statementWithItem(t, db, "takedown", writer)
		if _, err := db.Transition(ctx, s.ID, docket.ActWithdraw, store.SeenOf(s), other, ""); docket.ErrorCode(err) != docket.ECONFLICT {
			t.Errorf("withdrawing a draft never published: got %v, want a conflict", err)
		}
		for _, step := range []struct {
			action string
			by     *docket.User
		}{{docket.ActSubmit, writer}, {docket.ActApprove, other}, {docket.ActPublish, other}, {docket.ActRevise, writer}, {docket.ActSubmit, writer}} {
			var err error
			if s, err = db.Transition(ctx, s.ID, step.action, store.SeenOf(s), step.by, ""); err != nil {
				t.Fatalf("%s: %v", step.action, err)
			}
		}
		s, err := db.SaveDraft(ctx, s.ID, store.Draft{Title: s.Title, Body: "The corrected text.", Kind: s.Kind, BaseRevision: s.Revision}, other)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublicStatementByID(ctx, s.ID); err != nil {
			t.Fatalf("the published version while the next is in review: %v", err)
		}
		if s, err = db.Transition(ctx, s.ID, docket.ActWithdraw, store.SeenOf(s), writer, "the figures were wrong"); err != nil {
			t.Fatalf("withdrawing the published version while the next is in review: %v", err)
		}
		if s.Status != docket.StatusWithdrawn || s.Body != "The corrected text." {
			t.Errorf("after withdrawing: %s with %q, want withdrawn with the text being written", s.Status, s.Body)
		}
		if _, err := db.PublicStatementByID(ctx, s.ID); docket.ErrorCode(err) != docket.ENOTFOUND {
			t.Errorf("the public statement after withdrawing: got %v, want not found", err)
		}
		if s, err = db.Transition(ctx, s.ID, docket.ActRevise, store.SeenOf(s), writer, ""); err != nil || s.Body != "The corrected text." {
			t.Fatalf("revising after withdrawing: %v, text %q", err, s.Body)
		}
	})
}
