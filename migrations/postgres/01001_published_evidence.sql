-- +goose Up
-- The citations the public sees are those of the published version, taken when it was
-- published, as its kind, member and topics are (00601). An editor's decisions on a new
-- version's draft change the working copy's evidence only, until that version is published.
CREATE TABLE published_evidence (
    statement_id   BIGINT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    sentence_hash  TEXT NOT NULL,
    item_id        BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    PRIMARY KEY (statement_id, sentence_hash, item_id)
);
INSERT INTO published_evidence (statement_id, sentence_hash, item_id)
    SELECT e.statement_id, e.sentence_hash, e.item_id FROM evidence e JOIN statements s ON s.id = e.statement_id
    WHERE s.published_revision_id IS NOT NULL AND e.state = 'confirmed';

-- +goose Down
DROP TABLE published_evidence;
