package views

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// The view structs of the office's statement pages: the publish-status board, the editor
// with its evidence panel, the revisions, the import and the members.

func init() {
	// Kept beside the statement pages rather than in the Flashes literal of models.go, which
	// every page adds to.
	maps.Copy(Flashes, map[string]string{
		"statement-created":         "The draft has been created.",
		"statement-saved":           "Your changes have been saved as a new revision.",
		"statement-unchanged":       "Nothing had changed, so nothing was saved.",
		"statement-submit":          "The statement has been submitted for review.",
		"statement-request_changes": "The statement has been sent back to its writers as a draft.",
		"statement-approve":         "The statement has been approved. It can now be published.",
		"statement-reopen":          "The statement has been reopened as a draft.",
		"statement-publish":         "The statement has been published: the public page shows this version.",
		"statement-withdraw":        "The statement has been withdrawn from the public pages.",
		"statement-revise":          "A new version has been started as a draft. The published version stays public until this one is published.",
		"evidence-saved":            "The evidence has been recorded.",
		"comment-added":             "Your comment has been added.",
		"member-added":              "The member has been added.",
		"member-updated":            "The member has been changed.",
	})
}

// StatementRowView is a statement on the board or in a list.
type StatementRowView struct {
	ID          int64
	Title       string
	Kind        string
	Status      string
	Origin      string
	Version     int
	Member      string
	EnteredBy   string // who put it in its status; "" for nobody (imported, ingested)
	WrittenBy   string // who last saved its current version
	Since       time.Time
	PublishedAt *time.Time
	Overdue     bool
	Public      bool
}

// Holder says who has a statement now, as an office says it: a draft is with its writer; a
// statement in review waits for an editor other than the one who submitted it; an approved
// one waits to be published; a published or withdrawn one was made so by someone.
func Holder(r StatementRowView) string {
	by := func(verb, who string) string {
		if who == "" {
			return ""
		}
		return verb + " by " + who
	}
	switch r.Status {
	case docket.StatusDraft:
		if w := r.WrittenBy; w != "" {
			return "With " + w + ", who is writing it"
		}
		if r.EnteredBy != "" {
			return "With " + r.EnteredBy + ", who started it"
		}
	case docket.StatusInReview:
		if r.EnteredBy != "" {
			return "Submitted by " + r.EnteredBy + ", waiting for another editor to approve it"
		}
		return "Waiting for an editor to approve it"
	case docket.StatusApproved:
		if r.EnteredBy != "" {
			return "Approved by " + r.EnteredBy + ", waiting to be published"
		}
		return "Approved, waiting to be published"
	case docket.StatusPublished:
		switch {
		case r.Origin == docket.OriginIngested:
			return "Ingested from the MP's record"
		case r.Origin == docket.OriginImported && r.EnteredBy != "":
			return "Imported as published by " + r.EnteredBy
		case r.Origin == docket.OriginImported:
			return "Imported as published"
		}
		return by("Published", r.EnteredBy)
	case docket.StatusWithdrawn:
		return by("Withdrawn", r.EnteredBy)
	}
	return ""
}

// BoardColumnView is one status on the publish-status board: the first of its statements,
// and how many it holds in all.
type BoardColumnView struct {
	Status  string
	Rows    []StatementRowView
	Total   int
	Overdue int
}

// More is how many of the column's statements are not shown.
func (c BoardColumnView) More() int { return c.Total - len(c.Rows) }

// StatusListView is the office's list of every statement in one status, a page at a time.
type StatusListView struct {
	Meta   Meta
	Now    time.Time
	Status string
	Total  int
	Rows   []StatementRowView
	Next   string // the address of the next page; "" on the last
}

// TopicBoardView is a topic's line on the board.
type TopicBoardView struct {
	Slug, Title   string
	LastPublished *StatementRowView
	InProgress    []StatementRowView
}

// StaleItemView is an item that arrived on a statement's topics after it was published.
type StaleItemView struct {
	Title, URL, Source, SourceKind string
	PublishedAt                    time.Time
	Confirmed                      bool
}

// StaleView is a published statement that newer items have overtaken.
type StaleView struct {
	ID          int64
	Title       string
	PublishedAt time.Time
	NewItems    int
	Items       []StaleItemView
}

// StatementsView is the office's statements page: the publish-status board, the stale
// statements, and a line per topic.
type StatementsView struct {
	Meta          Meta
	Now           time.Time
	Columns       []BoardColumnView
	Topics        []TopicBoardView
	Stale         []StaleView
	Threshold     int
	ReviewOverdue time.Duration
}

// TopicOption is a topic as a checkbox.
type TopicOption struct {
	ID      int64
	Title   string
	Checked bool
}

// StatementForm is the editor's values.
type StatementForm struct {
	Title    string
	Body     string
	Kind     string
	MemberID int64
	Revision int
}

// ActionView is a workflow action the page offers, behind a confirmation.
type ActionView struct {
	Action  string
	Label   string
	Confirm string // what happens, said before the button that does it
	Warning string // what the user should know first, such as sentences without evidence
	Blocked string // why this user cannot do it, when the role allows it but the rule does not
}

// HistoryEvent is a status change on a statement's timeline.
type HistoryEvent struct {
	At      time.Time
	Who     string
	From    string
	To      string
	Note    string
	Version int
}

// RevisionRow is a saved revision.
type RevisionRow struct {
	Revision int
	Version  int
	Author   string
	At       time.Time
	Public   bool     // the revision the public sees
	Changed  []string // what it changed from the revision before: title, text, kind, member, topics
}

// CommentView is a comment.
type CommentView struct {
	Who  string
	At   time.Time
	Body string
}

// PanelEvidence is an item offered or recorded as evidence for a sentence.
type PanelEvidence struct {
	ItemID      int64
	Title       string
	URL         string
	Source      string
	SourceKind  string
	PublishedAt time.Time
	Score       float64
	Terms       string
	State       string
	Manual      bool
}

// PanelSentence is a sentence of the draft with its evidence.
type PanelSentence struct {
	Index     int
	Text      string
	Confirmed []PanelEvidence
	Suggested []PanelEvidence
	Rejected  int
}

// EvidencePanel is the list of the draft's sentences with their evidence, beside the editor.
// It is a partial too: htmx replaces it as the draft changes.
type EvidencePanel struct {
	StatementID int64
	Sentences   []PanelSentence
	Unsupported int  // sentences without confirmed evidence
	NoTopics    bool // nothing can be suggested without a topic
	Live        bool // computed from the text being typed, not yet saved
	CanEdit     bool
	Error       string
}

// EditorView is the office page of one statement.
type EditorView struct {
	Meta        Meta
	ID          int64
	Status      string
	Version     int
	Origin      string
	SourceURL   string
	Public      bool
	PublishedAt *time.Time
	Editable    bool // the status allows changes and the user may make them
	LockedWhy   string
	Form        StatementForm
	// EvidenceRev is the count of evidence decisions the page shows: approving and
	// publishing carry it.
	EvidenceRev int
	Errors      *FormErrors
	Members     []Option
	Topics      []TopicOption
	Panel       EvidencePanel
	Actions     []ActionView
	History     []HistoryEvent
	Revisions   []RevisionRow
	Comments    []CommentView
	Stale       *StaleView
	// StaleThreshold is how many new items make a published statement stale: fewer are
	// mentioned, not flagged.
	StaleThreshold int
	CommentErr     string
	// ImportStripped are the lines the import of the statement removed from its page or
	// text, kept so an editor can check them at any time.
	ImportStripped []string
	// Earlier is the member's public statements on the statement's topics, newest first,
	// shown beside the draft so it stays consistent with them; nil when the statement has no
	// member.
	Earlier *EarlierView
}

// EarlierView is what a statement's member said before on its topics.
type EarlierView struct {
	Member     string
	NoTopics   bool
	Statements []EarlierStatement
}

// EarlierStatement is one of the member's earlier public statements.
type EarlierStatement struct {
	ID          int64
	Title       string
	Kind        string
	PublishedAt time.Time
	SourceURL   string // where it was said: Hansard, Parliament's questions site, the MP's site
}

// DiffOp is a run of a diff between two revisions.
type DiffOp struct {
	Kind string // equal, insert, delete
	Text string
}

// FactChange is a change between two revisions to one of a statement's facts besides its
// words: its kind, member or topics.
type FactChange struct {
	Field, From, To string
}

// RevisionsView compares two revisions of a statement.
type RevisionsView struct {
	Meta      Meta
	ID        int64
	Title     string
	Revisions []RevisionRow
	A, B      int
	TitleDiff []DiffOp
	BodyDiff  []DiffOp
	Facts     []FactChange // kind, member, topics: those that changed
	Same      bool
}

// ImportForm is the import form's values.
type ImportForm struct {
	Text        string
	URL         string
	Title       string
	Kind        string
	MemberID    int64
	Status      string
	PublishedAt string
}

// ImportPreview is what an import would store, shown for the editor to check before
// anything is stored, and carried in the preview's form to the import itself.
type ImportPreview struct {
	Title                           string // found in the page or text, or made up
	MadeUpTitle                     string // the title made up from the first sentence, when there was none
	TitleMadeUp                     bool   // the title is the made-up one
	Body                            string
	SourceURL                       string
	MemberName, Constituency, Party string // from the signature
	Member                          string // the member it would be filed under, "" for none
	MemberCreated                   bool   // a new member, from the signature
	MemberFilled                    bool   // a known member whose missing constituency or party the signature gives
	Stripped                        []string
}

// ImportResultView says what an import stored and what it removed.
type ImportResultView struct {
	ID            int64
	Title         string
	TitleMadeUp   bool
	Status        string
	Member        string
	MemberCreated bool
	MemberFilled  bool
	Sentences     int
	Stripped      []string
}

// ImportView is the import page: the form, the preview of what would be stored, or the
// result.
type ImportView struct {
	Meta     Meta
	Form     ImportForm
	Errors   *FormErrors
	Members  []Option
	Topics   []TopicOption
	CanFetch bool
	Preview  *ImportPreview
	Result   *ImportResultView
}

// MemberRow is a member on the members page.
type MemberRow struct {
	ID                        int64
	Name, Constituency, Party string
	// Errors are what was wrong with a save of this row; the values are then as typed.
	Errors *FormErrors
}

// rowDescribedBy names the error message of a member row's field, when it has one.
func rowDescribedBy(m MemberRow, field string) string {
	if m.Errors.For(field) == "" {
		return ""
	}
	return "e-" + field + "-" + strconv.FormatInt(m.ID, 10)
}

// MemberForm is the add-a-member form's values.
type MemberForm struct{ Name, Constituency, Party string }

// MembersView is the office members page.
type MembersView struct {
	Meta    Meta
	Members []MemberRow
	Form    MemberForm
	Errors  *FormErrors
}

// StatementKindOptions are the statement kinds as select options.
func StatementKindOptions() []Option {
	var out []Option
	for _, k := range docket.StatementKinds {
		out = append(out, Option{k, StatementKindLabel(k)})
	}
	return out
}

// StatusAge says how long a statement has been in its status: "in review for 3 days",
// "published 2 hours ago".
func StatusAge(status string, since, now time.Time) string {
	age := Age(since, now)
	switch status {
	case docket.StatusPublished, docket.StatusWithdrawn, docket.StatusApproved:
		if age == "just now" {
			return strings.ToLower(docket.StatusLabel(status)) + " just now"
		}
		return strings.ToLower(docket.StatusLabel(status)) + " " + age + " ago"
	}
	return age + " " + map[string]string{docket.StatusDraft: "as a draft", docket.StatusInReview: "in review"}[status]
}

// StatusTag is the class of a status's tag.
func StatusTag(status string) string {
	switch status {
	case docket.StatusPublished:
		return "tag tag-ok"
	case docket.StatusInReview, docket.StatusApproved:
		return "tag tag-pin"
	case docket.StatusWithdrawn:
		return "tag tag-muted"
	}
	return "tag"
}

// Score formats an evidence score for people: two decimals.
func Score(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func id64(n int64) string { return strconv.FormatInt(n, 10) }

// SentencesWithout says how many sentences lack confirmed evidence: "3 of 12 sentences have no confirmed evidence".
func SentencesWithout(n, of int) string {
	if n == 1 {
		return fmt.Sprintf("1 of %d sentences has no confirmed evidence", of)
	}
	return fmt.Sprintf("%d of %d sentences have no confirmed evidence", n, of)
}
