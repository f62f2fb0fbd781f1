package docket

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Letters that carry no combining mark to strip but that readers treat as the base letter.
var foldSpecial = map[rune]string{
	'ß': "ss", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d",
	'þ': "th", 'Þ': "th", 'Ð': "d", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ı': "i",
	'\u2019': "'", '\u2018': "'",
}

// FoldAccents removes accents and other combining marks: "Ḥalab" → "Halab", "Zoë" → "Zoe".
// Case is kept.
func FoldAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if rep, ok := foldSpecial[r]; ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Fold turns text into the form that rules match and full-text search indexes on both
// databases: lowercase, without accents, words separated by single spaces, everything that is
// not a letter or a digit dropped. "Aleppo's  CEASE-FIRE, Ḥalab!" → "aleppo s cease fire halab".
// Doing this in Go, not in each database's tokenizer, is what makes SQLite and PostgreSQL agree.
func Fold(s string) string {
	// Invalid bytes fold to a word break wherever they stand (the rule matcher relies on it).
	s = FoldAccents(strings.ToValidUTF8(s, " "))
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if r < utf8.RuneSelf {
				if r >= 'A' && r <= 'Z' {
					r += 'a' - 'A'
				}
				b.WriteByte(byte(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	out := b.String()
	return strings.TrimSuffix(out, " ")
}

// Excerpt returns the start of a plain text, without its leading title when the text repeats
// it, cut at a word boundary to at most n bytes with an ellipsis.
func Excerpt(text, title string, n int) string {
	text = strings.TrimSpace(text)
	if title != "" && strings.HasPrefix(text, title) {
		text = strings.TrimSpace(text[len(title):])
	}
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= n {
		return text
	}
	cut := strings.LastIndexByte(text[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return strings.TrimRight(text[:cut], " ,;:.-") + "…"
}
