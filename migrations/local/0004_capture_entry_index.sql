-- Jotline local database, version 4: the timeline finds the voice memo of each entry on a
-- page in one indexed query. Shipped migrations are never edited: add 0005_*.sql instead.
CREATE INDEX pending_captures_entry ON pending_captures (entry_id);
