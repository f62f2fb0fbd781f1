package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/docket-dev/docket/internal/bench"
	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

var benchWords = strings.Fields(`the of and to in a is that for on with as by at from UN Syria Aleppo Idlib aid convoy
ceasefire evacuation civilians humanitarian Security Council envoy talks Geneva Astana Damascus refugees camps winter
hospital shelling government opposition Russia Turkey resolution access besieged food medicine water families displaced
agency report said officials monitoring observers ICRC Red Crescent UNICEF WFP funding appeal donors conference`)

// BenchFeed is a deterministic RSS feed of n items of realistic size: a ten-word title, an
// HTML summary of about 60 words and content of about 300 words with links and markup.
func BenchFeed(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = benchWords[r.IntN(len(benchWords))]
		}
		return strings.Join(w, " ")
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>https://bench.example.org/</link>`)
	t0 := time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		var content strings.Builder
		for p := 0; p < 5; p++ {
			fmt.Fprintf(&content, `<p>%s <a href="/story/%d?utm_source=rss">%s</a> %s.</p>`, words(25), i, words(3), words(30))
		}
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://bench.example.org/%d/%d</link><guid>https://bench.example.org/%d/%d</guid>
<pubDate>%s</pubDate><description><![CDATA[<p>%s <em>%s</em>.</p>]]></description><content:encoded><![CDATA[%s]]></content:encoded></item>`,
			words(10), seed, i, seed, i, t0.Add(time.Duration(i)*time.Hour).Format(time.RFC1123Z), words(50), words(10), content.String())
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

const benchItems = 50

// BenchmarkGofeedParse is the reference: gofeed's universal parser alone on the feed's bytes.
func BenchmarkGofeedParse(b *testing.B) {
	body := BenchFeed(1, benchItems)
	b.SetBytes(int64(len(body)))
	start := time.Now()
	n := 0
	for b.Loop() {
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil || len(f.Items) != benchItems {
			b.Fatal(err)
		}
		n += len(f.Items)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "items/s")
}

// BenchmarkIngestStore is Docket's whole path for a fetched body, on a real SQLite file:
// parse, normalize (sanitize, links, hashes), store in one transaction, match against 10
// topics, cluster. Each iteration stores the feed under a new source, so every item is new.
func BenchmarkIngestStore(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(d.Name, func(b *testing.B) {
			db := storetest.Open(b, d.URL(b))
			benchIngest(b, db)
		})
	}
}

func benchIngest(b *testing.B, db *store.DB) {
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		t := &docket.Topic{Slug: fmt.Sprint("t", i), Title: fmt.Sprint("T", i), Visibility: docket.Public,
			Rule: fmt.Sprintf(`%s AND (%s OR "%s %s")`, benchWords[20+i], benchWords[30+i], benchWords[40+i], benchWords[41+i])}
		if err := db.CreateTopic(ctx, t); err != nil {
			b.Fatal(err)
		}
	}
	g := newIngester(db)
	m, err := g.CurrentMatcher(ctx)
	if err != nil {
		b.Fatal(err)
	}
	body := BenchFeed(2, benchItems)
	b.SetBytes(int64(len(body)))
	start := time.Now()
	n := 0
	for i := 0; b.Loop(); i++ {
		src := docket.Source{URL: fmt.Sprintf("https://bench.example.org/feed/%d", i), Kind: docket.KindNews}
		if err := db.CreateSource(ctx, &src); err != nil {
			b.Fatal(err)
		}
		feed, err := ingest.Parse(body, "application/rss+xml", src.URL)
		if err != nil {
			b.Fatal(err)
		}
		f := &ingest.Fetched{Source: src, Status: 200, Items: ingest.Normalize(feed, src.URL, docket.Now(), 200)}
		err = db.Update(ctx, func(tx *store.Tx) error {
			o, err := g.Store(ctx, tx, f, m)
			if err == nil && o.New != benchItems {
				err = fmt.Errorf("stored %d new items, want %d", o.New, benchItems)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		n += benchItems
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "items/s")
}

// feedItems are the items of the `docket bench` feed corpus, normalized, with their excerpts:
// what the ingester prepares and clusters.
func feedItems(b *testing.B, feeds, items int) []docket.Item {
	b.Helper()
	its, err := bench.NormalizedItems(bench.Feeds(1, feeds, items))
	if err != nil {
		b.Fatal(err)
	}
	for i := range its {
		its[i].Excerpt = docket.Excerpt(its[i].Text, its[i].Title, 400)
	}
	return its
}

// reportPerItem reports the process's CPU time (garbage collection included) and the time by
// the clock per item since cpu0, what a shared, loaded machine disturbs least and most.
func reportPerItem(b *testing.B, cpu0 time.Duration, items int) {
	if cpu, ok := bench.CPUTime(); ok {
		b.ReportMetric(float64((cpu-cpu0).Nanoseconds())/float64(items)/1000, "cpu-µs/item")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(items)/1000, "µs/item")
}

// BenchmarkSignatureFeeds computes the story signatures of the bench corpus's items, as
// Fetch does for every new item.
func BenchmarkSignatureFeeds(b *testing.B) {
	its := feedItems(b, 20, 50)
	cpu0, _ := bench.CPUTime()
	n := 0
	for b.Loop() {
		for i := range its {
			ingest.Signature(its[i].Title, its[i].Excerpt)
		}
		n += len(its)
	}
	reportPerItem(b, cpu0, n)
}

// BenchmarkNormalizeFeeds normalizes the parsed feeds of the bench corpus (sanitizing,
// links, text, hashes), as Fetch does after parsing.
func BenchmarkNormalizeFeeds(b *testing.B) {
	var feeds []*ingest.Feed
	var urls []string
	for _, f := range bench.Feeds(1, 20, 50) {
		u := "https://" + f.Name + ".example.org/feed"
		feed, err := ingest.Parse(f.Body, f.ContentType, u)
		if err != nil {
			b.Fatal(err)
		}
		feeds, urls = append(feeds, feed), append(urls, u)
	}
	cpu0, _ := bench.CPUTime()
	n := 0
	for b.Loop() {
		for i, f := range feeds {
			n += len(ingest.Normalize(f, urls[i], bench.End, 0))
		}
	}
	reportPerItem(b, cpu0, n)
}
