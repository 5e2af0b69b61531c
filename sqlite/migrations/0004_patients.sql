-- Patients who come back for check-ins. The kiosk finds a patient by
-- their check-in code without reading anything about them: only a slow,
-- memory-hard keyed hash of the code is in clear. Everything else (the
-- code itself, the screening it is linked to, taper plans) is sealed
-- under the patient's own data key, like a session's records.
CREATE TABLE patients (
    id         TEXT PRIMARY KEY,
    code_hash  BLOB NOT NULL UNIQUE,   -- argon2id(code, code_key)
    sealed_key BLOB NOT NULL,          -- the patient's data key, sealed to clinic_keys
    created    TEXT NOT NULL
) STRICT;

CREATE TABLE patient_records (
    id         INTEGER PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    recorded   TEXT NOT NULL,
    payload    BLOB NOT NULL
) STRICT;

CREATE INDEX patient_records_by_patient ON patient_records (patient_id, id);

-- A screening linked to a code, and each check-in, name their patient:
-- a patient's timeline is one index look-up.
ALTER TABLE sessions ADD COLUMN patient_id TEXT REFERENCES patients (id);
CREATE INDEX sessions_by_patient ON sessions (patient_id, started);

-- The key of the code hash (made at first use) and the kiosk-wide count
-- of wrong codes in a row, which slows the next attempts down.
CREATE TABLE code_guard (
    one        INTEGER PRIMARY KEY CHECK (one = 1),
    code_key   BLOB NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0,
    wait_until TEXT
) STRICT;
