-- Jotline local database, version 1.
-- Shipped migrations are never edited: add 0002_*.sql instead (and list it in
-- src-tauri/core/src/store/migrations.rs). Times are INTEGER milliseconds since the Unix epoch (UTC).

-- The journal. `seq` is a stable integer key for the FTS index (an implicit rowid could be
-- renumbered by VACUUM); `id` is the client-made UUIDv7 that sync uses.
CREATE TABLE entries (
    seq         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL DEFAULT 'note',
    title       TEXT,
    body        TEXT    NOT NULL DEFAULT '',
    occurred_at INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);

-- Timeline order (newest first) over live entries only.
CREATE INDEX entries_timeline ON entries (occurred_at DESC, id DESC) WHERE deleted_at IS NULL;

-- Derived from `#tag` / `@person` in title and body; rebuilt on every write of the entry.
CREATE TABLE entry_tags (
    entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (entry_id, tag)
) WITHOUT ROWID;
CREATE INDEX entry_tags_by_tag ON entry_tags (tag, entry_id);

CREATE TABLE entry_people (
    entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    person   TEXT NOT NULL,
    PRIMARY KEY (entry_id, person)
) WITHOUT ROWID;
CREATE INDEX entry_people_by_person ON entry_people (person, entry_id);

-- Full-text index over live entries (external content: the text lives once, in `entries`).
CREATE VIRTUAL TABLE entries_fts USING fts5 (
    title,
    body,
    content = 'entries',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO entries_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;

CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries WHEN old.deleted_at IS NULL BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
END;

-- One trigger, so the old text leaves the index before the new text enters it.
CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, body, deleted_at ON entries BEGIN
    INSERT INTO entries_fts (entries_fts, rowid, title, body)
        SELECT 'delete', old.seq, old.title, old.body WHERE old.deleted_at IS NULL;
    INSERT INTO entries_fts (rowid, title, body)
        SELECT new.seq, new.title, new.body WHERE new.deleted_at IS NULL;
END;

-- Raw captures, as typed or spoken, before/after they became entries.
CREATE TABLE pending_captures (
    id                TEXT    PRIMARY KEY NOT NULL,
    created_at        INTEGER NOT NULL,
    surface           TEXT    NOT NULL CHECK (surface IN ('desktop_hotkey', 'in_app', 'cli')),
    text              TEXT,
    audio_path        TEXT,
    audio_duration_ms INTEGER,
    parse_status      TEXT    NOT NULL DEFAULT 'pending'
                      CHECK (parse_status IN ('pending', 'uploading', 'parsing', 'ready', 'error')),
    error             TEXT,
    retry_count       INTEGER NOT NULL DEFAULT 0,
    last_attempt_at   INTEGER,
    context           TEXT,   -- JSON snapshot of the capture context
    entry_id          TEXT    REFERENCES entries (id)
);
CREATE INDEX pending_captures_unfinished ON pending_captures (created_at)
    WHERE parse_status <> 'ready';

-- Local mutations waiting to be pushed. `op_seq` comes from sync_meta.last_op_seq and is
-- never reused, even after rows here are deleted: the server dedupes by it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    op_seq          INTEGER NOT NULL UNIQUE,
    table_name      TEXT    NOT NULL,
    row_id          TEXT    NOT NULL,
    op              TEXT    NOT NULL CHECK (op IN ('upsert', 'delete')),
    changed_fields  TEXT    NOT NULL DEFAULT '[]',   -- JSON array of column names
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_error      TEXT,
    dead            INTEGER NOT NULL DEFAULT 0 CHECK (dead IN (0, 1))
);
CREATE INDEX outbox_live ON outbox (dead, op_seq);
CREATE INDEX outbox_row ON outbox (table_name, row_id);

-- Sync bookkeeping: exactly one row (id = 1), created at open.
CREATE TABLE sync_meta (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    client_id    TEXT    NOT NULL,
    user_id      TEXT,
    cursor       TEXT,
    last_pull_at INTEGER,
    last_push_at INTEGER,
    last_op_seq  INTEGER NOT NULL DEFAULT 0
);
