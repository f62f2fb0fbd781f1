-- +goose Up
-- Topics: re-matching stored items after a rule change, follows, curation.

-- A rule change bumps rematch_gen and starts a re-match job for that generation; the job walks
-- the items by id in batches, each its own transaction, keeping its place (rematch_cursor, the
-- last item id done) so a retried or rescued job resumes, and its progress for the office and
-- the command line. A job whose generation is no longer the topic's stops.
ALTER TABLE topics ADD COLUMN rematch_gen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topics ADD COLUMN rematch_cursor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topics ADD COLUMN rematch_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topics ADD COLUMN rematch_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topics ADD COLUMN rematch_added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topics ADD COLUMN rematch_removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE topics ADD COLUMN rematch_started_at DATETIME;
ALTER TABLE topics ADD COLUMN rematch_finished_at DATETIME;

-- The office home counts, for each followed topic, the items linked since the reader last
-- looked.
CREATE INDEX item_topics_linked ON item_topics (topic_id, created_at);

-- Adding an item to a topic by hand finds it by its address.
CREATE INDEX items_url ON items (url);

-- +goose Down
DROP INDEX items_url;
DROP INDEX item_topics_linked;
ALTER TABLE topics DROP COLUMN rematch_finished_at;
ALTER TABLE topics DROP COLUMN rematch_started_at;
ALTER TABLE topics DROP COLUMN rematch_removed;
ALTER TABLE topics DROP COLUMN rematch_added;
ALTER TABLE topics DROP COLUMN rematch_total;
ALTER TABLE topics DROP COLUMN rematch_done;
ALTER TABLE topics DROP COLUMN rematch_cursor;
ALTER TABLE topics DROP COLUMN rematch_gen;
