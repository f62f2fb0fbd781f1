-- +goose Up
-- What the public sees of a statement is what was published: its text (the published
-- revision), and also its kind, member and topics as they were when it was published. A new
-- version's draft may change those, but only publishing it makes the change public.
ALTER TABLE statements ADD COLUMN published_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE statements ADD COLUMN published_member_id INTEGER REFERENCES members(id) ON DELETE SET NULL;
CREATE TABLE published_statement_topics (
    statement_id  INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    topic_id      INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    PRIMARY KEY (statement_id, topic_id)
);
CREATE INDEX published_statement_topics_topic ON published_statement_topics (topic_id);
UPDATE statements SET published_kind = kind, published_member_id = member_id WHERE published_revision_id IS NOT NULL;
INSERT INTO published_statement_topics (statement_id, topic_id)
    SELECT st.statement_id, st.topic_id FROM statement_topics st JOIN statements s ON s.id = st.statement_id
    WHERE s.published_revision_id IS NOT NULL;

-- +goose Down
DROP TABLE published_statement_topics;
ALTER TABLE statements DROP COLUMN published_member_id;
ALTER TABLE statements DROP COLUMN published_kind;
