-- When each instrument was last asked of a returning patient (issue 16):
-- a check-in asks what the clinic's schedule has due for them (the BAM
-- weekly, the PHQ-9 every two weeks), and the kiosk cannot read their
-- sealed sessions. So the day, and only the day, is in clear: no answer,
-- no score, not even whether it was answered (the schedule is the same
-- for every patient, and each check-in's day is in clear already). The
-- kiosk writes it when a check-in is submitted, the desk when it gives a
-- code (the screening's instruments). It travels with the patient: the
-- triggers put the patient in the change log, and a merge keeps each
-- instrument's later day.
CREATE TABLE patient_asked (
    patient_id TEXT NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,   -- an instrument id
    day        TEXT NOT NULL,   -- YYYY-MM-DD, the clinic's calendar day
    PRIMARY KEY (patient_id, instrument)
) STRICT;

CREATE TRIGGER patient_asked_added AFTER INSERT ON patient_asked WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('patient', NEW.patient_id, (SELECT rev FROM change_clock));
END;
CREATE TRIGGER patient_asked_changed AFTER UPDATE ON patient_asked WHEN (SELECT quiet FROM change_clock) = 0
BEGIN
    UPDATE change_clock SET rev = rev + 1;
    INSERT OR REPLACE INTO changes (kind, id, rev) VALUES ('patient', NEW.patient_id, (SELECT rev FROM change_clock));
END;
