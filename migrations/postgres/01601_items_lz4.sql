-- +goose Up
-- An item's summary, content and plain text (and its tsvector) are a few kB each, past the
-- size at which PostgreSQL compresses a value when it stores it: with the default pglz that
-- compression was about a tenth of the server's CPU for each ingested item (the bench
-- corpus, 10k items, medians of six runs: 320 µs of backend CPU an item with pglz, 292 with
-- lz4). lz4 compresses and decompresses several times faster for a little less saving. Rows
-- already stored keep pglz until they are rewritten. A server built without lz4 keeps pglz.
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE items ALTER COLUMN summary SET COMPRESSION lz4, ALTER COLUMN content SET COMPRESSION lz4,
        ALTER COLUMN text SET COMPRESSION lz4, ALTER COLUMN search SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 not supported by this server: items keep pglz';
END;
$$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE items ALTER COLUMN summary SET COMPRESSION DEFAULT, ALTER COLUMN content SET COMPRESSION DEFAULT,
    ALTER COLUMN text SET COMPRESSION DEFAULT, ALTER COLUMN search SET COMPRESSION DEFAULT;
