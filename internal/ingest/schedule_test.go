package ingest

import (
	"fmt"
	"testing"
	"time"
)

func TestNextInterval(t *testing.T) {
	tests := []struct {
		name    string
		prev    time.Duration
		changed bool
		ttl     time.Duration
		want    time.Duration
	}{
		{"new source", 0, false, 0, 15 * time.Minute},
		{"new source that changed", 0, true, 0, 15 * time.Minute},
		{"new source with a ttl", 0, false, time.Hour, time.Hour},
		{"changed: shorter", 15 * time.Minute, true, 0, 10 * time.Minute},
		{"unchanged: longer", 16 * time.Minute, false, 0, 20 * time.Minute},
		{"never below 5 min", 6 * time.Minute, true, 0, 5 * time.Minute},
		{"never above 24 h", 23 * time.Hour, false, 0, 24 * time.Hour},
		{"ttl is a floor", 10 * time.Minute, true, 2 * time.Hour, 2 * time.Hour},
		{"ttl below the result", 4 * time.Hour, false, time.Hour, 5 * time.Hour},
		{"ttl above 24 h is clamped", time.Hour, true, 7 * 24 * time.Hour, 24 * time.Hour},
		{"negative prev", -time.Minute, false, 0, 15 * time.Minute},
		{"rounded to seconds", 1000*time.Second + 1, false, 0, 1250 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextInterval(tt.prev, tt.changed, tt.ttl); got != tt.want {
				t.Errorf("NextInterval(%v, %v, %v): got %v, want %v", tt.prev, tt.changed, tt.ttl, got, tt.want)
			}
		})
	}
}

// TestNextIntervalSettles simulates a feed that gets a new item every hour, fetched from a
// new source's 15 minutes: the interval must settle near a third of an hour and stay in
// bounds, as the comment on the step sizes claims.
func TestNextIntervalSettles(t *testing.T) {
	const period = time.Hour
	var now, lastItem time.Duration
	interval := NextInterval(0, false, 0)
	var sum time.Duration
	const fetches = 400
	for i := range fetches {
		now += interval
		changed := now/period != lastItem/period
		if changed {
			lastItem = now
		}
		interval = NextInterval(interval, changed, 0)
		if interval < MinInterval || interval > MaxInterval {
			t.Fatalf("fetch %d: interval %v out of [%v, %v]", i, interval, MinInterval, MaxInterval)
		}
		if i >= fetches/2 {
			sum += interval
		}
	}
	mean := sum / (fetches / 2)
	if mean < 10*time.Minute || mean > 40*time.Minute {
		t.Errorf("mean interval for an hourly feed: got %v, want between 10 and 40 min", mean)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		errors     int
		retryAfter time.Duration
		want       time.Duration
	}{
		{0, 0, 0},
		{0, time.Minute, time.Minute},
		{1, 0, 5 * time.Minute},
		{2, 0, 10 * time.Minute},
		{3, 0, 20 * time.Minute},
		{5, 0, 80 * time.Minute},
		{9, 0, 1280 * time.Minute},
		{10, 0, 24 * time.Hour},
		{1000, 0, 24 * time.Hour},
		{1, time.Hour, time.Hour},
		{3, time.Minute, 20 * time.Minute},
		{10, 48 * time.Hour, 48 * time.Hour},
		{1, 30 * 24 * time.Hour, 7 * 24 * time.Hour},
		{2, -time.Hour, 10 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d errors, Retry-After %v", tt.errors, tt.retryAfter), func(t *testing.T) {
			if got := Backoff(tt.errors, tt.retryAfter); got != tt.want {
				t.Errorf("Backoff(%d, %v): got %v, want %v", tt.errors, tt.retryAfter, got, tt.want)
			}
		})
	}
}

func TestJitter(t *testing.T) {
	const d = 100 * time.Minute
	seen := map[time.Duration]bool{}
	for i := range 50 {
		key := fmt.Sprintf("https://feeds.example.org/%d.xml", i)
		got := Jitter(d, key)
		if got < 90*time.Minute || got > 110*time.Minute {
			t.Errorf("Jitter(%v, %q): got %v, want within ±10%%", d, key, got)
		}
		if again := Jitter(d, key); again != got {
			t.Errorf("Jitter(%v, %q): got %v then %v, want the same", d, key, got, again)
		}
		seen[got] = true
	}
	if len(seen) < 25 {
		t.Errorf("50 keys gave %d distinct jitters, want them spread", len(seen))
	}
	if got := Jitter(0, "x"); got != 0 {
		t.Errorf("Jitter(0): got %v, want 0", got)
	}
}

// TestScheduleBounds spreads the waits of 1,000 sources and checks that the spread breaks no
// bound: never below 5 minutes or above 24 hours, never below the feed's ttl, never before a
// server's Retry-After, and the back-off still capped at 24 hours.
func TestScheduleBounds(t *testing.T) {
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprintf("https://feeds%d.example.org/rss.xml", i)
	}
	tests := []struct {
		name     string
		wait     func(key string) time.Duration
		min, max time.Duration
	}{
		{"shortest interval", func(k string) time.Duration { return NextFetchWait(MinInterval, 0, k) }, MinInterval, MinInterval * 11 / 10},
		{"longest interval", func(k string) time.Duration { return NextFetchWait(MaxInterval, 0, k) }, MaxInterval * 9 / 10, MaxInterval},
		{"interval at the ttl", func(k string) time.Duration { return NextFetchWait(2*time.Hour, 2*time.Hour, k) }, 2 * time.Hour, 2 * time.Hour * 11 / 10},
		{"ttl over 24 h", func(k string) time.Duration { return NextFetchWait(MaxInterval, 7*24*time.Hour, k) }, MaxInterval, MaxInterval},
		{"first failure", func(k string) time.Duration { return RetryWait(1, 0, k) }, MinInterval, BackoffBase * 11 / 10},
		{"many failures", func(k string) time.Duration { return RetryWait(30, 0, k) }, MaxInterval * 9 / 10, MaxInterval},
		{"Retry-After 1 h", func(k string) time.Duration { return RetryWait(1, time.Hour, k) }, time.Hour, time.Hour * 11 / 10},
		{"Retry-After 1 h after many failures", func(k string) time.Duration { return RetryWait(30, time.Hour, k) }, MaxInterval * 9 / 10, MaxInterval},
		{"Retry-After 2 days", func(k string) time.Duration { return RetryWait(2, 48*time.Hour, k) }, 48 * time.Hour, 48 * time.Hour},
		{"Retry-After 30 days", func(k string) time.Duration { return RetryWait(2, 30*24*time.Hour, k) }, MaxRetryAfter, MaxRetryAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := time.Duration(1<<62), time.Duration(0)
			outside := 0
			for _, k := range keys {
				d := tt.wait(k)
				lo, hi = min(lo, d), max(hi, d)
				if d < tt.min || d > tt.max {
					outside++
				}
			}
			if outside > 0 {
				t.Errorf("%d of %d sources outside [%v, %v]: lowest %v, highest %v", outside, len(keys), tt.min, tt.max, lo, hi)
			}
			if tt.min != tt.max && hi-lo < (tt.max-tt.min)/2 {
				t.Errorf("waits span only [%v, %v], want them spread over [%v, %v]", lo, hi, tt.min, tt.max)
			}
		})
	}
}
