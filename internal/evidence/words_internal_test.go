package evidence

import (
	"slices"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
)

// TestFoldedWords splits folded text as strings.Fields does, non-ASCII letters and all.
func TestFoldedWords(t *testing.T) {
	for _, s := range []string{"", "Aleppo", "Łódź and Kraków: 35,000 people", "  Ἀθῆναι — Ørsted ", "a\u00a0b\tc\u2003d"} {
		folded := docket.Fold(s)
		if got, want := foldedWords(folded), strings.Fields(folded); !slices.Equal(got, want) {
			t.Errorf("foldedWords(%q) = %q, want %q", folded, got, want)
		}
	}
}
