-- +goose Up
-- Who had a hand in a version of a statement besides those who saved its revisions: whoever
-- decided its evidence (what the public cites is part of what is approved), whoever revised
-- it and the author of the words a revision starts from. Nobody approves a version they had
-- a hand in. A version revised before this migration, whose text has not been saved since,
-- takes the author of its text.
CREATE TABLE statement_authors (
    statement_id  INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (statement_id, version, user_id)
) WITHOUT ROWID;
INSERT INTO statement_authors (statement_id, version, user_id)
    SELECT s.id, s.version, r.created_by FROM statements s
    JOIN statement_revisions r ON r.statement_id = s.id AND r.revision = s.revision
    WHERE r.version <> s.version AND r.created_by IS NOT NULL;

-- Counts the decisions on a statement's evidence: approving and publishing carry the count
-- the user saw, as they carry the revision, so evidence changed after a reviewer loaded the
-- page is not approved unseen.
ALTER TABLE statements ADD COLUMN evidence_rev INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE statements DROP COLUMN evidence_rev;
DROP TABLE statement_authors;
