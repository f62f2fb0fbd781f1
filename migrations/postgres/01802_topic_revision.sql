-- +goose Up
-- A topic's settings are saved only over the revision the form was loaded from, so a second
-- editor's older form cannot put back the rule (or title, or visibility) the first replaced.
ALTER TABLE topics ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE topics DROP COLUMN revision;
