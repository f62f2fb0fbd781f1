package web

import (
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
)

// TestCardExcerpt checks that reading only the head of a body gives the excerpt of the whole.
func TestCardExcerpt(t *testing.T) {
	long := strings.Repeat("The Security Council met on Aleppo today.  ", 200)
	tests := []struct {
		name string
		body string
	}{
		{"empty", ""},
		{"short", "A short statement."},
		{"long", long},
		{"long, spaces first", strings.Repeat(" \n\t", 600) + long},
		{"one long word", strings.Repeat("x", 5000)},
		{"accents at the cut", strings.Repeat("é", 3000)},
		{"mostly spaces", "word" + strings.Repeat(" ", 3000) + "end"},
		{"ellipsis in a short text", "Wait…" + strings.Repeat(" ", 2000)},
		{"invalid UTF-8", strings.Repeat("\xff\xfe ", 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, n := range []int{10, 280, 400} {
				if got, want := cardExcerpt(tt.body, n), docket.Excerpt(tt.body, "", n); got != want {
					t.Errorf("n=%d: got %q, want %q", n, got, want)
				}
			}
		})
	}
}

// FuzzCardExcerpt checks the same on any body.
func FuzzCardExcerpt(f *testing.F) {
	f.Add(strings.Repeat("The Security Council met on Aleppo today. ", 50), 280)
	f.Add(strings.Repeat("é ", 1000), 10)
	f.Add(strings.Repeat(" ", 1200)+"x", 280)
	f.Fuzz(func(t *testing.T, body string, n int) {
		n = 1 + int(uint(n)%600)
		if got, want := cardExcerpt(body, n), docket.Excerpt(body, "", n); got != want {
			t.Errorf("n=%d: got %q, want %q", n, got, want)
		}
	})
}

// TestCitedSources checks that counting a statement's cited sources from its remembered
// sentence hashes gives what the statement page numbers.
func TestCitedSources(t *testing.T) {
	bodies := []string{
		"",
		"Aid reached Aleppo. The convoy left at dawn.\r\n\r\nThe UN welcomed it.",
		strings.Repeat("The Security Council met on Aleppo today. Talks resume in Geneva. ", 30),
	}
	for i, body := range bodies {
		sents := statements.Split(strings.ReplaceAll(body, "\r\n", "\n"))
		var ev []store.EvidenceRow
		for k, sn := range sents {
			if k%2 == 0 {
				ev = append(ev, store.EvidenceRow{Evidence: docket.Evidence{SentenceHash: statements.Hash(sn.Text), ItemID: int64(k % 3)}})
			}
		}
		ev = append(ev, store.EvidenceRow{Evidence: docket.Evidence{SentenceHash: statements.Hash("A sentence the text does not have."), ItemID: 99}})
		for _, evs := range [][]store.EvidenceRow{nil, ev[:1], ev} {
			_, cites := citedParagraphs(body, evs)
			var cs []store.Citation
			for _, e := range evs {
				cs = append(cs, store.Citation{SentenceHash: e.SentenceHash, ItemID: e.ItemID})
			}
			for range 2 { // the second time from the cache
				if got := citedSources(body, cs); got != len(cites) {
					t.Errorf("body %d with %d evidence rows: got %d sources, want %d", i, len(evs), got, len(cites))
				}
			}
		}
	}
}
