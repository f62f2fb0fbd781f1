-- +goose Up
-- The office home counts, for each followed topic, the links put on it since the reader last
-- looked and not rejected: with the state in the index, the count reads the index alone.
DROP INDEX item_topics_linked;
CREATE INDEX item_topics_linked ON item_topics (topic_id, created_at, state);

-- +goose Down
DROP INDEX item_topics_linked;
CREATE INDEX item_topics_linked ON item_topics (topic_id, created_at);
