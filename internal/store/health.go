package store

import (
	"context"
	"time"
)

// TopicHealth says whether a topic is being watched: which sources fed it lately, how many of
// them are failing now, and when its newest item arrived. A topic whose sources fail is
// blind, not quiet: pages must not show the two alike.
type TopicHealth struct {
	TopicID        int64      `db:"topic_id"`
	Sources        int        `db:"sources"`
	FailingSources int        `db:"failing"`
	LatestItem     *time.Time `db:"-"`
}

// Blind reports whether every source that fed the topic is failing now.
func (h TopicHealth) Blind() bool { return h.Sources > 0 && h.FailingSources == h.Sources }

// healthWindow is how far back a source counts as feeding a topic.
const healthWindow = 90 * 24 * time.Hour

// TopicsHealth returns the health of every topic that has items, by topic id.
func (db *DB) TopicsHealth(ctx context.Context) (map[int64]TopicHealth, error) {
	var rows []struct {
		TopicID int64  `db:"topic_id"`
		Sources int    `db:"sources"`
		Failing int    `db:"failing"`
		Latest  string `db:"latest"`
	}
	// max() loses SQLite's column type, so the newest time comes back as text there.
	err := db.sel(ctx, &rows, `SELECT f.topic_id, count(*) AS sources,
		COALESCE(sum(CASE WHEN s.consecutive_errors > 0 AND NOT s.disabled THEN 1 ELSE 0 END), 0) AS failing,
		COALESCE(max(f.latest), '') AS latest
		FROM (SELECT it.topic_id, i.source_id, max(`+db.textTime("it.published_at")+`) AS latest
			FROM item_topics it JOIN items i ON i.id = it.item_id
			WHERE it.state <> 'rejected' AND it.published_at >= ?
			GROUP BY it.topic_id, i.source_id) f
		JOIN sources s ON s.id = f.source_id
		GROUP BY f.topic_id`, db.now().Add(-healthWindow))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]TopicHealth, len(rows))
	for _, r := range rows {
		h := TopicHealth{TopicID: r.TopicID, Sources: r.Sources, FailingSources: r.Failing}
		if t, err := parseTextTime(r.Latest); err == nil {
			h.LatestItem = &t
		}
		out[r.TopicID] = h
	}
	return out, nil
}

// textTime renders a time column as sortable UTC text on both databases.
func (db *DB) textTime(col string) string {
	if db.Dialect == Postgres {
		return `to_char(` + col + ` AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`
	}
	return col // stored as UTC text that sorts (see docket.StoreTime)
}

// parseTextTime reads what textTime gives: modernc's text form on SQLite, to_char's on
// PostgreSQL.
func parseTextTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Parse(time.RFC3339Nano, s)
}
