package bench

import (
	"math/rand/v2"
	"strings"
)

// The text of the corpus is drawn, roughly as English news is, about half from function words,
// a quarter from a general vocabulary (real words, then invented ones for the long tail a year
// of news holds), and the rest from public-affairs words and the story's subjects: the places,
// people and bodies of its region. Titles repeat the subjects; copies of one story told by
// several sources share its subjects and most of its title, as real copies do.

var functionWords = strings.Fields(`the of and to in a is for on that with as by was said at from has
	have be it are were which will an its after their but not more also this been they who than
	over about into up two new would could had he she we there while when out other last three
	some all one no if or before under since against during between where most many such only`)

var generalWords = strings.Fields(`people time year week day month today night morning city country
	area region village town road building house school hospital family children women men group
	number part side place case point end hand life world state work home water food power money
	plan report statement meeting visit call talks deal move step start return use need help
	support control access aid fire force attack strike threat fear hope warning decision action
	response effort process system policy question issue problem crisis situation effect result
	level rate cost price share growth loss change rise fall increase record figure data study
	official spokesman spokeswoman minister leader president chief head member director adviser
	source witness resident worker farmer doctor nurse teacher student journalist lawyer judge
	court police army troops soldiers forces fighters rebels militants police officers guards
	government parliament council committee agency authority ministry office embassy mission
	party coalition opposition campaign election vote poll result majority seat budget tax
	economy market trade energy oil gas fuel electricity prices inflation wages jobs industry
	border crossing route convoy truck supplies shelter tents blankets medicine vaccine cholera
	earthquake flood drought winter summer heat storm weather climate emissions target summit
	agreement treaty resolution sanctions envoy negotiations ceasefire truce withdrawal offensive
	siege shelling airstrike bombardment explosion casualties wounded killed dead injured missing
	detained released prisoners hostages refugees displaced camps returnees evacuation rescue
	volunteers donors pledge funding appeal emergency reconstruction recovery investigation inquiry
	evidence accountability justice tribunal massacre monitoring observers inspectors weapons`)

var phrases = []string{"peace talks", "humanitarian aid", "chemical weapons", "Security Council",
	"human rights", "White Helmets", "safe zone", "no-fly zone", "aid convoy", "Prime Minister",
	"Foreign Secretary", "written question", "urgent question", "refugee camp", "field hospital",
	"United Nations", "Red Crescent", "World Food Programme", "General Assembly", "House of Commons"}

// region is what a story is about: its places, the people and bodies in its news, and the
// words its reporting uses more than others. Weight is its share of all items.
type region struct {
	slug, title string
	weight      float64
	places      []string
	bodies      []string
	words       []string
	people      []string // invented, filled by newVocab
}

var regions = []region{
	{slug: "syria", title: "Syria", weight: 0.24,
		places: strings.Fields("Syria Aleppo Idlib Damascus Homs Hama Raqqa Daraa Latakia Afrin Manbij Kobani Ghouta"),
		bodies: strings.Fields("UNHCR OCHA UNICEF WFP ICRC SARC OPCW"),
		words:  strings.Fields("siege evacuation ceasefire convoy barrel chlorine opposition regime Astana Geneva envoy")},
	{slug: "ukraine", title: "Ukraine", weight: 0.14,
		places: strings.Fields("Ukraine Kyiv Kharkiv Odesa Kherson Zaporizhzhia Donetsk Luhansk Mariupol Crimea"),
		bodies: strings.Fields("NATO IAEA OSCE UNHCR"),
		words:  strings.Fields("grain corridor drone missile reactor frontline mobilisation sanctions reconstruction")},
	{slug: "gaza", title: "Gaza", weight: 0.11,
		places: strings.Fields("Gaza Rafah Khan Younis Jabalia Jerusalem Ramallah Jenin Hebron"),
		bodies: strings.Fields("UNRWA OCHA WHO ICRC"),
		words:  strings.Fields("hostages crossing blockade truce famine tunnels displacement settlements")},
	{slug: "yemen", title: "Yemen", weight: 0.07,
		places: strings.Fields("Yemen Sanaa Aden Hodeidah Taiz Marib Saada"),
		bodies: strings.Fields("WFP UNICEF OCHA WHO"),
		words:  strings.Fields("Houthi coalition port cholera famine blockade truce shipping")},
	{slug: "sudan", title: "Sudan", weight: 0.06,
		places: strings.Fields("Sudan Khartoum Darfur Omdurman Kordofan Port Sudan El Fasher"),
		bodies: strings.Fields("RSF UNHCR WFP IGAD"),
		words:  strings.Fields("paramilitary famine displacement corridor talks Jeddah militia")},
	{slug: "afghanistan", title: "Afghanistan", weight: 0.04,
		places: strings.Fields("Afghanistan Kabul Kandahar Herat Helmand Mazar"),
		bodies: strings.Fields("UNAMA UNHCR WFP"),
		words:  strings.Fields("Taliban resettlement girls schools earthquake evacuation visas")},
	{slug: "libya", title: "Libya", weight: 0.03,
		places: strings.Fields("Libya Tripoli Benghazi Derna Misrata Sirte"),
		bodies: strings.Fields("UNSMIL IOM UNHCR"),
		words:  strings.Fields("militia migrants boats flood dam elections oil")},
	{slug: "myanmar", title: "Myanmar", weight: 0.03,
		places: strings.Fields("Myanmar Yangon Rakhine Naypyidaw Cox's Bazar Mandalay"),
		bodies: strings.Fields("ASEAN UNHCR ICJ"),
		words:  strings.Fields("Rohingya junta genocide coup refugees repatriation")},
	{slug: "westminster", title: "Westminster", weight: 0.12,
		places: strings.Fields("Westminster London Whitehall Downing Edinburgh Cardiff Belfast"),
		bodies: strings.Fields("FCDO DFID Commons Lords Treasury"),
		words:  strings.Fields("MPs debate motion bill amendment committee backbench budget aid cuts asylum")},
	{slug: "europe", title: "Europe", weight: 0.06,
		places: strings.Fields("Brussels Paris Berlin Geneva Strasbourg Athens Lampedusa Calais"),
		bodies: strings.Fields("EU Frontex UNHCR Council"),
		words:  strings.Fields("asylum migration quota summit Schengen returns pact")},
	{slug: "climate", title: "Climate", weight: 0.05,
		places: strings.Fields("Bonn Dubai Glasgow Sharm Baku Pakistan Bangladesh Somalia"),
		bodies: strings.Fields("UNFCCC IPCC UNEP"),
		words:  strings.Fields("emissions COP finance adaptation drought floods heatwave loss damage")},
	{slug: "economy", title: "Economy", weight: 0.05,
		places: strings.Fields("London Washington Frankfurt Beijing Tokyo Davos"),
		bodies: strings.Fields("IMF OECD WTO G20 ECB"),
		words:  strings.Fields("inflation interest rates recession debt tariffs growth forecast")},
}

// vocab is the corpus's fixed vocabulary: the same for every seed, so that topics written for
// one corpus match another.
type vocab struct {
	invented []string // the general vocabulary's long tail
	names    []string // people, for the regions and for narrow topics
	regions  []region
	cum      []float64 // cumulative region weights
}

func newVocab() *vocab {
	r := rand.New(rand.NewPCG(99, 99))
	v := &vocab{invented: invent(r, 4000, "pe te re ve de le me ne se ge co to ro po lo no so go in an un er or ar en", 2, 4)}
	v.names = invent(r, 3000, "al ba ka da ma ra sa ta na la ha za qa ya wa ri mo su ne ki lo fa bu", 2, 4)
	for i := range v.names {
		v.names[i] = strings.ToUpper(v.names[i][:1]) + v.names[i][1:]
	}
	v.regions = make([]region, len(regions))
	copy(v.regions, regions)
	total := 0.0
	for i := range v.regions {
		v.regions[i].people = v.names[i*40 : i*40+40]
		total += v.regions[i].weight
		v.cum = append(v.cum, total)
	}
	return v
}

// invent makes n distinct words of min to max syllables.
func invent(r *rand.Rand, n int, syllables string, minSyl, maxSyl int) []string {
	syl := strings.Fields(syllables)
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		var b strings.Builder
		for range minSyl + r.IntN(maxSyl-minSyl+1) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// pickRegion draws a region by weight.
func (v *vocab) pickRegion(r *rand.Rand) *region {
	u := r.Float64() * v.cum[len(v.cum)-1]
	for i, c := range v.cum {
		if u < c {
			return &v.regions[i]
		}
	}
	return &v.regions[len(v.regions)-1]
}

// skewed picks from words favouring the first ones, as word frequencies do.
func skewed(r *rand.Rand, words []string) string {
	u := r.Float64()
	return words[int(u*u*float64(len(words)))]
}

// subjects are what one story names: two or three of its region's places, people and bodies.
func (v *vocab) subjects(r *rand.Rand, reg *region) []string {
	out := []string{reg.places[r.IntN(len(reg.places))]}
	if r.IntN(2) == 0 {
		out = append(out, reg.people[r.IntN(len(reg.people))])
	} else {
		out = append(out, reg.places[r.IntN(len(reg.places))])
	}
	if r.IntN(3) == 0 {
		out = append(out, reg.bodies[r.IntN(len(reg.bodies))])
	}
	return out
}

// word picks a story's next word.
func (v *vocab) word(r *rand.Rand, reg *region, subjects []string) string {
	switch p := r.IntN(1000); {
	case p < 470:
		return skewed(r, functionWords)
	case p < 640:
		return skewed(r, generalWords)
	case p < 760:
		return skewed(r, v.invented)
	case p < 850:
		return reg.words[r.IntN(len(reg.words))]
	case p < 940:
		w := subjects[r.IntN(len(subjects))]
		if r.IntN(10) == 0 {
			w += "’s"
		}
		return w
	case p < 960:
		return phrases[r.IntN(len(phrases))]
	case p < 985:
		return reg.places[r.IntN(len(reg.places))]
	default:
		return v.names[r.IntN(len(v.names))]
	}
}

// sentences writes about n words as sentences.
func (v *vocab) sentences(r *rand.Rand, reg *region, subjects []string, n int) string {
	var b strings.Builder
	start := true
	for i := range n {
		w := v.word(r, reg, subjects)
		if start {
			w = strings.ToUpper(w[:1]) + w[1:]
			start = false
		}
		b.WriteString(w)
		switch {
		case i == n-1 || (i > 4 && r.IntN(16) == 0):
			b.WriteString(". ")
			start = true
		case r.IntN(12) == 0:
			b.WriteString(", ")
		default:
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}

// headline writes a story's title: its subjects, its region's words, a number now and then.
func (v *vocab) headline(r *rand.Rand, reg *region, subjects []string) []string {
	n := 7 + r.IntN(7)
	words := make([]string, 0, n+2)
	words = append(words, subjects[0])
	for len(words) < n {
		switch p := r.IntN(10); {
		case p < 3:
			words = append(words, skewed(r, functionWords))
		case p < 6:
			words = append(words, skewed(r, generalWords))
		case p < 8:
			words = append(words, reg.words[r.IntN(len(reg.words))])
		case p < 9:
			words = append(words, subjects[r.IntN(len(subjects))])
		default:
			words = append(words, skewed(r, v.invented))
		}
	}
	if r.IntN(4) == 0 {
		words = append(words, []string{"12", "30", "150", "2,000", "40"}[r.IntN(5)], "killed")
	}
	return words
}

// retell varies a headline as another source would: a word or two changed, dropped or moved.
func retell(r *rand.Rand, words []string, v *vocab) []string {
	out := append([]string(nil), words...)
	for range 1 + r.IntN(2) {
		i := 1 + r.IntN(len(out)-1)
		switch r.IntN(3) {
		case 0:
			out[i] = skewed(r, functionWords)
		case 1:
			out = append(out[:i], out[i+1:]...)
		default:
			out = append(out, skewed(r, generalWords))
		}
		if len(out) < 4 {
			break
		}
	}
	return out
}

func titleCase(words []string) string {
	s := strings.Join(words, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}
