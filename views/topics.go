package views

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/a-h/templ"
)

// Segment is a piece of a searched title or snippet; Hit marks a word the search matched.
// Pages wrap hits in <mark>; every segment is escaped like any other text.
type Segment struct {
	Text string
	Hit  bool
}

// Note is a researcher's note on a timeline item.
type Note struct {
	Author string
	Body   string
	At     time.Time
}

// TopicInfo is what office pages show of a topic.
type TopicInfo struct {
	Slug, Title, Summary, Rule string
	Public, Archived           bool
}

// RematchView is a topic's re-match against its rule, as the office sees it.
type RematchView struct {
	Running        bool
	Done, Total    int64
	Added, Removed int64
	FinishedAt     *time.Time
}

// Percent is how far a re-match has got.
func (r *RematchView) Percent() int {
	if r.Total <= 0 {
		return 0
	}
	return int(min(100, r.Done*100/r.Total))
}

// OfficeTopicView is the office page of one topic: its timeline with every filter, the
// curation controls, the chart and the exports.
type OfficeTopicView struct {
	Meta      Meta
	Topic     TopicInfo
	Following bool
	Days      []Day
	NextURL   string
	Filter    TimelineFilter
	Chart     *Chart
	Rematch   *RematchView
	ExportCSV string
	ExportJS  string
	// Back is this page's address, where the curation forms send the browser after acting.
	Back string
	Add  AddItemForm
}

// AddItemForm is the form that puts an item on a topic by hand.
type AddItemForm struct {
	Item  string
	Error string
}

// OfficeEntryView is one entry of the office timeline, also the partial htmx swaps in after
// a curation action.
type OfficeEntryView struct {
	Slug      string
	Entry     Entry
	CanCurate bool
	Back      string
	// MemberOf is, for another copy of a story listed under its newest one, that one's id.
	MemberOf int64
}

// OfficeTopicRow is a topic in the office list.
type OfficeTopicRow struct {
	Slug, Title       string
	Public, Archived  bool
	Following         bool
	Items, Statements int64
	Rematch           *RematchView
}

// OfficeTopicsView is the office list of topics, with the new-topic form.
type OfficeTopicsView struct {
	Meta      Meta
	Topics    []OfficeTopicRow
	Form      TopicForm
	Errors    *FormErrors
	RuleFault *RuleFault
}

// TopicForm is a topic's settings as typed.
type TopicForm struct {
	Slug, Title, Summary, Rule, Visibility string
	Archived                               bool
	// Revision is the revision of the settings the form was loaded from (settings only).
	Revision int64
}

// RuleFault shows where a rule stopped making sense: the rule cut around the character at
// fault (Pos, 1-based), and why.
type RuleFault struct {
	Before, At, After string
	Pos               int
	Msg               string
}

// NewRuleFault cuts rule around the 1-based character position pos.
func NewRuleFault(rule string, pos int, msg string) *RuleFault {
	runes := []rune(rule)
	i := max(0, min(pos-1, len(runes)))
	f := &RuleFault{Before: string(runes[:i]), Pos: pos, Msg: msg}
	if i < len(runes) {
		// Mark the whole word the fault is at (an OR, a term), or the one character that
		// is not part of a word (a parenthesis, a quote).
		j := i + 1
		if wordRune(runes[i]) {
			for j < len(runes) && wordRune(runes[j]) {
				j++
			}
		}
		f.At, f.After = string(runes[i:j]), string(runes[j:])
	}
	return f
}

func wordRune(r rune) bool {
	return !unicode.IsSpace(r) && !strings.ContainsRune(`()"“”`, r)
}

// TopicSettingsView is the office settings page of a topic.
type TopicSettingsView struct {
	Meta      Meta
	Slug      string
	Form      TopicForm
	Errors    *FormErrors
	RuleFault *RuleFault
	Rematch   *RematchView
}

// FollowedCard is a followed topic on the office home, with what is new since the reader
// last opened it.
type FollowedCard struct {
	TopicCard
	NewItems int64
}

// VisibilityOptions are the visibilities as select options.
func VisibilityOptions() []Option {
	return []Option{{"private", "Private: the office only"}, {"public", "Public: on the public pages"}}
}

// StateOptions are the office timeline's state filter choices.
func StateOptions() []Option {
	return []Option{{"", "All but rejected"}, {"suggested", "Suggested"}, {"confirmed", "Confirmed"},
		{"rejected", "Rejected"}, {"all", "All"}}
}

// KindFilterOptions are the source kinds as filter choices, "all kinds" first.
func KindFilterOptions() []Option {
	return append([]Option{{"", "All kinds"}}, KindOptions()...)
}

// StateLabel is the words for a link's state.
func StateLabel(s string) string {
	switch s {
	case "suggested":
		return "Suggested"
	case "confirmed":
		return "Confirmed"
	case "rejected":
		return "Rejected"
	}
	return s
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var out []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, c)
	}
	return string(out)
}

func rematchLine(r *RematchView) string {
	if r.Running {
		return fmt.Sprintf("Matching stored items against the rule: %d%% (%s of %s).", r.Percent(), thousands(r.Done), thousands(r.Total))
	}
	return fmt.Sprintf("Stored items last matched against the rule: %s items, %s %s added, %s removed.",
		thousands(r.Done), thousands(r.Added), pluralWord(r.Added, "suggestion"), thousands(r.Removed))
}

func pluralWord(n int64, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

// Highlighted writes a searched text with its hits in <mark>, escaping every piece; with no
// segments it writes plain. It is written in Go rather than templ so that no white space
// creeps in between the pieces.
func Highlighted(parts []Segment, plain string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		if len(parts) == 0 {
			_, err := io.WriteString(w, templ.EscapeString(plain))
			return err
		}
		for _, p := range parts {
			s := templ.EscapeString(p.Text)
			if p.Hit {
				s = "<mark>" + s + "</mark>"
			}
			if _, err := io.WriteString(w, s); err != nil {
				return err
			}
		}
		return nil
	})
}
