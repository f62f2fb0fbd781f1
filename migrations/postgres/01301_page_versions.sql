-- +goose Up
-- The version of a dated public page (a topic's Atom feed) that Docket last served: the ETag
-- of its bytes and since when it has been that. Its Last-Modified is `since`, which moves
-- forward whenever the bytes change, for whatever reason (an item rejected, a link removed,
-- a source renamed), and every instance reads the same row, so a client sending only
-- If-Modified-Since never gets a wrong 304. One row a page: only pages that exist are kept.
CREATE TABLE page_versions (
    path   TEXT PRIMARY KEY,
    etag   TEXT NOT NULL,
    since  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE page_versions;
