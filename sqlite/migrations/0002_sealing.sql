-- Sealing: the public keys sessions are sealed to, each session's sealed
-- data key, and the staff accounts that hold the clinic's private key
-- wrapped under their passphrases.
CREATE TABLE clinic_keys (
    public_key TEXT PRIMARY KEY,           -- age X25519 recipient, "age1..."
    label      TEXT NOT NULL,              -- "this clinic", "main clinic"
    added      TEXT NOT NULL
) STRICT;

ALTER TABLE sessions ADD COLUMN sealed_key BLOB;  -- the session's data key, sealed to clinic_keys

CREATE TABLE staff (
    name         TEXT PRIMARY KEY,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'counselor')),
    wrapped_key  BLOB,                     -- clinic private key under the passphrase; NULL once disabled
    created      TEXT NOT NULL,
    disabled     TEXT,
    failures     INTEGER NOT NULL DEFAULT 0, -- wrong passphrases in a row
    lockouts     INTEGER NOT NULL DEFAULT 0, -- lockouts since the last good unlock
    locked_until TEXT
) STRICT;
