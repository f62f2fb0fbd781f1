-- +goose Up
-- The twin of migrations/sqlite/00901_bench.sql: see there for why.
ALTER TABLE sources ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';

CREATE TABLE topic_day_counts (
    topic_id    BIGINT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    news        BIGINT NOT NULL DEFAULT 0,
    un          BIGINT NOT NULL DEFAULT 0,
    parliament  BIGINT NOT NULL DEFAULT 0,
    mp          BIGINT NOT NULL DEFAULT 0,
    ngo         BIGINT NOT NULL DEFAULT 0,
    other       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (topic_id, day)
);

INSERT INTO topic_day_counts (topic_id, day, news, un, parliament, mp, ngo, other)
SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       count(*) FILTER (WHERE s.kind = 'news'), count(*) FILTER (WHERE s.kind = 'un'),
       count(*) FILTER (WHERE s.kind = 'parliament'), count(*) FILTER (WHERE s.kind = 'mp'),
       count(*) FILTER (WHERE s.kind = 'ngo'), count(*) FILTER (WHERE s.kind = 'other')
FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
WHERE it.state <> 'rejected'
GROUP BY 1, 2;

-- +goose StatementBegin
CREATE FUNCTION topic_day_count_add(p_topic BIGINT, p_day TEXT, p_kind TEXT, p_delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO topic_day_counts AS c (topic_id, day, news, un, parliament, mp, ngo, other)
    VALUES (p_topic, p_day, CASE p_kind WHEN 'news' THEN p_delta ELSE 0 END, CASE p_kind WHEN 'un' THEN p_delta ELSE 0 END,
            CASE p_kind WHEN 'parliament' THEN p_delta ELSE 0 END, CASE p_kind WHEN 'mp' THEN p_delta ELSE 0 END,
            CASE p_kind WHEN 'ngo' THEN p_delta ELSE 0 END, CASE p_kind WHEN 'other' THEN p_delta ELSE 0 END)
    ON CONFLICT (topic_id, day) DO UPDATE SET news = c.news + excluded.news, un = c.un + excluded.un,
        parliament = c.parliament + excluded.parliament, mp = c.mp + excluded.mp, ngo = c.ngo + excluded.ngo,
        other = c.other + excluded.other;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION item_topics_count_link(p_topic BIGINT, p_item BIGINT, p_at TIMESTAMPTZ, p_delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    k TEXT;
BEGIN
    -- An item or topic already gone (a cascade from its deletion) counts nothing: the
    -- deletion's own trigger, or the cascade on topic_day_counts, saw to it.
    SELECT s.kind INTO k FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = p_item;
    IF k IS NULL OR NOT EXISTS (SELECT 1 FROM topics WHERE id = p_topic) THEN
        RETURN;
    END IF;
    PERFORM topic_day_count_add(p_topic, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), k, p_delta);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION item_topics_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.state <> 'rejected' THEN
        PERFORM item_topics_count_link(OLD.topic_id, OLD.item_id, OLD.published_at, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state <> 'rejected' THEN
        PERFORM item_topics_count_link(NEW.topic_id, NEW.item_id, NEW.published_at, 1);
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
DECLARE
    k TEXT;
    l RECORD;
BEGIN
    SELECT kind INTO k FROM sources WHERE id = OLD.source_id;
    IF k IS NULL THEN
        RETURN OLD;
    END IF;
    FOR l IN SELECT topic_id, published_at FROM item_topics WHERE item_id = OLD.id AND state <> 'rejected' LOOP
        PERFORM topic_day_count_add(l.topic_id, to_char(l.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), k, -1);
    END LOOP;
    RETURN OLD;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER items_count_delete BEFORE DELETE ON items FOR EACH ROW EXECUTE FUNCTION items_count_delete();

-- +goose StatementBegin
CREATE FUNCTION sources_count_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    g RECORD;
BEGIN
    FOR g IN SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS n
             FROM item_topics it JOIN items i ON i.id = it.item_id
             WHERE i.source_id = OLD.id AND it.state <> 'rejected' GROUP BY 1, 2 LOOP
        PERFORM topic_day_count_add(g.topic_id, g.day, OLD.kind, -g.n);
    END LOOP;
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
    INSERT INTO topic_day_counts (topic_id, day, news, un, parliament, mp, ngo, other)
    SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
           count(*) FILTER (WHERE s.kind = 'news'), count(*) FILTER (WHERE s.kind = 'un'),
           count(*) FILTER (WHERE s.kind = 'parliament'), count(*) FILTER (WHERE s.kind = 'mp'),
           count(*) FILTER (WHERE s.kind = 'ngo'), count(*) FILTER (WHERE s.kind = 'other')
    FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
    WHERE it.state <> 'rejected' AND it.topic_id = ANY (fed)
    GROUP BY 1, 2;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER sources_count_kind AFTER UPDATE OF kind ON sources FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION sources_count_kind();

-- A topic page counts each statement's cited sources: the index answers it alone.
CREATE INDEX evidence_citations ON evidence (statement_id, state, item_id, sentence_hash);

-- +goose Down
DROP INDEX evidence_citations;
DROP TRIGGER sources_count_kind ON sources;
DROP FUNCTION sources_count_kind();
DROP TRIGGER sources_count_delete ON sources;
DROP FUNCTION sources_count_delete();
DROP TRIGGER items_count_delete ON items;
DROP FUNCTION items_count_delete();
DROP TRIGGER item_topics_count ON item_topics;
DROP FUNCTION item_topics_count();
DROP FUNCTION item_topics_count_link(BIGINT, BIGINT, TIMESTAMPTZ, BIGINT);
DROP FUNCTION topic_day_count_add(BIGINT, TEXT, TEXT, BIGINT);
DROP TABLE topic_day_counts;
ALTER TABLE sources DROP COLUMN body_hash;
