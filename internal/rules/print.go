package rules

import "strings"

// printRule writes n in canonical form: implicit ANDs spelled out, and parentheses around every
// And or Or that sits inside another operator, even where precedence alone would not need
// them, so a reader never has to remember which binds tighter.
func printRule(n *node) string {
	var b strings.Builder
	printNode(&b, n, false)
	return b.String()
}

func printNode(b *strings.Builder, n *node, nested bool) {
	switch n.op {
	case opTerm:
		if n.quoted {
			b.WriteByte('"')
			b.WriteString(n.text)
			b.WriteByte('"')
			return
		}
		b.WriteString(n.text)
	case opNot:
		b.WriteString("NOT ")
		printNode(b, n.kids[0], true)
	case opAnd, opOr:
		sep := " AND "
		if n.op == opOr {
			sep = " OR "
		}
		if nested {
			b.WriteByte('(')
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(sep)
			}
			printNode(b, k, true)
		}
		if nested {
			b.WriteByte(')')
		}
	}
}
