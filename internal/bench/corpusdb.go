package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/ingest"
	"github.com/docket-dev/docket/internal/statements"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/migrations"
)

// corpusVersion names the generator: a change to what it writes must change it, so that
// corpora cached by an earlier version are not taken for this one's.
const corpusVersion = 3

// Corpus shape: how many sources, how many items a day (a year of an office's 200 feeds),
// and the topics.
const (
	corpusSources  = 200
	corpusPerDay   = 1500
	corpusTopics   = 20
	statementsEach = 5
)

// Corpus is a database holding a generated corpus: items from corpusSources sources at
// corpusPerDay items a day up to End, matched to the topics by their rules, clustered by
// story, with a few published statements on each public topic, citing some of its items.
type Corpus struct {
	URL    string // the database, to open with store.Open
	Items  int
	Topics []docket.Topic // with their IDs
	// Built is false when the corpus was found in the cache; BuildSeconds is how long
	// building it took.
	Built        bool
	BuildSeconds float64
}

// Where keeps corpora: Dir for SQLite files, or a PostgreSQL URL whose database gets a
// schema per corpus.
type Where struct {
	Dir      string
	Postgres string
}

func (w Where) key(items int) string {
	return fmt.Sprintf("docket_bench_v%d_%s_n%d", corpusVersion, schemaKey(), items)
}

// schemaKey names the migrations a corpus was built with: a corpus built before a migration
// was added, even one numbered below the newest, is not reused.
func schemaKey() string {
	h := sha256.New()
	fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(migrations.FS, path)
			fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// OpenCorpus returns the corpus of n items, building it when no earlier run left it. A
// corpus is built under a temporary name and renamed when whole, so an interrupted build is
// never taken for a corpus. progress, when set, is told how many items are written.
func OpenCorpus(ctx context.Context, where Where, n int, progress func(done, total int)) (*Corpus, error) {
	key := where.key(n)
	c := &Corpus{Items: n}
	var final, building string
	if where.Postgres != "" {
		var err error
		if c.URL, err = store.SchemaURL(where.Postgres, key); err != nil {
			return nil, err
		}
		ok, err := store.SchemaExists(ctx, where.Postgres, key)
		if err != nil {
			return nil, err
		}
		if !ok {
			tmp := fmt.Sprintf("%s_tmp%d", key, os.Getpid())
			if err := store.DropSchema(ctx, where.Postgres, tmp); err != nil {
				return nil, err
			}
			if err := store.CreateSchema(ctx, where.Postgres, tmp); err != nil {
				return nil, err
			}
			building, _ = store.SchemaURL(where.Postgres, tmp)
			if err := c.build(ctx, building, progress); err != nil {
				store.DropSchema(context.WithoutCancel(ctx), where.Postgres, tmp)
				return nil, err
			}
			if err := store.RenameSchema(ctx, where.Postgres, tmp, key); err != nil {
				return nil, err
			}
		}
	} else {
		final = filepath.Join(where.Dir, key)
		c.URL = filepath.Join(final, "docket.db")
		if _, err := os.Stat(c.URL); errors.Is(err, os.ErrNotExist) {
			tmp := fmt.Sprintf("%s.tmp%d", final, os.Getpid())
			os.RemoveAll(tmp)
			if err := os.MkdirAll(tmp, 0o755); err != nil {
				return nil, err
			}
			if err := c.build(ctx, filepath.Join(tmp, "docket.db"), progress); err != nil {
				os.RemoveAll(tmp)
				return nil, err
			}
			if err := os.Rename(tmp, final); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
	}
	db, err := store.Open(ctx, c.URL, store.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	for _, t := range Topics(corpusTopics) {
		got, err := db.TopicBySlug(ctx, t.Slug)
		if err != nil {
			return nil, fmt.Errorf("corpus %s: %w", key, err)
		}
		c.Topics = append(c.Topics, *got)
	}
	return c, nil
}

// build writes the corpus into a new database at url.
func (c *Corpus) build(ctx context.Context, url string, progress func(done, total int)) error {
	start := time.Now()
	db, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	topics := Topics(corpusTopics)
	var sourceIDs []int64
	err = db.Update(ctx, func(tx *store.Tx) error {
		for i := range topics {
			if err := tx.CreateTopic(ctx, &topics[i]); err != nil {
				return err
			}
		}
		for i := range corpusSources {
			name := fmt.Sprintf("source-%03d", i)
			// Sources are due long after the corpus ends, so that a `docket serve` started on
			// it (to measure its memory) fetches nothing.
			src := docket.Source{URL: "https://" + name + ".example.org/feed", Title: fmt.Sprintf("Source %d", i),
				SiteURL: "https://" + name + ".example.org/", Kind: kindOf(i), NextFetchAt: End.AddDate(100, 0, 0)}
			if err := tx.CreateSource(ctx, &src); err != nil {
				return err
			}
			sourceIDs = append(sourceIDs, src.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	matcher, err := ingest.NewRuleMatcher(topics)
	if err != nil {
		return err
	}

	// One goroutine writes the text, the caller's stores it: on two cores, both are busy.
	batches := make(chan []store.LoadItem, 2)
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		gen := newBulkGen(sourceIDs, c.Items)
		for {
			batch := gen.next(5000, matcher)
			if len(batch) == 0 {
				return
			}
			select {
			case batches <- batch:
			case <-gctx.Done():
				return
			}
		}
	}()
	loader, err := db.NewLoader(ctx)
	if err != nil {
		return err
	}
	done := 0
	for batch := range batches {
		if err := loader.Load(ctx, batch); err != nil {
			return err
		}
		done += len(batch)
		if progress != nil {
			progress(done, c.Items)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := loader.Close(ctx); err != nil {
		return err
	}
	if err := c.statements(ctx, db, topics); err != nil {
		return err
	}
	// The word counts evidence ranking reads, and the full-text index merged, as docket
	// serve's background job (term_stats) leaves them once items are in.
	if _, err := db.RefreshTermStats(ctx, store.TermStatsMinItems); err != nil {
		return err
	}
	if _, _, err := db.MergeSearchIndex(ctx, time.Hour); err != nil {
		return err
	}
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	if err := db.Checkpoint(ctx); err != nil {
		return err
	}
	c.Built, c.BuildSeconds = true, time.Since(start).Seconds()
	return nil
}

// statements publishes a few statements on each public topic, up to a week apart before the end,
// each citing, for every third sentence, one of the topic's items published before it, as
// the office confirms evidence.
func (c *Corpus) statements(ctx context.Context, db *store.DB, topics []docket.Topic) error {
	m := &docket.Member{Name: "Sarah Whitfield", Constituency: "Northbridge", Party: "Independent"}
	if err := db.CreateMember(ctx, m); err != nil {
		return err
	}
	// A week apart, or closer in a corpus of less than a few weeks, so that every statement
	// has items before it to cite.
	span := time.Duration(float64(c.Items) / corpusPerDay * float64(24*time.Hour))
	step := min(7*24*time.Hour, span/(statementsEach+1))
	for _, t := range topics {
		if t.Visibility != docket.Public {
			continue
		}
		for k := range statementsEach {
			title, body := Statement(t.Slug, 300+100*k)
			at := End.Add(-time.Duration(k+1) * step)
			st := &docket.Statement{MemberID: &m.ID, Title: fmt.Sprintf("%s (%d)", title, k+1), Body: body,
				Kind: docket.KindPressRelease, Status: docket.StatusPublished, Origin: docket.OriginDrafted, PublishedAt: &at}
			if err := db.CreateStatement(ctx, st, []int64{t.ID}, nil, "benchmark corpus"); err != nil {
				return err
			}
			page, err := db.Timeline(ctx, store.TimelineFilter{TopicID: t.ID, Public: true, To: at, Limit: 50})
			if err != nil {
				return err
			}
			if len(page.Entries) == 0 {
				continue
			}
			var cites []store.EvidenceChange
			for i, sn := range statements.Split(body) {
				if i%3 == 0 {
					cites = append(cites, store.EvidenceChange{SentenceHash: statements.Hash(sn.Text),
						SentenceText: sn.Text, ItemID: page.Entries[i%len(page.Entries)].ItemID})
				}
			}
			if err := db.SeedCitations(ctx, st.ID, cites); err != nil {
				return err
			}
		}
	}
	return nil
}

// bulkGen writes a corpus's items oldest first, story by story: most stories are told by one
// source, a third by two to four, within a few hours.
type bulkGen struct {
	v       *vocab
	r       *rand.Rand
	sources []int64
	total   int
	done    int
	story   int
}

func newBulkGen(sources []int64, total int) *bulkGen {
	return &bulkGen{v: newVocab(), r: rand.New(rand.NewPCG(5, uint64(total))), sources: sources, total: total}
}

// at is when the i-th item of the corpus was published.
func (g *bulkGen) at(i int) time.Time {
	return End.Add(-time.Duration(float64(g.total-i) / corpusPerDay * float64(24*time.Hour)))
}

func (g *bulkGen) next(n int, m *ingest.RuleMatcher) []store.LoadItem {
	var out []store.LoadItem
	for len(out) < n && g.done < g.total {
		tellings := 1
		if g.r.IntN(3) == 0 {
			tellings = 2 + g.r.IntN(3)
		}
		tellings = min(tellings, g.total-g.done)
		key := fmt.Sprintf("s%d", g.story)
		g.story++
		first := len(out)
		for t := range tellings {
			src := g.r.IntN(len(g.sources))
			full := shapes[src%len(shapes)].full
			a := g.v.writeArticle(7, key, g.r, t > 0, full)
			at := g.at(g.done).Add(time.Duration(t) * time.Duration(g.r.IntN(90)) * time.Minute)
			out = append(out, g.item(a, g.done, src, at, m, first, tellings))
			g.done++
		}
	}
	return out
}

func (g *bulkGen) item(a article, i, src int, at time.Time, m *ingest.RuleMatcher, first, tellings int) store.LoadItem {
	site := fmt.Sprintf("https://source-%03d.example.org", src)
	summary := storedHTML(a.markup, a.summary, site)
	var content string
	if len(a.content) > 0 {
		content = storedHTML(a.markup, a.content, site)
	}
	text := a.title + "\n\n" + strings.Join(append(append([]string{}, a.summary...), a.content...), "\n\n")
	it := docket.Item{
		SourceID: g.sources[src], GUID: fmt.Sprintf("bulk-%d", i), Title: a.title,
		URL:     fmt.Sprintf("%s/%s/%s-%d", site, at.Format("2006/01/02"), slugOf(a.title), i),
		Summary: summary, Content: content, Text: text, Author: a.author,
		PublishedAt: at, FetchedAt: at.Add(time.Duration(1+g.r.IntN(20)) * time.Minute),
	}
	h := sha256.Sum256([]byte(it.Title + "\x00" + it.URL + "\x00" + it.Summary + "\x00" + it.Content + "\x00" + it.Author))
	it.ContentHash = hex.EncodeToString(h[:])
	li := store.LoadItem{Item: it, Cluster: -1}
	if tellings > 1 {
		li.Cluster = first
	}
	for _, tm := range m.Match(&li.Item) {
		state := docket.StateSuggested
		switch p := g.r.IntN(100); {
		case p < 12:
			state = docket.StateConfirmed
		case p < 15:
			state = docket.StateRejected
		}
		li.Links = append(li.Links, store.LoadLink{TopicID: tm.TopicID, Terms: strings.Join(tm.Terms, ", "), State: state})
	}
	return li
}
