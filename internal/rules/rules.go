// Package rules is Docket's topic rule language: it parses a rule such as
//
//	Aleppo OR Idlib OR (Syria AND (ceasefire OR evacuation OR "peace talks")) NOT "Aleppo pepper"
//
// prints it back in a canonical form, and matches many topics' rules against an item's text in
// one pass.
//
// # Syntax
//
// A rule is made of terms (Aleppo), quoted phrases ("peace talks"), the operators AND, OR and
// NOT (uppercase only: "and", "or" and "not" are ordinary terms), parentheses, and implicit AND
// between adjacent terms. A trailing "*" makes a term or phrase a prefix: Aleppo* matches
// "Aleppo" and "Aleppo's"; "peace talk*" matches "peace talks". Straight and curly double
// quotes both delimit phrases.
//
// Precedence, loosest first: a binary NOT (an exclusion: A OR B NOT C means (A OR B) AND NOT
// C, the way people write exclusions at the end of an alert), then OR, then AND and implicit
// AND, then a leading NOT. Parentheses override. [Rule.String] writes the rule back with
// explicit ANDs and the parentheses that make this precedence visible; parsing that output gives
// the same rule.
//
// # Matching
//
// Rules compare folded text with folded terms ([docket.Fold]: lowercase, accents removed,
// words separated by single spaces), so matching is case- and accent-insensitive and happens on
// word boundaries: Aleppo does not match "Aleppos" unless written Aleppo*. A phrase matches its
// words consecutively within one of the item's title, summary or content, never across two. A
// term containing punctuation (al-Assad, U.N.) matches as the phrase of its folded words ("al
// assad", "u n").
//
// [Compile] builds one [Matcher] over many topics; [Matcher.Match] folds an item's text once,
// runs one Aho-Corasick automaton over it to find which terms occur, and evaluates only the
// rules that those terms, or the absence of every term, can make true.
package rules

import (
	"sync"
)

// Limits on a rule's size. They keep hostile input from costing much to parse, print or
// evaluate; real rules are far smaller.
const (
	// MaxLen is the longest rule accepted, in bytes, both as written and as printed by
	// [Rule.String] (which spells out implicit ANDs), so that every rule Parse accepts can be
	// parsed again from its printed form.
	MaxLen = 4096
	// MaxDepth is the deepest nesting accepted: parentheses and leading NOTs inside one another
	// as written, and And/Or/Not operators inside one another once parsed.
	MaxDepth = 100
)

// Rule is a parsed topic rule. It is immutable and safe for concurrent use.
type Rule struct {
	root  *node
	terms []term // distinct terms, in order of first appearance
	canon string // the canonical printed form

	once    sync.Once
	matcher *Matcher // a one-topic Matcher for Eval, built on first use
}

type op uint8

const (
	opTerm op = iota
	opAnd
	opOr
	opNot
)

// node is one operator or term of a parsed rule. And and Or nodes have two or more kids and
// never a kid of their own kind (the parser flattens them); a Not node has one kid.
type node struct {
	op   op
	kids []*node
	pos  int // 1-based character position of the node's first token, for errors

	// Terms only.
	term   int    // index into Rule.terms
	text   string // as written: a bare term's text, or a phrase's words without the quotes
	quoted bool
}

// term is a word, phrase or prefix that a rule looks for, in folded form.
type term struct {
	folded string // docket.Fold of the term: "peace talks"
	prefix bool   // the last word need only start with folded's last word
}

// key is how a term is shown in Terms and in Result.Terms: its folded form, with a trailing
// "*" for a prefix.
func (t term) key() string {
	if t.prefix {
		return t.folded + "*"
	}
	return t.folded
}

// pattern is what the automaton looks for in text built by appendDocText: the folded term
// between the spaces that mark word boundaries, or with only the leading one for a prefix.
func (t term) pattern() string {
	if t.prefix {
		return " " + t.folded
	}
	return " " + t.folded + " "
}

// String returns the rule in canonical form: terms as written, phrases with their words
// separated by single spaces, implicit ANDs spelled out, and parentheses wherever an AND or OR
// group sits inside another operator. Parse(r.String()) gives the same rule.
func (r *Rule) String() string { return r.canon }

// Terms returns the distinct terms the rule looks for, including those under NOT, in folded
// form ("peace talks"), with a trailing "*" for prefixes ("evacuat*"), in order of first
// appearance.
func (r *Rule) Terms() []string {
	out := make([]string, len(r.terms))
	for i, t := range r.terms {
		out[i] = t.key()
	}
	return out
}

// Eval reports whether the rule holds for d and, if it does, the terms that made it hold, in
// the form Terms uses. It gives the same answer as a [Matcher] compiled from this rule alone,
// which it builds on first use and keeps; to match many rules, Compile them together instead.
func (r *Rule) Eval(d Doc) (bool, []string) {
	r.once.Do(func() {
		r.matcher = Compile([]Topic{{ID: 0, Rule: r}})
	})
	res := r.matcher.Match(d)
	if len(res) == 0 {
		return false, nil
	}
	return true, res[0].Terms
}
