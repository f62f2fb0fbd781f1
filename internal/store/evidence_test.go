package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// saveLinked stores items on a source and links each to a topic in a state.
func saveLinked(t *testing.T, db *store.DB, src *docket.Source, topicID int64, state string, items ...docket.Item) []int64 {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		res, err := tx.SaveItems(ctx, src.ID, items)
		if err != nil {
			return err
		}
		for i, id := range res.New {
			if err := tx.LinkRuleMatches(ctx, id, items[i].PublishedAt, []store.TopicMatch{{TopicID: topicID, Terms: []string{"syria"}}}); err != nil {
				return err
			}
		}
		ids = res.New
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if state != docket.StateSuggested {
		for _, id := range ids {
			if _, err := db.W.Exec(db.W.Rebind(`UPDATE item_topics SET state = ? WHERE item_id = ? AND topic_id = ?`), state, id, topicID); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ids
}

func TestEvidenceSearchAndDecisions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		topic := mustTopic(t, db, "syria", docket.Public)
		news := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		t0 := time.Date(2016, 12, 15, 9, 0, 0, 0, time.UTC)
		ids := saveLinked(t, db, news, topic.ID, docket.StateSuggested,
			item("a", "Buses leave eastern Aleppo with the wounded", t0),
			item("b", "Evacuation of Aleppo halted as shelling resumes", t0.Add(time.Hour)),
			item("c", "Evacuated families reach Idlib", t0.Add(48*time.Hour)))

		t.Run("candidates share two terms, on the topic, before the date", func(t *testing.T) {
			type st = store.EvidenceTerm
			evacu, aleppo, idlib := st{Key: "evacu", Prefix: true}, st{Key: "aleppo"}, st{Key: "idlib"}
			cases := []struct {
				name   string
				terms  []store.EvidenceTerm
				before time.Time
				want   int
			}{
				// b: evacuation, aleppo; c: evacuated, idlib; a has aleppo alone.
				{"a prefix finds evacuation and evacuated", []st{evacu, aleppo, idlib}, t0.Add(72 * time.Hour), 2},
				{"a whole word does not find longer ones", []st{{Key: "evacu"}, aleppo, idlib}, t0.Add(72 * time.Hour), 0},
				{"later items left out", []st{evacu, aleppo, idlib}, t0.Add(2 * time.Hour), 1},
				{"one term of two is not enough", []st{{Key: "buses"}, idlib}, t0.Add(72 * time.Hour), 0},
				{"both of a pair", []st{evacu, aleppo}, t0.Add(72 * time.Hour), 1},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					got, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: c.terms, TopicIDs: []int64{topic.ID}, Before: c.before})
					if err != nil {
						t.Fatal(err)
					}
					if len(got) != c.want {
						t.Fatalf("got %v, want %d items", got, c.want)
					}
				})
			}
			if _, err := db.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: []st{{Key: `x" OR "y`}, aleppo}, TopicIDs: []int64{topic.ID}, Before: t0}); err == nil {
				t.Error("a term that is not one folded word was accepted")
			}
		})
		t.Run("document frequency", func(t *testing.T) {
			got, err := db.DocFreq(ctx, []store.EvidenceTerm{{Key: "aleppo"}, {Key: "evacu", Prefix: true}, {Key: "nothing"}}, 0)
			if err != nil || fmt.Sprint(got) != "[2 2 0]" {
				t.Fatalf("got %v, %v, want [2 2 0]", got, err)
			}
			got, _ = db.DocFreq(ctx, []store.EvidenceTerm{{Key: "aleppo"}}, 1)
			if fmt.Sprint(got) != "[1]" {
				t.Errorf("capped at 1: got %v", got)
			}
		})

		a := mustUser(t, db, docket.RoleEditor, "Ann")
		s := mustStatement(t, db, docket.StatusDraft, a, topic.ID)
		sentence := "The evacuation of eastern Aleppo has begun."
		hash := "h1"
		t.Run("suggestions keep decisions", func(t *testing.T) {
			err := db.SaveSuggestions(ctx, s.ID, s.Revision, []store.Suggestion{
				{SentenceHash: hash, SentenceText: sentence, ItemID: ids[0], Score: 2.5, Terms: "aleppo"},
				{SentenceHash: hash, SentenceText: sentence, ItemID: ids[1], Score: 3.5, Terms: "evacuation, aleppo"},
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SetEvidence(ctx, store.EvidenceChange{StatementID: s.ID, SentenceHash: hash, SentenceText: sentence, ItemID: ids[1], State: docket.StateConfirmed, By: &a.ID}); err != nil {
				t.Fatal(err)
			}
			if err := db.SetEvidence(ctx, store.EvidenceChange{StatementID: s.ID, SentenceHash: hash, SentenceText: sentence, ItemID: ids[2], State: docket.StateConfirmed, Manual: true, By: &a.ID}); err != nil {
				t.Fatal(err)
			}
			// A new computation no longer suggests ids[0], and scores ids[1] again.
			err = db.SaveSuggestions(ctx, s.ID, s.Revision, []store.Suggestion{{SentenceHash: hash, SentenceText: sentence, ItemID: ids[1], Score: 4, Terms: "evacuation"}})
			if err != nil {
				t.Fatal(err)
			}
			ev, err := db.StatementEvidence(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range ev {
				got = append(got, fmt.Sprintf("%d:%s:%s:%g", e.ItemID-ids[0], e.Origin, e.State, e.Score))
			}
			if want := "[1:suggested:confirmed:4 2:manual:confirmed:0]"; fmt.Sprint(got) != want {
				t.Fatalf("evidence %v, want %s", got, want)
			}
			conf, _ := db.ConfirmedEvidence(ctx, s.ID)
			if len(conf) != 2 || conf[0].ItemTitle != "Evacuation of Aleppo halted as shelling resumes" || conf[0].SourceTitle != "https://news.example.org/feed" {
				t.Errorf("confirmed %+v", conf)
			}
		})
		t.Run("suggestions of an older revision are dropped", func(t *testing.T) {
			err := db.SaveSuggestions(ctx, s.ID, s.Revision-1+10, []store.Suggestion{{SentenceHash: "other", SentenceText: "x", ItemID: ids[0], Score: 1}})
			if err != nil {
				t.Fatal(err)
			}
			ev, _ := db.StatementEvidence(ctx, s.ID)
			if len(ev) != 2 {
				t.Fatalf("got %d pieces of evidence, want the 2 kept", len(ev))
			}
		})
		t.Run("bad decisions are refused", func(t *testing.T) {
			cases := []struct {
				name string
				c    store.EvidenceChange
				code string
			}{
				{"bad state", store.EvidenceChange{StatementID: s.ID, SentenceHash: hash, SentenceText: sentence, ItemID: ids[0], State: "maybe"}, docket.EINVALID},
				{"no sentence", store.EvidenceChange{StatementID: s.ID, ItemID: ids[0], State: docket.StateConfirmed}, docket.EINVALID},
				{"no item", store.EvidenceChange{StatementID: s.ID, SentenceHash: hash, SentenceText: sentence, ItemID: 99999, State: docket.StateConfirmed}, docket.EINVALID},
				{"no statement", store.EvidenceChange{StatementID: 99999, SentenceHash: hash, SentenceText: sentence, ItemID: ids[0], State: docket.StateConfirmed}, docket.ENOTFOUND},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					if err := db.SetEvidence(ctx, c.c); docket.ErrorCode(err) != c.code {
						t.Fatalf("got %v, want %s", err, c.code)
					}
				})
			}
		})
		t.Run("an item by its address", func(t *testing.T) {
			id, err := db.ItemIDByURL(ctx, "https://example.org/b")
			if err != nil || id != ids[1] {
				t.Fatalf("got %d, %v, want %d", id, err, ids[1])
			}
			if _, err := db.ItemIDByURL(ctx, "https://example.org/none"); docket.ErrorCode(err) != docket.EINVALID {
				t.Errorf("unknown address: got %v, want invalid", err)
			}
		})
	})
}

func TestStaleness(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		topic := mustTopic(t, db, "syria", docket.Public)
		other := mustTopic(t, db, "other", docket.Public)
		news := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		un := mustSource(t, db, "https://un.example.org/feed", docket.KindUN)
		pub := time.Date(2016, 12, 20, 12, 0, 0, 0, time.UTC)
		s := &docket.Statement{Title: "On Aleppo", Body: "Text.", Kind: docket.KindPressRelease, Status: docket.StatusPublished, PublishedAt: &pub}
		if err := db.CreateStatement(ctx, s, []int64{topic.ID}, nil, ""); err != nil {
			t.Fatal(err)
		}
		// Before publication: never counts.
		saveLinked(t, db, un, topic.ID, docket.StateConfirmed, item("old", "Old UN report", pub.Add(-time.Hour)))
		// After: a suggested news item does not count, a rejected UN item does not, a
		// suggested UN item does, a confirmed news item does, items on other topics do not.
		saveLinked(t, db, news, topic.ID, docket.StateSuggested, item("n1", "News, suggested", pub.Add(time.Hour)))
		saveLinked(t, db, un, topic.ID, docket.StateRejected, item("u1", "UN, rejected", pub.Add(2*time.Hour)))
		saveLinked(t, db, un, topic.ID, docket.StateSuggested, item("u2", "UN, suggested", pub.Add(3*time.Hour)))
		saveLinked(t, db, news, topic.ID, docket.StateConfirmed, item("n2", "News, confirmed", pub.Add(4*time.Hour)))
		saveLinked(t, db, un, other.ID, docket.StateConfirmed, item("x", "Another topic", pub.Add(5*time.Hour)))

		cases := []struct {
			threshold int
			want      int // stale statements
		}{{0, 1}, {1, 1}, {2, 1}, {3, 0}}
		for _, c := range cases {
			t.Run(fmt.Sprintf("threshold %d", c.threshold), func(t *testing.T) {
				got, err := db.StaleStatements(ctx, c.threshold, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != c.want {
					t.Fatalf("got %d stale statements, want %d", len(got), c.want)
				}
				if c.want == 1 {
					st := got[0]
					if st.NewItems != 2 || len(st.Items) != 2 || st.Items[0].Title != "News, confirmed" || !st.Items[0].Confirmed ||
						st.Items[1].Title != "UN, suggested" || st.Items[1].Confirmed || st.Items[1].SourceKind != docket.KindUN {
						t.Fatalf("got %+v, want the confirmed news item then the UN item", st)
					}
				}
			})
		}
		one, err := db.StatementStaleness(ctx, s.ID, 1)
		if err != nil || one.NewItems != 2 || len(one.Items) != 1 {
			t.Fatalf("one statement: %+v, %v, want 2 new items, 1 listed", one, err)
		}
		draft := mustStatement(t, db, docket.StatusDraft, nil, topic.ID)
		if st, err := db.StatementStaleness(ctx, draft.ID, 5); err != nil || st.NewItems != 0 || st.Items == nil {
			t.Fatalf("a draft: %+v, %v, want nothing stale (and an empty list)", st, err)
		}

		t.Run("a new version's topics leave the published one's staleness alone", func(t *testing.T) {
			ed := mustUser(t, db, docket.RoleEditor, "Ed")
			if _, err := db.Transition(ctx, s.ID, docket.ActRevise, store.SeenOf(s), ed, ""); err != nil {
				t.Fatal(err)
			}
			cur, _ := db.StatementByID(ctx, s.ID)
			// Version 2 is filed under the other topic only, whose confirmed UN item came
			// after version 1 was published.
			if _, err := db.SaveDraft(ctx, s.ID, store.Draft{Title: cur.Title, Body: cur.Body, Kind: cur.Kind, TopicIDs: []int64{other.ID},
				BaseRevision: cur.Revision}, ed); err != nil {
				t.Fatal(err)
			}
			got, err := db.StatementStaleness(ctx, s.ID, 10)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, it := range got.Items {
				titles = append(titles, it.Title)
			}
			if got.NewItems != 2 || fmt.Sprint(titles) != "[News, confirmed UN, suggested]" {
				t.Errorf("version 1 while version 2 is drafted: %d new items %v, want the 2 of its own topic", got.NewItems, titles)
			}
			if all, _ := db.StaleStatements(ctx, 1, 10); len(all) != 1 || all[0].NewItems != 2 {
				t.Errorf("stale statements %+v, want version 1 with its 2 new items", all)
			}
		})
	})
}

func TestImportAndIngestedStatements(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		topic := mustTopic(t, db, "syria", docket.Public)
		known := &docket.Member{Name: "Jane Doe", Constituency: "Exampleton"}
		if err := db.CreateMember(ctx, known); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name        string
			in          store.Import
			wantMember  string
			wantCreated bool
			wantCode    string
		}{
			{"member found by name, ignoring case", store.Import{Statement: docket.Statement{Title: "On Aleppo", Body: "Text.", Kind: docket.KindConstituentResponse},
				MemberName: "JANE DOE", Constituency: "Elsewhere"}, "Jane Doe", false, ""},
			{"member added from the signature", store.Import{Statement: docket.Statement{Title: "On Idlib", Body: "Text.", Kind: docket.KindConstituentResponse},
				MemberName: "Omar Haddad", Constituency: "Northbridge", Party: "Labour"}, "Omar Haddad", true, ""},
			{"no member", store.Import{Statement: docket.Statement{Title: "Unsigned", Body: "Text.", Kind: docket.KindArticle}}, "", false, ""},
			{"approved is not an import status", store.Import{Statement: docket.Statement{Title: "x", Body: "x", Kind: docket.KindArticle, Status: docket.StatusApproved}}, "", false, docket.EINVALID},
			{"unknown chosen member", store.Import{Statement: docket.Statement{Title: "x", Body: "x", Kind: docket.KindArticle}, MemberID: ptr(int64(999))}, "", false, docket.EINVALID},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.in.TopicIDs = []int64{topic.ID}
				res, err := db.ImportStatement(ctx, c.in)
				if docket.ErrorCode(err) != c.wantCode {
					t.Fatalf("got %v, want %q", err, c.wantCode)
				}
				if err != nil {
					return
				}
				name := ""
				if res.Member != nil {
					name = res.Member.Name
				}
				if name != c.wantMember || res.MemberCreated != c.wantCreated {
					t.Fatalf("member %q created %v, want %q %v", name, res.MemberCreated, c.wantMember, c.wantCreated)
				}
				if res.Statement.Origin != docket.OriginImported || res.Statement.Status != docket.StatusDraft {
					t.Errorf("statement %+v, want an imported draft", res.Statement)
				}
			})
		}
		if m, err := db.MemberByName(ctx, "omar haddad"); err != nil || m.Constituency != "Northbridge" || m.Party != "Labour" {
			t.Errorf("added member %+v, %v", m, err)
		}

		t.Run("ingested statements are upserted by external id", func(t *testing.T) {
			ext := "mp-feed:post-1"
			published := time.Date(2017, 1, 3, 10, 0, 0, 0, time.UTC)
			s := &docket.Statement{Title: "My statement on Syria", Body: "First text.", ExternalID: &ext, PublishedAt: &published, SourceURL: "https://mp.example.org/post-1"}
			var outcomes []string
			steps := []struct {
				s      docket.Statement
				topics []int64
			}{
				{*s, []int64{topic.ID}},
				{*s, []int64{topic.ID}},
				{docket.Statement{Title: "My statement on Syria", Body: "Corrected text.", ExternalID: &ext, PublishedAt: &published}, nil},
			}
			for _, st := range steps {
				st := st
				err := db.Update(ctx, func(tx *store.Tx) error {
					o, err := tx.UpsertIngestedStatement(ctx, &st.s, st.topics)
					outcomes = append(outcomes, o)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				s.ID = st.s.ID
			}
			if fmt.Sprint(outcomes) != "[created unchanged updated]" {
				t.Fatalf("outcomes %v", outcomes)
			}
			pub, err := db.PublicStatementByID(ctx, s.ID)
			if err != nil || pub.Body != "Corrected text." || pub.Origin != docket.OriginIngested || !pub.PublishedAt.Equal(published) {
				t.Fatalf("public %+v, %v", pub, err)
			}
			topics, _ := db.StatementTopics(ctx, s.ID)
			if len(topics) != 1 {
				t.Errorf("topics %v, want the first one kept", topics)
			}
			revs, _ := db.Revisions(ctx, s.ID)
			if len(revs) != 2 {
				t.Errorf("%d revisions, want 2", len(revs))
			}
			// The change of the public text is in the history, as an event that keeps the
			// status; the unchanged poll left none.
			hist, _ := db.StatusHistory(ctx, s.ID)
			var got []string
			for _, e := range hist {
				got = append(got, e.FromStatus+">"+e.ToStatus)
			}
			if fmt.Sprint(got) != "[>published published>published]" || !strings.Contains(hist[len(hist)-1].Note, "revision 2 is the public text now") {
				t.Errorf("history %v, last note %q; want the creation and one update at the source", got, hist[len(hist)-1].Note)
			}
		})
	})
}
