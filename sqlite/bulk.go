package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"intakekiosk"
	"intakekiosk/vault"
)

// NewSession is a whole, finished session stored at once: synthetic demo
// patients, a paper form typed in later.
type NewSession struct {
	ID        string
	Kind      intakekiosk.SessionKind
	Status    intakekiosk.Status // New or Incomplete
	Started   time.Time
	Completed time.Time // zero: the patient did not finish
	Ended     time.Time // zero: Completed, else the last record's time
	Urgent    bool
	Attention bool
	// Printed and Reviewed (by ReviewedBy) are what staff did with it
	// (zero: not yet).
	Printed, Reviewed time.Time
	ReviewedBy        string
	// PatientID names the patient of a check-in (or of a linked
	// screening); "" for none.
	PatientID string
	Records   []intakekiosk.Record
}

// ActAdded: whole sessions stored at once (AddSessions), their records
// counted.
const ActAdded = "sessions_added"

// AddSessions stores whole sessions in one transaction, each sealed with
// a fresh data key to the clinic's public keys like a kiosk session, their
// records counted in one audit entry (ActAdded). Either all are stored or
// none.
func (s *Store) AddSessions(ctx context.Context, list []NewSession) error {
	if !s.IsSetUp() {
		return fmt.Errorf("add sessions: %w", ErrNotSetUp)
	}
	ids := make([]string, len(list))
	for i, ns := range list {
		ids[i] = ns.ID
	}
	err := s.auditTx(ctx, func(tx *sql.Tx) error {
		insSession, err := tx.PrepareContext(ctx, `INSERT INTO sessions (id, kind, status, started, completed, ended, urgent,
			attention, printed, reviewed, reviewed_by, sealed_key, patient_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insSession.Close()
		insRecord, err := tx.PrepareContext(ctx, "INSERT INTO records (session_id, recorded, payload, writer, seq) VALUES (?, ?, ?, ?, ?)")
		if err != nil {
			return err
		}
		defer insRecord.Close()
		for _, ns := range list {
			if err := s.addSession(ctx, insSession, insRecord, ns); err != nil {
				return fmt.Errorf("session %s: %w", ns.ID, err)
			}
		}
		return countedEntry(ctx, tx, Entry{At: s.now(), Actor: ActorKiosk, Action: ActAdded, Detail: fmt.Sprintf("%d sessions", len(list))}, ids, nil)
	})
	if err != nil {
		return fmt.Errorf("add sessions: %w", err)
	}
	return nil
}

// checkFinished checks the kind and status of a session stored whole (a
// bulk add, an import): a known kind, finished (new or incomplete).
func checkFinished(kind intakekiosk.SessionKind, status intakekiosk.Status) error {
	if kind != intakekiosk.Screening && kind != intakekiosk.Checkin {
		return fmt.Errorf("unknown kind %q", kind)
	}
	switch status {
	case intakekiosk.New, intakekiosk.Incomplete:
		return nil
	case intakekiosk.InProgress:
		return errors.New("a stored session cannot be in progress")
	}
	return fmt.Errorf("unknown status %q (new, incomplete)", status)
}

// tsOrNull is a time as stored, NULL for zero.
func tsOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func (s *Store) addSession(ctx context.Context, insSession, insRecord *sql.Stmt, ns NewSession) error {
	switch {
	case ns.ID == "":
		return errors.New("no id")
	case ns.Started.IsZero():
		return errors.New("no start time")
	}
	if err := checkFinished(ns.Kind, ns.Status); err != nil {
		return err
	}
	key, sealed, err := vault.NewSessionKey(s.rand, s.recipients)
	if err != nil {
		return err
	}
	ended := ns.Ended
	if ended.IsZero() {
		ended = ns.Completed
	}
	if ended.IsZero() {
		ended = ns.Started
		if n := len(ns.Records); n > 0 {
			ended = ns.Records[n-1].Recorded
		}
	}
	var completed any
	if !ns.Completed.IsZero() {
		completed = ts(ns.Completed)
	}
	var patient any
	if ns.PatientID != "" {
		patient = ns.PatientID
	}
	if _, err := insSession.ExecContext(ctx, ns.ID, ns.Kind, ns.Status, ts(ns.Started), completed, ts(ended), ns.Urgent,
		ns.Attention, tsOrNull(ns.Printed), tsOrNull(ns.Reviewed), ns.ReviewedBy, sealed, patient); err != nil {
		return err
	}
	for i, r := range ns.Records {
		plain, err := json.Marshal(r.Payload)
		if err != nil {
			return err
		}
		box, err := key.Seal(recordAD(ns.ID, s.writer, i+1), plain)
		if err != nil {
			return err
		}
		if _, err := insRecord.ExecContext(ctx, ns.ID, ts(r.Recorded), box, s.writerN, i+1); err != nil {
			return err
		}
	}
	return nil
}
