// Package ingest fetches sources and turns what they hold into stored, matched items: one HTTP
// client (timeouts, body cap, conditional GET, a dial guard against private addresses),
// parsing with gofeed (charsets, hostile XML), normalizing (bluemonday sanitizing, absolute
// links, guid and date fallbacks), story clusters, adaptive scheduling, OPML, and the
// orchestrator that stores each source's batch in one transaction.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/parliament"
	"github.com/docket-dev/docket/internal/store"
)

// Matcher finds the topics an item belongs to. The ingester asks for a fresh one per batch,
// so rule changes take effect on the next fetch.
type Matcher interface {
	Match(it *docket.Item) []store.TopicMatch
}

// Ingester fetches sources and stores what they hold. Fetching (network, parsing) happens
// outside any transaction; only storing the result is transactional, so a slow feed never
// holds the database.
type Ingester struct {
	DB       *store.DB
	Client   *Client
	Log      *slog.Logger
	MaxItems int // items taken per fetch, newest first (default 200)
	Workers  int // sources fetched at once by Once (default DefaultWorkers, 8)
	// Matcher returns the current topic matcher; nil means items are stored unmatched.
	Matcher func(ctx context.Context) (Matcher, error)
	// Parliament polls the sources whose URL is parliament:member/ID. One client per
	// process, so its pauses between requests and the waits an API asked for are shared.
	Parliament *parliament.Client
	// Evidence, when set, is called by StoreOne after its transaction commits, for each
	// ingested statement that was created or changed, to suggest its evidence. A failure is
	// logged: the statement is stored either way. (The fetch job enqueues this work instead.)
	Evidence func(ctx context.Context, statementID int64) error

	sigMu sync.Mutex
	sigs  map[int64]cachedSig
}

// cachedSig is a stored item's story signature: recent items are compared with every new
// item on their topics, so computing their signatures once per process, not once per fetch,
// is what keeps clustering cheap. Items whose text changes are forgotten.
type cachedSig struct {
	sourceID int64
	sig      Sig
}

// maxCachedSigs bounds the cache; past it, the cache starts again empty.
const maxCachedSigs = 50000

func (g *Ingester) rememberLocked(id int64, cs cachedSig) {
	if g.sigs == nil || len(g.sigs) >= maxCachedSigs {
		g.sigs = make(map[int64]cachedSig, 1024)
	}
	g.sigs[id] = cs
}

// forget drops items whose text changed from the signature cache.
func (g *Ingester) forget(ids []int64) {
	g.sigMu.Lock()
	defer g.sigMu.Unlock()
	for _, id := range ids {
		delete(g.sigs, id)
	}
}

// Fetched is a source's fetch, ready to store.
type Fetched struct {
	Source     docket.Source
	Status     int
	NotMod     bool
	Items      []docket.Item
	Title      string
	SiteURL    string
	TTL        time.Duration
	ETag       string
	LastMod    string
	Err        error
	RetryAfter time.Duration
	Elapsed    time.Duration
	// BodyHash identifies the body (with the address it came from and the item cap); when
	// it is the hash of the last body stored for the source, Unchanged is set and the body
	// was neither parsed nor normalized: it would give the same items again.
	BodyHash  string
	Unchanged bool

	// For the items that are new or changed, Fetch computes outside the store transaction
	// (the one part of ingest that does not run in parallel) their excerpts, folded text,
	// topic matches and, for those that matched, story signatures (zero for the others).
	// matcher is the matcher that gave the matches; Store uses them when it is given the
	// same, and matches again otherwise. matched[i] says whether matches[i] was computed.
	sigs    []Sig
	folded  []store.Folded
	matcher Matcher
	matches [][]store.TopicMatch
	matched []bool

	// Parliament is set, instead of Items, for a source that polls the Parliament APIs.
	Parliament *ParliamentFetch
}

// Outcome is what storing one fetch did.
type Outcome struct {
	SourceID    int64
	URL         string
	NotModified bool
	Err         string
	New         int
	Updated     int
	NextFetchAt time.Time
	// Ingested statements (parliament sources, and the feeds of StatementsFromFeed) that
	// were created or changed, and their ids, whose evidence needs suggesting.
	StatementsNew     int
	StatementsUpdated int
	Statements        []int64

	// sigs are the new items' story signatures, for the cache once the transaction that
	// stored them has committed (Committed): a rolled-back item's id may be given to another.
	sigs map[int64]cachedSig
}

// Committed tells the ingester that the transaction Store wrote o in has committed, so the
// signatures of its new items can be kept for the next fetches' clustering. Not calling it
// costs only their computing again.
func (g *Ingester) Committed(o Outcome) {
	if len(o.sigs) == 0 {
		return
	}
	g.sigMu.Lock()
	defer g.sigMu.Unlock()
	for id, cs := range o.sigs {
		g.rememberLocked(id, cs)
	}
}

// Summary adds up outcomes.
type Summary struct {
	Sources     int `json:"sources"`
	Fetched     int `json:"fetched"`
	NotModified int `json:"not_modified"`
	Failed      int `json:"failed"`
	New         int `json:"items_new"`
	Updated     int `json:"items_updated"`
	// Statements of the MP ingested from parliament sources and the MP's own feeds.
	StatementsNew     int `json:"statements_new"`
	StatementsUpdated int `json:"statements_updated"`
}

// Add counts one outcome.
func (s *Summary) Add(o Outcome) {
	s.Sources++
	switch {
	case o.Err != "":
		s.Failed++
	case o.NotModified:
		s.NotModified++
	default:
		s.Fetched++
	}
	s.New += o.New
	s.Updated += o.Updated
	s.StatementsNew += o.StatementsNew
	s.StatementsUpdated += o.StatementsUpdated
}

func (g *Ingester) log() *slog.Logger {
	if g.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return g.Log
}

// DefaultWorkers is how many sources Once fetches at once when Workers is not set.
const DefaultWorkers = 8

func (g *Ingester) workers() int {
	if g.Workers <= 0 {
		return DefaultWorkers
	}
	return g.Workers
}

func (g *Ingester) maxItems() int {
	if g.MaxItems <= 0 {
		return 200
	}
	return g.MaxItems
}

// Fetch gets and parses a source. It writes nothing; a failure is in Fetched.Err.
func (g *Ingester) Fetch(ctx context.Context, src docket.Source) *Fetched {
	start := time.Now()
	f := &Fetched{Source: src}
	defer func() { f.Elapsed = time.Since(start) }()
	if id, ok := ParliamentMemberID(src.URL); ok {
		g.fetchParliament(ctx, f, id)
		return f
	}
	resp, err := g.Client.Fetch(ctx, Request{URL: src.URL, ETag: src.ETag, LastModified: src.LastModified})
	if resp != nil {
		f.Status = resp.Status
	}
	if err != nil {
		f.Err = err
		var fe *FetchError
		if errors.As(err, &fe) {
			f.RetryAfter = fe.RetryAfter
		}
		return f
	}
	f.ETag, f.LastMod = resp.ETag, resp.LastModified
	if resp.NotModified {
		f.NotMod = true
		// A 304 keeps the validators we sent when the server repeats none.
		if f.ETag == "" {
			f.ETag = src.ETag
		}
		if f.LastMod == "" {
			f.LastMod = src.LastModified
		}
		return f
	}
	f.BodyHash = bodyHash(resp, g.maxItems())
	if g.DB != nil && src.ID != 0 {
		if last, err := g.DB.SourceBodyHash(ctx, src.ID); err == nil && last == f.BodyHash {
			f.Unchanged = true
			return f
		}
	}
	feed, err := Parse(resp.Body, resp.ContentType, resp.FinalURL)
	if err != nil {
		var pe *PanicError
		if errors.As(err, &pe) {
			g.log().Error("parser panic", "source", src.URL, "panic", pe.Value, "stack", string(pe.Stack))
		}
		f.Err = err
		return f
	}
	f.Title, f.SiteURL, f.TTL = feed.Title, feed.SiteURL, feed.TTL
	f.Items = Normalize(feed, resp.FinalURL, docket.Now(), g.maxItems())
	g.prepare(ctx, f)
	return f
}

// prepare computes, for the items of f that the database does not hold as they are, what
// storing them needs: their excerpts (as SaveItems would), folded text, the topics they match
// and, for those that match one (only they are clustered), story signatures. An item it
// leaves alone, or gets wrong because the database or the topics changed meanwhile, is
// prepared inside the transaction instead.
func (g *Ingester) prepare(ctx context.Context, f *Fetched) {
	var known map[string]string
	if g.DB != nil && f.Source.ID != 0 {
		guids := make([]string, len(f.Items))
		for i := range f.Items {
			guids[i] = f.Items[i].GUID
		}
		known, _ = g.DB.ItemHashes(ctx, f.Source.ID, guids) // on error, prepare them all
	}
	if !StatementsFromFeed(&f.Source) { // their items are statements, not linked to topics
		if m, err := g.CurrentMatcher(ctx); err == nil && m != nil {
			f.matcher = m
			f.matches, f.matched = make([][]store.TopicMatch, len(f.Items)), make([]bool, len(f.Items))
		}
	}
	f.sigs, f.folded = make([]Sig, len(f.Items)), make([]store.Folded, len(f.Items))
	for i := range f.Items {
		it := &f.Items[i]
		if h, ok := known[it.GUID]; ok && h == it.ContentHash {
			continue
		}
		if it.Excerpt == "" {
			it.Excerpt = itemExcerpt(it.Text, it.Title)
		}
		f.folded[i] = store.FoldItem(it)
		if f.matcher != nil {
			f.matches[i], f.matched[i] = f.matcher.Match(it), true
		}
		if f.matcher == nil || len(f.matches[i]) > 0 {
			f.sigs[i] = Signature(it.Title, it.Excerpt)
		}
	}
}

// matchOf returns the topics items[i] matches with m: what prepare found when it matched
// the item with the same matcher, else m's answer now.
func (f *Fetched) matchOf(i int, m Matcher) []store.TopicMatch {
	if i < len(f.matched) && f.matched[i] && sameMatcher(f.matcher, m) {
		return f.matches[i]
	}
	return m.Match(&f.Items[i])
}

// sameMatcher reports whether a and b are the same compiled matcher (TopicMatchers hands out
// one until a topic changes).
func sameMatcher(a, b Matcher) bool {
	ra, ok := a.(*RuleMatcher)
	rb, ok2 := b.(*RuleMatcher)
	return ok && ok2 && ra == rb
}

// excerptLen is the length of an item's excerpt, as store.SaveItems makes it.
const excerptLen = 400

// itemExcerpt is docket.Excerpt(text, title, excerptLen), which collapses the spaces of the
// whole text, given only the head of the text it reads: the words up to the first space after
// len(title)+excerptLen+2 bytes of words. Those words are the start of the text's (they end at
// a space); the title, if the text starts with it, is in them with the character after it;
// and what is left of them collapses to more than excerptLen bytes, so Excerpt cuts both at
// the same place.
func itemExcerpt(text, title string) string {
	need, words := len(title)+excerptLen+2, 0
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !unicode.IsSpace(r) {
			words += size
		} else if words >= need {
			return docket.Excerpt(text[:i], title, excerptLen)
		}
		i += size
	}
	return docket.Excerpt(text, title, excerptLen)
}

// bodyHash hashes what a fetch's items are made from: the body, the address it came from
// (relative links resolve against it), its content type (it can name the charset) and how
// many items are taken.
func bodyHash(resp *Response, maxItems int) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00", resp.FinalURL, resp.ContentType, maxItems)
	h.Write(resp.Body)
	return hex.EncodeToString(h.Sum(nil))
}

// Store writes a fetch inside tx: its items, their topic links, and the fetch's outcome and
// next fetch time on the source. A failed fetch is data, recorded on the source, and so are
// items the database refuses (store.IsDataError), of which nothing is written; Store only
// returns an error when the database fails.
func (g *Ingester) Store(ctx context.Context, tx *store.Tx, f *Fetched, m Matcher) (Outcome, error) {
	if f.Parliament != nil {
		return g.storeParliament(ctx, tx, f, m)
	}
	src := f.Source
	o := Outcome{SourceID: src.ID, URL: src.URL, NotModified: f.NotMod}
	now := docket.Now()
	prev := time.Duration(src.FetchInterval) * time.Second
	if f.Err != nil {
		o.Err = f.Err.Error()
		o.NextFetchAt = now.Add(RetryWait(src.ConsecutiveErrors+1, f.RetryAfter, src.URL))
		return o, tx.RecordFetch(ctx, src.ID, store.FetchOutcome{Status: f.Status, Err: o.Err, NextFetchAt: o.NextFetchAt})
	}
	var res store.SaveResult
	if len(f.Items) > 0 && !f.Unchanged {
		// In a savepoint, so that when the database refuses what the feed gave (a value it
		// cannot hold), nothing of it is left and the refusal is recorded on the source like
		// a feed error: the other sources go on, and a fetch job is not retried for ever.
		err := tx.Savepoint(ctx, func() (err error) {
			res, err = g.storeItems(ctx, tx, f, m, &o)
			return err
		})
		if store.IsDataError(err) {
			res, o.Statements, o.StatementsNew, o.StatementsUpdated, o.sigs = store.SaveResult{}, nil, 0, 0, nil
			o.Err = fmt.Sprintf("the database refused the feed's items: %v", err)
			o.NextFetchAt = now.Add(RetryWait(src.ConsecutiveErrors+1, 0, src.URL))
			return o, tx.RecordFetch(ctx, src.ID, store.FetchOutcome{Status: f.Status, Err: o.Err, NextFetchAt: o.NextFetchAt})
		}
		if err != nil {
			return o, err
		}
		g.forget(res.Updated)
	}
	o.New, o.Updated = len(res.New), len(res.Updated)
	interval := NextInterval(prev, res.Changed(), f.TTL)
	o.NextFetchAt = now.Add(NextFetchWait(interval, f.TTL, src.URL))
	return o, tx.RecordFetch(ctx, src.ID, store.FetchOutcome{
		Status: f.Status, ETag: f.ETag, LastModified: f.LastMod, Changed: res.Changed(),
		Title: f.Title, SiteURL: f.SiteURL, Interval: interval, NextFetchAt: o.NextFetchAt, BodyHash: f.BodyHash,
	})
}

// storeItems writes a fetch's items inside tx, and their statements or their topic links and
// story clusters.
func (g *Ingester) storeItems(ctx context.Context, tx *store.Tx, f *Fetched, m Matcher, o *Outcome) (store.SaveResult, error) {
	src := f.Source
	res, err := tx.SaveFoldedItems(ctx, src.ID, f.Items, f.folded)
	if err != nil {
		return res, fmt.Errorf("store items of %s: %w", src.URL, err)
	}
	if StatementsFromFeed(&src) {
		// The member's own words are shown as statements, so their items are not filed
		// under topics as well: see docs/design.md.
		if res.Changed() {
			if err := g.storeFeedStatements(ctx, tx, &src, f.Items, m, o); err != nil {
				return res, err
			}
		}
	} else if m != nil && res.Changed() {
		matched, err := g.link(ctx, tx, f, res, m)
		if err != nil {
			return res, err
		}
		if o.sigs, err = g.cluster(ctx, tx, src.ID, f.Items, f.sigs, matched); err != nil {
			return res, fmt.Errorf("cluster items of %s: %w", src.URL, err)
		}
	}
	return res, nil
}

// link matches new and changed items against the topics, and returns the topics each new
// item landed on. New items have no links yet, so theirs are written in one go.
func (g *Ingester) link(ctx context.Context, tx *store.Tx, f *Fetched, res store.SaveResult, m Matcher) (map[int64][]int64, error) {
	items := f.Items
	changed := make(map[int64]bool, len(res.New)+len(res.Updated))
	for _, id := range res.Updated {
		changed[id] = false
	}
	for _, id := range res.New {
		changed[id] = true
	}
	matched := map[int64][]int64{}
	fresh := make([]store.NewItemLinks, 0, len(res.New))
	for i := range items {
		it := &items[i]
		isNew, ok := changed[it.ID]
		if !ok {
			continue
		}
		delete(changed, it.ID) // a guid repeated in the batch was stored once
		ms := f.matchOf(i, m)
		if !isNew {
			if err := tx.LinkRuleMatches(ctx, it.ID, it.PublishedAt, ms); err != nil {
				return nil, err
			}
			continue
		}
		if len(ms) > 0 {
			fresh = append(fresh, store.NewItemLinks{ItemID: it.ID, PublishedAt: it.PublishedAt, Matches: ms})
			for _, x := range ms {
				matched[it.ID] = append(matched[it.ID], x.TopicID)
			}
		}
	}
	if err := tx.LinkNewItems(ctx, fresh); err != nil {
		return nil, err
	}
	return matched, nil
}

// clusterWindow is how far apart in time two copies of one story may be; maxCandidates caps
// the recent items a batch is compared with (the newest, on the batch's topics).
const (
	clusterWindow = 48 * time.Hour
	maxCandidates = 500
)

// cluster puts each new item that landed on a topic into the story cluster of the most
// similar recent item of another source on the same topic, when they are the same story
// (Similarity at least SameStory). One index-only query finds the candidates for the whole
// batch; only the texts not already in the signature cache are loaded. sigs[i], when it holds
// terms, is items[i]'s signature, computed by Fetch.
func (g *Ingester) cluster(ctx context.Context, tx *store.Tx, sourceID int64, items []docket.Item, sigs []Sig, matched map[int64][]int64) (stored map[int64]cachedSig, err error) {
	if len(matched) == 0 {
		return nil, nil
	}
	var from, to time.Time
	topicSet := map[int64]bool{}
	for i := range items {
		ts, ok := matched[items[i].ID]
		if !ok {
			continue
		}
		p := items[i].PublishedAt
		if from.IsZero() || p.Before(from) {
			from = p
		}
		if p.After(to) {
			to = p
		}
		for _, t := range ts {
			topicSet[t] = true
		}
	}
	topics := make([]int64, 0, len(topicSet))
	for t := range topicSet {
		topics = append(topics, t)
	}
	cands, err := tx.ClusterCandidates(ctx, topics, from.Add(-clusterWindow), to.Add(clusterWindow), maxCandidates)
	if err != nil || len(cands) == 0 {
		return nil, err
	}
	others, err := g.candidateSigs(ctx, tx, sourceID, cands, matched)
	if err != nil {
		return nil, err
	}
	stored = make(map[int64]cachedSig, len(matched))
	done := map[int64]bool{}
	for i := range items {
		it := &items[i]
		ts, ok := matched[it.ID]
		if !ok || done[it.ID] {
			continue
		}
		done[it.ID] = true
		var sig Sig
		if i < len(sigs) && sigs[i].Len() > 0 {
			sig = sigs[i]
		} else {
			sig = Signature(it.Title, it.Excerpt)
		}
		best, bestScore := int64(0), 0.0
		for j, c := range cands {
			other := &others[j]
			if other.Len() == 0 || !slices.Contains(ts, c.TopicID) || absDuration(c.PublishedAt.Sub(it.PublishedAt)) > clusterWindow ||
				!MayReach(sig, *other, SameStory) {
				continue
			}
			if score := Similarity(sig, *other); score >= SameStory && score > bestScore {
				best, bestScore = c.ItemID, score
			}
		}
		stored[it.ID] = cachedSig{sourceID, sig}
		if best == 0 {
			continue
		}
		cid, err := tx.ClusterOf(ctx, best)
		if err != nil {
			return nil, err
		}
		if cid == nil {
			cid = &best
			if err := tx.SetCluster(ctx, best, best); err != nil {
				return nil, err
			}
		}
		if err := tx.SetCluster(ctx, it.ID, *cid); err != nil {
			return nil, err
		}
		it.ClusterID = cid
	}
	return stored, nil
}

// candidateSigs returns the signatures of the candidates of other sources (the zero Sig,
// which matches nothing, for those of this one and the items without a stored text), from the
// signature cache, read under one lock for the batch, or computed from their stored text and
// remembered.
func (g *Ingester) candidateSigs(ctx context.Context, tx *store.Tx, sourceID int64, cands []store.ClusterCandidate, matched map[int64][]int64) ([]Sig, error) {
	sigs := make([]Sig, len(cands))
	var missing []int64
	seen := map[int64]bool{}
	g.sigMu.Lock()
	for i, c := range cands {
		if matched[c.ItemID] != nil {
			continue // this batch's new items, of this source
		}
		if cs, ok := g.sigs[c.ItemID]; ok {
			if cs.sourceID != sourceID {
				sigs[i] = cs.sig
			}
		} else if !seen[c.ItemID] {
			seen[c.ItemID] = true
			missing = append(missing, c.ItemID)
		}
	}
	g.sigMu.Unlock()
	if len(missing) == 0 {
		return sigs, nil
	}
	texts, err := tx.ItemTexts(ctx, missing)
	if err != nil {
		return nil, err
	}
	loaded := make(map[int64]cachedSig, len(texts))
	for _, t := range texts {
		loaded[t.ID] = cachedSig{t.SourceID, Signature(t.Title, t.Excerpt)}
	}
	g.sigMu.Lock()
	for id, cs := range loaded {
		g.rememberLocked(id, cs)
	}
	g.sigMu.Unlock()
	for i, c := range cands {
		if cs, ok := loaded[c.ItemID]; ok && cs.sourceID != sourceID {
			sigs[i] = cs.sig
		}
	}
	return sigs, nil
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// CurrentMatcher returns the topic matcher to use now, nil when there is none.
func (g *Ingester) CurrentMatcher(ctx context.Context) (Matcher, error) {
	if g.Matcher == nil {
		return nil, nil
	}
	return g.Matcher(ctx)
}

// StoreOne stores a fetch in its own transaction.
func (g *Ingester) StoreOne(ctx context.Context, f *Fetched) (Outcome, error) {
	m, err := g.CurrentMatcher(ctx)
	if err != nil {
		return Outcome{}, err
	}
	var o Outcome
	err = g.DB.Update(ctx, func(tx *store.Tx) (err error) {
		o, err = g.Store(ctx, tx, f, m)
		return err
	})
	if err == nil {
		g.Committed(o)
		g.refreshEvidence(ctx, o.Statements)
	}
	return o, err
}

// refreshEvidence suggests evidence for ingested statements once they are committed. It is
// best effort: a statement without suggestions is still a stored statement, and the next
// change to it suggests them again.
func (g *Ingester) refreshEvidence(ctx context.Context, ids []int64) {
	if g.Evidence == nil {
		return
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		if err := g.Evidence(ctx, id); err != nil {
			g.log().Error("suggest evidence for an ingested statement", "statement", id, "err", err)
		}
	}
}

// Once fetches the given sources with a pool of workers, storing each as it arrives, and
// returns the summary. progress, when set, is called after each source. It stops at the first
// database error; feed errors are recorded on their sources and counted.
func (g *Ingester) Once(ctx context.Context, sources []docket.Source, progress func(Outcome)) (Summary, error) {
	var sum Summary
	workers := g.workers()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan docket.Source)
	done := make(chan *Fetched)
	var wg sync.WaitGroup
	for range min(workers, max(len(sources), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range todo {
				f := g.Fetch(ctx, src)
				select {
				case done <- f:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(todo)
		for _, s := range sources {
			select {
			case todo <- s:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	var firstErr error
	for f := range done {
		if firstErr != nil {
			continue
		}
		o, err := g.StoreOne(ctx, f)
		if err != nil {
			firstErr = err
			cancel()
			continue
		}
		if o.Err != "" {
			g.log().Warn("fetch failed", "source", f.Source.URL, "err", o.Err)
		}
		sum.Add(o)
		if progress != nil {
			progress(o)
		}
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return sum, firstErr
}
