// Package evidence ranks the items that support each sentence of a statement: items filed
// under the statement's topics, published before the statement, that share the sentence's
// content words, the rarer words counting more, and the nearer in time the better.
//
// The database finds the candidates with its own full-text index (FTS5's bm25 on SQLite,
// ts_rank on PostgreSQL); this package then ranks them again itself with one formula (BM25
// over the folded title and text, with document frequencies counted in the database), so that
// both databases give the same suggestions for the same data, and so that the reason shown to
// the editor, the words the sentence and the item share, is exactly what was scored.
package evidence

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
)

// Options tune a Ranker; the zero value takes the defaults.
type Options struct {
	// PerSentence is how many suggestions each sentence keeps (default 3).
	PerSentence int
	// Candidates is how many items the database returns per sentence, by its own rank when
	// more match, for this package to rank again (default 100; 200 gave the same
	// suggestions on the test corpora, and cost a tenth more at a million items). The pairs
	// of rare words seldom find more, so the two databases' different ranks seldom decide
	// which items are scored.
	Candidates int
	// MaxTerms caps the words searched per sentence; the rarest are kept (default 12).
	MaxTerms int
	// Workers is how many queries run at once. The default is the number of CPUs Go uses on
	// SQLite, whose queries run in this process: at a million items on two CPUs, a 500-word
	// statement took 45–54 ms with two and 60–73 ms with four, the costliest sentence's search
	// sharing its CPU with the others'. On PostgreSQL, whose queries run in the server and
	// leave the worker waiting, it is 4.
	Workers int
}

func (o Options) withDefaults(d store.Dialect) Options {
	if o.PerSentence <= 0 {
		o.PerSentence = 3
	}
	if o.Candidates <= 0 {
		o.Candidates = 100
	}
	if o.MaxTerms <= 0 {
		o.MaxTerms = 12
	}
	if o.Workers <= 0 {
		o.Workers = 4
		if d == store.SQLite {
			o.Workers = runtime.GOMAXPROCS(0)
		}
	}
	return o
}

// Ranker suggests evidence from the items in DB. A Ranker is safe for concurrent use; keep
// one for the life of the process, since it remembers word counts for a while.
type Ranker struct {
	DB   *store.DB
	Opts Options

	once  sync.Once
	cache *dfCache
}

// Input is a statement's text and what places it: its topics and its date.
type Input struct {
	Body     string
	TopicIDs []int64
	// Date is when the statement was made: items published after it cannot support it, and
	// the nearer an item is before it, the more it counts.
	Date time.Time
}

// Suggestion is an item suggested for a sentence.
type Suggestion struct {
	Item  store.EvidenceItem
	Score float64
	// Terms are the sentence's words (folded) that the item shares: the reason it is
	// suggested.
	Terms []string
}

// SentenceSuggestions are a sentence's suggestions, best first.
type SentenceSuggestions struct {
	statements.Sentence
	Hash        string
	Suggestions []Suggestion
}

// The scoring constants. k1 and b are BM25's usual values; a title is short and says what
// the item is about, so a word there counts titleWeight times a word of the text.
const (
	k1          = 1.2
	b           = 0.75
	titleWeight = 2.5
	// A word in more than this share of all items, and in more than minCommon of them, is
	// common: it is neither searched nor scored.
	commonShare = 0.02
	minCommon   = 50
	// queryTerms is how many of a sentence's rarest words find its candidates, by pairs: an
	// item that supports a sentence shares two or more of its rarest words (the places, the
	// numbers, the names), and a suggestion must share two words anyway. Pairs keep the
	// candidates few, so the database's own rank, which differs between SQLite and
	// PostgreSQL, seldom has to cut them.
	queryTerms = 8
	// pivotLength is the length (title words counted titleWeight times, plus text words) at
	// which BM25 neither rewards nor penalizes an item for its length: a feed item's title
	// and summary. BM25 usually takes the corpus's average; a constant keeps an item's
	// score independent of which other items were candidates, so that both databases, and
	// the preview and the saved suggestions, score it alike.
	pivotLength = 100.0
	// minShareOfBest is the least score, as a share of a sentence's best, that a suggestion
	// must have.
	minShareOfBest = 0.25
	// timeScale is the age in days at which nearness in time has lost half of what it adds.
	timeScale = 30.0
)

// Suggest ranks, for each sentence of in.Body, the items that best support it. It writes
// nothing.
func (r *Ranker) Suggest(ctx context.Context, in Input) ([]SentenceSuggestions, error) {
	opts := r.Opts.withDefaults(r.DB.Dialect)
	sents := statements.Split(in.Body)
	out := make([]SentenceSuggestions, len(sents))
	sentTerms := make([][]Term, len(sents))
	var distinct []Term
	index := map[Term]int{}
	for i, s := range sents {
		folded := docket.Fold(s.Text)
		out[i] = SentenceSuggestions{Sentence: s, Hash: statements.Hash(s.Text)}
		sentTerms[i] = Terms(folded)
		for _, t := range sentTerms[i] {
			k := Term{Key: t.Key, Prefix: t.Prefix}
			if _, ok := index[k]; !ok {
				index[k] = len(distinct)
				distinct = append(distinct, k)
			}
		}
	}
	if len(distinct) == 0 || len(in.TopicIDs) == 0 {
		return out, nil
	}

	// Word counts and the number of items they were counted over come from one snapshot,
	// term_stats, when a background job has taken one; a small database has none and is
	// counted as it stands.
	stats, err := r.DB.TermStatsInfo(ctx)
	if err != nil {
		return nil, err
	}
	var n int
	if stats != nil {
		n = stats.Items
	} else if n, err = r.DB.ItemCount(ctx); err != nil {
		return nil, err
	}
	if n == 0 {
		return out, nil
	}
	// Words in more than one item in fifty (and in more than a few dozen) say little about
	// which item supports a sentence, on any topic's corpus; counting how many items have
	// them exactly would cost more than all the rest, so they are counted up to the cap and
	// then left out, like stop words.
	limit := max(minCommon, int(commonShare*float64(n)))
	df, err := r.docFreq(ctx, distinct, stats, limit, opts.Workers)
	if err != nil {
		return nil, err
	}
	dfOf := func(t Term) int { return df.df[index[Term{Key: t.Key, Prefix: t.Prefix}]] }
	search := func(t Term) store.EvidenceTerm {
		s := t.search()
		s.Words = df.words[index[Term{Key: t.Key, Prefix: t.Prefix}]]
		return s
	}
	idf := func(t Term) float64 { return IDF(n, dfOf(t)) }

	// Per sentence: the words to score (the rarest MaxTerms that some item has and that are
	// not common), and the rarest of them to find candidates by.
	scoring := make([][]Term, len(sents))
	queries := make([][]store.EvidenceTerm, len(sents))
	for i, terms := range sentTerms {
		var present []Term
		for _, t := range terms {
			if d := dfOf(t); d > 0 && d <= limit {
				present = append(present, t)
			}
		}
		// A suggestion shares two of the sentence's words: a sentence with fewer than two
		// that some item has and that are not common can have none.
		if len(present) < 2 {
			continue
		}
		sort.SliceStable(present, func(a, c int) bool { return dfOf(present[a]) < dfOf(present[c]) })
		if len(present) > opts.MaxTerms {
			present = present[:opts.MaxTerms]
		}
		for _, t := range present[:min(queryTerms, len(present))] {
			queries[i] = append(queries[i], search(t))
		}
		// Back in the sentence's order, which is the order the reasons read best in.
		pos := map[string]int{}
		for j, t := range terms {
			pos[t.Key] = j
		}
		sort.SliceStable(present, func(a, c int) bool { return pos[present[a].Key] < pos[present[c].Key] })
		scoring[i] = present
	}

	cands := make([][]int64, len(sents))
	err = parallel(ctx, len(sents), opts.Workers, func(ctx context.Context, i int) error {
		if len(queries[i]) == 0 {
			return nil
		}
		ids, err := r.DB.EvidenceCandidates(ctx, store.EvidenceQuery{TwoOf: queries[i], TopicIDs: in.TopicIDs, Before: in.Date, Limit: opts.Candidates})
		cands[i] = ids
		return err
	})
	if err != nil {
		return nil, err
	}
	pool := map[int64]bool{}
	for _, ids := range cands {
		for _, id := range ids {
			pool[id] = true
		}
	}
	ids := make([]int64, 0, len(pool))
	for id := range pool {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// Loading the candidates and folding their text is the longest part after the search:
	// the workers share it, a slice of the ids each.
	parts := make([][]*doc, min(opts.Workers, len(ids)))
	err = parallel(ctx, len(parts), opts.Workers, func(ctx context.Context, p int) error {
		lo, hi := p*len(ids)/len(parts), (p+1)*len(ids)/len(parts)
		items, err := r.DB.EvidenceItems(ctx, ids[lo:hi])
		if err != nil {
			return err
		}
		for i := range items {
			parts[p] = append(parts[p], newDoc(&items[i]))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	docs := make(map[int64]*doc, len(ids))
	for _, part := range parts {
		for _, d := range part {
			docs[d.item.ID] = d
		}
	}

	for i := range sents {
		var ranked []Suggestion
		for _, id := range cands[i] {
			d := docs[id]
			if d == nil {
				continue // deleted between the two queries
			}
			score, shared := d.score(scoring[i], idf)
			// One shared word is a coincidence, not support: "Thank you for writing about
			// Aleppo" shares "Aleppo" with every item of the topic.
			if len(shared) < 2 {
				continue
			}
			score *= Nearness(in.Date.Sub(d.item.PublishedAt))
			ranked = append(ranked, Suggestion{Item: *d.item, Score: round(score), Terms: shared})
		}
		sort.Slice(ranked, func(a, c int) bool {
			if ranked[a].Score != ranked[c].Score {
				return ranked[a].Score > ranked[c].Score
			}
			return ranked[a].Item.ID < ranked[c].Item.ID
		})
		// An item far behind the best one shares a word or two by chance: it is not
		// offered, so the editor sees the reports that support the sentence and not noise.
		for j := range ranked {
			if ranked[j].Score < minShareOfBest*ranked[0].Score {
				ranked = ranked[:j]
				break
			}
		}
		if len(ranked) > opts.PerSentence {
			ranked = ranked[:opts.PerSentence]
		}
		out[i].Suggestions = ranked
	}
	return out, nil
}

// IDF is BM25's inverse document frequency of a word found in df of n items: near 0 for a
// word every item has, growing as the word gets rarer.
func IDF(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// Nearness weighs an item by how long before the statement it was published: 1 for the same
// moment, ½ + ½·1/(1+days/30) after, so a month-old item counts ¾ and the oldest ½. Relevance
// decides; time breaks near-ties in favour of the report closest to what the MP responded to.
func Nearness(age time.Duration) float64 {
	days := max(age.Hours()/24, 0)
	return 0.5 + 0.5/(1+days/timeScale)
}

// round keeps scores to a precision both databases' floating-point columns store exactly
// enough to compare.
func round(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// doc is an item's folded title and text, as both databases index them.
type doc struct {
	item        *store.EvidenceItem
	title, body string // folded: words separated by single spaces
	length      float64
}

func newDoc(it *store.EvidenceItem) *doc {
	d := &doc{item: it, title: docket.Fold(it.Title), body: docket.Fold(it.Text)}
	d.length = titleWeight*float64(wordCount(d.title)) + float64(wordCount(d.body))
	return d
}

// wordCount is how many words docket.Fold's output has: they are separated by single ASCII
// spaces.
func wordCount(folded string) int {
	if folded == "" {
		return 0
	}
	return strings.Count(folded, " ") + 1
}

// score is BM25 over one field made of the title (counted titleWeight times) and the text,
// and the sentence's words the item has, in the sentence's order.
func (d *doc) score(terms []Term, idf func(Term) float64) (float64, []string) {
	var s float64
	var shared []string
	norm := k1 * (1 - b + b*d.length/pivotLength)
	for _, t := range terms {
		tf := titleWeight*float64(count(d.title, t)) + float64(count(d.body, t))
		if tf == 0 {
			continue
		}
		s += idf(t) * tf * (k1 + 1) / (tf + norm)
		shared = append(shared, t.Word)
	}
	return s, shared
}

// count is how many words of folded (docket.Fold's output) t matches: the places its key
// starts a word and, unless it is a prefix, ends one. Searching the text for the key (which
// strings.Index does a word of memory at a time) is several times cheaper than splitting it
// into words and comparing each, and the text is scored once for every sentence it is a
// candidate for.
func count(folded string, t Term) int {
	n := 0
	for i := 0; i+len(t.Key) <= len(folded); {
		j := strings.Index(folded[i:], t.Key)
		if j < 0 {
			break
		}
		j += i
		end := j + len(t.Key)
		if (j == 0 || folded[j-1] == ' ') && (t.Prefix || end == len(folded) || folded[end] == ' ') {
			n++
		}
		// The next word starts after a space; a match inside this one cannot start a word.
		next := strings.IndexByte(folded[end:], ' ')
		if next < 0 {
			break
		}
		i = end + next + 1
	}
	return n
}

// StatementDate is the date evidence is weighed against: when the statement was published,
// or now for one not yet (or no longer) public.
func StatementDate(s *docket.Statement, now time.Time) time.Time {
	if s.PublishedAt != nil && (s.Status == docket.StatusPublished || s.Status == docket.StatusWithdrawn) {
		return *s.PublishedAt
	}
	return now
}

// Refresh computes the suggestions for a statement's saved text and stores them in place of
// the previous ones. Evidence someone confirmed or rejected is kept.
func (r *Ranker) Refresh(ctx context.Context, statementID int64) error {
	s, err := r.DB.StatementByID(ctx, statementID)
	if err != nil {
		return err
	}
	topics, err := r.DB.StatementTopics(ctx, statementID)
	if err != nil {
		return err
	}
	in := Input{Body: s.Body, Date: StatementDate(s, r.DB.Now())}
	for _, t := range topics {
		in.TopicIDs = append(in.TopicIDs, t.ID)
	}
	res, err := r.Suggest(ctx, in)
	if err != nil {
		return fmt.Errorf("suggest evidence for statement %d: %w", statementID, err)
	}
	var sugg []store.Suggestion
	for _, ss := range res {
		for _, g := range ss.Suggestions {
			sugg = append(sugg, store.Suggestion{SentenceHash: ss.Hash, SentenceText: ss.Text, ItemID: g.Item.ID,
				Score: g.Score, Terms: strings.Join(g.Terms, ", ")})
		}
	}
	return r.DB.SaveSuggestions(ctx, statementID, s.Revision, sugg)
}

// SentenceEvidence is a sentence of a statement with the evidence stored for it.
type SentenceEvidence struct {
	statements.Sentence
	Hash     string
	Evidence []store.EvidenceRow // in the order given
}

// BySentence puts a statement's stored evidence under the sentences of body, in the order of
// the body; evidence anchored to a sentence the body no longer has is left out.
func BySentence(body string, ev []store.EvidenceRow) []SentenceEvidence {
	byHash := map[string][]store.EvidenceRow{}
	for _, e := range ev {
		byHash[e.SentenceHash] = append(byHash[e.SentenceHash], e)
	}
	sents := statements.Split(body)
	out := make([]SentenceEvidence, len(sents))
	for i, s := range sents {
		h := statements.Hash(s.Text)
		out[i] = SentenceEvidence{Sentence: s, Hash: h, Evidence: byHash[h]}
	}
	return out
}
