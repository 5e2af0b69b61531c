-- The desk's search cache (issue 14): each session's queue summary (the
-- name, scores, reasons, notes count and check-in code the queue shows
-- and a search matches), sealed, so that a desk signed in again reads a
-- 30-day search without opening every session with the clinic key.
--
-- Local to this database: a cache, made again from the sessions' records
-- whenever it is missing or stale. No trigger puts it in the change log,
-- no bundle or push carries it, a salvage leaves it behind.

-- The cache's key: 32 random bytes sealed to the clinic's public key as a
-- session's data key is (age), opened once a sign-in. When the clinic key
-- signed in no longer opens it, the cache is dropped and a new key made.
CREATE TABLE summary_key (
    one    INTEGER PRIMARY KEY CHECK (one = 1),
    sealed BLOB NOT NULL
) STRICT;

-- A session's summary, sealed with the cache's key (XChaCha20-Poly1305,
-- bound to the session id and the mark). mark is in clear: a digest of
-- what the summary was made from (the session's clear fields that enter
-- it, the last record row of it and of its patient, the instruments),
-- so a summary whose session changed since (a note pulled
-- from another desk, a code given) reads as stale. It holds nothing that
-- the rows it digests do not show in clear.
CREATE TABLE summaries (
    session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    mark       TEXT NOT NULL,
    sealed     BLOB NOT NULL
) STRICT;
