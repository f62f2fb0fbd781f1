package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/web"
)

// Page is one public page under concurrent load on a corpus, against a handler that writes
// the same bytes from memory in the same process: what Docket costs beyond serving bytes.
type Page struct {
	Name       string  `json:"name"` // "topic page" or "timeline JSON"
	Path       string  `json:"path"`
	Items      int     `json:"corpus_items"`
	TopicItems int64   `json:"topic_items"`
	Bytes      int     `json:"bytes"`
	Docket     Latency `json:"docket"`
	Memory     Latency `json:"from_memory"`
	Ratio      float64 `json:"ratio"` // Docket's requests/s over the memory handler's
}

// PageRounds is how many times each handler is loaded, in turn, so that a change in the
// machine's speed during the measurement falls on both. Each figure is the median of the
// rounds' figures: on a shared machine, another process's burst spoils a round, not the
// measurement.
const PageRounds = 5

// MeasurePages loads the public topic page and the timeline JSON of the corpus's largest
// public topic, first page, with concurrency clients for about d per page, half of it for
// Docket and half for the from-memory handler.
func MeasurePages(ctx context.Context, c *Corpus, concurrency int, d time.Duration) ([]Page, error) {
	db, err := store.Open(ctx, c.URL, store.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	topic, items, err := largestPublicTopic(ctx, db)
	if err != nil {
		return nil, err
	}
	// What a reader who is not signed in gets (the page as rendered for the database as it
	// is: web's page cache, one cheap query a request), and what rendering it costs.
	srv := httptest.NewServer(web.NewServer(web.Config{DB: db, Logger: slog.New(slog.DiscardHandler), Version: "bench"}))
	defer srv.Close()
	rendered := httptest.NewServer(web.NewServer(web.Config{DB: db, Logger: slog.New(slog.DiscardHandler), Version: "bench", NoPageCache: true}))
	defer rendered.Close()
	l := newLoader(concurrency)
	defer l.close()

	var out []Page
	for _, p := range []struct {
		name, path string
		srv        *httptest.Server
	}{
		{"topic page", "/topics/" + topic, srv},
		{"timeline JSON", "/api/v1/topics/" + topic + "/timeline", srv},
		{"topic page, rendered", "/topics/" + topic, rendered},
		{"timeline JSON, rendered", "/api/v1/topics/" + topic + "/timeline", rendered},
	} {
		srv := p.srv
		res := Page{Name: p.name, Path: p.path, Items: c.Items, TopicItems: items}
		body, hdr, err := l.get(ctx, srv.URL+p.path)
		if err != nil {
			return nil, err
		}
		res.Bytes = len(body)
		mem := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for _, k := range []string{"Content-Type", "ETag", "Cache-Control", "Content-Security-Policy", "Vary"} {
				w.Header()[k] = hdr[k]
			}
			w.Write(body)
		}))
		// A short warm-up of each, then rounds in turn.
		if _, _, err := l.run(ctx, []string{srv.URL + p.path}, d/10); err != nil {
			mem.Close()
			return nil, err
		}
		var docket, memory []Latency
		for range PageRounds {
			lat, el, err := l.run(ctx, []string{srv.URL + p.path}, d/(2*PageRounds))
			if err != nil {
				mem.Close()
				return nil, err
			}
			docket = append(docket, summarize(lat, el))
			if lat, el, err = l.run(ctx, []string{mem.URL + p.path}, d/(2*PageRounds)); err != nil {
				mem.Close()
				return nil, err
			}
			memory = append(memory, summarize(lat, el))
		}
		mem.Close()
		res.Docket, res.Memory = medianLatency(docket), medianLatency(memory)
		if res.Memory.PerSecond > 0 {
			res.Ratio = res.Docket.PerSecond / res.Memory.PerSecond
		}
		out = append(out, res)
	}
	return out, nil
}

// largestPublicTopic returns the slug and item count of the public topic with the most
// items: its page is the heaviest to draw.
func largestPublicTopic(ctx context.Context, db *store.DB) (string, int64, error) {
	topics, err := db.ListTopics(ctx, store.TopicFilter{PublicOnly: true})
	if err != nil {
		return "", 0, err
	}
	best := -1
	for i, t := range topics {
		if best < 0 || t.ItemCount > topics[best].ItemCount {
			best = i
		}
	}
	if best < 0 {
		return "", 0, fmt.Errorf("the corpus has no public topic")
	}
	return topics[best].Slug, topics[best].ItemCount, nil
}
