-- Sessions: only what the staff queue needs without unlocking is in clear.
CREATE TABLE sessions (
    id        TEXT PRIMARY KEY,            -- UUIDv7
    kind      TEXT NOT NULL CHECK (kind IN ('screening', 'checkin')),
    status    TEXT NOT NULL CHECK (status IN ('in_progress', 'new', 'reviewed', 'printed', 'incomplete')),
    started   TEXT NOT NULL,               -- RFC 3339, UTC
    completed TEXT,                        -- RFC 3339, UTC; when submitted
    ended     TEXT,                        -- RFC 3339, UTC; when submitted or cut off
    urgent    INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1))
) STRICT;

CREATE INDEX sessions_by_start ON sessions (started);

-- Records: everything the patient entered, one row per tap, append-only.
-- payload goes through the store's Sealer; its plaintext is JSON.
CREATE TABLE records (
    id         INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    recorded   TEXT NOT NULL,              -- RFC 3339, UTC
    payload    BLOB NOT NULL
) STRICT;

CREATE INDEX records_by_session ON records (session_id, id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
