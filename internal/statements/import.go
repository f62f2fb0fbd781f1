// Package statements holds the text side of an MP's statements: importing one from a pasted
// text or a scraped web page (dropping the page's boilerplate and the MP's signature),
// cutting a body into the sentences that evidence is anchored to, and comparing two
// revisions word by word. Its functions are pure: the store calls them and keeps what they
// return.
package statements

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/docket-dev/docket/internal/docket"
)

// MaxImportBytes is the largest page or text Extract accepts. A statement is a few pages of
// text; a larger body is not one, and parsing it would only cost time.
const MaxImportBytes = 8 << 20

// Extracted is a statement taken out of a page or a pasted text.
type Extracted struct {
	// Title is the page's title without the site's name, or the text's heading. When the
	// page or text has neither, it is made up from the body's first sentence (TitleMadeUp
	// says so), for an editor to check.
	Title       string
	TitleMadeUp bool
	// Body is plain text with one blank line between paragraphs. Within a paragraph, lines
	// break where the page broke them (list items, <br>) or, from a text, where it did.
	Body string
	// MemberName, Constituency and Party come from the signature ("Jane Doe / MP for
	// Exampleton / Labour"), which is removed from Body. Each is empty when not found.
	MemberName, Constituency, Party string
	// Stripped lists every line removed from the text, in document order, so an editor can
	// check that nothing of the statement went with the boilerplate.
	Stripped []string
}

// Extract takes a statement out of body, which is a web page or plain text according to
// contentType and, when that is missing or vague, to what the bytes look like. From a page
// it keeps the article that readability finds; from either it removes boilerplate lines
// (cookie notices, share buttons, navigation, footers) and the MP's signature. pageURL may
// be empty. A body that is empty, not text, or has nothing left once the boilerplate is gone
// gives a *docket.Error with code EINVALID.
func Extract(body []byte, contentType, pageURL string) (*Extracted, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, docket.Errorf(docket.EINVALID, "the statement is empty: paste its text or give a page that has one")
	}
	if len(body) > MaxImportBytes {
		return nil, docket.Errorf(docket.EINVALID, "the statement is %d bytes, more than the %d MiB an import accepts", len(body), MaxImportBytes>>20)
	}
	isHTML, err := detectHTML(body, contentType)
	if err != nil {
		return nil, err
	}
	text := decode(body, contentType)

	ex := &Extracted{}
	raw := text
	var pageLines []string
	if isHTML {
		ex.Title, raw, pageLines = fromHTML(text, pageURL)
	}

	lines := splitLines(raw)
	for i := range lines {
		if lines[i].text != "" && isBoilerplate(lines[i].text) {
			lines[i].removed = true
		}
	}
	removeSignature(lines, ex)
	if ex.Title != "" {
		if i := firstKept(lines); i >= 0 && docket.Fold(lines[i].text) == docket.Fold(ex.Title) {
			lines[i].removed = true
		}
	} else if i := headingLine(lines); i >= 0 {
		ex.Title = lines[i].text
		lines[i].removed = true
	}

	ex.Stripped = strippedLines(lines, pageLines)
	var b strings.Builder
	blank := false
	for _, l := range lines {
		switch {
		case l.removed:
		case l.text == "":
			blank = b.Len() > 0
		default:
			if blank {
				b.WriteString("\n\n")
			} else if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(l.text)
			blank = false
		}
	}
	ex.Body = b.String()
	if ex.Body == "" {
		return nil, docket.Errorf(docket.EINVALID, "no statement text is left once the page's boilerplate is removed (%d lines removed)", len(ex.Stripped))
	}
	if ex.Title == "" {
		ex.Title, ex.TitleMadeUp = madeUpTitle(ex.Body), true
	}
	return ex, nil
}

// maxMadeUpTitle bounds a title made up from the text, in characters: a line on the board.
const maxMadeUpTitle = 80

// madeUpTitle is a title for a text that has none: its first sentence that is not a
// salutation, a valediction or a name ("Dear Constituent", "Jane Doe MP"), without its full
// stop, cut at a word boundary when long. Scraped replies to constituents often open with the
// subject ("Many constituents have contacted me about Aleppo."), so that is a fair guess.
func madeUpTitle(body string) string {
	sents := Split(body)
	if len(sents) == 0 {
		return ""
	}
	s := sents[0].Text
	for _, sn := range sents {
		f := docket.Fold(sn.Text)
		if _, hasMP := parseName(sn.Text); strings.HasPrefix(f, "dear ") || f == "dear" || valedictions[f] || hasMP {
			continue
		}
		s = sn.Text
		break
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimRight(s, ".,;: ")
	if utf8.RuneCountInString(s) <= maxMadeUpTitle {
		return s
	}
	rs := []rune(s)
	short := string(rs[:maxMadeUpTitle])
	if !unicode.IsSpace(rs[maxMadeUpTitle]) {
		// Back to the last whole word, unless that leaves too little.
		if i := strings.LastIndexFunc(short, unicode.IsSpace); i > len(short)/2 {
			short = short[:i]
		}
	}
	return strings.TrimRight(short, ".,;:–—- ") + "…"
}

// strippedLines lists the removed lines in document order. From a page, that is every line
// of the page that is not in the body: what readability left out and what the rules took
// from what it kept. A removed line the page rendering does not show as such (readability
// may regroup text) is listed where it would have come in the article.
func strippedLines(lines []line, pageLines []string) []string {
	var out []string
	if pageLines == nil {
		for _, l := range lines {
			if l.removed {
				out = append(out, l.text)
			}
		}
		return out
	}
	// Lines of the page and of the article are matched in order on their folded text;
	// each page line before the next article line it matches was left out by readability.
	pos := make(map[string][]int)
	for i, p := range pageLines {
		f := docket.Fold(p)
		pos[f] = append(pos[f], i)
	}
	next := 0
	for _, l := range lines {
		if l.text == "" {
			continue
		}
		// Drop the occurrences already passed, so a page of repeated lines stays linear.
		f := docket.Fold(l.text)
		at := -1
		occ := pos[f]
		for len(occ) > 0 && occ[0] < next {
			occ = occ[1:]
		}
		if len(occ) > 0 {
			at = occ[0]
			occ = occ[1:]
		}
		pos[f] = occ
		if at >= 0 {
			out = append(out, pageLines[next:at]...)
			next = at + 1
		}
		if l.removed {
			out = append(out, l.text)
		}
	}
	return append(out, pageLines[next:]...)
}

// detectHTML tells a page from a text. A declared HTML type wins; a declared text type, a
// generic one or none is checked against the bytes, since scrapers save pages as .txt and
// servers send text as octet-stream.
func detectHTML(body []byte, contentType string) (bool, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = ""
	}
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return true, nil
	case mt == "" || mt == "application/octet-stream" || strings.HasPrefix(mt, "text/"):
	default:
		return false, docket.Errorf(docket.EINVALID, "a statement must be plain text or a web page, not %s", mt)
	}
	sniffed := http.DetectContentType(body)
	switch {
	case strings.HasPrefix(sniffed, "text/html"):
		return true, nil
	case strings.HasPrefix(sniffed, "text/"):
		return false, nil
	}
	return false, docket.Errorf(docket.EINVALID, "a statement must be plain text or a web page, and this looks like %s", strings.SplitN(sniffed, ";", 2)[0])
}

// decode returns body as UTF-8. A byte-order mark or a declared charset is followed;
// otherwise valid UTF-8 is taken as such, and anything else is decoded by the page's meta
// charset or as Windows-1252, as browsers do.
func decode(body []byte, contentType string) string {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" || (!certain && utf8.Valid(body)) {
		s := strings.TrimPrefix(string(body), "\uFEFF")
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return strings.ToValidUTF8(strings.TrimPrefix(string(out), "\uFEFF"), "\uFFFD")
}

// fromHTML returns the page's title, its article as text, and the lines of the whole page
// as a reader sees them, so that what readability left out can be shown to the editor.
// When readability finds no article, the page's body is used without its navigation,
// header, footer and forms.
func fromHTML(page, pageURL string) (title, text string, pageLines []string) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return "", "", nil // the HTML5 parser accepts anything a reader can give it
	}
	root := doc
	if b := findElement(doc, "body"); b != nil {
		root = b
	}
	for _, l := range splitLines(renderText(root, false)) {
		if l.text != "" {
			pageLines = append(pageLines, l.text)
		}
	}
	u, err := url.Parse(pageURL)
	if err != nil || pageURL == "" {
		u = nil
	}
	parser := readability.NewParser()
	if article, err := parser.ParseDocument(doc, u); err == nil {
		title = cleanTitle(article.Title(), article.SiteName())
		if article.Node != nil {
			text = renderText(article.Node, false)
		}
	}
	if strings.TrimSpace(text) == "" {
		text = renderText(root, true)
	}
	return title, text, pageLines
}

func findElement(n *html.Node, tag string) *html.Node {
	if n.Type == html.ElementNode && n.Data == tag {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, tag); f != nil {
			return f
		}
	}
	return nil
}

// cleanTitle removes the site's name from a page title: "Aleppo: my response | Jane Doe MP"
// gives "Aleppo: my response".
func cleanTitle(title, site string) string {
	title = strings.Join(strings.Fields(title), " ")
	seps := []string{" | ", " – ", " — ", " - ", " :: ", " » ", " · ", " • "}
	for changed := true; changed; {
		changed = false
		for _, sep := range seps {
			if i := strings.LastIndex(title, sep); i > 0 && isSiteName(title[i+len(sep):], site, sep == " | ") {
				title, changed = title[:i], true
			}
			if i := strings.Index(title, sep); i > 0 && site != "" && docket.Fold(title[:i]) == docket.Fold(site) {
				title, changed = title[i+len(sep):], true
			}
		}
	}
	if site != "" && docket.Fold(title) == docket.Fold(site) {
		return "" // a page titled only with the site's name has no title of its own
	}
	return strings.TrimSpace(title)
}

// isSiteName reports whether a title segment names the site rather than the page. After a
// pipe it nearly always does.
func isSiteName(seg, site string, afterPipe bool) bool {
	f := docket.Fold(seg)
	if f == "" || afterPipe || (site != "" && f == docket.Fold(site)) {
		return true
	}
	for _, w := range strings.Fields(f) {
		switch w {
		case "mp", "mps", "party", "labour", "conservatives", "news", "blog", "website":
			return true
		}
	}
	lower := strings.ToLower(seg)
	return strings.Contains(lower, ".uk") || strings.Contains(lower, ".org") || strings.Contains(lower, ".com")
}

// renderText turns an HTML tree into paragraphs separated by blank lines: block elements
// end paragraphs, <br> ends a line, list items become "- " or "1. " lines kept together.
// skipChrome drops navigation, headers, footers, asides and forms, for when the whole page
// is rendered rather than readability's article.
func renderText(root *html.Node, skipChrome bool) string {
	r := &textRenderer{skipChrome: skipChrome}
	r.walk(root, nil)
	r.endBlock()
	var b strings.Builder
	for i, blk := range r.blocks {
		if i > 0 {
			if blk.list != nil && blk.list == r.blocks[i-1].list {
				b.WriteByte('\n')
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(strings.Join(blk.lines, "\n"))
	}
	return b.String()
}

type textBlock struct {
	lines []string
	list  *listState // the list this block is an item of, if any
}

type listState struct {
	ordered bool
	n       int
}

type textRenderer struct {
	blocks     []textBlock
	lines      []string
	line       strings.Builder
	space      bool
	item       *listState
	pre        bool
	skipChrome bool
}

var blockTags = setOf("p", "div", "section", "article", "main", "blockquote", "h1", "h2", "h3",
	"h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
	"figure", "figcaption", "pre", "address", "hr", "details", "summary", "fieldset", "legend",
	"caption", "center", "header", "footer", "nav", "aside", "form", "dialog", "hgroup")

var skippedTags = setOf("script", "style", "noscript", "template", "svg", "iframe", "head",
	"button", "select", "option", "textarea", "input", "object", "embed", "canvas", "video",
	"audio", "map", "img", "picture", "math", "title", "meta", "link")

var chromeTags = setOf("nav", "header", "footer", "aside", "form")

func (r *textRenderer) walk(n *html.Node, list *listState) {
	switch n.Type {
	case html.TextNode:
		r.text(n.Data)
		return
	case html.DocumentNode:
		r.children(n, list)
		return
	case html.ElementNode:
	default:
		return
	}
	if skippedTags[n.Data] || isHidden(n) || (r.skipChrome && chromeTags[n.Data]) {
		return
	}
	switch n.Data {
	case "br":
		r.newline()
		return
	case "td", "th":
		r.space = true
		r.children(n, list)
		r.space = true
		return
	case "ul", "ol":
		r.endBlock()
		r.children(n, &listState{ordered: n.Data == "ol"})
		r.endBlock()
		return
	case "li":
		r.endBlock()
		if list == nil {
			list = &listState{} // an <li> outside a list
		}
		r.item = list
		if list.ordered {
			list.n++
			fmt.Fprintf(&r.line, "%d. ", list.n)
		} else {
			r.line.WriteString("- ")
		}
		r.children(n, list)
		r.endBlock()
		return
	case "pre":
		r.endBlock()
		r.pre = true
		r.children(n, list)
		r.pre = false
		r.endBlock()
		return
	}
	if blockTags[n.Data] {
		r.endBlock()
		r.children(n, list)
		r.endBlock()
		return
	}
	r.children(n, list)
}

func (r *textRenderer) children(n *html.Node, list *listState) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c, list)
	}
}

func (r *textRenderer) text(s string) {
	for _, c := range s {
		switch {
		case c == '\n' && r.pre:
			r.newline()
		case unicode.IsSpace(c):
			r.space = true
		case unicode.IsControl(c):
		default:
			if r.space && r.line.Len() > 0 && !strings.HasSuffix(r.line.String(), " ") {
				r.line.WriteByte(' ')
			}
			r.space = false
			r.line.WriteRune(c)
		}
	}
}

// newline ends a line; a second <br> in a row ends the paragraph, as it looks on the page.
func (r *textRenderer) newline() {
	line := strings.TrimSpace(r.line.String())
	r.line.Reset()
	r.space = false
	if line == "" || line == "-" {
		if len(r.lines) > 0 {
			r.endBlock()
		}
		return
	}
	r.lines = append(r.lines, line)
}

func (r *textRenderer) endBlock() {
	line := strings.TrimSpace(r.line.String())
	r.line.Reset()
	r.space = false
	if line != "" && !(r.item != nil && line == "-") {
		r.lines = append(r.lines, line)
	}
	if len(r.lines) > 0 {
		r.blocks = append(r.blocks, textBlock{lines: r.lines, list: r.item})
	}
	r.lines = nil
	r.item = nil
}

func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			return a.Val == "" || a.Val == "true"
		case "style":
			s := strings.ReplaceAll(strings.ToLower(a.Val), " ", "")
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

type line struct {
	text    string
	removed bool
}

// splitLines cuts text into lines with whitespace runs collapsed to one space and invisible
// characters dropped, so that the boilerplate rules see what a reader sees. Empty lines
// stay: they separate paragraphs.
func splitLines(text string) []line {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n\n",
		"\f", "\n", "\v", "\n", "\u0085", "\n").Replace(text)
	raw := strings.Split(text, "\n")
	lines := make([]line, 0, len(raw))
	for _, r := range raw {
		lines = append(lines, line{text: cleanLine(r)})
	}
	return lines
}

func cleanLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r), r == '\u200B', r == '\uFEFF', r == '\u00AD', r == '\u2060':
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

func firstKept(lines []line) int {
	for i, l := range lines {
		if !l.removed && l.text != "" {
			return i
		}
	}
	return -1
}

// headingLine returns the index of the first kept line when it reads as a heading: short,
// alone in its paragraph, not ending like a sentence or a salutation, with more text after
// it. Otherwise -1.
func headingLine(lines []line) int {
	i := firstKept(lines)
	if i < 0 {
		return -1
	}
	sawBlank, more := false, false
	for _, l := range lines[i+1:] {
		if l.removed {
			continue
		}
		if l.text == "" {
			sawBlank = true
			continue
		}
		if !sawBlank {
			return -1 // the line runs on into a paragraph
		}
		more = true
		break
	}
	if !more {
		return -1
	}
	s := lines[i].text
	words := len(strings.Fields(s))
	if words > 15 || utf8.RuneCountInString(s) > 120 {
		return -1
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, closers))
	switch last {
	case '.', ',', ';', ':', '…':
		return -1
	}
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(s, openers))
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) {
		return -1
	}
	f := docket.Fold(s)
	if strings.HasPrefix(f, "dear ") || valedictions[f] {
		return -1
	}
	if _, hasMP := parseName(s); hasMP {
		return -1 // the site's name, "Jane Doe MP", heading the page
	}
	return i
}

// isBoilerplate reports whether a whole line is page furniture rather than statement: a
// cookie notice, a share or subscribe prompt, navigation, a footer, a tag list. Rules look
// at the whole line, and most only at short lines, so a paragraph that merely mentions
// cookies or newsletters stays.
func isBoilerplate(s string) bool {
	f := docket.Fold(s)
	if f == "" {
		return true // separators and decorations: "|", "•••", "→"
	}
	words := strings.Count(f, " ") + 1
	if boilerPhrases[f] || (words <= 12 && allNavWords(f)) {
		return true
	}
	for _, r := range foldRules {
		if words <= r.maxWords && r.re.MatchString(f) {
			return true
		}
	}
	lower := strings.ToLower(s)
	for _, r := range rawRules {
		if words <= r.maxWords && r.re.MatchString(lower) {
			return true
		}
	}
	// A trail has at most 20 words of links, and "You are here" before them.
	return (words <= 24 && isBreadcrumb(s)) || isCookieNotice(s, f, words)
}

// Lines that are boilerplate whole, folded.
var boilerPhrases = setOf(
	"do you like this post", "did you like this post", "like this post", "do you like this page",
	"do you like this article", "did you find this useful", "did you find this helpful",
	"was this page helpful", "was this article helpful", "was this helpful", "was this useful",
	"is this page useful", "be the first to like this", "be the first of your friends to like this",
	"you may also like", "you might also like", "related posts", "related articles",
	"related news", "related stories", "recent posts", "latest posts", "more stories",
	"toggle navigation", "open menu", "close menu", "main menu", "search this site",
	"advertisement", "sponsored", "loading", "ok", "okay", "got it", "i agree", "agree",
	"dismiss", "allow all", "accept", "accept all", "reject", "reject all", "decline",
	"leave a comment", "leave a reply", "add a comment", "post a comment", "no comments",
	"comments are closed", "comments", "reply", "submit", "go", "thank you for subscribing",
	"thanks for signing up", "enter your email", "enter your email address",
	"your email address", "email address", "first name", "last name", "surname",
	"full name", "postcode", "post code", "phone number", "mobile number", "required",
)

// Words that make up navigation bars, footer link rows and button rows when a line has
// nothing else: "Home About News Contact", "Share Tweet Email", "Privacy Cookies Terms".
var navWords = setOf(
	"home", "homepage", "about", "news", "latest", "campaigns", "campaign", "contact", "us",
	"events", "blog", "press", "releases", "release", "media", "help", "advice", "get",
	"involved", "donate", "join", "volunteer", "search", "menu", "privacy", "policy",
	"cookie", "cookies", "terms", "conditions", "accessibility", "statement", "sitemap",
	"site", "map", "login", "log", "in", "out", "sign", "up", "register", "subscribe",
	"unsubscribe", "newsletter", "newsletters", "share", "tweet", "facebook", "twitter", "x",
	"whatsapp", "linkedin", "instagram", "youtube", "bluesky", "threads", "tiktok", "email",
	"print", "like", "likes", "skip", "to", "content", "main", "navigation", "back", "top",
	"more", "read", "next", "previous", "prev", "older", "newer", "posts", "post", "page",
	"pages", "close", "open", "ok", "accept", "reject", "all", "settings", "preferences",
	"manage", "and", "the", "me", "my", "our", "of", "view", "see", "show", "load",
	"continue", "reading", "go", "on", "via", "mp", "surgeries", "casework", "welsh", "english", "cymraeg",
)

func allNavWords(f string) bool {
	for _, w := range strings.Fields(f) {
		if !navWords[w] {
			return false
		}
	}
	return true
}

type lineRule struct {
	re       *regexp.Regexp
	maxWords int
}

const social = `(facebook|twitter|x|whatsapp|linkedin|email|e mail|bluesky|threads|instagram|youtube|tiktok|messenger|reddit|telegram|mastodon|pinterest)`

// Rules over the folded line: lowercase words separated by single spaces.
var foldRules = []lineRule{
	// Share and like prompts.
	{regexp.MustCompile(`^(share|tweet|email|print|like|post|send|pin)( (this|it))?( (post|page|article|story|statement|news))?( (on|via|with|to|by) ` + social + `)*$`), 10},
	{regexp.MustCompile(`^(do|did) you (like|love|enjoy|agree with|support) this (post|page|article|story|statement|campaign)$`), 10},
	{regexp.MustCompile(`^(like|love|enjoyed?|liked) (this|the) (post|page|article|story)$`), 6},
	{regexp.MustCompile(`^([0-9]+ )?(people |person )?(like|likes|liked) this$`), 6},
	{regexp.MustCompile(`^[0-9]+ (likes?|comments?|shares?|reactions?|responses?|replies|reply|retweets?)$`), 3},
	{regexp.MustCompile(`^(follow|find|like|join) (us|me|[a-z]+( [a-z]+)?) on ` + social + `(( and| or)? ` + social + `)*$`), 12},
	// Subscribe, newsletter, sign up, donate, join.
	{regexp.MustCompile(`^(subscribe|sign up|signup|register)\b`), 12},
	{regexp.MustCompile(`\b(newsletter|newsletters|e newsletter|enewsletter|mailing list)\b`), 20},
	{regexp.MustCompile(`\bsign up (for|to) (our |my |the )?(newsletter|updates|email|emails|e mails|mailing list)`), 25},
	{regexp.MustCompile(`^(get|receive) (email |e mail |regular |the latest )?(updates|news)( from [a-z ]+)?$`), 12},
	{regexp.MustCompile(`^(donate|make a donation|chip in|give now|support our work)\b`), 12},
	{regexp.MustCompile(`^(join|volunteer|get involved|become a member)( (us|today|now|here|the party|our team|our campaign|the campaign))?$`), 6},
	// Navigation and page furniture.
	{regexp.MustCompile(`^(skip|jump) to (the )?(main )?(content|navigation|nav|menu|footer|search|main|article)( content)?$`), 8},
	{regexp.MustCompile(`^(read|see|view|show|load) (more|all|the full (story|article|post|statement)|more news|more posts)\b`), 10},
	{regexp.MustCompile(`^continue reading\b`), 10},
	{regexp.MustCompile(`^(back to|go to|return to|scroll to) (the )?(top|news|home|homepage|all|blog|posts|articles|index|previous page|list)( of page)?$`), 8},
	{regexp.MustCompile(`^(next|previous|prev|older|newer) (post|posts|article|articles|story|entry|entries|page)\b`), 12},
	{regexp.MustCompile(`^(please )?(enable|turn on|switch on) javascript\b`), 25},
	{regexp.MustCompile(`\bjavascript (is )?(disabled|required|turned off)\b`), 25},
	{regexp.MustCompile(`\byour browser (does not|doesn t|is not|isn t) (support|supported)`), 25},
	{regexp.MustCompile(`^(posted|published|filed) (in|under|on|by)\b`), 20},
	{regexp.MustCompile(`^(published|posted|date|updated|last updated|last modified|modified)( on)? [0-9]`), 10},
	// Footers and imprints.
	{regexp.MustCompile(`\ball rights reserved\b`), 40},
	{regexp.MustCompile(`^(published and )?promoted (by|and published by)\b`), 60},
	{regexp.MustCompile(`^(registered (office|address|in england|in scotland|in wales|charity)|company (no|number|registration)|reg(istered)? charity)\b`), 40},
	{regexp.MustCompile(`^(powered by|website by|site by|designed by|built by|web design by|hosted by|website designed by)\b`), 12},
	{regexp.MustCompile(`^(this|the) (website|site) (is|was) (run|hosted|funded|paid for|maintained|designed|built|published|managed)\b`), 30},
}

// Rules over the lowercased line, for the punctuation that folding removes.
var rawRules = []lineRule{
	{regexp.MustCompile(`^(©|\(c\)|copyright\b|&copy;)`), 40},
	{regexp.MustCompile(`^(tags?|tagged( with| as| in)?|categories|category|filed under|posted in|posted under|topics?|labels?|keywords)\s*[:\-–—]`), 30},
	{regexp.MustCompile(`^(photo|image|picture|photograph|credit|image credit|photo credit|pictured)s?\s*[:\-–—]`), 25},
	{regexp.MustCompile(`^share( this)?( post| page| article)?\s*:`), 20},
}

var (
	crumbSep   = regexp.MustCompile(`\s+(?:>|»|›|→|/|\||::)\s+`)
	youAreHere = regexp.MustCompile(`(?i)^you are here\s*:?\s*`)
)

// isBreadcrumb reports whether a line is a trail of short links: "Home > News > Syria",
// "You are here: Home / News", "Privacy | Cookies | Terms".
func isBreadcrumb(s string) bool {
	trimmed := youAreHere.ReplaceAllString(s, "")
	parts := crumbSep.Split(trimmed, -1)
	if len(parts) < 2 {
		return trimmed == "" || (trimmed != s && len(strings.Fields(trimmed)) <= 6)
	}
	total := 0
	for _, p := range parts {
		n := len(strings.Fields(docket.Fold(p)))
		if n > 6 {
			return false
		}
		total += n
	}
	if total > 20 {
		return false
	}
	first := docket.Fold(parts[0])
	if first == "home" || first == "homepage" || trimmed != s {
		return true
	}
	// Without "Home" to start it, a trail needs three links and a separator that prose
	// does not use; "food / shelter / medicine" is a list in a sentence.
	return len(parts) >= 3 && !strings.HasSuffix(s, ".") && strings.ContainsAny(s, ">»›→|")
}

var (
	cookieWord = regexp.MustCompile(`\bcookies?\b`)
	// What a cookie notice talks about besides cookies. A sentence about biscuits in a
	// refugee camp says none of it.
	cookieContext = regexp.MustCompile(`\b(website|websites|web site|this site|our site|the site|browser|browsing|your computer|your device|privacy|consent|accept|acceptance|accepting|agree|preferences|settings|policy|we use|uses|use of|analytics|tracking|third party|essential|necessary|gdpr|opt out|opt in|manage|personalise|personalize)\b`)
)

// isCookieNotice reports whether a line is a cookie banner or one of its paragraphs: every
// sentence of it is about cookies and the site. A paragraph that mentions cookies in one
// sentence among others stays.
func isCookieNotice(s, f string, words int) bool {
	if words > 80 || !cookieWord.MatchString(f) {
		return false
	}
	if words <= 6 {
		return true // "Cookie settings", "Accept all cookies"
	}
	sawCookie := false
	for _, sent := range Split(s) {
		sf := docket.Fold(sent.Text)
		hasCookie := cookieWord.MatchString(sf)
		n := strings.Count(sf, " ") + 1
		if n > 40 || !(hasCookie && cookieContext.MatchString(sf)) && !(cookieContext.MatchString(sf) && n <= 25) {
			return false
		}
		sawCookie = sawCookie || hasCookie
	}
	return sawCookie
}

// Valedictions that may stand above a signature and go with it.
var valedictions = setOf("yours sincerely", "yours faithfully", "yours truly", "yours ever",
	"best wishes", "with best wishes", "all best wishes", "kind regards", "with kind regards",
	"best regards", "warm regards", "warmest regards", "regards", "many thanks", "thanks",
	"thank you", "with thanks", "sincerely", "all the best", "with warm regards")

// removeSignature finds the MP's signature among the last lines, fills in the member, and
// marks it, the valediction above it and whatever follows it as removed. What follows a
// signature on a scraped page is the page, not the statement.
func removeSignature(lines []line, ex *Extracted) {
	var kept []int
	for i, l := range lines {
		if !l.removed && l.text != "" {
			kept = append(kept, i)
		}
	}
	const window = 6
	for k := len(kept) - 1; k >= 0 && k >= len(kept)-window; k-- {
		block := make([]string, 0, 3)
		for _, i := range kept[k:min(k+3, len(kept))] {
			block = append(block, lines[i].text)
		}
		sig, ok := parseSignature(block)
		if !ok || k == 0 || !trailingJunk(lines, kept[k+sig.lines:]) {
			// A signature with no statement above it, or with paragraphs of prose below
			// it, is more likely the site's name heading the page.
			continue
		}
		ex.MemberName, ex.Constituency, ex.Party = sig.name, sig.constituency, sig.party
		from := k
		if valedictions[strings.Trim(docket.Fold(lines[kept[k-1]].text), " ")] && k-1 > 0 {
			from = k - 1
		}
		for _, i := range kept[from:] {
			lines[i].removed = true
		}
		return
	}
}

// maxSignatureLine bounds the lines read as a signature: a name, a party and the longest
// constituency names fit well within it.
const maxSignatureLine = 200

type signature struct {
	name, constituency, party string
	lines                     int
}

// trailingJunk reports whether the kept lines after a signature look like what pages put
// there, a few short lines, rather than more of the statement.
func trailingJunk(lines []line, after []int) bool {
	if len(after) > 3 {
		return false
	}
	for _, i := range after {
		if len(strings.Fields(lines[i].text)) > 20 {
			return false
		}
	}
	return true
}

var roleRE = regexp.MustCompile(`^(.*?)\b(?:MP|M\.P\.|(?i:member of parliament))(?:\s+(?i:for)\s+(.+?))?[\s.,;]*$`)

// parseSignature reads a signature at the start of lines:
//
//	Jane Doe                 Jane Doe MP               Jane Doe, MP for Exampleton
//	MP for Exampleton        Member of Parliament      Rt Hon Jane Doe, Labour MP for Exampleton
//	Labour Party             for Exampleton
//
// and the like; a party line may stand before or after the role line.
func parseSignature(lines []string) (signature, bool) {
	var sig signature
	if len(lines[0]) > maxSignatureLine {
		return sig, false
	}
	used := 0
	if m := roleRE.FindStringSubmatch(lines[0]); m != nil && m[2] != "" && strings.TrimSpace(m[1]) != "" {
		// All on one line: "Jane Doe, Labour MP for Exampleton".
		prefix := strings.Trim(m[1], " ,;–—-")
		name, party := splitParty(prefix)
		n, _ := parseName(name)
		c, ok := parseConstituency(m[2])
		if n == "" || !ok {
			return sig, false
		}
		sig.name, sig.constituency, sig.party = n, c, party
		used = 1
	} else {
		n, hasMP := parseName(lines[0])
		if n == "" {
			return sig, false
		}
		sig.name = n
		used = 1
		rest := lines[1:]
		if len(rest) > 0 && isParty(rest[0]) && len(rest) > 1 && isRoleLine(rest[1]) {
			sig.party = strings.Trim(rest[0], " .,")
			rest = rest[1:]
			used++
		}
		if len(rest) > 0 && isRoleLine(rest[0]) {
			m := roleRE.FindStringSubmatch(rest[0])
			if p := strings.Trim(m[1], " ,;–—-"); p != "" {
				sig.party = p
			}
			if m[2] != "" {
				sig.constituency, _ = parseConstituency(m[2])
			}
			used++
		} else if !hasMP {
			return sig, false // a bare name could be anyone's
		}
	}
	if sig.party == "" && used < len(lines) && isParty(lines[used]) {
		sig.party = strings.Trim(lines[used], " .,")
		used++
	}
	sig.lines = used
	return sig, true
}

// isRoleLine reports whether a line is "MP for X", "Labour MP for X" or "Member of
// Parliament", with nothing before the role but a party.
func isRoleLine(s string) bool {
	if len(s) > maxSignatureLine {
		return false
	}
	m := roleRE.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	if p := strings.Trim(m[1], " ,;–—-"); p != "" && !isParty(p) {
		return false
	}
	if m[2] != "" {
		_, ok := parseConstituency(m[2])
		return ok
	}
	return true
}

var parties = setOf("labour", "labour party", "the labour party", "labour co operative",
	"labour and co operative", "labour co operative party", "co operative party",
	"conservative", "conservatives", "conservative party", "the conservative party",
	"conservative and unionist party", "liberal democrat", "liberal democrats",
	"the liberal democrats", "lib dem", "lib dems", "snp", "scottish national party",
	"plaid cymru", "green", "green party", "the green party", "reform", "reform uk",
	"dup", "democratic unionist party", "sinn fein", "sdlp", "alliance", "alliance party",
	"independent", "uup", "ulster unionist party", "tuv", "workers party")

func isParty(s string) bool { return parties[docket.Fold(s)] }

// splitParty separates a party written after a name: "Jane Doe, Labour" gives "Jane Doe"
// and "Labour".
func splitParty(s string) (name, party string) {
	words := strings.Fields(s)
	for k := 1; k < len(words) && k <= 4; k++ {
		p := strings.Join(words[len(words)-k:], " ")
		if isParty(p) {
			return strings.Trim(strings.Join(words[:len(words)-k], " "), " ,;–—-"), p
		}
	}
	return s, ""
}

var (
	honorificRE   = regexp.MustCompile(`(?i)^(the\s+)?(rt\.?\s+hon\.?|right\s+hon(ourable|\.)?|rt\.?\s+honourable|hon\.?)\s+`)
	postNominals  = setOf("MP", "M.P.", "OBE", "CBE", "MBE", "KBE", "DBE", "KC", "QC", "PC", "JP", "DL", "FRS", "KCB", "DCB")
	nameParticles = setOf("de", "van", "der", "von", "al", "bin", "bint", "da", "du", "le", "la", "di", "y", "ap", "del", "dos")
	notNames      = setOf("the", "dear", "yours", "with", "best", "kind", "thank", "thanks", "regards",
		"from", "contact", "write", "email", "follow", "share", "like", "read", "for", "and",
		"but", "this", "my", "our", "all", "home", "news", "about", "member", "members")
)

// parseName returns the name in a signature line without "Rt Hon" or letters after it, and
// whether "MP" followed it; "" when the line is not a name.
func parseName(s string) (name string, hasMP bool) {
	s = strings.Trim(s, " ,;:–—-")
	s = honorificRE.ReplaceAllString(s, "")
	words := strings.Fields(s)
	for len(words) > 0 && postNominals[strings.Trim(words[len(words)-1], ",")] {
		hasMP = hasMP || strings.Trim(words[len(words)-1], ",") == "MP" || words[len(words)-1] == "M.P."
		words = words[:len(words)-1]
	}
	if len(words) < 2 || len(words) > 6 || notNames[strings.ToLower(words[0])] || isParty(strings.Join(words, " ")) {
		return "", false
	}
	for i, w := range words {
		w = strings.TrimRight(w, ",")
		words[i] = w
		if nameParticles[w] && i > 0 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return "", false
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && c != '-' && c != '\'' && c != '’' && c != '.' {
				return "", false
			}
		}
	}
	name = strings.Join(words, " ")
	if utf8.RuneCountInString(name) > 60 {
		return "", false
	}
	return name, hasMP
}

var constituencyConnectors = setOf("and", "of", "the", "upon", "on", "in", "an", "with",
	"under", "super", "le", "la", "y", "a", "&", "-")

// parseConstituency checks the words after "MP for": "Leeds Central", "Ynys Môn",
// "Na h-Eileanan an Iar", "Weston-super-Mare".
func parseConstituency(s string) (string, bool) {
	s = strings.Trim(strings.TrimSpace(s), ".,;:!")
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 10 || utf8.RuneCountInString(s) > 80 {
		return "", false
	}
	for i, w := range words {
		w = strings.Trim(w, ",")
		if w == "" {
			return "", false
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && c != '-' && c != '\'' && c != '’' && c != '&' && c != '.' {
				return "", false
			}
		}
		if constituencyConnectors[w] && i > 0 {
			continue
		}
		capital := false
		for _, part := range strings.Split(w, "-") {
			r, _ := utf8.DecodeRuneInString(part)
			capital = capital || unicode.IsUpper(r)
		}
		if !capital {
			return "", false
		}
	}
	return strings.Join(words, " "), true
}
