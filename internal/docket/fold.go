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
//
// Every item's text is folded when it is stored and when evidence is ranked, so the ASCII
// bytes, nearly all of an English text, are folded one at a time, and only the runs of other
// bytes go through Unicode decomposition (FoldAccents): decomposing each rune on its own gives
// what decomposing the whole text does, since it never joins a rune to its neighbours and
// combining marks, which it reorders, are never ASCII.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	word := func(c byte) {
		b.WriteByte(c)
		space = false
	}
	gap := func() {
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				word(c)
			case 'A' <= c && c <= 'Z':
				word(c + 'a' - 'A')
			default:
				gap()
			}
			i++
			continue
		}
		j := i + 1
		for j < len(s) && s[j] >= utf8.RuneSelf {
			j++
		}
		// Invalid bytes fold to a word break wherever they stand (the rule matcher relies
		// on it).
		for _, r := range FoldAccents(strings.ToValidUTF8(s[i:j], " ")) {
			switch {
			case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
				word(byte(r))
			case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
				word(byte(r) + 'a' - 'A')
			case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
				b.WriteRune(unicode.ToLower(r))
				space = false
			case invisible(r):
				// Inside a word, not a break in it.
			default:
				gap()
			}
		}
		i = j
	}
	return strings.TrimSuffix(b.String(), " ")
}

// invisible reports whether r is a character readers do not see that sits inside a word
// rather than between words: the soft hyphen a publishing system puts where a word may be
// hyphenated ("Alep\u00adpo" reads "Aleppo"), the zero-width joiner and non-joiner, the word
// joiner and the zero-width no-break space. Fold drops them without breaking the word.
func invisible(r rune) bool {
	switch r {
	case '\u00ad', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return false
}

// midWord reports whether rest goes on with the word a prefix of the text ended in: "ICEF
// says" after the title "UN" of "UNICEF says".
func midWord(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return rest != "" && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// Excerpt returns the start of a plain text, without its leading title when the text repeats
// it, cut at a word boundary to at most n bytes with an ellipsis.
func Excerpt(text, title string, n int) string {
	text = strings.TrimSpace(text)
	if title != "" && strings.HasPrefix(text, title) && !midWord(text[len(title):]) {
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
