package store

import (
	"context"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// A member's record: what the MP has said in public (ingested from Parliament and the MP's own
// site, imported, or drafted and published), read back for consistency with a new draft.

// StatementSource reports whether the items of a feed source are the member's own statements:
// an MP's own site (kind mp), or a feed of kind parliament linked to a member. Ingest stores
// such items as statements, and leaves the items off topic timelines so that nothing shows
// twice; statementSourcesSQL is the same test in SQL.
func StatementSource(s *docket.Source) bool {
	return s.Kind == docket.KindMP || (s.Kind == docket.KindParliament && s.MemberID != nil)
}

// statementSourcesSQL selects the ids of the sources StatementSource holds.
const statementSourcesSQL = `SELECT id FROM sources WHERE kind = 'mp' OR (kind = 'parliament' AND member_id IS NOT NULL)`

// EarlierStatement is one of a member's public statements, as the editor lists it beside a
// draft.
type EarlierStatement struct {
	ID          int64     `db:"id" json:"id"`
	Title       string    `db:"title" json:"title"`
	Kind        string    `db:"kind" json:"kind"`
	Origin      string    `db:"origin" json:"origin"`
	SourceURL   string    `db:"source_url" json:"source_url,omitempty"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
}

// EarlierStatements returns the public statements (their published revision) of a member
// filed under any of topicIDs, newest first, at most limit, leaving out statement exclude
// and, when before is not zero, what was published at or after it.
func (db *DB) EarlierStatements(ctx context.Context, memberID int64, topicIDs []int64, exclude int64, before time.Time, limit int) ([]EarlierStatement, error) {
	if len(topicIDs) == 0 || limit <= 0 {
		return nil, nil
	}
	q := `SELECT s.id, r.title, s.kind, s.origin, s.source_url, s.published_at
		FROM statements s JOIN statement_revisions r ON r.id = s.published_revision_id
		WHERE s.member_id = ? AND s.id <> ? AND s.status <> 'withdrawn' AND s.published_at IS NOT NULL
			AND EXISTS (SELECT 1 FROM statement_topics st WHERE st.statement_id = s.id
				AND st.topic_id IN (?` + strings.Repeat(`, ?`, len(topicIDs)-1) + `))`
	args := []any{memberID, exclude}
	for _, t := range topicIDs {
		args = append(args, t)
	}
	if !before.IsZero() {
		q += ` AND s.published_at < ?`
		args = append(args, docket.StoreTime(before))
	}
	q += ` ORDER BY s.published_at DESC, s.id DESC LIMIT ?`
	var out []EarlierStatement
	err := db.sel(ctx, &out, q, append(args, limit)...)
	return out, err
}

// IngestedLacking returns the external ids of a member's published ingested statements whose
// external id starts with prefix, published at or after since, whose public text does not
// contain text; newest first, at most limit. Ingest uses it to find the written questions it
// stored before they were answered.
func (db *DB) IngestedLacking(ctx context.Context, memberID int64, prefix, text string, since time.Time, limit int) ([]string, error) {
	var out []string
	err := db.sel(ctx, &out, `SELECT s.external_id FROM statements s JOIN statement_revisions r ON r.id = s.published_revision_id
		WHERE s.member_id = ? AND s.origin = 'ingested' AND s.status = 'published' AND s.published_at >= ?
			AND substr(s.external_id, 1, ?) = ? AND `+db.instr(`r.body`, `?`)+` = 0
		ORDER BY s.published_at DESC, s.id DESC LIMIT ?`,
		memberID, docket.StoreTime(since), len(prefix), prefix, text, limit)
	return out, err
}

// instr is the position of needle in haystack, 0 when absent, in the database's dialect.
func (db *DB) instr(haystack, needle string) string {
	if db.Dialect == Postgres {
		return `strpos(` + haystack + `, ` + needle + `)`
	}
	return `instr(` + haystack + `, ` + needle + `)`
}
