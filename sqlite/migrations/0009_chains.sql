-- One chain of records per (session or patient, writer). A writer is a
-- database (a kiosk, later a desk): each numbers its own records of a
-- session or patient from 1, and seals each bound to the session, the
-- writer and the number, so two writers apart can both append and a merge
-- keeps both. A record's writer is a number (writers: the writer's id
-- once, not in each of millions of rows); 0 is the legacy chain, the
-- records written before,
-- numbered by their place, as they were sealed. A chain is read through
-- the owner's index (records_by_session, patient_records_by_patient): an
-- owner holds tens of records, and an index of its own would cost every
-- insert of a big import; the store checks each chain runs 1, 2, 3….
ALTER TABLE records ADD COLUMN writer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE records SET seq = n.place
FROM (SELECT id, row_number() OVER (PARTITION BY session_id ORDER BY id) AS place FROM records) AS n
WHERE records.id = n.id;

ALTER TABLE patient_records ADD COLUMN writer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patient_records ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE patient_records SET seq = n.place
FROM (SELECT id, row_number() OVER (PARTITION BY patient_id ORDER BY id) AS place FROM patient_records) AS n
WHERE patient_records.id = n.id;

CREATE TABLE writers (
    n  INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE
) STRICT;

-- This database as a writer: a random id made once (by the program, from
-- its random source).
CREATE TABLE node (
    one    INTEGER PRIMARY KEY CHECK (one = 1),
    writer TEXT NOT NULL
) STRICT;

-- What an audit entry commits of the record chains (JSON: per session and
-- patient, each writer's count; the sessions and patients deleted), in
-- its hash: a cut tail or a dropped session shows against the newest
-- count. '' for an entry that counts nothing (every older entry).
ALTER TABLE audit ADD COLUMN chain TEXT NOT NULL DEFAULT '';
