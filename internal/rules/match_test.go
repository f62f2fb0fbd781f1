package rules

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
)

func TestEval(t *testing.T) {
	title := func(s string) Doc { return Doc{Title: s} }
	tests := []struct {
		name  string
		rule  string
		doc   Doc
		want  bool
		terms []string
	}{
		{"case", "aleppo", title("ALEPPO under siege"), true, []string{"aleppo"}},
		{"accent in the rule", "Ḥalab", title("Shelling near Halab"), true, []string{"halab"}},
		{"accent in the text", "Halab", title("Shelling near Ḥalab"), true, []string{"halab"}},
		{"decomposed accent in the text", "Zoë", title("Zoe\u0308 Smith MP"), true, []string{"zoe"}},
		{"accent in both", "Zoë", title("ZOË SMITH"), true, []string{"zoe"}},
		{"other scripts", "حلب", Doc{Content: "قصف حلب الليلة"}, true, []string{"حلب"}},
		{"digits", "2254", title("Resolution 2254 adopted"), true, []string{"2254"}},
		{"whole words only", "Aleppo", title("Aleppos of the mind"), false, nil},
		{"not inside a word", "leppo", title("Aleppo"), false, nil},
		{"prefix", "Aleppo*", title("Aleppos of the mind"), true, []string{"aleppo*"}},
		{"prefix matches the word itself", "evacuat*", title("evacuat"), true, []string{"evacuat*"}},
		{"prefix needs a word start", "lepp*", title("Aleppo"), false, nil},
		{"possessive", "Aleppo", title("Aleppo's hospitals"), true, []string{"aleppo"}},
		{"curly possessive", "Aleppo", title("Aleppo’s hospitals"), true, []string{"aleppo"}},
		{"soft hyphen inside a word", "Aleppo", title("Alep\u00adpo’s hospitals"), true, []string{"aleppo"}},
		{"punctuation after", "Aleppo", title("In Aleppo."), true, []string{"aleppo"}},
		{"phrase", `"peace talks"`, title("Syria peace talks resume"), true, []string{"peace talks"}},
		{"phrase words out of order", `"peace talks"`, title("talks of peace"), false, nil},
		{"phrase words apart", `"peace talks"`, title("peace and talks"), false, nil},
		{"phrase over punctuation", `"peace talks"`, Doc{Content: "They want peace. Talks begin."}, true, []string{"peace talks"}},
		{"phrase not across title and summary", `"peace talks"`, Doc{Title: "Hopes for peace", Summary: "Talks resume in Geneva"}, false, nil},
		{"phrase not across summary and content", `"peace talks"`, Doc{Summary: "Hopes for peace", Content: "Talks resume"}, false, nil},
		{"phrase in the content", `"peace talks"`, Doc{Title: "Geneva", Summary: "News", Content: "the peace talks"}, true, []string{"peace talks"}},
		{"words of a rule in different fields", "Syria ceasefire", Doc{Title: "Syria", Content: "a ceasefire"}, true, []string{"syria", "ceasefire"}},
		{"phrase prefix", `"peace talk*"`, title("peace talkers meet"), true, []string{"peace talk*"}},
		{"hyphenated term", "al-Assad", title("Bashar al Assad speaks"), true, []string{"al assad"}},
		{"hyphenated term, hyphenated text", "al-Assad", title("al-Assad's forces"), true, []string{"al assad"}},
		{"dotted abbreviation", "U.N.", title("the U.N. envoy"), true, []string{"u n"}},
		{"dotted abbreviation is two words", "U.N.", title("UN envoy"), false, nil},
		{"lowercase and is a term", "war and peace", title("war and peace"), true, []string{"war", "and", "peace"}},
		{"lowercase and must occur", "war and peace", title("war, peace"), false, nil},
		{"exclusion", "Aleppo NOT pepper", title("Aleppo pepper prices soar"), false, nil},
		{"exclusion absent", "Aleppo NOT pepper", title("Aleppo siege"), true, []string{"aleppo"}},
		{"only negative, absent", "NOT pepper", title("Aleppo siege"), true, nil},
		{"only negative, present", "NOT pepper", title("pepper"), false, nil},
		{"only negative, empty doc", "NOT pepper", Doc{}, true, nil},
		{"empty doc", "aleppo", Doc{}, false, nil},
		{"double negation", "NOT NOT aleppo", title("aleppo"), true, []string{"aleppo"}},
		{"reason under double negation", "NOT (a AND NOT b)", title("a b"), true, []string{"b"}},
		{"reason under double negation, other branch false", "NOT (a AND NOT b)", title("b"), true, []string{"b"}},
		{"no reason under single negation", "NOT (a AND b)", title("b"), true, nil},
		{"all true OR branches", "aleppo OR idlib", title("Aleppo and Idlib"), true, []string{"aleppo", "idlib"}},
		{"false AND branch gives no terms", "(syria AND ceasefire) OR aleppo", title("Syria: Aleppo"), true, []string{"aleppo"}},
		{"repeated term once", "aleppo OR (aleppo AND syria)", title("Aleppo, Syria"), true, []string{"aleppo", "syria"}},
		{"term repeated in the text", "aleppo", title("aleppo aleppo aleppo"), true, []string{"aleppo"}},
		{"overlapping terms", `aleppo "aleppo pepper" pepper`, title("aleppo pepper"), true, []string{"aleppo", "aleppo pepper", "pepper"}},

		// The example rule of DESIGN.md on headlines.
		{"example: pepper", designExample, title("Aleppo pepper prices soar"), false, nil},
		{"example: envoy", designExample, title("UN envoy welcomes Syria ceasefire"), true, []string{"syria", "ceasefire"}},
		{"example: Idlib", designExample, title("Idlib: shelling resumes overnight"), true, []string{"idlib"}},
		{"example: peace talks", designExample, title("Syria peace talks stall in Geneva"), true, []string{"syria", "peace talks"}},
		{"example: Syria alone", designExample, title("Syria's economy shrinks again"), false, nil},
		{"example: excluded despite Idlib", designExample, title("Recipe: Aleppo pepper chicken, Idlib style"), false, nil},
		{"example: evacuation without Syria", designExample, title("Evacuation of Mosul begins"), false, nil},
		{"example: Aleppo evacuation", designExample,
			Doc{Title: "Evacuation of eastern Aleppo begins", Summary: "Buses leave the city", Content: "The UN said Syria agreed."},
			true, []string{"aleppo", "syria", "evacuation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.rule)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.rule, err)
			}
			got, terms := r.Eval(tt.doc)
			if got != tt.want || !slices.Equal(terms, tt.terms) {
				t.Errorf("Parse(%q).Eval(%+v) = %v %q, want %v %q", tt.rule, tt.doc, got, terms, tt.want, tt.terms)
			}
			refGot, refTerms := refEval(r, tt.doc)
			if refGot != tt.want || !slices.Equal(refTerms, tt.terms) {
				t.Errorf("refEval = %v %q, want %v %q", refGot, refTerms, tt.want, tt.terms)
			}
		})
	}
}

func mustParse(t testing.TB, src string) *Rule {
	t.Helper()
	r, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return r
}

func TestMatcher(t *testing.T) {
	topics := []Topic{
		{ID: 30, Rule: mustParse(t, designExample)},
		{ID: 10, Rule: mustParse(t, `Aleppo* OR Ḥalab OR حلب`)},
		{ID: 20, Rule: mustParse(t, `NOT (pepper OR recipe*)`)},
		{ID: 40, Rule: nil},
		{ID: 50, Rule: mustParse(t, `"peace talks" Geneva`)},
	}
	m := Compile(topics)
	tests := []struct {
		name string
		doc  Doc
		want []Result
	}{
		{"nothing found", Doc{Title: "Budget statement"}, []Result{{TopicID: 20}}},
		{"empty doc", Doc{}, []Result{{TopicID: 20}}},
		{"several topics, sorted by ID", Doc{Title: "Aleppo’s evacuation", Summary: "Syria peace talks in Geneva"},
			[]Result{
				{TopicID: 10, Terms: []string{"aleppo*"}},
				{TopicID: 20},
				{TopicID: 30, Terms: []string{"aleppo", "syria", "evacuation", "peace talks"}},
				{TopicID: 50, Terms: []string{"peace talks", "geneva"}},
			}},
		{"exclusions", Doc{Title: "Aleppo pepper recipes"}, []Result{{TopicID: 10, Terms: []string{"aleppo*"}}}},
		{"prefix only", Doc{Title: "Aleppovision festival"}, []Result{{TopicID: 10, Terms: []string{"aleppo*"}}, {TopicID: 20}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Match(tt.doc)
			if !equalResults(got, tt.want) {
				t.Errorf("Match(%+v) = %v, want %v", tt.doc, got, tt.want)
			}
		})
	}
}

func TestMatcherWithoutTopics(t *testing.T) {
	for _, topics := range [][]Topic{nil, {{ID: 1}}} {
		if got := Compile(topics).Match(Doc{Title: "Aleppo"}); got != nil {
			t.Errorf("Compile(%v).Match = %v, want nil", topics, got)
		}
	}
}

// TestMatcherWithoutAutomaton checks the search Match falls back on if the automaton could not
// be built.
func TestMatcherWithoutAutomaton(t *testing.T) {
	topics := []Topic{
		{ID: 1, Rule: mustParse(t, designExample)},
		{ID: 2, Rule: mustParse(t, `Aleppo* NOT recipe`)},
	}
	fast := Compile(topics)
	slow := Compile(topics)
	slow.ac = nil
	for _, d := range []Doc{
		{Title: "Aleppo pepper prices soar"},
		{Title: "UN envoy welcomes Syria ceasefire", Content: "Aleppine recipe"},
		{Title: "Aleppos"},
	} {
		if got, want := slow.Match(d), fast.Match(d); !equalResults(got, want) {
			t.Errorf("without automaton Match(%+v) = %v, want %v", d, got, want)
		}
	}
}

func TestMatcherConcurrent(t *testing.T) {
	topics := benchTopics(50, 1)
	m := Compile(topics)
	docs := benchDocs(200, 1)
	want := make([][]Result, len(docs))
	for i, d := range docs {
		want[i] = m.Match(d)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := range docs {
				j := (i + w*25) % len(docs)
				if got := m.Match(docs[j]); !equalResults(got, want[j]) {
					errs <- fmt.Sprintf("worker %d doc %d: got %v, want %v", w, j, got, want[j])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestMatchRandomRules compares the Matcher and Eval with refEval on random rules, deeper and more
// varied than fuzzing byte strings tends to make, over texts of the same few words so that
// every operator meets both found and missing terms.
func TestMatchRandomRules(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"a", "b", "cc", "ccd", "d e"}
	var gen func(depth int) string
	gen = func(depth int) string {
		if depth == 0 || r.IntN(3) == 0 {
			w := words[r.IntN(len(words))]
			switch {
			case strings.Contains(w, " "):
				return `"` + w + `"`
			case r.IntN(4) == 0:
				return w + "*"
			}
			return w
		}
		switch r.IntN(5) {
		case 0:
			return "NOT " + gen(depth-1)
		case 1:
			return "(" + gen(depth-1) + " " + gen(depth-1) + ")"
		case 2:
			return "(" + gen(depth-1) + " OR " + gen(depth-1) + " OR " + gen(depth-1) + ")"
		case 3:
			return "(" + gen(depth-1) + " NOT " + gen(depth-1) + ")"
		default:
			return "(" + gen(depth-1) + " AND " + gen(depth-1) + ")"
		}
	}
	text := func() string {
		var b strings.Builder
		for range r.IntN(5) {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		return b.String()
	}
	for i := range 200 {
		topics := make([]Topic, 8)
		for j := range topics {
			topics[j] = Topic{ID: int64(j), Rule: mustParse(t, gen(4))}
		}
		m := Compile(topics)
		for range 10 {
			d := Doc{Title: text(), Summary: text(), Content: text()}
			var want []Result
			for _, tp := range topics {
				wantOK, wantTerms := refEval(tp.Rule, d)
				if wantOK {
					want = append(want, Result{TopicID: tp.ID, Terms: wantTerms})
				}
				if ok, terms := tp.Rule.Eval(d); ok != wantOK || !slices.Equal(terms, wantTerms) {
					t.Fatalf("case %d, rule %q, doc %+v: Eval = %v %q, want %v %q", i, tp.Rule, d, ok, terms, wantOK, wantTerms)
				}
			}
			if got := m.Match(d); !equalResults(got, want) {
				t.Fatalf("case %d, doc %+v: Match = %v, want %v; rules:\n%v", i, d, got, want, topics)
			}
		}
	}
}

func TestAppendFold(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"ascii", "Aleppo's  CEASE-FIRE, 2016!"},
		{"accents", "Ḥalab Zoë Zoe\u0308 straße Łódź"},
		{"curly quotes", "Aleppo’s “peace talks”"},
		{"dashes and ellipsis", "2016–2017 Aleppo—Idlib… «Zoë»\u00a0x"},
		{"break runes around accented words", "’Zoë’ café’s ’’"},
		{"word folding to nothing", "a \u0301 b \u0301’ c"},
		{"Latin letters folded one by one", "Türkiye Erdoğan Ḥalab ØRESUND straße Œuvre"},
		{"Latin letter with a break in its decomposition", "Ŀa aĿ Ŀ"},
		{"Latin and other letters in one word", "Zoëα жé"},
		{"other scripts", "قصف حلب 東京 Москва"},
		{"leading and trailing separators", "  --Aleppo--  "},
		{"mark after a separator", "x-\u0301y"},
		{"compatibility forms", "ﬁnal ½ ①"},
		{"invalid UTF-8", "a\xffb \xe2(c"},
		// docket.Fold alone gives "ae" here, but "ǽ" without the zeros: normalization
		// treats the stray byte differently depending on what comes before it.
		{"invalid UTF-8 before a letter to normalize", "000000000000000000000000000000000000000000000000\xf3ǽ 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := string(appendFold(nil, tt.in)), refFold(tt.in); got != want {
				t.Errorf("appendFold(%q) = %q, want docket.Fold's %q", tt.in, got, want)
			}
		})
	}
}

// TestAppendFoldRandom compares appendFold with docket.Fold on random strings of the
// characters whose handling differs: ASCII, Latin letters folded one by one or not, combining
// marks, break runes, other scripts, compatibility forms and stray bytes.
func TestAppendFoldRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "Z", "7", " ", "-", "'", "é", "Ø", "ß", "Ḥ", "ğ", "Ŀ", "ǅ", "×", "\u0301", "\u0308",
		"’", "—", "\u00a0", "«", "α", "ж", "ح", "東", "ﬁ", "½", "\xff", "\xe2", "İ", "ı"}
	for range 20000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		in := b.String()
		if got, want := string(appendFold(nil, in)), refFold(in); got != want {
			t.Fatalf("appendFold(%q) = %q, want docket.Fold's %q", in, got, want)
		}
	}
}

// TestBreakRunes checks that the characters appendFold treats as word breaks without asking
// docket.Fold are word breaks for docket.Fold.
func TestBreakRunes(t *testing.T) {
	for _, r := range breakRunes {
		t.Run(fmt.Sprintf("%U", r), func(t *testing.T) {
			in := "a" + string(r) + "b " + string(r) + "\u0301c"
			if got, want := docket.Fold(in), "a b c"; got != want {
				t.Errorf("docket.Fold(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

// TestLatinFold checks every letter appendFold folds by itself against docket.Fold of a word
// holding it between other letters, and that the table covers the letters it is for.
func TestLatinFold(t *testing.T) {
	for _, r := range []rune{'é', 'ë', 'ü', 'ç', 'ß', 'ø', 'ğ', 'ı', 'Ḥ', 'ạ'} {
		if _, ok := foldLatin(r); !ok {
			t.Errorf("foldLatin(%q) not in the table, want it there", r)
		}
	}
	for _, r := range []rune{'Ŀ', '×', '÷', 'a', 'α', 'ж'} {
		if f, ok := foldLatin(r); ok {
			t.Errorf("foldLatin(%q) = %q, want it left to docket.Fold", r, f)
		}
	}
	for _, rng := range [][2]rune{{latinLo, latinHi}, {latinAddLo, latinAddHi}} {
		for r := rng[0]; r <= rng[1]; r++ {
			f, ok := foldLatin(r)
			if !ok {
				continue
			}
			for _, word := range []string{string(r), "x" + string(r), string(r) + "9", "Q" + string(r) + string(r) + "z"} {
				if got, want := string(appendFold(nil, word)), docket.Fold(word); got != want {
					t.Errorf("%U (folds to %q): appendFold(%q) = %q, want %q", r, f, word, got, want)
				}
			}
		}
	}
}

func equalResults(a, b []Result) bool {
	return slices.EqualFunc(a, b, func(x, y Result) bool {
		return x.TopicID == y.TopicID && slices.Equal(x.Terms, y.Terms)
	})
}

// refEval is the reference the Matcher is checked against: slow and plain. It folds each field
// with docket.Fold, looks for each term with its own regular expression, evaluates the tree
// directly, and collects the terms of the kids that agree with their parent's value.
func refEval(r *Rule, d Doc) (bool, []string) {
	fields := []string{refFold(d.Title), refFold(d.Summary), refFold(d.Content)}
	found := make([]bool, len(r.terms))
	for i, t := range r.terms {
		expr := `(^| )` + regexp.QuoteMeta(t.folded)
		if !t.prefix {
			expr += `( |$)`
		}
		re := regexp.MustCompile(expr)
		for _, f := range fields {
			if re.MatchString(f) {
				found[i] = true
			}
		}
	}
	if !refValue(r.root, found) {
		return false, nil
	}
	var terms []string
	refWitness(r.root, true, found, func(i int) {
		if k := r.terms[i].key(); !slices.Contains(terms, k) {
			terms = append(terms, k)
		}
	})
	return true, terms
}

// refFold is how rules fold text: docket.Fold, bytes that are not UTF-8 being word breaks.
func refFold(s string) string { return docket.Fold(strings.ToValidUTF8(s, " ")) }

func refValue(n *node, found []bool) bool {
	switch n.op {
	case opTerm:
		return found[n.term]
	case opNot:
		return !refValue(n.kids[0], found)
	case opAnd:
		for _, k := range n.kids {
			if !refValue(k, found) {
				return false
			}
		}
		return true
	default:
		for _, k := range n.kids {
			if refValue(k, found) {
				return true
			}
		}
		return false
	}
}

// refWitness calls add for each found term that explains why n has value v.
func refWitness(n *node, v bool, found []bool, add func(int)) {
	switch n.op {
	case opTerm:
		if v {
			add(n.term)
		}
	case opNot:
		refWitness(n.kids[0], !v, found, add)
	default:
		for _, k := range n.kids {
			if kv := refValue(k, found); kv == v {
				refWitness(k, kv, found, add)
			}
		}
	}
}
