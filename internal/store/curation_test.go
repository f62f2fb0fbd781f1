package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// curationWorld is a topic with three items linked by its rule and one item on no topic.
func curationWorld(t *testing.T, db *store.DB) (*docket.Topic, []int64, int64) {
	t.Helper()
	ctx := context.Background()
	tp := mustTopic(t, db, "syria", docket.Public)
	src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
	t0 := time.Date(2016, 12, 12, 9, 0, 0, 0, time.UTC)
	var ids []int64
	var loose int64
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i, g := range []string{"a", "b", "c", "loose"} {
			it := item(g, "Item "+g, t0.Add(time.Duration(i)*time.Hour))
			res, err := tx.SaveItems(ctx, src.ID, []docket.Item{it})
			if err != nil {
				return err
			}
			if g == "loose" {
				loose = res.New[0]
				continue
			}
			ids = append(ids, res.New[0])
			if err := tx.LinkRuleMatches(ctx, res.New[0], it.PublishedAt, []store.TopicMatch{{TopicID: tp.ID, Terms: []string{"item"}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tp, ids, loose
}

func TestCuration(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tp, ids, loose := curationWorld(t, db)

		t.Run("state changes", func(t *testing.T) {
			cases := []struct {
				name  string
				item  int64
				state string
				code  string
			}{
				{"confirm", ids[0], docket.StateConfirmed, ""},
				{"reject", ids[1], docket.StateRejected, ""},
				{"back to suggested", ids[1], docket.StateSuggested, ""},
				{"unknown state", ids[0], "maybe", docket.EINVALID},
				{"item not on the topic", loose, docket.StateConfirmed, docket.ENOTFOUND},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					err := db.SetLinkState(ctx, tp.ID, c.item, c.state)
					if got := docket.ErrorCode(err); got != c.code {
						t.Fatalf("got code %q (%v), want %q", got, err, c.code)
					}
					if c.code != "" {
						return
					}
					e, err := db.TimelineEntry(ctx, tp.ID, c.item)
					if err != nil || e.State != c.state {
						t.Fatalf("entry %+v (%v), want state %s", e, err, c.state)
					}
				})
			}
		})

		t.Run("add by hand", func(t *testing.T) {
			if err := db.SetLinkState(ctx, tp.ID, ids[2], docket.StateRejected); err != nil {
				t.Fatal(err)
			}
			cases := []struct {
				name         string
				item         int64
				new          bool
				origin, code string
			}{
				{"an item on no topic", loose, true, docket.OriginManual, ""},
				{"a rejected rule match", ids[2], false, docket.OriginRule, ""},
				{"again", loose, false, docket.OriginManual, ""},
				{"no such item", 999999, false, "", docket.EINVALID},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					added, err := db.AddItemToTopic(ctx, tp.ID, c.item)
					if got := docket.ErrorCode(err); got != c.code {
						t.Fatalf("got code %q (%v), want %q", got, err, c.code)
					}
					if c.code != "" {
						return
					}
					if added != c.new {
						t.Errorf("added %v, want %v", added, c.new)
					}
					e, err := db.TimelineEntry(ctx, tp.ID, c.item)
					if err != nil || e.State != docket.StateConfirmed || e.Origin != c.origin {
						t.Fatalf("entry %+v (%v), want confirmed, origin %s", e, err, c.origin)
					}
				})
			}
			id, err := db.ItemIDByURL(ctx, "https://example.org/loose")
			if err != nil || id != loose {
				t.Errorf("by URL: got %d (%v), want %d", id, err, loose)
			}
			if _, err := db.ItemIDByURL(ctx, "https://example.org/none"); docket.ErrorCode(err) != docket.EINVALID {
				t.Errorf("unknown URL: got %v, want invalid", err)
			}
		})

		t.Run("pins", func(t *testing.T) {
			if err := db.SetPinned(ctx, tp.ID, ids[0], true); err != nil {
				t.Fatal(err)
			}
			if e, _ := db.TimelineEntry(ctx, tp.ID, ids[0]); e == nil || !e.Pinned {
				t.Errorf("entry %+v, want pinned", e)
			}
			if err := db.SetPinned(ctx, tp.ID, ids[0], false); err != nil {
				t.Fatal(err)
			}
			if e, _ := db.TimelineEntry(ctx, tp.ID, ids[0]); e == nil || e.Pinned {
				t.Errorf("entry %+v, want unpinned", e)
			}
			if err := db.SetPinned(ctx, tp.ID, 999999, true); docket.ErrorCode(err) != docket.ENOTFOUND {
				t.Errorf("pin a missing item: got %v, want not found", err)
			}
		})

		t.Run("notes", func(t *testing.T) {
			u := &docket.User{Email: "r@example.org", Name: "Rita Researcher", Role: docket.RoleResearcher, PasswordHash: "x"}
			if err := db.CreateUser(ctx, u, nil); err != nil {
				t.Fatal(err)
			}
			cases := []struct {
				name, body string
				item       int64
				code       string
			}{
				{"a note", "  Check the casualty figure with OCHA.  ", ids[0], ""},
				{"a second note", "OCHA confirms.", ids[0], ""},
				{"empty", "   ", ids[0], docket.EINVALID},
				{"too long", string(make([]rune, store.MaxNoteLen+1)), ids[0], docket.EINVALID},
				{"item not on the topic", "x", 999999, docket.ENOTFOUND},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					err := db.AddItemNote(ctx, &store.ItemNote{TopicID: tp.ID, ItemID: c.item, UserID: &u.ID, Body: c.body})
					if got := docket.ErrorCode(err); got != c.code {
						t.Fatalf("got code %q (%v), want %q", got, err, c.code)
					}
				})
			}
			notes, err := db.ItemNotes(ctx, tp.ID, ids)
			if err != nil {
				t.Fatal(err)
			}
			got := notes[ids[0]]
			if len(got) != 2 || got[0].Body != "Check the casualty figure with OCHA." || got[0].UserName != "Rita Researcher" || got[1].Body != "OCHA confirms." {
				t.Errorf("notes %+v, want the two notes in order, trimmed, with their author", got)
			}
			if len(notes[ids[1]]) != 0 {
				t.Errorf("notes on another item: %+v", notes[ids[1]])
			}
		})
	})
}

func TestFollows(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2016, 12, 20, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		tp, _, loose := curationWorld(t, db)
		other := mustTopic(t, db, "yemen", docket.Private)
		u := &docket.User{Email: "r@example.org", Name: "Rita", Role: docket.RoleResearcher, PasswordHash: "x"}
		if err := db.CreateUser(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := db.Follow(ctx, u.ID, tp.ID); err != nil {
				t.Fatalf("follow (twice is fine): %v", err)
			}
		}
		if seen, err := db.MarkSeen(ctx, u.ID, other.ID); err != nil || seen {
			t.Errorf("mark seen on an unfollowed topic: %v, %v; want false", seen, err)
		}
		newItems := func() int64 {
			t.Helper()
			fs, err := db.FollowedTopics(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 1 || fs[0].Slug != "syria" || fs[0].ItemCount != 3 {
				t.Fatalf("followed %+v, want syria with 3 items", fs)
			}
			return fs[0].NewItems
		}
		if n := newItems(); n != 0 {
			t.Errorf("new items right after following: %d, want 0", n)
		}
		now = now.Add(time.Hour)
		if _, err := db.AddItemToTopic(ctx, tp.ID, loose); err != nil {
			t.Fatal(err)
		}
		if fs, _ := db.FollowedTopics(ctx, u.ID); len(fs) != 1 || fs[0].NewItems != 1 {
			t.Errorf("after an item was added: %+v, want 1 new", fs)
		}
		now = now.Add(time.Hour)
		if seen, err := db.MarkSeen(ctx, u.ID, tp.ID); err != nil || !seen {
			t.Fatalf("mark seen: %v, %v", seen, err)
		}
		if fs, _ := db.FollowedTopics(ctx, u.ID); len(fs) != 1 || fs[0].NewItems != 0 {
			t.Errorf("after looking: %+v, want 0 new", fs)
		}
		ids, err := db.FollowedTopicIDs(ctx, u.ID)
		if err != nil || !ids[tp.ID] || ids[other.ID] {
			t.Errorf("followed ids %v (%v), want only %d", ids, err, tp.ID)
		}
		if err := db.Unfollow(ctx, u.ID, tp.ID); err != nil {
			t.Fatal(err)
		}
		if fs, _ := db.FollowedTopics(ctx, u.ID); len(fs) != 0 {
			t.Errorf("after unfollowing: %+v", fs)
		}
	})
}

func TestTimelineStatements(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tp := mustTopic(t, db, "syria", docket.Public)
		t0 := time.Date(2016, 12, 12, 9, 0, 0, 0, time.UTC)
		var ids []int64
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i, st := range []*docket.Statement{
				{Title: "Early", Body: "One.", Kind: docket.KindPressRelease, Status: docket.StatusPublished},
				{Title: "Middle", Body: "Two.", Kind: docket.KindSpeech, Status: docket.StatusPublished},
				{Title: "Late", Body: "Three.", Kind: docket.KindArticle, Status: docket.StatusPublished},
				{Title: "Draft", Body: "Not yet.", Kind: docket.KindArticle, Status: docket.StatusDraft},
			} {
				if st.Status == docket.StatusPublished {
					at := t0.AddDate(0, 0, i)
					st.PublishedAt = &at
				}
				if err := tx.CreateStatement(ctx, st, []int64{tp.ID}, nil, ""); err != nil {
					return err
				}
				ids = append(ids, st.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name     string
			from, to time.Time
			want     []string
		}{
			{"open", time.Time{}, time.Time{}, []string{"Late", "Middle", "Early"}},
			{"from is inclusive", t0.AddDate(0, 0, 1), time.Time{}, []string{"Late", "Middle"}},
			{"to is exclusive", time.Time{}, t0.AddDate(0, 0, 1), []string{"Early"}},
			{"a page's span", t0, t0.AddDate(0, 0, 2), []string{"Middle", "Early"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				sts, err := db.TimelineStatements(ctx, tp.ID, c.from, c.to)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, s := range sts {
					got = append(got, s.Title)
				}
				if len(got) != len(c.want) {
					t.Fatalf("got %q, want %q", got, c.want)
				}
				for i := range got {
					if got[i] != c.want[i] {
						t.Fatalf("got %q, want %q", got, c.want)
					}
				}
			})
		}
	})
}
