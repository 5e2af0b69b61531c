package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"intakekiosk"
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
	plain, err := json.Marshal(intakekiosk.Payload{Note: &n})
	if err != nil {
		return fmt.Errorf("add note: %w", err)
	}
	err = s.auditTx(ctx, func(tx *sql.Tx) error {
		var status intakekiosk.Status
		var sealedKey []byte
		err := tx.QueryRowContext(ctx, "SELECT status, sealed_key FROM sessions WHERE id = ?", sessionID).Scan(&status, &sealedKey)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSession
		}
		if err != nil {
			return err
		}
		if status == intakekiosk.InProgress {
			return intakekiosk.ErrInProgress
		}
		key, err := clinic.OpenSessionKey(s.rand, sealedKey)
		if err != nil {
			return err
		}
		if err := appendSealed(ctx, tx, key, "records", "session_id", sessionID, recordAD, at, plain); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: at, Actor: n.By, Action: ActNote, Target: sessionID})
	})
	if err != nil {
		return fmt.Errorf("add note to session %s: %w", sessionID, err)
	}
	return nil
}

// MarkReviewed records that a staff member reviewed a finished session:
// its status becomes reviewed (unless it was already printed) and the
// audit log says who, in one transaction.
func (s *Store) MarkReviewed(ctx context.Context, sessionID, by string, at time.Time) error {
	return s.staffStatus(ctx, sessionID, intakekiosk.Reviewed, Entry{At: at, Actor: by, Action: ActReview, Target: sessionID})
}

// MarkPrinted records that a staff member printed or saved a session's
// summary (detail says which: "printed on NAME", "saved as PDF"): its
// status becomes printed and the audit log says who, in one transaction.
func (s *Store) MarkPrinted(ctx context.Context, sessionID, by, detail string, at time.Time) error {
	return s.staffStatus(ctx, sessionID, intakekiosk.Printed, Entry{At: at, Actor: by, Action: ActPrint, Target: sessionID, Detail: detail})
}

// staffStatus moves a finished session forward (new or incomplete, then
// reviewed, then printed; never back) and appends e to the audit log.
func (s *Store) staffStatus(ctx context.Context, sessionID string, to intakekiosk.Status, e Entry) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		var status intakekiosk.Status
		err := tx.QueryRowContext(ctx, "SELECT status FROM sessions WHERE id = ?", sessionID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSession
		}
		if err != nil {
			return err
		}
		next, err := status.Advance(to)
		if err != nil {
			return err
		}
		if next != status {
			if _, err := tx.ExecContext(ctx, "UPDATE sessions SET status = ? WHERE id = ?", next, sessionID); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return fmt.Errorf("mark session %s %s: %w", sessionID, to, err)
	}
	return nil
}
