package statements

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
)

// Sentence is one sentence of a statement body. Text is exactly body[Start:End]: offsets are
// bytes, and they leave out the whitespace around the sentence and any list marker ("- ",
// "2. ") before it, so that renumbering a list does not move evidence anchored to an item.
type Sentence struct {
	Index      int
	Text       string
	Start, End int
}

// Hash returns a short, stable identifier of a sentence's wording: the first 16 hex digits of
// the SHA-256 of its folded text. Folding first means that a fixed typo in case, accents,
// punctuation or spacing keeps the evidence that was linked to the sentence.
func Hash(text string) string {
	sum := sha256.Sum256([]byte(docket.Fold(text)))
	return hex.EncodeToString(sum[:8])
}

// Split cuts a statement body into sentences.
//
// It is rule-based rather than statistical. The Punkt tokenizer in
// github.com/neurosnap/sentences was tried first and dropped: it kept "in 2016. Thousands
// fled" and "310 to 250. The motion passed" as one sentence, split "etc. to the camp" and
// "Rt. Hon.", ignored blank lines and "…". Statements are full of years, votes and
// figures ending sentences, so those misses matter more than the rare cases Punkt's trained
// abbreviation list catches and these rules do not.
//
// A blank line always ends a sentence, and so does a line break before a list item or after
// a short line such as a heading. Within a run of text, a sentence ends after ".", "!", "?"
// or an ellipsis (with any closing quotes and brackets) followed by a space, unless the next
// word is lowercase or the word before the full stop is an abbreviation, an initial or a
// list number.
func Split(body string) []Sentence {
	var out []Sentence
	for _, sg := range segments(body) {
		out = splitSegment(body, sg.start, sg.end, out)
	}
	for i := range out {
		out[i].Index = i
	}
	return out
}

type segment struct{ start, end int }

type textLine struct {
	start, end int // the line without its surrounding whitespace
	marker     int // bytes of list marker (and the space after it) at start
}

// segments finds the stretches of body that no sentence may cross: paragraphs, list items,
// and lines after a heading-like short line.
func segments(body string) []segment {
	var segs []segment
	var para []textLine
	flush := func() {
		segs = appendParagraph(body, para, segs)
		para = para[:0]
	}
	for pos := 0; pos <= len(body); {
		nl := strings.IndexByte(body[pos:], '\n')
		end := len(body)
		if nl >= 0 {
			end = pos + nl
		}
		s, e := trimSpaceRange(body, pos, end)
		if s == e {
			flush()
		} else {
			para = append(para, textLine{start: s, end: e})
		}
		if nl < 0 {
			break
		}
		pos = end + 1
	}
	flush()
	return segs
}

func appendParagraph(body string, lines []textLine, segs []segment) []segment {
	if len(lines) == 0 {
		return segs
	}
	longest := 0
	for _, l := range lines {
		longest = max(longest, utf8.RuneCountInString(body[l.start:l.end]))
	}
	// A list marker only counts where a list can start, so that a hard-wrapped line that
	// happens to begin "250. The motion…" is not taken for item 250.
	for i := range lines {
		if i == 0 || lines[i-1].marker > 0 || endsClause(body[lines[i-1].start:lines[i-1].end]) {
			lines[i].marker = listMarker(body[lines[i].start:lines[i].end])
		}
	}
	cur := segment{start: lines[0].start + lines[0].marker, end: lines[0].end}
	for i := 1; i < len(lines); i++ {
		prev, l := lines[i-1], lines[i]
		if l.marker > 0 || shortLineBreak(body[prev.start:prev.end], body[l.start:l.end], longest) {
			segs = append(segs, cur)
			cur = segment{start: l.start + l.marker, end: l.end}
			continue
		}
		cur.end = l.end
	}
	return append(segs, cur)
}

// shortLineBreak reports whether the break between two lines of one paragraph ends a
// sentence although no punctuation says so: the first line is much shorter than the
// paragraph's longest, as a heading or a salutation is, and does not end in punctuation
// that the sentence rules decide on, and the next line starts as a sentence would.
// Hard-wrapped lines are all about as long as the longest, so they join up.
func shortLineBreak(prev, next string, longest int) bool {
	if endsWithTerminal(prev) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(next, openers))
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		return false
	}
	return utf8.RuneCountInString(prev)*10 < longest*6
}

// endsClause reports whether a line ends where a list could begin after it.
func endsClause(line string) bool {
	return endsWithTerminal(line) || strings.HasSuffix(line, ":")
}

func endsWithTerminal(line string) bool {
	line = strings.TrimRight(line, closers)
	r, _ := utf8.DecodeLastRuneInString(line)
	return isTerminal(r)
}

// listMarker returns the length of a list marker and the spaces after it at the start of
// line, or 0: "- ", "* ", "• ", "1. ", "12) ", "(a) ", "a. ", "iv) ".
func listMarker(line string) int {
	r, n := utf8.DecodeRuneInString(line)
	switch r {
	case '-', '*', '•', '·', '‣', '◦', '▪', '–', '—':
		return markerSpace(line, n)
	}
	i := 0
	paren := false
	if r == '(' {
		paren = true
		i = 1
	}
	j := i
	for j < len(line) && j-i < 4 && isASCIIAlnum(line[j]) {
		j++
	}
	if j == i || j >= len(line) {
		return 0
	}
	label := line[i:j]
	if !isListLabel(label) {
		return 0
	}
	switch {
	case paren && line[j] == ')':
		return markerSpace(line, j+1)
	case !paren && line[j] == ')':
		return markerSpace(line, j+1)
	case !paren && line[j] == '.' && !isUpperLetterLabel(label):
		// "A. Smith" starts with an initial far more often than with item A.
		return markerSpace(line, j+1)
	}
	return 0
}

// numberLabel returns the length of a number label such as "2. " or "12) " opening s, or 0.
func numberLabel(s string) int {
	j := 0
	for j < len(s) && j < 4 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == 0 || j > 3 || j >= len(s) || (s[j] != '.' && s[j] != ')') {
		return 0
	}
	return markerSpace(s, j+1)
}

func markerSpace(line string, n int) int {
	if n >= len(line) || (line[n] != ' ' && line[n] != '\t') {
		return 0
	}
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	return n
}

func isListLabel(s string) bool {
	if len(s) <= 3 && allDigits(s) {
		return true
	}
	if len(s) == 1 && isASCIILetter(s[0]) {
		return true
	}
	switch s {
	case "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii":
		return true
	}
	return false
}

func isUpperLetterLabel(s string) bool { return len(s) == 1 && s[0] >= 'A' && s[0] <= 'Z' }

// Characters that may open a sentence before its first word, and that may close one after
// its final punctuation.
const (
	openers = "\"'“‘([{«‹¿¡*_"
	closers = "\"'”’)]}»›*_"
)

func isTerminal(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '‽', '。', '！', '？':
		return true
	}
	return false
}

// splitSegment appends the sentences of body[start:end], a stretch no sentence crosses.
func splitSegment(body string, start, end int, out []Sentence) []Sentence {
	sentStart := start
	emit := func(to int) {
		s, e := trimSpaceRange(body, sentStart, to)
		if s > start {
			// An inline list, "1. The first item. 2. The second item.", loses its later
			// labels as a list set out on lines does.
			s, e = trimSpaceRange(body, s+numberLabel(body[s:e]), e)
		}
		if s < e && hasAlnum(body[s:e]) {
			out = append(out, Sentence{Text: body[s:e], Start: s, End: e})
		}
		sentStart = to
	}
	for i := start; i < end; {
		r, n := utf8.DecodeRuneInString(body[i:end])
		if !isTerminal(r) {
			i += n
			continue
		}
		// The run of final punctuation and the quotes and brackets that close around it.
		runStart := i
		periods, other, cjk := 0, 0, false
		j := i
	run:
		for j < end {
			r, n := utf8.DecodeRuneInString(body[j:end])
			switch {
			case r == '.':
				periods++
			case r == '…':
				periods += 3
			case isTerminal(r):
				other++
				if r == '。' || r == '！' || r == '？' {
					cjk = true
				}
			case strings.ContainsRune(closers, r):
			default:
				break run
			}
			j += n
		}
		i = j
		if cjk {
			emit(j)
			continue
		}
		if j < end {
			r, _ := utf8.DecodeRuneInString(body[j:end])
			if !unicode.IsSpace(r) {
				continue // "3.5", "U.N.", "example.org", "?!x"
			}
		}
		next := nextWord(body[j:end])
		if next == "" {
			continue // the segment's end closes the sentence anyway
		}
		if isBoundary(body, start, sentStart, runStart, periods, other, next) {
			emit(j)
		}
	}
	emit(end)
	return out
}

// isBoundary decides whether the final punctuation starting at body[runStart] ends the
// sentence that began at sentStart, given the word that follows it.
func isBoundary(body string, segStart, sentStart, runStart, periods, other int, next string) bool {
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(next, openers))
	switch {
	case unicode.IsLower(first):
		return false // "etc. to the camp", "Wait... what?", "(as an engineer.) at the"
	case first == '.' || first == ',' || first == ';' || first == ':':
		return false // a spaced ellipsis ". . ." or stray punctuation
	}
	if r, _ := utf8.DecodeLastRuneInString(body[segStart:runStart]); r == '[' || r == '(' {
		return false // an editor's mark: "[...]", "(!)", "[?]"
	}
	if other > 0 || periods > 1 {
		return true // "?", "!", "..." before a capital
	}
	word := prevWord(body, segStart, runStart)
	nextStartsNumber := unicode.IsDigit(first) || unicode.Is(unicode.Sc, first)
	switch {
	case word == "":
		return true
	case alwaysAbbrev[word]:
		return false
	case numberAbbrev[word]:
		return !nextStartsNumber
	case isNumber(word):
		// A short number opening its sentence is a list label: "1. The first item."
		first := strings.TrimSpace(body[sentStart:runStart]) == word
		return !(first && len(word) <= 3)
	case isDottedAcronym(word) || isInitial(word):
		// "the U.N. Security Council" and "George W. Bush" go on; "sent to the U.N. The
		// convoy left" ends. Only a following word that usually starts sentences tells
		// them apart, and a following initial means a run of them: "J. R. R. Tolkien".
		if isInitial(strings.TrimRight(next, ".")) && strings.HasSuffix(next, ".") {
			return false
		}
		return sentenceStarters[strings.TrimRight(strings.TrimLeft(next, openers), closers+",;:")]
	}
	return true
}

// prevWord returns the word before the final punctuation at body[runStart], without the
// quotes or brackets around it: `(again.)` gives "again", `"Stop."` gives "Stop".
func prevWord(body string, segStart, runStart int) string {
	i := runStart
	for i > segStart {
		r, n := utf8.DecodeLastRuneInString(body[segStart:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= n
	}
	w := strings.TrimLeft(body[i:runStart], openers)
	return strings.TrimRight(w, closers)
}

// nextWord returns the first whitespace-separated word of s, or "" when there is none.
func nextWord(s string) string {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i]
	}
	return s
}

// Abbreviations that are written before a name or a term, so never end a sentence.
var alwaysAbbrev = setOf(
	"Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Rev", "Revd", "Fr", "Rt", "Hon", "Gen", "Lt",
	"Col", "Capt", "Cdr", "Maj", "Sgt", "Cpl", "Brig", "Adm", "Gov", "Sen", "Rep", "Supt",
	"Insp", "Det", "Cllr", "Messrs", "Mme", "Mlle", "St", "Mt", "Ste",
	"e.g", "i.e", "E.g", "I.e", "eg", "ie", "cf", "Cf", "viz", "vs", "v", "approx", "Approx",
	"incl", "esp", "ca", "resp",
)

// Abbreviations that are written before a number; before anything else they may end a
// sentence: "in Dec. 2016" goes on, "until Dec. Then" ends.
var numberAbbrev = setOf(
	"No", "Nos", "no", "nos", "Art", "Arts", "art", "Sec", "sec", "Para", "para", "paras",
	"p", "pp", "Vol", "vol", "Ch", "ch", "Fig", "fig", "figs", "op", "c", "Cl", "cl",
	"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
)

// Words that usually begin a sentence, used only to decide whether a sentence ends after
// an initial or a dotted acronym.
var sentenceStarters = setOf(
	"The", "A", "An", "It", "Its", "It's", "He", "She", "They", "We", "I", "You", "This",
	"That", "These", "Those", "There", "Their", "Our", "My", "His", "Her", "But", "And", "Or",
	"So", "Yet", "However", "Meanwhile", "In", "On", "At", "As", "If", "When", "While",
	"After", "Before", "Since", "Although", "Though", "Because", "What", "Why", "How", "Who",
	"Where", "Which", "Many", "Some", "All", "Most", "Both", "Each", "Every", "No", "Not",
	"Nor", "Now", "Then", "Today", "Yesterday", "Tomorrow", "Also", "Indeed", "Further",
	"Furthermore", "Moreover", "Finally", "First", "Firstly", "Secondly", "Such", "Any",
	"Thank", "Please", "Let", "For", "With", "Without", "By", "From", "To", "Of", "Under",
	"Despite", "During", "Following", "According", "Instead", "Sadly", "Unfortunately",
	"Clearly", "Last", "Next", "One", "Two", "Three", "Once", "Here", "Other", "Only",
	"Even", "Yes", "Whether", "Until", "Over", "Those", "Everyone", "Nobody", "None",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// isInitial reports whether w is one capital letter, as in "George W. Bush". "I" is a
// pronoun far more often than an initial.
func isInitial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return n == len(w) && n > 0 && unicode.IsUpper(r) && r != 'I'
}

// isDottedAcronym reports whether w is capitals separated by full stops, its final full
// stop left off: "U.N", "U.S.A".
func isDottedAcronym(w string) bool {
	if len(w) < 3 || len(w)%2 == 0 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if i%2 == 0 && !(w[i] >= 'A' && w[i] <= 'Z') {
			return false
		}
		if i%2 == 1 && w[i] != '.' {
			return false
		}
	}
	return true
}

// isNumber reports whether w is a figure such as "2016", "3.5", "1,000" or "250".
func isNumber(w string) bool {
	digits := 0
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || c == ',':
		default:
			return false
		}
	}
	return digits > 0
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || (c >= '0' && c <= '9') }

// trimSpaceRange narrows [start, end) of s to leave out surrounding whitespace.
func trimSpaceRange(s string, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	return start, end
}
