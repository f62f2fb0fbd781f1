package store

import (
	"context"
	"fmt"

	"github.com/docket-dev/docket/internal/docket"
)

const topicCols = `id, slug, title, summary, rule, visibility, archived, created_at, updated_at, revision`

// CreateTopic stores a new topic and sets its ID and times.
func (db *DB) CreateTopic(ctx context.Context, t *docket.Topic) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error { return tx.CreateTopic(ctx, t) })
}

// CreateTopic stores a new topic inside tx.
func (tx *Tx) CreateTopic(ctx context.Context, t *docket.Topic) error {
	t.CreatedAt, t.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO topics (slug, title, summary, rule, visibility, archived, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.Slug, t.Title, t.Summary, t.Rule, t.Visibility, t.Archived, t.CreatedAt, t.UpdatedAt)
	if isUniqueViolation(err) {
		return &docket.Error{Code: docket.ECONFLICT, Field: "slug", Message: "a topic with slug " + t.Slug + " already exists"}
	}
	if err != nil {
		return err
	}
	t.ID = id
	return nil
}

// TopicBySlug finds a topic by slug.
func (db *DB) TopicBySlug(ctx context.Context, slug string) (*docket.Topic, error) {
	var t docket.Topic
	err := db.get(ctx, &t, `SELECT `+topicCols+` FROM topics WHERE slug = ?`, slug)
	if err != nil {
		return nil, notFound(err, "topic %q not found", slug)
	}
	return &t, nil
}

// PublicTopicBySlug finds a topic the public may see; any other is not found, so a guessed
// slug of a private topic tells nothing.
func (db *DB) PublicTopicBySlug(ctx context.Context, slug string) (*docket.Topic, error) {
	var t docket.Topic
	err := db.get(ctx, &t, `SELECT `+topicCols+` FROM topics WHERE slug = ? AND visibility = 'public' AND NOT archived`, slug)
	if err != nil {
		return nil, notFound(err, "topic %q not found", slug)
	}
	return &t, nil
}

// TopicByID finds a topic by id.
func (db *DB) TopicByID(ctx context.Context, id int64) (*docket.Topic, error) {
	var t docket.Topic
	if err := db.get(ctx, &t, `SELECT `+topicCols+` FROM topics WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "topic %d not found", id)
	}
	return &t, nil
}

// TopicFilter selects topics.
type TopicFilter struct {
	PublicOnly      bool
	IncludeArchived bool
}

// TopicSummary is a topic with its counts, for lists.
type TopicSummary struct {
	docket.Topic
	ItemCount      int64 `db:"item_count" json:"item_count"`
	StatementCount int64 `db:"statement_count" json:"statement_count"`
}

// ListTopics returns topics by title with their item and published-statement counts. The
// public count excludes rejected items, like the public timeline; it adds up the topic's
// daily counts (topic_day_counts) rather than counting its links.
func (db *DB) ListTopics(ctx context.Context, f TopicFilter) ([]TopicSummary, error) {
	where := `WHERE 1 = 1`
	if f.PublicOnly {
		where += ` AND t.visibility = 'public' AND NOT t.archived`
	} else if !f.IncludeArchived {
		where += ` AND NOT t.archived`
	}
	var out []TopicSummary
	err := db.sel(ctx, &out, `SELECT t.id, t.slug, t.title, t.summary, t.rule, t.visibility, t.archived, t.created_at, t.updated_at,
		CAST((SELECT COALESCE(sum(c.news + c.un + c.parliament + c.mp + c.ngo + c.other), 0)
			FROM topic_day_counts c WHERE c.topic_id = t.id) AS BIGINT) AS item_count,
		(SELECT count(*) FROM published_statement_topics st JOIN statements s ON s.id = st.statement_id
			WHERE st.topic_id = t.id AND s.published_revision_id IS NOT NULL AND s.status <> 'withdrawn') AS statement_count
		FROM topics t `+where+` ORDER BY t.title, t.id`)
	return out, err
}

// ActiveTopics returns every topic that is not archived, for matching.
func (db *DB) ActiveTopics(ctx context.Context) ([]docket.Topic, error) {
	var out []docket.Topic
	err := db.sel(ctx, &out, `SELECT `+topicCols+` FROM topics WHERE NOT archived ORDER BY id`)
	return out, err
}

// TopicsStamp changes whenever a topic is added, changed or archived, so a cached rule
// matcher knows when to compile again.
func (db *DB) TopicsStamp(ctx context.Context) (string, error) {
	// max() loses SQLite's column type, so the time comes back as text there; both
	// drivers can give it as a string.
	var row struct {
		N      int64   `db:"n"`
		Latest *string `db:"latest"`
	}
	if err := db.get(ctx, &row, `SELECT count(*) AS n, max(updated_at) AS latest FROM topics`); err != nil {
		return "", err
	}
	stamp := fmt.Sprint(row.N)
	if row.Latest != nil {
		stamp += "/" + *row.Latest
	}
	return stamp, nil
}
