-- Jotline local database, version 2: what the sync client needs to apply pulled rows.
-- Shipped migrations are never edited: add 0003_*.sql instead.

-- The server's change version of the row as last pulled (NULL: never pulled). Informational
-- for now; the cursor in sync_meta is what drives pulling.
ALTER TABLE entries ADD COLUMN server_version INTEGER;
ALTER TABLE pending_captures ADD COLUMN server_version INTEGER;

-- Pulled rows that cannot be applied yet because a row they refer to has not arrived
-- (a capture whose entry sits on the next page). Retried after every applied page.
CREATE TABLE sync_parked (
    table_name TEXT NOT NULL,
    row_id     TEXT NOT NULL,
    row_json   TEXT NOT NULL,
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;
