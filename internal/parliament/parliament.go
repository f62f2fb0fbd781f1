// Package parliament fetches an MP's own public record from the UK Parliament APIs: spoken and
// written contributions from Hansard, written questions and written statements, early day
// motions, and the Members API's name search used to find an MP's id.
//
// It only reads the APIs and turns their records into Contributions; storing them is the
// caller's job. Every base URL is a Config field so tests (and mirrors) can point the client at
// another server, and every request to one API waits Config.MinInterval after the previous one,
// because these are free public services run by Parliament.
package parliament

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// Config says where the APIs are and how politely to call them. Start from DefaultConfig and
// change what differs; zero numeric fields take the defaults.
type Config struct {
	// API base URLs, without a trailing path.
	HansardBase   string // https://hansard-api.parliament.uk
	QuestionsBase string // https://questions-statements-api.parliament.uk
	MotionsBase   string // https://oralquestionsandmotions-api.parliament.uk
	MembersBase   string // https://members-api.parliament.uk

	// Public web sites that Contribution.URL points at.
	HansardWeb   string // https://hansard.parliament.uk
	QuestionsWeb string // https://questions-statements.parliament.uk
	MotionsWeb   string // https://edm.parliament.uk

	// HTTPClient makes the requests; nil means a client with a 30 s timeout.
	HTTPClient *http.Client
	// PageSize is how many records one request asks for (capped per API: 100, and 20 for
	// the Members API, which refuses more).
	PageSize int
	// MaxPages bounds how many pages are read from one list in one call, so a first fetch of
	// a long-serving MP's record (since is zero) ends.
	MaxPages int
	// MinInterval is the pause between two requests to the same API. Zero means none.
	MinInterval time.Duration
	// MaxBodyBytes caps a response body; a larger one is an error.
	MaxBodyBytes int64
	// UserAgent names Docket to Parliament's operators.
	UserAgent string
	// Now is the clock the polls' end date is read from; nil means time.Now.
	Now func() time.Time
}

// Defaults applied by New to zero fields.
const (
	DefaultPageSize     = 100
	DefaultMaxPages     = 20
	DefaultMinInterval  = 500 * time.Millisecond
	DefaultMaxBodyBytes = 10 << 20
	DefaultUserAgent    = "Docket/1 (+https://github.com/docket-dev/docket)"
	defaultTimeout      = 30 * time.Second
)

// DefaultConfig returns the real public endpoints and polite defaults.
func DefaultConfig() Config {
	return Config{
		HansardBase:   "https://hansard-api.parliament.uk",
		QuestionsBase: "https://questions-statements-api.parliament.uk",
		MotionsBase:   "https://oralquestionsandmotions-api.parliament.uk",
		MembersBase:   "https://members-api.parliament.uk",
		HansardWeb:    "https://hansard.parliament.uk",
		QuestionsWeb:  "https://questions-statements.parliament.uk",
		MotionsWeb:    "https://edm.parliament.uk",
		PageSize:      DefaultPageSize,
		MaxPages:      DefaultMaxPages,
		MinInterval:   DefaultMinInterval,
		MaxBodyBytes:  DefaultMaxBodyBytes,
		UserAgent:     DefaultUserAgent,
	}
}

// Contribution is one thing the member said on the record, in the form Docket stores as an
// ingested statement.
type Contribution struct {
	// ExternalID is stable and unique across the APIs: "hansard:<ContributionExtId>",
	// "wq:<question id>", "ws:<statement id>" or "edm:<motion id>".
	ExternalID string
	// Kind is docket.KindSpeech (Hansard spoken), docket.KindWrittenQuestion, or
	// docket.KindArticle (written statements, Hansard written contributions, early day motions).
	Kind string
	// Title is the debate, the question's heading, or the statement's or motion's title.
	Title string
	// Text is the member's words as plain text: HTML removed, paragraphs separated by a blank line.
	Text string
	// Answer is the government's answer to a written question, plain text, empty until it is
	// answered. It is kept apart from Text because it is not the member's own words.
	Answer string
	// URL is the public page of the record on parliament.uk.
	URL string
	// Date is when it was said (sitting, tabled or made). The APIs give UK wall-clock times
	// without a zone, mostly bare dates; they are kept as written and labelled UTC, so the
	// calendar day never shifts.
	Date       time.Time
	MemberID   int
	MemberName string
	House      string // "Commons" or "Lords" ("Bicameral" for some statements)
}

// Member is one match of a name search in the Members API.
type Member struct {
	ID           int
	Name         string // as Parliament displays it, e.g. "Ms Diane Abbott"
	Party        string
	House        string // "Commons" or "Lords"
	Constituency string // for peers, the kind of peerage
	Current      bool   // still sits in that House
}

// Client calls the Parliament APIs. It is safe for concurrent use; create one per process so
// the pauses between requests and any Retry-After an API asked for are shared.
type Client struct {
	cfg       Config
	hc        *http.Client
	hansard   *endpoint
	questions *endpoint
	motions   *endpoint
	members   *endpoint
	web       struct{ hansard, questions, motions string }
}

// New checks cfg, fills its zero fields with the defaults, and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = DefaultMaxPages
	}
	if cfg.MinInterval < 0 {
		cfg.MinInterval = 0
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	c := &Client{cfg: cfg, hc: cfg.HTTPClient}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: defaultTimeout}
	}
	var errs docket.Errors
	base := func(field, raw string) string {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, docket.FieldError(field, "%s %q must be an absolute http or https URL", field, raw))
			return ""
		}
		return strings.TrimRight(u.String(), "/")
	}
	c.hansard = newEndpoint(base("HansardBase", cfg.HansardBase), cfg.MinInterval)
	c.questions = newEndpoint(base("QuestionsBase", cfg.QuestionsBase), cfg.MinInterval)
	c.motions = newEndpoint(base("MotionsBase", cfg.MotionsBase), cfg.MinInterval)
	c.members = newEndpoint(base("MembersBase", cfg.MembersBase), cfg.MinInterval)
	c.web.hansard = base("HansardWeb", cfg.HansardWeb)
	c.web.questions = base("QuestionsWeb", cfg.QuestionsWeb)
	c.web.motions = base("MotionsWeb", cfg.MotionsWeb)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// london is the zone of Parliament's calendar; UTC where the zone database is missing, which
// at worst moves the end of a poll by the hour between them.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// today is the date at Westminster now, in the form the APIs' dates take: a wall-clock day
// labelled UTC (see Contribution.Date).
func (c *Client) today() time.Time {
	now := time.Now
	if c.cfg.Now != nil {
		now = c.cfg.Now
	}
	y, m, d := now().In(london).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// take is the page size to ask an API for, within the most it accepts.
func (c *Client) take(max int) int { return min(c.cfg.PageSize, max) }
