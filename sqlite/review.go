package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/vault"
)

// MaxNoteLen is the longest note, in characters.
const MaxNoteLen = 2000

// AddNote seals a counselor's note onto a finished session as a new record
// (the session's data key is opened with the clinic key, so the staff
// member must be unlocked) and writes note_added to the audit log, in one
// transaction. The note's text never reaches the audit log.
func (s *Store) AddNote(ctx context.Context, sessionID string, clinic *vault.ClinicKey, n intakekiosk.Note, at time.Time) error {
	n.Text = strings.TrimSpace(n.Text)
	switch {
	case n.Text == "":
		return errors.New("add note: the note is empty")
	case utf8.RuneCountInString(n.Text) > MaxNoteLen:
		return fmt.Errorf("add note: the note is longer than %d characters", MaxNoteLen)
	case n.By == "":
		return errors.New("add note: no staff member named")
	}
	err := s.AddStaffRecords(ctx, clinic, []StaffRecord{{Session: sessionID, Payload: intakekiosk.Payload{Note: &n}}}, at,
		Entry{At: at, Actor: n.By, Action: ActNote, Target: sessionID})
	if err != nil {
		return fmt.Errorf("add note to session %s: %w", sessionID, err)
	}
	return nil
}

// MarkReviewed records that a staff member reviewed a finished session:
// the first review is kept (by whom, when) and every one is audited, in
// one transaction. Only this unpins an urgent session.
func (s *Store) MarkReviewed(ctx context.Context, sessionID, by string, at time.Time) error {
	return s.staffMark(ctx, sessionID, "reviewed", "UPDATE sessions SET reviewed = ?, reviewed_by = ? WHERE id = ? AND reviewed IS NULL",
		[]any{ts(at), by, sessionID}, Entry{At: at, Actor: by, Action: ActReview, Target: sessionID})
}

// MarkPrinted records that a staff member printed or saved a session's
// summary (detail says which: "printed on NAME", "saved as PDF"): the
// first time is kept and every one is audited, in one transaction. It
// does not review the session.
func (s *Store) MarkPrinted(ctx context.Context, sessionID, by, detail string, at time.Time) error {
	return s.staffMark(ctx, sessionID, "printed", "UPDATE sessions SET printed = ? WHERE id = ? AND printed IS NULL",
		[]any{ts(at), sessionID}, Entry{At: at, Actor: by, Action: ActPrint, Target: sessionID, Detail: detail})
}

// ErrNotUrgent: the session raised no alert, so there is none to answer.
var ErrNotUrgent error = fault.E(fault.Invalid, "the session is not urgent: it raised no alert")

// Acknowledge puts on record that a staff member, by, answered an urgent
// session's alert at a time (the queue and every desk then show who is on
// it), and appends e to the audit log, in one transaction. The first
// answer is kept: a later one, here or pulled from another desk, changes
// nothing and is not audited (it returns nil: the alert is answered). A
// session still in progress can be answered (a patient in crisis at the
// kiosk); one that raised no alert is ErrNotUrgent.
func (s *Store) Acknowledge(ctx context.Context, sessionID, by string, at time.Time, e Entry) error {
	if by == "" {
		return fmt.Errorf("acknowledge session %s: %w", sessionID, &fault.Error{Op: "acknowledge", Kind: fault.Invalid, Err: errors.New("no staff member named")})
	}
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		var urgent bool
		err := tx.QueryRowContext(ctx, "SELECT urgent FROM sessions WHERE id = ?", sessionID).Scan(&urgent)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSession
		}
		if err != nil {
			return err
		}
		if !urgent {
			return ErrNotUrgent
		}
		res, err := tx.ExecContext(ctx, "UPDATE sessions SET acked = ?, acked_by = ? WHERE id = ? AND acked IS NULL", ts(at), by, sessionID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // answered before: the first answer stands
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("acknowledge session %s: %w", sessionID, err)
	}
	return nil
}

// staffMark puts what staff did with a finished session on record (query
// sets it once: a mark only moves forward) and appends e to the audit
// log. A session a patient is still at is refused (ErrInProgress).
func (s *Store) staffMark(ctx context.Context, sessionID, what, query string, args []any, e Entry) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		var status intakekiosk.Status
		err := tx.QueryRowContext(ctx, "SELECT status FROM sessions WHERE id = ?", sessionID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSession
		}
		if err != nil {
			return err
		}
		if status == intakekiosk.InProgress {
			return intakekiosk.ErrInProgress
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("mark session %s %s: %w", sessionID, what, err)
	}
	return nil
}
