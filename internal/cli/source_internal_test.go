package cli

import (
	"testing"
	"unicode/utf8"
)

func TestTruncateCutsCharactersNotBytes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a little too long", 10, "a little …"},
		{"évacuation d’Alep", 10, "évacuatio…"},
		{"Alep – Idlib – Hama", 7, "Alep –…"},
		{"حلب وإدلب وحماة", 6, "حلب و…"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := truncate(tt.in, tt.n)
			if got != tt.want || !utf8.ValidString(got) || utf8.RuneCountInString(got) > tt.n {
				t.Errorf("truncate(%q, %d) = %q, want %q (valid UTF-8, at most %d characters)", tt.in, tt.n, got, tt.want, tt.n)
			}
		})
	}
}
