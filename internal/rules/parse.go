package rules

import (
	"fmt"

	"github.com/docket-dev/docket/internal/docket"
)

// ParseError is why a rule was refused: Pos is the 1-based character (not byte) position of
// the fault in the rule as written, Msg says what is wrong. It unwraps to a *docket.Error with
// code docket.EINVALID and field "rule", so the web and cli layers show it like any other
// invalid input.
type ParseError struct {
	Pos int
	Msg string
}

func (e *ParseError) Error() string { return fmt.Sprintf("rule: position %d: %s", e.Pos, e.Msg) }

// Unwrap lets errors.As find the coded error the rest of Docket understands.
func (e *ParseError) Unwrap() error {
	return &docket.Error{Code: docket.EINVALID, Message: e.Error(), Field: "rule"}
}

// Parse parses a rule. Errors are *ParseError values.
func Parse(src string) (*Rule, error) {
	if len(src) > MaxLen {
		return nil, &ParseError{Pos: charPos(src, MaxLen), Msg: fmt.Sprintf("rule is longer than %d bytes", MaxLen)}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tokEOF {
		return nil, &ParseError{Pos: 1, Msg: "empty rule"}
	}
	p := &parser{toks: toks, index: make(map[term]int)}
	root, err := p.exclusion(token{kind: tokEOF})
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		// Every other token continues an expression, so only an unmatched ")" ends one early.
		return nil, &ParseError{Pos: t.pos, Msg: `")" has no matching "("`}
	}
	if err := checkDepth(root, 0); err != nil {
		return nil, err
	}
	r := &Rule{root: root, terms: p.terms, canon: printRule(root)}
	if len(r.canon) > MaxLen {
		return nil, &ParseError{Pos: 1, Msg: fmt.Sprintf("rule is longer than %d bytes once its implicit ANDs and parentheses are written out", MaxLen)}
	}
	return r, nil
}

// charPos returns the 1-based character position of the rune that holds byte offset off.
func charPos(s string, off int) int {
	pos := 0
	for i := range s {
		if i > off {
			break
		}
		pos++
	}
	return pos
}

// parser is a recursive-descent parser, one method per precedence level, loosest first. Each
// method takes the token that made an operand necessary (an operator, a "(", or tokEOF at the
// start of the rule) so that a missing operand is blamed on what asked for it.
type parser struct {
	toks  []token
	i     int
	depth int // parentheses and leading NOTs open around the current token
	terms []term
	index map[term]int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) take() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// exclusion parses `or { NOT or }`: a binary NOT excludes everything on its right from
// everything on its left.
func (p *parser) exclusion(ctx token) (*node, error) {
	left, err := p.or(ctx)
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tokNot {
		not := p.take()
		right, err := p.or(not)
		if err != nil {
			return nil, err
		}
		left = join(opAnd, left, &node{op: opNot, kids: []*node{right}, pos: not.pos})
	}
	return left, nil
}

// or parses `and { OR and }`.
func (p *parser) or(ctx token) (*node, error) {
	left, err := p.and(ctx)
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tokOr {
		or := p.take()
		right, err := p.and(or)
		if err != nil {
			return nil, err
		}
		left = join(opOr, left, right)
	}
	return left, nil
}

// and parses `unary { [AND] unary }`. A NOT after an operand is the binary NOT of the level
// above, not an implicit AND with a leading NOT: that is what makes `A OR B NOT C` exclude C
// from both A and B.
func (p *parser) and(ctx token) (*node, error) {
	left, err := p.unary(ctx)
	if err != nil {
		return nil, err
	}
	for {
		next := p.peek()
		switch next.kind {
		case tokAnd:
			p.take()
		case tokTerm, tokPhrase, tokLParen:
		default:
			return left, nil
		}
		right, err := p.unary(next)
		if err != nil {
			return nil, err
		}
		left = join(opAnd, left, right)
	}
}

// unary parses `NOT unary | primary`.
func (p *parser) unary(ctx token) (*node, error) {
	if p.peek().kind != tokNot {
		return p.primary(ctx)
	}
	not := p.take()
	if err := p.enter(not); err != nil {
		return nil, err
	}
	kid, err := p.unary(not)
	if err != nil {
		return nil, err
	}
	p.depth--
	return &node{op: opNot, kids: []*node{kid}, pos: not.pos}, nil
}

// primary parses a term, a phrase or a parenthesised rule.
func (p *parser) primary(ctx token) (*node, error) {
	t := p.peek()
	switch t.kind {
	case tokTerm, tokPhrase:
		p.take()
		return p.termNode(t), nil
	case tokLParen:
		p.take()
		if err := p.enter(t); err != nil {
			return nil, err
		}
		n, err := p.exclusion(t)
		if err != nil {
			return nil, err
		}
		if end := p.peek(); end.kind != tokRParen {
			return nil, &ParseError{Pos: end.pos, Msg: fmt.Sprintf(`missing closing parenthesis for "(" at position %d`, t.pos)}
		}
		p.take()
		p.depth--
		return n, nil
	}
	return nil, missing(ctx, t)
}

// missing explains why found cannot start the operand that ctx asked for.
func missing(ctx, found token) error {
	switch ctx.kind {
	case tokAnd:
		return &ParseError{Pos: ctx.pos, Msg: "AND needs a term on both sides"}
	case tokOr:
		return &ParseError{Pos: ctx.pos, Msg: "OR needs a term on both sides"}
	case tokNot:
		return &ParseError{Pos: ctx.pos, Msg: "NOT needs a term after it"}
	}
	switch found.kind {
	case tokAnd:
		return &ParseError{Pos: found.pos, Msg: "AND needs a term on both sides"}
	case tokOr:
		return &ParseError{Pos: found.pos, Msg: "OR needs a term on both sides"}
	case tokRParen:
		if ctx.kind == tokLParen {
			return &ParseError{Pos: ctx.pos, Msg: "empty parentheses"}
		}
		return &ParseError{Pos: found.pos, Msg: `")" has no matching "("`}
	case tokEOF:
		if ctx.kind == tokLParen {
			return &ParseError{Pos: found.pos, Msg: fmt.Sprintf(`missing closing parenthesis for "(" at position %d`, ctx.pos)}
		}
		return &ParseError{Pos: found.pos, Msg: "empty rule"}
	}
	return &ParseError{Pos: found.pos, Msg: "expected a term"}
}

// enter counts one more level of nesting at t, refusing too many: the parser recurses once
// per level, and hostile input must not exhaust the stack.
func (p *parser) enter(t token) error {
	p.depth++
	if p.depth > MaxDepth {
		return &ParseError{Pos: t.pos, Msg: fmt.Sprintf("rule nests deeper than %d levels", MaxDepth)}
	}
	return nil
}

func (p *parser) termNode(t token) *node {
	i, ok := p.index[t.term]
	if !ok {
		i = len(p.terms)
		p.terms = append(p.terms, t.term)
		p.index[t.term] = i
	}
	return &node{op: opTerm, pos: t.pos, term: i, text: t.text, quoted: t.kind == tokPhrase}
}

// join makes an And or Or of a and b, flattening kids of the same operator so that
// `A AND (B AND C)` and `(A AND B) AND C` are one rule with one printed form.
func join(o op, a, b *node) *node {
	kids := make([]*node, 0, len(a.kids)+len(b.kids)+2)
	for _, n := range []*node{a, b} {
		if n.op == o {
			kids = append(kids, n.kids...)
		} else {
			kids = append(kids, n)
		}
	}
	return &node{op: o, kids: kids, pos: a.pos}
}

// checkDepth refuses a rule whose operators nest deeper than MaxDepth. The parser's own count
// covers parentheses and leading NOTs as written; this one covers the parsed rule, whose
// printed form puts parentheses around every group inside another operator, so that the
// printed form always parses again.
func checkDepth(n *node, depth int) error {
	if n.op == opTerm {
		return nil
	}
	depth++
	if depth > MaxDepth {
		return &ParseError{Pos: n.pos, Msg: fmt.Sprintf("rule nests deeper than %d levels", MaxDepth)}
	}
	for _, k := range n.kids {
		if err := checkDepth(k, depth); err != nil {
			return err
		}
	}
	return nil
}
