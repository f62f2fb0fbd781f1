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

// dayCounts reads topic_day_counts as (topic, day, kind, count) rows, leaving out zeros.
func dayCounts(t *testing.T, db *store.DB) string {
	t.Helper()
	var rows []struct {
		Topic      int64  `db:"topic_id"`
		Day        string `db:"day"`
		News       int64  `db:"news"`
		UN         int64  `db:"un"`
		Parliament int64  `db:"parliament"`
		MP         int64  `db:"mp"`
		NGO        int64  `db:"ngo"`
		Other      int64  `db:"other"`
	}
	if err := db.R.Select(&rows, `SELECT * FROM topic_day_counts ORDER BY topic_id, day`); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Topic int64
		Day   string
		Kind  string
		N     int64
	}
	var out []row
	for _, r := range rows {
		// In the order of the kinds' names, as recount sorts them.
		for _, k := range []struct {
			kind string
			n    int64
		}{{"mp", r.MP}, {"news", r.News}, {"ngo", r.NGO}, {"other", r.Other}, {"parliament", r.Parliament}, {"un", r.UN}} {
			if k.n != 0 {
				out = append(out, row{r.Topic, r.Day, k.kind, k.n})
			}
		}
	}
	return fmt.Sprint(out)
}

// recount counts the links again, as topic_day_counts should hold them: by London day, which
// Go's zone database gives, independently of the triggers' table of offsets.
func recount(t *testing.T, db *store.DB) string {
	t.Helper()
	var links []struct {
		Topic int64     `db:"topic_id"`
		At    time.Time `db:"published_at"`
		Kind  string    `db:"kind"`
	}
	err := db.R.Select(&links, `SELECT it.topic_id, it.published_at, s.kind
		FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
		WHERE it.state <> 'rejected'`)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		Topic     int64
		Day, Kind string
	}
	n := map[key]int64{}
	for _, l := range links {
		n[key{l.Topic, docket.LondonDay(l.At), l.Kind}]++
	}
	type row struct {
		Topic int64
		Day   string
		Kind  string
		N     int64
	}
	var rows []row
	for k, c := range n {
		rows = append(rows, row{k.Topic, k.Day, k.Kind, c})
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		return a.Kind < b.Kind
	})
	return fmt.Sprint(rows)
}

// itemsPerDayBefore is ItemsPerDay as it was, counting the links at every call (by London
// day, in Go).
func itemsPerDayBefore(t *testing.T, db *store.DB, topicID int64, since time.Time) []store.DayCount {
	t.Helper()
	var links []struct {
		At   time.Time `db:"published_at"`
		Kind string    `db:"kind"`
	}
	err := db.R.Select(&links, db.R.Rebind(`SELECT it.published_at, s.kind
		FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
		WHERE it.topic_id = ? AND it.state <> 'rejected' AND it.published_at >= ?`), topicID, docket.StoreTime(since))
	if err != nil {
		t.Fatal(err)
	}
	n := map[[2]string]int{}
	for _, l := range links {
		n[[2]string{docket.LondonDay(l.At), l.Kind}]++
	}
	var out []store.DayCount
	for k, c := range n {
		out = append(out, store.DayCount{Day: k[0], Kind: k[1], Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Day != out[j].Day {
			return out[i].Day < out[j].Day
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// TestTopicDayCounts changes links, items and sources every way Docket can, and after each
// change checks topic_day_counts against counting the links again, ItemsPerDay against the
// query it replaced, and the topic list's counts.
func TestTopicDayCounts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		syria := mustTopic(t, db, "syria", docket.Public)
		aleppo := mustTopic(t, db, "aleppo", docket.Public)
		news := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		un := mustSource(t, db, "https://un.example.org/feed", docket.KindUN)
		t0 := time.Date(2016, 12, 20, 22, 30, 0, 0, time.UTC)
		var ids []int64
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i, src := range []*docket.Source{news, un, news, un, news} {
				it := []docket.Item{item(fmt.Sprint("g", i), fmt.Sprint("Aleppo report ", i), t0.Add(time.Duration(i)*90*time.Minute))}
				res, err := tx.SaveItems(ctx, src.ID, it)
				if err != nil {
					return err
				}
				ids = append(ids, res.New[0])
				links := []store.TopicMatch{{TopicID: syria.ID, Terms: []string{"syria"}}}
				if i%2 == 0 {
					links = append(links, store.TopicMatch{TopicID: aleppo.ID, Terms: []string{"aleppo"}})
				}
				if err := tx.LinkNewItems(ctx, []store.NewItemLinks{{ItemID: res.New[0], PublishedAt: it[0].PublishedAt, Matches: links}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		exec := func(q string, args ...any) func() error {
			return func() error { _, err := db.W.ExecContext(ctx, db.W.Rebind(q), args...); return err }
		}
		steps := []struct {
			name string
			do   func() error
		}{
			{"links added", func() error { return nil }},
			{"a link rejected", func() error { return db.SetLinkState(ctx, syria.ID, ids[0], docket.StateRejected) }},
			{"a link confirmed", func() error { return db.SetLinkState(ctx, syria.ID, ids[1], docket.StateConfirmed) }},
			{"a rejected link restored", func() error { return db.SetLinkState(ctx, syria.ID, ids[0], docket.StateSuggested) }},
			{"a rule link upserted with a new date", func() error {
				return db.Update(ctx, func(tx *store.Tx) error {
					return tx.LinkRuleMatches(ctx, ids[2], t0.AddDate(0, 0, 3), []store.TopicMatch{{TopicID: syria.ID, Terms: []string{"x"}}})
				})
			}},
			{"an item's date moved", exec(`UPDATE item_topics SET published_at = ? WHERE item_id = ?`, docket.StoreTime(t0.AddDate(0, 0, -2)), ids[3])},
			{"a link removed", exec(`DELETE FROM item_topics WHERE item_id = ? AND topic_id = ?`, ids[4], aleppo.ID)},
			{"a hand-added link", func() error { _, err := db.AddItemToTopic(ctx, aleppo.ID, ids[1]); return err }},
			{"a source changes kind", exec(`UPDATE sources SET kind = 'ngo' WHERE id = ?`, un.ID)},
			{"an item deleted", exec(`DELETE FROM items WHERE id = ?`, ids[0])},
			{"a source deleted", exec(`DELETE FROM sources WHERE id = ?`, un.ID)},
			{"a topic deleted", exec(`DELETE FROM topics WHERE id = ?`, aleppo.ID)},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				if err := s.do(); err != nil {
					t.Fatal(err)
				}
				if got, want := dayCounts(t, db), recount(t, db); got != want {
					t.Fatalf("topic_day_counts:\ngot  %s\nwant %s", got, want)
				}
				for _, since := range []time.Time{t0.AddDate(0, 0, -5), t0.Add(time.Hour), t0.Add(26 * time.Hour), t0.AddDate(0, 0, 9)} {
					got, err := db.ItemsPerDay(ctx, syria.ID, since)
					if err != nil {
						t.Fatal(err)
					}
					if want := itemsPerDayBefore(t, db, syria.ID, since); fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("ItemsPerDay since %s:\ngot  %v\nwant %v", since, got, want)
					}
				}
				list, err := db.ListTopics(ctx, store.TopicFilter{})
				if err != nil {
					t.Fatal(err)
				}
				for _, tp := range list {
					var want int64
					db.R.Get(&want, db.R.Rebind(`SELECT count(*) FROM item_topics WHERE topic_id = ? AND state <> 'rejected'`), tp.ID)
					if tp.ItemCount != want {
						t.Errorf("topic %s lists %d items, want %d", tp.Slug, tp.ItemCount, want)
					}
				}
			})
		}
	})
}
