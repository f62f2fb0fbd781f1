// Package views holds Docket's pages as templ components. Components get view structs built
// by the web package and never touch a database; feed HTML reaches them only as the
// sanitizer's output, and everything else is escaped by templ.
package views

import (
	"fmt"

	"github.com/docket-dev/docket/internal/docket"
	"strings"
	"time"
)

// Meta is what the layout needs of every page.
type Meta struct {
	Title       string // the page's own title; the layout appends " – Docket"
	Description string // meta description and og:description
	Canonical   string // absolute URL of the page, for og:url
	AtomURL     string // an Atom feed offered where the reader is
	OGType      string // "website" or "article"
	User        *UserInfo
	Flash       string // a notification banner after an action
	FlashError  bool
	Section     string // "public" or "office", for the navigation
	CSPNonce    string
	Office      bool   // dense office styling, with the office's navigation
	Path        string // the request's path, for the navigation
	// AssetVersion goes on static links, so a new binary's stylesheet is never mistaken
	// for the cached old one.
	AssetVersion string
}

// UserInfo is the signed-in user, as the layout shows it.
type UserInfo struct {
	ID   int64
	Name string
	Role string
}

// Can reports whether the signed-in user may do action (docket.Can), so pages offer only
// what will be allowed; the handlers check again.
func (u *UserInfo) Can(action string) bool { return u != nil && docket.Can(u.Role, action) }

// TopicCard is a topic in a list.
type TopicCard struct {
	Slug, Title, Summary string
	Items, Statements    int64
	Public               bool
	Watch                Watch // office pages only
}

// Watch says whether a topic is being watched: "blind" (every source that fed it is
// failing), "partly" (some are), "quiet" (sources fine, nothing new for a week), "active",
// or "" (no items yet). A blind topic must never look merely quiet.
type Watch struct {
	State string
	Note  string
}

// WatchTag is the tag class for a watch state.
func (w Watch) WatchTag() string {
	switch w.State {
	case "blind":
		return "tag tag-bad"
	case "partly":
		return "tag tag-pin"
	case "quiet":
		return "tag tag-muted"
	}
	return "tag tag-ok"
}

// WatchLabel is the word for a watch state.
func (w Watch) WatchLabel() string {
	switch w.State {
	case "blind":
		return "Blind"
	case "partly":
		return "Partly blind"
	case "quiet":
		return "Quiet"
	case "active":
		return "Active"
	}
	return "No items yet"
}

// HomeView is the public topic index.
type HomeView struct {
	Meta   Meta
	Topics []TopicCard
}

// Entry is one item on a timeline.
type Entry struct {
	ID          int64
	Title       string
	URL         string
	Excerpt     string
	Source      string
	SourceKind  string
	PublishedAt time.Time
	State       string
	Pinned      bool
	Terms       string
	Also        []AlsoSource // the same story from other sources (a cluster)
	// Members are those other copies as entries, for the office to curate each one;
	// StoryPinned is whether one of them is a key event, which the public page shows on
	// the story.
	Members     []Entry
	StoryPinned bool
	Origin      string
	// A search fills these: the title with its matches marked, and the passage of the text
	// that holds the most of them (shown instead of the excerpt).
	TitleParts []Segment
	Snippet    []Segment
	Notes      []Note
	// Statement, when set, makes this entry one of the MP's published statements rather
	// than an item.
	Statement *StatementCard
}

// AlsoSource is another source's copy of a story.
type AlsoSource struct {
	Source string
	URL    string
	Title  string
}

// Day groups a timeline's entries by date.
type Day struct {
	Date    time.Time
	Entries []Entry
}

// StatementCard is a published statement in a list.
type StatementCard struct {
	Sources     int // numbered sources the statement cites
	ID          int64
	Title       string
	Kind        string
	Member      string
	PublishedAt time.Time
	Excerpt     string
}

// LeadStatement is the MP's latest statement on a topic, shown in full on the topic page
// with its numbered citations and their sources.
type LeadStatement struct {
	StatementCard
	Paragraphs []Paragraph
	Citations  []Citation
}

// TopicView is the public topic page.
type TopicView struct {
	Meta  Meta
	Slug  string
	Title string
	// Lead is the latest statement in full; Statements are the earlier ones, as cards.
	Lead       *LeadStatement
	Summary    string
	Statements []StatementCard
	Days       []Day
	NextURL    string // the next page of the timeline, "" at the end
	Filter     TimelineFilter
	Chart      *Chart
	Total      int64
	// ExportCSV and ExportJSON download the timeline with the page's filters.
	ExportCSV, ExportJSON string
}

// TimelineFilter is what the reader chose to see.
type TimelineFilter struct {
	Kind  string
	From  string
	To    string
	Q     string
	State string // office only
	Error string // what is wrong with the filters as given
}

// Any reports whether the reader narrowed the timeline.
func (f TimelineFilter) Any() bool {
	return f.Kind != "" || f.From != "" || f.To != "" || f.Q != "" || f.State != ""
}

// Chart is a small server-drawn chart of items per day by source kind.
type Chart struct {
	Width, Height int
	Bars          []ChartBar
	Legend        []ChartLegend
	Days          []ChartDay // the same numbers, as a table for screen readers
	Max           int
	From, To      time.Time
}

// ChartBar is one rectangle of the chart.
type ChartBar struct {
	X, Y, W, H int
	Class      string
	Title      string
}

// ChartLegend names a colour.
type ChartLegend struct{ Kind, Class string }

// ChartDay is one row of the chart's table.
type ChartDay struct {
	Date   time.Time
	Counts []int // in Legend order
	Total  int
}

// Citation is a numbered source of a statement.
type Citation struct {
	N           int
	Title       string
	URL         string
	Source      string
	PublishedAt time.Time
}

// Paragraph is a statement paragraph with the citation numbers of its sentences.
type Paragraph struct {
	Sentences []CitedSentence
}

// CitedSentence is a sentence and the citations that support it.
type CitedSentence struct {
	Text      string
	Citations []int
}

// StatementView is the public statement page.
type StatementView struct {
	Meta         Meta
	ID           int64
	Title        string
	Kind         string
	Member       string
	Constituency string
	Party        string
	PublishedAt  time.Time
	Version      int
	SourceURL    string
	Paragraphs   []Paragraph
	Citations    []Citation
	Topics       []TopicCard
}

// ErrorView is a 404, 403 or 500 page.
type ErrorView struct {
	Meta    Meta
	Status  int
	Heading string
	Message string
}

// London is the time zone pages show dates in; the office is in the UK.
var London = mustZone("Europe/London")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Date formats a time as "23 Dec 2016".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(London).Format("2 Jan 2006")
}

// DateTime formats the exact time for a hover title: "23 Dec 2016, 14:05 GMT".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(London).Format("2 Jan 2006, 15:04 MST")
}

// ISO formats a time for <time datetime>.
func ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Clock formats the time of day: "14:05".
func Clock(t time.Time) string { return t.In(London).Format("15:04") }

// DateOnly reports whether t carries a date but no time of day: the Parliament APIs date a
// speech or a question by its sitting day, stored as midnight UTC, and "00:00" beside it
// would be a time nobody said.
func DateOnly(t time.Time) bool {
	u := t.UTC()
	return u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0
}

// Ago formats how long ago t was: "3 days ago", "just now".
func Ago(t, now time.Time) string {
	if now.Sub(t) < time.Minute {
		return "just now"
	}
	return Age(t, now) + " ago"
}

// Age formats how long passed from t to now: "3 days", "5 hours", "less than a minute".
func Age(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	default:
		return plural(int(d/(24*time.Hour)), "day")
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// KindLabel is the words for a source kind.
func KindLabel(k string) string {
	switch k {
	case "un":
		return "UN"
	case "ngo":
		return "NGO"
	case "mp":
		return "MP"
	case "":
		return ""
	}
	return strings.ToUpper(k[:1]) + k[1:]
}

// StatementKindLabel is the words for a statement kind.
func StatementKindLabel(k string) string {
	switch k {
	case "constituent_response":
		return "Response to constituents"
	case "press_release":
		return "Press release"
	case "speech":
		return "Speech"
	case "written_question":
		return "Written question"
	case "article":
		return "Article"
	}
	return k
}

func itoa(n int64) string { return fmt.Sprint(n) }

func countLabel(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Flashes are the messages shown after an action, by code (see web.redirectDone).
var Flashes = map[string]string{
	"password":        "Your password has been changed. Other browsers signed in as you have been signed out.",
	"user-added":      "The user has been added.",
	"user-updated":    "The user's access has been changed.",
	"source-added":    "The source has been added. It will be fetched in a moment.",
	"source-fetching": "The source will be fetched in a moment.",
	"source-disabled": "The source will no longer be fetched.",
	"source-enabled":  "The source will be fetched again.",
	"topic-added":     "The topic has been added.",
	"topic-saved":     "The topic's settings have been saved.",
	"rematch-started": "Saved. Stored items are being matched against the rule in the background.",
	"followed":        "You follow this topic: the office home shows what is new on it.",
	"unfollowed":      "You no longer follow this topic.",
	"item-added":      "The item is on the topic's timeline, confirmed.",
	"item-curated":    "The timeline has been updated.",
	"note-added":      "Your note has been added.",
}

// SignInView is the sign-in form.
type SignInView struct {
	Meta  Meta
	Email string
	Next  string
	Error string
}

// FormErrors are a form's errors by field, shown in an error summary at the top of the form
// linked to each field, and beside each field.
type FormErrors struct {
	Fields map[string]string // field name → message
	Order  []string          // fields in the order the form shows them
	Other  string            // an error that belongs to no field
}

// Add records an error for field ("" for the form as a whole).
func (f *FormErrors) Add(field, msg string) {
	if field == "" {
		f.Other = msg
		return
	}
	if f.Fields == nil {
		f.Fields = map[string]string{}
	}
	if _, ok := f.Fields[field]; !ok {
		f.Order = append(f.Order, field)
	}
	f.Fields[field] = msg
}

// Any reports whether there is an error.
func (f *FormErrors) Any() bool { return f != nil && (len(f.Fields) > 0 || f.Other != "") }

// For returns field's error, "" when none.
func (f *FormErrors) For(field string) string {
	if f == nil {
		return ""
	}
	return f.Fields[field]
}

// OfficeHomeView is the office dashboard.
type OfficeHomeView struct {
	Meta           Meta
	Board          []StatusCount  // statements by status, in workflow order
	Stale          []StaleSummary // published statements overtaken by events, most first
	StaleMore      int            // stale statements not listed
	Now            time.Time
	Followed       []FollowedCard // the topics the reader follows, listed first
	Topics         []TopicCard
	FailingSources int
	Sources        int
}

// SourceRow is a source on the sources page.
type SourceRow struct {
	ID                int64
	URL, Title, Kind  string
	Items             int64
	LastFetchedAt     *time.Time
	NextFetchAt       time.Time
	LastStatus        int
	LastError         string
	ConsecutiveErrors int
	Disabled          bool
}

// SourcesView is the office sources page.
type SourcesView struct {
	Meta    Meta
	Sources []SourceRow
	Now     time.Time
	Form    SourceForm
	Errors  *FormErrors
}

// SourceForm is the add-a-source form's values.
type SourceForm struct{ URL, Kind, Title string }

// UserRow is a user on the users page.
type UserRow struct {
	ID                int64
	Name, Email, Role string
	Disabled          bool
	CreatedAt         time.Time
}

// UsersView is the office users page.
type UsersView struct {
	Meta   Meta
	Users  []UserRow
	Form   UserForm
	Errors *FormErrors
	// AccessError says why a change of a user's role or access was refused.
	AccessError string
}

// UserForm is the add-a-user form's values.
type UserForm struct{ Name, Email, Role string }

// AuditRow is one line of the audit view.
type AuditRow struct {
	At          time.Time
	User        string
	Action      string
	Target      string
	Detail      string
	StatementID int64
}

// AuditView is the office audit page.
type AuditView struct {
	Meta Meta
	Rows []AuditRow
	// NextURL is the page of older entries, "" on the last; Older is set on every page but
	// the first.
	NextURL string
	Older   bool
}

// AccountView is the signed-in user's own page.
type AccountView struct {
	Meta   Meta
	Name   string
	Email  string
	Role   string
	Errors *FormErrors
}

// Option is one choice of a select.
type Option struct{ Value, Label string }

// KindOptions are the source kinds as select options.
func KindOptions() []Option {
	var out []Option
	for _, k := range docket.SourceKinds {
		out = append(out, Option{k, KindLabel(k)})
	}
	return out
}

// RoleOptions are the roles as select options.
func RoleOptions() []Option {
	return []Option{{"researcher", "Researcher"}, {"editor", "Editor"}, {"admin", "Admin"}}
}

// Byline names a member as a statement's author: "Sarah Whitfield, MP for Northbridge
// (Independent)".
func Byline(member, constituency, party string) string {
	s := member
	if constituency != "" {
		s += ", MP for " + constituency
	}
	if party != "" {
		s += " (" + party + ")"
	}
	return s
}

// Paragraphs splits a text at blank lines, dropping empty paragraphs.
func Paragraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// StatusCount is a status's column on the office home: how many statements, how many of them
// overdue, and the oldest, whose age says how long things wait.
type StatusCount struct {
	Status  string
	Count   int
	Overdue int
	Oldest  *StatementLink
}

// StatementLink names a statement with the time it entered its status.
type StatementLink struct {
	ID    int64
	Title string
	Since time.Time
}

// StaleSummary is a stale statement on the office home.
type StaleSummary struct {
	ID       int64
	Title    string
	NewItems int
}

// StatusWord is the word for a statement status.
func StatusWord(status string) string { return docket.StatusLabel(status) }
