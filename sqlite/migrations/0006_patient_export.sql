-- When each returning patient last left in a transfer bundle: a patient
-- whose records (a taper plan, a new code) are newer goes in the next
-- bundle of "all not yet exported", as does a session with newer records
-- (a counselor's note) than its own export time.
ALTER TABLE patients ADD COLUMN exported TEXT;
