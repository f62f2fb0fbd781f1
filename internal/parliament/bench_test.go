package parliament

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readFixture(b *testing.B, name string) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkPlainText(b *testing.B) {
	var q questionItem
	if err := json.Unmarshal(readFixture(b, "question_1700002.json"), &q); err != nil {
		b.Fatal(err)
	}
	// A long answer: the same two paragraphs forty times, about 17 KB of HTML.
	in := strings.Repeat(q.Value.AnswerText, 40)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		_ = plainText(in)
	}
}

func BenchmarkDecodeHansardPage(b *testing.B) {
	data := readFixture(b, "hansard_spoken.json")
	c, err := New(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var h hansardSearch
		if err := json.Unmarshal(data, &h); err != nil {
			b.Fatal(err)
		}
		_ = c.hansardResults(h, hansardSpoken, fixtureMember)
	}
}

// BenchmarkContributions is one whole poll of the five lists against a local fake, 13
// requests with a page size of 2: it measures the client's own cost, not Parliament's.
func BenchmarkContributions(b *testing.B) {
	f := newFakeParliament(b)
	c := f.client(func(cfg *Config) { cfg.PageSize = 2 })
	ctx := context.Background()
	for b.Loop() {
		got, err := c.Contributions(ctx, fixtureMember, time.Time{})
		if err != nil || len(got) != 11 {
			b.Fatalf("got %d, %v; want 11 records", len(got), err)
		}
	}
}
