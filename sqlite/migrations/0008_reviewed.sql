-- Printed and reviewed are two facts of their own, each only moving
-- forward: printed at a time; reviewed by a named staff member at a time.
-- Before, they were steps of the status ladder (new < reviewed < printed),
-- so a print hid an urgent session no one had reviewed. The status keeps
-- only where the session stands in its life (in_progress, new,
-- incomplete). attention pins a session without an alert (the concern
-- table: PHQ-9 item 9 declined, pregnancy, seizures), as urgent pins one
-- with an alert. None of these names a patient.
ALTER TABLE sessions ADD COLUMN attention INTEGER NOT NULL DEFAULT 0 CHECK (attention IN (0, 1));
ALTER TABLE sessions ADD COLUMN printed TEXT;
ALTER TABLE sessions ADD COLUMN reviewed TEXT;
ALTER TABLE sessions ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';

-- The audit log says who marked each session reviewed, and when it was
-- printed or saved: the first of each is taken. A session the old ladder
-- called printed is not taken as reviewed unless someone marked it so.
UPDATE sessions SET
    reviewed = (SELECT at FROM audit WHERE action = 'mark_reviewed' AND target = sessions.id ORDER BY seq LIMIT 1),
    reviewed_by = coalesce((SELECT actor FROM audit WHERE action = 'mark_reviewed' AND target = sessions.id ORDER BY seq LIMIT 1), '')
WHERE status IN ('reviewed', 'printed');
-- a session reviewed elsewhere (an imported copy: an import brings no
-- audit entry of the other place's): reviewed when it ended
UPDATE sessions SET reviewed = ended WHERE status = 'reviewed' AND reviewed IS NULL;
UPDATE sessions SET
    printed = coalesce((SELECT at FROM audit WHERE action = 'print' AND target = sessions.id ORDER BY seq LIMIT 1), ended)
WHERE status = 'printed';
UPDATE sessions SET status = CASE WHEN completed IS NULL THEN 'incomplete' ELSE 'new' END
WHERE status IN ('reviewed', 'printed');
