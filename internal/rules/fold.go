package rules

import (
	"slices"
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

// appendFold appends docket.Fold(s) to dst without allocating for the ASCII words that make up
// most of an item's text. It splits s at word breaks, folds all-ASCII words itself and hands
// the others to docket.Fold, so docket.Fold stays the one definition of folding. The split
// cannot change the result: the breaks it uses (ASCII bytes other than letters and digits, and
// the punctuation in breakRunes) are word breaks in docket.Fold too, and Unicode normalization
// never combines across one, as each is a starter that decomposes to no letter or digit.
//
// Bytes that are not UTF-8 break words too. docket.Fold mostly treats them so, but Unicode
// normalization passes them through in ways that depend on the bytes around them, so this
// splits at them and hands docket.Fold valid UTF-8 only; the result is
// docket.Fold(strings.ToValidUTF8(s, " ")), which FuzzFold checks.
func appendFold(dst []byte, s string) []byte {
	base := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && asciiFold[c] == 0 {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			if n := breakLen(s[i:]); n > 0 {
				i += n
				continue
			}
		}
		// A word starts at i. Fold it in place while it is ASCII; at the first other rune,
		// take it back and let docket.Fold fold the whole word.
		if len(dst) > base {
			dst = append(dst, ' ')
		}
		wordStart, j := len(dst), i
		for j < len(s) && s[j] < utf8.RuneSelf && asciiFold[s[j]] != 0 {
			dst = append(dst, asciiFold[s[j]])
			j++
		}
		if j < len(s) && s[j] >= utf8.RuneSelf && breakLen(s[j:]) == 0 {
			for j < len(s) {
				if c := s[j]; c < utf8.RuneSelf {
					if asciiFold[c] == 0 {
						break
					}
					j++
					continue
				}
				n := breakLen(s[j:])
				if n > 0 {
					break
				}
				_, size := utf8.DecodeRuneInString(s[j:])
				j += size
			}
			dst = append(dst[:wordStart], docket.Fold(s[i:j])...)
			if len(dst) == wordStart && wordStart > base {
				dst = dst[:wordStart-1] // the word folded to nothing: drop its space
			}
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

// breakLen returns the length of the word break that s starts with (a break rune, or a byte
// that is not UTF-8), or 0 if s starts with a rune that may belong to a word. s must start
// with a non-ASCII byte.
func breakLen(s string) int {
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
