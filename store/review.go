package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"intakekiosk/vault"
)

// Note is a counselor's note on a session. It is stored as a record of
// its own, sealed like the patient's answers and after them: a note never
// rewrites what the patient entered.
type Note struct {
	// By is the staff member who wrote it.
	By string `json:"by"`
	// Text is the note.
	Text string `json:"text"`
}

// MaxNoteLen is the longest note, in characters.
const MaxNoteLen = 2000

// ErrInProgress: a patient is still answering that session.
var ErrInProgress = errors.New("the patient has not finished this session yet")

// AddNote seals a counselor's note onto a finished session as a new record
// (the session's data key is opened with the clinic key, so the staff
// member must be unlocked) and writes note_added to the audit log, in one
// transaction. The note's text never reaches the audit log.
func (s *Store) AddNote(ctx context.Context, sessionID string, clinic *vault.ClinicKey, n Note, at time.Time) error {
	n.Text = strings.TrimSpace(n.Text)
	switch {
	case n.Text == "":
		return errors.New("add note: the note is empty")
	case utf8.RuneCountInString(n.Text) > MaxNoteLen:
		return fmt.Errorf("add note: the note is longer than %d characters", MaxNoteLen)
	case n.By == "":
		return errors.New("add note: no staff member named")
	}
	plain, err := json.Marshal(Payload{Note: &n})
	if err != nil {
		return fmt.Errorf("add note: %w", err)
	}
	err = s.auditTx(ctx, func(tx *sql.Tx) error {
		var status Status
		var sealedKey []byte
		err := tx.QueryRowContext(ctx, "SELECT status, sealed_key FROM sessions WHERE id = ?", sessionID).Scan(&status, &sealedKey)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSession
		}
		if err != nil {
			return err
		}
		if status == InProgress {
			return ErrInProgress
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
	return s.staffStatus(ctx, sessionID, Reviewed, Entry{At: at, Actor: by, Action: ActReview, Target: sessionID})
}

// MarkPrinted records that a staff member printed or saved a session's
// summary (detail says which: "printed on NAME", "saved as PDF"): its
// status becomes printed and the audit log says who, in one transaction.
func (s *Store) MarkPrinted(ctx context.Context, sessionID, by, detail string, at time.Time) error {
	return s.staffStatus(ctx, sessionID, Printed, Entry{At: at, Actor: by, Action: ActPrint, Target: sessionID, Detail: detail})
}

// staffStatus moves a finished session forward (new or incomplete, then
// reviewed, then printed; never back) and appends e to the audit log.
func (s *Store) staffStatus(ctx context.Context, sessionID string, to Status, e Entry) error {
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		var status Status
		err := tx.QueryRowContext(ctx, "SELECT status FROM sessions WHERE id = ?", sessionID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSession
		}
		if err != nil {
			return err
		}
		if status == InProgress {
			return ErrInProgress
		}
		if statusRank[to] > statusRank[status] {
			if _, err := tx.ExecContext(ctx, "UPDATE sessions SET status = ? WHERE id = ?", to, sessionID); err != nil {
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

// statusRank orders the statuses staff move a session through.
var statusRank = map[Status]int{InProgress: 0, New: 1, Incomplete: 1, Reviewed: 2, Printed: 3}
