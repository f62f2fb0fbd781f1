-- +goose Up
-- Re-polling a feed that sends the same body again (no ETag, or one that changes anyway)
-- used to parse and normalize every item to find nothing new: the hash of the last body
-- stored lets the ingester skip that work.
ALTER TABLE sources ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';

-- How many of a topic's items each source kind published each (UTC) day, counting the links
-- the public timeline shows (not rejected). The topic page's chart and the topic lists read
-- it, instead of counting a big topic's links at every request. Triggers keep it exact
-- whatever writes item_topics (ingest, re-matching, curation), and when items, sources or
-- source kinds change; a row whose count falls to 0 stays, and readers skip it.
CREATE TABLE topic_day_counts (
    topic_id  INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (topic_id, day, kind)
) WITHOUT ROWID;

INSERT INTO topic_day_counts (topic_id, day, kind, n)
SELECT it.topic_id, substr(it.published_at, 1, 10), s.kind, count(*)
FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
WHERE it.state <> 'rejected'
GROUP BY 1, 2, 3;

-- A link counts when it is added, stops counting when it goes (unless its topic, item or
-- source is going: their own triggers and cascades see to the counts), and moves when its
-- state or date changes.
-- +goose StatementBegin
CREATE TRIGGER item_topics_count_insert AFTER INSERT ON item_topics WHEN NEW.state <> 'rejected'
BEGIN
    INSERT INTO topic_day_counts (topic_id, day, kind, n)
    VALUES (NEW.topic_id, substr(NEW.published_at, 1, 10),
            (SELECT s.kind FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = NEW.item_id), 1)
    ON CONFLICT (topic_id, day, kind) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER item_topics_count_delete AFTER DELETE ON item_topics WHEN OLD.state <> 'rejected'
BEGIN
    UPDATE topic_day_counts SET n = n - 1
    WHERE topic_id = OLD.topic_id AND day = substr(OLD.published_at, 1, 10)
      AND kind = (SELECT s.kind FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = OLD.item_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER item_topics_count_update AFTER UPDATE OF state, published_at, topic_id, item_id ON item_topics
BEGIN
    UPDATE topic_day_counts SET n = n - 1
    WHERE OLD.state <> 'rejected' AND topic_id = OLD.topic_id AND day = substr(OLD.published_at, 1, 10)
      AND kind = (SELECT s.kind FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = OLD.item_id);
    INSERT INTO topic_day_counts (topic_id, day, kind, n)
    SELECT NEW.topic_id, substr(NEW.published_at, 1, 10), s.kind, 1
    FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = NEW.item_id AND NEW.state <> 'rejected'
    ON CONFLICT (topic_id, day, kind) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- An item that goes takes its links' counts with it, while it can still name its source's
-- kind (its links go after it, by cascade, and find no item to count against).
-- +goose StatementBegin
CREATE TRIGGER items_count_delete BEFORE DELETE ON items
BEGIN
    UPDATE topic_day_counts SET n = n - 1
    WHERE kind = (SELECT kind FROM sources WHERE id = OLD.source_id)
      AND (topic_id, day) IN (SELECT it.topic_id, substr(it.published_at, 1, 10) FROM item_topics it
                              WHERE it.item_id = OLD.id AND it.state <> 'rejected');
END;
-- +goose StatementEnd

-- A source that goes takes its items' counts with it (its items go after it, by cascade,
-- and find no source to count against).
-- +goose StatementBegin
CREATE TRIGGER sources_count_delete BEFORE DELETE ON sources
BEGIN
    UPDATE topic_day_counts SET n = n - (
        SELECT count(*) FROM item_topics it JOIN items i ON i.id = it.item_id
        WHERE i.source_id = OLD.id AND it.state <> 'rejected'
          AND it.topic_id = topic_day_counts.topic_id AND substr(it.published_at, 1, 10) = topic_day_counts.day)
    WHERE kind = OLD.kind AND topic_id IN (
        SELECT DISTINCT it.topic_id FROM item_topics it JOIN items i ON i.id = it.item_id WHERE i.source_id = OLD.id);
END;
-- +goose StatementEnd

-- A source whose kind changes moves its items' counts: the topics it feeds are counted again.
-- +goose StatementBegin
CREATE TRIGGER sources_count_kind AFTER UPDATE OF kind ON sources WHEN OLD.kind <> NEW.kind
BEGIN
    DELETE FROM topic_day_counts WHERE topic_id IN (
        SELECT DISTINCT it.topic_id FROM item_topics it JOIN items i ON i.id = it.item_id WHERE i.source_id = NEW.id);
    INSERT INTO topic_day_counts (topic_id, day, kind, n)
    SELECT it.topic_id, substr(it.published_at, 1, 10), s.kind, count(*)
    FROM item_topics it JOIN items i ON i.id = it.item_id JOIN sources s ON s.id = i.source_id
    WHERE it.state <> 'rejected' AND it.topic_id IN (
        SELECT DISTINCT it2.topic_id FROM item_topics it2 JOIN items i2 ON i2.id = it2.item_id WHERE i2.source_id = NEW.id)
    GROUP BY 1, 2, 3;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER sources_count_kind;
DROP TRIGGER sources_count_delete;
DROP TRIGGER items_count_delete;
DROP TRIGGER item_topics_count_update;
DROP TRIGGER item_topics_count_delete;
DROP TRIGGER item_topics_count_insert;
DROP TABLE topic_day_counts;
ALTER TABLE sources DROP COLUMN body_hash;
