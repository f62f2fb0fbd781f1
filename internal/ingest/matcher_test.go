package ingest

import (
	"testing"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/rules"
)

// TestItemDoc splits an item's Text into the fields rules match, as Normalize wrote them.
func TestItemDoc(t *testing.T) {
	tests := []struct {
		name, title, summary, content string
		want                          rules.Doc
	}{
		{"summary and content", "Geneva round", "Envoys speak of peace", "Talks resume",
			rules.Doc{Title: "Geneva round", Summary: "Envoys speak of peace", Content: "Talks resume"}},
		{"summary only", "Geneva round", "Envoys speak of peace", "",
			rules.Doc{Title: "Geneva round", Content: "Envoys speak of peace"}},
		{"title only", "Geneva round", "", "", rules.Doc{Title: "Geneva round"}},
		{"title starts the first word", "UN", "UNICEF says", "", rules.Doc{Title: "UN", Content: "UNICEF says"}},
		{"title starts the text", "Syrian army retakes eastern Alep", "Syrian army retakes eastern Aleppo after a month", "",
			rules.Doc{Title: "Syrian army retakes eastern Alep", Content: "Syrian army retakes eastern Aleppo after a month"}},
		{"title is the summary", "Talks resume", "Talks resume", "In Geneva on Monday.",
			rules.Doc{Title: "Talks resume", Summary: "Talks resume", Content: "In Geneva on Monday."}},
		{"paragraphs inside a field", "T", "One.\n\nTwo.", "Three.\nFour.",
			rules.Doc{Title: "T", Summary: "One.\n\nTwo.", Content: "Three.\nFour."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := &docket.Item{Title: tt.title, Text: withTitle(tt.title, joinText(tt.summary, tt.content))}
			if got := ItemDoc(it); got != tt.want {
				t.Errorf("ItemDoc of text %q: got %+v, want %+v", it.Text, got, tt.want)
			}
		})
	}
}
