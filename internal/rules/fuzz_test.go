package rules

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
)

var fuzzRules = []string{
	designExample,
	"a OR b c", "A OR B NOT C", "NOT a b", "NOT NOT a", "NOT (a AND NOT b)", "NOT pepper",
	`"peace talk*" OR evacuat*`, "al-Assad U.N.", "Ḥalab OR حلب OR Zoë", "(a NOT b) OR c",
	`“peace talks”`, "a(b)", `"a"b`, "a and b or not c", `"AND" OR x`,
	"A OR (B AND C", `"peace talks`, "a*b", `"peace talk"*`, "--", "a \xff", "(((a)))",
}

// FuzzParse checks that Parse never panics, that its errors are well formed, and that every
// rule it accepts prints to a form that parses to the same rule.
func FuzzParse(f *testing.F) {
	for _, r := range fuzzRules {
		f.Add(r)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r, err := Parse(src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %v is a %T, want *ParseError", src, err, err)
			}
			if pe.Pos < 1 || pe.Pos > utf8.RuneCountInString(src)+1 || pe.Msg == "" {
				t.Fatalf("Parse(%q) error %q: position outside the rule or no message", src, err)
			}
			if docket.ErrorCode(err) != docket.EINVALID {
				t.Fatalf("Parse(%q) error code %q, want %q", src, docket.ErrorCode(err), docket.EINVALID)
			}
			return
		}
		printed := r.String()
		again, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) prints %q, which does not parse: %v", src, printed, err)
		}
		if got := again.String(); got != printed {
			t.Fatalf("Parse(%q) prints %q, which prints %q", src, printed, got)
		}
		if got, want := dump(again), dump(r); got != want {
			t.Fatalf("Parse(%q) is %s, its printed form %q is %s", src, want, printed, got)
		}
		if got, want := again.Terms(), r.Terms(); !slices.Equal(got, want) {
			t.Fatalf("Parse(%q) has terms %q, its printed form %q", src, want, got)
		}
	})
}

// FuzzMatch checks the Matcher, and Rule.Eval, against refEval on random rules and texts. The
// rule's own text is matched too, so that its terms do occur.
func FuzzMatch(f *testing.F) {
	texts := []Doc{
		{Title: "Aleppo pepper prices soar"},
		{Title: "UN envoy welcomes Syria ceasefire", Summary: "Peace talks resume", Content: "Zoë Ḥalab al-Assad’s U.N."},
		{Title: "Hopes for peace", Summary: "talks", Content: "a b c"},
	}
	for i, r := range fuzzRules {
		d := texts[i%len(texts)]
		f.Add(r, d.Title, d.Summary, d.Content)
	}
	others := []*Rule{mustParse(f, designExample), mustParse(f, "NOT (pepper OR a*)"), mustParse(f, `"b c" OR peace`)}
	f.Fuzz(func(t *testing.T, src, title, summary, content string) {
		r, err := Parse(src)
		if err != nil {
			return
		}
		m := Compile([]Topic{{ID: 2, Rule: r}, {ID: 1, Rule: others[0]}, {ID: 3, Rule: others[1]}, {ID: 4, Rule: others[2]}})
		rules := map[int64]*Rule{1: others[0], 2: r, 3: others[1], 4: others[2]}
		for _, d := range []Doc{{Title: title, Summary: summary, Content: content}, {Summary: src}} {
			var want []Result
			for id := int64(1); id <= 4; id++ {
				if ok, terms := refEval(rules[id], d); ok {
					want = append(want, Result{TopicID: id, Terms: terms})
				}
			}
			if got := m.Match(d); !equalResults(got, want) {
				t.Fatalf("rule %q, doc %+v: Match = %v, want %v", r, d, got, want)
			}
			wantOK, wantTerms := refEval(r, d)
			if ok, terms := r.Eval(d); ok != wantOK || !slices.Equal(terms, wantTerms) {
				t.Fatalf("rule %q, doc %+v: Eval = %v %q, want %v %q", r, d, ok, terms, wantOK, wantTerms)
			}
		}
	})
}

// FuzzFold checks that appendFold, which folds ASCII words itself, agrees with docket.Fold,
// bytes that are not UTF-8 being word breaks.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Aleppo's  CEASE-FIRE, Ḥalab!", "Zoe\u0308", "x-\u0301y", "ﬁnal ½", "a\xffb \xe2(c", "قصف حلب", "Türkiye Erdoğan Ŀa ǅx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendFold(nil, s)), refFold(s); got != want {
			t.Fatalf("appendFold(%q) = %q, want docket.Fold's %q", s, got, want)
		}
	})
}
