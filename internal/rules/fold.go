package rules

import (
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
	dst = append(dst, ' ')
	dst = appendFold(dst, d.Title)
	dst = append(dst, fieldSep...)
	dst = appendFold(dst, d.Summary)
	dst = append(dst, fieldSep...)
	dst = appendFold(dst, d.Content)
	return append(dst, ' ')
}

// appendFold appends docket.Fold(s) to dst without allocating for the ASCII words that make up
// most of an item's text. It splits s at ASCII bytes that are neither letters nor digits, folds
// all-ASCII chunks itself and hands the others to docket.Fold, so docket.Fold stays the one
// definition of folding. The split cannot change the result: an ASCII separator is a word
// break in docket.Fold too, and Unicode normalization never combines across one (it is a
// starter, never part of a decomposition or of a reordered run of marks).
//
// Bytes that are not UTF-8 break words too. docket.Fold mostly treats them so, but Unicode
// normalization passes them through in ways that depend on the bytes around them, so this
// splits at them and hands docket.Fold valid UTF-8 only; the result is
// docket.Fold(strings.ToValidUTF8(s, " ")), which FuzzFold checks.
func appendFold(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); {
		if n := wordByte(s, i); n <= 0 {
			i += -n
			continue
		}
		j, ascii := i, true
		for j < len(s) {
			n := wordByte(s, j)
			if n <= 0 {
				break
			}
			if n > 1 || s[j] >= utf8.RuneSelf {
				ascii = false
			}
			j += n
		}
		if ascii {
			if len(dst) > start {
				dst = append(dst, ' ')
			}
			for k := i; k < j; k++ {
				c := s[k]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				dst = append(dst, c)
			}
		} else if f := docket.Fold(s[i:j]); f != "" {
			if len(dst) > start {
				dst = append(dst, ' ')
			}
			dst = append(dst, f...)
		}
		i = j
	}
	return dst
}

// wordByte looks at the rune starting at s[i]. It returns its size if it may belong to a word
// (an ASCII letter or digit, or any valid non-ASCII rune, which docket.Fold judges), and minus
// its size if it is a word break (any other ASCII byte, or a byte that is not UTF-8).
func wordByte(s string, i int) int {
	c := s[i]
	if c < utf8.RuneSelf {
		if isASCIIAlnum(c) {
			return 1
		}
		return -1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size == 1 {
		return -1
	}
	return size
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
