package ingest

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"

	"github.com/docket-dev/docket/internal/docket"
)

// SameStory is the Similarity at or above which two items are taken for one story. On the
// headline pairs in cluster_test.go it separates the same story told by two sources from two
// stories on one topic; see the test for the precision and recall it gives.
const SameStory = 0.6

// Weights of a term by where it appears. Titles carry the story; a summary adds evidence
// but also the background that stories on one topic share.
const (
	titleWeight       = 1.0
	summaryWeight     = 0.3
	properNounBoost   = 1.5
	numberConflictMul = 0.6 // both headlines count something, and the counts differ
	maxSummaryWords   = 60
	minSkeletonWord   = 6 // shorter words' skeletons collide too often
)

// Sig is the signature of an item for story clustering: weighted, stemmed terms of its title
// and summary. The zero Sig matches nothing.
type Sig struct {
	terms   []sigTerm // sorted by key
	total   float64
	numbers []string // numbers in the title, for the count conflict check
}

type sigTerm struct {
	key  string  // the stem, or a phrase or alias key
	skel string  // consonant skeleton of a long word, "" for others
	w    float64 // weight
}

// Len reports how many terms the signature holds.
func (s Sig) Len() int { return len(s.terms) }

// Signature computes the signature of a title and summary (plain text or HTML).
func Signature(title, summary string) Sig {
	weights := map[string]sigTerm{}
	var numbers []string
	addTerms(weights, htmlToLine(title), titleWeight, &numbers)
	summaryText := htmlToLine(summary)
	if words := strings.Fields(summaryText); len(words) > maxSummaryWords {
		summaryText = strings.Join(words[:maxSummaryWords], " ")
	}
	addTerms(weights, summaryText, summaryWeight, nil)

	s := Sig{terms: make([]sigTerm, 0, len(weights)), numbers: numbers}
	for _, t := range weights {
		s.terms = append(s.terms, t)
		s.total += t.w
	}
	slices.SortFunc(s.terms, func(a, b sigTerm) int { return strings.Compare(a.key, b.key) })
	return s
}

// Similarity is a weighted Dice coefficient of two signatures, from 0 (nothing shared) to 1,
// lowered when both titles give numbers and none agree ("22 killed" against "15 killed").
// Terms match when their stems are equal or, for long words, when their consonant skeletons
// are: names transliterated from Arabic differ in their vowels (Sheikhoun, Shaykhun).
func Similarity(a, b Sig) float64 {
	if a.total == 0 || b.total == 0 {
		return 0
	}
	var shared float64
	used := make([]bool, len(b.terms))
	var fuzzy []int // terms of a without an exact match
	i, j := 0, 0
	for i < len(a.terms) && j < len(b.terms) {
		switch c := strings.Compare(a.terms[i].key, b.terms[j].key); {
		case c < 0:
			fuzzy = append(fuzzy, i)
			i++
		case c > 0:
			j++
		default:
			shared += min(a.terms[i].w, b.terms[j].w)
			used[j] = true
			i++
			j++
		}
	}
	for ; i < len(a.terms); i++ {
		fuzzy = append(fuzzy, i)
	}
	for _, i := range fuzzy {
		ta := a.terms[i]
		if ta.skel == "" {
			continue
		}
		for j, tb := range b.terms {
			if !used[j] && tb.skel == ta.skel {
				shared += min(ta.w, tb.w)
				used[j] = true
				break
			}
		}
	}
	sim := 2 * shared / (a.total + b.total)
	if len(a.numbers) > 0 && len(b.numbers) > 0 && !shareAny(a.numbers, b.numbers) {
		sim *= numberConflictMul
	}
	return min(sim, 1)
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// acronyms are matched before folding, where case still tells "US" from "us" and "WHO" from
// "who".
// Each has hints, substrings without which the expression cannot match: checking them first
// spares most texts the regular expressions, which dominated the cost of clustering.
var acronyms = []struct {
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

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// hasThousands reports whether s may hold a number written with a thousands separator.
func hasThousands(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == ',' || s[i] == '.') && s[i-1] >= '0' && s[i-1] <= '9' && s[i+1] >= '0' && s[i+1] <= '9' {
			return true
		}
	}
	return false
}

// phrases are folded multi-word names and compounds made one term: an alias joins the forms
// sources use for one thing, and a compound ("peace talks") stops one idea counting twice.
var phrases = func() *strings.Replacer {
	pairs := []string{
		"international committee of the red cross", "icrc",
		"international committee of red cross", "icrc",
		"red cross", "icrc",
		"syrian arab red crescent", "sarc",
		"united nations security council", "unsc",
		"un security council", "unsc",
		"security council", "unsc",
		"united nations", "un",
		"u n", "un",
		"un refugee agency", "unhcr",
		"world health organization", "who_org",
		"world health organisation", "who_org",
		"world food programme", "wfp",
		"world food program", "wfp",
		"doctors without borders", "msf",
		"medecins sans frontieres", "msf",
		"white helmets", "white_helmets",
		"syria civil defence", "white_helmets",
		"organisation for the prohibition of chemical weapons", "opcw",
		"organization for the prohibition of chemical weapons", "opcw",
		"chemical weapons watchdog", "opcw",
		"chemical weapons", "chemical_weapon",
		"chemical weapon", "chemical_weapon",
		"chemical attack", "chemical_weapon attack",
		"united states", "usa",
		"united kingdom", "uk",
		"great britain", "uk",
		"house of commons", "commons",
		"european union", "eu",
		"islamic state", "isil",
		"peace talks", "peace_talks",
		"break down", "collapse",
		"breaks down", "collapse",
		"broke down", "collapse",
		"peace conference", "peace_talks",
		"cease fire", "ceasefire",
		"air strikes", "airstrike",
		"air strike", "airstrike",
		"air raids", "airstrike",
		"air raid", "airstrike",
		"airstrikes", "airstrike",
		"bombing raid", "airstrike",
		"air base", "airbase",
		"human rights", "human_rights",
		"humanitarian aid", "aid",
		"aid convoy", "aid convoy",
		"prime minister", "prime_minister",
		"foreign secretary", "foreign_secretary",
		"foreign minister", "foreign_minister",
		"no fly zone", "no_fly_zone",
		"safe zone", "safe_zone",
		"safe zones", "safe_zone",
	}
	// Replacer needs whole words: pad each side with spaces.
	padded := make([]string, len(pairs))
	for i := 0; i < len(pairs); i += 2 {
		padded[i] = " " + pairs[i] + " "
		padded[i+1] = " " + pairs[i+1] + " "
	}
	return strings.NewReplacer(padded...)
}()

// synonyms map single folded words (before stemming) to one term.
var synonyms = map[string]string{
	"syrian": "syria", "syrians": "syria", "russian": "russia", "russians": "russia",
	"turkish": "turkey", "iranian": "iran", "iranians": "iran", "israeli": "israel",
	"american": "usa", "america": "usa", "british": "uk", "britain": "uk", "uks": "uk",
	"french": "france", "ukrainian": "ukraine", "iraqi": "iraq", "iraqis": "iraq",
	"lebanese": "lebanon", "jordanian": "jordan", "kurdish": "kurds", "kurd": "kurds",
	"saudi": "saudi_arabia", "german": "germany", "chinese": "china", "egyptian": "egypt",
	"washington": "usa", "moscow": "russia", "ankara": "turkey", "tehran": "iran",
	"unsg": "un", "truce": "ceasefire", "armistice": "ceasefire",
	"killed": "kill", "kills": "kill", "killing": "kill", "dead": "kill", "died": "kill",
	"die": "kill", "dies": "kill", "deaths": "kill", "death": "kill", "deadly": "kill",
	"toll": "kill", "fatalities": "kill", "slain": "kill",
	"jet": "warplane", "jets": "warplane",
	"warplanes": "warplane", "fighter": "warplane",
	"completed": "complete", "finished": "complete", "ends": "complete",
	"ended": "complete", "over": "", "refugees": "refugee", "migrants": "refugee",
	"asylum": "refugee", "observers": "monitor", "observer": "monitor", "monitors": "monitor",
	"suspend": "halt", "suspends": "halt", "suspended": "halt", "suspension": "halt",
	"pauses": "halt", "paused": "halt", "halts": "halt", "halted": "halt",
	"recapture": "retake", "recaptures": "retake", "recaptured": "retake", "retakes": "retake",
	"retook": "retake", "retaken": "retake", "inquiry": "inquiry", "investigation": "inquiry",
	"probe": "inquiry", "collapses": "collapse", "collapsed": "collapse",
}

// stopWords carry no story: function words and the verbs of reporting.
var stopWords = func() map[string]bool {
	words := `a about above after again against all also am amid among an and any are as at be
	because been before being below between both but by can could did do does doing down during
	each few for from further had has have having he her here hers him his how i if in into is it
	its itself just latest live me more most my new news no nor not now of off on once only or
	other our out over own same she should so some such than that the their them then there these
	they this those through to too under until up update updates very was we were what when where
	which while who whom why will with would you your yet says said say saying tells told reports
	reported report according claims claimed warns warned calls called urges urged amid video watch
	photos pictures analysis opinion exclusive breaking today yesterday week weeks day days
	year years via s t al el ez ad ul de du la le van von bin ibn per near amidst despite since
	may might must shall one two three four five six seven eight nine ten first second third
	mr mrs ms dr sir lord`
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}()

var thousandsRE = regexp.MustCompile(`(\d)[,.](\d{3})\b`)

// addTerms adds the terms of text to weights with weight w. numbers, when not nil, collects
// the numbers met.
func addTerms(weights map[string]sigTerm, text string, w float64, numbers *[]string) {
	if text == "" {
		return
	}
	for hasThousands(text) && thousandsRE.MatchString(text) {
		text = thousandsRE.ReplaceAllString(text, "$1$2")
	}
	proper := properNouns(text)
	for _, a := range acronyms {
		if containsAny(text, a.hints) {
			text = a.re.ReplaceAllString(text, a.key)
		}
	}
	folded := " " + strings.ReplaceAll(docket.Fold(strings.ReplaceAll(text, "_", " ")), " s ", " ") + " "
	// Fold drops underscores, so the acronym keys above come back as two words; rejoin them.
	folded = strings.ReplaceAll(folded, " who org ", " who_org ")
	folded = phrases.Replace(phrases.Replace(folded))
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
			// a phrase key: already one term
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

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// properNouns returns the folded words of text written with a capital letter other than at
// the start of the text. In a headline written in title case every word is capitalized, so
// capitals say nothing there and none are returned.
func properNouns(text string) map[string]bool {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
	caps := map[string]bool{}
	n := 0
	for i, w := range words {
		r := []rune(w)
		if len(r) < 2 || !unicode.IsUpper(r[0]) {
			continue
		}
		n++
		if i == 0 || isAllUpper(r) {
			continue
		}
		caps[docket.Fold(w)] = true
	}
	if len(words) >= 4 && n*10 >= len(words)*7 {
		return nil
	}
	return caps
}

func isAllUpper(r []rune) bool {
	for _, c := range r {
		if unicode.IsLower(c) {
			return false
		}
	}
	return true
}

// skeleton is a word's first letter and its following consonants, without h, w and y, doubled
// letters made single: "sheikhoun" and "shaykhun" are both "skn", "zour" and "zor" both "zr".
func skeleton(word string) string {
	var b strings.Builder
	var last byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		if i > 0 && strings.IndexByte("aeiouhwy", c) >= 0 {
			continue
		}
		if c == last {
			continue
		}
		if c == 'q' {
			c = 'k'
		}
		b.WriteByte(c)
		last = c
	}
	return b.String()
}
