-- +goose Up
-- The twin of migrations/sqlite/00901_bench.sql: see there for why.
ALTER TABLE sources ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';

CREATE TABLE topic_day_counts (
    topic_id  BIGINT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (topic_id, day, kind)
);

INSERT INTO topic_day_counts (topic_id, day, kind, n)
SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), s.kind, count(*)
FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
WHERE it.state <> 'rejected'
GROUP BY 1, 2, 3;

-- +goose StatementBegin
CREATE FUNCTION topic_day_count_add(topic BIGINT, item BIGINT, at TIMESTAMPTZ, delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    k TEXT;
BEGIN
    -- An item or topic already gone (a cascade from its deletion) counts nothing: the
    -- deletion's own trigger, or the cascade on topic_day_counts, saw to it.
    SELECT s.kind INTO k FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = item;
    IF k IS NULL OR NOT EXISTS (SELECT 1 FROM topics WHERE id = topic) THEN
        RETURN;
    END IF;
    INSERT INTO topic_day_counts AS c (topic_id, day, kind, n)
    VALUES (topic, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), k, delta)
    ON CONFLICT (topic_id, day, kind) DO UPDATE SET n = c.n + excluded.n;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION item_topics_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.state <> 'rejected' THEN
        PERFORM topic_day_count_add(OLD.topic_id, OLD.item_id, OLD.published_at, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state <> 'rejected' THEN
        PERFORM topic_day_count_add(NEW.topic_id, NEW.item_id, NEW.published_at, 1);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER item_topics_count AFTER INSERT OR DELETE OR UPDATE OF state, published_at, topic_id, item_id ON item_topics
    FOR EACH ROW EXECUTE FUNCTION item_topics_count();

-- +goose StatementBegin
CREATE FUNCTION items_count_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE topic_day_counts c SET n = c.n - 1
    FROM item_topics it, sources s
    WHERE it.item_id = OLD.id AND it.state <> 'rejected' AND s.id = OLD.source_id
      AND c.topic_id = it.topic_id AND c.day = to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AND c.kind = s.kind;
    RETURN OLD;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER items_count_delete BEFORE DELETE ON items FOR EACH ROW EXECUTE FUNCTION items_count_delete();

-- +goose StatementBegin
CREATE FUNCTION sources_count_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE topic_day_counts c SET n = c.n - g.n
    FROM (SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS n
          FROM item_topics it JOIN items i ON i.id = it.item_id
          WHERE i.source_id = OLD.id AND it.state <> 'rejected' GROUP BY 1, 2) g
    WHERE c.topic_id = g.topic_id AND c.day = g.day AND c.kind = OLD.kind;
    RETURN OLD;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER sources_count_delete BEFORE DELETE ON sources FOR EACH ROW EXECUTE FUNCTION sources_count_delete();

-- +goose StatementBegin
CREATE FUNCTION sources_count_kind() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    fed BIGINT[];
BEGIN
    SELECT array_agg(DISTINCT it.topic_id) INTO fed FROM item_topics it JOIN items i ON i.id = it.item_id WHERE i.source_id = NEW.id;
    IF fed IS NULL THEN
        RETURN NULL;
    END IF;
    DELETE FROM topic_day_counts WHERE topic_id = ANY (fed);
    INSERT INTO topic_day_counts (topic_id, day, kind, n)
    SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), s.kind, count(*)
    FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
    WHERE it.state <> 'rejected' AND it.topic_id = ANY (fed)
    GROUP BY 1, 2, 3;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER sources_count_kind AFTER UPDATE OF kind ON sources FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION sources_count_kind();

-- +goose Down
DROP TRIGGER sources_count_kind ON sources;
DROP FUNCTION sources_count_kind();
DROP TRIGGER sources_count_delete ON sources;
DROP FUNCTION sources_count_delete();
DROP TRIGGER items_count_delete ON items;
DROP FUNCTION items_count_delete();
DROP TRIGGER item_topics_count ON item_topics;
DROP FUNCTION item_topics_count();
DROP FUNCTION topic_day_count_add(BIGINT, BIGINT, TIMESTAMPTZ, BIGINT);
DROP TABLE topic_day_counts;
ALTER TABLE sources DROP COLUMN body_hash;
