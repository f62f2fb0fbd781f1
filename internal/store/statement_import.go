package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
)

// Import is a statement taken from a page or a pasted text, ready to store.
type Import struct {
	// Statement gives the title, body, kind, source URL, and the status (draft, the default,
	// or published) with the date it was published (default: now).
	Statement docket.Statement
	// MemberID is the member the importer chose. When nil, the member is found by
	// MemberName (case and accents ignored), and added with Constituency and Party when no
	// member has that name; when MemberName is empty too, the statement has no member.
	MemberID     *int64
	MemberName   string
	Constituency string
	Party        string
	TopicIDs     []int64
	By           *int64
}

// ImportResult says what an import stored.
type ImportResult struct {
	Statement     *docket.Statement
	Member        *docket.Member // nil when the statement has no member
	MemberCreated bool
}

// ImportStatement stores an imported statement, and the member its signature names when
// that member is new, in one transaction.
func (db *DB) ImportStatement(ctx context.Context, in Import) (*ImportResult, error) {
	s := in.Statement
	s.Origin = docket.OriginImported
	if s.Status == "" {
		s.Status = docket.StatusDraft
	}
	if s.Status != docket.StatusDraft && s.Status != docket.StatusPublished {
		return nil, docket.FieldError("status", "an imported statement is a draft or published, not %s", s.Status)
	}
	if err := ValidateStatement(&s); err != nil {
		return nil, err
	}
	res := &ImportResult{}
	err := db.Update(ctx, func(tx *Tx) error {
		if err := tx.checkRefs(ctx, in.MemberID, in.TopicIDs); err != nil {
			return err
		}
		switch {
		case in.MemberID != nil:
			m, err := tx.memberByID(ctx, *in.MemberID)
			if err != nil {
				return err
			}
			res.Member = m
		case strings.TrimSpace(in.MemberName) != "":
			m, err := tx.memberByName(ctx, in.MemberName)
			if err != nil {
				return err
			}
			if m == nil {
				m = &docket.Member{Name: strings.TrimSpace(in.MemberName), Constituency: strings.TrimSpace(in.Constituency), Party: strings.TrimSpace(in.Party)}
				if err := tx.CreateMember(ctx, m); err != nil {
					return err
				}
				res.MemberCreated = true
			}
			res.Member = m
		}
		if res.Member != nil {
			s.MemberID = &res.Member.ID
		}
		note := "imported"
		if s.SourceURL != "" {
			note = "imported from " + s.SourceURL
		}
		return tx.CreateStatement(ctx, &s, in.TopicIDs, in.By, note)
	})
	if err != nil {
		return nil, err
	}
	res.Statement = &s
	return res, nil
}

func (tx *Tx) memberByID(ctx context.Context, id int64) (*docket.Member, error) {
	var m docket.Member
	if err := tx.get(ctx, &m, `SELECT `+memberCols+` FROM members WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "member %d not found", id)
	}
	return &m, nil
}

// memberByName finds a member by name, ignoring case and accents; nil when there is none.
func (tx *Tx) memberByName(ctx context.Context, name string) (*docket.Member, error) {
	var all []docket.Member
	if err := tx.sel(ctx, &all, `SELECT `+memberCols+` FROM members ORDER BY id`); err != nil {
		return nil, err
	}
	want := docket.Fold(name)
	for i := range all {
		if docket.Fold(all[i].Name) == want {
			return &all[i], nil
		}
	}
	return nil, nil
}

// Outcomes of UpsertIngestedStatement.
const (
	IngestCreated   = "created"
	IngestUpdated   = "updated"
	IngestUnchanged = "unchanged"
)

// UpsertIngestedStatement stores, inside the ingest's transaction, a statement read from an MP's
// feed, keyed by s.ExternalID (the feed item's guid, prefixed by the source). A new one is
// stored as published (origin ingested) and filed under topicIDs. One seen before gains the
// topics it did not have; when its title or body changed on the MP's site, the change is a new
// revision and becomes the public text, since the site is the source of record for what the
// MP said. A statement the office has taken in hand (withdrawn, or being revised) keeps its
// text. s.ID, and on creation the other stored fields, are set.
func (tx *Tx) UpsertIngestedStatement(ctx context.Context, s *docket.Statement, topicIDs []int64) (string, error) {
	if s.ExternalID == nil || strings.TrimSpace(*s.ExternalID) == "" {
		return "", fmt.Errorf("an ingested statement needs an external id")
	}
	if s.Kind == "" {
		s.Kind = docket.KindArticle
	}
	if err := ValidateStatement(s); err != nil {
		return "", err
	}
	var cur []docket.Statement
	if err := tx.sel(ctx, &cur, `SELECT `+statementCols+` FROM statements WHERE external_id = ?`, *s.ExternalID); err != nil {
		return "", err
	}
	if len(cur) == 0 {
		s.Status, s.Origin = docket.StatusPublished, docket.OriginIngested
		if err := tx.CreateStatement(ctx, s, topicIDs, nil, "ingested from "+s.SourceURL); err != nil {
			return "", err
		}
		return IngestCreated, nil
	}
	old := cur[0]
	s.ID = old.ID
	have, err := tx.statementTopicIDs(ctx, old.ID)
	if err != nil {
		return "", err
	}
	known := map[int64]bool{}
	for _, t := range have {
		known[t] = true
	}
	for _, t := range topicIDs {
		if known[t] {
			continue
		}
		known[t] = true
		if _, err := tx.exec(ctx, `INSERT INTO statement_topics (statement_id, topic_id) VALUES (?, ?)`, old.ID, t); err != nil {
			return "", fmt.Errorf("link statement to topic %d: %w", t, err)
		}
	}
	if old.Status == docket.StatusPublished {
		// An ingested statement is public as Parliament or the MP's site made it: topics it
		// newly matches are public at once.
		if err := tx.snapshotTopics(ctx, old.ID); err != nil {
			return "", err
		}
	}
	if old.Status != docket.StatusPublished || (old.Title == s.Title && old.Body == s.Body) {
		return IngestUnchanged, nil
	}
	rev := old.Revision + 1
	revID, err := tx.insert(ctx, `INSERT INTO statement_revisions (statement_id, revision, version, title, body, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, NULL, ?)`, old.ID, rev, old.Version, s.Title, s.Body, tx.now)
	if err != nil {
		return "", fmt.Errorf("insert revision: %w", err)
	}
	res, err := tx.exec(ctx, `UPDATE statements SET title = ?, body = ?, revision = ?, published_revision_id = ?, updated_at = ?
		WHERE id = ? AND revision = ? AND status = 'published'`, s.Title, s.Body, rev, revID, tx.now, old.ID, old.Revision)
	if err != nil {
		return "", fmt.Errorf("update statement %d: %w", old.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", errStale()
	}
	return IngestUpdated, nil
}
