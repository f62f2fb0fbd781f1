package store

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
)

// Full-text search over a topic's timeline. The reader's query is parsed here, in Go, into
// folded words, phrases and prefixes; each dialect gets an expression built from those folded
// words only (an FTS5 MATCH string on SQLite, a tsquery on PostgreSQL), passed as a bound
// parameter, never spliced into SQL. Both indexes hold docket.Fold of the same text (see
// SaveItems), and the snippets are cut here from the item's plain text, so both databases give
// the same items and the same snippets for the same query.

// Limits on a search query: a search box is not a place for essays, and every term costs an
// index lookup.
const (
	MaxSearchLen   = 500
	MaxSearchTerms = 12
	// minPrefix is the shortest prefix accepted: "a*" would touch most of the index.
	minPrefix = 2
)

// SearchTerm is one thing a search looks for: a word, or a phrase of words in a row, all
// folded. Prefix makes the last word match any word it begins.
type SearchTerm struct {
	Words  []string
	Prefix bool
}

func (t SearchTerm) String() string {
	s := strings.Join(t.Words, " ")
	if len(t.Words) > 1 {
		s = `"` + s + `"`
	}
	if t.Prefix {
		s += "*"
	}
	return s
}

// SearchQuery is a parsed search: every term must occur in the item's title or text (a phrase
// within one of them).
type SearchQuery struct {
	Terms []SearchTerm
}

// IsZero reports whether the query looks for nothing (an empty box, or only punctuation).
func (q SearchQuery) IsZero() bool { return len(q.Terms) == 0 }

// String writes the query back in the form ParseSearch reads.
func (q SearchQuery) String() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		parts[i] = t.String()
	}
	return strings.Join(parts, " ")
}

// hasPhrase reports whether a term of q is a phrase of several words.
func (q SearchQuery) hasPhrase() bool {
	for _, t := range q.Terms {
		if len(t.Words) > 1 {
			return true
		}
	}
	return false
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

// ParseSearch reads what a reader typed in a search box: words, "quoted phrases", and a
// trailing * for a prefix (evacuat*, "peace talk"*). Every term must match; case, accents and
// punctuation do not matter (al-Assad is the phrase "al assad"). An unclosed quote runs to the
// end. A query of only punctuation is the zero query.
func ParseSearch(s string) (SearchQuery, error) {
	var q SearchQuery
	if len(s) > MaxSearchLen {
		return q, docket.FieldError("q", "the search is longer than %d characters", MaxSearchLen)
	}
	s = strings.ToValidUTF8(s, " ")
	seen := map[string]bool{}
	add := func(text string, prefix bool) error {
		words := strings.Fields(docket.Fold(text))
		if len(words) == 0 {
			return nil
		}
		t := SearchTerm{Words: words, Prefix: prefix}
		if prefix && utf8.RuneCountInString(words[len(words)-1]) < minPrefix {
			return docket.FieldError("q", "%s: put at least %d letters before the *", strings.TrimSpace(text)+"*", minPrefix)
		}
		key := t.String()
		if seen[key] {
			return nil
		}
		seen[key] = true
		if len(q.Terms) == MaxSearchTerms {
			return docket.FieldError("q", "search for at most %d words or phrases", MaxSearchTerms)
		}
		q.Terms = append(q.Terms, t)
		return nil
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isQuote(r):
			i += size
			end := len(s)
			next := len(s)
			for j := i; j < len(s); {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if isQuote(r2) {
					end, next = j, j+n
					break
				}
				j += n
			}
			phrase := strings.TrimSpace(s[i:end])
			prefix := strings.HasSuffix(phrase, "*")
			if next < len(s) && s[next] == '*' {
				prefix = true
				next++
			}
			if err := add(strings.TrimRight(phrase, "*"), prefix); err != nil {
				return SearchQuery{}, err
			}
			i = next
		default:
			j := i
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r2) || isQuote(r2) {
					break
				}
				j += n
			}
			word := s[i:j]
			if err := add(strings.TrimRight(word, "*"), strings.HasSuffix(word, "*")); err != nil {
				return SearchQuery{}, err
			}
			i = j
		}
	}
	return q, nil
}

// ftsMatch is the query as an FTS5 MATCH expression: each term a quoted phrase, a prefix
// marked by a * after the closing quote, terms side by side (FTS5's implicit AND). A phrase
// never spans FTS5's columns, so it matches within the title or within the text.
func (q SearchQuery) ftsMatch() string {
	var b strings.Builder
	for i, t := range q.Terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		for j, w := range t.Words {
			if j > 0 {
				b.WriteByte(' ')
			}
			// Folded words hold only letters and digits; doubling quotes keeps that a
			// property of this function rather than of its input.
			b.WriteString(strings.ReplaceAll(w, `"`, `""`))
		}
		b.WriteByte('"')
		if t.Prefix {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// tsQuery is the query as text for to_tsquery('simple', ...): words joined by &, a phrase's
// words by <->, a prefix marked :*. PostgreSQL's tsvector puts the title's words (weight A)
// and the text's (weight B) in one sequence, so a phrase is restricted to one weight at a time:
// otherwise the last word of a title and the first of the text would count as a phrase, which
// SQLite's FTS5 never does.
func (q SearchQuery) tsQuery() string {
	var b strings.Builder
	for i, t := range q.Terms {
		if i > 0 {
			b.WriteString(" & ")
		}
		if len(t.Words) == 1 {
			b.WriteString(tsLexeme(t.Words[0], t.Prefix, ""))
			continue
		}
		b.WriteByte('(')
		for k, weight := range []string{"A", "B"} {
			if k > 0 {
				b.WriteString(" | ")
			}
			b.WriteByte('(')
			for j, w := range t.Words {
				if j > 0 {
					b.WriteString(" <-> ")
				}
				b.WriteString(tsLexeme(w, t.Prefix && j == len(t.Words)-1, weight))
			}
			b.WriteByte(')')
		}
		b.WriteByte(')')
	}
	return b.String()
}

// tsLexeme quotes one folded word for to_tsquery, with its prefix mark and weight.
func tsLexeme(w string, prefix bool, weight string) string {
	s := "'" + strings.ReplaceAll(strings.ReplaceAll(w, `\`, `\\`), "'", "''") + "'"
	if prefix || weight != "" {
		s += ":"
		if prefix {
			s += "*"
		}
		s += weight
	}
	return s
}

// Matches reports whether every term of q occurs in one of fields (a phrase within one field),
// by the rules the databases apply; it is how search filters records that have no index, such
// as statements on a timeline.
func (q SearchQuery) Matches(fields ...string) bool {
	if q.IsZero() {
		return true
	}
	found := make([]bool, len(q.Terms))
	for _, f := range fields {
		fw := foldWords(f)
		for _, h := range fw.hits(q) {
			found[h.term] = true
		}
	}
	for _, ok := range found {
		if !ok {
			return false
		}
	}
	return true
}

// Segment is a piece of a title or snippet; Hit marks the words a search matched. Pages show
// hits with <mark>, escaping every segment, so a snippet never carries HTML of its own.
type Segment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// foldedText is a text split into words as docket.Fold splits it, each word in folded form
// with the byte span of the original text it came from.
type foldedText struct {
	text  string
	buf   []byte // the folded words, back to back
	words []foldedWord
}

type foldedWord struct {
	fs, fe     int // the folded word: buf[fs:fe]
	start, end int // where it came from: text[start:end]
}

// is reports whether word i is w, or begins with w when prefix is set.
func (t *foldedText) is(i int, w string, prefix bool) bool {
	got := t.buf[t.words[i].fs:t.words[i].fe]
	if prefix {
		return len(got) >= len(w) && string(got[:len(w)]) == w
	}
	return string(got) == w
}

// maxSnippetScan caps how much of a long text snippets look through.
const maxSnippetScan = 128 << 10

// foldWords splits text as docket.Fold does, one rune at a time so each folded word keeps its
// place in the original: accents are dropped (a combining mark stays inside its word), letters
// and digits are lowercased, and everything else breaks words.
func foldWords(text string) *foldedText {
	if len(text) > maxSnippetScan {
		cut := maxSnippetScan
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	t := &foldedText{text: text, buf: make([]byte, 0, len(text))}
	in := false
	open := func(at int) {
		if !in {
			t.words = append(t.words, foldedWord{fs: len(t.buf), start: at})
			in = true
		}
	}
	close := func() {
		if in {
			t.words[len(t.words)-1].fe = len(t.buf)
			in = false
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r < utf8.RuneSelf {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				open(i)
				if r >= 'A' && r <= 'Z' {
					r += 'a' - 'A'
				}
				t.buf = append(t.buf, byte(r))
				t.words[len(t.words)-1].end = i + size
			} else {
				close()
			}
			i += size
			continue
		}
		if r == utf8.RuneError && size == 1 {
			close()
			i += size
			continue
		}
		folded := docket.FoldAccents(string(r))
		if folded == "" && in {
			// A combining mark: Fold drops it, so the word goes on through it.
			t.words[len(t.words)-1].end = i + size
		}
		for _, fr := range folded {
			if unicode.IsLetter(fr) || unicode.IsDigit(fr) {
				open(i)
				t.buf = utf8.AppendRune(t.buf, unicode.ToLower(fr))
				t.words[len(t.words)-1].end = i + size
			} else {
				close()
			}
		}
		i += size
	}
	close()
	return t
}

// hit is an occurrence of a term: words[from..to] (inclusive).
type hit struct {
	from, to int
	term     int
}

// hits finds every occurrence of q's terms, in order of position.
func (t *foldedText) hits(q SearchQuery) []hit {
	var out []hit
	for i := range t.words {
		for ti, term := range q.Terms {
			n := len(term.Words)
			if i+n > len(t.words) {
				continue
			}
			ok := true
			for k, w := range term.Words {
				if ok = t.is(i+k, w, term.Prefix && k == n-1); !ok {
					break
				}
			}
			if ok {
				out = append(out, hit{from: i, to: i + n - 1, term: ti})
			}
		}
	}
	return out
}

// Highlight splits a short text, such as a title, into segments with q's matches marked.
func Highlight(text string, q SearchQuery) []Segment {
	if text == "" {
		return nil
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	t := foldWords(text)
	if len(t.text) < len(text) {
		t.text = text // past the scan cap nothing is marked, but nothing is lost either
	}
	return t.segments(0, len(t.text), t.hits(q))
}

// Snippet cuts from an item's plain text the passage of about width bytes that holds the most
// of q's terms (then the most matches, then the earliest), starting and ending on whole words,
// with "…" where it cuts, and the matches marked. The title, which plain text repeats at its
// start, is left out. With no match in the text it gives the text's opening words.
func Snippet(text, title string, q SearchQuery, width int) []Segment {
	// Invalid bytes break words, as in docket.Fold; pages and JSON get valid text.
	text = strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD"))
	title = strings.ToValidUTF8(title, "\uFFFD")
	if title = strings.TrimSpace(title); title != "" && strings.HasPrefix(text, title) {
		// The title's closing punctuation goes with it.
		text = strings.TrimLeftFunc(text[len(title):], func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(".,;:!?|-–—", r)
		})
	}
	if text == "" {
		return nil
	}
	if width <= 0 {
		width = 240
	}
	t := foldWords(text)
	if len(t.words) == 0 {
		return nil
	}
	hits := t.hits(q)
	first, last := t.window(hits, width)
	start, end := t.words[first].start, t.words[last].end
	// Keep the punctuation that clings to the first and last words: an opening quote, a
	// closing full stop.
	if first == 0 {
		start = 0
	} else {
		for start > t.words[first-1].end {
			r, n := utf8.DecodeLastRuneInString(t.text[:start])
			if unicode.IsSpace(r) {
				break
			}
			start -= n
		}
	}
	if last == len(t.words)-1 {
		end = len(t.text)
	} else {
		for end < t.words[last+1].start {
			r, n := utf8.DecodeRuneInString(t.text[end:])
			if unicode.IsSpace(r) {
				break
			}
			end += n
		}
	}
	var inside []hit
	for _, h := range hits {
		if h.from <= last && h.to >= first {
			inside = append(inside, h)
		}
	}
	segs := t.segments(start, end, inside)
	if first > 0 {
		segs = append([]Segment{{Text: "… "}}, segs...)
	}
	if last < len(t.words)-1 || len(t.text) < len(text) {
		segs = append(segs, Segment{Text: " …"})
	}
	return mergeSegments(segs)
}

// window chooses the words [first, last] a snippet shows.
func (t *foldedText) window(hits []hit, width int) (first, last int) {
	fits := func(a, b int) bool { return t.words[b].end-t.words[a].start <= width }
	if len(hits) == 0 {
		last = 0
		for last+1 < len(t.words) && fits(0, last+1) {
			last++
		}
		return 0, last
	}
	// The run of hits that fits in the width and covers the most distinct terms.
	bestI, bestJ, bestTerms, bestCount := 0, 0, -1, -1
	j := 0
	for i := range hits {
		if j < i {
			j = i
		}
		for j+1 < len(hits) && fits(hits[i].from, hits[j+1].to) {
			j++
		}
		var terms uint64
		for k := i; k <= j; k++ {
			terms |= 1 << uint(hits[k].term)
		}
		n := popcount(terms)
		if n > bestTerms || n == bestTerms && j-i+1 > bestCount {
			bestI, bestJ, bestTerms, bestCount = i, j, n, j-i+1
		}
	}
	first, last = hits[bestI].from, hits[bestI].to
	for k := bestI; k <= bestJ; k++ {
		last = max(last, hits[k].to)
	}
	if !fits(first, last) {
		// One phrase longer than the width: show its start.
		for last > first && !fits(first, last) {
			last--
		}
		return first, last
	}
	// Context around the matches: a third of the room before, the rest after, and whatever
	// one side cannot use goes to the other.
	before := (width - (t.words[last].end - t.words[first].start)) / 3
	for first > 0 && fits(first-1, last) {
		step := t.words[first].start - t.words[first-1].start
		if step > before {
			break
		}
		before -= step
		first--
	}
	for last+1 < len(t.words) && fits(first, last+1) {
		last++
	}
	for first > 0 && fits(first-1, last) {
		first--
	}
	return first, last
}

func popcount(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// segments cuts text[start:end] at the hits, which are in order and may overlap.
func (t *foldedText) segments(start, end int, hits []hit) []Segment {
	var out []Segment
	pos := start
	for i := 0; i < len(hits); i++ {
		hs, he := t.words[hits[i].from].start, t.words[hits[i].to].end
		// Overlapping or touching hits become one mark.
		for i+1 < len(hits) && t.words[hits[i+1].from].start <= he {
			i++
			he = max(he, t.words[hits[i].to].end)
		}
		if hs < pos {
			hs = pos
		}
		if he > end {
			he = end
		}
		if hs >= he {
			continue
		}
		if hs > pos {
			out = append(out, Segment{Text: collapseSpace(t.text[pos:hs])})
		}
		out = append(out, Segment{Text: collapseSpace(t.text[hs:he]), Hit: true})
		pos = he
	}
	if pos < end {
		out = append(out, Segment{Text: collapseSpace(t.text[pos:end])})
	}
	return out
}

// collapseSpace turns each run of white space into one space, keeping a run at either end, so
// segments still join with the spaces between them.
func collapseSpace(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
		} else {
			space = false
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// mergeSegments joins neighbours of the same kind.
func mergeSegments(segs []Segment) []Segment {
	out := segs[:0]
	for _, s := range segs {
		if s.Text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Hit == s.Hit {
			out[n-1].Text += s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}

// SegmentsText joins segments back into plain text.
func SegmentsText(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}

// searchErr wraps a database's refusal of a search; it should not happen, since the
// expressions are built from folded words only, so it is an internal error, with the query
// for the log.
func searchErr(err error, query string) error {
	return fmt.Errorf("search %q: %w", query, err)
}
