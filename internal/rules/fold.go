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
// starter, never part of a decomposition or of a reordered run of marks). FuzzFold checks
// this against docket.Fold.
func appendFold(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !isASCIIAlnum(c) {
			i++
			continue
		}
		j, ascii := i, true
		for j < len(s) {
			c := s[j]
			if c < utf8.RuneSelf {
				if !isASCIIAlnum(c) {
					break
				}
			} else {
				ascii = false
			}
			j++
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

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
