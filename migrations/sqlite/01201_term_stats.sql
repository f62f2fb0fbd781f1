-- +goose Up
-- How many items hold each word of the full-text index, for the words that at least min_docs
-- items hold: evidence ranking weighs a sentence's words by how rare they are among all items,
-- and counting that in the index at every request was most of a suggestion's cost at a
-- million items (a word's count is the length of its posting list). A background job rebuilds
-- the table from FTS5's own vocabulary when the items have grown; words below min_docs are
-- rare, cheap to count when asked, and left out to keep the table small.
CREATE TABLE term_stats (
    term  TEXT NOT NULL PRIMARY KEY,
    docs  INTEGER NOT NULL
) WITHOUT ROWID;

-- The one row saying when term_stats was built and over how many items.
CREATE TABLE term_stats_info (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    items     INTEGER NOT NULL,
    min_docs  INTEGER NOT NULL,
    built_at  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE term_stats_info;
DROP TABLE term_stats;
