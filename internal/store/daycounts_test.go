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

// recount counts the links again, as topic_day_counts should hold them.
func recount(t *testing.T, db *store.DB) string {
	t.Helper()
	day := `substr(it.published_at, 1, 10)`
	if db.Dialect == store.Postgres {
		day = `to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
	}
	var rows []struct {
		Topic int64  `db:"topic_id"`
		Day   string `db:"day"`
		Kind  string `db:"kind"`
		N     int64  `db:"n"`
	}
	err := db.R.Select(&rows, `SELECT it.topic_id, `+day+` AS day, s.kind, count(*) AS n
		FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
		WHERE it.state <> 'rejected' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(rows)
}

// itemsPerDayBefore is ItemsPerDay as it was, counting the links at every call.
func itemsPerDayBefore(t *testing.T, db *store.DB, topicID int64, since time.Time) []store.DayCount {
	t.Helper()
	day := `substr(it.published_at, 1, 10)`
	if db.Dialect == store.Postgres {
		day = `to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
	}
	var out []store.DayCount
	err := db.R.Select(&out, db.R.Rebind(`SELECT `+day+` AS day, s.kind AS kind, count(*) AS n
		FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
		WHERE it.topic_id = ? AND it.state <> 'rejected' AND it.published_at >= ?
		GROUP BY 1, 2 ORDER BY 1, 2`), topicID, docket.StoreTime(since))
	if err != nil {
		t.Fatal(err)
	}
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
