-- +goose Up
-- The twin of migrations/postgres/01601_items_lz4.sql, which makes PostgreSQL compress items'
-- long texts with lz4: SQLite does not compress values, so there is nothing to do here; the
-- file keeps the two dialects' versions in step.
SELECT 1;

-- +goose Down
SELECT 1;
