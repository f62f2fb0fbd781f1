package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/migrations"
)

// benchItems is the size of the benchmark timeline.
const benchItems = 100_000

// benchVersion changes when the generated data changes, so an old cached database is not
// reused.
const benchVersion = "timeline-v2"

// benchWorld is a database holding one topic with benchItems items, built once per schema and
// kept between runs (an SQLite file in the temporary folder, a PostgreSQL schema), because
// building it takes far longer than the benchmarks.
type benchWorld struct {
	db      *store.DB
	topicID int64
	deep    store.Cursor // the cursor that opens page 500 of the public timeline
}

var benchWorlds sync.Map // dialect → *benchOnce

type benchOnce struct {
	once sync.Once
	w    *benchWorld
	err  error
}

// schemaHash names the schema the migrations make, with the generator's version.
func schemaHash() string {
	h := sha256.New()
	h.Write([]byte(benchVersion))
	fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(migrations.FS, p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func openBenchWorld(b *testing.B, dialect string) *benchWorld {
	b.Helper()
	v, _ := benchWorlds.LoadOrStore(dialect, &benchOnce{})
	o := v.(*benchOnce)
	o.once.Do(func() { o.w, o.err = buildBenchWorld(dialect) })
	if o.err != nil {
		b.Fatal(o.err)
	}
	return o.w
}

func buildBenchWorld(dialect string) (*benchWorld, error) {
	ctx := context.Background()
	var dbURL string
	switch dialect {
	case "sqlite":
		dbURL = filepath.Join(os.TempDir(), "docket-bench-"+schemaHash()+".db")
	case "postgres":
		base := os.Getenv("DOCKET_TEST_POSTGRES_URL")
		schema := "docket_bench_" + schemaHash()
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return nil, err
		}
		_, err = admin.Exec(`CREATE SCHEMA IF NOT EXISTS ` + schema)
		admin.Close()
		if err != nil {
			return nil, err
		}
		u, err := url.Parse(base)
		if err != nil {
			return nil, err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dbURL = u.String()
	}
	db, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	t, err := db.TopicBySlug(ctx, "bench")
	if docket.ErrorCode(err) == docket.ENOTFOUND {
		if t, err = fillBenchWorld(ctx, db); err != nil {
			return nil, fmt.Errorf("build the benchmark database %s: %w", store.Redact(dbURL), err)
		}
	} else if err != nil {
		return nil, err
	}
	var n int64
	if err := db.R.Get(&n, db.R.Rebind(`SELECT count(*) FROM item_topics WHERE topic_id = ?`), t.ID); err != nil {
		return nil, err
	}
	if n != benchItems {
		return nil, fmt.Errorf("the benchmark database %s holds %d items, want %d: delete it", store.Redact(dbURL), n, benchItems)
	}
	if db.Dialect == store.Postgres {
		// Autovacuum gathers statistics on a live database; a schema just filled has none
		// yet, and without them the planner guesses badly.
		if _, err := db.W.ExecContext(ctx, `ANALYZE`); err != nil {
			return nil, err
		}
	}
	w := &benchWorld{db: db, topicID: t.ID}
	// Page 500 starts after 499 pages of 50; its cursor is the last entry of page 499.
	var row struct {
		PublishedAt time.Time `db:"published_at"`
		ItemID      int64     `db:"item_id"`
	}
	err = db.R.Get(&row, db.R.Rebind(`SELECT published_at, item_id FROM item_topics WHERE topic_id = ? AND state <> 'rejected'
		ORDER BY published_at DESC, item_id DESC LIMIT 1 OFFSET ?`), t.ID, 499*50-1)
	if err != nil {
		return nil, err
	}
	w.deep = store.Cursor{PublishedAt: row.PublishedAt, ID: row.ItemID}
	return w, nil
}

var benchWords = strings.Fields(`aleppo idlib damascus homs raqqa deir ezzor convoy evacuation ceasefire siege talks
	geneva council security humanitarian aid corridor shelling airstrike refugees camp border turkey lebanon jordan
	hospital school water winter food medical supplies negotiation resolution envoy report statement minister
	parliament debate question answer vote motion agency unicef unhcr ocha who wfp icrc crescent civilians`)

// fillBenchWorld writes the items through SaveItems and LinkRuleMatches, as ingest does, so
// both full-text indexes are filled, then curates a deterministic share of them.
func fillBenchWorld(ctx context.Context, db *store.DB) (*docket.Topic, error) {
	t := &docket.Topic{Slug: "bench", Title: "Bench", Visibility: docket.Public, Rule: "aleppo"}
	if err := db.CreateTopic(ctx, t); err != nil {
		return nil, err
	}
	kinds := []string{docket.KindNews, docket.KindNews, docket.KindNews, docket.KindNews, docket.KindNews,
		docket.KindUN, docket.KindUN, docket.KindParliament, docket.KindNGO, docket.KindMP}
	var srcs []int64
	for i, k := range kinds {
		s := &docket.Source{URL: fmt.Sprintf("https://%s-%d.example.org/feed", k, i), Kind: k}
		if err := db.CreateSource(ctx, s); err != nil {
			return nil, err
		}
		srcs = append(srcs, s.ID)
	}
	rng := rand.New(rand.NewPCG(2016, 12))
	at := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	sentence := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = benchWords[rng.IntN(len(benchWords))]
		}
		return strings.Join(ws, " ")
	}
	const batch = 1000
	for start := 0; start < benchItems; start += batch {
		bySource := map[int64][]docket.Item{}
		for i := start; i < start+batch; i++ {
			// Items a few minutes apart, on whole minutes, so some share a time and the
			// item id breaks the tie.
			at = at.Add(time.Duration(rng.IntN(10)) * time.Minute)
			title := sentence(6 + rng.IntN(6))
			text := title + "\n" + sentence(40+rng.IntN(60))
			if i%1000 == 500 {
				// A word a hundred items hold, for a search that finds a few.
				text += " zeugma"
			}
			it := docket.Item{GUID: fmt.Sprint(i), URL: fmt.Sprintf("https://example.org/item/%d", i), Title: title,
				Text: text, PublishedAt: at, ContentHash: fmt.Sprint(i)}
			src := srcs[rng.IntN(len(srcs))]
			bySource[src] = append(bySource[src], it)
		}
		err := db.Update(ctx, func(tx *store.Tx) error {
			for src, items := range bySource {
				if _, err := tx.SaveItems(ctx, src, items); err != nil {
					return err
				}
				for _, it := range items {
					if err := tx.LinkRuleMatches(ctx, it.ID, it.PublishedAt, []store.TopicMatch{{TopicID: t.ID, Terms: []string{"aleppo"}}}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	err := db.Update(ctx, func(tx *store.Tx) error {
		// A quarter of the items are in story clusters of three (items whose ids follow
		// each other), named by the id of their first item, as ingest names them.
		if _, err := tx.ExecContext(ctx, `UPDATE items SET cluster_id = id - (id % 3) WHERE id >= 3 AND (id / 3) % 4 = 0`); err != nil {
			return err
		}
		for _, q := range []string{
			`UPDATE item_topics SET state = 'confirmed' WHERE topic_id = ? AND item_id % 13 = 0`,
			`UPDATE item_topics SET state = 'rejected' WHERE topic_id = ? AND item_id % 29 = 0`,
			`UPDATE item_topics SET pinned = TRUE WHERE topic_id = ? AND item_id % 97 = 0`,
		} {
			if _, err := tx.ExecContext(ctx, tx.Rebind(q), t.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return t, err
}

// benchDialects are the databases to measure: SQLite, and PostgreSQL when a test server is
// configured.
func benchDialects() []string {
	if os.Getenv("DOCKET_TEST_POSTGRES_URL") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// BenchmarkTimeline reads pages of a 100,000-item timeline: the first page and page 500
// (keyset, so it should cost what the first does), with and without filters.
//
//	go test -run '^$' -bench Timeline -benchtime 200x ./internal/store/
//
// The database is built on the first run (a minute or two) and reused after.
func BenchmarkTimeline(b *testing.B) {
	for _, d := range benchDialects() {
		b.Run(d, func(b *testing.B) {
			w := openBenchWorld(b, d)
			cases := []struct {
				name string
				f    store.TimelineFilter
				want int // entries on the page; 0 is a full page
			}{
				{"first page", store.TimelineFilter{Public: true}, 0},
				{"page 500", store.TimelineFilter{Public: true, Before: w.deep}, 0},
				{"office, all states, page 500", store.TimelineFilter{States: []string{docket.StateSuggested, docket.StateConfirmed, docket.StateRejected}, Before: w.deep}, 0},
				{"UN only, first page", store.TimelineFilter{Public: true, Kinds: []string{docket.KindUN}}, 0},
				{"one month", store.TimelineFilter{Public: true, From: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)}, 0},
				{"search, first page", store.TimelineFilter{Public: true, Query: "convoy aleppo"}, 0},
				{"search phrase, first page", store.TimelineFilter{Public: true, Query: `"security council"`}, 0},
				{"search convoy, first page", store.TimelineFilter{Public: true, Query: "convoy"}, 0},
				{"search convoy, page 500", store.TimelineFilter{Public: true, Query: "convoy", Before: w.deep}, 0},
				{"search, 100 hits", store.TimelineFilter{Public: true, Query: "zeugma"}, 0},
				{"search, no hits", store.TimelineFilter{Public: true, Query: "zanzibar"}, -1},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					f := c.f
					f.TopicID, f.Limit = w.topicID, 50
					want := c.want
					switch want {
					case 0:
						want = 50
					case -1:
						want = 0
					}
					ctx := context.Background()
					for b.Loop() {
						page, err := w.db.Timeline(ctx, f)
						if err != nil {
							b.Fatal(err)
						}
						if len(page.Entries) != want {
							b.Fatalf("got %d entries, want %d", len(page.Entries), want)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/page")
				})
			}
		})
	}
}

// BenchmarkFollowedTopics reads the office home's list of followed topics for a user who
// follows the 100,000-item topic: one who has seen all of it, and one who never looked since
// before it filled (every link new).
//
//	go test -run '^$' -bench FollowedTopics -benchtime 100x ./internal/store/
func BenchmarkFollowedTopics(b *testing.B) {
	for _, d := range benchDialects() {
		b.Run(d, func(b *testing.B) {
			w := openBenchWorld(b, d)
			ctx := context.Background()
			for _, c := range []struct {
				name string
				seen time.Time
				want int64
			}{
				{"seen all", time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), 0},
				{"seen none", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), -1},
			} {
				email := "bench-" + strings.ReplaceAll(c.name, " ", "-") + "@example.org"
				u, err := w.db.UserByEmail(ctx, email)
				if docket.ErrorCode(err) == docket.ENOTFOUND {
					u = &docket.User{Email: email, Name: c.name, Role: docket.RoleResearcher, PasswordHash: "x"}
					if err = w.db.CreateUser(ctx, u, nil); err == nil {
						err = w.db.Follow(ctx, u.ID, w.topicID)
					}
				}
				if err != nil {
					b.Fatal(err)
				}
				if _, err := w.db.W.ExecContext(ctx, w.db.W.Rebind(`UPDATE follows SET last_seen_at = ? WHERE user_id = ?`), c.seen, u.ID); err != nil {
					b.Fatal(err)
				}
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						ts, err := w.db.FollowedTopics(ctx, u.ID)
						if err != nil {
							b.Fatal(err)
						}
						if len(ts) != 1 || ts[0].ItemCount < benchItems*9/10 || c.want == 0 && ts[0].NewItems != 0 || c.want < 0 && ts[0].NewItems != ts[0].ItemCount {
							b.Fatalf("got %+v", ts)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/op")
				})
			}
		})
	}
}
