package evidence_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// BenchmarkSuggest measures the suggestions for a statement of about 500 words (the corpus
// sentences, one after another) over the corpus plus generated items, 100,000 in all unless
// DOCKET_BENCH_ITEMS says otherwise, all on the statement's topic. On PostgreSQL when
// DOCKET_TEST_POSTGRES_URL is set. Loading the items takes a minute or two; it is not timed.
// To keep the loaded items between runs, DOCKET_BENCH_SQLITE names an SQLite file and
// DOCKET_BENCH_POSTGRES a PostgreSQL URL (with a search_path of its own) to use instead of
// fresh ones.
//
//	go test -run '^$' -bench BenchmarkSuggest -benchtime 10x ./internal/evidence/
func BenchmarkSuggest(b *testing.B) {
	n := 100_000
	if s := os.Getenv("DOCKET_BENCH_ITEMS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("DOCKET_BENCH_ITEMS=%q: %v", s, err)
		}
		n = v
	}
	var sentences []corpusSentence
	readJSON(b, "testdata/sentences.json", &sentences)
	var body []string
	words := 0
	for i := 0; words < 500; i++ {
		s := sentences[i%len(sentences)].Sentence
		body = append(body, s)
		words += len(strings.Fields(s))
	}
	in := evidence.Input{Body: strings.Join(body, " "), Date: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, d := range storetest.Dialects {
		b.Run(fmt.Sprintf("%s/%d_items/%d_words", d.Name, n, words), func(b *testing.B) {
			var url string
			if keep := os.Getenv("DOCKET_BENCH_" + strings.ToUpper(d.Name)); keep != "" {
				url = keep
			} else {
				url = d.URL(b)
			}
			db := storetest.Open(b, url)
			var topicID int64
			if t, err := db.TopicBySlug(context.Background(), "syria"); err == nil {
				topicID = t.ID // kept from an earlier run
			} else {
				w := loadCorpus(b, db)
				generateItems(b, db, w.topic.ID, n-len(w.ids))
				topicID = w.topic.ID
			}
			ctx := context.Background()
			// The word counts, and the full-text index merged, as the background job leaves
			// them once the items are in.
			start := time.Now()
			if built, err := db.RefreshTermStats(ctx, store.TermStatsMinItems); err != nil {
				b.Fatal(err)
			} else if built {
				b.Logf("word counts taken in %v", time.Since(start))
			}
			if steps, _, err := db.MergeSearchIndex(ctx, time.Hour); err != nil {
				b.Fatal(err)
			} else if steps > 0 {
				b.Logf("full-text index merged in %d steps", steps)
			}
			in := in
			in.TopicIDs = []int64{topicID}
			// Cold: a new Ranker each time, looking every word up. Warm: one Ranker, as the
			// server keeps, that remembers the counts of words seen in the last minutes,
			// as when the editor pauses typing and the suggestions refresh.
			for _, warm := range []bool{false, true} {
				b.Run(map[bool]string{false: "cold", true: "warm"}[warm], func(b *testing.B) {
					r := &evidence.Ranker{DB: db}
					found := 0
					for b.Loop() {
						if !warm {
							r = &evidence.Ranker{DB: db}
						}
						res, err := r.Suggest(ctx, in)
						if err != nil {
							b.Fatal(err)
						}
						found = 0
						for _, s := range res {
							found += len(s.Suggestions)
						}
					}
					b.ReportMetric(float64(found), "suggestions")
				})
			}
		})
	}
}

// generateItems adds n items, the same ones for the same n, each linked to the topic and
// spread over 2015–2024. One word in ten of their titles and texts is drawn from the corpus's
// own words, in their proportions, so the statement's words occur about as often as in a
// topic's real items ("syria" in some 6% of them, a place such as Khan Shaykhun in under
// 1%); the others come from a Zipf-distributed vocabulary of 50,000 made-up words, as the
// words of real text are distributed.
func generateItems(b *testing.B, db *store.DB, topicID int64, n int) {
	b.Helper()
	if n <= 0 {
		return
	}
	var corpus []corpusItem
	readJSON(b, "testdata/corpus.json", &corpus)
	var vocab []string
	for _, c := range corpus {
		vocab = append(vocab, strings.Fields(c.Title+" "+c.Text)...)
	}
	rng := rand.New(rand.NewPCG(5, 2016))
	zipf := rand.NewZipf(rng, 1.1, 2, 50_000)
	pick := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			if rng.IntN(10) == 0 {
				ws[i] = vocab[rng.IntN(len(vocab))]
			} else {
				ws[i] = "w" + strconv.FormatUint(zipf.Uint64(), 36)
			}
		}
		return strings.Join(ws, " ")
	}
	ctx := context.Background()
	src := &docket.Source{URL: "https://generated.example.org/feed", Title: "Generated", Kind: docket.KindNews}
	if err := db.CreateSource(ctx, src); err != nil {
		b.Fatal(err)
	}
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 2000
	for done := 0; done < n; done += batch {
		items := make([]docket.Item, 0, batch)
		for i := done; i < min(done+batch, n); i++ {
			title := pick(8)
			items = append(items, docket.Item{GUID: "gen-" + strconv.Itoa(i), URL: "https://generated.example.org/" + strconv.Itoa(i),
				Title: title, Text: title + "\n\n" + pick(60), ContentHash: strconv.Itoa(i),
				PublishedAt: start.Add(time.Duration(rng.IntN(10*365*24)) * time.Hour)})
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveItems(ctx, src.ID, items)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	_, err := db.W.ExecContext(ctx, db.W.Rebind(`INSERT INTO item_topics (item_id, topic_id, origin, state, terms, pinned, published_at, created_at, updated_at)
		SELECT id, ?, 'rule', 'suggested', '', ?, published_at, published_at, published_at FROM items WHERE source_id = ?`), topicID, false, src.ID)
	if err != nil {
		b.Fatal(err)
	}
	if db.Dialect == store.Postgres {
		if _, err := db.W.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
}
