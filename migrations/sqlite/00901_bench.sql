-- +goose Up
-- Re-polling a feed that sends the same body again (no ETag, or one that changes anyway)
-- used to parse and normalize every item to find nothing new: the hash of the last body
-- stored lets the ingester skip that work.
ALTER TABLE sources ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';

-- How many of a topic's items each source kind published each (UTC) day, counting the links
-- the public timeline shows (not rejected): one row a topic and day, a column a source kind
-- (sources.kind's six). The topic page's chart and the topic lists read it, instead of
-- counting a big topic's links at every request. Triggers keep it exact whatever writes
-- item_topics (ingest, re-matching, curation), and when items, sources or source kinds
-- change; a row whose counts fall to 0 stays, and readers skip the zeros.
CREATE TABLE topic_day_counts (
    topic_id    INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    news        INTEGER NOT NULL DEFAULT 0,
    un          INTEGER NOT NULL DEFAULT 0,
    parliament  INTEGER NOT NULL DEFAULT 0,
    mp          INTEGER NOT NULL DEFAULT 0,
    ngo         INTEGER NOT NULL DEFAULT 0,
    other       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (topic_id, day)
) WITHOUT ROWID;

INSERT INTO topic_day_counts (topic_id, day, news, un, parliament, mp, ngo, other)
SELECT it.topic_id, substr(it.published_at, 1, 10), sum(s.kind = 'news'), sum(s.kind = 'un'),
       sum(s.kind = 'parliament'), sum(s.kind = 'mp'), sum(s.kind = 'ngo'), sum(s.kind = 'other')
FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
WHERE it.state <> 'rejected'
GROUP BY 1, 2;

-- A link counts when it is added, stops counting when it goes (unless its topic, item or
-- source is going: their own triggers and cascades see to the counts), and moves when its
-- state or date changes.
-- +goose StatementBegin
CREATE TRIGGER item_topics_count_insert AFTER INSERT ON item_topics WHEN NEW.state <> 'rejected'
BEGIN
    INSERT INTO topic_day_counts (topic_id, day, news, un, parliament, mp, ngo, other)
    SELECT NEW.topic_id, substr(NEW.published_at, 1, 10), s.kind = 'news', s.kind = 'un', s.kind = 'parliament',
           s.kind = 'mp', s.kind = 'ngo', s.kind = 'other'
    FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = NEW.item_id
    ON CONFLICT (topic_id, day) DO UPDATE SET news = news + excluded.news, un = un + excluded.un,
        parliament = parliament + excluded.parliament, mp = mp + excluded.mp, ngo = ngo + excluded.ngo,
        other = other + excluded.other;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER item_topics_count_delete AFTER DELETE ON item_topics WHEN OLD.state <> 'rejected'
BEGIN
    UPDATE topic_day_counts SET news = news - (k.kind = 'news'), un = un - (k.kind = 'un'),
        parliament = parliament - (k.kind = 'parliament'), mp = mp - (k.kind = 'mp'), ngo = ngo - (k.kind = 'ngo'),
        other = other - (k.kind = 'other')
    FROM (SELECT s.kind FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = OLD.item_id) AS k
    WHERE topic_id = OLD.topic_id AND day = substr(OLD.published_at, 1, 10);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER item_topics_count_update AFTER UPDATE OF state, published_at, topic_id, item_id ON item_topics
BEGIN
    UPDATE topic_day_counts SET news = news - (k.kind = 'news'), un = un - (k.kind = 'un'),
        parliament = parliament - (k.kind = 'parliament'), mp = mp - (k.kind = 'mp'), ngo = ngo - (k.kind = 'ngo'),
        other = other - (k.kind = 'other')
    FROM (SELECT s.kind FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = OLD.item_id) AS k
    WHERE OLD.state <> 'rejected' AND topic_id = OLD.topic_id AND day = substr(OLD.published_at, 1, 10);
    INSERT INTO topic_day_counts (topic_id, day, news, un, parliament, mp, ngo, other)
    SELECT NEW.topic_id, substr(NEW.published_at, 1, 10), s.kind = 'news', s.kind = 'un', s.kind = 'parliament',
           s.kind = 'mp', s.kind = 'ngo', s.kind = 'other'
    FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = NEW.item_id AND NEW.state <> 'rejected'
    ON CONFLICT (topic_id, day) DO UPDATE SET news = news + excluded.news, un = un + excluded.un,
        parliament = parliament + excluded.parliament, mp = mp + excluded.mp, ngo = ngo + excluded.ngo,
        other = other + excluded.other;
END;
-- +goose StatementEnd

-- An item that goes takes its links' counts with it, while it can still name its source's
-- kind (its links go after it, by cascade, and find no item to count against).
-- +goose StatementBegin
CREATE TRIGGER items_count_delete BEFORE DELETE ON items
BEGIN
    UPDATE topic_day_counts SET news = news - (k.kind = 'news'), un = un - (k.kind = 'un'),
        parliament = parliament - (k.kind = 'parliament'), mp = mp - (k.kind = 'mp'), ngo = ngo - (k.kind = 'ngo'),
        other = other - (k.kind = 'other')
    FROM (SELECT kind FROM sources WHERE id = OLD.source_id) AS k
    WHERE (topic_id, day) IN (SELECT it.topic_id, substr(it.published_at, 1, 10) FROM item_topics it
                              WHERE it.item_id = OLD.id AND it.state <> 'rejected');
END;
-- +goose StatementEnd

-- A source that goes takes its items' counts with it (its items go after it, by cascade,
-- and find no source to count against).
-- +goose StatementBegin
CREATE TRIGGER sources_count_delete BEFORE DELETE ON sources
BEGIN
    UPDATE topic_day_counts SET news = news - (OLD.kind = 'news') * g.n, un = un - (OLD.kind = 'un') * g.n,
        parliament = parliament - (OLD.kind = 'parliament') * g.n, mp = mp - (OLD.kind = 'mp') * g.n,
        ngo = ngo - (OLD.kind = 'ngo') * g.n, other = other - (OLD.kind = 'other') * g.n
    FROM (SELECT it.topic_id AS t, substr(it.published_at, 1, 10) AS d, count(*) AS n
          FROM item_topics it JOIN items i ON i.id = it.item_id
          WHERE i.source_id = OLD.id AND it.state <> 'rejected' GROUP BY 1, 2) AS g
    WHERE topic_id = g.t AND day = g.d;
END;
-- +goose StatementEnd

-- A source whose kind changes moves its items' counts: the topics it feeds are counted again.
-- +goose StatementBegin
CREATE TRIGGER sources_count_kind AFTER UPDATE OF kind ON sources WHEN OLD.kind <> NEW.kind
BEGIN
    DELETE FROM topic_day_counts WHERE topic_id IN (
        SELECT DISTINCT it.topic_id FROM item_topics it JOIN items i ON i.id = it.item_id WHERE i.source_id = NEW.id);
    INSERT INTO topic_day_counts (topic_id, day, news, un, parliament, mp, ngo, other)
    SELECT it.topic_id, substr(it.published_at, 1, 10), sum(s.kind = 'news'), sum(s.kind = 'un'),
           sum(s.kind = 'parliament'), sum(s.kind = 'mp'), sum(s.kind = 'ngo'), sum(s.kind = 'other')
    FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
    WHERE it.state <> 'rejected' AND it.topic_id IN (
        SELECT DISTINCT it2.topic_id FROM item_topics it2 JOIN items i2 ON i2.id = it2.item_id WHERE i2.source_id = NEW.id)
    GROUP BY 1, 2;
END;
-- +goose StatementEnd

-- A topic page counts each statement's cited sources: the index answers it alone.
CREATE INDEX evidence_citations ON evidence (statement_id, state, item_id, sentence_hash);

-- +goose Down
DROP INDEX evidence_citations;
DROP TRIGGER sources_count_kind;
DROP TRIGGER sources_count_delete;
DROP TRIGGER items_count_delete;
DROP TRIGGER item_topics_count_update;
DROP TRIGGER item_topics_count_delete;
DROP TRIGGER item_topics_count_insert;
DROP TABLE topic_day_counts;
ALTER TABLE sources DROP COLUMN body_hash;
