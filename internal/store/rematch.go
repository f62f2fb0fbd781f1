package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// Re-matching a topic: when its rule changes (or it comes out of the archive), every stored
// item is matched against it again, in the background, in batches of items by id. The topic
// row records the re-match's generation, its place and its progress; the jobs package does the
// matching and calls the helpers here inside each batch's transaction.

// RematchStatus says where a topic's re-match stands.
type RematchStatus struct {
	Gen        int64      `db:"rematch_gen" json:"gen"`
	Cursor     int64      `db:"rematch_cursor" json:"-"`
	Done       int64      `db:"rematch_done" json:"done"`
	Total      int64      `db:"rematch_total" json:"total"`
	Added      int64      `db:"rematch_added" json:"added"`
	Removed    int64      `db:"rematch_removed" json:"removed"`
	StartedAt  *time.Time `db:"rematch_started_at" json:"started_at,omitempty"`
	FinishedAt *time.Time `db:"rematch_finished_at" json:"finished_at,omitempty"`
}

// Running reports whether a re-match has started and not finished.
func (s RematchStatus) Running() bool { return s.StartedAt != nil && s.FinishedAt == nil }

const rematchCols = `rematch_gen, rematch_cursor, rematch_done, rematch_total, rematch_added, rematch_removed,
	rematch_started_at, rematch_finished_at`

// RematchStatus reads a topic's re-match progress.
func (db *DB) RematchStatus(ctx context.Context, topicID int64) (RematchStatus, error) {
	var st RematchStatus
	err := db.get(ctx, &st, `SELECT `+rematchCols+` FROM topics WHERE id = ?`, topicID)
	return st, notFound(err, "topic %d not found", topicID)
}

// EnqueueRematch inserts the re-match job for a topic's new generation inside tx, the
// transaction that changed the topic, so the change and its job commit together.
type EnqueueRematch func(tx *Tx, topicID, gen int64) error

// AddTopic creates a topic like CreateTopic and, when items are already stored, starts their
// re-match against its rule in the same transaction (enqueue inserts the job). It reports
// whether a re-match started; with a nil enqueue none does. audit records the action in the
// same transaction.
func (db *DB) AddTopic(ctx context.Context, t *docket.Topic, enqueue EnqueueRematch, audit *AuditRow) (bool, error) {
	if err := t.Validate(); err != nil {
		return false, err
	}
	started := false
	err := db.Update(ctx, func(tx *Tx) error {
		started = false
		if err := tx.CreateTopic(ctx, t); err != nil {
			return err
		}
		if err := tx.audit(ctx, audit); err != nil {
			return err
		}
		if enqueue == nil || strings.TrimSpace(t.Rule) == "" || t.Archived {
			return nil
		}
		n, err := tx.countItems(ctx)
		if err != nil || n == 0 {
			return err
		}
		gen, err := tx.startRematch(ctx, t.ID, n)
		if err != nil {
			return err
		}
		started = true
		return enqueue(tx, t.ID, gen)
	})
	return started, err
}

// errTopicStale refuses a save made over a revision of a topic's settings that is no longer
// the topic's.
var errTopicStale = docket.Errorf(docket.ECONFLICT, "someone else saved this topic's settings meanwhile: reload to see them")

// SaveTopic saves a topic's title, summary, rule, visibility and archived flag over
// t.Revision, the revision they were read at, and raises t.Revision; when someone saved the
// topic since, it changes nothing and fails with ECONFLICT. When stored items must be matched
// again (the rule changed, or the topic came out of the archive, since archived topics match
// nothing at ingest), it starts the re-match in the same transaction. It reports whether a
// re-match started; with a nil enqueue none does. audit records the save in the same
// transaction.
func (db *DB) SaveTopic(ctx context.Context, t *docket.Topic, enqueue EnqueueRematch, audit *AuditRow) (bool, error) {
	if err := t.Validate(); err != nil {
		return false, err
	}
	started := false
	err := db.Update(ctx, func(tx *Tx) error {
		started = false
		var old docket.Topic
		lock := ``
		if tx.dialect == Postgres {
			lock = ` FOR UPDATE`
		}
		if err := tx.get(ctx, &old, `SELECT `+topicCols+` FROM topics WHERE id = ?`+lock, t.ID); err != nil {
			return notFound(err, "topic %d not found", t.ID)
		}
		res, err := tx.exec(ctx, `UPDATE topics SET title = ?, summary = ?, rule = ?, visibility = ?, archived = ?, updated_at = ?,
			revision = revision + 1 WHERE id = ? AND revision = ?`,
			t.Title, t.Summary, t.Rule, t.Visibility, t.Archived, tx.now, t.ID, t.Revision)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errTopicStale
		}
		t.UpdatedAt = tx.now
		t.Slug, t.CreatedAt = old.Slug, old.CreatedAt
		if err := tx.audit(ctx, audit); err != nil {
			return err
		}
		ruleChanged := strings.TrimSpace(old.Rule) != strings.TrimSpace(t.Rule)
		unarchived := old.Archived && !t.Archived
		if enqueue == nil || t.Archived || !(ruleChanged || unarchived) {
			return nil
		}
		n, err := tx.countItems(ctx)
		if err != nil {
			return err
		}
		gen, err := tx.startRematch(ctx, t.ID, n)
		if err != nil {
			return err
		}
		started = true
		return enqueue(tx, t.ID, gen)
	})
	if err == nil {
		t.Revision++
	}
	return started, err
}

func (tx *Tx) countItems(ctx context.Context) (int64, error) {
	var n int64
	err := tx.get(ctx, &n, `SELECT count(*) FROM items WHERE source_id NOT IN (`+statementSourcesSQL+`)`)
	return n, err
}

// startRematch opens a new re-match generation for a topic: a job of an older generation
// stops at its next batch.
func (tx *Tx) startRematch(ctx context.Context, topicID, total int64) (int64, error) {
	_, err := tx.exec(ctx, `UPDATE topics SET rematch_gen = rematch_gen + 1, rematch_cursor = 0, rematch_done = 0,
		rematch_total = ?, rematch_added = 0, rematch_removed = 0, rematch_started_at = ?, rematch_finished_at = NULL
		WHERE id = ?`, total, tx.now, topicID)
	if err != nil {
		return 0, fmt.Errorf("start re-match of topic %d: %w", topicID, err)
	}
	var gen int64
	err = tx.get(ctx, &gen, `SELECT rematch_gen FROM topics WHERE id = ?`, topicID)
	return gen, err
}

// RematchTopic is what a re-match batch needs of its topic.
type RematchTopic struct {
	ID       int64  `db:"id"`
	Slug     string `db:"slug"`
	Rule     string `db:"rule"`
	Archived bool   `db:"archived"`
	RematchStatus
}

// LockRematch reads a topic's rule and re-match state at the start of a batch. On PostgreSQL it
// locks the topic's row until the batch commits, so a rule change waits for the batch and the
// next batch sees the new generation; SQLite's single writer gives the same order.
func (tx *Tx) LockRematch(ctx context.Context, topicID int64) (*RematchTopic, error) {
	lock := ``
	if tx.dialect == Postgres {
		lock = ` FOR UPDATE`
	}
	var t RematchTopic
	err := tx.get(ctx, &t, `SELECT id, slug, rule, archived, `+rematchCols+` FROM topics WHERE id = ?`+lock, topicID)
	if err != nil {
		return nil, notFound(err, "topic %d not found", topicID)
	}
	return &t, nil
}

// ItemsAfter returns up to limit items with ids above after, in id order, with what matching
// needs: id, title, text and publication time. Items of the sources StatementSource holds are
// left out: they are on timelines as statements, and a batch's range drops their old links.
func (tx *Tx) ItemsAfter(ctx context.Context, after int64, limit int) ([]docket.Item, error) {
	var out []docket.Item
	err := tx.sel(ctx, &out, `SELECT id, title, text, published_at FROM items
		WHERE id > ? AND source_id NOT IN (`+statementSourcesSQL+`) ORDER BY id LIMIT ?`, after, limit)
	return out, err
}

// ItemMatch is an item a topic's rule matches, with the terms found.
type ItemMatch struct {
	ItemID      int64
	PublishedAt time.Time
	Terms       []string
}

// RelinkTopic brings a topic's rule links for the items with ids in (after, upTo] in line with
// matches, the items of that range the rule matches now: a new match becomes a suggested link,
// a suggested rule link keeps its place with the terms found now, and a suggested rule link
// whose item no longer matches is removed. Links a person confirmed, rejected or added by hand
// are never touched. It returns how many links it added and removed.
func (tx *Tx) RelinkTopic(ctx context.Context, topicID, after, upTo int64, matches []ItemMatch) (added, removed int64, err error) {
	return tx.relink(ctx, topicID, `item_id > ? AND item_id <= ?`, []any{after, upTo}, matches)
}

// RelinkItems is RelinkTopic for the items ids, wherever they lie, of which matches are those
// the rule matches now.
func (tx *Tx) RelinkItems(ctx context.Context, topicID int64, ids []int64, matches []ItemMatch) (added, removed int64, err error) {
	if len(ids) == 0 {
		return 0, 0, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return tx.relink(ctx, topicID, `item_id IN (?`+strings.Repeat(`, ?`, len(ids)-1)+`)`, args, matches)
}

// relink brings the rule links of the items that scope (a condition on item_topics.item_id,
// with its arguments) names in line with matches.
func (tx *Tx) relink(ctx context.Context, topicID int64, scope string, scopeArgs []any, matches []ItemMatch) (added, removed int64, err error) {
	var linked []int64
	if err := tx.sel(ctx, &linked, `SELECT item_id FROM item_topics WHERE topic_id = ? AND `+scope,
		append([]any{topicID}, scopeArgs...)...); err != nil {
		return 0, 0, err
	}
	had := make(map[int64]bool, len(linked))
	for _, id := range linked {
		had[id] = true
	}
	const chunk = 100 // 9 values a row: well under both databases' parameter limits
	for start := 0; start < len(matches); start += chunk {
		part := matches[start:min(start+chunk, len(matches))]
		args := make([]any, 0, 9*len(part))
		for _, m := range part {
			args = append(args, m.ItemID, topicID, docket.OriginRule, docket.StateSuggested, strings.Join(m.Terms, ", "), false,
				docket.StoreTime(m.PublishedAt), tx.now, tx.now)
			if !had[m.ItemID] {
				added++
			}
		}
		_, err := tx.exec(ctx, `INSERT INTO item_topics (item_id, topic_id, origin, state, terms, pinned, published_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`+strings.Repeat(`, (?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(part)-1)+`
			ON CONFLICT (item_id, topic_id) DO UPDATE SET terms = excluded.terms, published_at = excluded.published_at
			WHERE item_topics.origin = 'rule' AND item_topics.state = 'suggested'
				AND (item_topics.terms <> excluded.terms OR item_topics.published_at <> excluded.published_at)`, args...)
		if err != nil {
			return 0, 0, fmt.Errorf("link items to topic %d: %w", topicID, err)
		}
	}
	q := `DELETE FROM item_topics WHERE topic_id = ? AND origin = 'rule' AND state = 'suggested' AND ` + scope
	args := append([]any{topicID}, scopeArgs...)
	if len(matches) > 0 {
		q += ` AND item_id NOT IN (?` + strings.Repeat(`, ?`, len(matches)-1) + `)`
		for _, m := range matches {
			args = append(args, m.ItemID)
		}
	}
	res, err := tx.exec(ctx, q, args...)
	if err != nil {
		return 0, 0, fmt.Errorf("unlink items from topic %d: %w", topicID, err)
	}
	removed, _ = res.RowsAffected()
	return added, removed, nil
}

// ItemsToSettle returns, for the pass that closes a re-match (see jobs.RematchSettleArgs), up
// to limit items with ids above cursor that were stored after the re-match's walk passed them:
// ids above after (the walk's last), or stored (fetched_at, which an update moves too) from
// since on. In id order, with what matching needs; statement sources left out as ItemsAfter
// leaves them.
func (tx *Tx) ItemsToSettle(ctx context.Context, after int64, since time.Time, cursor int64, limit int) ([]docket.Item, error) {
	var out []docket.Item
	err := tx.sel(ctx, &out, `SELECT id, title, text, published_at FROM items
		WHERE id > ? AND (id > ? OR fetched_at >= ?) AND source_id NOT IN (`+statementSourcesSQL+`) ORDER BY id LIMIT ?`,
		cursor, after, docket.StoreTime(since), limit)
	return out, err
}

// RecordSettle adds what a settling batch changed to a generation's re-match counts.
func (tx *Tx) RecordSettle(ctx context.Context, topicID, gen, added, removed int64) error {
	_, err := tx.exec(ctx, `UPDATE topics SET rematch_added = rematch_added + ?, rematch_removed = rematch_removed + ?
		WHERE id = ? AND rematch_gen = ?`, added, removed, topicID, gen)
	return err
}

// RematchStep is the progress of one batch.
type RematchStep struct {
	Cursor         int64 // the last item id done
	Items          int64
	Added, Removed int64
	Finished       bool
}

// RecordRematch records a batch's progress for a generation; a finished re-match gets its
// finish time, and its total becomes what it did (items come and go while it runs).
func (tx *Tx) RecordRematch(ctx context.Context, topicID, gen int64, s RematchStep) error {
	q := `UPDATE topics SET rematch_cursor = ?, rematch_done = rematch_done + ?, rematch_added = rematch_added + ?,
		rematch_removed = rematch_removed + ?`
	args := []any{s.Cursor, s.Items, s.Added, s.Removed}
	if s.Finished {
		// SET expressions read the row as it was, so this is the new rematch_done.
		q += `, rematch_finished_at = ?, rematch_total = rematch_done + ?`
		args = append(args, tx.now, s.Items)
	}
	q += ` WHERE id = ? AND rematch_gen = ?`
	args = append(args, topicID, gen)
	_, err := tx.exec(ctx, q, args...)
	return err
}

// RunningRematches returns the re-matches under way, by topic id.
func (db *DB) RunningRematches(ctx context.Context) (map[int64]RematchStatus, error) {
	var rows []struct {
		ID int64 `db:"id"`
		RematchStatus
	}
	if err := db.sel(ctx, &rows, `SELECT id, `+rematchCols+` FROM topics
		WHERE rematch_started_at IS NOT NULL AND rematch_finished_at IS NULL`); err != nil {
		return nil, err
	}
	out := make(map[int64]RematchStatus, len(rows))
	for _, r := range rows {
		out[r.ID] = r.RematchStatus
	}
	return out, nil
}
