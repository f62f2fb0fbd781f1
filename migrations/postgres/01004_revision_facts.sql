-- +goose Up
-- A revision records the kind, member and topics of the working copy it saved, not only its
-- title and text: a save that changes only those is a revision like any other (the revision
-- number is what approval and publication check), and its diff says what changed. Revisions
-- saved before this migration take the statement's values at the time of the migration, the
-- best that is known of them. member_id keeps no foreign key: a revision is history, and
-- may name a member who has since been removed.
ALTER TABLE statement_revisions ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE statement_revisions ADD COLUMN member_id BIGINT;
ALTER TABLE statement_revisions ADD COLUMN topic_ids TEXT NOT NULL DEFAULT '';
UPDATE statement_revisions r SET
    kind = s.kind,
    member_id = s.member_id,
    topic_ids = COALESCE((SELECT string_agg(st.topic_id::text, ',' ORDER BY st.topic_id) FROM statement_topics st
        WHERE st.statement_id = r.statement_id), '')
    FROM statements s WHERE s.id = r.statement_id;

-- +goose Down
ALTER TABLE statement_revisions DROP COLUMN topic_ids;
ALTER TABLE statement_revisions DROP COLUMN member_id;
ALTER TABLE statement_revisions DROP COLUMN kind;
