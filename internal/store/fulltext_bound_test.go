package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// distinctWord is the i-th of many distinct words of letters: "wa", "wb", … "wbaa", ….
func distinctWord(i int) string {
	b := []byte{'w'}
	for {
		b = append(b, byte('a'+i%26))
		if i /= 26; i == 0 {
			return string(b)
		}
	}
}

// TestHugeItemIsIndexedInPart stores an item of 200,000 distinct words (1.5 MB), whose
// tsvector PostgreSQL would refuse as over 1 MiB: both databases store it and index the same
// words, its first ones, and not those past the bound.
func TestHugeItemIsIndexedInPart(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		src := mustSource(t, db, "https://example.org/huge", docket.KindNews)
		words := make([]string, 200_000)
		for i := range words {
			words[i] = distinctWord(i)
		}
		body := strings.Join(words, " ")
		it := docket.Item{GUID: "huge", URL: "https://example.org/huge/1", Title: "Huge", Text: "Huge\n\n" + body,
			PublishedAt: time.Date(2016, 12, 22, 10, 0, 0, 0, time.UTC), ContentHash: "h-huge"}
		var res store.SaveResult
		err := db.Update(ctx, func(tx *store.Tx) (err error) {
			res, err = tx.SaveItems(ctx, src.ID, []docket.Item{it})
			return err
		})
		if err != nil {
			t.Fatalf("store a %d-byte item: %v", len(body), err)
		}
		if len(res.New) != 1 {
			t.Fatalf("got %+v, want one new item", res)
		}
		indexed := func(word string) bool {
			t.Helper()
			q := `SELECT count(*) FROM items_fts WHERE items_fts MATCH ?`
			if db.Dialect == store.Postgres {
				q = `SELECT count(*) FROM items WHERE search @@ to_tsquery('simple', ?)`
			}
			var n int
			if err := db.W.GetContext(ctx, &n, db.W.Rebind(q), word); err != nil {
				t.Fatal(err)
			}
			return n > 0
		}
		for _, w := range []string{"huge", words[0], words[1000]} {
			if !indexed(w) {
				t.Errorf("%q is not indexed, want it found", w)
			}
		}
		if w := words[len(words)-1]; indexed(w) {
			t.Errorf("%q, past the bound, is indexed, want it left out on both databases", w)
		}

		// What costs a tsvector most for its size: every word of one to three letters or
		// digits, then single CJK characters, past the bound.
		var worst []string
		const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
		for _, a := range alnum {
			worst = append(worst, string(a))
		}
		for _, a := range alnum {
			for _, b := range alnum {
				worst = append(worst, string(a)+string(b))
			}
		}
		for _, a := range alnum {
			for _, b := range alnum {
				for _, c := range alnum {
					worst = append(worst, string(a)+string(b)+string(c))
				}
			}
		}
		for r := rune(0x4e00); r < 0x9fff; r++ {
			worst = append(worst, string(r))
		}
		w := docket.Item{GUID: "worst", Title: "Worst", Text: strings.Join(worst, " "),
			PublishedAt: time.Date(2016, 12, 22, 11, 0, 0, 0, time.UTC), ContentHash: "h-worst"}
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.SaveItems(ctx, src.ID, []docket.Item{w})
			return err
		}); err != nil {
			t.Fatalf("store the costliest words: %v", err)
		}
	})
}
