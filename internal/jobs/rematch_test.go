package jobs_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/jobs"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

type link struct {
	Item   int64  `db:"item_id"`
	Origin string `db:"origin"`
	State  string `db:"state"`
	Terms  string `db:"terms"`
}

func links(t *testing.T, db *store.DB, topicID int64) map[int64]link {
	t.Helper()
	var ls []link
	if err := db.R.Select(&ls, db.R.Rebind(`SELECT item_id, origin, state, terms FROM item_topics WHERE topic_id = ?`), topicID); err != nil {
		t.Fatal(err)
	}
	out := map[int64]link{}
	for _, l := range ls {
		out[l.Item] = l
	}
	return out
}

// world is a topic with 23 items: those with an even number mention Aleppo, every third one
// Idlib; the topic's rule was "Aleppo" and ingest linked accordingly, then a researcher
// confirmed one Aleppo item, rejected another and added an Idlib item by hand.
type world struct {
	db                             *store.DB
	topic                          *docket.Topic
	items                          []int64
	aleppo, idlib                  map[int64]bool
	confirmed, rejected, handAdded int64
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, aleppo: map[int64]bool{}, idlib: map[int64]bool{}}
	w.topic = &docket.Topic{Slug: "syria", Title: "Syria", Visibility: docket.Public, Rule: "Aleppo"}
	src := &docket.Source{URL: "https://news.example.org/feed", Kind: docket.KindNews}
	t0 := time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateTopic(ctx, w.topic); err != nil {
			return err
		}
		if err := tx.CreateSource(ctx, src); err != nil {
			return err
		}
		for i := 0; i < 23; i++ {
			var words []string
			if i%2 == 0 {
				words = append(words, "Aleppo")
			}
			if i%3 == 0 {
				words = append(words, "Idlib")
			}
			title := fmt.Sprintf("Report %d on %s", i, strings.Join(append(words, "the region"), " and "))
			it := docket.Item{GUID: fmt.Sprint(i), Title: title, Text: title, PublishedAt: t0.Add(time.Duration(i) * time.Hour), ContentHash: fmt.Sprint(i)}
			res, err := tx.SaveItems(ctx, src.ID, []docket.Item{it})
			if err != nil {
				return err
			}
			id := res.New[0]
			w.items = append(w.items, id)
			var m []store.TopicMatch
			if i%2 == 0 {
				w.aleppo[id] = true
				m = []store.TopicMatch{{TopicID: w.topic.ID, Terms: []string{"aleppo"}}}
			}
			if i%3 == 0 {
				w.idlib[id] = true
			}
			if err := tx.LinkRuleMatches(ctx, id, it.PublishedAt, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.confirmed, w.rejected, w.handAdded = w.items[2], w.items[4], w.items[3]
	if err := db.SetLinkState(ctx, w.topic.ID, w.confirmed, docket.StateConfirmed); err != nil {
		t.Fatal(err)
	}
	if err := db.SetLinkState(ctx, w.topic.ID, w.rejected, docket.StateRejected); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddItemToTopic(ctx, w.topic.ID, w.handAdded); err != nil {
		t.Fatal(err)
	}
	return w
}

// setRule saves a new rule the way the office and the command line do, and returns the
// re-match generation it started.
func (w *world) setRule(t *testing.T, rm *jobs.Rematcher, rule string) int64 {
	t.Helper()
	ctx := context.Background()
	w.topic.Rule = rule
	started, err := w.db.SaveTopic(ctx, w.topic, func(tx *store.Tx, topicID, gen int64) error {
		return rm.EnqueueRematchTx(ctx, tx, topicID, gen)
	}, nil)
	if err != nil || !started {
		t.Fatalf("save rule %q: started %v, err %v", rule, started, err)
	}
	st, err := w.db.RematchStatus(ctx, w.topic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Running() || st.Total != int64(len(w.items)) {
		t.Fatalf("status after saving: %+v, want running over %d items", st, len(w.items))
	}
	return st.Gen
}

func wait(t *testing.T, db *store.DB, topicID, gen int64) store.RematchStatus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st, err := jobs.WaitRematch(ctx, db, topicID, gen, 20*time.Millisecond, nil)
	if err != nil {
		t.Fatalf("wait for re-match %d: %v (status %+v)", gen, err, st)
	}
	if st.Gen != gen || st.FinishedAt == nil {
		t.Fatalf("status %+v, want generation %d finished", st, gen)
	}
	return st
}

func TestRematch(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		// Batches of 4 and no time budget: every batch hands over to a successor job, so
		// the chain is exercised as a long re-match would use it.
		rm, err := jobs.NewRematcher(db, jobs.RematcherConfig{Batch: 4, Budget: time.Nanosecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := rm.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rm.Stop(context.Background()) })

		t.Run("a new rule links what it matches and unlinks only suggestions", func(t *testing.T) {
			gen := w.setRule(t, rm, "Idlib")
			st := wait(t, db, w.topic.ID, gen)
			got := links(t, db, w.topic.ID)
			wantAdded, wantRemoved := int64(0), int64(0)
			for _, id := range w.items {
				l, on := got[id]
				switch {
				case id == w.confirmed || id == w.rejected:
					want := map[int64]string{w.confirmed: docket.StateConfirmed, w.rejected: docket.StateRejected}[id]
					if !on || l.State != want || l.Origin != docket.OriginRule {
						t.Errorf("curated item %d: got %+v (on %v), want it kept %s", id, l, on, want)
					}
				case id == w.handAdded:
					if !on || l.Origin != docket.OriginManual || l.State != docket.StateConfirmed {
						t.Errorf("hand-added item %d: got %+v (on %v), want it kept", id, l, on)
					}
				case w.idlib[id]:
					if !on || l.State != docket.StateSuggested || l.Terms != "idlib" {
						t.Errorf("Idlib item %d: got %+v (on %v), want a suggestion with terms idlib", id, l, on)
					}
					if !w.aleppo[id] {
						wantAdded++
					}
				default:
					if on {
						t.Errorf("item %d matches neither rule nor curation but is linked: %+v", id, l)
					}
					if w.aleppo[id] {
						wantRemoved++
					}
				}
			}
			if st.Done != int64(len(w.items)) || st.Total != st.Done || st.Added != wantAdded || st.Removed != wantRemoved {
				t.Errorf("status %+v, want %d done, %d added, %d removed", st, len(w.items), wantAdded, wantRemoved)
			}
		})

		t.Run("a newer rule replaces one not yet done", func(t *testing.T) {
			rm.Stop(ctx) // nothing works while both rules are saved
			first := w.setRule(t, rm, "Aleppo")
			second := w.setRule(t, rm, "Aleppo OR Idlib")
			if second != first+1 {
				t.Fatalf("generations %d then %d, want consecutive", first, second)
			}
			rm2, err := jobs.NewRematcher(db, jobs.RematcherConfig{Batch: 4, Budget: time.Nanosecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := rm2.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer rm2.Stop(ctx)
			st := wait(t, db, w.topic.ID, second)
			if st.Done != int64(len(w.items)) {
				t.Errorf("done %d, want every item once: %+v", st.Done, st)
			}
			got := links(t, db, w.topic.ID)
			var missing []int64
			for _, id := range w.items {
				if (w.aleppo[id] || w.idlib[id]) && id != w.rejected {
					if _, on := got[id]; !on {
						missing = append(missing, id)
					}
				}
			}
			sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
			if len(missing) > 0 {
				t.Errorf("items %v match Aleppo OR Idlib but are not linked", missing)
			}
			if got[w.rejected].State != docket.StateRejected {
				t.Errorf("the rejected item is %+v, want it still rejected", got[w.rejected])
			}
		})

		t.Run("archived topics are not re-matched until they come back", func(t *testing.T) {
			w.topic.Archived = true
			w.topic.Rule = "Report"
			started, err := db.SaveTopic(ctx, w.topic, func(tx *store.Tx, topicID, gen int64) error {
				return rm.EnqueueRematchTx(ctx, tx, topicID, gen)
			}, nil)
			if err != nil || started {
				t.Fatalf("archiving with a new rule: started %v, err %v; want no re-match", started, err)
			}
			w.topic.Archived = false
			started, err = db.SaveTopic(ctx, w.topic, func(tx *store.Tx, topicID, gen int64) error {
				return rm.EnqueueRematchTx(ctx, tx, topicID, gen)
			}, nil)
			if err != nil || !started {
				t.Fatalf("unarchiving: started %v, err %v; want a re-match", started, err)
			}
			same, err := db.SaveTopic(ctx, w.topic, func(tx *store.Tx, topicID, gen int64) error {
				t.Error("saving without a change enqueued a re-match")
				return nil
			}, nil)
			if err != nil || same {
				t.Fatalf("saving unchanged: started %v, err %v", same, err)
			}
		})
	})
}
