-- A check-in asks the date of birth after the code (issue 16). The kiosk
-- cannot open the sealed birth date, so a code issued from now on keeps,
-- in clear beside its code hash:
--
-- birth_hash      the first 32 bytes of argon2id(code, date of birth),
--                 keyed with code_guard.code_key (three passes, 19 MiB):
--                 what the kiosk matches the date typed against. Never
--                 the date itself.
-- checkin_sealed  what a check-in needs to know before it starts (the last
--                 day of the taper plan's check-ins), sealed with the last
--                 32 bytes of that same hash: only the code and the date
--                 of birth together open it. Always 64 bytes of text
--                 sealed, so its length says nothing.
--
-- Both are NULL for a code issued before: the kiosk asks the patient to
-- see the front desk, where staff give a new code.
ALTER TABLE patients ADD COLUMN birth_hash BLOB;
ALTER TABLE patients ADD COLUMN checkin_sealed BLOB;
