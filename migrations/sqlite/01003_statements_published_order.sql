-- +goose Up
-- The board and its lists show published statements newest first by the date they were
-- published; ingestion brings thousands, so that order is read from an index.
CREATE INDEX statements_status_published ON statements (status, published_at, id);

-- +goose Down
DROP INDEX statements_status_published;
