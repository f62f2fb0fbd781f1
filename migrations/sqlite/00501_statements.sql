-- +goose Up
-- Statements in the office: a statement's comments are read together.

CREATE INDEX statement_comments_statement ON statement_comments (statement_id, id);

-- +goose Down
DROP INDEX statement_comments_statement;
