package bench

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// Feed is one generated feed: its bytes, and what a source for it is.
type Feed struct {
	Name        string // feed-017
	Title       string
	Kind        string // the source kind: news, un, ngo, parliament
	Format      string // rss, atom or json
	ContentType string
	Body        []byte
	Gzip        []byte // Body compressed, as most servers send it
	ETag        string
	Items       int
}

// feedShape is a feed's format and whether it carries whole articles: about half of real
// feeds send only a summary.
type feedShape struct {
	format string
	full   bool
}

var shapes = []feedShape{
	{"rss", true}, {"rss", false}, {"rss", true}, {"rss", false}, {"atom", true},
	{"rss", false}, {"rss", true}, {"atom", false}, {"json", true}, {"rss", false},
}

// kindOf spreads sources over kinds as an office's list would be: mostly news, then UN
// agencies, NGOs and Parliament.
func kindOf(i int) string {
	switch k := i % 20; {
	case k < 14:
		return docket.KindNews
	case k < 17:
		return docket.KindUN
	case k < 19:
		return docket.KindNGO
	}
	return docket.KindParliament
}

// Feeds generates n feeds of m items each, the same for the same seed. A third of the items
// tell a story another feed tells too, a few hours apart, for story clustering to find.
func Feeds(seed uint64, n, m int) []Feed {
	v := newVocab()
	feeds := make([]Feed, n)
	for f := range feeds {
		r := rand.New(rand.NewPCG(seed, uint64(f)+1))
		shape := shapes[f%len(shapes)]
		name := fmt.Sprintf("feed-%03d", f)
		site := "https://" + name + ".example.org"
		cadence := time.Duration(20+r.IntN(220)) * time.Minute
		t := End.Add(-time.Duration(r.Int64N(int64(cadence))))
		arts := make([]article, m)
		for j := range arts {
			story := fmt.Sprintf("u%d-%d-%d", seed, f, j)
			retold := r.IntN(3) == 0
			if retold {
				// Big stories: a handful per two hours, which several feeds tell.
				story = fmt.Sprintf("b%d-%d-%d", seed, End.Sub(t)/(2*time.Hour), r.IntN(4))
			}
			a := v.writeArticle(seed, story, r, retold, shape.full)
			a.published = t.Truncate(time.Second)
			a.guid = fmt.Sprintf("%s-%06d", name, m-j)
			a.url = fmt.Sprintf("%s/%s/%s-%d", site, a.published.Format("2006/01/02"), slugOf(a.title), m-j)
			arts[j] = a
			t = t.Add(-time.Duration(float64(cadence) * (0.5 + r.Float64())))
		}
		feed := Feed{Name: name, Kind: kindOf(f), Format: shape.format, Items: m,
			Title: fmt.Sprintf("%s %d", strings.ToUpper(kindOf(f)[:1])+kindOf(f)[1:], f)}
		switch shape.format {
		case "atom":
			feed.Body, feed.ContentType = atomFeed(feed.Title, site, arts), "application/atom+xml; charset=utf-8"
		case "json":
			feed.Body, feed.ContentType = jsonFeed(feed.Title, site, arts), "application/feed+json"
		default:
			feed.Body, feed.ContentType = rssFeed(feed.Title, site, arts), "application/rss+xml; charset=utf-8"
		}
		sum := sha256.Sum256(feed.Body)
		feed.ETag = `"` + hex.EncodeToString(sum[:8]) + `"`
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
		w.Write(feed.Body)
		w.Close()
		feed.Gzip = gz.Bytes()
		feeds[f] = feed
	}
	return feeds
}

// TotalItems counts the items of feeds.
func TotalItems(feeds []Feed) int {
	n := 0
	for _, f := range feeds {
		n += f.Items
	}
	return n
}

func cdata(s string) string {
	return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>"
}

func rssFeed(title, site string, arts []article) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">` + "\n<channel>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<link>%s/</link>\n<description>The latest from %s</description>\n<language>en-gb</language>\n<lastBuildDate>%s</lastBuildDate>\n<ttl>15</ttl>\n",
		escapeText(title), site, escapeText(title), End.Format(time.RFC1123Z))
	fmt.Fprintf(&b, `<atom:link href="%s/rss.xml" rel="self" type="application/rss+xml"/>`+"\n", site)
	for _, a := range arts {
		b.WriteString("<item>\n")
		fmt.Fprintf(&b, "<title>%s</title>\n<link>%s</link>\n<guid isPermaLink=\"false\">%s</guid>\n<pubDate>%s</pubDate>\n<dc:creator>%s</dc:creator>\n<category>%s</category>\n",
			escapeText(a.title), a.url, a.guid, a.published.Format(time.RFC1123Z), escapeText(a.author), a.region.title)
		fmt.Fprintf(&b, "<description>%s</description>\n", cdata(feedHTML(a.markup, a.summary, site)))
		if len(a.content) > 0 {
			fmt.Fprintf(&b, "<content:encoded>%s</content:encoded>\n", cdata(feedHTML(a.markup, a.content, site)))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}

func atomFeed(title, site string, arts []article) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">` + "\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<link href=\"%s/\"/>\n<link rel=\"self\" href=\"%s/atom.xml\"/>\n<id>%s/</id>\n<updated>%s</updated>\n",
		escapeText(title), site, site, site, End.Format(time.RFC3339))
	for _, a := range arts {
		b.WriteString("<entry>\n")
		fmt.Fprintf(&b, "<title>%s</title>\n<link rel=\"alternate\" href=\"%s\"/>\n<id>tag:%s,2024:%s</id>\n<published>%s</published>\n<updated>%s</updated>\n<author><name>%s</name></author>\n",
			escapeText(a.title), a.url, strings.TrimPrefix(site, "https://"), a.guid, a.published.Format(time.RFC3339), a.published.Format(time.RFC3339), escapeText(a.author))
		fmt.Fprintf(&b, "<summary type=\"html\">%s</summary>\n", escapeText(feedHTML(a.markup, a.summary, site)))
		if len(a.content) > 0 {
			fmt.Fprintf(&b, "<content type=\"html\">%s</content>\n", escapeText(feedHTML(a.markup, a.content, site)))
		}
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}

func jsonFeed(title, site string, arts []article) []byte {
	type author struct {
		Name string `json:"name"`
	}
	type item struct {
		ID        string   `json:"id"`
		URL       string   `json:"url"`
		Title     string   `json:"title"`
		Summary   string   `json:"summary,omitempty"`
		HTML      string   `json:"content_html"`
		Published string   `json:"date_published"`
		Authors   []author `json:"authors"`
		Tags      []string `json:"tags"`
	}
	out := struct {
		Version string `json:"version"`
		Title   string `json:"title"`
		Home    string `json:"home_page_url"`
		FeedURL string `json:"feed_url"`
		Items   []item `json:"items"`
	}{"https://jsonfeed.org/version/1.1", title, site + "/", site + "/feed.json", make([]item, 0, len(arts))}
	for _, a := range arts {
		it := item{ID: a.guid, URL: a.url, Title: a.title, Published: a.published.Format(time.RFC3339),
			Authors: []author{{a.author}}, Tags: []string{a.region.title}}
		summary := feedHTML(a.markup, a.summary, site)
		if len(a.content) > 0 {
			it.Summary, it.HTML = strings.Join(a.summary, " "), summary+feedHTML(a.markup, a.content, site)
		} else {
			it.HTML = summary
		}
		out.Items = append(out.Items, it)
	}
	// Structs of strings always marshal.
	b, _ := json.MarshalIndent(out, "", " ")
	return b
}
