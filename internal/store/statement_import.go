package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// Import is a statement taken from a page or a pasted text, ready to store.
type Import struct {
	// Statement gives the title, body, kind, source URL, and the status (draft, the default,
	// or published) with the date it was published (default: now).
	Statement docket.Statement
	// MemberID is the member the importer chose. When nil, the member is the one the
	// signature names (MemberName and Constituency, matched as MatchMember says), whose
	// empty constituency and party the signature fills in; or, when no member matches, a new
	// one; when MemberName is empty too, the statement has no member.
	MemberID     *int64
	MemberName   string
	Constituency string
	Party        string
	TopicIDs     []int64
	// Stripped are the lines the import removed from the page or text, kept with the
	// statement so an editor can check them later (ImportStripped).
	Stripped []string
	By       *int64
	// Audit, when set, is recorded in the import's transaction, its Target made the
	// statement stored.
	Audit *AuditRow
}

// ImportResult says what an import stored, or what it would store (PreviewImport).
type ImportResult struct {
	Statement     *docket.Statement
	Member        *docket.Member // nil when the statement has no member
	MemberCreated bool
	// MemberFilled is set when the signature filled in the member's empty constituency or
	// party.
	MemberFilled bool
}

// ImportStatement stores an imported statement, and the member its signature names when
// that member is new, in one transaction.
func (db *DB) ImportStatement(ctx context.Context, in Import) (*ImportResult, error) {
	return db.importStatement(ctx, in, false)
}

// PreviewImport says what ImportStatement would store, member and all, and stores nothing.
func (db *DB) PreviewImport(ctx context.Context, in Import) (*ImportResult, error) {
	return db.importStatement(ctx, in, true)
}

func (db *DB) importStatement(ctx context.Context, in Import, dryRun bool) (*ImportResult, error) {
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
	if s.PublishedAt != nil && docket.PublishedInFuture(*s.PublishedAt, db.now()) {
		return nil, docket.FieldError("published_at", "the date of publication, %s, is in the future: a statement imported as published has been published already",
			s.PublishedAt.UTC().Format(time.RFC3339))
	}
	res := &ImportResult{}
	err := db.Update(ctx, func(tx *Tx) error {
		if err := tx.checkRefs(ctx, in.MemberID, in.TopicIDs); err != nil {
			return err
		}
		if err := tx.importMember(ctx, in, res, dryRun); err != nil {
			return err
		}
		if res.Member != nil {
			s.MemberID = &res.Member.ID
		}
		if dryRun {
			return nil
		}
		note := "imported"
		if s.SourceURL != "" {
			note = "imported from " + s.SourceURL
		}
		if err := tx.CreateStatement(ctx, &s, in.TopicIDs, in.By, note); err != nil {
			return err
		}
		if in.Audit != nil {
			row := *in.Audit
			row.Target = fmt.Sprintf("statement:%d", s.ID)
			if err := tx.audit(ctx, &row); err != nil {
				return err
			}
		}
		if len(in.Stripped) == 0 {
			return nil
		}
		_, err := tx.exec(ctx, `UPDATE statements SET import_stripped = ? WHERE id = ?`, strings.Join(in.Stripped, "\n"), s.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	res.Statement = &s
	return res, nil
}

// importMember finds, inside tx, the member of an import: the one chosen, or the one the
// signature names, filled in from it, or a new one. With dryRun it writes nothing and says
// what it would do; a member to be created has no id.
func (tx *Tx) importMember(ctx context.Context, in Import, res *ImportResult, dryRun bool) error {
	if in.MemberID != nil {
		m, err := tx.memberByID(ctx, *in.MemberID)
		res.Member = m
		return err
	}
	name := strings.TrimSpace(in.MemberName)
	if name == "" {
		return nil
	}
	constituency, party := strings.TrimSpace(in.Constituency), strings.TrimSpace(in.Party)
	var all []docket.Member
	if err := tx.sel(ctx, &all, `SELECT `+memberCols+` FROM members ORDER BY id`); err != nil {
		return err
	}
	m := MatchMember(all, name, constituency)
	if m == nil {
		res.Member, res.MemberCreated = &docket.Member{Name: name, Constituency: constituency, Party: party}, true
		if dryRun {
			return nil
		}
		return tx.CreateMember(ctx, res.Member)
	}
	res.Member = m
	if (m.Constituency == "" && constituency != "") || (m.Party == "" && party != "") {
		res.MemberFilled = true
		if m.Constituency == "" {
			m.Constituency = constituency
		}
		if m.Party == "" {
			m.Party = party
		}
		if dryRun {
			return nil
		}
		if _, err := tx.exec(ctx, `UPDATE members SET constituency = ?, party = ? WHERE id = ?`, m.Constituency, m.Party, m.ID); err != nil {
			return fmt.Errorf("fill in member %d: %w", m.ID, err)
		}
	}
	return nil
}

// ImportStripped returns the lines the import of a statement removed, in document order;
// none for a statement that was not imported or lost nothing.
func (db *DB) ImportStripped(ctx context.Context, statementID int64) ([]string, error) {
	var text string
	if err := db.get(ctx, &text, `SELECT import_stripped FROM statements WHERE id = ?`, statementID); err != nil {
		return nil, notFound(err, "statement %d not found", statementID)
	}
	if text == "" {
		return nil, nil
	}
	return strings.Split(text, "\n"), nil
}

func (tx *Tx) memberByID(ctx context.Context, id int64) (*docket.Member, error) {
	var m docket.Member
	if err := tx.get(ctx, &m, `SELECT `+memberCols+` FROM members WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "member %d not found", id)
	}
	return &m, nil
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
// MP said, and a status event (published to published) records it in the statement's
// history. A statement the office has taken in hand (withdrawn, or being revised) keeps its
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
	next := old
	next.Title, next.Body = s.Title, s.Body
	revID, err := tx.insertRevision(ctx, &next, rev, old.Version, nil)
	if err != nil {
		return "", err
	}
	res, err := tx.exec(ctx, `UPDATE statements SET title = ?, body = ?, revision = ?, published_revision_id = ?, updated_at = ?
		WHERE id = ? AND revision = ? AND status = 'published'`, s.Title, s.Body, rev, revID, tx.now, old.ID, old.Revision)
	if err != nil {
		return "", fmt.Errorf("update statement %d: %w", old.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", errStale()
	}
	// Not a change of status, but a change of what the public reads: the history and the
	// audit trail show it as an event that leaves the status as it was.
	note := fmt.Sprintf("updated at the source: revision %d is the public text now", rev)
	if src := firstNonEmpty(s.SourceURL, old.SourceURL); src != "" {
		note = fmt.Sprintf("updated at the source (%s): revision %d is the public text now", src, rev)
	}
	if err := tx.addStatusEvent(ctx, old.ID, old.Version, docket.StatusPublished, docket.StatusPublished, nil, note); err != nil {
		return "", err
	}
	return IngestUpdated, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
