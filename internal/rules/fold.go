package rules

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
)

// fieldSep ends one field of a Doc and starts the next in the text the automaton reads. Every
// pattern is folded words and single spaces, so none can match across the "\n": that is what
// keeps a phrase from matching the end of a title and the start of a summary. The spaces around
// it give the words at the fields' edges the boundaries their patterns need.
const fieldSep = " \n "

// appendDocText appends d's fields, folded, to dst: " title \n summary \n content ". The
// leading and trailing spaces let a pattern " word " match the first and last words.
func appendDocText(dst []byte, d Doc) []byte {
	// Folding ASCII never lengthens text, so this is room enough for most items.
	dst = slices.Grow(dst, len(d.Title)+len(d.Summary)+len(d.Content)+2+2*len(fieldSep))
	dst = append(dst, ' ')
	dst = appendFold(dst, d.Title)
	dst = append(dst, fieldSep...)
	dst = appendFold(dst, d.Summary)
	dst = append(dst, fieldSep...)
	dst = appendFold(dst, d.Content)
	return append(dst, ' ')
}

// appendFold appends docket.Fold(s) to dst, without allocating for the words that make up
// nearly all of an item's text. It splits s at word breaks and folds each word itself, letter
// by letter, as long as its letters are ASCII or in latinFold; any other word it hands whole
// to docket.Fold, which stays the one definition of folding. Neither step can change the
// result: the breaks (ASCII bytes other than letters and digits, and breakRunes) are word
// breaks in docket.Fold too, and Unicode normalization never combines or reorders across one,
// nor across the letters of such a word, each of which is a starter.
//
// Bytes that are not UTF-8 break words too. docket.Fold mostly treats them so, but Unicode
// normalization passes them through in ways that depend on the bytes around them, so this
// splits at them and hands docket.Fold valid UTF-8 only; the result is
// docket.Fold(strings.ToValidUTF8(s, " ")), which FuzzFold checks.
func appendFold(dst []byte, s string) []byte {
	base := len(dst)
	for i := 0; i < len(s); {
		if n := breakLen(s[i:]); n > 0 {
			i += n
			continue
		}
		if len(dst) > base {
			dst = append(dst, ' ')
		}
		wordStart, j, known := len(dst), i, true
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				f := asciiFold[c]
				if f == 0 {
					break
				}
				dst = append(dst, f)
				j++
				continue
			}
			n := breakLen(s[j:])
			if n > 0 {
				break
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			if f, ok := foldLatin(r); ok && known {
				dst = append(dst, f...)
			} else {
				known = false
			}
			j += size
		}
		if !known {
			dst = append(dst[:wordStart], docket.Fold(s[i:j])...)
		}
		if len(dst) == wordStart && wordStart > base {
			dst = dst[:wordStart-1] // the word folded to nothing: drop its space
		}
		i = j
	}
	return dst
}

// asciiFold maps an ASCII letter or digit to its folded form and every other ASCII byte to 0.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c
		t[c-'a'+'A'] = c
	}
	return t
}()

// breakRunes are non-ASCII characters common in news text that are word breaks: typographic
// quotes and apostrophes, dashes, the ellipsis, the no-break space. Treating them as breaks
// here keeps words such as "Aleppo’s" on the fast path. TestBreakRunes checks that
// docket.Fold agrees.
var breakRunes = []rune{'\u00a0', '«', '»', '‐', '‑', '‒', '–', '—', '―', '‘', '’', '‚', '“', '”', '„', '…'}

// breakLen returns the length of the word break that s starts with (an ASCII byte other than
// a letter or digit, a break rune, or a byte that is not UTF-8), or 0 if s starts with a rune
// that may belong to a word.
func breakLen(s string) int {
	if c := s[0]; c < utf8.RuneSelf {
		if asciiFold[c] == 0 {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size == 1 {
		return 1
	}
	// All break runes but the no-break space and guillemets are in U+2010..U+2026.
	if r == '\u00a0' || r == '«' || r == '»' || (r >= '\u2010' && r <= '\u2026' && slices.Contains(breakRunes, r)) {
		return size
	}
	return 0
}

// The Latin blocks whose letters appendFold folds one by one: Latin-1 Supplement, Latin
// Extended-A and -B (U+00C0..U+024F), and Latin Extended Additional (U+1E00..U+1EFF), which
// cover the accented names of European, Turkish, Vietnamese and transliterated Arabic text
// ("Türkiye", "Zoë", "Ḥalab").
const (
	latinLo, latinHi       = 0x00c0, 0x024f
	latinAddLo, latinAddHi = 0x1e00, 0x1eff
)

// latinFold holds docket.Fold of each letter of those blocks, "" for a rune that does not fold
// to letters alone inside a word: a symbol such as "×", or a letter such as "Ŀ" whose
// decomposition holds a word break ("L·"). Asking docket.Fold itself, once, keeps the table in
// step with it.
var latinFold = func() []string {
	t := make([]string, (latinHi-latinLo+1)+(latinAddHi-latinAddLo+1))
	for i := range t {
		r := rune(latinLo + i)
		if i > latinHi-latinLo {
			r = rune(latinAddLo + i - (latinHi - latinLo + 1))
		}
		f := docket.Fold(string(r))
		if f != "" && !strings.Contains(f, " ") && docket.Fold("a"+string(r)+"a") == "a"+f+"a" {
			t[i] = f
		}
	}
	return t
}()

// foldLatin returns docket.Fold of r if r is a letter latinFold holds.
func foldLatin(r rune) (string, bool) {
	var f string
	switch {
	case r >= latinLo && r <= latinHi:
		f = latinFold[r-latinLo]
	case r >= latinAddLo && r <= latinAddHi:
		f = latinFold[(latinHi-latinLo+1)+int(r-latinAddLo)]
	}
	return f, f != ""
}
