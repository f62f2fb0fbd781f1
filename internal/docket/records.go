package docket

import (
	"regexp"
	"strings"
	"time"
)

// Visibility of a topic: the public sees public topics only.
const (
	Public  = "public"
	Private = "private"
)

// Source kinds.
const (
	KindNews       = "news"
	KindUN         = "un"
	KindParliament = "parliament"
	KindMP         = "mp"
	KindNGO        = "ngo"
	KindOther      = "other"
)

// SourceKinds lists the kinds in the order pages offer them.
var SourceKinds = []string{KindNews, KindUN, KindParliament, KindMP, KindNGO, KindOther}

// ValidSourceKind reports whether k is one of SourceKinds.
func ValidSourceKind(k string) bool { return contains(SourceKinds, k) }

// Topic is a subject followed across sources, such as "Syria".
type Topic struct {
	ID         int64     `db:"id" json:"id"`
	Slug       string    `db:"slug" json:"slug"`
	Title      string    `db:"title" json:"title"`
	Summary    string    `db:"summary" json:"summary"`
	Rule       string    `db:"rule" json:"rule"`
	Visibility string    `db:"visibility" json:"visibility"`
	Archived   bool      `db:"archived" json:"archived"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time `db:"updated_at" json:"updated_at"`
	// Revision counts saves of the settings; a save names the revision it was made over, so
	// one made from a form loaded before another save is refused rather than undoing it.
	Revision int64 `db:"revision" json:"-"`
}

// IsPublic reports whether the public may see the topic.
func (t *Topic) IsPublic() bool { return t.Visibility == Public && !t.Archived }

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Validate checks the fields a person types.
func (t *Topic) Validate() error {
	var errs Errors
	if !slugRE.MatchString(t.Slug) || len(t.Slug) > 80 {
		errs = append(errs, FieldError("slug", "slug %q must be lowercase letters, digits and single hyphens, at most 80 characters (e.g. aleppo-evacuation)", t.Slug))
	}
	if strings.TrimSpace(t.Title) == "" {
		errs = append(errs, FieldError("title", "title must not be empty"))
	}
	if t.Visibility != Public && t.Visibility != Private {
		errs = append(errs, FieldError("visibility", "visibility %q must be public or private", t.Visibility))
	}
	return errs.Err()
}

// Slugify turns a title into a slug: "Aleppo evacuation" → "aleppo-evacuation".
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(FoldAccents(s)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// Source is a feed or API that Docket fetches.
type Source struct {
	ID                int64      `db:"id" json:"id"`
	URL               string     `db:"url" json:"url"`
	Title             string     `db:"title" json:"title"`
	SiteURL           string     `db:"site_url" json:"site_url"`
	Kind              string     `db:"kind" json:"kind"`
	MemberID          *int64     `db:"member_id" json:"member_id,omitempty"`
	ETag              string     `db:"etag" json:"-"`
	LastModified      string     `db:"last_modified" json:"-"`
	Cursor            string     `db:"cursor" json:"-"`
	FetchInterval     int64      `db:"fetch_interval" json:"fetch_interval_seconds"`
	NextFetchAt       time.Time  `db:"next_fetch_at" json:"next_fetch_at"`
	LastFetchedAt     *time.Time `db:"last_fetched_at" json:"last_fetched_at"`
	LastChangedAt     *time.Time `db:"last_changed_at" json:"last_changed_at,omitempty"`
	LastStatus        int        `db:"last_status" json:"last_status"`
	ConsecutiveErrors int        `db:"consecutive_errors" json:"consecutive_errors"`
	LastError         string     `db:"last_error" json:"last_error"`
	Disabled          bool       `db:"disabled" json:"disabled"`
	CreatedAt         time.Time  `db:"created_at" json:"created_at"`
	ItemCount         int64      `db:"item_count" json:"item_count"`
}

// Failing reports whether the last fetch of the source failed.
func (s *Source) Failing() bool { return s.ConsecutiveErrors > 0 }

// Name is the title when known, else the URL.
func (s *Source) Name() string {
	if s.Title != "" {
		return s.Title
	}
	return s.URL
}

// Item is one entry of a feed, normalized: Summary and Content are sanitized HTML, Text is
// plain text for matching and search.
type Item struct {
	ID          int64     `db:"id" json:"id"`
	SourceID    int64     `db:"source_id" json:"source_id"`
	GUID        string    `db:"guid" json:"guid"`
	URL         string    `db:"url" json:"url"`
	Title       string    `db:"title" json:"title"`
	Summary     string    `db:"summary" json:"summary"`
	Excerpt     string    `db:"excerpt" json:"excerpt"`
	Content     string    `db:"content" json:"content,omitempty"`
	Text        string    `db:"text" json:"-"`
	Author      string    `db:"author" json:"author"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
	FetchedAt   time.Time `db:"fetched_at" json:"fetched_at"`
	ContentHash string    `db:"content_hash" json:"-"`
	ClusterID   *int64    `db:"cluster_id" json:"cluster_id,omitempty"`
	// DateUnknown says the feed gave no date, so PublishedAt is when Docket first saw the
	// item; a later fetch keeps the stored date rather than moving it.
	DateUnknown bool `db:"-" json:"-"`
}

// Item-topic origins and states.
const (
	OriginRule   = "rule"
	OriginManual = "manual"

	StateSuggested = "suggested"
	StateConfirmed = "confirmed"
	StateRejected  = "rejected"
)

// ItemTopic links an item to a topic.
type ItemTopic struct {
	ItemID      int64     `db:"item_id" json:"item_id"`
	TopicID     int64     `db:"topic_id" json:"topic_id"`
	Origin      string    `db:"origin" json:"origin"`
	State       string    `db:"state" json:"state"`
	Terms       string    `db:"terms" json:"terms"`
	Pinned      bool      `db:"pinned" json:"pinned"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
	UpdatedAt   time.Time `db:"updated_at" json:"updated_at"`
}

// Member is an MP whose statements Docket tracks.
type Member struct {
	ID           int64     `db:"id" json:"id"`
	Name         string    `db:"name" json:"name"`
	Constituency string    `db:"constituency" json:"constituency"`
	Party        string    `db:"party" json:"party"`
	ExternalID   *string   `db:"external_id" json:"external_id,omitempty"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
}

// Statement kinds.
const (
	KindConstituentResponse = "constituent_response"
	KindPressRelease        = "press_release"
	KindSpeech              = "speech"
	KindWrittenQuestion     = "written_question"
	KindArticle             = "article"
)

// StatementKinds lists the kinds in the order forms offer them.
var StatementKinds = []string{KindConstituentResponse, KindPressRelease, KindSpeech, KindWrittenQuestion, KindArticle}

// Statement origins.
const (
	OriginDrafted  = "drafted"
	OriginImported = "imported"
	OriginIngested = "ingested"
)

// Statement is something the MP says in public. Title and Body are the working copy of the
// current version; PublishedRevisionID points at the revision the public sees, which stays
// public while a new version goes through review.
type Statement struct {
	ID       int64  `db:"id" json:"id"`
	MemberID *int64 `db:"member_id" json:"member_id"`
	Title    string `db:"title" json:"title"`
	Body     string `db:"body" json:"body"`
	Kind     string `db:"kind" json:"kind"`
	Status   string `db:"status" json:"status"`
	Version  int    `db:"version" json:"version"`
	Revision int    `db:"revision" json:"revision"`
	// EvidenceRev counts the decisions on the statement's evidence: approving carries the
	// count the user saw, as it carries the revision.
	EvidenceRev         int        `db:"evidence_rev" json:"-"`
	PublishedRevisionID *int64     `db:"published_revision_id" json:"-"`
	PublishedAt         *time.Time `db:"published_at" json:"published_at"`
	SourceURL           string     `db:"source_url" json:"source_url"`
	Origin              string     `db:"origin" json:"origin"`
	ExternalID          *string    `db:"external_id" json:"-"`
	CreatedBy           *int64     `db:"created_by" json:"-"`
	StatusChangedAt     time.Time  `db:"status_changed_at" json:"status_changed_at"`
	CreatedAt           time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt           time.Time  `db:"updated_at" json:"updated_at"`
}

// Revision is one saved copy of a statement's text.
type Revision struct {
	ID          int64     `db:"id" json:"id"`
	StatementID int64     `db:"statement_id" json:"statement_id"`
	Revision    int       `db:"revision" json:"revision"`
	Version     int       `db:"version" json:"version"`
	Title       string    `db:"title" json:"title"`
	Body        string    `db:"body" json:"body"`
	CreatedBy   *int64    `db:"created_by" json:"created_by"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

// StatusEvent is one change of a statement's status.
type StatusEvent struct {
	ID          int64     `db:"id" json:"id"`
	StatementID int64     `db:"statement_id" json:"statement_id"`
	Version     int       `db:"version" json:"version"`
	FromStatus  string    `db:"from_status" json:"from"`
	ToStatus    string    `db:"to_status" json:"to"`
	UserID      *int64    `db:"user_id" json:"user_id"`
	UserName    string    `db:"user_name" json:"user"`
	Note        string    `db:"note" json:"note"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

// Evidence states and origins.
const (
	EvidenceSuggested = "suggested"
	EvidenceManual    = "manual"
)

// Evidence links one sentence of a statement to an item that supports it.
type Evidence struct {
	ID           int64     `db:"id" json:"id"`
	StatementID  int64     `db:"statement_id" json:"statement_id"`
	SentenceHash string    `db:"sentence_hash" json:"-"`
	SentenceText string    `db:"sentence_text" json:"sentence"`
	ItemID       int64     `db:"item_id" json:"item_id"`
	Origin       string    `db:"origin" json:"origin"`
	State        string    `db:"state" json:"state"`
	Score        float64   `db:"score" json:"score"`
	Terms        string    `db:"terms" json:"terms"`
	CreatedBy    *int64    `db:"created_by" json:"-"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
}

// User roles.
const (
	RoleAdmin      = "admin"
	RoleEditor     = "editor"
	RoleResearcher = "researcher"
)

// Roles lists the roles, most powerful first.
var Roles = []string{RoleAdmin, RoleEditor, RoleResearcher}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool { return contains(Roles, r) }

// User is someone who signs in to the office.
type User struct {
	ID           int64     `db:"id" json:"id"`
	Email        string    `db:"email" json:"email"`
	Name         string    `db:"name" json:"name"`
	Role         string    `db:"role" json:"role"`
	PasswordHash string    `db:"password_hash" json:"-"`
	Disabled     bool      `db:"disabled" json:"disabled"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Now is the clock in the form Docket stores: UTC, to the microsecond (PostgreSQL's
// precision), so a value read back equals the value written on both databases.
func Now() time.Time { return StoreTime(time.Now()) }

// StoreTime converts t to the form Docket stores.
func StoreTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
