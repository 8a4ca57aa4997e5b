-- Jotline local database, version 5: the user's devices as the server last listed them, for
-- delivery receipts (is an entry on every other device yet?). Replaced whole by every listing
-- (`list_devices`); times are this computer's clock (the server's, shifted by the offset
-- between the two at listing), in ms. Shipped migrations are never edited.
CREATE TABLE devices (
    client_id      TEXT PRIMARY KEY,
    name           TEXT,
    -- Every change with a version at or below it is on that device; NULL: not known.
    pulled_version INTEGER,
    pulled_at      INTEGER,
    last_seen_at   INTEGER,
    created_at     INTEGER
) STRICT;
