-- A cursor per destination: what went to each place ("bundle" for the
-- transfer bundles, later the clinic's server) and when. A session or a
-- returning patient goes to a destination again when it has records newer
-- than its sending there, or when its row changed in a way that travels
-- (a screening linked to a returning patient: its rows here are dropped).
-- It replaces the one exported column of each table (one destination
-- only), whose times move here as the bundle's.
CREATE TABLE sent (
    destination TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('session', 'patient')),
    id          TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (destination, kind, id)
) STRICT, WITHOUT ROWID;

INSERT INTO sent (destination, kind, id, at)
    SELECT 'bundle', 'session', id, exported FROM sessions WHERE exported IS NOT NULL;
INSERT INTO sent (destination, kind, id, at)
    SELECT 'bundle', 'patient', id, exported FROM patients WHERE exported IS NOT NULL;

ALTER TABLE sessions DROP COLUMN exported;
ALTER TABLE patients DROP COLUMN exported;
