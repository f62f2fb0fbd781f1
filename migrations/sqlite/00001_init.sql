-- +goose Up
-- The records of docs/design.md. Times are stored by the application in UTC, to the
-- microsecond, in modernc's "sqlite" text format, so they sort as text.

CREATE TABLE topics (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    rule        TEXT NOT NULL DEFAULT '',
    visibility  TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('public', 'private')),
    archived    BOOLEAN NOT NULL DEFAULT 0,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE members (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    constituency  TEXT NOT NULL DEFAULT '',
    party         TEXT NOT NULL DEFAULT '',
    external_id   TEXT UNIQUE,
    created_at    DATETIME NOT NULL
);

CREATE TABLE sources (
    id                  INTEGER PRIMARY KEY,
    url                 TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL DEFAULT '',
    site_url            TEXT NOT NULL DEFAULT '',
    kind                TEXT NOT NULL DEFAULT 'news'
                        CHECK (kind IN ('news', 'un', 'parliament', 'mp', 'ngo', 'other')),
    member_id           INTEGER REFERENCES members(id) ON DELETE SET NULL,
    etag                TEXT NOT NULL DEFAULT '',
    last_modified       TEXT NOT NULL DEFAULT '',
    cursor              TEXT NOT NULL DEFAULT '',
    fetch_interval      INTEGER NOT NULL DEFAULT 900,
    next_fetch_at       DATETIME NOT NULL,
    last_fetched_at     DATETIME,
    last_changed_at     DATETIME,
    last_status         INTEGER NOT NULL DEFAULT 0,
    consecutive_errors  INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT NOT NULL DEFAULT '',
    disabled            BOOLEAN NOT NULL DEFAULT 0,
    created_at          DATETIME NOT NULL
);
CREATE INDEX sources_due ON sources (next_fetch_at) WHERE NOT disabled;

CREATE TABLE items (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    guid          TEXT NOT NULL,
    url           TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    excerpt       TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    author        TEXT NOT NULL DEFAULT '',
    published_at  DATETIME NOT NULL,
    fetched_at    DATETIME NOT NULL,
    content_hash  TEXT NOT NULL DEFAULT '',
    cluster_id    INTEGER,
    UNIQUE (source_id, guid)
);
CREATE INDEX items_published ON items (published_at DESC, id DESC);
CREATE INDEX items_source_published ON items (source_id, published_at DESC);
CREATE INDEX items_cluster ON items (cluster_id);

-- Full text over the folded title and text (docket.Fold), written by the application, so the
-- same words match on both databases. Contentless: the text lives in items.
CREATE VIRTUAL TABLE items_fts USING fts5 (
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE item_topics (
    item_id       INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    topic_id      INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    origin        TEXT NOT NULL DEFAULT 'rule' CHECK (origin IN ('rule', 'manual')),
    state         TEXT NOT NULL DEFAULT 'suggested' CHECK (state IN ('suggested', 'confirmed', 'rejected')),
    terms         TEXT NOT NULL DEFAULT '',
    pinned        BOOLEAN NOT NULL DEFAULT 0,
    published_at  DATETIME NOT NULL,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    PRIMARY KEY (item_id, topic_id)
);
-- Timelines read a topic's items newest first, by keyset (published_at, item_id).
CREATE INDEX item_topics_timeline ON item_topics (topic_id, published_at DESC, item_id DESC);

CREATE TABLE item_notes (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    topic_id    INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body        TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX item_notes_item ON item_notes (topic_id, item_id);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'researcher')),
    password_hash  TEXT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL
);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL,
    last_seen_at  DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  DATETIME NOT NULL,
    locked_until  DATETIME
);

CREATE TABLE follows (
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic_id      INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    last_seen_at  DATETIME NOT NULL,
    created_at    DATETIME NOT NULL,
    PRIMARY KEY (user_id, topic_id)
);

CREATE TABLE statements (
    id                     INTEGER PRIMARY KEY,
    member_id              INTEGER REFERENCES members(id) ON DELETE SET NULL,
    title                  TEXT NOT NULL,
    body                   TEXT NOT NULL DEFAULT '',
    kind                   TEXT NOT NULL CHECK (kind IN ('constituent_response', 'press_release', 'speech', 'written_question', 'article')),
    status                 TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'withdrawn')),
    version                INTEGER NOT NULL DEFAULT 1,
    revision               INTEGER NOT NULL DEFAULT 1,
    published_revision_id  INTEGER,
    published_at           DATETIME,
    source_url             TEXT NOT NULL DEFAULT '',
    origin                 TEXT NOT NULL CHECK (origin IN ('drafted', 'imported', 'ingested')),
    external_id            TEXT UNIQUE,
    created_by             INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status_changed_at      DATETIME NOT NULL,
    created_at             DATETIME NOT NULL,
    updated_at             DATETIME NOT NULL
);
CREATE INDEX statements_status ON statements (status, status_changed_at);
CREATE INDEX statements_member ON statements (member_id, published_at);

CREATE TABLE statement_revisions (
    id            INTEGER PRIMARY KEY,
    statement_id  INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    DATETIME NOT NULL,
    UNIQUE (statement_id, revision)
);

CREATE TABLE statement_topics (
    statement_id  INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    topic_id      INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    PRIMARY KEY (statement_id, topic_id)
);
CREATE INDEX statement_topics_topic ON statement_topics (topic_id);

CREATE TABLE status_events (
    id            INTEGER PRIMARY KEY,
    statement_id  INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    from_status   TEXT NOT NULL DEFAULT '',
    to_status     TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL
);
CREATE INDEX status_events_statement ON status_events (statement_id, id);

CREATE TABLE statement_comments (
    id            INTEGER PRIMARY KEY,
    statement_id  INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body          TEXT NOT NULL,
    created_at    DATETIME NOT NULL
);

CREATE TABLE evidence (
    id             INTEGER PRIMARY KEY,
    statement_id   INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    sentence_hash  TEXT NOT NULL,
    sentence_text  TEXT NOT NULL,
    item_id        INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    origin         TEXT NOT NULL CHECK (origin IN ('suggested', 'manual')),
    state          TEXT NOT NULL CHECK (state IN ('suggested', 'confirmed', 'rejected')),
    score          REAL NOT NULL DEFAULT 0,
    terms          TEXT NOT NULL DEFAULT '',
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     DATETIME NOT NULL,
    UNIQUE (statement_id, sentence_hash, item_id)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE evidence;
DROP TABLE statement_comments;
DROP TABLE status_events;
DROP TABLE statement_topics;
DROP TABLE statement_revisions;
DROP TABLE statements;
DROP TABLE follows;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE item_notes;
DROP TABLE item_topics;
DROP TABLE items_fts;
DROP TABLE items;
DROP TABLE sources;
DROP TABLE users;
DROP TABLE members;
DROP TABLE topics;
