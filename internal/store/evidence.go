package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/docket-dev/docket/internal/docket"
)

// EvidenceTerm is one word of an evidence search, in docket.Fold's form: Key matches a whole
// word, or, with Prefix, any word that begins with it ("evacu" for evacuated, evacuation).
// (The timeline's SearchTerm is what a person types; this is what the evidence ranker
// derives from a sentence.)
type EvidenceTerm struct {
	Key    string
	Prefix bool
	// Words, when given for a prefix, are the words it stands for in a search: the index
	// finds an item by any of them by walking their posting lists together, where a prefix
	// makes it gather and merge the lists of every word with that prefix first (the commonest
	// among them included) before it can step through any. They come from term_stats, so
	// they miss the prefix's rarest words, which is fine for finding candidates.
	Words []string
}

// valid reports whether the key is one folded word, so it can go into either dialect's query
// syntax without quoting rules of its own.
func (t EvidenceTerm) valid() bool {
	if !oneWord(t.Key) {
		return false
	}
	for _, w := range t.Words {
		if !oneWord(w) {
			return false
		}
	}
	return true
}

func oneWord(w string) bool {
	if w == "" || len(w) > 100 {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// Full-text query syntax, the dialects side by side: FTS5 takes "word" or "word"* joined by
// OR; PostgreSQL's to_tsquery takes word or word:* joined by |.

func (t EvidenceTerm) fts5() string {
	if len(t.Words) > 0 {
		return `("` + strings.Join(t.Words, `" OR "`) + `")`
	}
	if t.Prefix {
		return `"` + t.Key + `"*`
	}
	return `"` + t.Key + `"`
}

func (t EvidenceTerm) tsquery() string {
	if len(t.Words) > 0 {
		return `(` + strings.Join(t.Words, ` | `) + `)`
	}
	if t.Prefix {
		return t.Key + ":*"
	}
	return t.Key
}

// search writes one term in the dialect's query syntax, refusing one that is not made of
// folded words.
func (db *DB) search(t EvidenceTerm) (string, error) {
	if !t.valid() {
		return "", fmt.Errorf("search term %q is not one folded word", t.Key)
	}
	if db.Dialect == Postgres {
		return t.tsquery(), nil
	}
	return t.fts5(), nil
}

// twoOf writes a query that matches the items that have at least two of terms. Split in
// halves, L and R, an item has two of them when it has two of L, or two of R, or one of each:
// twoOf(L) OR twoOf(R) OR (any(L) AND any(R)). Each term is written about log₂(n) times,
// where the chain of rankedTwoOf writes it n/2 times on average; the index walks a term's
// posting list once for each time it is written, so the halves cost a fifth to a third less
// than the chain for six to eight terms.
func (db *DB) twoOf(terms []EvidenceTerm) (string, error) {
	words, and, or, err := db.twoOfWords(terms)
	if err != nil {
		return "", err
	}
	var two func(w []string) string
	two = func(w []string) string {
		switch len(w) {
		case 2:
			return "(" + w[0] + and + w[1] + ")"
		case 3:
			return "((" + w[0] + and + "(" + w[1] + or + w[2] + "))" + or + "(" + w[1] + and + w[2] + "))"
		}
		l, r := w[:len(w)/2], w[len(w)/2:]
		return "(" + two(l) + or + two(r) + or + "((" + strings.Join(l, or) + ")" + and + "(" + strings.Join(r, or) + ")))"
	}
	return two(words), nil
}

// rankedTwoOf writes the same match as twoOf as a chain, each term joined to the ones after
// it: (a AND (b OR c OR d)) OR (b AND (c OR d)) OR (c AND d). FTS5's bm25 adds a term's
// weight once for each place it is written in the branches an item matches, so the shape of
// the query is part of the rank: the ranked query keeps the chain the rank was tuned with
// (ts_rank counts each word once, whatever the shape).
func (db *DB) rankedTwoOf(terms []EvidenceTerm) (string, error) {
	words, and, or, err := db.twoOfWords(terms)
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, len(words)-1)
	for i := 0; i < len(words)-1; i++ {
		rest := strings.Join(words[i+1:], or)
		if len(words)-i-1 > 1 {
			rest = "(" + rest + ")"
		}
		parts = append(parts, "("+words[i]+and+rest+")")
	}
	return strings.Join(parts, or), nil
}

// twoOfWords writes each of two or more terms in the dialect's syntax, with its AND and OR.
func (db *DB) twoOfWords(terms []EvidenceTerm) (words []string, and, or string, err error) {
	if len(terms) < 2 {
		return nil, "", "", fmt.Errorf("at least two of %d terms: give two or more", len(terms))
	}
	words = make([]string, len(terms))
	for i, t := range terms {
		if words[i], err = db.search(t); err != nil {
			return nil, "", "", err
		}
	}
	and, or = " AND ", " OR "
	if db.Dialect == Postgres {
		and, or = " & ", " | "
	}
	return words, and, or, nil
}

// ItemCount returns how many items are stored.
func (db *DB) ItemCount(ctx context.Context) (int, error) {
	var n int
	err := db.get(ctx, &n, `SELECT count(*) FROM items`)
	return n, err
}

// DocFreq returns, for each term, how many items have it in their title or text, counting at
// most limit of them (0: all). Both dialects count the same items: the full text of both is
// docket.Fold's output, tokenized on its spaces.
func (db *DB) DocFreq(ctx context.Context, terms []EvidenceTerm, limit int) ([]int, error) {
	count := `SELECT %d AS i, count(*) AS n FROM (SELECT 1 FROM items_fts WHERE items_fts MATCH ?`
	if db.Dialect == Postgres {
		count = `SELECT %d AS i, count(*) AS n FROM (SELECT 1 FROM items WHERE search @@ to_tsquery('simple', ?)`
	}
	if limit > 0 {
		count += ` LIMIT ?`
	}
	count += `) x%d`
	// Twenty counts a query, so that PostgreSQL takes twenty words in one round trip. Each
	// is planned for its own word: a plan good for a word every item has (a sequential scan)
	// would be ruinous for a rare one.
	out := make([]int, len(terms))
	const chunk = 20
	for start := 0; start < len(terms); start += chunk {
		var q strings.Builder
		var args []any
		for i := start; i < min(start+chunk, len(terms)); i++ {
			m, err := db.search(terms[i])
			if err != nil {
				return nil, err
			}
			if q.Len() > 0 {
				q.WriteString(` UNION ALL `)
			}
			fmt.Fprintf(&q, count, i, i)
			args = append(args, m)
			if limit > 0 {
				args = append(args, limit)
			}
		}
		var rows []struct {
			I int `db:"i"`
			N int `db:"n"`
		}
		if err := db.sel(ctx, &rows, q.String(), args...); err != nil {
			return nil, fmt.Errorf("count items with %d words: %w", min(chunk, len(terms)-start), err)
		}
		for _, r := range rows {
			out[r.I] = r.N
		}
	}
	return out, nil
}

// EvidenceQuery selects the candidate items for one sentence: items on any of TopicIDs (a
// link not rejected) published no later than Before, that have at least two of TwoOf's terms
// (given the rarest, the most telling, first).
type EvidenceQuery struct {
	TwoOf    []EvidenceTerm
	TopicIDs []int64
	Before   time.Time
	Limit    int
}

// EvidenceCandidates returns the ids of the items that match q: all of them, newest first,
// when there are no more than q.Limit; else the q.Limit best by the database's own full-text
// rank over the rarest rankedTerms terms (FTS5's bm25 with the title weighing twice the text
// on SQLite, ts_rank over the title, weight A, and text, weight B, on PostgreSQL), best
// first, and when those terms match fewer, the newest of the rest after them. The ranks
// differ between the two databases: callers ask for more candidates than they need, with
// terms selective enough that the limit is seldom reached, and rank the candidates again
// themselves.
func (db *DB) EvidenceCandidates(ctx context.Context, q EvidenceQuery) ([]int64, error) {
	if len(q.TwoOf) < 2 || len(q.TopicIDs) == 0 {
		return nil, nil
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	match, err := db.twoOf(q.TwoOf)
	if err != nil {
		return nil, err
	}
	topics := `?` + strings.Repeat(`, ?`, len(q.TopicIDs)-1)
	// The link is looked up by item, one primary-key probe per match. SQLite, given a large
	// LIMIT, would rather walk the topic's timeline index for every match; the unary plus on
	// topic_id keeps it off that index.
	topicCol := `it.topic_id`
	if db.Dialect == SQLite {
		topicCol = `+it.topic_id`
	}
	onTopics := `EXISTS (SELECT 1 FROM item_topics it WHERE it.item_id = %s AND ` + topicCol + ` IN (` + topics + `)
		AND it.state <> 'rejected' AND it.published_at <= ?)`
	filter := []any{}
	for _, t := range q.TopicIDs {
		filter = append(filter, t)
	}
	filter = append(filter, docket.StoreTime(q.Before))

	// Ranking every match costs more than finding it (bm25 counts, for each term, the items
	// that have it, across the whole index), and is only needed when there are more matches
	// than asked for: one more than the limit are read first, in the index's own order.
	// FTS5 walks its posting lists forwards a third cheaper than backwards (a 500-word
	// statement's searches at a million items), so newest first is asked for only when the
	// newest are what is wanted.
	//
	// Materialized on PostgreSQL, the matches come from the full-text index; otherwise it may
	// walk the items backwards by id, testing every one, to find the first few.
	matches, id := `SELECT items_fts.rowid FROM items_fts WHERE items_fts MATCH ? AND `, `items_fts.rowid`
	if db.Dialect == Postgres {
		matches, id = `WITH m AS MATERIALIZED (SELECT i.id FROM items i WHERE i.search @@ to_tsquery('simple', ?))
			SELECT m.id FROM m WHERE `, `m.id`
	}
	matches += fmt.Sprintf(onTopics, id)
	some, newest := matches+` LIMIT ?`, matches+` ORDER BY `+id+` DESC LIMIT ?`
	read := func(query, match string, limit int) ([]int64, error) {
		var ids []int64
		args := append(append([]any{match}, filter...), limit)
		if err := db.sel(ctx, &ids, query, args...); err != nil {
			return nil, fmt.Errorf("evidence candidates: %w", err)
		}
		return ids, nil
	}
	ids, err := read(some, match, q.Limit+1)
	if err != nil {
		return nil, err
	}
	if len(ids) <= q.Limit {
		slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) }) // newest first
		return ids, nil
	}

	// More match than asked for: the best by the database's rank come first. bm25 reads the
	// whole posting list of every term each time the query names it, so the ranked query
	// names only the rarest rankedTerms, the most telling; what it leaves free of the limit
	// goes to the newest matches of all the terms.
	all, rankedWith := match, q.TwoOf
	if len(q.TwoOf) > rankedTerms {
		rankedWith = q.TwoOf[:rankedTerms]
		rareMatch, err := db.twoOf(rankedWith)
		if err != nil {
			return nil, err
		}
		// When the rarest terms alone match no more than the limit, the rank would keep
		// every one of their matches, so it is not computed.
		rare, err := read(some, rareMatch, q.Limit+1)
		if err != nil {
			return nil, err
		}
		if len(rare) <= q.Limit {
			slices.SortFunc(rare, func(a, b int64) int { return cmp.Compare(b, a) })
			more, err := read(newest, all, q.Limit)
			if err != nil {
				return nil, err
			}
			return fill(rare, more, q.Limit), nil
		}
	}
	if match, err = db.rankedTwoOf(rankedWith); err != nil {
		return nil, err
	}
	var ranked string
	args := append([]any{match}, filter...)
	if db.Dialect == Postgres {
		ranked = `SELECT i.id FROM items i WHERE i.search @@ to_tsquery('simple', ?) AND ` + fmt.Sprintf(onTopics, `i.id`) + `
			ORDER BY ts_rank(i.search, to_tsquery('simple', ?)) DESC, i.id LIMIT ?`
		args = append(args, match)
	} else {
		ranked = `SELECT items_fts.rowid FROM items_fts WHERE items_fts MATCH ? AND ` + fmt.Sprintf(onTopics, `items_fts.rowid`) + `
			ORDER BY bm25(items_fts, 2.0, 1.0), items_fts.rowid LIMIT ?`
	}
	args = append(args, q.Limit)
	ids = ids[:0]
	if err := db.sel(ctx, &ids, ranked, args...); err != nil {
		return nil, fmt.Errorf("evidence candidates: %w", err)
	}
	if len(ids) < q.Limit {
		// The ranked terms match more than the limit, so this is seldom reached: only
		// when items went between the two reads.
		more, err := read(newest, all, q.Limit)
		if err != nil {
			return nil, err
		}
		ids = fill(ids, more, q.Limit)
	}
	return ids, nil
}

// fill adds to ids the first of more that it lacks, up to limit in all.
func fill(ids, more []int64, limit int) []int64 {
	seen := map[int64]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	for _, id := range more {
		if len(ids) >= limit {
			break
		}
		if !seen[id] {
			ids = append(ids, id)
		}
	}
	return ids
}

// rankedTerms is how many of TwoOf's terms, the first, rank the matches when there are more
// than the limit.
const rankedTerms = 4

// EvidenceItem is an item as evidence ranking and the pages that cite it need it.
type EvidenceItem struct {
	ID          int64     `db:"id" json:"item_id"`
	URL         string    `db:"url" json:"url"`
	Title       string    `db:"title" json:"title"`
	Text        string    `db:"text" json:"-"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
	SourceTitle string    `db:"source_title" json:"source"`
	SourceKind  string    `db:"source_kind" json:"source_kind"`
}

// EvidenceItems loads items by id, in id order.
func (db *DB) EvidenceItems(ctx context.Context, ids []int64) ([]EvidenceItem, error) {
	var out []EvidenceItem
	const chunk = 400
	for start := 0; start < len(ids); start += chunk {
		end := min(start+chunk, len(ids))
		args := make([]any, 0, end-start)
		for _, id := range ids[start:end] {
			args = append(args, id)
		}
		var part []EvidenceItem
		err := db.sel(ctx, &part, `SELECT i.id, i.url, i.title, i.text, i.published_at,
			CASE WHEN s.title = '' THEN s.url ELSE s.title END AS source_title, s.kind AS source_kind
			FROM items i JOIN sources s ON s.id = i.source_id
			WHERE i.id IN (?`+strings.Repeat(", ?", len(args)-1)+`) ORDER BY i.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("load evidence items: %w", err)
		}
		out = append(out, part...)
	}
	return out, nil
}

// Suggestion is an item suggested as evidence for one sentence.
type Suggestion struct {
	SentenceHash string
	SentenceText string
	ItemID       int64
	Score        float64
	Terms        string
}

// SaveSuggestions replaces a statement's suggested evidence with sugg, which was computed from
// revision: when the statement has been saved since, a newer computation is under way and
// nothing is written. Evidence someone confirmed or rejected keeps its state; its score and
// terms are brought up to date.
func (db *DB) SaveSuggestions(ctx context.Context, statementID int64, revision int, sugg []Suggestion) error {
	return db.Update(ctx, func(tx *Tx) error {
		s, err := tx.statementByID(ctx, statementID)
		if err != nil {
			return err
		}
		if s.Revision != revision {
			return nil
		}
		if _, err := tx.exec(ctx, `DELETE FROM evidence WHERE statement_id = ? AND origin = 'suggested' AND state = 'suggested'`, statementID); err != nil {
			return fmt.Errorf("clear suggestions: %w", err)
		}
		for _, g := range sugg {
			_, err := tx.exec(ctx, `INSERT INTO evidence (statement_id, sentence_hash, sentence_text, item_id, origin, state, score, terms, created_at)
				VALUES (?, ?, ?, ?, 'suggested', 'suggested', ?, ?, ?)
				ON CONFLICT (statement_id, sentence_hash, item_id) DO UPDATE SET score = excluded.score, terms = excluded.terms`,
				statementID, g.SentenceHash, g.SentenceText, g.ItemID, g.Score, g.Terms, tx.now)
			if err != nil {
				return fmt.Errorf("store suggestion: %w", err)
			}
		}
		return nil
	})
}

// EvidenceChange is an editor's decision about one item for one sentence.
type EvidenceChange struct {
	StatementID  int64
	SentenceHash string
	SentenceText string
	ItemID       int64
	// State is confirmed, rejected, or suggested (to undo a decision).
	State string
	// Manual marks evidence the editor found rather than one Docket suggested.
	Manual bool
	Score  float64
	Terms  string
	By     *int64
}

// SetEvidence records an editor's decision: the evidence is created when it was not stored
// (a suggestion shown from the unsaved draft, or an item the editor adds), otherwise its state
// changes. Decisions belong to a version being written, so they are taken in the statuses
// whose text may change (Editable): an approved statement is reopened first, and a published
// one revised. What the public cites is the snapshot taken when a version was published
// (PublishedEvidence), which a new version's decisions leave alone until it is published.
func (db *DB) SetEvidence(ctx context.Context, c EvidenceChange) error {
	if err := c.validate(); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		s, err := tx.statementByID(ctx, c.StatementID)
		if err != nil {
			return err
		}
		if !Editable(s.Status) {
			return notEditable(s.Status)
		}
		if err := tx.setEvidence(ctx, c); err != nil {
			return err
		}
		// What the statement cites is part of the version: whoever decides it had a hand in
		// the version, and an approval of what was seen before fails.
		if _, err := tx.exec(ctx, `UPDATE statements SET evidence_rev = evidence_rev + 1 WHERE id = ?`, s.ID); err != nil {
			return fmt.Errorf("count the evidence decision: %w", err)
		}
		return tx.addAuthor(ctx, s.ID, s.Version, c.By)
	})
}

// SeedCitations confirms evidence for a statement in any status and, when it is published,
// makes it part of what the public cites, as if the office had confirmed it before
// publishing. It is for demo and benchmark data, whose statements are made published; an
// office's decisions go through SetEvidence.
func (db *DB) SeedCitations(ctx context.Context, statementID int64, cs []EvidenceChange) error {
	return db.Update(ctx, func(tx *Tx) error {
		s, err := tx.statementByID(ctx, statementID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			c.StatementID, c.State = statementID, docket.StateConfirmed
			if err := c.validate(); err != nil {
				return err
			}
			if err := tx.setEvidence(ctx, c); err != nil {
				return err
			}
		}
		if s.Status == docket.StatusPublished {
			return tx.snapshotPublished(ctx, statementID)
		}
		return nil
	})
}

func (c EvidenceChange) validate() error {
	switch c.State {
	case docket.StateConfirmed, docket.StateRejected, docket.StateSuggested:
	default:
		return docket.FieldError("state", "state %q must be confirmed, rejected or suggested", c.State)
	}
	if strings.TrimSpace(c.SentenceText) == "" || c.SentenceHash == "" {
		return docket.FieldError("sentence", "say which sentence the evidence supports")
	}
	if c.ItemID <= 0 {
		return docket.FieldError("item", "say which item supports the sentence")
	}
	return nil
}

func (tx *Tx) setEvidence(ctx context.Context, c EvidenceChange) error {
	origin := docket.EvidenceSuggested
	if c.Manual {
		origin = docket.EvidenceManual
	}
	var n int
	if err := tx.get(ctx, &n, `SELECT count(*) FROM items WHERE id = ?`, c.ItemID); err != nil {
		return err
	}
	if n == 0 {
		return docket.FieldError("item", "item %d does not exist", c.ItemID)
	}
	_, err := tx.exec(ctx, `INSERT INTO evidence (statement_id, sentence_hash, sentence_text, item_id, origin, state, score, terms, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (statement_id, sentence_hash, item_id) DO UPDATE SET state = excluded.state, created_by = excluded.created_by`,
		c.StatementID, c.SentenceHash, c.SentenceText, c.ItemID, origin, c.State, c.Score, c.Terms, c.By, tx.now)
	if err != nil {
		return fmt.Errorf("set evidence: %w", err)
	}
	return nil
}

// EvidenceRow is a piece of evidence with the item it cites.
type EvidenceRow struct {
	docket.Evidence
	ItemTitle       string    `db:"item_title" json:"title"`
	ItemURL         string    `db:"item_url" json:"url"`
	ItemPublishedAt time.Time `db:"item_published_at" json:"published_at"`
	SourceTitle     string    `db:"source_title" json:"source"`
	SourceKind      string    `db:"source_kind" json:"source_kind"`
}

const evidenceRowSelect = `SELECT e.id, e.statement_id, e.sentence_hash, e.sentence_text, e.item_id, e.origin, e.state,
	e.score, e.terms, e.created_by, e.created_at,
	i.title AS item_title, i.url AS item_url, i.published_at AS item_published_at,
	CASE WHEN s.title = '' THEN s.url ELSE s.title END AS source_title, s.kind AS source_kind
	FROM evidence e JOIN items i ON i.id = e.item_id JOIN sources s ON s.id = i.source_id`

// StatementEvidence returns all of a statement's evidence: confirmed first, then by score.
func (db *DB) StatementEvidence(ctx context.Context, statementID int64) ([]EvidenceRow, error) {
	var out []EvidenceRow
	err := db.sel(ctx, &out, evidenceRowSelect+` WHERE e.statement_id = ?
		ORDER BY CASE e.state WHEN 'confirmed' THEN 0 WHEN 'suggested' THEN 1 ELSE 2 END, e.score DESC, e.item_id`, statementID)
	return out, err
}

// ConfirmedEvidence returns the confirmed evidence of a statement's working copy, oldest
// item first: what the version being written cites.
func (db *DB) ConfirmedEvidence(ctx context.Context, statementID int64) ([]EvidenceRow, error) {
	var out []EvidenceRow
	err := db.sel(ctx, &out, evidenceRowSelect+` WHERE e.statement_id = ? AND e.state = 'confirmed'
		ORDER BY i.published_at, e.item_id`, statementID)
	return out, err
}

// PublishedEvidence returns the evidence the public page cites, oldest item first: what was
// confirmed when the published version was published. A statement that is not public has
// none.
func (db *DB) PublishedEvidence(ctx context.Context, statementID int64) ([]EvidenceRow, error) {
	var out []EvidenceRow
	err := db.sel(ctx, &out, `SELECT pe.statement_id, pe.sentence_hash, pe.item_id, 'confirmed' AS state,
		i.title AS item_title, i.url AS item_url, i.published_at AS item_published_at,
		CASE WHEN s.title = '' THEN s.url ELSE s.title END AS source_title, s.kind AS source_kind
		FROM published_evidence pe JOIN items i ON i.id = pe.item_id JOIN sources s ON s.id = i.source_id
		WHERE pe.statement_id = ? ORDER BY i.published_at, pe.item_id`, statementID)
	return out, err
}
