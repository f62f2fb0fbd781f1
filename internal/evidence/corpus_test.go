package evidence_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
)

// corpusItem is an item of testdata/corpus.json: about sixty reports on Syria written for
// these tests, from 2016 to 2024, with near-duplicates of the same events from several
// sources and a distractor or two (Aleppo pepper).
type corpusItem struct {
	GUID   string `json:"guid"`
	Source string `json:"source"` // news, un or ngo
	Date   string `json:"date"`
	Title  string `json:"title"`
	Text   string `json:"text"`
}

// corpusSentence is a sentence of testdata/sentences.json, written about a known item (Want)
// as a statement would put it, dated when such a statement would have been made. Also lists
// other items that support it as well.
type corpusSentence struct {
	Date     string   `json:"date"`
	Sentence string   `json:"sentence"`
	Want     string   `json:"want"`
	Also     []string `json:"also"`
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func day(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(12 * time.Hour)
}

// world is the corpus loaded into a database: one topic with every item on it.
type world struct {
	db    *store.DB
	topic *docket.Topic
	ids   map[string]int64 // guid → item id
	guids map[int64]string
}

// loadCorpus stores the corpus items, each linked to one topic as a rule match would link it.
func loadCorpus(t testing.TB, db *store.DB) *world {
	t.Helper()
	var items []corpusItem
	readJSON(t, "testdata/corpus.json", &items)
	ctx := context.Background()
	w := &world{db: db, ids: map[string]int64{}, guids: map[int64]string{}}
	w.topic = &docket.Topic{Slug: "syria", Title: "Syria", Visibility: docket.Public, Rule: "Syria OR Aleppo OR Idlib"}
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateTopic(ctx, w.topic); err != nil {
			return err
		}
		sources := map[string]int64{}
		for _, kind := range []string{docket.KindNews, docket.KindUN, docket.KindNGO} {
			s := &docket.Source{URL: "https://" + kind + ".example.org/feed", Title: kind + " wire", Kind: kind}
			if err := tx.CreateSource(ctx, s); err != nil {
				return err
			}
			sources[kind] = s.ID
		}
		for _, c := range items {
			it := docket.Item{GUID: c.GUID, URL: "https://" + c.Source + ".example.org/" + c.GUID, Title: c.Title,
				Text: c.Title + "\n\n" + c.Text, PublishedAt: day(t, c.Date), ContentHash: c.GUID}
			res, err := tx.SaveItems(ctx, sources[c.Source], []docket.Item{it})
			if err != nil {
				return err
			}
			id := res.New[0]
			w.ids[c.GUID], w.guids[id] = id, c.GUID
			if err := tx.LinkRuleMatches(ctx, id, it.PublishedAt, []store.TopicMatch{{TopicID: w.topic.ID, Terms: []string{"syria"}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}
