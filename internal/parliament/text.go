package parliament

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// plainText turns the HTML (or plain text) the APIs return into plain text with paragraphs
// separated by a blank line and the spaces inside a paragraph collapsed.
//
// Block elements (p, div, br, li, headings, table rows…) end a paragraph. Newlines in text are
// paragraph breaks only when the input has no block markup at all: in HTML they are just the
// source's line wrapping, while plain-text fields such as a motion's text use them on purpose.
func plainText(s string) string {
	if s == "" {
		return ""
	}
	const soft = '\x00' // stands for a newline in text until we know whether markup was used
	var (
		paras     []string
		cur       strings.Builder
		sawBlock  bool
		skipDepth int // inside <script> or <style>
	)
	flush := func() {
		if cur.Len() > 0 {
			paras = append(paras, cur.String())
			cur.Reset()
		}
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return joinParagraphs(paras, sawBlock, soft)
		case html.TextToken:
			if skipDepth > 0 {
				continue
			}
			// Byte by byte is safe: '\n' never occurs inside a multi-byte UTF-8 sequence.
			for _, b := range z.Text() {
				if b == '\n' {
					b = soft
				}
				cur.WriteByte(b)
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style {
				if tt == html.StartTagToken {
					skipDepth++
				} else if tt == html.EndTagToken && skipDepth > 0 {
					skipDepth--
				}
				continue
			}
			if blockElements[a] {
				sawBlock = true
				flush()
			} else if a == atom.Td || a == atom.Th {
				cur.WriteByte(' ')
			}
		}
	}
}

var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Blockquote: true, atom.Tr: true, atom.Table: true, atom.Hr: true, atom.Pre: true,
	atom.Section: true, atom.Article: true, atom.Dd: true, atom.Dt: true,
}

func joinParagraphs(raw []string, sawBlock bool, soft rune) string {
	var out []string
	for _, p := range raw {
		if sawBlock {
			p = strings.ReplaceAll(p, string(soft), " ")
			if f := strings.Join(strings.Fields(p), " "); f != "" {
				out = append(out, f)
			}
			continue
		}
		for line := range strings.SplitSeq(p, string(soft)) {
			if f := strings.Join(strings.Fields(line), " "); f != "" {
				out = append(out, f)
			}
		}
	}
	return strings.Join(out, "\n\n")
}

// listCut is how many characters of a text the questions and statements lists give: a
// longer one is cut there. Answers so cut end with "..." after the 255 (258 in all), but a
// question's text is cut at 255 with no mark at all (both seen in the API's list responses),
// so the length is the sign that counts.
const listCut = 255

// truncated reports whether a list API cut a text short: its words, without markup, are as
// long as the lists' cut, or it ends with "..." or "…".
func truncated(s string) bool {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) >= listCut && utf8.RuneCountInString(plainText(s)) >= listCut {
		return true
	}
	// Markup may close after the ellipsis: "<p>… the Environment Agency is re...</p>".
	for strings.HasSuffix(s, ">") {
		i := strings.LastIndexByte(s, '<')
		if i < 0 {
			break
		}
		s = strings.TrimSpace(s[:i])
	}
	return strings.HasSuffix(s, "...") || strings.HasSuffix(s, "…")
}

// parseTime reads the APIs' timestamps: "2016-12-13T00:00:00" (UK wall clock, no zone, kept
// as written and labelled UTC), RFC 3339 with an offset, or a bare date.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// day is the start of t's UTC calendar day.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// flexString decodes a JSON string, number or null to a string: the APIs give a UIN as a
// number in one place and a string in another.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
