package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestDayCountsAreLondonDays checks that topic_day_counts, and so the chart and ItemsPerDay,
// count the days the timeline shows: London's. An item at 00:30 BST belongs to the day it
// begins; items a second either side of each change of clocks (1941's double summer time,
// 2016, 2199) and at random instants from 1900 to 2200 fall on the day Go's zone database
// gives.
func TestDayCountsAreLondonDays(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tp := mustTopic(t, db, "syria", docket.Public)
		src := mustSource(t, db, "https://news.example.org/feed", docket.KindNews)
		justAfterMidnightBST := time.Date(2016, 6, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 June in London
		var ats []time.Time
		ats = append(ats, justAfterMidnightBST, time.Date(2016, 12, 1, 23, 30, 0, 0, time.UTC))
		for _, year := range []int{1941, 2016, 2199} {
			at := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
			for {
				_, end := at.In(docket.London).ZoneBounds()
				if end.Year() != year {
					break
				}
				ats = append(ats, end.Add(-time.Second), end, end.Add(time.Second))
				// The last minutes of a London day around the change, where UTC's day differs.
				ats = append(ats, docket.LondonMidnight(end).Add(-time.Minute), docket.LondonMidnight(end).Add(24*time.Hour-time.Minute))
				at = end
			}
		}
		rng := rand.New(rand.NewPCG(1, 2))
		lo, hi := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2200, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
		for range 300 {
			ats = append(ats, time.Unix(lo+rng.Int64N(hi-lo), int64(rng.IntN(1e6))*1000).UTC())
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			for i, at := range ats {
				res, err := tx.SaveItems(ctx, src.ID, []docket.Item{item(fmt.Sprint("g", i), "Report", at)})
				if err != nil {
					return err
				}
				if err := tx.LinkRuleMatches(ctx, res.New[0], at, []store.TopicMatch{{TopicID: tp.ID}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dayCounts(t, db), recount(t, db); got != want {
			t.Errorf("topic_day_counts by day:\n got %s\nwant %s", got, want)
		}
		counts, err := db.DayCounts(ctx, tp.ID, "2016-06-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) == 0 || counts[0].Day != "2016-06-02" {
			t.Errorf("the item at 00:30 BST on 2 June: first day from 1 June is %+v, want 2016-06-02", counts[:min(len(counts), 1)])
		}
		got, err := db.ItemsPerDay(ctx, tp.ID, justAfterMidnightBST.Add(-time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || got[0] != (store.DayCount{Day: "2016-06-02", Kind: docket.KindNews, Count: 1}) {
			t.Errorf("ItemsPerDay from 00:29 BST on 2 June starts %+v, want 2016-06-02: 1", got[:min(len(got), 1)])
		}
		if want := itemsPerDayBefore(t, db, tp.ID, justAfterMidnightBST.Add(-time.Minute)); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ItemsPerDay:\n got %v\nwant %v", got, want)
		}
	})
}
