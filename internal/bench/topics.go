package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// Topics returns n topics with rules shaped like an office's: first one per region (a
// country or a beat, written as its places OR'd, narrowed where a word is ambiguous, with an
// exclusion at the end, like the design's Syria example), then narrow alerts on people and
// places, some narrowed by an AND group, with exclusions. The region topics are public, the
// alerts private. The same n always gives the same topics, and the first k of n topics are
// the k topics.
func Topics(n int) []docket.Topic {
	v := newVocab()
	out := make([]docket.Topic, 0, n)
	for i := range v.regions {
		if len(out) == n {
			return out
		}
		reg := &v.regions[i]
		places := reg.places[:min(6, len(reg.places))]
		alts := append([]string{}, places...)
		alts = append(alts, reg.people[0], reg.people[1])
		alts = append(alts, fmt.Sprintf("(%s AND (%s OR %q))", reg.bodies[0], reg.words[0], "Security Council"))
		rule := strings.Join(alts, " OR ") + fmt.Sprintf(" NOT %q", places[0]+" pepper")
		out = append(out, docket.Topic{
			Slug: reg.slug, Title: reg.title, Rule: rule, Visibility: docket.Public,
			Summary: fmt.Sprintf("%s: the news, the UN agencies' reports and what Parliament says about it.", reg.title),
		})
	}
	r := rand.New(rand.NewPCG(7, 2))
	subject := func() string {
		switch p := r.IntN(20); {
		case p < 11:
			return v.names[r.IntN(len(v.names))]
		case p < 15:
			reg := &v.regions[r.IntN(len(v.regions))]
			return reg.people[r.IntN(len(reg.people))]
		case p < 17:
			reg := &v.regions[r.IntN(len(v.regions))]
			return reg.places[r.IntN(len(reg.places))]
		case p < 18:
			return fmt.Sprintf("%q", v.names[r.IntN(len(v.names))]+" "+v.names[r.IntN(len(v.names))])
		default:
			for {
				if w := v.names[r.IntN(len(v.names))]; len(w) >= 7 {
					return w[:len(w)-1] + "*"
				}
			}
		}
	}
	qualifier := func() string {
		if r.IntN(5) == 0 {
			return fmt.Sprintf("%q", phrases[r.IntN(len(phrases))])
		}
		w := generalWords[r.IntN(len(generalWords))]
		if r.IntN(4) == 0 && len(w) > 5 {
			return w[:len(w)-2] + "*"
		}
		return w
	}
	for i := 0; len(out) < n; i++ {
		var alts []string
		for range 4 + r.IntN(5) {
			alts = append(alts, subject())
		}
		for range 1 + r.IntN(3) {
			alts = append(alts, fmt.Sprintf("(%s AND (%s OR %s))", subject(), qualifier(), qualifier()))
		}
		rule := strings.Join(alts, " OR ") + fmt.Sprintf(" NOT (%s OR %s)", qualifier(), subject())
		out = append(out, docket.Topic{
			Slug: fmt.Sprintf("alert-%03d", i+1), Title: fmt.Sprintf("Alert %d", i+1), Rule: rule,
			Visibility: docket.Private, Summary: "A researcher's alert on the people and places it names.",
		})
	}
	return out
}

// Statement returns a statement of about words words on a region (by its topic slug), as an
// MP's office writes one: sentences naming the region's places, bodies and people, citing
// numbers, the way evidence for each sentence would be looked for.
func Statement(slug string, words int) (title, body string) {
	v := newVocab()
	reg := &v.regions[0]
	for i := range v.regions {
		if v.regions[i].slug == slug {
			reg = &v.regions[i]
		}
	}
	r := rand.New(rand.NewPCG(11, hashString(slug)))
	var b strings.Builder
	n := 0
	for {
		subjects := v.subjects(r, reg)
		s := strings.TrimSuffix(v.sentences(r, reg, subjects, 14+r.IntN(14)), ".") + "."
		k := len(strings.Fields(s)) // phrases ("peace talks") are one draw, two words
		if n+k > words {
			break
		}
		b.WriteString(s)
		n += k
		if r.IntN(4) == 0 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return "Our response on " + reg.title, strings.TrimSpace(b.String())
}

// StatementDate is when the benchmark's statement is dated: the end of the corpus.
func StatementDate() time.Time { return End }
