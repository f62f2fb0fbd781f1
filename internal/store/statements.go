package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// MaxStatementBytes bounds a statement's text: long enough for any speech an office drafts
// (about 15,000 words), short enough that evidence for every sentence stays quick to rank.
const MaxStatementBytes = 100_000

// ValidateStatement checks the fields of a statement a person typed.
func ValidateStatement(s *docket.Statement) error {
	var errs docket.Errors
	if strings.TrimSpace(s.Title) == "" {
		errs = append(errs, docket.FieldError("title", "title must not be empty"))
	}
	if len(s.Title) > 300 {
		errs = append(errs, docket.FieldError("title", "title must be at most 300 characters"))
	}
	if len(s.Body) > MaxStatementBytes {
		errs = append(errs, docket.FieldError("body", "the text must be at most %d characters; split a longer one into several statements", MaxStatementBytes))
	}
	ok := false
	for _, k := range docket.StatementKinds {
		ok = ok || k == s.Kind
	}
	if !ok {
		errs = append(errs, docket.FieldError("kind", "kind %q must be one of %s", s.Kind, strings.Join(docket.StatementKinds, ", ")))
	}
	return errs.Err()
}

// CreateStatement stores a new statement with its first revision, its topics and the status
// event that starts its history, all in one transaction. A statement created as published
// (imported or ingested) is public at once.
func (db *DB) CreateStatement(ctx context.Context, s *docket.Statement, topicIDs []int64, by *int64, note string) error {
	if err := ValidateStatement(s); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error { return tx.CreateStatement(ctx, s, topicIDs, by, note) })
}

// CreateStatement is CreateStatement inside tx.
func (tx *Tx) CreateStatement(ctx context.Context, s *docket.Statement, topicIDs []int64, by *int64, note string) error {
	if s.Status == "" {
		s.Status = docket.StatusDraft
	}
	if s.Origin == "" {
		s.Origin = docket.OriginDrafted
	}
	s.Version, s.Revision = 1, 1
	s.CreatedBy = by
	s.CreatedAt, s.UpdatedAt, s.StatusChangedAt = tx.now, tx.now, tx.now
	if s.Status == docket.StatusPublished && s.PublishedAt == nil {
		t := tx.now
		s.PublishedAt = &t
	}
	if s.PublishedAt != nil {
		t := docket.StoreTime(*s.PublishedAt)
		s.PublishedAt = &t
	}
	id, err := tx.insert(ctx, `INSERT INTO statements (member_id, title, body, kind, status, version, revision, published_at,
		source_url, origin, external_id, created_by, status_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.MemberID, s.Title, s.Body, s.Kind, s.Status, s.PublishedAt, s.SourceURL, s.Origin, s.ExternalID, by,
		s.StatusChangedAt, s.CreatedAt, s.UpdatedAt)
	if isUniqueViolation(err) {
		return docket.Errorf(docket.ECONFLICT, "statement %s was already stored", deref(s.ExternalID))
	}
	if err != nil {
		return fmt.Errorf("insert statement: %w", err)
	}
	s.ID = id
	if err := tx.SetStatementTopics(ctx, s.ID, topicIDs); err != nil {
		return err
	}
	revID, err := tx.insertRevision(ctx, s, 1, s.Version, by)
	if err != nil {
		return err
	}
	if s.Status == docket.StatusPublished {
		s.PublishedRevisionID = &revID
		if _, err := tx.exec(ctx, `UPDATE statements SET published_revision_id = ? WHERE id = ?`, revID, s.ID); err != nil {
			return err
		}
	}
	if s.Status == docket.StatusPublished {
		if err := tx.snapshotPublished(ctx, s.ID); err != nil {
			return err
		}
	}
	return tx.addStatusEvent(ctx, s.ID, 1, "", s.Status, by, note)
}

// SetStatementTopics replaces a statement's topics inside tx.
func (tx *Tx) SetStatementTopics(ctx context.Context, statementID int64, topicIDs []int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM statement_topics WHERE statement_id = ?`, statementID); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, t := range topicIDs {
		if seen[t] {
			continue
		}
		seen[t] = true
		if _, err := tx.exec(ctx, `INSERT INTO statement_topics (statement_id, topic_id) VALUES (?, ?)`, statementID, t); err != nil {
			return fmt.Errorf("link statement to topic %d: %w", t, err)
		}
	}
	return nil
}

// insertRevision records, inside tx, revision rev of version of a statement: s's title,
// body, kind and member, and the topics the statement is filed under now (set them first).
func (tx *Tx) insertRevision(ctx context.Context, s *docket.Statement, rev, version int, by *int64) (int64, error) {
	topics, err := tx.statementTopicIDs(ctx, s.ID)
	if err != nil {
		return 0, err
	}
	id, err := tx.insert(ctx, `INSERT INTO statement_revisions (statement_id, revision, version, title, body, kind, member_id, topic_ids, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, rev, version, s.Title, s.Body, s.Kind, s.MemberID, joinIDs(topics), by, tx.now)
	if err != nil {
		return 0, fmt.Errorf("insert revision: %w", err)
	}
	return id, nil
}

// joinIDs writes ids as "3,7", the form revisions keep their topics in.
func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// splitIDs reads what joinIDs wrote.
func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func (tx *Tx) addStatusEvent(ctx context.Context, statementID int64, version int, from, to string, by *int64, note string) error {
	_, err := tx.exec(ctx, `INSERT INTO status_events (statement_id, version, from_status, to_status, user_id, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, statementID, version, from, to, by, note, tx.now)
	return err
}

// PublicStatement is the version of a statement the public sees: its published revision.
type PublicStatement struct {
	ID           int64     `db:"id" json:"id"`
	Title        string    `db:"title" json:"title"`
	Body         string    `db:"body" json:"body"`
	Kind         string    `db:"kind" json:"kind"`
	Version      int       `db:"version" json:"version"`
	PublishedAt  time.Time `db:"published_at" json:"published_at"`
	SourceURL    string    `db:"source_url" json:"source_url,omitempty"`
	Origin       string    `db:"origin" json:"origin"`
	MemberID     *int64    `db:"member_id" json:"-"`
	MemberName   string    `db:"member_name" json:"member"`
	Constituency string    `db:"constituency" json:"constituency"`
	Party        string    `db:"party" json:"party"`
}

// publicStatementSelect reads the published snapshot of a statement: the published revision's
// text, and the kind and member it had when published (a new version's draft may differ).
const publicStatementSelect = `SELECT s.id, r.title, r.body, s.published_kind AS kind, r.version, s.published_at, s.source_url, s.origin,
	s.published_member_id AS member_id, COALESCE(m.name, '') AS member_name, COALESCE(m.constituency, '') AS constituency, COALESCE(m.party, '') AS party
	FROM statements s JOIN statement_revisions r ON r.id = s.published_revision_id
	LEFT JOIN members m ON m.id = s.published_member_id`

// PublicStatementByID returns a published statement; a draft, a withdrawn statement or an
// unknown id are all simply not found.
func (db *DB) PublicStatementByID(ctx context.Context, id int64) (*PublicStatement, error) {
	var s PublicStatement
	err := db.get(ctx, &s, publicStatementSelect+` WHERE s.id = ? AND s.status <> 'withdrawn'`, id)
	if err != nil {
		return nil, notFound(err, "statement %d not found", id)
	}
	return &s, nil
}

// PublicStatementsForTopic returns a topic's published statements, newest first.
func (db *DB) PublicStatementsForTopic(ctx context.Context, topicID int64, limit int) ([]PublicStatement, error) {
	if limit <= 0 {
		limit = 20
	}
	var out []PublicStatement
	err := db.sel(ctx, &out, publicStatementSelect+` JOIN published_statement_topics st ON st.statement_id = s.id
		WHERE st.topic_id = ? AND s.status <> 'withdrawn' ORDER BY s.published_at DESC, s.id DESC LIMIT ?`, topicID, limit)
	return out, err
}

// PublicTopicsOfStatement returns the public topics a statement is filed under.
func (db *DB) PublicTopicsOfStatement(ctx context.Context, statementID int64) ([]docket.Topic, error) {
	var out []docket.Topic
	err := db.sel(ctx, &out, `SELECT t.id, t.slug, t.title, t.summary, t.rule, t.visibility, t.archived, t.created_at, t.updated_at
		FROM topics t JOIN published_statement_topics st ON st.topic_id = t.id
		WHERE st.statement_id = ? AND t.visibility = 'public' AND NOT t.archived ORDER BY t.title`, statementID)
	return out, err
}

// snapshotPublished records, inside tx, what the public sees of a statement being published:
// its kind, member, topics and confirmed evidence as they are now. Drafts of later versions,
// and the decisions an editor takes on their evidence, change the working copy only.
func (tx *Tx) snapshotPublished(ctx context.Context, statementID int64) error {
	if _, err := tx.exec(ctx, `UPDATE statements SET published_kind = kind, published_member_id = member_id WHERE id = ?`, statementID); err != nil {
		return err
	}
	if err := tx.snapshotTopics(ctx, statementID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM published_evidence WHERE statement_id = ?`, statementID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO published_evidence (statement_id, sentence_hash, item_id)
		SELECT statement_id, sentence_hash, item_id FROM evidence WHERE statement_id = ? AND state = 'confirmed'`, statementID)
	return err
}

// snapshotTopics makes a statement's topics, inside tx, the ones the public lists it under.
func (tx *Tx) snapshotTopics(ctx context.Context, statementID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM published_statement_topics WHERE statement_id = ?`, statementID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO published_statement_topics (statement_id, topic_id)
		SELECT statement_id, topic_id FROM statement_topics WHERE statement_id = ?`, statementID)
	return err
}

// unpublish forgets, inside tx, what the public saw of a withdrawn statement.
func (tx *Tx) unpublish(ctx context.Context, statementID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM published_statement_topics WHERE statement_id = ?`, statementID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM published_evidence WHERE statement_id = ?`, statementID)
	return err
}
