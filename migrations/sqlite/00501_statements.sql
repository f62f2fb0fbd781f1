-- +goose Up
-- Statements in the office: a statement's comments are read together, and an editor adds
-- evidence by pasting an item's address.

CREATE INDEX statement_comments_statement ON statement_comments (statement_id, id);
CREATE INDEX items_by_url ON items (url);

-- +goose Down
DROP INDEX items_by_url;
DROP INDEX statement_comments_statement;
