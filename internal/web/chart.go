package web

import (
	"strconv"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// chartDays is how far back the items-per-day chart looks from the newest item.
const chartDays = 60

// chartSpan is how many days a chart ending on end's day shows: what has items, with a little
// room before, between two weeks and chartDays.
func chartSpan(counts []store.DayCount, end time.Time) int {
	end = londonDate(end)
	span := 14
	last := ""
	for _, c := range counts {
		if c.Day == last {
			continue // the same day, for another kind
		}
		last = c.Day
		if d, err := time.Parse("2006-01-02", c.Day); err == nil {
			span = max(span, int(end.Sub(d)/(24*time.Hour))+3)
		}
	}
	return min(span, chartDays)
}

// londonDate is the London day of t as a date at midnight UTC, whose AddDate steps whole
// calendar days: the chart's days are London days, as topic_day_counts counts them.
func londonDate(t time.Time) time.Time {
	l := t.In(docket.London)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// buildChart lays out a stacked bar per day, one colour per source kind, ending at the day
// of the newest item (a quiet topic still shows its last burst of news).
func buildChart(counts []store.DayCount, end time.Time) *views.Chart {
	if len(counts) == 0 {
		return nil
	}
	span := chartSpan(counts, end)
	end = londonDate(end)
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
	index := make(map[string]int, span) // YYYY-MM-DD to the day's place
	for i := range days {
		index[days[i].Date.Format("2006-01-02")] = i
	}
	for _, c := range counts {
		i, ok := index[c.Day]
		if !ok {
			continue
		}
		days[i].Counts[kindIndex[c.Kind]] += c.Count
		days[i].Total += c.Count
	}
	maxN := 1
	for _, d := range days {
		maxN = max(maxN, d.Total)
	}
	w, h, barW := span*10, 120, 8
	ch := &views.Chart{Width: w, Height: h, Legend: legend, Days: days, Max: maxN, From: start, To: end}
	bars := 0
	for _, d := range days {
		for _, n := range d.Counts {
			if n > 0 {
				bars++
			}
		}
	}
	if bars > 0 {
		ch.Bars = make([]views.ChartBar, 0, bars)
	}
	// A bar's title names its day: formatting the date once per day, not once per bar, was
	// most of the chart's cost on a busy topic.
	labels := make([]string, len(legend))
	for k, l := range legend {
		labels[k] = " " + views.KindLabel(l.Kind)
	}
	for i, d := range days {
		y := h
		var date string
		for k, n := range d.Counts {
			if n == 0 {
				continue
			}
			if date == "" {
				date = views.Date(d.Date) + ": "
			}
			bh := max(1, n*(h-4)/maxN)
			y -= bh
			ch.Bars = append(ch.Bars, views.ChartBar{
				X: i*10 + 1, Y: y, W: barW, H: bh, Class: legend[k].Class,
				Title: date + strconv.Itoa(n) + labels[k],
			})
		}
	}
	return ch
}
