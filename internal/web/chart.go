package web

import (
	"fmt"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// chartDays is how far back the items-per-day chart looks from the newest item.
const chartDays = 60

// buildChart lays out a stacked bar per day, one colour per source kind, ending at the day
// of the newest item (a quiet topic still shows its last burst of news).
func buildChart(counts []store.DayCount, end time.Time) *views.Chart {
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
