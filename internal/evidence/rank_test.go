package evidence_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/evidence"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// rankFigures are how well the ranker does on a set of sentences: hit@1 and hit@3 (the share
// of sentences whose item is first, or among the three suggestions), precision@3 (the share
// of the three suggestions that support the sentence) and the most precision@3 could be
// (most sentences have one supporting item, so three suggestions cannot all be right).
type rankFigures struct {
	hit1, hit3, precision3, possible float64
	misses                           []string
}

// rankSentences suggests evidence for each sentence alone, on the corpus's topic and as of
// its date, and returns the figures and the suggestions (guids) for each.
func rankSentences(t *testing.T, w *world, sentences []corpusSentence) (rankFigures, [][]string) {
	t.Helper()
	r := &evidence.Ranker{DB: w.db}
	var got [][]string
	var f rankFigures
	hits, first, relevant, possible := 0, 0, 0, 0
	for _, c := range sentences {
		if _, ok := w.ids[c.Want]; !ok {
			t.Fatalf("%q: want %s, which is not in the corpus", c.Sentence, c.Want)
		}
		res, err := r.Suggest(context.Background(), evidence.Input{Body: c.Sentence, TopicIDs: []int64{w.topic.ID}, Date: day(t, c.Date)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 {
			t.Fatalf("%q split into %d sentences, want 1", c.Sentence, len(res))
		}
		var top []string
		for _, s := range res[0].Suggestions {
			top = append(top, w.guids[s.Item.ID])
			if s.Item.PublishedAt.After(day(t, c.Date)) {
				t.Errorf("%q: suggested %s, published after the statement", c.Sentence, w.guids[s.Item.ID])
			}
		}
		got = append(got, top)
		possible += min(3, 1+len(c.Also))
		if len(top) > 0 && top[0] == c.Want {
			first++
		}
		if slices.Contains(top, c.Want) {
			hits++
		} else {
			f.misses = append(f.misses, fmt.Sprintf("%q: top 3 %v, want %s among them", c.Sentence, top, c.Want))
		}
		for _, g := range top {
			if g == c.Want || slices.Contains(c.Also, g) {
				relevant++
			}
		}
	}
	n := float64(len(sentences))
	f.hit1, f.hit3, f.precision3, f.possible = float64(first)/n, float64(hits)/n, float64(relevant)/(3*n), float64(possible)/(3*n)
	return f, got
}

// TestTopThreeOnTheCorpus ranks two sets of sentences written about known items of the
// corpus, on both databases, and asserts floors on hit@3 and precision@3 (rankFigures) for
// each; both databases must suggest exactly the same items in the same order.
//
// testdata/sentences.json is the set the ranker was tuned on: every sentence's item must be
// among its three suggestions. testdata/heldout.json was written afterwards, for this test
// only, about items already in the corpus (most of them items the tuning set never asks
// for), and was not used to tune anything: its floors say how the ranker does on sentences
// it was not fitted to, so a change that only suits the tuning set shows. Its floors sit a
// little under the figures measured when it was written (BENCHMARKS.md), so that a tie broken
// the other way does not fail the test but a real loss does.
func TestTopThreeOnTheCorpus(t *testing.T) {
	sets := []struct {
		name, file             string
		minHit3, minPrecision3 float64
		everyOne               bool // every sentence's item among the three
	}{
		{"tuning", "testdata/sentences.json", 1.0, 0.36, true},
		{"held out", "testdata/heldout.json", 0.96, 0.35, false},
	}
	results := map[string][][]string{}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		w := loadCorpus(t, db)
		for _, set := range sets {
			t.Run(set.name, func(t *testing.T) {
				var sentences []corpusSentence
				readJSON(t, set.file, &sentences)
				f, got := rankSentences(t, w, sentences)
				results[t.Name()] = got
				t.Logf("%d sentences: hit@1 %.3f, hit@3 %.3f, precision@3 %.3f (%.3f is the most possible)",
					len(sentences), f.hit1, f.hit3, f.precision3, f.possible)
				for _, m := range f.misses {
					if set.everyOne {
						t.Error(m)
					} else {
						t.Log("missed: " + m)
					}
				}
				if f.hit3 < set.minHit3 {
					t.Errorf("hit@3 %.3f, want at least %.3f", f.hit3, set.minHit3)
				}
				if f.precision3 < set.minPrecision3 {
					t.Errorf("precision@3 %.3f, want at least %.3f (of %.3f possible)", f.precision3, set.minPrecision3, f.possible)
				}
			})
		}
	})
	for _, set := range sets {
		a, b := results[t.Name()+"/sqlite/"+strings.ReplaceAll(set.name, " ", "_")], results[t.Name()+"/postgres/"+strings.ReplaceAll(set.name, " ", "_")]
		if a == nil || b == nil || reflect.DeepEqual(a, b) {
			continue
		}
		var sentences []corpusSentence
		readJSON(t, set.file, &sentences)
		for i := range a {
			if !reflect.DeepEqual(a[i], b[i]) {
				t.Errorf("%s: %q: SQLite suggests %v, PostgreSQL %v", set.name, sentences[i].Sentence, a[i], b[i])
			}
		}
	}
}

func TestSuggestRules(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := loadCorpus(t, db)
		r := &evidence.Ranker{DB: db}
		other := &docket.Topic{Slug: "other", Title: "Other", Visibility: docket.Private}
		if err := db.CreateTopic(ctx, other); err != nil {
			t.Fatal(err)
		}
		body := "The earthquake destroyed thousands of buildings in Aleppo and Idlib.\n\n" +
			"It took three days for the first UN aid trucks to reach Idlib through Bab al-Hawa."
		after := day(t, "2023-02-20")

		cases := []struct {
			name   string
			in     evidence.Input
			reject func(db *store.DB) error
			want   [][]string // per sentence, the suggested guids in order; nil for none
			check  func(t *testing.T, res []evidence.SentenceSuggestions)
		}{
			{
				name: "items after the statement do not support it",
				in:   evidence.Input{Body: body, TopicIDs: []int64{w.topic.ID}, Date: day(t, "2023-02-07")},
				check: func(t *testing.T, res []evidence.SentenceSuggestions) {
					for _, s := range res {
						for _, g := range s.Suggestions {
							if g.Item.PublishedAt.After(day(t, "2023-02-07")) {
								t.Errorf("suggested %s of %s, after the statement", w.guids[g.Item.ID], views(g.Item.PublishedAt))
							}
						}
					}
					if len(res[0].Suggestions) == 0 || w.guids[res[0].Suggestions[0].Item.ID] != "earthquake" {
						t.Errorf("first sentence: got %v, want the earthquake report first", guidsOf(w, res[0]))
					}
				},
			},
			{
				name: "only the statement's topics",
				in:   evidence.Input{Body: body, TopicIDs: []int64{other.ID}, Date: after},
				want: [][]string{nil, nil},
			},
			{
				name: "no topics, no suggestions",
				in:   evidence.Input{Body: body, Date: after},
				want: [][]string{nil, nil},
			},
			{
				name: "shared words are the reason",
				in:   evidence.Input{Body: body, TopicIDs: []int64{w.topic.ID}, Date: after},
				check: func(t *testing.T, res []evidence.SentenceSuggestions) {
					top := res[1].Suggestions[0]
					if w.guids[top.Item.ID] != "earthquake-aid-delay" {
						t.Fatalf("second sentence: got %v, want earthquake-aid-delay first", guidsOf(w, res[1]))
					}
					for _, want := range []string{"three", "days", "trucks", "idlib", "bab", "hawa"} {
						if !slices.Contains(top.Terms, want) {
							t.Errorf("terms %v, want %q among them", top.Terms, want)
						}
					}
					if slices.Contains(top.Terms, "the") || slices.Contains(top.Terms, "for") {
						t.Errorf("terms %v include stop words", top.Terms)
					}
					if res[1].Hash == "" || res[1].Text != "It took three days for the first UN aid trucks to reach Idlib through Bab al-Hawa." {
						t.Errorf("sentence %q hash %q", res[1].Text, res[1].Hash)
					}
				},
			},
			{
				name:   "a rejected link is not evidence",
				reject: func(db *store.DB) error { return reject(db, w.ids["earthquake"], w.topic.ID) },
				in:     evidence.Input{Body: body, TopicIDs: []int64{w.topic.ID}, Date: after},
				check: func(t *testing.T, res []evidence.SentenceSuggestions) {
					if slices.Contains(guidsOf(w, res[0]), "earthquake") {
						t.Errorf("got %v, want the rejected earthquake report left out", guidsOf(w, res[0]))
					}
				},
			},
			{
				name: "a sentence of stop words has none",
				in:   evidence.Input{Body: "It is what it is.", TopicIDs: []int64{w.topic.ID}, Date: after},
				want: [][]string{nil},
			},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if c.reject != nil {
					if err := c.reject(db); err != nil {
						t.Fatal(err)
					}
				}
				res, err := r.Suggest(ctx, c.in)
				if err != nil {
					t.Fatal(err)
				}
				if c.want != nil {
					var got [][]string
					for _, s := range res {
						got = append(got, guidsOf(w, s))
					}
					if !reflect.DeepEqual(got, c.want) {
						t.Fatalf("got %v, want %v", got, c.want)
					}
				}
				if c.check != nil {
					c.check(t, res)
				}
			})
		}
	})
}

func reject(db *store.DB, itemID, topicID int64) error {
	_, err := db.W.Exec(db.W.Rebind(`UPDATE item_topics SET state = 'rejected' WHERE item_id = ? AND topic_id = ?`), itemID, topicID)
	return err
}

func views(t time.Time) string { return t.Format("2006-01-02") }

func guidsOf(w *world, s evidence.SentenceSuggestions) []string {
	var out []string
	for _, g := range s.Suggestions {
		out = append(out, w.guids[g.Item.ID])
	}
	return out
}

func TestTerms(t *testing.T) {
	cases := []struct {
		sentence string
		want     string // Word→Key, * for a prefix search
	}{
		{"Some 35,000 people were evacuated from eastern Aleppo.", "35 people* evacuated→evacu* eastern* aleppo*"},
		{"The UN's convoys reached Idlib.", "un convoys→convoy* reached→reach* idlib*"},
		{"It is what it is.", ""},
		{"Evacuations and the evacuation: evacuated!", "evacuations→evacu*"},
		{"Hospitals, hospital and hospitality.", "hospitals→hospital*"},
		{"Resolution 2401 of 2018 asked for 30 days.", "resolution→resolut* 2401 2018 30 days*"},
		{"Ḥalab and ALEPPO's aid", "halab* aleppo* aid"},
		{"A war in 2016 is 000 and 7 x", "war 2016"},
	}
	for _, c := range cases {
		t.Run(c.sentence, func(t *testing.T) {
			var got []string
			for _, term := range evidence.Terms(docket.Fold(c.sentence)) {
				s := term.Word
				if term.Key != term.Word {
					s += "→" + term.Key
				}
				if term.Prefix {
					s += "*"
				}
				got = append(got, s)
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("got %q, want %q", g, c.want)
			}
		})
	}
}

func TestStem(t *testing.T) {
	cases := map[string]string{
		"evacuated": "evacu", "evacuation": "evacu", "evacuations": "evacu", "hospitals": "hospital",
		"negotiations": "negoti", "casualties": "casualt", "ceasefire": "ceasefire", "says": "says",
		"killed": "kill", "killing": "kill", "aid": "aid", "crossings": "cross", "children": "children",
	}
	for in, want := range cases {
		if got := evidence.Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScoringFunctions(t *testing.T) {
	t.Run("rarer words weigh more", func(t *testing.T) {
		if !(evidence.IDF(1000, 1) > evidence.IDF(1000, 10) && evidence.IDF(1000, 10) > evidence.IDF(1000, 900)) {
			t.Errorf("IDF not decreasing: %v %v %v", evidence.IDF(1000, 1), evidence.IDF(1000, 10), evidence.IDF(1000, 900))
		}
		if got := evidence.IDF(1000, 1000); got <= 0 || got > 0.01 {
			t.Errorf("IDF of a word every item has = %v, want just above 0", got)
		}
	})
	t.Run("nearness", func(t *testing.T) {
		cases := []struct {
			age  time.Duration
			want float64
		}{
			{0, 1}, {-time.Hour, 1}, {30 * 24 * time.Hour, 0.75}, {90 * 24 * time.Hour, 0.625}, {100 * 365 * 24 * time.Hour, 0.5},
		}
		for _, c := range cases {
			if got := evidence.Nearness(c.age); math.Abs(got-c.want) > 0.001 {
				t.Errorf("Nearness(%v) = %v, want %v", c.age, got, c.want)
			}
		}
	})
}

func FuzzTerms(f *testing.F) {
	for _, s := range []string{"Some 35,000 people were evacuated from eastern Aleppo.", "", "a a a", "Ḥalab ÆØ ß 000 0 00 1e5",
		"UN's U.N. \"quoted\" (brackets) – dash", strings.Repeat("evacuations ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := docket.Fold(s)
		seen := map[string]bool{}
		for _, term := range evidence.Terms(folded) {
			if term.Key == "" || term.Word == "" {
				t.Fatalf("empty term %+v from %q", term, s)
			}
			if seen[term.Key] {
				t.Fatalf("key %q twice from %q", term.Key, s)
			}
			seen[term.Key] = true
			if !term.Matches(term.Word) {
				t.Fatalf("term %+v does not match its own word", term)
			}
			if !strings.Contains(" "+folded+" ", " "+term.Word+" ") {
				t.Fatalf("word %q is not a word of %q", term.Word, folded)
			}
			if strings.ContainsAny(term.Key, " \"'*:|&!()") {
				t.Fatalf("key %q would break a query", term.Key)
			}
		}
	})
}
