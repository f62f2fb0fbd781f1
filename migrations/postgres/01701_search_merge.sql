-- +goose Up
-- The twin of migrations/sqlite/01701_search_merge.sql, which sets how SQLite's full-text
-- index is merged in the background: PostgreSQL's GIN index needs no such upkeep, so there
-- is nothing to do here; the file keeps the two dialects' versions in step.
SELECT 1;

-- +goose Down
SELECT 1;
