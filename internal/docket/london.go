package docket

import "time"

// London is the time zone of the office's days: timelines group items by their day in
// London, date filters name London days, and topic_day_counts counts London days.
var London = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC // no zone database at all: cmd/docket embeds one, so only a test binary
	}
	return loc
}()

// LondonDay is the day (YYYY-MM-DD) an instant falls on in London.
func LondonDay(t time.Time) string { return t.In(London).Format("2006-01-02") }

// LondonMidnight is the start, in London, of the day t falls on there.
func LondonMidnight(t time.Time) time.Time {
	l := t.In(London)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, London)
}
