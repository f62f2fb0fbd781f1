package ingest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/parliament"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// benchContributions is a poll's worth of a member's record: n speeches and questions of
// about 120 words, with ids that start with prefix.
func benchContributions(prefix string, n int) []parliament.Contribution {
	r := rand.New(rand.NewPCG(uint64(n), 2))
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = benchWords[r.IntN(len(benchWords))]
		}
		return strings.Join(w, " ")
	}
	t0 := time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC)
	cs := make([]parliament.Contribution, n)
	for i := range cs {
		kind := docket.KindSpeech
		if i%3 == 0 {
			kind = docket.KindWrittenQuestion
		}
		cs[i] = parliament.Contribution{ExternalID: fmt.Sprintf("%s:%d", prefix, i), Kind: kind, Title: words(5),
			Text: words(60) + ".\n\n" + words(60) + ".", URL: fmt.Sprintf("https://hansard.example/%d", i), Date: t0.AddDate(0, 0, -i/4)}
	}
	return cs
}

// BenchmarkStoreParliamentPoll stores a poll of 100 contributions in one transaction on
// SQLite: "new" creates 100 statements (a first poll), "unchanged" finds each already stored
// (the steady state, since each poll asks again from the cursor's day).
func BenchmarkStoreParliamentPoll(b *testing.B) {
	const n = 100
	for _, mode := range []string{"new", "unchanged"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			db := storetest.OpenSQLite(b)
			s := newParlSetup(b, db)
			g := newIngester(db)
			round := 0
			poll := func() {
				prefix := "bench"
				if mode == "new" {
					prefix = fmt.Sprintf("bench%d", round)
				}
				round++
				f := &ingest.Fetched{Source: *s.source, Status: 200,
					Parliament: &ingest.ParliamentFetch{MemberID: parlMember, Contributions: benchContributions(prefix, n)}}
				if _, err := g.StoreOne(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
			if mode == "unchanged" {
				poll()
			}
			for b.Loop() {
				poll()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/contribution")
		})
	}
}
