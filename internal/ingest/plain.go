package ingest

// A plain first fetcher, parser and normalizer, enough for the foundation's vertical slice.
// The full ingester replaces this file.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/docket"
)

// ClientOptions configure the HTTP client.
type ClientOptions struct {
	Timeout      time.Duration
	MaxBody      int64
	AllowPrivate bool
	UserAgent    string
}

// Client fetches feeds.
type Client struct {
	o  ClientOptions
	hc *http.Client
}

// NewClient returns a client.
func NewClient(o ClientOptions) *Client {
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBody == 0 {
		o.MaxBody = 10 << 20
	}
	if o.UserAgent == "" {
		o.UserAgent = "Docket/dev"
	}
	return &Client{o: o, hc: &http.Client{Timeout: o.Timeout}}
}

// Request is one conditional fetch.
type Request struct{ URL, ETag, LastModified string }

// Response is what a fetch got.
type Response struct {
	Status       int
	NotModified  bool
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
	FinalURL     string
}

// FetchError is a fetch that failed.
type FetchError struct {
	Status     int
	RetryAfter time.Duration
	Err        error
}

func (e *FetchError) Error() string { return e.Err.Error() }
func (e *FetchError) Unwrap() error { return e.Err }

// Fetch gets req.URL.
func (c *Client) Fetch(ctx context.Context, req Request) (*Response, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, &FetchError{Err: err}
	}
	hr.Header.Set("User-Agent", c.o.UserAgent)
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := c.hc.Do(hr)
	if err != nil {
		return nil, &FetchError{Err: err}
	}
	defer resp.Body.Close()
	out := &Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
		ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), FinalURL: resp.Request.URL.String()}
	if resp.StatusCode == http.StatusNotModified {
		out.NotModified = true
		return out, nil
	}
	if resp.StatusCode/100 != 2 {
		return out, &FetchError{Status: resp.StatusCode, Err: fmt.Errorf("HTTP %s", resp.Status)}
	}
	out.Body, err = io.ReadAll(io.LimitReader(resp.Body, c.o.MaxBody))
	if err != nil {
		return out, &FetchError{Status: resp.StatusCode, Err: err}
	}
	return out, nil
}

// Feed is a parsed feed.
type Feed struct {
	Title, SiteURL string
	TTL            time.Duration
	Entries        []*gofeed.Item
}

// Parse parses a feed body.
func Parse(body []byte, contentType, feedURL string) (*Feed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("not a feed: the body is empty")
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("not a feed: %v", err)
	}
	return &Feed{Title: f.Title, SiteURL: f.Link, Entries: f.Items}, nil
}

var policy = bluemonday.UGCPolicy()

// Normalize turns entries into items.
func Normalize(f *Feed, feedURL string, now time.Time, maxItems int) []docket.Item {
	var out []docket.Item
	for _, e := range f.Entries {
		if len(out) >= maxItems {
			break
		}
		it := docket.Item{Title: strings.TrimSpace(e.Title), URL: e.Link, GUID: e.GUID}
		if it.GUID == "" {
			it.GUID = e.Link
		}
		it.Summary = policy.Sanitize(e.Description)
		it.Content = policy.Sanitize(e.Content)
		it.Text = it.Title + "\n" + bluemonday.StrictPolicy().Sanitize(e.Description+" "+e.Content)
		switch {
		case e.PublishedParsed != nil:
			it.PublishedAt = *e.PublishedParsed
		case e.UpdatedParsed != nil:
			it.PublishedAt = *e.UpdatedParsed
		default:
			it.PublishedAt = now
		}
		it.PublishedAt = docket.StoreTime(it.PublishedAt)
		if it.GUID == "" {
			it.GUID = "hash:" + hash(it.Title, it.PublishedAt.String())
		}
		it.ContentHash = hash(it.Title, it.URL, it.Summary, it.Content, it.PublishedAt.String())
		out = append(out, it)
	}
	return out
}

func hash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// NextInterval is how long until the next fetch.
func NextInterval(prev time.Duration, changed bool, ttl time.Duration) time.Duration {
	if prev == 0 {
		return 15 * time.Minute
	}
	return prev
}

// Backoff is the wait after consecutive errors.
func Backoff(n int, retryAfter time.Duration) time.Duration {
	d := 5 * time.Minute << min(n, 8)
	return max(min(d, 24*time.Hour), retryAfter)
}
