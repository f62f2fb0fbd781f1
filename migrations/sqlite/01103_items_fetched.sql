-- +goose Up
-- The pass that closes a topic's re-match finds the items stored since its rule changed (an
-- ingester may have matched them against the old rule: see jobs.RematchSettleArgs).
CREATE INDEX items_fetched ON items (fetched_at);

-- +goose Down
DROP INDEX items_fetched;
