package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/docket-dev/docket/internal/docket"
)

// maxGUIDLen bounds a stored guid: longer ones (some feeds put the whole article there) are
// replaced by their hash.
const maxGUIDLen = 1024

// maxTitleLen bounds an item's or a feed's title, in bytes: the longest real headlines run to
// a few hundred characters, and a page shows a title on a line or two, but a broken or hostile
// feed once gave a 1.8 MB title. Longer ones are cut, with an ellipsis.
const maxTitleLen = 1000

// maxURLLen bounds an item's or a feed's link, in bytes: servers and proxies commonly refuse
// request lines longer than 8 KiB, so a longer link (a feed once gave one of 500 kB) leads
// nowhere and is dropped.
const maxURLLen = 8 << 10

// futureSlack is how far ahead of the clock an item's date may be before it is taken for a
// wrong clock or time zone and set to now.
const futureSlack = 24 * time.Hour

// Normalize turns f's entries into items: sanitized HTML, plain text, absolute links without
// tracking parameters, a guid and a date for every item, duplicates (same guid) collapsed to
// the first, and at most maxItems (<= 0: all), newest first. now is the fetch time. SourceID
// is left 0 for the caller.
func Normalize(f *Feed, feedURL string, now time.Time, maxItems int) []docket.Item {
	if f == nil || len(f.Entries) == 0 {
		return []docket.Item{}
	}
	now = docket.StoreTime(now)
	feedBase := parseBase(feedURL)
	siteBase := feedBase
	if b := parseBase(resolveURL(feedBase, f.SiteURL)); b != nil {
		siteBase = b
	}

	// First the cheap fields, to drop duplicates and cut to maxItems before the costly
	// sanitizing: a 10 MiB feed may hold thousands of entries.
	type candidate struct {
		e         *gofeed.Item
		guid, url string
		date      time.Time
		dated     bool
	}
	cands := make([]candidate, 0, len(f.Entries))
	seen := make(map[string]bool, len(f.Entries))
	for _, e := range f.Entries {
		if e == nil {
			continue
		}
		e = withoutNUL(e)
		link := entryURL(e, siteBase)
		guid := entryGUID(e, link)
		if seen[guid] {
			continue
		}
		seen[guid] = true
		date, dated := entryDate(e, now)
		cands = append(cands, candidate{e: e, guid: guid, url: link, date: date, dated: dated})
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return b.date.Compare(a.date) })
	if maxItems > 0 && len(cands) > maxItems {
		cands = cands[:maxItems]
	}

	items := make([]docket.Item, 0, len(cands))
	h := sha256.New()
	for _, c := range cands {
		base := parseBase(c.url)
		if base == nil {
			base = siteBase
		}
		summary, summaryText := sanitize(c.e.Description, base)
		content, contentText := sanitize(c.e.Content, base)
		if content == summary {
			content, contentText = "", ""
		}
		title := cutTitle(htmlToLine(c.e.Title))
		text := joinText(summaryText, contentText)
		if title == "" {
			title = firstWords(text, 12, 100)
		}
		it := docket.Item{
			GUID:        c.guid,
			URL:         c.url,
			Title:       title,
			Summary:     summary,
			Content:     content,
			Text:        withTitle(title, text),
			Author:      entryAuthor(c.e),
			PublishedAt: c.date,
			DateUnknown: !c.dated,
			FetchedAt:   now,
		}
		// A date Docket made up (the fetch time) is left out of the hash, or an unchanged
		// item would look changed on every fetch.
		var stamp string
		if c.dated {
			stamp = it.PublishedAt.Format(time.RFC3339Nano)
		}
		it.ContentHash = hashFields(h, it.Title, it.URL, it.Summary, it.Content, it.Author, stamp)
		items = append(items, it)
	}
	return items
}

// stripNUL is s without NUL characters, which PostgreSQL's text cannot hold.
func stripNUL(s string) string { return strings.ReplaceAll(s, "\x00", "") }

// withoutNUL returns e, or a copy of it without NUL characters in the fields Normalize reads,
// when it has some (JSON Feed can write "\u0000"): PostgreSQL's text cannot hold a NUL and
// refuses the whole insert, and SQLite would store what PostgreSQL cannot, so neither gets one.
func withoutNUL(e *gofeed.Item) *gofeed.Item {
	has := func(s string) bool { return strings.IndexByte(s, 0) >= 0 }
	person := func(p *gofeed.Person) bool { return p != nil && (has(p.Name) || has(p.Email)) }
	dirty := has(e.Title) || has(e.Description) || has(e.Content) || has(e.Link) || has(e.GUID) ||
		has(e.Published) || has(e.Updated) || person(e.Author) || slices.ContainsFunc(e.Links, has) ||
		slices.ContainsFunc(e.Authors, person)
	if !dirty {
		return e
	}
	stripPerson := func(p *gofeed.Person) *gofeed.Person {
		if p == nil {
			return nil
		}
		return &gofeed.Person{Name: stripNUL(p.Name), Email: stripNUL(p.Email)}
	}
	c := *e
	c.Title, c.Description, c.Content = stripNUL(e.Title), stripNUL(e.Description), stripNUL(e.Content)
	c.Link, c.GUID, c.Published, c.Updated = stripNUL(e.Link), stripNUL(e.GUID), stripNUL(e.Published), stripNUL(e.Updated)
	c.Author = stripPerson(e.Author)
	c.Links = make([]string, len(e.Links))
	for i, l := range e.Links {
		c.Links[i] = stripNUL(l)
	}
	c.Authors = make([]*gofeed.Person, len(e.Authors))
	for i, p := range e.Authors {
		c.Authors[i] = stripPerson(p)
	}
	return &c
}

// hashFields hashes the fields with their lengths, so that moving text from one field to the
// next changes the hash.
func hashFields(h hash.Hash, fields ...string) string {
	h.Reset()
	var n [8]byte
	for _, f := range fields {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// entryURL is the item's link, absolute and without tracking parameters; a permalink guid
// stands in for a missing link.
func entryURL(e *gofeed.Item, base *url.URL) string {
	link := strings.TrimSpace(e.Link)
	if link == "" {
		for _, l := range e.Links {
			if l = strings.TrimSpace(l); l != "" {
				link = l
				break
			}
		}
	}
	if link == "" {
		if g := strings.TrimSpace(e.GUID); strings.HasPrefix(g, "http://") || strings.HasPrefix(g, "https://") {
			link = g
		}
	}
	if link == "" {
		return ""
	}
	return webURL(resolveURL(base, link))
}

// webURL is abs without tracking parameters when it is an http or https address with a host,
// at most maxURLLen bytes long, else "": the only links Docket puts on its pages.
func webURL(abs string) string {
	u, err := url.Parse(abs)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	if clean := cleanURL(abs); len(clean) <= maxURLLen {
		return clean
	}
	return ""
}

// entryGUID is the feed's guid, else the link, else a hash of what the feed gives that stays
// the same from fetch to fetch: the title and the date as written.
func entryGUID(e *gofeed.Item, link string) string {
	g := strings.TrimSpace(e.GUID)
	switch {
	case g != "" && len(g) <= maxGUIDLen:
		return g
	case g != "":
		return "sha256:" + hashFields(sha256.New(), g)[:40]
	case link != "":
		if len(link) <= maxGUIDLen {
			return link
		}
		return "sha256:" + hashFields(sha256.New(), link)[:40]
	}
	fields := []string{strings.TrimSpace(e.Title), strings.TrimSpace(e.Published), strings.TrimSpace(e.Updated)}
	if fields[0] == "" && fields[1] == "" && fields[2] == "" {
		fields = append(fields, e.Description, e.Content)
	}
	return "sha256:" + hashFields(sha256.New(), fields...)[:40]
}

// entryDate is the published date, else the updated date, else now; dates more than a day
// ahead are set to now. dated reports whether the date came from the feed.
func entryDate(e *gofeed.Item, now time.Time) (date time.Time, dated bool) {
	var t *time.Time
	switch {
	case e.PublishedParsed != nil && e.PublishedParsed.Year() > 1900:
		t = e.PublishedParsed
	case e.UpdatedParsed != nil && e.UpdatedParsed.Year() > 1900:
		t = e.UpdatedParsed
	default:
		return now, false
	}
	d := docket.StoreTime(*t)
	if d.After(now.Add(futureSlack)) {
		return now, false
	}
	return d, true
}

func entryAuthor(e *gofeed.Item) string {
	var p *gofeed.Person
	if len(e.Authors) > 0 {
		p = e.Authors[0]
	} else {
		p = e.Author
	}
	if p == nil {
		return ""
	}
	name := htmlToLine(p.Name)
	if name == "" {
		name = htmlToLine(p.Email)
	}
	return truncateRunes(name, 200)
}

// --- URLs ---

// parseBase returns raw as a URL usable as a base for relative links, or nil.
func parseBase(raw string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil
	}
	return u
}

// resolveURL makes ref absolute against base; without a base it is returned as it is.
func resolveURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if u.IsAbs() || base == nil {
		return u.String()
	}
	return base.ResolveReference(u).String()
}

// trackingParams are query parameters that identify a campaign or a click, not a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true, "yclid": true,
	"igshid": true, "mkt_tok": true, "_hsenc": true, "_hsmi": true, "__hstc": true, "__hssc": true,
	"__hsfp": true, "hsctatracking": true, "oly_anon_id": true, "oly_enc_id": true, "vero_id": true,
	"vero_conv": true, "wickedid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"srsltid": true, "rb_clickid": true, "s_kwcid": true, "ncid": true, "sr_share": true,
}

func isTrackingParam(name string) bool {
	name = strings.ToLower(name)
	return trackingParams[name] || strings.HasPrefix(name, "utm_")
}

// cleanURL drops tracking parameters, keeping the others in their order and spelling.
func cleanURL(raw string) string {
	q := strings.IndexByte(raw, '?')
	if q < 0 {
		return raw
	}
	frag := ""
	rest := raw[q+1:]
	if h := strings.IndexByte(rest, '#'); h >= 0 {
		rest, frag = rest[:h], rest[h:]
	}
	kept := make([]string, 0, 4)
	changed := false
	for part := range strings.SplitSeq(rest, "&") {
		name := part
		if eq := strings.IndexByte(part, '='); eq >= 0 {
			name = part[:eq]
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if isTrackingParam(name) {
			changed = true
			continue
		}
		kept = append(kept, part)
	}
	if !changed {
		return raw
	}
	out := raw[:q]
	if len(kept) > 0 {
		out += "?" + strings.Join(kept, "&")
	}
	return out + frag
}

// --- HTML ---

// policy is the sanitizer for item HTML: text structure, links, images and tables; nothing
// that runs, styles, submits, or names elements (id and name could clobber the page's DOM).
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs() // http, https, mailto; relative; parseable
	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()
	p.AllowAttrs("lang").Matching(regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)).Globally()
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).Globally()
	p.AllowElements(
		"p", "br", "hr", "div", "span", "b", "i", "em", "strong", "u", "s", "strike", "del", "ins",
		"sub", "sup", "small", "big", "mark", "q", "cite", "abbr", "acronym", "dfn", "code", "pre",
		"kbd", "samp", "var", "tt", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
		"h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
		"caption", "colgroup", "col", "figure", "figcaption", "article", "section", "aside",
		"header", "footer", "address", "time", "details", "summary", "center", "wbr", "bdi", "bdo",
	)
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowAttrs("datetime").Matching(bluemonday.ISO8601).OnElements("time", "del", "ins")
	p.AllowAttrs("src", "alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(bluemonday.NumberOrPercent).OnElements("img", "td", "th", "col", "table")
	p.AllowAttrs("colspan", "rowspan").Matching(bluemonday.Integer).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(row|col|rowgroup|colgroup)$`)).OnElements("th")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`(?i)^(|open)$`)).OnElements("details")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true) // adds rel="noopener"
	return p
}()

// sanitize returns s as safe HTML, with links made absolute against base and cleaned of
// tracking parameters, and the same content as plain text.
func sanitize(s string, base *url.URL) (safe, text string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	if !strings.Contains(s, "<") {
		// Text without a tag: what the sanitizer would give, at a fraction of the cost.
		// Many feeds send plain-text descriptions.
		// The tokenizer turns "\r\n" and "\r" into "\n"; so does this.
		plain := html.UnescapeString(crlf.Replace(s))
		var t textBuilder
		t.text(plain)
		return strings.TrimSpace(html.EscapeString(plain)), tidyText(t.b.String())
	}
	rewritten, text := rewriteHTML(s, base)
	return strings.TrimSpace(sanitizeHTML(rewritten)), text
}

// sanitizeHTML is policy.Sanitize(s), written into a builder the size of s: Sanitize's
// bytes.Buffer grew a few times an item and was copied again into the string.
func sanitizeHTML(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	if err := policy.SanitizeReaderToWriter(strings.NewReader(s), &b); err != nil {
		return "" // as Sanitize gives on an error
	}
	return b.String()
}

var crlf = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// skipText are elements whose content is not readable text.
var skipText = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Math: true,
	atom.Head: true, atom.Title: true, atom.Select: true, atom.Textarea: true, atom.Noembed: true,
	atom.Noframes: true,
}

// blockElems end a line (1) or a paragraph (2) in plain text.
var blockElems = map[atom.Atom]int{
	atom.Br: 1, atom.Li: 1, atom.Tr: 1, atom.Dt: 1, atom.Dd: 1, atom.Div: 1, atom.Figcaption: 1,
	atom.Caption: 1, atom.Summary: 1, atom.Td: 0, atom.Th: 0,
	atom.P: 2, atom.Ul: 2, atom.Ol: 2, atom.Dl: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2,
	atom.H5: 2, atom.H6: 2, atom.Blockquote: 2, atom.Pre: 2, atom.Table: 2, atom.Hr: 2,
	atom.Section: 2, atom.Article: 2, atom.Header: 2, atom.Footer: 2, atom.Aside: 2,
	atom.Figure: 2, atom.Address: 2, atom.Details: 2, atom.Center: 2, atom.Main: 2, atom.Nav: 2,
}

// textBuilder collects the readable text of HTML: white space collapses as a browser shows it,
// block elements break lines, and breaks are written only before the next word so that they
// do not pile up between nested blocks.
type textBuilder struct {
	b      strings.Builder
	breaks int
	pre    int
}

func (t *textBuilder) block(n int) { t.breaks = max(t.breaks, n) }

func (t *textBuilder) text(s string) { t.write([]byte(s)) }

// write adds text, outside <pre> with its line breaks made spaces and, as strings.Map would,
// its invalid UTF-8 made U+FFFD (where the bytes of two text tokens could otherwise join).
func (t *textBuilder) write(s []byte) {
	if t.breaks > 0 && len(bytes.TrimSpace(s)) > 0 {
		t.b.WriteString("\n\n"[:t.breaks])
		t.breaks = 0
	}
	if t.pre > 0 {
		t.b.Write(s)
		return
	}
	done := 0 // s[:done] is written
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '\n' || c == '\r' {
				t.b.Write(s[done:i])
				t.b.WriteByte(' ')
				done = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			t.b.Write(s[done:i])
			t.b.WriteRune(utf8.RuneError)
			done = i + 1
		}
		i += size
	}
	t.b.Write(s[done:])
}

// urlElems are the elements whose attributes rewriteHTML rewrites (or reads, for img's alt);
// the others are copied as the tokenizer found them, for bluemonday to judge.
var urlElems = map[atom.Atom]bool{
	atom.A: true, atom.Img: true, atom.Blockquote: true, atom.Q: true, atom.Del: true, atom.Ins: true,
}

// rewriteHTML makes URLs in s absolute and clean, and extracts its text, in one tokenizer pass.
func rewriteHTML(s string, base *url.URL) (string, string) {
	var out strings.Builder
	var txt textBuilder
	out.Grow(len(s))
	txt.b.Grow(len(s) / 2)
	z := html.NewTokenizer(strings.NewReader(s))
	skipDepth := 0
	var skipping atom.Atom
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.String(), tidyText(txt.b.String())
		case html.CommentToken, html.DoctypeToken:
			// Kept for bluemonday to drop: removing them here could join the text around
			// them into markup the tokenizer did not see.
			out.Write(z.Raw())
		case html.TextToken:
			out.Write(z.Raw())
			if skipDepth == 0 {
				txt.write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			raw := z.Raw()
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			switch {
			case skipDepth > 0 && a == skipping && tt == html.StartTagToken:
				skipDepth++
			case skipDepth == 0 && skipText[a] && tt == html.StartTagToken:
				skipping, skipDepth = a, 1
			}
			txt.block(blockElems[a])
			if a == atom.Pre && tt == html.StartTagToken {
				txt.pre++
			}
			if a == atom.Td || a == atom.Th {
				txt.text(" ")
			}
			if !urlElems[a] || !hasAttr {
				out.Write(raw)
				continue
			}
			tok := html.Token{Type: tt, DataAtom: a, Data: string(name)}
			for more := hasAttr; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				tok.Attr = append(tok.Attr, html.Attribute{Key: string(k), Val: string(v)})
				if a == atom.Img && skipDepth == 0 && string(k) == "alt" && len(bytes.TrimSpace(v)) > 0 {
					// The alt text stands for the picture in plain text.
					txt.text(" " + string(v) + " ")
				}
			}
			rewriteAttrs(&tok, base)
			out.WriteString(tok.String())
		case html.EndTagToken:
			out.Write(z.Raw())
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipDepth > 0 && a == skipping {
				skipDepth--
			}
			if a == atom.Pre && txt.pre > 0 {
				txt.pre--
			}
			txt.block(blockElems[a])
		}
	}
}

func rewriteAttrs(tok *html.Token, base *url.URL) {
	kept := tok.Attr[:0]
	for _, a := range tok.Attr {
		switch a.Key {
		case "href", "src", "cite":
			v := strings.TrimSpace(a.Val)
			abs := resolveURL(base, v)
			if a.Key == "href" {
				abs = cleanURL(abs)
			}
			a.Val = abs
		case "srcset":
			continue // each candidate would need resolving; src is enough
		}
		kept = append(kept, a)
	}
	tok.Attr = kept
}

// isInlineSpace reports the white space that separates words on a line.
func isInlineSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\f', '\v', '\u00a0', '\u200b', '\u202f', '\u205f', '\u3000':
		return true
	}
	return r >= '\u2000' && r <= '\u200a'
}

// tidyText collapses spaces within lines, trims lines and keeps at most one blank line, in
// one pass (a regexp version cost a fifth of Normalize), copying the runs of characters
// between spaces and breaks whole; invalid UTF-8 becomes U+FFFD.
func tidyText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	newlines := 0  // line breaks seen since the last word
	space := false // a space is due before the next word
	started := false
	prevCR := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case r == '\n' || r == '\r':
			if r == '\r' || !prevCR { // "\r\n" is one break
				newlines++
			}
			space, prevCR = false, r == '\r'
			i += size
			continue
		case isInlineSpace(r):
			space, prevCR = true, false
			i += size
			continue
		}
		if started {
			writeGap(&b, newlines, space)
		}
		started, newlines, space, prevCR = true, 0, false, false
		// The run of characters up to the next space or break.
		j := i
		for j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				if asciiSpace[c] {
					break
				}
				j++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			if isInlineSpace(r) {
				break
			}
			if r == utf8.RuneError && size == 1 {
				b.WriteString(s[i:j])
				b.WriteRune(utf8.RuneError)
				i = j + 1
			}
			j += size
		}
		b.WriteString(s[i:j])
		i = j
	}
	return b.String()
}

// writeGap writes what tidyText puts between two words: a blank line for two breaks or more,
// a line break for one, else a space if there was one.
func writeGap(b *strings.Builder, newlines int, space bool) {
	switch {
	case newlines >= 2:
		b.WriteString("\n\n")
	case newlines == 1:
		b.WriteByte('\n')
	case space:
		b.WriteByte(' ')
	}
}

// htmlToLine is s as one line of plain text: tags removed, entities decoded, white space
// collapsed. Titles and names go through it.
func htmlToLine(s string) string { return lineWords(s, -1) }

// lineWords is htmlToLine(s) cut to its first max words (max < 0: all of them). As long as
// s is already such a line (words separated by single ASCII spaces), as titles and excerpts
// nearly always are, the line is a slice of s.
func lineWords(s string, max int) string {
	if s == "" {
		return ""
	}
	if strings.ContainsAny(s, "<&") {
		_, s = rewriteHTML(s, nil)
	}
	// s[:end] holds the first n words as a line.
	end, n := 0, 0
	for max < 0 || n < max {
		start, stop := nextWord(s, end)
		switch {
		case start == len(s):
			if end == len(s) {
				return s
			}
			return s[:end]
		case n == 0 && start == 0, n > 0 && start == end+1 && s[end] == ' ':
			end, n = stop, n+1
			continue
		}
		// The line goes on with words s does not separate by one space.
		var b strings.Builder
		b.Grow(len(s) - start + end + 1)
		b.WriteString(s[:end])
		for i := start; max < 0 || n < max; n++ {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[i:stop])
			if i, stop = nextWord(s, stop); i == len(s) {
				break
			}
		}
		return b.String()
	}
	return s[:end]
}

// nextWord returns the bounds of the first word of s at or after i, words being what
// strings.FieldsFunc(s, isSpace) gives; start is len(s) when there is none.
func nextWord(s string, i int) (start, end int) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiSpace[c] {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			break
		}
		i += size
	}
	start = i
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			break
		}
		i += size
	}
	return start, i
}

// asciiSpace are the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' }

// titleBreak is what withTitle puts between the title and the text, and fieldBreak what
// joinText puts between the text of the summary and that of the content. A title is one line
// and tidyText leaves at most one blank line inside a field, so fieldBreak occurs nowhere
// else in an item's Text: ItemDoc splits Text there, so that a phrase of a topic rule never
// matches across the summary and the content ("peace" + "Talks resume").
const (
	titleBreak = "\n\n"
	fieldBreak = "\n\n\n"
)

// joinText joins the plain text of an item's fields with fieldBreak.
func joinText(parts ...string) string {
	// A summary is often the start of the content: keep the longer of two parts when one
	// holds the other.
	var kept []string
next:
	for _, p := range parts {
		if p == "" {
			continue
		}
		for i, k := range kept {
			switch {
			case strings.Contains(k, p):
				continue next
			case strings.Contains(p, k):
				kept[i] = p
				continue next
			}
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, fieldBreak)
}

// withTitle puts the title above the text, followed by titleBreak, unless the text already
// starts with it. "Starts with" is by bytes, not words: the title "UN" is not put above
// "UNICEF says…", which is why ItemDoc must not cut the title off such a text.
func withTitle(title, text string) string {
	switch {
	case title == "":
		return text
	case text == "":
		return title
	case strings.HasPrefix(text, title):
		return text
	}
	return title + titleBreak + text
}

// firstWords is the start of text, at most n words and max bytes, for an item with no title.
func firstWords(text string, n, max int) string {
	words := strings.Fields(text)
	cut := len(words) > n
	if cut {
		words = words[:n]
	}
	s := strings.Join(words, " ")
	if len(s) > max {
		s = truncateRunes(s, max)
		if i := strings.LastIndexByte(s, ' '); i > max/2 {
			s = s[:i]
		}
		cut = true
	}
	if cut && s != "" {
		s += "…"
	}
	return s
}

// cutTitle is title cut to at most maxTitleLen bytes on a rune boundary, an ellipsis ending
// it when it was cut.
func cutTitle(title string) string {
	if len(title) <= maxTitleLen {
		return title
	}
	return strings.TrimRight(truncateRunes(title, maxTitleLen-len("…")), " ") + "…"
}

func truncateRunes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}
