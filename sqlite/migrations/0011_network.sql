-- The clinic network (issue 14): what changed here, in the order it
-- changed, so the clinic's server gets each change once and in order
-- (a cursor, not a time: clocks differ between kiosks), and the
-- acknowledgement of an urgent session's alert.

-- A counter of changes, and whether changes are being heard: a pull from
-- the server sets quiet for its own transaction, so what another node
-- sent is not sent back.
CREATE TABLE change_clock (
    one   INTEGER PRIMARY KEY CHECK (one = 1),
    rev   INTEGER NOT NULL,
    quiet INTEGER NOT NULL DEFAULT 0 CHECK (quiet IN (0, 1))
) STRICT;

-- Each session and patient that changed, once, at its latest change.
CREATE TABLE changes (
    kind TEXT NOT NULL CHECK (kind IN ('session', 'patient', 'setting')),
    id   TEXT NOT NULL,
    rev  INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX changes_by_rev ON changes (rev);

-- Everything here so far changed once, oldest first.
INSERT INTO changes (kind, id, rev)
SELECT 'session', id, row_number() OVER (ORDER BY started, id) FROM sessions;
INSERT INTO changes (kind, id, rev)
SELECT 'patient', id, (SELECT count(*) FROM sessions) + row_number() OVER (ORDER BY created, id) FROM patients;
INSERT INTO changes (kind, id, rev)
SELECT 'setting', key, (SELECT count(*) FROM changes) + row_number() OVER (ORDER BY key) FROM settings;
INSERT INTO change_clock (one, rev) VALUES (1, (SELECT count(*) FROM changes));

CREATE TRIGGER sessions_added AFTER INSERT ON sessions WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('session', NEW.id, (SELECT rev FROM change_clock));
END;
CREATE TRIGGER sessions_changed AFTER UPDATE ON sessions WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('session', NEW.id, (SELECT rev FROM change_clock));
END;
CREATE TRIGGER records_added AFTER INSERT ON records WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('session', NEW.session_id, (SELECT rev FROM change_clock));
END;
CREATE TRIGGER patients_added AFTER INSERT ON patients WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('patient', NEW.id, (SELECT rev FROM change_clock));
END;
CREATE TRIGGER patients_changed AFTER UPDATE ON patients WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('patient', NEW.id, (SELECT rev FROM change_clock));
END;
CREATE TRIGGER patient_records_added AFTER INSERT ON patient_records WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('patient', NEW.patient_id, (SELECT rev FROM change_clock));
END;

-- A setting changed (the network carries the clinic's own; a node's own,
-- its printer or its name, stay: settings.Def.Local).
CREATE TRIGGER settings_added AFTER INSERT ON settings WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('setting', NEW.key, (SELECT rev FROM change_clock));
END;
CREATE TRIGGER settings_changed AFTER UPDATE ON settings WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('setting', NEW.key, (SELECT rev FROM change_clock));
END;

-- An urgent session's alert answered: when, and the staff member's name
-- (clear, as reviewed_by: the queue and every desk show "Sam is on it").
ALTER TABLE sessions ADD COLUMN acked TEXT;
ALTER TABLE sessions ADD COLUMN acked_by TEXT NOT NULL DEFAULT '';

-- This database in the clinic network: the server's sequence of the last
-- item pulled from it, and the last change pushed (a rev of the clock).
CREATE TABLE hub_cursor (
    one    INTEGER PRIMARY KEY CHECK (one = 1),
    pushed INTEGER NOT NULL DEFAULT 0,
    pulled INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO hub_cursor (one) VALUES (1);

-- The last number seen of each node's items of each kind: a node numbers
-- what it pushes 1, 2, 3… and signs it, so an item the server left out,
-- replayed or put out of order shows here.
CREATE TABLE hub_seen (
    node TEXT NOT NULL,
    kind TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (node, kind)
) STRICT, WITHOUT ROWID;
