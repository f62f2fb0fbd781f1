-- +goose Up
-- Re-polling a feed that sends the same body again (no ETag, or one that changes anyway)
-- used to parse and normalize every item to find nothing new: the hash of the last body
-- stored lets the ingester skip that work.
ALTER TABLE sources ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sources DROP COLUMN body_hash;
