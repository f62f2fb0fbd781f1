package store

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

const sourceCols = `s.id, s.url, s.title, s.site_url, s.kind, s.member_id, s.etag, s.last_modified, s.cursor,
	s.fetch_interval, s.next_fetch_at, s.last_fetched_at, s.last_changed_at, s.last_status,
	s.consecutive_errors, s.last_error, s.disabled, s.created_at`

// DefaultFetchInterval is how often a new source is fetched until its rhythm is known.
const DefaultFetchInterval = 15 * time.Minute

// ValidateSource checks a source a person typed.
func ValidateSource(s *docket.Source) error {
	var errs docket.Errors
	u, err := url.Parse(s.URL)
	switch {
	case strings.TrimSpace(s.URL) == "":
		errs = append(errs, docket.FieldError("url", "url must not be empty"))
	case s.Kind == docket.KindParliament && u != nil && u.Scheme == "parliament":
		// parliament:member/ID names a member's record, not a feed.
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		errs = append(errs, docket.FieldError("url", "url %q must be an http:// or https:// address", s.URL))
	}
	if !docket.ValidSourceKind(s.Kind) {
		errs = append(errs, docket.FieldError("kind", "kind %q must be one of %s", s.Kind, strings.Join(docket.SourceKinds, ", ")))
	}
	return errs.Err()
}

// CreateSource stores a new source, due for fetching at once.
func (db *DB) CreateSource(ctx context.Context, s *docket.Source) error {
	return db.AddSource(ctx, s, nil)
}

// AddSource is CreateSource for an office action, recorded by audit (when not nil) in the same
// transaction.
func (db *DB) AddSource(ctx context.Context, s *docket.Source, audit *AuditRow) error {
	if err := ValidateSource(s); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		if err := tx.CreateSource(ctx, s); err != nil {
			return err
		}
		return tx.audit(ctx, audit)
	})
}

// CreateSource stores a new source inside tx.
func (tx *Tx) CreateSource(ctx context.Context, s *docket.Source) error {
	if s.FetchInterval == 0 {
		s.FetchInterval = int64(DefaultFetchInterval / time.Second)
	}
	if s.NextFetchAt.IsZero() {
		s.NextFetchAt = tx.now
	}
	s.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO sources (url, title, site_url, kind, member_id, cursor, fetch_interval, next_fetch_at, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.URL, s.Title, s.SiteURL, s.Kind, s.MemberID, s.Cursor, s.FetchInterval, s.NextFetchAt, s.Disabled, s.CreatedAt)
	if isUniqueViolation(err) {
		return &docket.Error{Code: docket.ECONFLICT, Field: "url", Message: "a source with url " + s.URL + " already exists"}
	}
	if err != nil {
		return err
	}
	s.ID = id
	return nil
}

// SourceByID finds a source.
func (db *DB) SourceByID(ctx context.Context, id int64) (*docket.Source, error) {
	var s docket.Source
	err := db.get(ctx, &s, `SELECT `+sourceCols+`, (SELECT count(*) FROM items i WHERE i.source_id = s.id) AS item_count
		FROM sources s WHERE s.id = ?`, id)
	if err != nil {
		return nil, notFound(err, "source %d not found", id)
	}
	return &s, nil
}

// SourceByURL finds a source by its URL.
func (db *DB) SourceByURL(ctx context.Context, u string) (*docket.Source, error) {
	var s docket.Source
	err := db.get(ctx, &s, `SELECT `+sourceCols+`, (SELECT count(*) FROM items i WHERE i.source_id = s.id) AS item_count
		FROM sources s WHERE s.url = ?`, u)
	if err != nil {
		return nil, notFound(err, "source %s not found", u)
	}
	return &s, nil
}

// ListSources returns every source with its item count, failing ones first, then by name.
func (db *DB) ListSources(ctx context.Context) ([]docket.Source, error) {
	var out []docket.Source
	err := db.sel(ctx, &out, `SELECT `+sourceCols+`, COALESCE(c.n, 0) AS item_count
		FROM sources s LEFT JOIN (SELECT source_id, count(*) AS n FROM items GROUP BY source_id) c ON c.source_id = s.id
		ORDER BY s.consecutive_errors > 0 DESC, CASE WHEN s.title = '' THEN s.url ELSE s.title END, s.id`)
	return out, err
}

// DueSources returns the enabled sources whose next fetch is due at or before t, most overdue
// first. all=true returns every enabled source.
func (db *DB) DueSources(ctx context.Context, t time.Time, all bool) ([]docket.Source, error) {
	var out []docket.Source
	q := `SELECT ` + sourceCols + `, 0 AS item_count FROM sources s WHERE NOT s.disabled`
	args := []any{}
	if !all {
		q += ` AND s.next_fetch_at <= ?`
		args = append(args, docket.StoreTime(t))
	}
	err := db.sel(ctx, &out, q+` ORDER BY s.next_fetch_at, s.id`, args...)
	return out, err
}

// FetchOutcome is what one fetch of a source found, to record on the source.
type FetchOutcome struct {
	Status       int    // HTTP status, 0 when no response came
	Err          string // empty on success
	ETag         string
	LastModified string
	Cursor       string // parliament sources: where polling resumes
	Changed      bool   // new or updated items arrived
	Title        string // the feed's own title, kept when the source has none
	SiteURL      string
	Interval     time.Duration
	NextFetchAt  time.Time
	// BodyHash is the hash of the body whose items were stored (Fetched.BodyHash); empty
	// keeps the last one.
	BodyHash string
}

// RecordFetch writes a fetch's outcome on the source inside tx. A failure keeps the validators
// and cursor of the last success, so the next attempt is still conditional.
func (tx *Tx) RecordFetch(ctx context.Context, sourceID int64, o FetchOutcome) error {
	next := docket.StoreTime(o.NextFetchAt)
	if o.Err != "" {
		_, err := tx.exec(ctx, `UPDATE sources SET last_fetched_at = ?, last_status = ?, last_error = ?,
			consecutive_errors = consecutive_errors + 1, next_fetch_at = ? WHERE id = ?`,
			tx.now, o.Status, o.Err, next, sourceID)
		return err
	}
	q := `UPDATE sources SET last_fetched_at = ?, last_status = ?, last_error = '', consecutive_errors = 0,
		etag = ?, last_modified = ?, fetch_interval = ?, next_fetch_at = ?,
		title = CASE WHEN title = '' THEN ? ELSE title END,
		site_url = CASE WHEN site_url = '' THEN ? ELSE site_url END`
	args := []any{tx.now, o.Status, o.ETag, o.LastModified, int64(o.Interval / time.Second), next, o.Title, o.SiteURL}
	if o.Cursor != "" {
		q += `, cursor = ?`
		args = append(args, o.Cursor)
	}
	if o.Changed {
		q += `, last_changed_at = ?`
		args = append(args, tx.now)
	}
	if o.BodyHash != "" {
		q += `, body_hash = ?`
		args = append(args, o.BodyHash)
	}
	_, err := tx.exec(ctx, q+` WHERE id = ?`, append(args, sourceID)...)
	return err
}

// SourceBodyHash returns the hash of the last body whose items were stored for a source, ""
// when none was.
func (db *DB) SourceBodyHash(ctx context.Context, id int64) (string, error) {
	var h []string
	err := db.sel(ctx, &h, `SELECT body_hash FROM sources WHERE id = ?`, id)
	if err != nil || len(h) == 0 {
		return "", err
	}
	return h[0], nil
}

// SetSourceDisabled turns fetching of a source off or on, recorded by audit in the same
// transaction.
func (db *DB) SetSourceDisabled(ctx context.Context, id int64, disabled bool, audit *AuditRow) error {
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE sources SET disabled = ?, next_fetch_at = ? WHERE id = ?`, disabled, tx.now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return docket.Errorf(docket.ENOTFOUND, "source %d not found", id)
		}
		return tx.audit(ctx, audit)
	})
}
