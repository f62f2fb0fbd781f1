package ingest

import (
	"strings"
	"testing"
)

// tidyTextBefore and textBefore are tidyText and textBuilder.text as they were written, rune
// by rune with WriteRune and strings.Map; the versions that copy runs of bytes must give
// exactly the same text (FuzzTextAsBefore).
func tidyTextBefore(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	newlines := 0
	space := false
	started := false
	var prev rune
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			if r == '\r' || prev != '\r' {
				newlines++
			}
			space = false
		case isInlineSpace(r):
			space = true
		default:
			if started {
				writeGap(&b, newlines, space)
			}
			b.WriteRune(r)
			started, newlines, space = true, 0, false
		}
		prev = r
	}
	return b.String()
}

func textBefore(t *textBuilder, s string) {
	if t.pre == 0 {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, s)
	}
	if t.breaks > 0 && strings.TrimSpace(s) != "" {
		t.b.WriteString("\n\n"[:t.breaks])
		t.breaks = 0
	}
	t.b.WriteString(s)
}

// FuzzTextAsBefore writes the parts of s (split at \x01) to a textBuilder as text tokens
// would come, each inside or outside <pre> and after a block break as flags say, with the old
// and the new text, and compares what they collect and what tidyText makes of it.
func FuzzTextAsBefore(f *testing.F) {
	for _, s := range []string{
		"a\xe2\x80\x01\x99b", "x\ny\r\nz\x01\n\n w \x01\ta\u00a0b", "\xff\x01\xfe\x01 \x01", "\u2003a\u200bb\u3000",
		"a\r\rb\r\n\nc", "\uFFFD\xef\xbf\x01\xbd", "  lead\x01trail  ", "",
	} {
		f.Add(s, "\x00\x03\x04\x01")
	}
	f.Fuzz(func(t *testing.T, s, flags string) {
		var before, now textBuilder
		for i, part := range strings.Split(s, "\x01") {
			var fl byte
			if i < len(flags) {
				fl = flags[i]
			}
			before.pre, now.pre = int(fl&1), int(fl&1)
			before.block(int(fl>>1) % 3)
			now.block(int(fl>>1) % 3)
			textBefore(&before, part)
			now.text(part)
		}
		if got, want := now.b.String(), before.b.String(); got != want {
			t.Errorf("text of %q (flags %q) collects %q, want %q", s, flags, got, want)
		}
		if got, want := tidyText(now.b.String()), tidyTextBefore(before.b.String()); got != want {
			t.Errorf("tidyText of %q (flags %q) = %q, want %q", s, flags, got, want)
		}
		if got, want := tidyText(s), tidyTextBefore(s); got != want {
			t.Errorf("tidyText(%q) = %q, want %q", s, got, want)
		}
	})
}
