package statements

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Kinds of DiffOp.
const (
	DiffEqual  = "equal"
	DiffInsert = "insert"
	DiffDelete = "delete"
)

// DiffOp is one run of a diff: text both revisions share, or text only the new one has
// (insert) or only the old one had (delete). Concatenating the equal and delete runs gives
// the old text back, the equal and insert runs the new one, whitespace and paragraph breaks
// included, so a page can render the runs in order with <ins> and <del>.
type DiffOp struct {
	Kind string
	Text string
}

// Diff compares two revisions of a statement word by word.
//
// It uses github.com/sergi/go-diff (Myers' algorithm with the semantic clean-up of Google's
// diff-match-patch): a character diff of prose reads badly ("c<del>a</del><ins>o</ins>t"),
// so each word, run of whitespace and punctuation mark is first mapped to one private-use
// rune, the runes are diffed, and the diff's clean-up folds small shared runs such as a
// lone space between two changed words into the change around them.
func Diff(a, b string) []DiffOp {
	if a == b {
		if a == "" {
			return nil
		}
		return []DiffOp{{Kind: DiffEqual, Text: a}}
	}
	var vocab []string
	index := make(map[string]rune)
	encode := func(s string) ([]rune, bool) {
		toks := diffTokens(s)
		out := make([]rune, len(toks))
		for i, t := range toks {
			r, ok := index[t]
			if !ok {
				if len(vocab) >= maxDiffTokens {
					return nil, false
				}
				r = privateUseBase + rune(len(vocab))
				index[t] = r
				vocab = append(vocab, t)
			}
			out[i] = r
		}
		return out, true
	}
	ra, okA := encode(a)
	rb, okB := encode(b)
	if !okA || !okB {
		return wholeDiff(a, b)
	}

	dmp := diffmatchpatch.New()
	// Long enough for any statement; the bound only matters for pathological input, where
	// go-diff then returns a correct but coarser diff.
	dmp.DiffTimeout = 2 * time.Second
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))

	ops := make([]DiffOp, 0, len(diffs))
	for _, d := range diffs {
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(vocab[r-privateUseBase])
		}
		kind := DiffEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			kind = DiffInsert
		case diffmatchpatch.DiffDelete:
			kind = DiffDelete
		}
		if n := len(ops); n > 0 && ops[n-1].Kind == kind {
			ops[n-1].Text += sb.String()
			continue
		}
		if sb.Len() > 0 {
			ops = append(ops, DiffOp{Kind: kind, Text: sb.String()})
		}
	}
	return ops
}

// Tokens are mapped into Unicode's supplementary private-use planes: no token text can be
// confused with them, and they are neither letters nor spaces, so go-diff's clean-up, which
// looks at character classes, treats every token alike.
const (
	privateUseBase = 0xF0000
	maxDiffTokens  = 0x10FFFD - privateUseBase
)

func wholeDiff(a, b string) []DiffOp {
	var ops []DiffOp
	if a != "" {
		ops = append(ops, DiffOp{Kind: DiffDelete, Text: a})
	}
	if b != "" {
		ops = append(ops, DiffOp{Kind: DiffInsert, Text: b})
	}
	return ops
}

// diffTokens cuts s into words (letters and digits, with apostrophes inside them: "UN's"),
// runs of whitespace, and single other characters. Joined, they give s back.
func diffTokens(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case isWordRune(r):
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r) {
					j += n
					continue
				}
				if r == '\'' || r == '’' {
					if r2, _ := utf8.DecodeRuneInString(s[j+n:]); isWordRune(r2) {
						j += n
						continue
					}
				}
				break
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r) {
					break
				}
				j += n
			}
		}
		toks = append(toks, s[i:j])
		i = j
	}
	return toks
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
