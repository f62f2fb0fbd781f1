package ingest

import (
	"hash/fnv"
	"time"
)

// Fetch intervals.
const (
	DefaultInterval = 15 * time.Minute // a new source
	MinInterval     = 5 * time.Minute
	MaxInterval     = 24 * time.Hour

	// BackoffBase is the wait after the first failed fetch; each further failure doubles it
	// up to MaxInterval.
	BackoffBase = 5 * time.Minute
	// MaxRetryAfter bounds what a server's Retry-After can ask for, so that a typo or a
	// hostile header cannot park a source for months.
	MaxRetryAfter = 7 * 24 * time.Hour
)

// Interval steps. A source polled at interval I that changes every T sees a change in about
// I/T of its fetches; shrinking by 2/3 on a change and growing by 5/4 otherwise settles
// where (I/T)·ln(2/3) + (1−I/T)·ln(5/4) = 0, that is I ≈ T/3: about three fetches per
// change, so new items wait about a third of the feed's own rhythm.
const (
	shrinkNum, shrinkDen = 2, 3
	growNum, growDen     = 5, 4
)

// NextInterval returns the wait before the next fetch of a source that was last fetched after
// waiting prev (0 for a new source) and whose items changed or not. feedTTL, what the feed
// asks for (RSS ttl, sy:updatePeriod), is a floor. The result lies in [MinInterval,
// MaxInterval].
func NextInterval(prev time.Duration, changed bool, feedTTL time.Duration) time.Duration {
	var next time.Duration
	switch {
	case prev <= 0:
		next = DefaultInterval
	case changed:
		next = prev * shrinkNum / shrinkDen
	default:
		next = prev * growNum / growDen
	}
	next = max(next, feedTTL)
	return clampInterval(next).Round(time.Second)
}

func clampInterval(d time.Duration) time.Duration {
	return min(max(d, MinInterval), MaxInterval)
}

// Backoff returns the wait after consecutiveErrors failed fetches in a row: BackoffBase,
// doubling each time, at most MaxInterval, and never less than the server's Retry-After
// (itself capped at MaxRetryAfter). Zero errors need no backoff and give 0 unless the server
// asked for a wait.
func Backoff(consecutiveErrors int, retryAfter time.Duration) time.Duration {
	retryAfter = min(max(retryAfter, 0), MaxRetryAfter)
	if consecutiveErrors <= 0 {
		return retryAfter
	}
	wait := BackoffBase
	for i := 1; i < consecutiveErrors && wait < MaxInterval; i++ {
		wait *= 2
	}
	return max(min(wait, MaxInterval), retryAfter)
}

// NextFetchWait is the wait before the next fetch of a source fetched successfully, whose
// interval (NextInterval) is interval: spread by Jitter, then clamped, so that the spread
// never takes a source below MinInterval or what the feed asks (its ttl, at most
// MaxInterval), nor above MaxInterval.
func NextFetchWait(interval, feedTTL time.Duration, key string) time.Duration {
	floor := max(MinInterval, min(feedTTL, MaxInterval))
	return min(max(Jitter(interval, key), floor), MaxInterval)
}

// RetryWait is the wait after consecutiveErrors failed fetches in a row: Backoff spread by
// Jitter, then clamped to [MinInterval, MaxInterval], and never shorter than the server's
// Retry-After (which may be longer than MaxInterval, up to MaxRetryAfter): a server that
// asked for an hour is not asked again after 54 minutes.
func RetryWait(consecutiveErrors int, retryAfter time.Duration, key string) time.Duration {
	retryAfter = min(max(retryAfter, 0), MaxRetryAfter)
	return max(clampInterval(Jitter(Backoff(consecutiveErrors, retryAfter), key)), retryAfter)
}

// Jitter spreads d by up to ±10%, by an amount fixed for key (a source's URL), so that sources
// added together do not stay in step, and a schedule is the same on every run and in tests.
// It ignores every bound: schedule with NextFetchWait and RetryWait, which clamp after it.
func Jitter(d time.Duration, key string) time.Duration {
	if d <= 0 {
		return d
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	// A fraction in [-0.1, 0.1], in thousandths.
	permille := int64(h.Sum64()%201) - 100
	return d + d/1000*time.Duration(permille)
}
