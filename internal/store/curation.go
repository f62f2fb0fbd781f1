package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
)

// Curation: researchers confirm or reject what a rule suggested, add items by hand, pin key
// events and leave notes. A rule re-match never undoes any of it: it only adds and removes
// links that are still rule suggestions.

// SetLinkState confirms or rejects an item's link to a topic, or puts it back to suggested.
func (db *DB) SetLinkState(ctx context.Context, topicID, itemID int64, state string) error {
	switch state {
	case docket.StateSuggested, docket.StateConfirmed, docket.StateRejected:
	default:
		return docket.FieldError("state", "state %q must be confirmed, rejected or suggested", state)
	}
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE item_topics SET state = ?, updated_at = ? WHERE topic_id = ? AND item_id = ?`,
			state, tx.now, topicID, itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return docket.Errorf(docket.ENOTFOUND, "item %d is not on this topic", itemID)
		}
		return nil
	})
}

// SetPinned marks an item as a key event of a topic, or unmarks it.
func (db *DB) SetPinned(ctx context.Context, topicID, itemID int64, pinned bool) error {
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE item_topics SET pinned = ?, updated_at = ? WHERE topic_id = ? AND item_id = ?`,
			pinned, tx.now, topicID, itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return docket.Errorf(docket.ENOTFOUND, "item %d is not on this topic", itemID)
		}
		return nil
	})
}

// AddItemToTopic puts an item on a topic by hand: a new link has origin manual; either way the
// link ends confirmed (adding a rejected item again is a change of mind). It reports whether
// the link is new.
func (db *DB) AddItemToTopic(ctx context.Context, topicID, itemID int64) (bool, error) {
	added := false
	err := db.Update(ctx, func(tx *Tx) error {
		var published []time.Time
		if err := tx.sel(ctx, &published, `SELECT published_at FROM items WHERE id = ?`, itemID); err != nil {
			return err
		}
		if len(published) == 0 {
			return docket.FieldError("item", "there is no item %d", itemID)
		}
		var existing int
		if err := tx.get(ctx, &existing, `SELECT count(*) FROM item_topics WHERE topic_id = ? AND item_id = ?`, topicID, itemID); err != nil {
			return err
		}
		// An upsert, so a link the ingester or a re-match adds at the same moment becomes
		// confirmed instead of failing the insert.
		_, err := tx.exec(ctx, `INSERT INTO item_topics (item_id, topic_id, origin, state, terms, pinned, published_at, created_at, updated_at)
			VALUES (?, ?, 'manual', 'confirmed', '', ?, ?, ?, ?)
			ON CONFLICT (item_id, topic_id) DO UPDATE SET state = 'confirmed', updated_at = excluded.updated_at`,
			itemID, topicID, false, published[0], tx.now, tx.now)
		if err != nil {
			return fmt.Errorf("add item %d to topic %d: %w", itemID, topicID, err)
		}
		if existing > 0 {
			return nil
		}
		added = true
		return nil
	})
	return added, err
}

// ItemIDByURL finds a stored item by its address (the newest, when several sources carry the
// same link).
func (db *DB) ItemIDByURL(ctx context.Context, u string) (int64, error) {
	var ids []int64
	if err := db.sel(ctx, &ids, `SELECT id FROM items WHERE url = ? ORDER BY id DESC LIMIT 1`, u); err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, docket.FieldError("item", "no stored item has the address %s", u)
	}
	return ids[0], nil
}

// MaxNoteLen caps a note, in characters.
const MaxNoteLen = 4000

// ItemNote is a researcher's note on an item, within a topic.
type ItemNote struct {
	ID        int64     `db:"id" json:"id"`
	ItemID    int64     `db:"item_id" json:"item_id"`
	TopicID   int64     `db:"topic_id" json:"-"`
	UserID    *int64    `db:"user_id" json:"-"`
	UserName  string    `db:"user_name" json:"user"`
	Body      string    `db:"body" json:"body"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

// AddItemNote stores a note on an item of a topic; the item must be on the topic.
func (db *DB) AddItemNote(ctx context.Context, n *ItemNote) error {
	n.Body = strings.TrimSpace(n.Body)
	if n.Body == "" {
		return docket.FieldError("body", "write the note first")
	}
	if utf8.RuneCountInString(n.Body) > MaxNoteLen {
		return docket.FieldError("body", "a note must be at most %d characters", MaxNoteLen)
	}
	return db.Update(ctx, func(tx *Tx) error {
		var on []int64
		if err := tx.sel(ctx, &on, `SELECT item_id FROM item_topics WHERE topic_id = ? AND item_id = ?`, n.TopicID, n.ItemID); err != nil {
			return err
		}
		if len(on) == 0 {
			return docket.Errorf(docket.ENOTFOUND, "item %d is not on this topic", n.ItemID)
		}
		n.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO item_notes (item_id, topic_id, user_id, body, created_at) VALUES (?, ?, ?, ?, ?)`,
			n.ItemID, n.TopicID, n.UserID, n.Body, n.CreatedAt)
		n.ID = id
		return err
	})
}

// ItemNotes returns the notes on the given items of a topic, oldest first, by item.
func (db *DB) ItemNotes(ctx context.Context, topicID int64, itemIDs []int64) (map[int64][]ItemNote, error) {
	out := map[int64][]ItemNote{}
	const chunk = 400
	for start := 0; start < len(itemIDs); start += chunk {
		part := itemIDs[start:min(start+chunk, len(itemIDs))]
		args := make([]any, 0, len(part)+1)
		args = append(args, topicID)
		for _, id := range part {
			args = append(args, id)
		}
		var notes []ItemNote
		err := db.sel(ctx, &notes, `SELECT n.id, n.item_id, n.topic_id, n.user_id, COALESCE(u.name, '') AS user_name, n.body, n.created_at
			FROM item_notes n LEFT JOIN users u ON u.id = n.user_id
			WHERE n.topic_id = ? AND n.item_id IN (?`+strings.Repeat(", ?", len(part)-1)+`) ORDER BY n.created_at, n.id`, args...)
		if err != nil {
			return nil, err
		}
		for _, n := range notes {
			out[n.ItemID] = append(out[n.ItemID], n)
		}
	}
	return out, nil
}

// Follows: a user follows topics; the office home lists them with what is new since the user
// last opened each one.

// Follow makes a user follow a topic; following it again changes nothing.
func (db *DB) Follow(ctx context.Context, userID, topicID int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO follows (user_id, topic_id, last_seen_at, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, topic_id) DO NOTHING`, userID, topicID, tx.now, tx.now)
		return err
	})
}

// Unfollow stops a user following a topic.
func (db *DB) Unfollow(ctx context.Context, userID, topicID int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM follows WHERE user_id = ? AND topic_id = ?`, userID, topicID)
		return err
	})
}

// MarkSeen records that a user has just looked at a topic they follow; it reports whether
// they follow it.
func (db *DB) MarkSeen(ctx context.Context, userID, topicID int64) (bool, error) {
	following := false
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE follows SET last_seen_at = ? WHERE user_id = ? AND topic_id = ?`, tx.now, userID, topicID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		following = n > 0
		return nil
	})
	return following, err
}

// FollowedTopicIDs returns the ids of the topics a user follows.
func (db *DB) FollowedTopicIDs(ctx context.Context, userID int64) (map[int64]bool, error) {
	var ids []int64
	if err := db.sel(ctx, &ids, `SELECT topic_id FROM follows WHERE user_id = ?`, userID); err != nil {
		return nil, err
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// FollowedTopic is a topic a user follows, with what is new since they last looked.
type FollowedTopic struct {
	TopicSummary
	LastSeenAt time.Time `db:"last_seen_at" json:"last_seen_at"`
	// NewItems counts the items put on the topic (by its rule or by hand, and not rejected)
	// since the user last opened it.
	NewItems int64 `db:"new_items" json:"new_items"`
}

// FollowedTopics returns the topics a user follows, archived ones included, by title. The
// item count comes from topic_day_counts, as ListTopics has it, rather than from counting a
// big topic's links; the new ones are counted in the index item_topics_linked (topic_id,
// created_at, state) from the last look on, without reading a link.
func (db *DB) FollowedTopics(ctx context.Context, userID int64) ([]FollowedTopic, error) {
	var out []FollowedTopic
	err := db.sel(ctx, &out, followedTopicsQuery, userID)
	return out, err
}

const followedTopicsQuery = `SELECT t.id, t.slug, t.title, t.summary, t.rule, t.visibility, t.archived, t.created_at, t.updated_at,
		CAST((SELECT COALESCE(sum(c.news + c.un + c.parliament + c.mp + c.ngo + c.other), 0)
			FROM topic_day_counts c WHERE c.topic_id = t.id) AS BIGINT) AS item_count,
		(SELECT count(*) FROM published_statement_topics st JOIN statements s ON s.id = st.statement_id
			WHERE st.topic_id = t.id AND s.published_revision_id IS NOT NULL AND s.status <> 'withdrawn') AS statement_count,
		f.last_seen_at,
		(SELECT count(*) FROM item_topics it WHERE it.topic_id = t.id AND it.created_at > f.last_seen_at AND it.state <> 'rejected') AS new_items
		FROM follows f JOIN topics t ON t.id = f.topic_id
		WHERE f.user_id = ? ORDER BY t.title, t.id`
