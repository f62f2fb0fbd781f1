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

// healthRecent is how many of a topic's newest items tell which sources feed it: enough to
// see every regular source, few enough to read from the timeline index at any size.
const healthRecent = 300

// TopicsHealth returns the health of every topic that has items, by topic id.
func (db *DB) TopicsHealth(ctx context.Context) (map[int64]TopicHealth, error) {
	var ids []int64
	if err := db.sel(ctx, &ids, `SELECT id FROM topics WHERE NOT archived`); err != nil {
		return nil, err
	}
	out := make(map[int64]TopicHealth, len(ids))
	for _, id := range ids {
		var rows []struct {
			Failing bool   `db:"failing"`
			Latest  string `db:"latest"`
		}
		// max() loses SQLite's column type, so the newest time comes back as text there.
		err := db.sel(ctx, &rows, `SELECT (s.consecutive_errors > 0 AND NOT s.disabled) AS failing, max(`+db.textTime("r.published_at")+`) AS latest
			FROM (SELECT item_id, published_at FROM item_topics WHERE topic_id = ? AND state <> 'rejected'
				ORDER BY published_at DESC, item_id DESC LIMIT ?) r
			JOIN items i ON i.id = r.item_id JOIN sources s ON s.id = i.source_id
			GROUP BY s.id, s.consecutive_errors, s.disabled`, id, healthRecent)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			continue
		}
		h := TopicHealth{TopicID: id, Sources: len(rows)}
		for _, r := range rows {
			if r.Failing {
				h.FailingSources++
			}
			if t, err := parseTextTime(r.Latest); err == nil && (h.LatestItem == nil || t.After(*h.LatestItem)) {
				h.LatestItem = &t
			}
		}
		out[id] = h
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
