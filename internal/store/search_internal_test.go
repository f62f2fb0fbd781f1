package store

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
)

func TestParseSearch(t *testing.T) {
	cases := []struct {
		name, in string
		want     string // SearchQuery.String of the result
		fts, ts  string
	}{
		{"empty", "", "", "", ""},
		{"only punctuation", " -- !? ", "", "", ""},
		{"one word", "Aleppo", "aleppo", `"aleppo"`, `'aleppo'`},
		{"accents and case", "ḤALAB Zoë", "halab zoe", `"halab" "zoe"`, `'halab' & 'zoe'`},
		{"prefix", "evacuat*", "evacuat*", `"evacuat"*`, `'evacuat':*`},
		{"phrase", `"peace talks"`, `"peace talks"`, `"peace talks"`, `(('peace':A <-> 'talks':A) | ('peace':B <-> 'talks':B))`},
		{"curly quotes", "“peace talks”", `"peace talks"`, `"peace talks"`, `(('peace':A <-> 'talks':A) | ('peace':B <-> 'talks':B))`},
		{"phrase prefix after the quote", `"peace talk"*`, `"peace talk"*`, `"peace talk"*`, `(('peace':A <-> 'talk':*A) | ('peace':B <-> 'talk':*B))`},
		{"phrase prefix inside the quote", `"peace talk*"`, `"peace talk"*`, `"peace talk"*`, `(('peace':A <-> 'talk':*A) | ('peace':B <-> 'talk':*B))`},
		{"punctuated word is a phrase", "al-Assad", `"al assad"`, `"al assad"`, `(('al':A <-> 'assad':A) | ('al':B <-> 'assad':B))`},
		{"unclosed quote runs to the end", `Syria "security council`, `syria "security council"`, `"syria" "security council"`, `'syria' & (('security':A <-> 'council':A) | ('security':B <-> 'council':B))`},
		{"repeated terms once", "aleppo ALEPPO Aleppo", "aleppo", `"aleppo"`, `'aleppo'`},
		{"quotes and stars in words go", `O'Brien's "x"`, `"o brien s" x`, `"o brien s" "x"`, `(('o':A <-> 'brien':A <-> 's':A) | ('o':B <-> 'brien':B <-> 's':B)) & 'x'`},
		{"operators are words", "aleppo OR idlib", "aleppo or idlib", `"aleppo" "or" "idlib"`, `'aleppo' & 'or' & 'idlib'`},
		{"invalid UTF-8 breaks words", "ale\xffppo", "ale ppo", `"ale" "ppo"`, `'ale' & 'ppo'`},
		{"arabic", "حلب", "حلب", `"حلب"`, `'حلب'`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := ParseSearch(c.in)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if got := q.String(); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if got := q.ftsMatch(); got != c.fts {
				t.Errorf("FTS5: got %q, want %q", got, c.fts)
			}
			if got := q.tsQuery(); got != c.ts {
				t.Errorf("tsquery: got %q, want %q", got, c.ts)
			}
		})
	}
}

func TestParseSearchRefuses(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"too long", strings.Repeat("a", MaxSearchLen+1), "longer than"},
		{"short prefix", "a*", "at least 2 letters"},
		{"too many terms", "a b c d e f g h i j k l m", "at most 12"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseSearch(c.in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
			if docket.ErrorCode(err) != docket.EINVALID {
				t.Errorf("code %q, want invalid", docket.ErrorCode(err))
			}
		})
	}
}

func mustQuery(t testing.TB, s string) SearchQuery {
	t.Helper()
	q, err := ParseSearch(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// marked writes segments with the hits in [brackets], for compact expectations.
func marked(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Hit {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	cases := []struct {
		name, text, q, want string
	}{
		{"word", "Aleppo evacuation resumes", "evacuation", "Aleppo [evacuation] resumes"},
		{"case and accents", "Ḥalab: Zoë's café", "halab cafe zoe", "[Ḥalab]: [Zoë]'s [café]"},
		{"combining mark stays in its word", "Cafe\u0301 society", "cafe", "[Cafe\u0301] society"},
		{"prefix", "Evacuees and evacuation", "evacu*", "[Evacuees] and [evacuation]"},
		{"phrase is one mark", "The Security Council met", `"security council"`, "The [Security Council] met"},
		{"overlapping terms merge", "peace talks resume", `"peace talks" talks`, "[peace talks] resume"},
		{"word boundaries", "Aleppos and Aleppo", "aleppo", "Aleppos and [Aleppo]"},
		{"no match", "Idlib camps", "aleppo", "Idlib camps"},
		{"arabic", "حلب تحت الحصار", "حلب", "[حلب] تحت الحصار"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := marked(Highlight(c.text, mustQuery(t, c.q))); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	long := "The convoy waited all night at the checkpoint. " + strings.Repeat("Nothing else happened that day. ", 12) +
		"At dawn the evacuation of eastern Aleppo resumed, the ICRC said. " + strings.Repeat("Later news followed. ", 12)
	cases := []struct {
		name, text, title, q string
		width                int
		want                 string
	}{
		{"title is left out", "Aleppo evacuation. Buses left at dawn.", "Aleppo evacuation.", "buses", 240, "[Buses] left at dawn."},
		{"window around the best passage", long, "", "evacuation aleppo", 80,
			"… day. At dawn the [evacuation] of eastern [Aleppo] resumed, the ICRC said. Later news …"},
		{"no match gives the opening", long, "", "zzz", 40, "The convoy waited all night at the …"},
		{"white space collapses", "Buses\n\n left   at dawn", "", "left", 240, "Buses [left] at dawn"},
		{"empty text", "", "", "aleppo", 240, ""},
		{"a phrase longer than the window shows its start", "one two three four five six", "", `"one two three four five six"`, 10, "[one two] …"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := marked(Snippet(c.text, c.title, mustQuery(t, c.q), c.width)); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestSearchMatches(t *testing.T) {
	cases := []struct {
		q      string
		fields []string
		want   bool
	}{
		{"aleppo idlib", []string{"Aleppo", "Idlib"}, true},
		{"aleppo idlib", []string{"Aleppo"}, false},
		{`"peace talks"`, []string{"Hope of peace", "talks resume"}, false},
		{`"peace talks"`, []string{"Peace talks resume"}, true},
		{"", []string{"anything"}, true},
	}
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			if got := mustQuery(t, c.q).Matches(c.fields...); got != c.want {
				t.Errorf("Matches(%q) = %v, want %v", c.fields, got, c.want)
			}
		})
	}
}

// foldWords must split text exactly as docket.Fold does: the same words, in the same order,
// or search would mark words the index does not hold.
func TestFoldWordsAgreesWithFold(t *testing.T) {
	for _, s := range []string{
		"Aleppo's  CEASE-FIRE, Ḥalab!", "Zoë Straße œuvre ½ ﬁne", "e\u0301te\u0301", "حلب تحت", "ale\xffppo", "  ", "ΣΥΡΙΑΣ",
		"x\u0300\u0301y", "Ǆemal", "①②", "İstanbul",
	} {
		t.Run(s, func(t *testing.T) {
			ft := foldWords(s)
			var got []string
			for i := range ft.words {
				w := ft.words[i]
				got = append(got, string(ft.buf[w.fs:w.fe]))
			}
			want := strings.Fields(docket.Fold(s))
			if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{"", "aleppo", `"peace talks"*`, "evacu* ḤALAB", `"unclosed`, "al-Assad's", "a*", "**", `""*`, "“x”*y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseSearch(s)
		if err != nil {
			if docket.ErrorCode(err) != docket.EINVALID {
				t.Fatalf("error %v is not a coded invalid-input error", err)
			}
			return
		}
		if len(q.Terms) > MaxSearchTerms {
			t.Fatalf("%d terms, more than %d", len(q.Terms), MaxSearchTerms)
		}
		for _, term := range q.Terms {
			if len(term.Words) == 0 {
				t.Fatalf("a term with no words in %q", s)
			}
			for _, w := range term.Words {
				if w == "" || !utf8.ValidString(w) || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
					t.Fatalf("word %q is not folded letters and digits", w)
				}
			}
		}
		// What reaches the databases holds nothing that could end a quoted string there.
		if fts := q.ftsMatch(); strings.Count(fts, `"`) != 2*len(q.Terms) {
			t.Fatalf("FTS5 expression %q has stray quotes", fts)
		}
		if ts := q.tsQuery(); strings.Count(ts, "'")%2 != 0 || strings.ContainsAny(ts, `\`) {
			t.Fatalf("tsquery %q has stray quotes", ts)
		}
		// Printing and parsing again gives the same query, where docket.Fold gives back the
		// words it made: it does not for a few capitals ("Þ" folds to "þ", which folds to
		// "th"; likewise "Ð" and "ẞ"), reported to the owners of the docket package.
		for _, term := range q.Terms {
			for _, w := range term.Words {
				if docket.Fold(w) != w {
					return
				}
			}
		}
		if len(q.String()) > MaxSearchLen {
			return // the quotes printing adds can take a query at the cap past it
		}
		again, err := ParseSearch(q.String())
		if err != nil {
			t.Fatalf("reparse %q: %v", q.String(), err)
		}
		if !reflect.DeepEqual(again, q) && !(again.IsZero() && q.IsZero()) {
			t.Fatalf("reparse of %q gave %q, want %q", q.String(), again.String(), q.String())
		}
	})
}

func FuzzSnippet(f *testing.F) {
	f.Add("Aleppo evacuation resumes. Buses left at dawn.", "Aleppo evacuation resumes.", "buses dawn", 40)
	f.Add("Ḥalab: Zoë's café\n\nthe end", "", `"zoe s" caf*`, 10)
	f.Add("e\u0301te\u0301 \xff x", "", "ete", 1)
	f.Fuzz(func(t *testing.T, text, title, query string, width int) {
		q, err := ParseSearch(query)
		if err != nil {
			return
		}
		width = width%1000 + 1
		if width <= 0 {
			width += 1000
		}
		segs := Snippet(text, title, q, width)
		joined := SegmentsText(segs)
		body := strings.TrimSuffix(strings.TrimPrefix(joined, "… "), " …")
		if !strings.Contains(collapseSpace(strings.ToValidUTF8(text, "\uFFFD")), body) {
			t.Fatalf("snippet %q is not a passage of the text", body)
		}
		for i, s := range segs {
			if s.Text == "" {
				t.Fatalf("empty segment %d", i)
			}
			if i > 0 && segs[i-1].Hit == s.Hit {
				t.Fatalf("segments %d and %d are of one kind and not merged", i-1, i)
			}
			if s.Hit && !matchesAnyTerm(q, s.Text) {
				t.Fatalf("marked %q, which no term of %q matches", s.Text, q.String())
			}
		}
		if want := collapseSpace(strings.ToValidUTF8(title, "\uFFFD")); SegmentsText(Highlight(title, q)) != want {
			t.Fatalf("highlighted title %q, want %q", SegmentsText(Highlight(title, q)), want)
		}
	})
}

func matchesAnyTerm(q SearchQuery, s string) bool {
	for _, term := range q.Terms {
		if (SearchQuery{Terms: []SearchTerm{term}}).Matches(s) {
			return true
		}
	}
	return false
}
