-- API tokens and the revisions made through the API. Neither table refers
-- to the graph's tables, so this migration stands on its own.

-- A token is stored only as the SHA-256 hash of its secret. A revoked
-- token keeps its row, so that its name, which revisions record as their
-- author, is never given to another token.
CREATE TABLE tokens (
    name       TEXT PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role IN ('READER', 'EDITOR', 'ADMIN')),
    hash       BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;

-- A revision is one changeset as it was applied: who sent it, when, the
-- seed text it carried (body), and what it added to and changed in the
-- graph.
-- touched is a JSON array of the objects it touched, as ["Company:slug", ...].
CREATE TABLE revisions (
    id              INTEGER PRIMARY KEY,
    author          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    message         TEXT NOT NULL,
    source_slug     TEXT NOT NULL,
    added           INTEGER NOT NULL,
    changed         INTEGER NOT NULL,
    idempotency_key TEXT UNIQUE,
    body            TEXT NOT NULL,
    touched         TEXT NOT NULL DEFAULT '[]'
) STRICT;
CREATE INDEX revisions_by_author ON revisions (author, id);
CREATE INDEX revisions_by_source ON revisions (source_slug, id);
