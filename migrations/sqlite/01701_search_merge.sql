-- +goose Up
-- The full-text index's background merges (store.MergeSearchIndex, FTS5's 'merge' command)
-- take two segments of a size rather than four, FTS5's default: fewer segments for every
-- search to walk. Ingest's own merges (automerge) keep the default of four, so that storing
-- a feed does not merge more than it did.
INSERT INTO items_fts (items_fts, rank) VALUES ('usermerge', 2);

-- +goose Down
INSERT INTO items_fts (items_fts, rank) VALUES ('usermerge', 4);
