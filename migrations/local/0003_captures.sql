-- Jotline local database, version 3: capture tombstones and voice memos on this device.
-- Shipped migrations are never edited: add 0004_*.sql instead.

-- A capture deleted (here or on another device): kept as a tombstone like entries, so a
-- pulled delete lands and a later pull of an older version cannot bring the row back.
ALTER TABLE pending_captures ADD COLUMN deleted_at INTEGER;

-- Local only: the voice memo's WAV, a file name inside the app's audio folder. `audio_path`
-- (synced) is the object's path in the backend's Storage once it has been uploaded.
ALTER TABLE pending_captures ADD COLUMN audio_file TEXT;

-- Local only: 1 when the WAV was rescued at start-up from a recording that never finished
-- (the app was killed or the machine lost power while recording).
ALTER TABLE pending_captures ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0
    CHECK (recovered IN (0, 1));

CREATE UNIQUE INDEX pending_captures_audio_file ON pending_captures (audio_file)
    WHERE audio_file IS NOT NULL;
