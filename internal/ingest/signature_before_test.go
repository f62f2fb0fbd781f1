package ingest

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/docket-dev/docket/internal/docket"
)

// signatureBefore is Signature as it was written with regular expressions, a
// strings.Replacer and a map of terms: the scanner that replaced them must give exactly the
// same signatures (TestSignatureAsBefore, FuzzSignatureAsBefore), or clustering would change.
// Its total is summed in key order, as Signature's now is; the map summed it in the map's
// order, so its last bits could differ from run to run.
func signatureBefore(title, summary string) Sig {
	weights := map[string]sigTerm{}
	var numbers []string
	addTermsBefore(weights, htmlToLineBefore(title), titleWeight, &numbers)
	summaryText := htmlToLineBefore(summary)
	if words := strings.Fields(summaryText); len(words) > maxSummaryWords {
		summaryText = strings.Join(words[:maxSummaryWords], " ")
	}
	addTermsBefore(weights, summaryText, summaryWeight, nil)

	terms := slices.SortedFunc(maps.Values(weights), func(a, b sigTerm) int { return strings.Compare(a.key, b.key) })
	s := Sig{terms: make([]sigTerm, 0, len(terms)), numbers: numbers}
	for _, t := range terms {
		s.add(t)
	}
	return s
}

func htmlToLineBefore(s string) string {
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "<&") {
		_, s = rewriteHTML(s, nil)
	}
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

var acronymsBefore = []struct {
	re    *regexp.Regexp
	key   string
	hints []string
}{
	{regexp.MustCompile(`\bU\.S\.(A\.)?|\bUSA\b|\bUS\b`), " usa ", []string{"U.S.", "US"}},
	{regexp.MustCompile(`\bU\.K\.|\bUK\b`), " uk ", []string{"U.K.", "UK"}},
	{regexp.MustCompile(`\bU\.N\.|\bUN\b`), " un ", []string{"U.N.", "UN"}},
	{regexp.MustCompile(`\bWHO\b`), " who_org ", []string{"WHO"}},
	{regexp.MustCompile(`\bEU\b|\bE\.U\.`), " eu ", []string{"EU", "E.U."}},
	{regexp.MustCompile(`\bIS\b|\bISIS\b|\bISIL\b|\bDaesh\b|\bDaech\b`), " isil ", []string{"IS", "Daesh", "Daech"}},
}

func hasThousandsBefore(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == ',' || s[i] == '.') && s[i-1] >= '0' && s[i-1] <= '9' && s[i+1] >= '0' && s[i+1] <= '9' {
			return true
		}
	}
	return false
}

var phrasesBefore = func() *strings.Replacer {
	padded := make([]string, len(phrasePairs))
	for i := 0; i < len(phrasePairs); i += 2 {
		padded[i] = " " + phrasePairs[i] + " "
		padded[i+1] = " " + phrasePairs[i+1] + " "
	}
	return strings.NewReplacer(padded...)
}()

var thousandsREBefore = regexp.MustCompile(`(\d)[,.](\d{3})\b`)

func addTermsBefore(weights map[string]sigTerm, text string, w float64, numbers *[]string) {
	if text == "" {
		return
	}
	for hasThousandsBefore(text) && thousandsREBefore.MatchString(text) {
		text = thousandsREBefore.ReplaceAllString(text, "$1$2")
	}
	proper := properNounsBefore(text)
	for _, a := range acronymsBefore {
		if containsAny(text, a.hints) {
			text = a.re.ReplaceAllString(text, a.key)
		}
	}
	folded := " " + strings.ReplaceAll(docket.Fold(strings.ReplaceAll(text, "_", " ")), " s ", " ") + " "
	folded = strings.ReplaceAll(folded, " who org ", " who_org ")
	folded = phrasesBefore.Replace(phrasesBefore.Replace(folded))
	for _, word := range strings.Fields(folded) {
		if syn, ok := synonyms[word]; ok {
			if syn == "" {
				continue
			}
			word = syn
		} else if stopWords[word] {
			continue
		}
		key, skel := word, ""
		weight := w
		switch {
		case isNumber(word):
			if numbers != nil {
				*numbers = append(*numbers, word)
			}
		case strings.Contains(word, "_"):
		default:
			key = english.Stem(word, true)
			if len(word) >= minSkeletonWord {
				skel = skeleton(strings.TrimSuffix(word, "s"))
			}
			if proper[word] {
				weight *= properNounBoost
			}
		}
		if key == "" || (len(key) < 2 && !isNumber(key)) {
			continue
		}
		if t, ok := weights[key]; !ok || t.w < weight {
			weights[key] = sigTerm{key: key, skel: skel, w: weight}
		}
	}
}

func properNounsBefore(text string) map[string]bool {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	caps := map[string]bool{}
	n := 0
	for i, w := range words {
		r := []rune(w)
		if len(r) < 2 || !unicode.IsUpper(r[0]) {
			continue
		}
		n++
		if i == 0 || isAllUpperBefore(r) {
			continue
		}
		caps[docket.Fold(w)] = true
	}
	if len(words) >= 4 && n*10 >= len(words)*7 {
		return nil
	}
	return caps
}

func isAllUpperBefore(r []rune) bool {
	for _, c := range r {
		if unicode.IsLower(c) {
			return false
		}
	}
	return true
}

// sameSig reports how two signatures differ, "" when they do not.
func sameSig(got, want Sig) string {
	switch {
	case !slices.Equal(got.terms, want.terms):
		return "terms differ"
	case !slices.Equal(got.numbers, want.numbers):
		return "numbers differ"
	case got.filter != want.filter:
		return "filters differ"
	case got.total != want.total:
		return "totals differ"
	}
	return ""
}
