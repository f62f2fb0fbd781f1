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

// PublishSkew is how far past now a statement's publication time may lie: a clock a little
// ahead, or a time typed a minute early, is no statement from the future.
const PublishSkew = 5 * time.Minute

// PublishedInFuture reports whether a statement said to be published at t cannot have been
// yet: t is later than now by more than PublishSkew. Such a statement would sort as the
// newest and never go stale.
func PublishedInFuture(t, now time.Time) bool { return t.After(now.Add(PublishSkew)) }

// PublishedOnDay is when a statement published on day (a date typed without a time, parsed
// as its midnight UTC) is taken to have been published: at noon, the same day wherever the
// office reads it; but at now when that noon is still to come and the day has begun in
// London, so today's date is never a time in the future.
func PublishedOnDay(day, now time.Time) time.Time {
	noon := day.Add(12 * time.Hour)
	if noon.After(now) && day.Format("2006-01-02") <= LondonDay(now) {
		return now.UTC()
	}
	return noon
}
