-- +goose Up
-- A revision records the kind, member and topics of the working copy it saved, not only its
-- title and text: a save that changes only those is a revision like any other (the revision
-- number is what approval and publication check), and its diff says what changed. Revisions
-- saved before this migration take the statement's values at the time of the migration, the
-- best that is known of them. member_id keeps no foreign key: a revision is history, and
-- may name a member who has since been removed.
ALTER TABLE statement_revisions ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE statement_revisions ADD COLUMN member_id INTEGER;
ALTER TABLE statement_revisions ADD COLUMN topic_ids TEXT NOT NULL DEFAULT '';
UPDATE statement_revisions SET
    kind = (SELECT s.kind FROM statements s WHERE s.id = statement_revisions.statement_id),
    member_id = (SELECT s.member_id FROM statements s WHERE s.id = statement_revisions.statement_id),
    topic_ids = COALESCE((SELECT group_concat(topic_id, ',') FROM (SELECT topic_id FROM statement_topics st
        WHERE st.statement_id = statement_revisions.statement_id ORDER BY topic_id)), '');

-- +goose Down
ALTER TABLE statement_revisions DROP COLUMN topic_ids;
ALTER TABLE statement_revisions DROP COLUMN member_id;
ALTER TABLE statement_revisions DROP COLUMN kind;
