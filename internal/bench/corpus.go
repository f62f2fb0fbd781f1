package bench

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// End is when every corpus ends: its newest items were published just before it. A fixed
// date keeps the corpus, and so the figures, the same from run to run.
var End = time.Date(2024, 6, 30, 18, 0, 0, 0, time.UTC)

// An article is one item as the generator writes it, before it is put in a feed (with the
// markup feeds carry) or straight into a database (as ingest would have stored it).
type article struct {
	guid, url, title string
	author           string
	summary          []string // paragraphs of plain text
	content          []string // empty for a feed that sends summaries only
	published        time.Time
	story            string // items telling one story share it
	region           *region
	markup           *rand.Rand // decides the links and images of the HTML
}

// storyOf returns the headline, subjects, region and lead sentence of a story: every item that
// tells it draws them from the same seed.
func (v *vocab) storyOf(seed uint64, key string) (reg *region, subjects []string, headline []string, lead string) {
	r := rand.New(rand.NewPCG(seed, hashString(key)))
	reg = v.pickRegion(r)
	subjects = v.subjects(r, reg)
	headline = v.headline(r, reg, subjects)
	lead = v.sentences(r, reg, subjects, 18+r.IntN(12))
	return reg, subjects, headline, lead
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// writeArticle writes one telling of a story. retold says another source told it first, so
// the headline is varied; full asks for content as well as a summary.
func (v *vocab) writeArticle(seed uint64, story string, r *rand.Rand, retold, full bool) article {
	reg, subjects, headline, lead := v.storyOf(seed, story)
	if retold {
		headline = retell(r, headline, v)
	}
	a := article{title: titleCase(headline), story: story, region: reg}
	a.summary = []string{lead + " " + v.sentences(r, reg, subjects, 10+r.IntN(30))}
	if full {
		for range 3 + r.IntN(4) {
			a.content = append(a.content, v.sentences(r, reg, subjects, 30+r.IntN(45)))
		}
	}
	a.author = v.names[r.IntN(len(v.names))] + " " + v.names[r.IntN(len(v.names))]
	a.markup = rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))
	return a
}

// slugOf makes an article's address from its title.
func slugOf(title string) string {
	s := docket.Slugify(title)
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}

// feedHTML renders paragraphs as a feed sends them: relative links with tracking parameters,
// an image now and then, and some of what a sanitizer must remove (scripts, frames, event
// handlers, styles).
func feedHTML(r *rand.Rand, paras []string, site string) string {
	var b strings.Builder
	for i, p := range paras {
		words := strings.Fields(p)
		switch k := r.IntN(40); {
		case k == 0:
			b.WriteString(`<script type="text/javascript">window.dataLayer=window.dataLayer||[];dataLayer.push({event:"rss"});</script>`)
		case k == 1:
			b.WriteString(`<iframe src="https://www.youtube.com/embed/x` + fmt.Sprint(r.IntN(1e6)) + `" width="560" height="315" allowfullscreen></iframe>`)
		case k == 2:
			b.WriteString(`<div class="ad-slot" style="display:none" onclick="track(this)">Advertisement</div>`)
		case k < 6 && i > 0:
			fmt.Fprintf(&b, `<figure><img src="/images/%d.jpg" srcset="/images/%d-640.jpg 640w" alt="%s" width="640" height="360"><figcaption>%s</figcaption></figure>`,
				r.IntN(1e6), r.IntN(1e6), strings.Join(words[:min(6, len(words))], " "), strings.Join(words[:min(10, len(words))], " "))
		case k < 8 && i > 0:
			b.WriteString("<h2>" + strings.Join(words[:min(5, len(words))], " ") + "</h2>")
		}
		b.WriteString("<p>")
		if len(words) > 8 && r.IntN(2) == 0 {
			at := r.IntN(len(words) - 4)
			n := 2 + r.IntN(3)
			link := fmt.Sprintf("/news/%d/%s?utm_source=rss&amp;utm_medium=feed&amp;ref=%d", r.IntN(1e5), strings.ToLower(words[at]), r.IntN(100))
			if r.IntN(3) == 0 {
				link = site + link
			}
			b.WriteString(escapeText(strings.Join(words[:at], " ")))
			b.WriteString(` <a href="` + link + `" title="` + escapeText(words[at]) + `">`)
			b.WriteString(escapeText(strings.Join(words[at:at+n], " ")))
			b.WriteString(`</a> `)
			rest := strings.Join(words[at+n:], " ")
			if len(words) > 20 && r.IntN(3) == 0 {
				mid := strings.Fields(rest)
				k := len(mid) / 2
				rest = strings.Join(mid[:k], " ") + " <em>" + escapeText(strings.Join(mid[k:min(k+3, len(mid))], " ")) + "</em> " + strings.Join(mid[min(k+3, len(mid)):], " ")
			}
			b.WriteString(escapeTextKeepTags(rest))
		} else {
			b.WriteString(escapeText(p))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// storedHTML renders paragraphs as Docket stores them after sanitizing: absolute links that
// open in a new tab, no tracking parameters, nothing that runs.
func storedHTML(r *rand.Rand, paras []string, site string) string {
	var b strings.Builder
	for _, p := range paras {
		words := strings.Fields(p)
		b.WriteString("<p>")
		if len(words) > 8 && r.IntN(2) == 0 {
			at := r.IntN(len(words) - 4)
			n := 2 + r.IntN(3)
			fmt.Fprintf(&b, `%s <a href="%s/news/%d/%s" rel="nofollow noreferrer noopener" target="_blank">%s</a> %s`,
				escapeText(strings.Join(words[:at], " ")), site, r.IntN(1e5), strings.ToLower(words[at]),
				escapeText(strings.Join(words[at:at+n], " ")), escapeText(strings.Join(words[at+n:], " ")))
		} else {
			b.WriteString(escapeText(p))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;")

func escapeText(s string) string { return textEscaper.Replace(s) }

// escapeTextKeepTags escapes text that holds the <em> tags feedHTML put in.
func escapeTextKeepTags(s string) string {
	s = escapeText(s)
	return strings.NewReplacer("&lt;em&gt;", "<em>", "&lt;/em&gt;", "</em>").Replace(s)
}
