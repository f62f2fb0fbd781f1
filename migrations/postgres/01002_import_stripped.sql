-- +goose Up
-- The lines an import removed from the page or text (boilerplate, the signature), one a
-- line, kept with the statement so an editor can check them on its office page at any time,
-- not only on the page that follows the import.
ALTER TABLE statements ADD COLUMN import_stripped TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE statements DROP COLUMN import_stripped;
