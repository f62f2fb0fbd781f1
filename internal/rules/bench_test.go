package rules

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The benchmark corpus: news-like items drawn, roughly as English text is, half from function
// words, a quarter from a general vocabulary no topic names (invented words standing for the
// hundreds of common words of news), a sixth from public-affairs words that topics use to
// narrow a subject, and the rest from the item's subjects (places, people) and set phrases;
// with accented names, curly apostrophes and punctuation, so folding and matching see what
// they see in production.
var (
	benchFunctionWords = strings.Fields(`the of and to in a is for on that with as by was said at from has
		have be it are were which will an its after their but not more also this been they who than
		over about into up two new would could after had he she we there while when out other last`)
	benchNewsWords = strings.Fields(`government minister forces city people security council aid
		humanitarian refugees border attack strikes talks peace ceasefire evacuation hospital
		civilians rebels army president election parliament vote budget economy inflation prices
		energy climate health schools police court trial report statement crisis war troops officials
		agency spokesperson convoy siege shelling airstrike displaced camps water food winter
		sanctions resolution envoy negotiations opposition regime militia offensive withdrawal
		reconstruction donors pledge funding appeal emergency earthquake flooding vaccine cholera
		children women families schools teachers doctors nurses journalists detained released
		prisoners hostages election campaign polls constituency minister debate committee inquiry
		evidence amendment bill motion question answer spending cuts tax welfare housing transport
		railway strike union wages pensions energy bills nuclear defence treaty summit alliance
		chemical weapons investigation inspectors accountability justice tribunal massacre
		monitoring observatory casualties wounded killed dead injured rescue volunteers helmets`)
	benchPlaces = strings.Fields(`Syria Aleppo Idlib Damascus Homs Hama Raqqa Deir Ezzor Daraa Latakia
		Afrin Manbij Kobani Turkey Ankara Russia Moscow Iran Tehran Iraq Baghdad Mosul Lebanon Beirut
		Jordan Amman Geneva Astana London Westminster Brussels Paris Berlin Washington Gaza Israel
		Ukraine Kyiv Yemen Sudan Darfur Libya Tripoli Egypt Cairo UNHCR UNICEF OCHA NATO
		Ḥalab Türkiye São Zoë Côte Brüssel Kurdish Assad Putin Erdogan Guterres Pedersen`)
	benchPhrases = []string{"peace talks", "humanitarian aid", "chemical weapons", "security council",
		"human rights", "white helmets", "safe zone", "no fly zone", "aid convoy", "prime minister",
		"foreign secretary", "written question", "urgent question", "refugee camp", "field hospital"}
)

// benchNames returns n invented proper names, deterministic for a seed: the rare terms that
// make 200 topics' terms mostly distinct, as real topics' are.
func benchNames(n int, r *rand.Rand) []string {
	syll := strings.Fields("al ba ka da ma ra sa ta na la ha za qa ya wa ri mo su ne ki lo fa bu")
	names := make([]string, n)
	for i := range names {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		s := b.String()
		names[i] = strings.ToUpper(s[:1]) + s[1:]
	}
	return names
}

// benchGeneral returns n invented lowercase words: the general vocabulary.
func benchGeneral(n int, r *rand.Rand) []string {
	syll := strings.Fields("pe te re ve de le me ne se ge co to ro po lo no so go in an un er or ar en")
	words := make([]string, n)
	for i := range words {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		words[i] = b.String()
	}
	return words
}

// skewed picks from words favouring the first ones, like word frequencies do.
func skewed(r *rand.Rand, words []string) string {
	u := r.Float64()
	return words[int(u*u*float64(len(words)))]
}

// benchWord picks an item's next word. An item is about a few subjects (places, people),
// which it names often; other places and names turn up now and then.
func benchWord(r *rand.Rand, subjects []string, v *benchVocab) string {
	switch p := r.IntN(1000); {
	case p < 500:
		return skewed(r, benchFunctionWords)
	case p < 760:
		return skewed(r, v.general)
	case p < 920:
		return skewed(r, benchNewsWords)
	case p < 975:
		w := subjects[r.IntN(len(subjects))]
		if r.IntN(8) == 0 {
			w += "’s"
		}
		return w
	case p < 990:
		return benchPhrases[r.IntN(len(benchPhrases))]
	case p < 995:
		return benchPlaces[r.IntN(len(benchPlaces))]
	default:
		return v.names[r.IntN(len(v.names))]
	}
}

type benchVocab struct{ names, general []string }

func newBenchVocab() *benchVocab {
	r := rand.New(rand.NewPCG(99, 99))
	return &benchVocab{names: benchNames(2000, r), general: benchGeneral(1000, r)}
}

// benchSubject picks a person or place: a real place, or one of the invented names that stand
// for the many people and places a year of news names.
func benchSubject(r *rand.Rand, names []string) string {
	if r.IntN(2) == 0 {
		return benchPlaces[r.IntN(len(benchPlaces))]
	}
	return names[r.IntN(len(names))]
}

func benchText(r *rand.Rand, subjects []string, v *benchVocab, words int) string {
	var b strings.Builder
	start := true
	for i := range words {
		w := benchWord(r, subjects, v)
		if start {
			w = strings.ToUpper(w[:1]) + w[1:]
			start = false
		}
		b.WriteString(w)
		switch {
		case i == words-1 || r.IntN(15) == 0:
			b.WriteString(". ")
			start = true
		case r.IntN(10) == 0:
			b.WriteString(", ")
		default:
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}

// benchDocs returns n items: a title of about 10 words, a summary of about 40, content of
// about 300.
func benchDocs(n int, seed uint64) []Doc {
	r := rand.New(rand.NewPCG(seed, 1))
	v := newBenchVocab()
	docs := make([]Doc, n)
	for i := range docs {
		subjects := []string{benchSubject(r, v.names), benchSubject(r, v.names), benchSubject(r, v.names)}
		docs[i] = Doc{
			Title:   benchText(r, subjects, v, 7+r.IntN(7)),
			Summary: benchText(r, subjects, v, 30+r.IntN(20)),
			Content: benchText(r, subjects, v, 250+r.IntN(100)),
		}
	}
	return docs
}

// benchTopics returns n topics of 20 terms each, shaped like real alerts: alternatives naming
// people and places, some narrowed by an AND group of common words, phrases and prefixes, and
// exclusions at the end.
func benchTopics(n int, seed uint64) []Topic {
	r := rand.New(rand.NewPCG(seed, 2))
	names := newBenchVocab().names
	// subject is what a topic is about: a person or a place, sometimes as a prefix (of a long
	// name, as people write stems), or a phrase naming one.
	subject := func() string {
		switch p := r.IntN(20); {
		case p < 11:
			return names[r.IntN(len(names))]
		case p < 17:
			return benchPlaces[r.IntN(len(benchPlaces))]
		case p < 18:
			return `"` + names[r.IntN(len(names))] + " " + names[r.IntN(len(names))] + `"`
		default:
			for {
				if w := names[r.IntN(len(names))]; len(w) >= 7 {
					return w[:len(w)-1] + "*"
				}
			}
		}
	}
	// qualifier narrows a subject: a common news word, or a set phrase.
	qualifier := func() string {
		if r.IntN(5) == 0 {
			return `"` + benchPhrases[r.IntN(len(benchPhrases))] + `"`
		}
		w := benchNewsWords[r.IntN(len(benchNewsWords))]
		if r.IntN(4) == 0 && len(w) > 5 {
			return w[:len(w)-2] + "*"
		}
		return w
	}
	topics := make([]Topic, n)
	for i := range topics {
		var alts []string
		for range 8 {
			alts = append(alts, subject())
		}
		for range 3 {
			alts = append(alts, fmt.Sprintf("(%s AND (%s OR %s))", subject(), qualifier(), qualifier()))
		}
		src := strings.Join(alts, " OR ") + fmt.Sprintf(" NOT (%s OR %s OR %s)", qualifier(), subject(), qualifier())
		rule, err := Parse(src)
		if err != nil {
			panic(fmt.Sprintf("benchmark rule %q: %v", src, err))
		}
		topics[i] = Topic{ID: int64(i + 1), Rule: rule}
	}
	return topics
}

// BenchmarkMatch matches 10,000 items against 10 and against 200 topics and reports items/s,
// and items per CPU-second (all threads), which other work on a shared machine disturbs less
// than wall-clock time. The two topic counts should give figures within 2x of each other:
// the pass over the text costs the same whatever the number of topics, and only topics that a
// found term can make true are evaluated.
func BenchmarkMatch(b *testing.B) {
	docs := benchDocs(10000, 42)
	for _, n := range []int{10, 200} {
		b.Run(fmt.Sprintf("topics=%d", n), func(b *testing.B) {
			m := Compile(benchTopics(n, 7))
			matches := 0
			b.ReportAllocs()
			cpu0, cpuOK := cpuTime()
			for b.Loop() {
				for _, d := range docs {
					matches += len(m.Match(d))
				}
			}
			cpu1, _ := cpuTime()
			items := float64(b.N * len(docs))
			b.ReportMetric(items/b.Elapsed().Seconds(), "items/s")
			if cpuOK {
				b.ReportMetric(items/(cpu1-cpu0).Seconds(), "items/cpu-s")
			}
			b.ReportMetric(float64(matches)/items, "topics/item")
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	topics := benchTopics(200, 7)
	for b.Loop() {
		Compile(topics)
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(designExample); err != nil {
			b.Fatal(err)
		}
	}
}
