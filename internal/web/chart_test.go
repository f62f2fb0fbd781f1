package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
	"github.com/docket-dev/docket/views"
)

// TestBuildChart checks buildChart against the version written before it formatted each day
// once, on counts of every shape: the chart must not change.
func TestBuildChart(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	end := time.Date(2024, 6, 30, 17, 0, 0, 0, time.UTC)
	for n := range 200 {
		var counts []store.DayCount
		first := r.IntN(90)
		for d := first; d >= 0; d-- {
			if r.IntN(3) == 0 {
				continue
			}
			day := end.AddDate(0, 0, -d).Format("2006-01-02")
			for _, k := range docket.SourceKinds {
				if r.IntN(3) == 0 {
					counts = append(counts, store.DayCount{Day: day, Kind: k, Count: 1 + r.IntN(400)})
				}
			}
		}
		if n%10 == 0 {
			counts = append(counts, store.DayCount{Day: "not a day", Kind: docket.KindNews, Count: 3})
		}
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			if got, want := buildChart(counts, end), buildChartBefore(counts, end); !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func buildChartBefore(counts []store.DayCount, end time.Time) *views.Chart {
	if len(counts) == 0 {
		return nil
	}
	end = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
	// Span what has items, with a little room before, between two weeks and chartDays.
	span := 14
	for _, c := range counts {
		if d, err := time.Parse("2006-01-02", c.Day); err == nil {
			span = max(span, int(end.Sub(d)/(24*time.Hour))+3)
		}
	}
	span = min(span, chartDays)
	start := end.AddDate(0, 0, -(span - 1))
	var legend []views.ChartLegend
	kindIndex := map[string]int{}
	for _, k := range docket.SourceKinds {
		for _, c := range counts {
			if c.Kind == k {
				kindIndex[k] = len(legend)
				legend = append(legend, views.ChartLegend{Kind: k, Class: "kind-" + k})
				break
			}
		}
	}
	days := make([]views.ChartDay, span)
	for i := range days {
		days[i] = views.ChartDay{Date: start.AddDate(0, 0, i), Counts: make([]int, len(legend))}
	}
	for _, c := range counts {
		d, err := time.Parse("2006-01-02", c.Day)
		if err != nil || d.Before(start) || d.After(end) {
			continue
		}
		i := int(d.Sub(start) / (24 * time.Hour))
		days[i].Counts[kindIndex[c.Kind]] += c.Count
		days[i].Total += c.Count
	}
	maxN := 1
	for _, d := range days {
		maxN = max(maxN, d.Total)
	}
	w, h, barW := span*10, 120, 8
	ch := &views.Chart{Width: w, Height: h, Legend: legend, Days: days, Max: maxN, From: start, To: end}
	for i, d := range days {
		y := h
		for k, n := range d.Counts {
			if n == 0 {
				continue
			}
			bh := max(1, n*(h-4)/maxN)
			y -= bh
			ch.Bars = append(ch.Bars, views.ChartBar{
				X: i*10 + 1, Y: y, W: barW, H: bh, Class: legend[k].Class,
				Title: fmt.Sprintf("%s: %d %s", views.Date(d.Date), n, views.KindLabel(legend[k].Kind)),
			})
		}
	}
	return ch
}

// TestChartCounts checks, on both databases, that the chart drawn from chartCounts is the
// chart drawn from ItemsPerDay, whatever lies on the first, partial day: items before or after
// the cut, of kinds the other days have or not, with the other days near or far.
func TestChartCounts(t *testing.T) {
	latest := time.Date(2024, 6, 30, 15, 0, 0, 0, time.UTC)
	since := latest.AddDate(0, 0, -chartDays)
	tests := []struct {
		name  string
		items []struct {
			at   time.Time
			kind string
		}
	}{
		{"nothing on the first day", nil},
		{"the first day's item before the cut", items(since.Add(-time.Hour), docket.KindUN)},
		{"the first day's item after the cut, a kind shown", items(since.Add(time.Hour), docket.KindNews)},
		{"the first day's item after the cut, a kind not shown", items(since.Add(time.Hour), docket.KindNGO)},
		{"items on both sides of the cut", append(items(since.Add(-2*time.Hour), docket.KindMP), items(since.Add(2*time.Hour), docket.KindOther)...)},
	}
	for i, tt := range tests {
		for _, farDay := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, far day %v", tt.name, farDay), func(t *testing.T) {
				storetest.ForEach(t, func(t *testing.T, db *store.DB) {
					ctx := context.Background()
					topic := &docket.Topic{Slug: "t", Title: "T", Visibility: docket.Public}
					if err := db.CreateTopic(ctx, topic); err != nil {
						t.Fatal(err)
					}
					all := append(items(latest, docket.KindNews), items(latest.AddDate(0, 0, -3), docket.KindNews)...)
					if farDay {
						all = append(all, items(latest.AddDate(0, 0, -58), docket.KindNews)...)
					}
					all = append(all, tt.items...)
					sources := map[string]int64{}
					err := db.Update(ctx, func(tx *store.Tx) error {
						for n, it := range all {
							if sources[it.kind] == 0 {
								src := docket.Source{URL: "https://" + it.kind + ".example.org/", Kind: it.kind}
								if err := tx.CreateSource(ctx, &src); err != nil {
									return err
								}
								sources[it.kind] = src.ID
							}
							res, err := tx.SaveItems(ctx, sources[it.kind], []docket.Item{{GUID: fmt.Sprint(i, n), Title: "x", PublishedAt: it.at, ContentHash: "h"}})
							if err != nil {
								return err
							}
							if err := tx.LinkNewItems(ctx, []store.NewItemLinks{{ItemID: res.New[0], PublishedAt: it.at, Matches: []store.TopicMatch{{TopicID: topic.ID}}}}); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					s := NewServer(Config{DB: db})
					got, err := s.chartCounts(ctx, topic.ID, latest, since)
					if err != nil {
						t.Fatal(err)
					}
					want, err := db.ItemsPerDay(ctx, topic.ID, since)
					if err != nil {
						t.Fatal(err)
					}
					if g, w := buildChart(got, latest), buildChart(want, latest); !reflect.DeepEqual(g, w) {
						t.Errorf("chart from chartCounts %v:\n%+v\nfrom ItemsPerDay %v:\n%+v", got, g, want, w)
					}
				})
			})
		}
	}
}

func items(at time.Time, kind string) []struct {
	at   time.Time
	kind string
} {
	return []struct {
		at   time.Time
		kind string
	}{{at, kind}}
}

// TestChartEndsOnTheLondonDay checks that a chart whose newest item came at 00:30 BST on
// 2 June (23:30 UTC on 1 June) ends on 2 June, the day topic_day_counts counts it on.
func TestChartEndsOnTheLondonDay(t *testing.T) {
	end := time.Date(2016, 6, 1, 23, 30, 0, 0, time.UTC)
	ch := buildChart([]store.DayCount{{Day: "2016-06-02", Kind: docket.KindNews, Count: 1}}, end)
	if ch == nil || len(ch.Days) == 0 {
		t.Fatal("no chart")
	}
	last := ch.Days[len(ch.Days)-1]
	if got := last.Date.Format("2006-01-02"); got != "2016-06-02" || last.Total != 1 {
		t.Errorf("the chart's last day is %s with %d items, want 2016-06-02 with 1", got, last.Total)
	}
}
