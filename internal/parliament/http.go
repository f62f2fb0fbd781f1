package parliament

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// APIError is a response that was not a success, or a request this client held back because
// the API asked it to wait. Callers record Error() on the source and, when RetryAfter is set,
// schedule the next fetch no sooner than that.
type APIError struct {
	API        string        // which list, e.g. "hansard spoken", "written questions"
	StatusCode int           // the HTTP status that was answered (or that asked to wait)
	Status     string        // e.g. "503 Service Unavailable"
	RetryAfter time.Duration // from a Retry-After header on 429 or 503; 0 when none
	// Deferred is set when no request was made because an earlier answer's Retry-After has
	// not yet passed.
	Deferred bool
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("parliament: ")
	b.WriteString(e.API)
	if e.Deferred {
		fmt.Fprintf(&b, ": not requested, the API answered HTTP %s and asked to wait %s more", e.Status, e.RetryAfter.Round(time.Second))
		return b.String()
	}
	b.WriteString(": HTTP ")
	b.WriteString(e.Status)
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter.Round(time.Second))
	}
	return b.String()
}

// RetryAfter returns the longest delay any *APIError in err's tree asks for (errors.Join
// trees included), and whether there was one.
func RetryAfter(err error) (time.Duration, bool) {
	var longest time.Duration
	found := false
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if e, ok := err.(*APIError); ok && e.RetryAfter > 0 {
			found = true
			longest = max(longest, e.RetryAfter)
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		}
	}
	walk(err)
	return longest, found
}

// maxRetryAfter bounds what a server may ask for, so a bad header cannot stop polling for a week.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// endpoint is one API: its base URL and the pacing shared by every request to it.
type endpoint struct {
	base     string
	interval time.Duration

	mu        sync.Mutex
	next      time.Time // earliest start of the next request
	heldUntil time.Time // a Retry-After not yet passed
	heldBy    *APIError // the answer that asked for it
}

func newEndpoint(base string, interval time.Duration) *endpoint {
	return &endpoint{base: base, interval: interval}
}

// wait reserves the next request slot and waits for it. Reserving under the lock gives
// concurrent callers successive slots instead of a burst.
func (e *endpoint) wait(ctx context.Context, api string) error {
	e.mu.Lock()
	now := time.Now()
	if now.Before(e.heldUntil) {
		held := *e.heldBy
		e.mu.Unlock()
		held.API = api
		held.RetryAfter = e.heldUntil.Sub(now)
		held.Deferred = true
		return &held
	}
	start := now
	if e.next.After(start) {
		start = e.next
	}
	e.next = start.Add(e.interval)
	e.mu.Unlock()

	d := start.Sub(now)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// hold makes the endpoint refuse requests until the Retry-After of err has passed.
func (e *endpoint) hold(err *APIError) {
	if err.RetryAfter <= 0 {
		return
	}
	until := time.Now().Add(err.RetryAfter)
	e.mu.Lock()
	defer e.mu.Unlock()
	if until.After(e.heldUntil) {
		e.heldUntil = until
		e.heldBy = err
	}
}

// get fetches base+path?query from the endpoint and decodes the JSON body into v.
func (c *Client) get(ctx context.Context, ep *endpoint, api, path string, query url.Values, v any) error {
	body, err := c.fetch(ctx, ep, api, path, query)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("parliament: %s: malformed JSON: %w", api, err)
	}
	return nil
}

// fetch returns the body of a successful response, read whole and capped.
func (c *Client) fetch(ctx context.Context, ep *endpoint, api, path string, query url.Values) ([]byte, error) {
	if err := ep.wait(ctx, api); err != nil {
		var held *APIError
		if errors.As(err, &held) {
			return nil, err
		}
		return nil, fmt.Errorf("parliament: %s: %w", api, err)
	}
	u := ep.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("parliament: %s: %w", api, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("parliament: %s: %w", api, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Drain a little so the connection can be reused; the body of an error is not shown.
		_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
		apiErr := &APIError{API: api, StatusCode: resp.StatusCode, Status: statusText(resp)}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			apiErr.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
			ep.hold(apiErr)
		}
		return nil, apiErr
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("parliament: %s: reading response: %w", api, err)
	}
	if int64(len(body)) > c.cfg.MaxBodyBytes {
		return nil, fmt.Errorf("parliament: %s: response larger than %d bytes", api, c.cfg.MaxBodyBytes)
	}
	return body, nil
}

// statusText is "503 Service Unavailable", also for servers that send only the code.
func statusText(resp *http.Response) string {
	if s := strings.TrimSpace(resp.Status); s != "" && s != strconv.Itoa(resp.StatusCode) {
		return s
	}
	if t := http.StatusText(resp.StatusCode); t != "" {
		return strconv.Itoa(resp.StatusCode) + " " + t
	}
	return strconv.Itoa(resp.StatusCode)
}
