package ingest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"mime"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	gofeedjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/docket-dev/docket/internal/docket"
)

// Feed is a parsed feed. Title is plain text and SiteURL absolute; Entries are gofeed's items
// with one guarantee gofeed does not give: their Title, Description and Content are HTML
// (plain-text fields of Atom and JSON Feed are escaped), so Normalize treats them alike.
type Feed struct {
	Format   string // "rss", "atom" or "json"
	Title    string
	SiteURL  string
	Language string
	TTL      time.Duration // how long the feed asks readers to wait between fetches; 0 if it does not say
	Entries  []*gofeed.Item
}

// maxEntityExpansion bounds what the DTD's internal entities may add to a document. Real
// feeds declare a handful of short entities; an entity bomb declares nested ones that would
// expand to gigabytes.
const maxEntityExpansion = 1 << 20

// Parse reads a feed from body. contentType is the response's Content-Type (its charset is
// used when the body's own declaration is missing or wrong; its media type is ignored, as
// many feeds are served as text/html or text/plain). feedURL resolves a relative site link.
// Every refusal is a *docket.Error whose message starts "not a feed:".
//
// Parse does what gofeed.NewParser().Parse does (gofeed's RSS, Atom and JSON Feed parsers,
// then its translators to one gofeed.Feed) but picks the parser itself, because the universal
// parser's format detection cannot serve Docket:
//   - The DTD's internal entities must be read, and an entity bomb refused, before any XML
//     parser runs (scanProlog), and that scan finds the root element too. gofeed's detection
//     would tokenize the head again, and it looks at the first 4 KiB only: a feed whose
//     DOCTYPE or comments run longer fails with "failed to detect feed type".
//   - A refusal says what the body is instead ("the server sent an HTML page", an OPML list,
//     a CDF channel, another XML document, a JSON array), where gofeed says
//     "failed to detect feed type" to all of them; the source's health page shows this.
//   - Docket reads what gofeed.Feed drops, from the format's own feed: RSS <ttl> and whether
//     Atom content is text or HTML; and the RSS translator runs with its content image scan
//     off (an HTML parse per item for a picture Docket does not use).
//
// The charset is decoded first (toUTF8) whichever parser runs, since gofeed would trust the
// XML declaration alone and fail on bytes that do not match it.
func Parse(body []byte, contentType, feedURL string) (f *Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, notFeed("the body is empty")
	}
	text := toUTF8(body, contentType)
	text = bytes.TrimLeft(text, " \t\r\n\f")
	if len(text) == 0 {
		return nil, notFeed("the body is empty")
	}

	switch text[0] {
	case '{':
		return parseJSON(text, feedURL)
	case '[':
		return nil, notFeed("the JSON document is not a JSON Feed")
	case '<':
	default:
		start := findMarkup(text)
		if start < 0 {
			if looksLikeHTML(text) {
				return nil, notFeed("the server sent an HTML page")
			}
			return nil, notFeed("the body is neither XML nor JSON (it begins %q)", excerpt(text, 40))
		}
		// Text before the XML, such as a PHP warning printed ahead of the feed.
		text = text[start:]
	}
	return parseXML(text, feedURL)
}

// PanicError is a panic inside a parser, turned into an error so that one bad feed cannot
// stop the ingester. It is Docket's bug, an internal error: log Stack with it.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("feed parser panicked: %v", e.Value)
}

func notFeed(format string, args ...any) *docket.Error {
	return docket.Errorf(docket.EINVALID, "not a feed: "+format, args...)
}

func excerpt(b []byte, n int) string {
	s := strings.ToValidUTF8(string(b[:min(len(b), n*4)]), "")
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

var markupStarts = [][]byte{[]byte("<?xml"), []byte("<rss"), []byte("<feed"), []byte("<rdf:RDF"), []byte("<RDF")}

// findMarkup finds where a feed starts when something was printed ahead of it.
func findMarkup(b []byte) int {
	head := b[:min(len(b), 4096)]
	best := -1
	for _, m := range markupStarts {
		if i := bytes.Index(head, m); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

func looksLikeHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 1024)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html")) ||
		bytes.Contains(head, []byte("<head")) || bytes.Contains(head, []byte("<body"))
}

// htmlRoots are elements that start an HTML page, not a feed.
var htmlRoots = map[string]bool{
	"html": true, "head": true, "body": true, "meta": true, "title": true, "div": true, "p": true,
	"script": true, "link": true, "table": true, "br": true, "span": true, "a": true, "style": true,
}

func parseXML(text []byte, feedURL string) (*Feed, error) {
	pro, err := scanProlog(text)
	if err != nil {
		return nil, err
	}
	if len(pro.entities) > 0 {
		if text, err = expandEntities(text, pro); err != nil {
			return nil, err
		}
	}
	switch {
	case pro.root == "rss" || pro.root == "rdf":
		rf, err := (&rss.Parser{}).Parse(bytes.NewReader(text))
		if err != nil {
			return nil, xmlError(err)
		}
		// The content image scan runs an HTML parse per item to find a picture Docket
		// does not use.
		gf, err := (&gofeed.DefaultRSSTranslator{DisableContentImageScan: true}).Translate(rf)
		if err != nil {
			return nil, notFeed("%v", err)
		}
		f := newFeed(gf, feedURL)
		f.TTL = max(rssTTL(rf.TTL), syTTL(rf.Extensions))
		return f, nil
	case pro.root == "feed":
		af, err := (&atom.Parser{}).Parse(bytes.NewReader(text))
		if err != nil {
			return nil, xmlError(err)
		}
		gf, err := (&gofeed.DefaultAtomTranslator{}).Translate(af)
		if err != nil {
			return nil, notFeed("%v", err)
		}
		for i, e := range af.Entries {
			if i < len(gf.Items) && e.Content != nil && isTextType(e.Content.Type) {
				gf.Items[i].Content = textToHTML(gf.Items[i].Content)
			}
		}
		// Text and HTML read alike without markup or entities: only then is the second pass
		// over the document, for the types, needed.
		if atomTextMatters(gf) {
			escapeAtomText(gf, text)
		}
		f := newFeed(gf, feedURL)
		f.TTL = syTTL(af.Extensions)
		return f, nil
	case pro.doctypeHTML || htmlRoots[pro.root]:
		return nil, notFeed("the server sent an HTML page")
	case pro.root == "channel":
		return nil, notFeed("this is a CDF channel (Channel Definition Format), which Docket does not read")
	case pro.root == "opml":
		return nil, notFeed("this is an OPML subscription list; import it as a list of sources instead")
	}
	return nil, notFeed("the XML document is a <%s>, not an RSS, RDF or Atom feed", pro.rootQName)
}

func parseJSON(text []byte, feedURL string) (*Feed, error) {
	jf, err := (&gofeedjson.Parser{}).Parse(bytes.NewReader(text))
	if err != nil {
		msg := err.Error()
		if strings.Contains(msg, "unexpected end of JSON input") {
			return nil, notFeed("the JSON is cut short")
		}
		return nil, notFeed("the JSON is malformed (%s)", strings.TrimPrefix(msg, "json: "))
	}
	if !strings.Contains(jf.Version, "jsonfeed.org") && len(jf.Items) == 0 && jf.Title == "" {
		return nil, notFeed("the JSON document is not a JSON Feed")
	}
	gf, err := (&gofeed.DefaultJSONTranslator{}).Translate(jf)
	if err != nil {
		return nil, notFeed("%v", err)
	}
	// JSON Feed's title, summary and content_text are plain text.
	for i, it := range jf.Items {
		if i >= len(gf.Items) {
			break
		}
		g := gf.Items[i]
		g.Title = textToHTML(g.Title)
		g.Description = textToHTML(g.Description)
		if it.ContentHTML == "" {
			g.Content = textToHTML(g.Content)
		}
	}
	gf.Title = textToHTML(gf.Title)
	return newFeed(gf, feedURL), nil
}

func newFeed(gf *gofeed.Feed, feedURL string) *Feed {
	f := &Feed{
		Format:   gf.FeedType,
		Title:    cutTitle(htmlToLine(stripNUL(gf.Title))), // see withoutNUL
		Language: strings.TrimSpace(gf.Language),
		Entries:  gf.Items,
	}
	if f.Entries == nil {
		f.Entries = []*gofeed.Item{}
	}
	if site := strings.TrimSpace(stripNUL(gf.Link)); site != "" {
		// Pages link to the site: anything but http(s) (javascript:, data:) is dropped.
		f.SiteURL = webURL(resolveURL(parseBase(feedURL), site))
	}
	return f
}

// escapeAtomText escapes, in gf, the feed's title and its items' titles and summaries that
// the Atom document text gives as text (the default type), to be HTML like the rest. When the
// document cannot be scanned, or the scan finds another number of entries than gofeed, they
// are left as gofeed gave them.
func escapeAtomText(gf *gofeed.Feed, text []byte) {
	types, ok := scanAtomTypes(text)
	if !ok || len(types.entries) != len(gf.Items) {
		return
	}
	if isTextType(types.title) {
		gf.Title = textToHTML(gf.Title)
	}
	for i, t := range types.entries {
		if isTextType(t.title) {
			gf.Items[i].Title = textToHTML(gf.Items[i].Title)
		}
		if isTextType(t.summary) {
			gf.Items[i].Description = textToHTML(gf.Items[i].Description)
		}
	}
}

// atomTextMatters reports whether any of the feed's title and its items' titles and summaries
// would read differently as text than as HTML, which only a "<" or an "&" makes them do: the
// scan for their types (a second pass over the document) is needed only then.
func atomTextMatters(gf *gofeed.Feed) bool {
	if strings.ContainsAny(gf.Title, "<&") {
		return true
	}
	for _, it := range gf.Items {
		if strings.ContainsAny(it.Title, "<&") || strings.ContainsAny(it.Description, "<&") {
			return true
		}
	}
	return false
}

// atomTypes are the type attributes of an Atom feed's title and of its entries' titles and
// summaries, in document order: gofeed's Atom parser reads them to decode the text but does
// not keep them, and a text construct's text (the default type) must be escaped to be HTML,
// or "x &lt;br&gt; y" would lose its "<br>" and "&lt;b&gt;" become bold.
type atomTypes struct {
	title   string
	entries []atomEntryTypes
}

type atomEntryTypes struct{ title, summary string }

// scanAtomTypes reads the atomTypes of an Atom document, as gofeed's parser sees its
// elements: only those in the Atom namespaces (unprefixed, or with a prefix bound to one),
// the last of two titles winning. ok is false when the document could not be read to its end.
func scanAtomTypes(text []byte) (types atomTypes, ok bool) {
	// encoding/xml refuses the C0 control characters that gofeed's parser filters out.
	if bytes.IndexFunc(text, isXMLControl) >= 0 {
		text = bytes.Map(func(r rune) rune {
			if isXMLControl(r) {
				return -1
			}
			return r
		}, text)
	}
	d := xml.NewDecoder(bytes.NewReader(text))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // text is UTF-8 by now
	atomPrefixes := map[string]bool{"": true}
	depth := 0
	inEntry := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return types, true
		}
		if err != nil {
			return types, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" && (a.Value == atomNS || a.Value == atom03NS) {
					atomPrefixes[a.Name.Local] = true
				}
			}
			if !atomPrefixes[t.Name.Space] {
				continue
			}
			switch {
			case depth == 2 && t.Name.Local == "entry":
				inEntry = true
				types.entries = append(types.entries, atomEntryTypes{})
			case depth == 2 && t.Name.Local == "title":
				types.title = attrValue(t.Attr, "type")
			case depth == 3 && inEntry && t.Name.Local == "title":
				types.entries[len(types.entries)-1].title = attrValue(t.Attr, "type")
			case depth == 3 && inEntry && t.Name.Local == "summary":
				types.entries[len(types.entries)-1].summary = attrValue(t.Attr, "type")
			}
		case xml.EndElement:
			if depth == 2 {
				inEntry = false
			}
			if depth--; depth == 0 {
				return types, true // what follows the root is not gofeed's either
			}
		}
	}
}

func isXMLControl(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }

const (
	atomNS   = "http://www.w3.org/2005/Atom"
	atom03NS = "http://purl.org/atom/ns#"
)

func attrValue(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func isTextType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	return t == "" || t == "text" || t == "text/plain"
}

func textToHTML(s string) string {
	if s == "" {
		return s
	}
	return html.EscapeString(s)
}

// xmlError words a gofeed or encoding/xml failure for the user.
func xmlError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unexpected EOF"):
		return notFeed("the XML is cut short (%s)", msg)
	case strings.Contains(msg, "XML syntax error"):
		return notFeed("the XML is malformed (%s)", msg)
	}
	return notFeed("%s", msg)
}

func rssTTL(v string) time.Duration {
	minutes, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || minutes <= 0 {
		return 0
	}
	return time.Duration(min(minutes, 7*24*60)) * time.Minute
}

// syTTL reads the syndication module (sy:updatePeriod and sy:updateFrequency): the feed
// changes updateFrequency times per period.
func syTTL(exts ext.Extensions) time.Duration {
	sy := exts["sy"]
	if sy == nil {
		return 0
	}
	first := func(name string) string {
		if v := sy[name]; len(v) > 0 {
			return strings.TrimSpace(v[0].Value)
		}
		return ""
	}
	var period time.Duration
	switch strings.ToLower(first("updatePeriod")) {
	case "hourly":
		period = time.Hour
	case "daily":
		period = 24 * time.Hour
	case "weekly":
		period = 7 * 24 * time.Hour
	case "monthly":
		period = 30 * 24 * time.Hour
	case "yearly":
		period = 365 * 24 * time.Hour
	default:
		return 0
	}
	freq, err := strconv.Atoi(first("updateFrequency"))
	if err != nil || freq <= 0 {
		freq = 1
	}
	return period / time.Duration(freq)
}

// --- charsets ---

var (
	utf32BE = utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)
	utf32LE = utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)
	utf16BE = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	utf16LE = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
)

// toUTF8 returns body as UTF-8 with any XML declaration saying so, so that encoding/xml
// does not decode it a second time. The order of evidence: a byte order mark; the zero bytes
// of UTF-16 and UTF-32; valid UTF-8 (which text in another encoding almost never is); the
// XML declaration; the Content-Type charset; a mostly-UTF-8 body with a few bad bytes;
// statistical detection; windows-1252, what browsers assume.
//
// The declaration comes before the header because the software that wrote the bytes wrote
// the declaration, while a header charset is often a web server's default.
func toUTF8(body []byte, contentType string) []byte {
	switch {
	case bytes.HasPrefix(body, []byte{0, 0, 0xFE, 0xFF}):
		return fixDecl(decodeWith(utf32BE, body[4:]))
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE, 0, 0}):
		return fixDecl(decodeWith(utf32LE, body[4:]))
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return fixDecl(decodeWith(utf16BE, body[2:]))
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return fixDecl(decodeWith(utf16LE, body[2:]))
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return fixDecl(validUTF8(body[3:]))
	}
	if len(body) >= 4 {
		b0, b1, b2, b3 := body[0], body[1], body[2], body[3]
		switch {
		case b0 == 0 && b1 == 0 && b2 == 0 && b3 != 0:
			return fixDecl(decodeWith(utf32BE, body))
		case b0 != 0 && b1 == 0 && b2 == 0 && b3 == 0:
			return fixDecl(decodeWith(utf32LE, body))
		case b0 == 0 && b1 != 0 && b2 == 0 && b3 != 0:
			return fixDecl(decodeWith(utf16BE, body))
		case b0 != 0 && b1 == 0 && b2 != 0 && b3 == 0:
			return fixDecl(decodeWith(utf16LE, body))
		}
	}
	if utf8.Valid(body) {
		return fixDecl(body)
	}
	declared := declEncoding(body)
	header := headerCharset(contentType)
	for _, label := range []string{declared, header} {
		if enc := lookupCharset(label); enc != nil {
			return fixDecl(decodeWith(enc, body))
		}
	}
	if mostlyUTF8(body) {
		return fixDecl(validUTF8(body))
	}
	if enc := detectCharset(body); enc != nil {
		return fixDecl(decodeWith(enc, body))
	}
	return fixDecl(decodeWith(charsetWindows1252(), body))
}

func charsetWindows1252() encoding.Encoding {
	e, _ := charset.Lookup("windows-1252")
	return e
}

// lookupCharset returns the decoder for an ASCII-compatible, non-UTF-8 label, or nil.
func lookupCharset(label string) encoding.Encoding {
	label = strings.TrimSpace(strings.Trim(label, `"'`))
	if label == "" {
		return nil
	}
	enc, name := charset.Lookup(label)
	switch name {
	case "", "utf-8", "utf-16le", "utf-16be", "replacement":
		return nil
	}
	return enc
}

func decodeWith(enc encoding.Encoding, b []byte) []byte {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return validUTF8(b)
	}
	return validUTF8(out)
}

func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

// mostlyUTF8 reports whether b has more valid multi-byte sequences than stray bytes: a UTF-8
// feed with a few broken characters, not a feed in another encoding.
func mostlyUTF8(b []byte) bool {
	var multi, bad int
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			bad++
		} else {
			multi++
		}
		b = b[n:]
	}
	return multi > 0 && multi >= bad
}

// detectCharset guesses the encoding of a body that declares none it can be read in.
func detectCharset(b []byte) encoding.Encoding {
	sample := b[:min(len(b), 64<<10)]
	res, err := chardet.NewTextDetector().DetectBest(sample)
	if err != nil || res == nil || res.Confidence < 30 {
		return nil
	}
	return lookupCharset(res.Charset)
}

var (
	declRE        = regexp.MustCompile(`^\s*<\?xml[^>]*?\?>`)
	declEncRE     = regexp.MustCompile(`(encoding\s*=\s*)(["'])([^"']*)(["'])`)
	headerCharRE  = regexp.MustCompile(`(?i)charset\s*[=:]\s*["']?([A-Za-z0-9._:\-]+)`)
	utf8LabelName = map[string]bool{"utf-8": true, "utf8": true}
)

// declEncoding returns the encoding named by the XML declaration, if any.
func declEncoding(b []byte) string {
	decl := declRE.Find(b[:min(len(b), 512)])
	if decl == nil {
		return ""
	}
	m := declEncRE.FindSubmatch(decl)
	if m == nil {
		return ""
	}
	return string(m[3])
}

// fixDecl rewrites a declared encoding other than UTF-8 to UTF-8: b is UTF-8 by now.
func fixDecl(b []byte) []byte {
	loc := declRE.FindIndex(b[:min(len(b), 512)])
	if loc == nil {
		return b
	}
	decl := b[loc[0]:loc[1]]
	m := declEncRE.FindSubmatchIndex(decl)
	if m == nil || utf8LabelName[strings.ToLower(string(decl[m[6]:m[7]]))] {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:loc[0]+m[6]]...)
	out = append(out, "utf-8"...)
	out = append(out, b[loc[0]+m[7]:]...)
	return out
}

func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	if m := headerCharRE.FindStringSubmatch(contentType); m != nil {
		return m[1]
	}
	return ""
}

// --- prolog and DTD entities ---

// prolog is what comes before the root element.
type prolog struct {
	root        string // local name of the root element, lowercased
	rootQName   string // as written
	doctypeHTML bool
	subsetEnd   int               // offset just past the DOCTYPE, 0 without one
	entities    map[string]string // internal general entities of the DTD
	entitySizes map[string]int64  // their expansion costs (see entitySize)
}

// scanProlog walks declarations, comments, processing instructions and the DOCTYPE up to the
// root element. It reads the DTD's internal subset for entity declarations, refusing sets
// that would expand beyond maxEntityExpansion (the "billion laughs" attack) without
// expanding anything.
func scanProlog(b []byte) (prolog, error) {
	var p prolog
	i := 0
	for {
		for i < len(b) && isXMLSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return p, notFeed("the XML has no root element")
		}
		if b[i] != '<' {
			return p, notFeed("the XML is malformed (text %q before the root element)", excerpt(b[i:], 20))
		}
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest, []byte("?>"))
			if end < 0 {
				return p, notFeed("the XML is cut short (inside a processing instruction)")
			}
			i += end + 2
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return p, notFeed("the XML is cut short (inside a comment)")
			}
			i += 4 + end + 3
		case len(rest) >= 9 && strings.EqualFold(string(rest[:9]), "<!DOCTYPE"):
			end, subset, err := doctypeEnd(rest)
			if err != nil {
				return p, err
			}
			decl := rest[:end]
			name := bytes.Fields(decl[9:])
			if len(name) > 0 && strings.EqualFold(strings.TrimRight(string(name[0]), ">["), "html") {
				p.doctypeHTML = true
			}
			if subset != nil {
				ents, sizes, err := parseEntities(subset)
				if err != nil {
					return p, err
				}
				p.entities, p.entitySizes = ents, sizes
			}
			i += end
			p.subsetEnd = i
		case len(rest) > 1 && isNameStart(rest[1]):
			j := 1
			for j < len(rest) && !isXMLSpace(rest[j]) && rest[j] != '>' && rest[j] != '/' {
				j++
			}
			p.rootQName = string(rest[1:j])
			local := p.rootQName
			if k := strings.LastIndexByte(local, ':'); k >= 0 {
				local = local[k+1:]
			}
			p.root = strings.ToLower(local)
			return p, nil
		default:
			return p, notFeed("the XML is malformed (unexpected %q before the root element)", excerpt(rest, 12))
		}
	}
}

// doctypeEnd returns the length of the DOCTYPE declaration at the start of b and its internal
// subset, honouring quotes and the brackets of the subset.
func doctypeEnd(b []byte) (int, []byte, error) {
	var quote byte
	subsetStart, subsetEnd := -1, -1
	depth := 0
	for i := 9; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			if depth == 0 && subsetStart < 0 {
				subsetStart = i + 1
			}
			depth++
		case c == ']':
			depth--
			if depth == 0 && subsetEnd < 0 {
				subsetEnd = i
			}
		case c == '>' && depth <= 0:
			if subsetStart >= 0 && subsetEnd > subsetStart {
				return i + 1, b[subsetStart:subsetEnd], nil
			}
			return i + 1, nil, nil
		}
	}
	return 0, nil, notFeed("the XML is cut short (inside the DOCTYPE)")
}

var entityDeclRE = regexp.MustCompile(`<!ENTITY\s+(%\s+)?([^\s%"'<>]+)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)\b[^>]*)\s*>`)

// parseEntities reads the internal general entities of a DTD subset. Parameter entities and
// external entities are never fetched nor expanded. It refuses sets whose expansion would
// exceed maxEntityExpansion, computing sizes without building any text.
func parseEntities(subset []byte) (map[string]string, map[string]int64, error) {
	ents := make(map[string]string)
	for _, m := range entityDeclRE.FindAllSubmatch(subset, -1) {
		if len(m[1]) > 0 || len(m[5]) > 0 {
			continue
		}
		name := string(m[2])
		if _, dup := ents[name]; dup {
			continue // XML: the first declaration binds
		}
		if m[3] != nil {
			ents[name] = string(m[3])
		} else {
			ents[name] = string(m[4])
		}
	}
	if len(ents) == 0 {
		return nil, nil, nil
	}
	sizes := make(map[string]int64, len(ents))
	for name := range ents {
		if _, err := entitySize(name, ents, sizes, map[string]bool{}); err != nil {
			return nil, nil, err
		}
	}
	return ents, sizes, nil
}

func errEntityBomb() error {
	return notFeed("its XML entities would expand to more than %s (an entity-expansion bomb); Docket does not expand them", byteSize(maxEntityExpansion))
}

// entitySize returns the cost of expanding entity name: its expanded length plus one per
// reference expanded, refusing cycles and costs past the limit. sizes memoizes, so a bomb's
// nesting is walked once per entity.
func entitySize(name string, ents map[string]string, sizes map[string]int64, active map[string]bool) (int64, error) {
	if s, ok := sizes[name]; ok {
		return s, nil
	}
	if active[name] {
		return 0, notFeed("its XML entity &%s; refers to itself", name)
	}
	active[name] = true
	defer delete(active, name)
	var total int64
	err := forEachRef(ents[name], func(lit string, ref string) error {
		total += int64(len(lit))
		if ref != "" {
			if _, ok := ents[ref]; ok {
				s, err := entitySize(ref, ents, sizes, active)
				if err != nil {
					return err
				}
				// Each reference counts at least one: expanding a million references
				// to an empty entity is work too, even if it writes nothing.
				total += s + 1
			} else {
				total += int64(len(ref) + 2)
			}
		}
		if total > maxEntityExpansion {
			return errEntityBomb()
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	sizes[name] = total
	return total, nil
}

// forEachRef splits s into literal runs, each followed by the name of a general entity
// reference ("" at the end). Character references stay in the literal text.
func forEachRef(s string, fn func(lit, ref string) error) error {
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			return fn(s, "")
		}
		j := i + 1
		for j < len(s) && j-i < 256 && isNameByte(s[j]) {
			j++
		}
		if j == i+1 || j >= len(s) || s[j] != ';' || s[i+1] == '#' {
			if err := fn(s[:i+1], ""); err != nil {
				return err
			}
			s = s[i+1:]
			continue
		}
		if err := fn(s[:i], s[i+1:j]); err != nil {
			return err
		}
		s = s[j+1:]
	}
}

// expandEntities replaces references to the DTD's internal entities after the DOCTYPE, as an
// XML processor would (encoding/xml leaves them as text). Comments and CDATA sections are
// copied as they are. A first pass adds up the growth from the sizes scanProlog computed, so
// a document that references a large entity many times is refused before anything is built.
func expandEntities(b []byte, p prolog) ([]byte, error) {
	rest := b[p.subsetEnd:]
	var growth int64
	err := walkEntityRefs(rest, p.entities, func([]byte) {}, func(name string) error {
		growth += p.entitySizes[name] + 1
		if growth > maxEntityExpansion {
			return errEntityBomb()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, int64(len(b))+growth)
	out = append(out, b[:p.subsetEnd]...)
	var expand func(name string, depth int) error
	expand = func(name string, depth int) error {
		return forEachRef(p.entities[name], func(lit, ref string) error {
			out = append(out, lit...)
			if ref == "" {
				return nil
			}
			if _, ok := p.entities[ref]; ok && depth < 32 {
				return expand(ref, depth+1)
			}
			out = append(out, '&')
			out = append(out, ref...)
			out = append(out, ';')
			return nil
		})
	}
	err = walkEntityRefs(rest, p.entities, func(text []byte) { out = append(out, text...) },
		func(name string) error { return expand(name, 0) })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// walkEntityRefs splits b into text, passed to text, and references to the entities in ents,
// passed to ref. Comments and CDATA sections are text.
func walkEntityRefs(b []byte, ents map[string]string, text func([]byte), ref func(string) error) error {
	for len(b) > 0 {
		switch {
		case bytes.HasPrefix(b, []byte("<!--")):
			n := verbatimLen(b, "-->")
			text(b[:n])
			b = b[n:]
			continue
		case bytes.HasPrefix(b, []byte("<![CDATA[")):
			n := verbatimLen(b, "]]>")
			text(b[:n])
			b = b[n:]
			continue
		case b[0] == '&':
			j := 1
			for j < len(b) && j < 256 && isNameByte(b[j]) {
				j++
			}
			if j > 1 && j < len(b) && b[j] == ';' {
				if _, ok := ents[string(b[1:j])]; ok {
					if err := ref(string(b[1:j])); err != nil {
						return err
					}
					b = b[j+1:]
					continue
				}
			}
		}
		next := bytes.IndexAny(b[1:], "&<")
		if next < 0 {
			text(b)
			return nil
		}
		text(b[:next+1])
		b = b[next+1:]
	}
	return nil
}

func verbatimLen(b []byte, end string) int {
	if i := bytes.Index(b, []byte(end)); i >= 0 {
		return i + len(end)
	}
	return len(b)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isNameStart(c byte) bool {
	return c == '_' || c == ':' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

func isNameByte(c byte) bool {
	return isNameStart(c) || c == '-' || c == '.' || (c >= '0' && c <= '9')
}
