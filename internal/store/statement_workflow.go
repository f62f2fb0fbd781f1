package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

const statementCols = `id, member_id, title, body, kind, status, version, revision, evidence_rev, published_revision_id, published_at,
	source_url, origin, external_id, created_by, status_changed_at, created_at, updated_at`

// errStale is what an editor sees when the statement changed after they loaded it.
func errStale() error {
	return docket.Errorf(docket.ECONFLICT, "someone else saved this statement meanwhile: reload")
}

// StatementByID finds a statement in any status, for the office.
func (db *DB) StatementByID(ctx context.Context, id int64) (*docket.Statement, error) {
	var s docket.Statement
	if err := db.get(ctx, &s, `SELECT `+statementCols+` FROM statements WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "statement %d not found", id)
	}
	return &s, nil
}

func (tx *Tx) statementByID(ctx context.Context, id int64) (*docket.Statement, error) {
	var s docket.Statement
	if err := tx.get(ctx, &s, `SELECT `+statementCols+` FROM statements WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "statement %d not found", id)
	}
	return &s, nil
}

// StatementTopics returns the topics a statement is filed under, by title.
func (db *DB) StatementTopics(ctx context.Context, id int64) ([]docket.Topic, error) {
	var out []docket.Topic
	err := db.sel(ctx, &out, `SELECT t.id, t.slug, t.title, t.summary, t.rule, t.visibility, t.archived, t.created_at, t.updated_at
		FROM topics t JOIN statement_topics st ON st.topic_id = t.id WHERE st.statement_id = ? ORDER BY t.title, t.id`, id)
	return out, err
}

// Editable reports whether a statement's text may be saved in status: drafts, and statements
// in review (a reviewer may fix a typo, and then may no longer approve). An approved statement
// is reopened first; a published or withdrawn one is revised, which starts a new version.
func Editable(status string) bool {
	return status == docket.StatusDraft || status == docket.StatusInReview
}

func notEditable(status string) error {
	switch status {
	case docket.StatusApproved:
		return docket.Errorf(docket.ECONFLICT, "this statement is approved: reopen it before changing it")
	case docket.StatusPublished, docket.StatusWithdrawn:
		return docket.Errorf(docket.ECONFLICT, "this version is %s and never changes: revise it to start a new version", strings.ToLower(docket.StatusLabel(status)))
	}
	return docket.Errorf(docket.ECONFLICT, "a statement that is %s cannot be changed", status)
}

// Draft is what an editor saves: the statement's working copy and BaseRevision, the revision
// the editor started from.
type Draft struct {
	Title        string
	Body         string
	Kind         string
	MemberID     *int64
	TopicIDs     []int64
	BaseRevision int
}

// SaveDraft saves an editor's changes as a new revision of the current version. It fails
// with ECONFLICT when the statement was saved by someone else since BaseRevision (the check
// and the write are one conditional UPDATE, so two editors cannot both win), or when its
// status does not allow changes. A save that changes nothing writes nothing.
func (db *DB) SaveDraft(ctx context.Context, id int64, d Draft, by *docket.User) (*docket.Statement, error) {
	probe := &docket.Statement{Title: d.Title, Kind: d.Kind}
	if err := ValidateStatement(probe); err != nil {
		return nil, err
	}
	if d.BaseRevision <= 0 {
		return nil, docket.FieldError("revision", "the form does not say which revision it was editing: reload the page")
	}
	var out *docket.Statement
	err := db.Update(ctx, func(tx *Tx) error {
		s, err := tx.statementByID(ctx, id)
		if err != nil {
			return err
		}
		if !Editable(s.Status) {
			return notEditable(s.Status)
		}
		if s.Revision != d.BaseRevision {
			return errStale()
		}
		if err := tx.checkRefs(ctx, d.MemberID, d.TopicIDs); err != nil {
			return err
		}
		oldTopics, err := tx.statementTopicIDs(ctx, id)
		if err != nil {
			return err
		}
		if s.Title == d.Title && s.Body == d.Body && s.Kind == d.Kind && sameID(s.MemberID, d.MemberID) && sameSet(oldTopics, d.TopicIDs) {
			out = s
			return nil
		}
		res, err := tx.exec(ctx, `UPDATE statements SET title = ?, body = ?, kind = ?, member_id = ?, revision = revision + 1, updated_at = ?
			WHERE id = ? AND revision = ? AND status IN ('draft', 'in_review')`,
			d.Title, d.Body, d.Kind, d.MemberID, tx.now, id, d.BaseRevision)
		if err != nil {
			return fmt.Errorf("save statement %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStale()
		}
		var byID *int64
		if by != nil {
			byID = &by.ID
		}
		if err := tx.SetStatementTopics(ctx, id, d.TopicIDs); err != nil {
			return err
		}
		if out, err = tx.statementByID(ctx, id); err != nil {
			return err
		}
		if _, err := tx.insertRevision(ctx, out, d.BaseRevision+1, s.Version, byID); err != nil {
			if isUniqueViolation(err) {
				return errStale()
			}
			return err
		}
		return nil
	})
	return out, err
}

// checkRefs turns an unknown member or topic into a form error rather than a foreign-key
// failure.
func (tx *Tx) checkRefs(ctx context.Context, memberID *int64, topicIDs []int64) error {
	if memberID != nil {
		var n int
		if err := tx.get(ctx, &n, `SELECT count(*) FROM members WHERE id = ?`, *memberID); err != nil {
			return err
		}
		if n == 0 {
			return docket.FieldError("member", "member %d does not exist", *memberID)
		}
	}
	for _, t := range topicIDs {
		var n int
		if err := tx.get(ctx, &n, `SELECT count(*) FROM topics WHERE id = ?`, t); err != nil {
			return err
		}
		if n == 0 {
			return docket.FieldError("topics", "topic %d does not exist", t)
		}
	}
	return nil
}

func (tx *Tx) statementTopicIDs(ctx context.Context, id int64) ([]int64, error) {
	var out []int64
	err := tx.sel(ctx, &out, `SELECT topic_id FROM statement_topics WHERE statement_id = ? ORDER BY topic_id`, id)
	return out, err
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func sameSet(a, b []int64) bool {
	in := map[int64]bool{}
	for _, x := range a {
		in[x] = true
	}
	seen := map[int64]bool{}
	for _, x := range b {
		if !in[x] {
			return false
		}
		seen[x] = true
	}
	return len(seen) == len(in)
}

// WroteVersion reports whether a user had a hand in a statement's current version: saved
// a revision of it, decided any of its evidence, revised the statement into it, or wrote the
// words it was revised from. Nobody approves such a version.
func (db *DB) WroteVersion(ctx context.Context, statementID int64, version int, userID int64) (bool, error) {
	var n int
	err := db.get(ctx, &n, wroteVersionQuery, statementID, version, userID, statementID, version, userID)
	return n > 0, err
}

func (tx *Tx) wroteVersion(ctx context.Context, statementID int64, version int, userID int64) (bool, error) {
	var n int
	err := tx.get(ctx, &n, wroteVersionQuery, statementID, version, userID, statementID, version, userID)
	return n > 0, err
}

const wroteVersionQuery = `SELECT (SELECT count(*) FROM statement_revisions WHERE statement_id = ? AND version = ? AND created_by = ?)
	+ (SELECT count(*) FROM statement_authors WHERE statement_id = ? AND version = ? AND user_id = ?)`

// addAuthor records, inside tx, that a user had a hand in a version of a statement.
func (tx *Tx) addAuthor(ctx context.Context, statementID int64, version int, userID *int64) error {
	if userID == nil {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO statement_authors (statement_id, version, user_id) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, statementID, version, *userID)
	if err != nil {
		return fmt.Errorf("record an author of statement %d: %w", statementID, err)
	}
	return nil
}

// Seen is what a user acting on a statement saw of it: the revision of its text and the
// count of decisions on its evidence (docket.Statement's Revision and EvidenceRev).
type Seen struct {
	Revision int
	Evidence int
}

// SeenOf is what a user who loaded s saw.
func SeenOf(s *docket.Statement) Seen { return Seen{Revision: s.Revision, Evidence: s.EvidenceRev} }

// Transition applies a workflow action (docket.Workflow) to a statement for a user, who must
// have the role for it and, to approve, must not have had a hand in the version
// (WroteVersion). Seen is what the user saw: any action on a revision of the text that
// changed meanwhile fails with ECONFLICT, and so does approving or publishing evidence that
// changed meanwhile. The status change and its status_events row are one
// transaction, and the change is a conditional UPDATE on the status and revision read, so a
// concurrent edit and approval cannot both succeed.
//
// Publishing makes the current revision the public one. Revising starts the next version as
// a draft; the published revision stays public until the new version is published.
// Withdrawing takes the statement off the public pages, and a later revision does not bring
// the withdrawn text back.
func (db *DB) Transition(ctx context.Context, id int64, action string, seen Seen, by *docket.User, note string) (*docket.Statement, error) {
	if by == nil {
		return nil, docket.Errorf(docket.EUNAUTH, "sign in first")
	}
	if seen.Revision <= 0 {
		return nil, docket.FieldError("revision", "the form does not say which revision it was acting on: reload the page")
	}
	note = strings.TrimSpace(note)
	if len(note) > 2000 {
		return nil, docket.FieldError("note", "the note must be at most 2000 characters")
	}
	var out *docket.Statement
	err := db.Update(ctx, func(tx *Tx) error {
		s, err := tx.statementByID(ctx, id)
		if err != nil {
			return err
		}
		wrote := false
		if action == docket.ActApprove {
			if wrote, err = tx.wroteVersion(ctx, id, s.Version, by.ID); err != nil {
				return err
			}
		}
		t, err := docket.CheckTransition(by.Role, s.Status, action, s.PublishedRevisionID != nil, wrote)
		if err != nil {
			return err
		}
		if s.Revision != seen.Revision {
			return errStale()
		}
		if (action == docket.ActApprove || action == docket.ActPublish) && s.EvidenceRev != seen.Evidence {
			return docket.Errorf(docket.ECONFLICT, "the statement's evidence was changed after you loaded the page: reload it, then %s what it now cites", action)
		}
		set := `status = ?, status_changed_at = ?, updated_at = ?`
		args := []any{t.To, tx.now, tx.now}
		version := s.Version
		switch action {
		case docket.ActPublish:
			var revID int64
			if err := tx.get(ctx, &revID, `SELECT id FROM statement_revisions WHERE statement_id = ? AND revision = ?`, id, s.Revision); err != nil {
				return fmt.Errorf("revision %d of statement %d: %w", s.Revision, id, err)
			}
			set += `, published_revision_id = ?, published_at = ?`
			args = append(args, revID, tx.now)
		case docket.ActWithdraw:
			set += `, published_revision_id = NULL`
		case docket.ActRevise:
			// The new version starts as a revision of its own, a copy of the text by the one
			// who revised it; the author of the words had a hand in it too.
			version++
			set += `, version = ?, revision = ?`
			args = append(args, version, s.Revision+1)
		}
		args = append(args, id, s.Status, s.Revision)
		res, err := tx.exec(ctx, `UPDATE statements SET `+set+` WHERE id = ? AND status = ? AND revision = ?`, args...)
		if err != nil {
			return fmt.Errorf("%s statement %d: %w", action, id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errStale()
		}
		switch action {
		case docket.ActPublish:
			err = tx.snapshotPublished(ctx, id)
		case docket.ActWithdraw:
			err = tx.unpublish(ctx, id)
		case docket.ActRevise:
			err = tx.startVersion(ctx, s, version, by.ID)
		}
		if err != nil {
			return err
		}
		if err := tx.addStatusEvent(ctx, id, version, s.Status, t.To, &by.ID, note); err != nil {
			return err
		}
		out, err = tx.statementByID(ctx, id)
		return err
	})
	return out, err
}

// startVersion records, inside tx, the first revision of a version a user revised s into: the
// text of s's current revision, saved by them, with the author of that text as an author of
// the version.
func (tx *Tx) startVersion(ctx context.Context, s *docket.Statement, version int, by int64) error {
	var wordsBy *int64
	if err := tx.get(ctx, &wordsBy, `SELECT created_by FROM statement_revisions WHERE statement_id = ? AND revision = ?`, s.ID, s.Revision); err != nil {
		return fmt.Errorf("revision %d of statement %d: %w", s.Revision, s.ID, err)
	}
	if _, err := tx.insertRevision(ctx, s, s.Revision+1, version, &by); err != nil {
		return err
	}
	return tx.addAuthor(ctx, s.ID, version, wordsBy)
}

// RevisionInfo is a revision with its author's name, and the kind, member and topics of the
// working copy it saved, for the history and the diffs.
type RevisionInfo struct {
	docket.Revision
	AuthorName string `db:"author_name" json:"author"`
	Kind       string `db:"kind" json:"kind"`
	MemberID   *int64 `db:"member_id" json:"member_id"`
	MemberName string `db:"member_name" json:"member"`
	TopicList  string `db:"topic_ids" json:"-"`
}

// TopicIDs are the topics the revision's working copy was filed under, in id order.
func (r *RevisionInfo) TopicIDs() []int64 { return splitIDs(r.TopicList) }

// Changed lists what differs between from and r, in the editor's order: "title", "text",
// "kind", "member", "topics".
func (r *RevisionInfo) Changed(from *RevisionInfo) []string {
	var out []string
	if r.Title != from.Title {
		out = append(out, "title")
	}
	if r.Body != from.Body {
		out = append(out, "text")
	}
	if r.Kind != from.Kind {
		out = append(out, "kind")
	}
	if !sameID(r.MemberID, from.MemberID) {
		out = append(out, "member")
	}
	if !sameSet(r.TopicIDs(), from.TopicIDs()) {
		out = append(out, "topics")
	}
	return out
}

const revisionSelect = `SELECT r.id, r.statement_id, r.revision, r.version, r.title, r.body, r.created_by, r.created_at,
	COALESCE(u.name, '') AS author_name, r.kind, r.member_id, COALESCE(m.name, '') AS member_name, r.topic_ids
	FROM statement_revisions r LEFT JOIN users u ON u.id = r.created_by LEFT JOIN members m ON m.id = r.member_id`

// Revisions returns every revision of a statement, oldest first.
func (db *DB) Revisions(ctx context.Context, statementID int64) ([]RevisionInfo, error) {
	var out []RevisionInfo
	err := db.sel(ctx, &out, revisionSelect+` WHERE r.statement_id = ? ORDER BY r.revision`, statementID)
	return out, err
}

// RevisionByNumber returns one revision of a statement.
func (db *DB) RevisionByNumber(ctx context.Context, statementID int64, revision int) (*RevisionInfo, error) {
	var r RevisionInfo
	err := db.get(ctx, &r, revisionSelect+` WHERE r.statement_id = ? AND r.revision = ?`, statementID, revision)
	if err != nil {
		return nil, notFound(err, "statement %d has no revision %d", statementID, revision)
	}
	return &r, nil
}

// StatusHistory returns a statement's status changes, oldest first, with who made them.
func (db *DB) StatusHistory(ctx context.Context, statementID int64) ([]docket.StatusEvent, error) {
	var out []docket.StatusEvent
	err := db.sel(ctx, &out, `SELECT e.id, e.statement_id, e.version, e.from_status, e.to_status, e.user_id,
		COALESCE(u.name, '') AS user_name, e.note, e.created_at
		FROM status_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.statement_id = ? ORDER BY e.id`, statementID)
	return out, err
}

// StatementFilter selects statements for the office's lists.
type StatementFilter struct {
	Status string // one of docket.Statuses; "" for all
	Limit  int    // 0: no limit
}

// StatementRow is a statement in an office list: its facts, its member, and on the board
// (PublishBoard, StatusPage) who has it.
type StatementRow struct {
	ID              int64      `db:"id" json:"id"`
	Title           string     `db:"title" json:"title"`
	Kind            string     `db:"kind" json:"kind"`
	Status          string     `db:"status" json:"status"`
	Version         int        `db:"version" json:"version"`
	Revision        int        `db:"revision" json:"revision"`
	Origin          string     `db:"origin" json:"origin"`
	MemberName      string     `db:"member_name" json:"member"`
	StatusChangedAt time.Time  `db:"status_changed_at" json:"status_changed_at"`
	PublishedAt     *time.Time `db:"published_at" json:"published_at"`
	Public          bool       `db:"public" json:"public"`
	UpdatedAt       time.Time  `db:"updated_at" json:"updated_at"`
	// EnteredBy is the person whose action put the statement in its status (who submitted
	// it, approved, published or withdrew it; who created or revised a draft), at EnteredAt;
	// "" when nobody did (imported from the command line, ingested). WrittenBy is the last
	// person to save its current version.
	EnteredBy string     `db:"-" json:"-"`
	EnteredAt *time.Time `db:"-" json:"-"`
	WrittenBy string     `db:"-" json:"-"`
}

const statementRowSelect = `SELECT s.id, s.title, s.kind, s.status, s.version, s.revision, s.origin,
	COALESCE(m.name, '') AS member_name, s.status_changed_at, s.published_at, s.updated_at,
	CASE WHEN s.published_revision_id IS NOT NULL AND s.status <> 'withdrawn' THEN 1 ELSE 0 END AS public
	FROM statements s LEFT JOIN members m ON m.id = s.member_id`

// ListStatements returns statements, the most recently changed first.
func (db *DB) ListStatements(ctx context.Context, f StatementFilter) ([]StatementRow, error) {
	q := statementRowSelect
	var args []any
	if f.Status != "" {
		if !validStatus(f.Status) {
			return nil, docket.FieldError("status", "status %q must be one of %s", f.Status, strings.Join(docket.Statuses, ", "))
		}
		q += ` WHERE s.status = ?`
		args = append(args, f.Status)
	}
	q += ` ORDER BY s.status_changed_at DESC, s.id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	var out []StatementRow
	if err := db.sel(ctx, &out, q, args...); err != nil {
		return nil, fmt.Errorf("list statements: %w", err)
	}
	return out, nil
}

func validStatus(s string) bool {
	for _, x := range docket.Statuses {
		if x == s {
			return true
		}
	}
	return false
}
