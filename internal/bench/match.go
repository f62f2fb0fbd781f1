package bench

import (
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
)

// Match is matching items against a number of topics' rules, on one goroutine.
type Match struct {
	Topics        int     `json:"topics"`
	TopicsPerItem float64 `json:"topics_per_item"`
	Rate
}

// NormalizedItems parses and normalizes the feeds as ingest does, for measurements that
// start from stored items.
func NormalizedItems(feeds []Feed) ([]docket.Item, error) {
	var items []docket.Item
	for _, f := range feeds {
		feed, err := ingest.Parse(f.Body, f.ContentType, "https://"+f.Name+".example.org/feed")
		if err != nil {
			return nil, err
		}
		items = append(items, ingest.Normalize(feed, "https://"+f.Name+".example.org/feed", End, 0)...)
	}
	return items, nil
}

// MeasureMatch matches the items against the topics, in passes, for at least minTime.
func MeasureMatch(items []docket.Item, topics []docket.Topic, minTime time.Duration) (Match, error) {
	m, err := ingest.NewRuleMatcher(topics)
	if err != nil {
		return Match{}, err
	}
	res := Match{Topics: len(topics)}
	matches, n := 0, 0
	res.Rate, err = timed(func() (int, error) { return n, nil }, func() error {
		start := time.Now()
		for n == 0 || time.Since(start) < minTime {
			for i := range items {
				matches += len(m.Match(&items[i]))
			}
			n += len(items)
		}
		return nil
	})
	if n > 0 {
		res.TopicsPerItem = float64(matches) / float64(n)
	}
	return res, err
}
