package evidence

import (
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
)

// countWords is what count must give: the words of the folded text, split, that t matches.
func countWords(folded string, t Term) int {
	n := 0
	for _, w := range strings.Fields(folded) {
		if t.Matches(w) {
			n++
		}
	}
	return n
}

// TestCount counts a term's words in folded text as splitting it into words does: whole
// words, prefixes at the start of a word only, and the key inside other words not at all.
func TestCount(t *testing.T) {
	text := docket.Fold("Aleppo, east Aleppo and Aleppo's suburbs; evacuations, evacuated, re-evacuated. Łódź: aaaa aa a aa")
	for _, c := range []struct {
		term Term
		want int
	}{
		{Term{Key: "aleppo"}, 3},
		{Term{Key: "evacu", Prefix: true}, 3}, // evacuations, evacuated, and evacuated after "re"
		{Term{Key: "evacuated"}, 2},
		{Term{Key: "east"}, 1},
		{Term{Key: "aa"}, 2},
		{Term{Key: "aa", Prefix: true}, 3},
		{Term{Key: "lodz"}, 1},
		{Term{Key: "suburb"}, 0},
		{Term{Key: "ppo"}, 0},
	} {
		if got := count(text, c.term); got != c.want || got != countWords(text, c.term) {
			t.Errorf("count(%q, %+v) = %d, want %d (splitting gives %d)", text, c.term, got, c.want, countWords(text, c.term))
		}
	}
}

// FuzzCount holds count to what splitting the folded text into words gives, for any text
// and any one-word term.
func FuzzCount(f *testing.F) {
	f.Add("Aleppo aleppos alep", "alep", true)
	f.Add("aaa aa a", "aa", false)
	f.Add("Łódź łodz", "łodz", false)
	f.Fuzz(func(t *testing.T, text, key string, prefix bool) {
		folded := docket.Fold(text)
		key = docket.Fold(key)
		if key == "" || strings.Contains(key, " ") {
			return
		}
		term := Term{Key: key, Prefix: prefix}
		if got, want := count(folded, term), countWords(folded, term); got != want {
			t.Fatalf("count(%q, %+v) = %d, splitting gives %d", folded, term, got, want)
		}
	})
}
