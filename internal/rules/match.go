package rules

import (
	"bytes"
	"cmp"
	"math/bits"
	"slices"
	"sync"

	"github.com/coregx/ahocorasick"
)

// Doc is the text of an item that rules match: plain text, already stripped of HTML. Bytes
// that are not UTF-8 count as word breaks.
type Doc struct {
	Title, Summary, Content string
}

// Topic is a rule to match, under the ID that results report. A Topic with a nil Rule never
// matches (a topic curated by hand only).
type Topic struct {
	ID   int64
	Rule *Rule
}

// Result is a topic whose rule holds for a Doc. Terms are the terms that made it hold, in the
// folded form [Rule.Terms] uses ("peace talks", "evacuat*"), each once, in the order the rule
// names them: the terms found in the parts of the rule that are true. A term under NOT is never
// among them, and a rule that holds because nothing it excludes occurs (NOT x) has none.
type Result struct {
	TopicID int64
	Terms   []string
}

// Matcher matches many topics' rules against a Doc at once. It is immutable once built and
// safe for concurrent use; it must not be copied.
type Matcher struct {
	// ac finds every term at once: the distinct terms of all the rules, pattern i being term
	// i. It is nil when there are no terms or the library refused them (see Compile).
	ac       *ahocorasick.Automaton
	patterns [][]byte  // by term: what ac looks for, see term.pattern
	keys     []string  // by term: what Result.Terms shows
	postings [][]int32 // by term: the topics to evaluate when it is found
	topics   []compiledTopic
	// emptyTrue marks the topics whose rule holds when none of its terms occurs (NOT x):
	// those still match a Doc that no term touches.
	emptyTrue []uint64
	pool      sync.Pool // of *scratch
}

type compiledTopic struct {
	id   int64
	prog []instr // the rule's nodes in preorder, a window on one array shared by all topics
}

// instr is a node of a rule laid out in preorder: an operator is followed by its kids. The
// programs of all topics sit in one array, so evaluating them does not chase pointers around
// the heap, and an operator records where its subtree ends so that evaluation can skip the
// kids it does not need.
type instr struct {
	op  op
	n   uint16 // kids of an AND or OR; the parser's length limit keeps it below 2048
	arg int32  // a term: its index in the Matcher; an operator: the index after its subtree
}

// next returns the index of the instr after the subtree at prog[i].
func next(prog []instr, i int32) int32 {
	if prog[i].op == opTerm {
		return i + 1
	}
	return prog[i].arg
}

// scratch is one Match call's working memory, pooled so that matching allocates little.
type scratch struct {
	text    []byte
	found   []uint64 // bit set of the terms found
	foundIx []int32  // the same terms as a list, to clear found and walk the postings
	touched []uint64 // bit set of the topics posted under a found term
	seen    []uint64 // bit set of terms, to drop repeated reasons
	reasons []int32  // the terms that made each matching topic hold, topic after topic
	hits    []hit
}

type hit struct {
	topic      int
	start, end int // reasons[start:end] are the topic's terms
}

// maxPooledText is the largest text buffer kept for reuse, so that one huge item does not pin
// its memory for the life of the Matcher.
const maxPooledText = 1 << 20

// Compile builds a Matcher for topics. Results come sorted by topic ID; Topic IDs should be
// distinct, as each Topic given is reported on its own. Compiling costs far more than matching
// one item (see BenchmarkCompile), so build a Matcher when topics change and share it.
func Compile(topics []Topic) *Matcher {
	sorted := make([]Topic, 0, len(topics))
	for _, t := range topics {
		if t.Rule != nil {
			sorted = append(sorted, t)
		}
	}
	slices.SortStableFunc(sorted, func(a, b Topic) int { return cmp.Compare(a.ID, b.ID) })

	m := &Matcher{
		topics:    make([]compiledTopic, len(sorted)),
		emptyTrue: make([]uint64, words(len(sorted))),
	}
	index := make(map[term]int32)
	var progs []instr
	bounds := make([]int, len(sorted)+1)
	for ti, t := range sorted {
		local := make([]int32, len(t.Rule.terms)) // the rule's term index → the Matcher's
		for li, tm := range t.Rule.terms {
			gi, ok := index[tm]
			if !ok {
				gi = int32(len(m.keys))
				index[tm] = gi
				m.keys = append(m.keys, tm.key())
				m.patterns = append(m.patterns, []byte(tm.pattern()))
				m.postings = append(m.postings, nil)
			}
			local[li] = gi
		}
		progs = compileNode(progs, bounds[ti], t.Rule.root, local)
		bounds[ti+1] = len(progs)
		// Post the topic under its triggers, or under all its terms if it has none: either
		// way, a topic not reached through the postings of the found terms needs no
		// evaluation, its value being known (see Match).
		root := t.Rule.root
		post, ok := triggers(root, nil)
		if !ok {
			post = post[:0]
			for li := range t.Rule.terms {
				post = append(post, li)
			}
			if holdsWithoutTerms(root) {
				m.emptyTrue[ti/64] |= 1 << (ti % 64)
			}
		}
		slices.Sort(post)
		for _, li := range slices.Compact(post) {
			gi := local[li]
			m.postings[gi] = append(m.postings[gi], int32(ti))
		}
	}
	for ti, t := range sorted {
		m.topics[ti] = compiledTopic{id: t.ID, prog: progs[bounds[ti]:bounds[ti+1]:bounds[ti+1]]}
	}
	if len(m.patterns) > 0 {
		// Build fails only for no patterns or an empty one, and every pattern holds at least
		// a space and a letter. Were it to fail anyway, Match would look for the patterns one
		// by one: slower, same answer.
		if ac, err := ahocorasick.NewBuilder().AddPatterns(m.patterns).Build(); err == nil {
			m.ac = ac
		}
	}
	nTerms, nTopics := len(m.keys), len(m.topics)
	m.pool.New = func() any {
		return &scratch{
			found:   make([]uint64, words(nTerms)),
			seen:    make([]uint64, words(nTerms)),
			touched: make([]uint64, words(nTopics)),
		}
	}
	return m
}

func words(bits int) int { return (bits + 63) / 64 }

// compileNode appends n in preorder to prog, whose program for the current topic starts at
// base, with terms numbered as in the Matcher.
func compileNode(prog []instr, base int, n *node, local []int32) []instr {
	if n.op == opTerm {
		return append(prog, instr{op: opTerm, arg: local[n.term]})
	}
	at := len(prog)
	prog = append(prog, instr{op: n.op, n: uint16(len(n.kids))})
	for _, k := range n.kids {
		prog = compileNode(prog, base, k, local)
	}
	prog[at].arg = int32(len(prog) - base)
	return prog
}

// triggers appends to dst the rule-local terms of which at least one must occur for n to
// hold, and reports whether there is such a set: a term is its own trigger; an OR needs one of
// its kids' triggers; an AND needs the triggers of any one kid, so it takes the smallest set to
// evaluate as few topics as possible; NOT NOT x needs x's. A NOT otherwise has none, since it
// holds when something is absent.
func triggers(n *node, dst []int) ([]int, bool) {
	switch n.op {
	case opTerm:
		return append(dst, n.term), true
	case opNot:
		if k := n.kids[0]; k.op == opNot {
			return triggers(k.kids[0], dst)
		}
		return dst, false
	case opOr:
		for _, k := range n.kids {
			var ok bool
			if dst, ok = triggers(k, dst); !ok {
				return dst, false
			}
		}
		return dst, true
	default: // opAnd
		var best []int
		found := false
		for _, k := range n.kids {
			if t, ok := triggers(k, nil); ok && (!found || len(t) < len(best)) {
				best, found = t, true
			}
		}
		return append(dst, best...), found
	}
}

// holdsWithoutTerms reports whether n holds for a text in which none of its terms occurs.
func holdsWithoutTerms(n *node) bool {
	switch n.op {
	case opTerm:
		return false
	case opNot:
		return !holdsWithoutTerms(n.kids[0])
	case opAnd:
		for _, k := range n.kids {
			if !holdsWithoutTerms(k) {
				return false
			}
		}
		return true
	default: // opOr
		for _, k := range n.kids {
			if holdsWithoutTerms(k) {
				return true
			}
		}
		return false
	}
}

// Match returns the topics whose rule holds for d, sorted by topic ID, or nil if none does.
// It folds d once, makes one pass over the folded text to find every term of every topic, and
// then evaluates only the topics posted under a found term. A topic with triggers that none
// of them reached cannot hold; one without triggers that none of its terms reached holds
// exactly when its rule holds with no term at all, which Compile worked out beforehand.
func (m *Matcher) Match(d Doc) []Result {
	s := m.pool.Get().(*scratch)
	defer m.release(s)

	s.text = appendDocText(s.text[:0], d)
	m.findTerms(s)
	for _, g := range s.foundIx {
		for _, ti := range m.postings[g] {
			s.touched[ti/64] |= 1 << (ti % 64)
		}
	}

	for w, touched := range s.touched {
		for set := touched | m.emptyTrue[w]; set != 0; set &= set - 1 {
			b := bits.TrailingZeros64(set)
			ti := w*64 + b
			start := len(s.reasons)
			if touched&(1<<b) != 0 {
				// Most topics evaluated do not hold: find that out cheaply, then explain
				// the ones that do.
				if !s.holds(m.topics[ti].prog, 0) {
					continue
				}
				s.explain(m.topics[ti].prog, 0)
				s.dedupe(start)
			}
			s.hits = append(s.hits, hit{topic: ti, start: start, end: len(s.reasons)})
		}
		s.touched[w] = 0
	}
	if len(s.hits) == 0 {
		return nil
	}

	// One allocation for the results and one for all their terms.
	res := make([]Result, len(s.hits))
	terms := make([]string, len(s.reasons))
	for i, g := range s.reasons {
		terms[i] = m.keys[g]
	}
	for i, h := range s.hits {
		res[i] = Result{TopicID: m.topics[h.topic].id}
		if h.end > h.start {
			res[i].Terms = terms[h.start:h.end:h.end]
		}
	}
	return res
}

func (m *Matcher) release(s *scratch) {
	for _, g := range s.foundIx {
		s.found[g/64] = 0
	}
	s.foundIx = s.foundIx[:0]
	s.reasons = s.reasons[:0]
	s.hits = s.hits[:0]
	if cap(s.text) > maxPooledText {
		s.text = nil
	}
	m.pool.Put(s)
}

// findTerms marks in s every term whose pattern occurs in s.text. Patterns carry their word
// boundaries (see term.pattern), so every occurrence is a real one; overlapping matches are
// needed because "aleppo" and "aleppo pepper" start at the same place.
func (m *Matcher) findTerms(s *scratch) {
	if m.ac != nil {
		for _, mt := range m.ac.FindAllOverlapping(s.text) {
			s.mark(int32(mt.PatternID))
		}
		return
	}
	for g, p := range m.patterns {
		if bytes.Contains(s.text, p) {
			s.mark(int32(g))
		}
	}
}

func (s *scratch) mark(g int32) {
	if s.found[g/64]&(1<<(g%64)) == 0 {
		s.found[g/64] |= 1 << (g % 64)
		s.foundIx = append(s.foundIx, g)
	}
}

func (s *scratch) isFound(g int32) bool { return s.found[g/64]&(1<<(g%64)) != 0 }

// holds reports whether the subtree at prog[i] holds given the terms found in s, looking at
// no more kids than it must.
func (s *scratch) holds(prog []instr, i int32) bool {
	in := prog[i]
	switch in.op {
	case opTerm:
		return s.isFound(in.arg)
	case opNot:
		return !s.holds(prog, i+1)
	}
	// The kid value that decides the result on its own: true for OR, false for AND.
	decisive := in.op == opOr
	for k, j := 0, i+1; k < int(in.n); k++ {
		if s.holds(prog, j) == decisive {
			return decisive
		}
		j = next(prog, j)
	}
	return !decisive
}

// explain reports whether the subtree at prog[i] holds, and leaves in s.reasons the found
// terms that make it so: for a term, itself if found; for NOT, its kid's reasons (a NOT is
// true because of what its kid lacks, false because of what its kid has); for AND and OR, the
// reasons of the kids that agree with the result — all kids of a true AND, the false ones of
// a false AND, which matter only under a NOT, and the mirror image for OR. At the top, where
// the rule holds, that leaves exactly the terms found in the parts of the rule that are true.
func (s *scratch) explain(prog []instr, i int32) bool {
	in := prog[i]
	switch in.op {
	case opTerm:
		if !s.isFound(in.arg) {
			return false
		}
		s.reasons = append(s.reasons, in.arg)
		return true
	case opNot:
		return !s.explain(prog, i+1)
	}
	decisive := in.op == opOr
	mark := len(s.reasons)
	decided := false
	for k, j := 0, i+1; k < int(in.n); k++ {
		start := len(s.reasons)
		v := s.explain(prog, j)
		switch {
		case v == decisive && !decided:
			// The first deciding kid: the reasons of the kids before it no longer count.
			decided = true
			n := copy(s.reasons[mark:], s.reasons[start:])
			s.reasons = s.reasons[:mark+n]
		case v != decisive && decided:
			s.reasons = s.reasons[:start]
		}
		j = next(prog, j)
	}
	return decided == decisive
}

// dedupe drops repeated terms from s.reasons[start:], keeping the first of each.
func (s *scratch) dedupe(start int) {
	out := start
	for _, g := range s.reasons[start:] {
		if s.seen[g/64]&(1<<(g%64)) != 0 {
			continue
		}
		s.seen[g/64] |= 1 << (g % 64)
		s.reasons[out] = g
		out++
	}
	for _, g := range s.reasons[start:out] {
		s.seen[g/64] = 0
	}
	s.reasons = s.reasons[:out]
}
