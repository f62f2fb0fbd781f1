package rules

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
)

const designExample = `Aleppo OR Idlib OR (Syria AND (ceasefire OR evacuation OR "peace talks")) NOT "Aleppo pepper"`

func TestParsePrint(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"term", "Aleppo", "Aleppo"},
		{"implicit AND", "Syria ceasefire", "Syria AND ceasefire"},
		{"explicit AND", "Syria AND ceasefire", "Syria AND ceasefire"},
		{"OR chain", "a OR b OR c", "a OR b OR c"},
		{"AND binds tighter than OR", "a OR b c", "a OR (b AND c)"},
		{"parentheses override", "(a OR b) c", "(a OR b) AND c"},
		{"exclusion applies to all before it", "A OR B NOT C", "(A OR B) AND NOT C"},
		{"exclusion of everything after it", "A NOT B OR C", "A AND NOT (B OR C)"},
		{"chained exclusions", "a NOT b NOT c", "a AND NOT b AND NOT c"},
		{"exclusion inside parentheses", "(a NOT b) OR c", "(a AND NOT b) OR c"},
		{"leading NOT binds tightest with AND", "NOT a b", "NOT a AND b"},
		{"leading NOT binds tightest with OR", "NOT a OR b", "NOT a OR b"},
		{"NOT after AND is unary", "a AND NOT b", "a AND NOT b"},
		{"NOT after OR is unary", "a OR NOT b", "a OR NOT b"},
		{"double negation", "NOT NOT a", "NOT NOT a"},
		{"NOT of a group", "NOT (a OR b)", "NOT (a OR b)"},
		{"binary then unary NOT", "a NOT NOT b", "a AND NOT NOT b"},
		{"nested AND flattened", "a AND (b AND c)", "a AND b AND c"},
		{"nested OR flattened", "(a OR b) OR (c OR d)", "a OR b OR c OR d"},
		{"redundant parentheses", "((a))", "a"},
		{"design example", designExample,
			`(Aleppo OR Idlib OR (Syria AND (ceasefire OR evacuation OR "peace talks"))) AND NOT "Aleppo pepper"`},
		{"lowercase operators are terms", "a and b or c not d", "a AND and AND b AND or AND c AND not AND d"},
		{"quoted operator is a term", `"AND" OR x`, `"AND" OR x`},
		{"operator glued to a word is a term", "ANDROID ORDER NOTE", "ANDROID AND ORDER AND NOTE"},
		{"phrase white space collapsed", "\"peace \t\n  talks\"", `"peace talks"`},
		{"phrase white space trimmed", `" peace talks "`, `"peace talks"`},
		{"curly quotes", "“peace talks” OR ”ceasefire“", `"peace talks" OR "ceasefire"`},
		{"prefix", "evacuat*", "evacuat*"},
		{"phrase prefix", `"peace talk*"`, `"peace talk*"`},
		{"punctuation kept as written", "al-Assad OR U.N.", "al-Assad OR U.N."},
		{"other scripts", "حلب OR Ḥalab OR Zoë", "حلب OR Ḥalab OR Zoë"},
		{"parenthesis glued to a term", "a(b)", "a AND b"},
		{"phrase glued to a term", `"a"b`, `"a" AND b`},
		{"white space of any kind", "a\u00a0OR\tb\nc", "a OR (b AND c)"},
		{"exactly the maximum nesting", strings.Repeat("(", MaxDepth) + "a" + strings.Repeat(")", MaxDepth), "a"},
		{"exactly the maximum NOTs", strings.Repeat("NOT ", MaxDepth) + "a", strings.Repeat("NOT ", MaxDepth) + "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if got := r.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.src, got, tt.want)
			}
			again, err := Parse(r.String())
			if err != nil {
				t.Fatalf("Parse(%q) of the printed form: %v", r.String(), err)
			}
			if got, want := dump(again), dump(r); got != want {
				t.Errorf("printed form parses to %s, want %s", got, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	// 51 levels of `(x OR y ...)`: 51 parentheses, but an Or and an And per level.
	var deepAST strings.Builder
	for range 51 {
		deepAST.WriteString("(x OR y ")
	}
	deepAST.WriteString("a")
	deepAST.WriteString(strings.Repeat(")", 51))

	tests := []struct {
		name, src string
		pos       int
		msg       string
	}{
		{"empty", "", 1, "empty rule"},
		{"only white space", " \t\n", 1, "empty rule"},
		{"missing closing parenthesis", "A OR (B AND C", 14, `missing closing parenthesis for "(" at position 6`},
		{"missing closing parenthesis, outer", "(a OR (b) c", 12, `missing closing parenthesis for "(" at position 1`},
		{"lone opening parenthesis", "(", 2, `missing closing parenthesis for "(" at position 1`},
		{"unmatched closing parenthesis", "a)", 2, `")" has no matching "("`},
		{"lone closing parenthesis", ")", 1, `")" has no matching "("`},
		{"extra closing parenthesis", "(a))", 4, `")" has no matching "("`},
		{"empty parentheses", "a ()", 3, "empty parentheses"},
		{"unterminated phrase", `"peace talks`, 1, "unterminated phrase"},
		{"unterminated phrase after a term", `a "b`, 3, "unterminated phrase"},
		{"empty phrase", `a ""`, 3, "empty phrase"},
		{"blank phrase", `" "`, 1, "empty phrase"},
		{"NOT alone", "NOT", 1, "NOT needs a term after it"},
		{"binary NOT at the end", "a NOT", 3, "NOT needs a term after it"},
		{"unary NOT at the end", "a AND NOT", 7, "NOT needs a term after it"},
		{"NOT before a closing parenthesis", "(a NOT) b", 4, "NOT needs a term after it"},
		{"NOT before OR", "NOT OR a", 1, "NOT needs a term after it"},
		{"OR at the start", "OR a", 1, "OR needs a term on both sides"},
		{"OR at the end", "a OR", 3, "OR needs a term on both sides"},
		{"OR twice", "a OR OR b", 3, "OR needs a term on both sides"},
		{"OR before a closing parenthesis", "(a OR) b", 4, "OR needs a term on both sides"},
		{"OR after an opening parenthesis", "(OR a)", 2, "OR needs a term on both sides"},
		{"AND alone", "AND", 1, "AND needs a term on both sides"},
		{"AND at the end", "a AND", 3, "AND needs a term on both sides"},
		{"AND then OR", "a AND OR b", 3, "AND needs a term on both sides"},
		{"star inside a term", "a*b", 2, `"*" must end a term`},
		{"two stars", "a**", 2, `"*" must end a term`},
		{"star inside a phrase", `"peace * talks"`, 8, `"*" must end a term`},
		{"star alone", "a *", 3, `"*" must follow a letter or digit`},
		{"star after punctuation", "al-*", 4, `"*" must follow a letter or digit`},
		{"star after a space in a phrase", `"peace *"`, 8, `"*" must follow a letter or digit`},
		{"star after a phrase", `"peace talk"*`, 13, `"*" goes inside the quotes to match a prefix of a phrase`},
		{"term without letters", "a OR --", 6, `term "--" has no letters or digits`},
		{"phrase without letters", `"..."`, 1, `phrase "..." has no letters or digits`},
		{"control character", "a \x00b", 3, "control character U+0000 not allowed"},
		{"control character in a phrase", "\"a\x7f\"", 3, "control character U+007F not allowed"},
		{"invalid UTF-8", "a \xff", 3, "invalid UTF-8"},
		{"positions count characters, not bytes", "Ḥalab حلب OR", 11, "OR needs a term on both sides"},
		{"too long", strings.Repeat("a ", MaxLen/2+1), MaxLen + 1, "rule is longer than 4096 bytes"},
		{"too long once written out", strings.Repeat("a ", MaxLen/4), 1,
			"rule is longer than 4096 bytes once its implicit ANDs and parentheses are written out"},
		{"parentheses too deep", strings.Repeat("(", MaxDepth+1) + "a" + strings.Repeat(")", MaxDepth+1),
			MaxDepth + 1, "rule nests deeper than 100 levels"},
		{"NOTs too deep", strings.Repeat("NOT ", MaxDepth+1) + "a", 4*MaxDepth + 1, "rule nests deeper than 100 levels"},
		{"operators too deep", deepAST.String(), 8*50 + 2, "rule nests deeper than 100 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.src)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", tt.src, r)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v (%T), want a *ParseError", tt.src, err, err)
			}
			if pe.Pos != tt.pos || pe.Msg != tt.msg {
				t.Errorf("Parse(%q) error at %d %q, want at %d %q", tt.src, pe.Pos, pe.Msg, tt.pos, tt.msg)
			}
		})
	}
}

func TestParseErrorIsInvalid(t *testing.T) {
	_, err := Parse("A OR (B AND C")
	want := `rule: position 14: missing closing parenthesis for "(" at position 6`
	if err == nil || err.Error() != want {
		t.Fatalf("Parse error = %v, want %s", err, want)
	}
	var de *docket.Error
	if !errors.As(err, &de) {
		t.Fatalf("errors.As(%v, *docket.Error) = false, want true", err)
	}
	if de.Code != docket.EINVALID || de.Field != "rule" || de.Message != want {
		t.Errorf("docket.Error = {%q %q %q}, want {%q %q %q}", de.Code, de.Field, de.Message, docket.EINVALID, "rule", want)
	}
	if got := docket.ErrorCode(err); got != docket.EINVALID {
		t.Errorf("docket.ErrorCode = %q, want %q", got, docket.EINVALID)
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"design example", designExample,
			[]string{"aleppo", "idlib", "syria", "ceasefire", "evacuation", "peace talks", "aleppo pepper"}},
		{"folded and distinct", `Aleppo OR ALEPPO OR "Peace  Talks" OR Zoë OR Zoe`, []string{"aleppo", "peace talks", "zoe"}},
		{"prefixes keep their star", `evacuat* OR evacuat OR "peace talk*"`, []string{"evacuat*", "evacuat", "peace talk*"}},
		{"punctuation folds to phrases", "al-Assad U.N.", []string{"al assad", "u n"}},
		{"terms under NOT", "NOT pepper", []string{"pepper"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if got := r.Terms(); !slices.Equal(got, tt.want) {
				t.Errorf("Terms() = %q, want %q", got, tt.want)
			}
		})
	}
}

// dump writes a rule's tree with each term's folded form, so tests can compare structure
// and not only the printed text.
func dump(r *Rule) string {
	var b strings.Builder
	var walk func(n *node)
	walk = func(n *node) {
		switch n.op {
		case opTerm:
			b.WriteString(r.terms[n.term].key())
			if n.quoted {
				b.WriteString("(q)")
			}
			return
		case opNot:
			b.WriteString("not")
		case opAnd:
			b.WriteString("and")
		case opOr:
			b.WriteString("or")
		}
		b.WriteByte('[')
		for i, k := range n.kids {
			if i > 0 {
				b.WriteByte(' ')
			}
			walk(k)
		}
		b.WriteByte(']')
	}
	walk(r.root)
	return b.String()
}
