package evidence

import (
	"strings"

	"github.com/docket-dev/docket/internal/store"
)

// Term is one content word of a sentence as the search uses it.
type Term struct {
	// Word is the folded word as the sentence has it; pages show it as the reason an item
	// was suggested.
	Word string
	// Key is what the search looks for: the word's stem when it has one worth a prefix
	// search, else the word itself.
	Key string
	// Prefix makes Key match any word it begins: "evacu" matches evacuated and evacuation.
	Prefix bool
}

// Matches reports whether a folded word of an item is this term, as the database's full-text
// search decides it.
func (t Term) Matches(word string) bool {
	if t.Prefix {
		return strings.HasPrefix(word, t.Key)
	}
	return word == t.Key
}

func (t Term) search() store.EvidenceTerm { return store.EvidenceTerm{Key: t.Key, Prefix: t.Prefix} }

// Terms returns a sentence's content words, folded (docket.Fold), in the order they first
// appear, without stop words, single letters, lone digits or runs of zeros ("35,000" folds
// to "35 000"), each once by Key.
func Terms(foldedSentence string) []Term {
	var out []Term
	seen := map[string]bool{}
	for _, w := range strings.Fields(foldedSentence) {
		if stopWords[w] || !contentWord(w) {
			continue
		}
		t := termOf(w)
		if seen[t.Key] {
			continue
		}
		seen[t.Key] = true
		out = append(out, t)
	}
	return out
}

func contentWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	if isDigits(w) {
		return strings.Trim(w, "0") != ""
	}
	return true
}

func termOf(w string) Term {
	if isDigits(w) {
		// A number is a figure, a date or a resolution number: 250 must not find 2500.
		return Term{Word: w, Key: w}
	}
	stem := Stem(w)
	if len([]rune(stem)) < minStem {
		return Term{Word: w, Key: w}
	}
	return Term{Word: w, Key: stem, Prefix: true}
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// minStem is the shortest stem searched as a prefix: "war*" would find "warning", "aid*"
// "aide", so words shorter than this are searched whole.
const minStem = 4

// suffixes are the English endings Stem removes, longest first within each family so that
// "evacuations" loses "ations" rather than "s".
var suffixes = []string{
	"izations", "isations", "ization", "isation", "ations", "ation", "ements", "ement",
	"ments", "ment", "ities", "ity", "ings", "ing", "ions", "ion", "ness", "ously", "ous",
	"ives", "ive", "ated", "ates", "ate", "ised", "ises", "ise", "ized", "izes", "ize",
	"ies", "ied", "ers", "er", "ed", "es", "ly", "s",
}

// Stem removes one common English ending from a folded word, keeping at least minStem
// letters: "evacuated" and "evacuation" both give "evacu", "hospitals" gives "hospital". It is
// deliberately lighter than Porter's algorithm: the stem is searched as a prefix, so it only
// has to be a prefix that the word's relatives share, and removing one ending at most keeps
// "hospital" from becoming "hospit" (which would find "hospitality").
func Stem(w string) string {
	for _, suf := range suffixes {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= minStem {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// stopWords are English words too common to say what a sentence is about, and the words of
// attribution ("said", "according") that every news item repeats.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a about above after again against all almost also although am among an and another any
		anyone anything are around as at be because been before being below between both but by
		can cannot could did do does doing done down during each either else even ever every few
		for from further had has have having he her here hers herself him himself his how however
		i if in into is it its itself just least less let like made make many may me might more
		most much must my myself neither no nor not now of off often on once one only or other
		others our ours ourselves out over own per perhaps quite rather really same several shall
		she should since so some such than that the their theirs them themselves then there these
		they this those though through thus to too under until up upon us very via was we well
		were what whatever when where whether which while who whom whose why will with within
		without would yet you your yours yourself yourselves
		according said says say saying told tell tells stated added asked
		mr mrs ms dr
		st nd rd th s t ll ve re d m
	`) {
		m[w] = true
	}
	return m
}()
