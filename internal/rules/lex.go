package rules

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
)

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokTerm
	tokPhrase
	tokAnd
	tokOr
	tokNot
	tokLParen
	tokRParen
)

// token is one lexeme. Terms and phrases carry their text as written (a phrase without its
// quotes, its words separated by single spaces) and their folded form.
type token struct {
	kind tokKind
	pos  int // 1-based character position
	text string
	term term
}

// lexer splits a rule into tokens. It works in characters (runes), not bytes, because
// positions in error messages are for people counting characters in a form field.
type lexer struct {
	src  string
	off  int // byte offset of the next rune
	pos  int // 1-based character position of the next rune
	toks []token
}

// lex returns the tokens of src, ending with a tokEOF, or the first lexical error.
func lex(src string) ([]token, error) {
	l := &lexer{src: src, pos: 1}
	for {
		r, size := l.peek()
		switch {
		case size == 0:
			l.toks = append(l.toks, token{kind: tokEOF, pos: l.pos})
			return l.toks, nil
		case unicode.IsSpace(r):
			l.next(size)
		case r == '(':
			l.toks = append(l.toks, token{kind: tokLParen, pos: l.pos})
			l.next(size)
		case r == ')':
			l.toks = append(l.toks, token{kind: tokRParen, pos: l.pos})
			l.next(size)
		case isQuote(r):
			if err := l.phrase(); err != nil {
				return nil, err
			}
		default:
			if err := l.word(); err != nil {
				return nil, err
			}
		}
	}
}

// peek returns the next rune and its size, 0 at the end.
func (l *lexer) peek() (rune, int) {
	if l.off >= len(l.src) {
		return 0, 0
	}
	r, size := utf8.DecodeRuneInString(l.src[l.off:])
	return r, size
}

func (l *lexer) next(size int) {
	l.off += size
	l.pos++
}

// checkRune refuses bytes that are not UTF-8 and control characters other than white space,
// which a rule typed into a form never needs and which the databases may not store.
func (l *lexer) checkRune(r rune, size int) error {
	if r == utf8.RuneError && size == 1 {
		return &ParseError{Pos: l.pos, Msg: "invalid UTF-8"}
	}
	if unicode.IsControl(r) && !unicode.IsSpace(r) {
		return &ParseError{Pos: l.pos, Msg: fmt.Sprintf("control character %U not allowed", r)}
	}
	return nil
}

// isQuote reports whether r delimits a phrase. Curly quotes count because rules get pasted
// from word processors and mail.
func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

// isTermRune reports whether r belongs to a bare term: anything but space, parentheses and
// quotes. Punctuation inside a term is kept as written and folds to a word break.
func isTermRune(r rune) bool {
	return !unicode.IsSpace(r) && r != '(' && r != ')' && !isQuote(r)
}

// word lexes a bare term or an operator.
func (l *lexer) word() error {
	start, startPos := l.off, l.pos
	var stars []int // character positions of each "*"
	for {
		r, size := l.peek()
		if size == 0 || !isTermRune(r) {
			break
		}
		if err := l.checkRune(r, size); err != nil {
			return err
		}
		if r == '*' {
			stars = append(stars, l.pos)
		}
		l.next(size)
	}
	text := l.src[start:l.off]
	switch text {
	case "AND":
		l.toks = append(l.toks, token{kind: tokAnd, pos: startPos})
		return nil
	case "OR":
		l.toks = append(l.toks, token{kind: tokOr, pos: startPos})
		return nil
	case "NOT":
		l.toks = append(l.toks, token{kind: tokNot, pos: startPos})
		return nil
	}
	t, err := makeTerm(text, startPos, stars, "term")
	if err != nil {
		return err
	}
	l.toks = append(l.toks, token{kind: tokTerm, pos: startPos, text: text, term: t})
	return nil
}

// phrase lexes a quoted phrase, the opening quote being the next rune. Its text is its words
// separated by single spaces, so that a phrase broken over lines prints on one.
func (l *lexer) phrase() error {
	startPos := l.pos
	_, size := l.peek()
	l.next(size)
	var words []string
	var stars []int
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for {
		r, size := l.peek()
		if size == 0 {
			return &ParseError{Pos: startPos, Msg: "unterminated phrase"}
		}
		if err := l.checkRune(r, size); err != nil {
			return err
		}
		l.next(size)
		if isQuote(r) {
			break
		}
		if unicode.IsSpace(r) {
			flush()
			continue
		}
		if r == '*' {
			stars = append(stars, l.pos-1)
		}
		cur.WriteRune(r)
	}
	flush()
	if r, size := l.peek(); size > 0 && r == '*' {
		return &ParseError{Pos: l.pos, Msg: `"*" goes inside the quotes to match a prefix of a phrase`}
	}
	text := strings.Join(words, " ")
	if text == "" {
		return &ParseError{Pos: startPos, Msg: "empty phrase"}
	}
	t, err := makeTerm(text, startPos, stars, "phrase")
	if err != nil {
		return err
	}
	l.toks = append(l.toks, token{kind: tokPhrase, pos: startPos, text: text, term: t})
	return nil
}

// makeTerm checks a term's or phrase's text and folds it. stars holds the character position
// of each "*" in it, in order; only the last may be, and only as the text's last character.
func makeTerm(text string, pos int, stars []int, what string) (term, error) {
	prefix := strings.HasSuffix(text, "*")
	allowed := len(stars)
	if prefix {
		allowed--
	}
	if allowed > 0 {
		return term{}, &ParseError{Pos: stars[0], Msg: `"*" must end a term`}
	}
	body := text
	if prefix {
		body = text[:len(text)-1]
		r, _ := utf8.DecodeLastRuneInString(body)
		if body == "" || !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)) {
			return term{}, &ParseError{Pos: stars[len(stars)-1], Msg: `"*" must follow a letter or digit`}
		}
	}
	folded := docket.Fold(body)
	if folded == "" {
		return term{}, &ParseError{Pos: pos, Msg: fmt.Sprintf("%s %q has no letters or digits", what, text)}
	}
	return term{folded: folded, prefix: prefix}, nil
}
