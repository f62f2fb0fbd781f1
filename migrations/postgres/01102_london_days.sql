-- +goose Up
-- The twin of migrations/sqlite/01102_london_days.sql: topic_day_counts counts London days,
-- which PostgreSQL's own time zone database gives.

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION item_topics_count_link(p_topic BIGINT, p_item BIGINT, p_at TIMESTAMPTZ, p_delta BIGINT) RETURNS void
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
    PERFORM topic_day_count_add(p_topic, to_char(p_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'), k, p_delta);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION items_count_delete() RETURNS trigger
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
        PERFORM topic_day_count_add(l.topic_id, to_char(l.published_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'), k, -1);
    END LOOP;
    RETURN OLD;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sources_count_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    g RECORD;
BEGIN
    FOR g IN SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS day, count(*) AS n
             FROM item_topics it JOIN items i ON i.id = it.item_id
             WHERE i.source_id = OLD.id AND it.state <> 'rejected' GROUP BY 1, 2 LOOP
        PERFORM topic_day_count_add(g.topic_id, g.day, OLD.kind, -g.n);
    END LOOP;
    RETURN OLD;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sources_count_kind() RETURNS trigger
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
    SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'),
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

DELETE FROM topic_day_counts;
INSERT INTO topic_day_counts (topic_id, day, news, un, parliament, mp, ngo, other)
SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'),
       count(*) FILTER (WHERE s.kind = 'news'), count(*) FILTER (WHERE s.kind = 'un'),
       count(*) FILTER (WHERE s.kind = 'parliament'), count(*) FILTER (WHERE s.kind = 'mp'),
       count(*) FILTER (WHERE s.kind = 'ngo'), count(*) FILTER (WHERE s.kind = 'other')
FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
WHERE it.state <> 'rejected'
GROUP BY 1, 2;

-- +goose Down

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION item_topics_count_link(p_topic BIGINT, p_item BIGINT, p_at TIMESTAMPTZ, p_delta BIGINT) RETURNS void
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
CREATE OR REPLACE FUNCTION items_count_delete() RETURNS trigger
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sources_count_delete() RETURNS trigger
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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION sources_count_kind() RETURNS trigger
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

DELETE FROM topic_day_counts;
INSERT INTO topic_day_counts (topic_id, day, news, un, parliament, mp, ngo, other)
SELECT it.topic_id, to_char(it.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       count(*) FILTER (WHERE s.kind = 'news'), count(*) FILTER (WHERE s.kind = 'un'),
       count(*) FILTER (WHERE s.kind = 'parliament'), count(*) FILTER (WHERE s.kind = 'mp'),
       count(*) FILTER (WHERE s.kind = 'ngo'), count(*) FILTER (WHERE s.kind = 'other')
FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
WHERE it.state <> 'rejected'
GROUP BY 1, 2;
