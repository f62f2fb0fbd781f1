package ingest

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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
	// filter is a Bloom filter of the terms' keys and skeletons: MayReach reads it to rule
	// out, in a few nanoseconds, pairs that cannot be the same story.
	filter [filterWords]uint64
}

type sigTerm struct {
	key  string  // the stem, or a phrase or alias key
	skel string  // consonant skeleton of a long word, "" for others
	w    float64 // weight
	// kbit and sbit are the filter bits of key and skel (noBit for no skeleton).
	kbit, sbit uint16
}

// The filter has 512 bits: with the 40 to 80 keys and skeletons of a title and summary, a
// bit that belongs to no term of b is set about one time in seven.
const (
	filterWords = 8
	filterBits  = filterWords * 64
	noBit       = 0xffff
)

func filterBit(s string, seed uint64) uint16 {
	h := seed
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211 // FNV-1a
	}
	return uint16(h % filterBits)
}

func (s *Sig) has(bit uint16) bool { return s.filter[bit/64]&(1<<(bit%64)) != 0 }

// Len reports how many terms the signature holds.
func (s Sig) Len() int { return len(s.terms) }

// Signature computes the signature of a title and summary (plain text or HTML).
func Signature(title, summary string) Sig {
	c := termSets.Get().(*termSet)
	defer termSets.Put(c)
	c.terms, c.words, c.phrased = c.terms[:0], c.words[:0], c.phrased[:0]
	var numbers []string
	c.add(htmlToLine(title), titleWeight, &numbers)
	c.add(lineWords(summary, maxSummaryWords), summaryWeight, nil)
	return c.sig(numbers)
}

// termSet collects a signature's terms in the order met, in buffers kept for the next.
type termSet struct {
	terms          []sigTerm
	words, phrased []string
	order          []termOrder
	toStem, missed []int
	caps           capitals
}

var termSets = sync.Pool{New: func() any { return new(termSet) }}

// termOrder sorts terms by key: the key's first 8 bytes as a number decide most comparisons.
type termOrder struct {
	prefix uint64
	i      int
}

func keyPrefix(k string) uint64 {
	var p uint64
	for i := range 8 {
		p <<= 8
		if i < len(k) {
			p |= uint64(k[i])
		}
	}
	return p
}

// sig makes the signature, keeping of the terms with one key the first met with the highest
// weight.
func (c *termSet) sig(numbers []string) Sig {
	c.order = c.order[:0]
	for i := range c.terms {
		c.order = append(c.order, termOrder{keyPrefix(c.terms[i].key), i})
	}
	slices.SortFunc(c.order, func(a, b termOrder) int {
		if a.prefix != b.prefix {
			return cmp.Compare(a.prefix, b.prefix)
		}
		ta, tb := &c.terms[a.i], &c.terms[b.i]
		if x := strings.Compare(ta.key, tb.key); x != 0 {
			return x
		}
		if ta.w != tb.w {
			return cmp.Compare(tb.w, ta.w)
		}
		return cmp.Compare(a.i, b.i)
	})
	n := 0
	for i, o := range c.order {
		if i == 0 || c.terms[o.i].key != c.terms[c.order[i-1].i].key {
			n++
		}
	}
	s := Sig{terms: make([]sigTerm, 0, n), numbers: numbers}
	for i, o := range c.order {
		if i == 0 || c.terms[o.i].key != c.terms[c.order[i-1].i].key {
			s.add(c.terms[o.i])
		}
	}
	return s
}

// add appends t, the greatest key yet, to the signature, with its filter bits.
func (s *Sig) add(t sigTerm) {
	t.kbit, t.sbit = filterBit(t.key, 14695981039346656037), noBit
	s.filter[t.kbit/64] |= 1 << (t.kbit % 64)
	if t.skel != "" {
		t.sbit = filterBit(t.skel, 1469598103934665603)
		s.filter[t.sbit/64] |= 1 << (t.sbit % 64)
	}
	s.terms = append(s.terms, t)
	s.total += t.w
}

func (c *termSet) put(key string, w float64) {
	c.terms = append(c.terms, sigTerm{key: key, w: w})
}

// Similarity is a weighted Dice coefficient of two signatures, from 0 (nothing shared) to 1,
// lowered when both titles give numbers and none agree ("22 killed" against "15 killed").
// Terms match when their stems are equal or, for long words, when their consonant skeletons
// are: names transliterated from Arabic differ in their vowels (Sheikhoun, Shaykhun).
func Similarity(a, b Sig) float64 {
	if a.total == 0 || b.total == 0 {
		return 0
	}
	// Which terms of a matched exactly and which of b are used, as bit sets: on the stack
	// for the signatures of titles and summaries, which hold fewer than 128 terms.
	var exactBuf, usedBuf [2]uint64
	exact, used := exactBuf[:], usedBuf[:]
	if n := (len(a.terms) + 63) / 64; n > len(exact) {
		exact = make([]uint64, n)
	}
	if n := (len(b.terms) + 63) / 64; n > len(used) {
		used = make([]uint64, n)
	}
	var shared float64
	i, j := 0, 0
	for i < len(a.terms) && j < len(b.terms) {
		switch c := strings.Compare(a.terms[i].key, b.terms[j].key); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			shared += min(a.terms[i].w, b.terms[j].w)
			exact[i/64] |= 1 << (i % 64)
			used[j/64] |= 1 << (j % 64)
			i++
			j++
		}
	}
	// Then the terms of a without an exact match, in order, against b's unused ones.
	for i, ta := range a.terms {
		if ta.skel == "" || exact[i/64]&(1<<(i%64)) != 0 || !b.has(ta.sbit) {
			continue
		}
		for j, tb := range b.terms {
			if used[j/64]&(1<<(j%64)) == 0 && tb.skel == ta.skel {
				shared += min(ta.w, tb.w)
				used[j/64] |= 1 << (j % 64)
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

// MayReach reports whether Similarity(a, b) may be at least minSim. False means it is not;
// true means it may be. It bounds the weight the two share by the weight of a's terms whose
// key or skeleton b's filter holds, and stops as soon as what is left cannot reach minSim:
// clustering compares each new item with hundreds of recent ones, nearly all of them other
// stories, and this rules most of them out at a fraction of Similarity's cost.
func MayReach(a, b Sig, minSim float64) bool {
	if a.total == 0 || b.total == 0 {
		return minSim <= 0
	}
	// Similarity >= minSim needs shared >= minSim*(a.total+b.total)/2, so at most this much
	// of a's weight may go unshared (less a rounding margin, so a pair exactly at minSim is
	// never ruled out).
	spare := a.total - minSim*(a.total+b.total)/2 + 1e-9
	if spare < 0 {
		return false
	}
	lost := 0.0
	for _, t := range a.terms {
		if b.has(t.kbit) || (t.sbit != noBit && b.has(t.sbit)) {
			continue
		}
		if lost += t.w; lost > spare {
			return false
		}
	}
	return true
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
// "who". Each was a regular expression of alternatives bounded by \b, for usa
// `\bU\.S\.(A\.)?|\bUSA\b|\bUS\b`; replaceAcronym matches the same without the regexp
// machinery: the forms in the expression's order, each starting a word, and ending one where
// it ends in a letter. The hints are substrings without which no form can match, to spare
// most texts the scan.
var acronyms = []acronym{
	{" usa ", []acronymForm{{"U.S.A.", false}, {"U.S.", false}, {"USA", true}, {"US", true}}, []string{"U.S.", "US"}},
	{" uk ", []acronymForm{{"U.K.", false}, {"UK", true}}, []string{"U.K.", "UK"}},
	{" un ", []acronymForm{{"U.N.", false}, {"UN", true}}, []string{"U.N.", "UN"}},
	{" who_org ", []acronymForm{{"WHO", true}}, []string{"WHO"}},
	{" eu ", []acronymForm{{"EU", true}, {"E.U.", false}}, []string{"EU", "E.U."}},
	{" isil ", []acronymForm{{"IS", true}, {"ISIS", true}, {"ISIL", true}, {"Daesh", true}, {"Daech", true}}, []string{"IS", "Daesh", "Daech"}},
}

type acronym struct {
	key   string
	forms []acronymForm
	hints []string
}

// acronymForm is one way of writing an acronym; wordEnd says that the next character must
// not go on with the word (a regexp's trailing \b).
type acronymForm struct {
	lit     string
	wordEnd bool
}

// isWordByte is what a regexp's \b takes for a word character: ASCII letters, digits and _.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// replaceAcronym replaces, left to right and without overlaps, each form of a in s that
// starts a word by a.key.
func replaceAcronym(s string, a *acronym) string {
	var b strings.Builder
	copied := 0 // s[:copied] is in b
	for i := 0; i < len(s); i++ {
		if i > 0 && isWordByte(s[i-1]) {
			continue
		}
		for _, f := range a.forms {
			if !strings.HasPrefix(s[i:], f.lit) {
				continue
			}
			end := i + len(f.lit)
			if f.wordEnd && end < len(s) && isWordByte(s[end]) {
				continue
			}
			if copied == 0 {
				b.Grow(len(s) + 16)
			}
			b.WriteString(s[copied:i])
			b.WriteString(a.key)
			copied = end
			i = end - 1
			break
		}
	}
	if copied == 0 {
		return s
	}
	b.WriteString(s[copied:])
	return b.String()
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// joinThousands removes the thousands separators of numbers, "400,000" → "400000": each
// digit, comma or point, and three digits that end a word lose the comma or point, left to
// right, until none is left ("1,234,567" takes two passes).
func joinThousands(s string) string {
	for {
		out, changed := joinThousandsOnce(s)
		if !changed {
			return s
		}
		s = out
	}
}

func joinThousandsOnce(s string) (string, bool) {
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	var b []byte
	copied := 0
	for i := 0; i+4 < len(s); i++ {
		if isDigit(s[i]) && (s[i+1] == ',' || s[i+1] == '.') && isDigit(s[i+2]) && isDigit(s[i+3]) && isDigit(s[i+4]) &&
			(i+5 == len(s) || !isWordByte(s[i+5])) {
			if b == nil {
				b = make([]byte, 0, len(s))
			}
			b = append(b, s[copied:i+1]...)
			b = append(b, s[i+2:i+5]...)
			copied = i + 5
			i += 4
		}
	}
	if b == nil {
		return s, false
	}
	return string(append(b, s[copied:]...)), true
}

// phrasePairs are folded multi-word names and compounds made one term, each followed by its
// key: an alias joins the forms sources use for one thing, and a compound ("peace talks")
// stops one idea counting twice. Where two begin alike, the first listed wins.
var phrasePairs = []string{
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

// phrase is one of phrasePairs as words.
type phrase struct{ words, key []string }

// phrasesByWord lists the phrases by their first word, each list in phrasePairs' order.
var phrasesByWord = func() map[string][]phrase {
	m := map[string][]phrase{}
	for i := 0; i < len(phrasePairs); i += 2 {
		p := phrase{strings.Fields(phrasePairs[i]), strings.Fields(phrasePairs[i+1])}
		m[p.words[0]] = append(m[p.words[0]], p)
	}
	return m
}()

// replacePhrases replaces the phrases in words, appending the result to out, and says how
// many it replaced. Its words are those of what a strings.Replacer of the phrases, each
// padded with a space on either side, gives on the words joined by spaces and padded
// likewise: a match uses up the space after it, so the word that follows cannot start
// another, and a second pass is what replaces two phrases in a row ("air strike peace
// talks").
func replacePhrases(out, words []string) (_ []string, replaced int) {
	free := true // the space before words[i] is not used up by a match
	for i := 0; i < len(words); {
		if free {
			if p, ok := matchPhrase(words[i:]); ok {
				out = append(out, p.key...)
				i += len(p.words)
				free = false
				replaced++
				continue
			}
		}
		out = append(out, words[i])
		i++
		free = true
	}
	return out, replaced
}

func matchPhrase(words []string) (phrase, bool) {
	for _, p := range phrasesByWord[words[0]] {
		if len(p.words) <= len(words) && slices.Equal(p.words, words[:len(p.words)]) {
			return p, true
		}
	}
	return phrase{}, false
}

// joinPair replaces each a followed by b in words by ab, in place, as a strings.ReplaceAll of
// " a b " by " ab " on the words joined and padded with spaces does (it too uses up the
// space after a match). b == "" drops each a so found.
func joinPair(words []string, a, b, ab string) []string {
	out := words[:0]
	free := true
	for i := 0; i < len(words); {
		if free && words[i] == a && (b == "" || i+1 < len(words) && words[i+1] == b) {
			if ab != "" {
				out = append(out, ab)
			}
			i++
			if b != "" {
				i++
			}
			free = false
			continue
		}
		out = append(out, words[i])
		i++
		free = true
	}
	return out
}

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

// lexicon is synonyms and stopWords in one map, one look-up a word: a synonym (to, which
// may be "", to drop the word) or, when synonym is false, a stop word.
type lexEntry struct {
	to      string
	synonym bool
}

var lexicon = func() map[string]lexEntry {
	m := make(map[string]lexEntry, len(synonyms)+len(stopWords))
	for w := range stopWords {
		m[w] = lexEntry{}
	}
	for w, to := range synonyms { // a synonym is never taken for a stop word
		m[w] = lexEntry{to: to, synonym: true}
	}
	return m
}()

// add adds the terms of text to c with weight w. numbers, when not nil, collects the
// numbers met.
func (c *termSet) add(text string, w float64, numbers *[]string) {
	if text == "" {
		return
	}
	text = joinThousands(text)
	proper := properNouns(c.caps, text)
	c.caps = proper[:0]
	for i := range acronyms {
		if containsAny(text, acronyms[i].hints) {
			text = replaceAcronym(text, &acronyms[i])
		}
	}
	folded := docket.Fold(text) // words separated by single spaces
	words := c.words[:0]
	for w := range strings.SplitSeq(folded, " ") {
		if w != "" {
			words = append(words, w)
		}
	}
	words = joinPair(words, "s", "", "")
	// Fold drops underscores, so the acronym keys above come back as two words; rejoin them.
	words = joinPair(words, "who", "org", "who_org")
	c.words = words
	if out, n := replacePhrases(c.phrased[:0], words); n > 0 {
		// A second pass finds the phrases that start where a match used up the space, or
		// that a key begins; without a match the words are as they were, and it would
		// find none.
		c.phrased = out
		words, _ = replacePhrases(c.words[:0], out)
		c.words = words
	}

	start := len(c.terms)
	c.toStem = c.toStem[:0] // the terms that are words, to stem
	for _, word := range words {
		if e, ok := lexicon[word]; ok {
			if !e.synonym || e.to == "" {
				continue
			}
			word = e.to
		}
		switch {
		case isNumber(word):
			if numbers != nil {
				*numbers = append(*numbers, word)
			}
			c.put(word, w)
		case strings.Contains(word, "_"):
			c.put(word, w) // a phrase key: already one term
		default:
			weight := w
			if proper.has(word) {
				weight *= properNounBoost
			}
			c.toStem = append(c.toStem, len(c.terms))
			c.put(word, weight)
		}
	}
	c.stem()
	kept := c.terms[:start]
	for _, t := range c.terms[start:] {
		if t.key == "" || (len(t.key) < 2 && !isNumber(t.key)) {
			continue
		}
		kept = append(kept, t)
	}
	c.terms = kept
}

// stem replaces the keys of the terms in toStem, words, by their stems, and gives the long
// words their skeletons, from the stems cache.
func (c *termSet) stem() {
	c.missed = c.missed[:0]
	stems.RLock()
	for _, i := range c.toStem {
		t := &c.terms[i]
		if st, ok := stems.m[t.key]; ok {
			t.key, t.skel = st.stem, st.skel
		} else {
			c.missed = append(c.missed, i)
		}
	}
	stems.RUnlock()
	if len(c.missed) == 0 {
		return
	}
	found := make(map[string]stemmed, len(c.missed))
	for _, i := range c.missed {
		if w := c.terms[i].key; found[w] == (stemmed{}) {
			found[w] = stemWord(w)
		}
	}
	stems.Lock()
	if stems.m == nil || len(stems.m)+len(found) > maxStems {
		stems.m = make(map[string]stemmed, 4096)
	}
	maps.Copy(stems.m, found)
	stems.Unlock()
	for _, i := range c.missed {
		t := &c.terms[i]
		st := found[t.key]
		t.key, t.skel = st.stem, st.skel
	}
}

// stemmed is a word's stem, and its skeleton when it is long enough for one.
type stemmed struct{ stem, skel string }

func stemWord(word string) stemmed {
	st := stemmed{stem: english.Stem(word, true)}
	if len(word) >= minSkeletonWord {
		st.skel = skeleton(strings.TrimSuffix(word, "s"))
	}
	return st
}

// stems caches stemWord, english.Stem being half the cost of a signature: news uses a few
// tens of thousands of words, each stemmed again for every item that has it. A signature
// looks its words up under one read lock and adds the missing ones under one write lock,
// as the fetch workers compute signatures at once. Past maxStems words the cache starts
// again empty.
var stems struct {
	sync.RWMutex
	m map[string]stemmed
}

const maxStems = 100000

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// properNouns returns the words of text written with a capital letter other than at the
// start of the text, in caps' memory. In a headline written in title case every word is capitalized, so
// capitals say nothing there and none are returned. Words are runs of letters and
// apostrophes.
func properNouns(caps capitals, text string) capitals {
	caps = caps[:0]
	words, n := 0, 0
	for i := 0; i < len(text); {
		r, size := decodeRune(text, i)
		if !isNameRune(r) {
			i += size
			continue
		}
		start, runes, ascii := i, 0, true
		first, upper := r, true
		for i < len(text) {
			if c := text[i]; c < utf8.RuneSelf {
				if !asciiName[c] {
					break
				}
				upper = upper && (c < 'a' || c > 'z')
				runes++
				i++
				continue
			}
			r, size = utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) {
				break
			}
			runes++
			ascii = false
			upper = upper && !unicode.IsLower(r)
			i += size
		}
		words++
		if runes < 2 || (first < utf8.RuneSelf && (first < 'A' || first > 'Z')) || !unicode.IsUpper(first) {
			continue
		}
		n++
		if words == 1 || upper {
			continue
		}
		w := capital{word: text[start:i]}
		if !ascii || strings.IndexByte(w.word, '\'') >= 0 {
			w = capital{word: docket.Fold(w.word), folded: true}
		}
		caps = append(caps, w)
	}
	if words >= 4 && n*10 >= words*7 {
		return caps[:0]
	}
	return caps
}

// capitals are the capitalized words of a text: as written when they are ASCII letters
// (folding them only lowercases them), else folded.
type capitals []capital

type capital struct {
	word   string
	folded bool
}

// has reports whether the folded word w is one of the capitals.
func (cs capitals) has(w string) bool {
	for _, c := range cs {
		if c.folded {
			if c.word == w {
				return true
			}
			continue
		}
		if len(c.word) != len(w) {
			continue
		}
		same := true
		for i := 0; i < len(w) && same; i++ {
			b := c.word[i]
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			same = b == w[i]
		}
		if same {
			return true
		}
	}
	return false
}

func decodeRune(s string, i int) (rune, int) {
	if s[i] < utf8.RuneSelf {
		return rune(s[i]), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// asciiName are the ASCII characters of words for properNouns: letters and apostrophes.
var asciiName = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '\''
	}
	return t
}()

func isNameRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiName[r]
	}
	return unicode.IsLetter(r)
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
