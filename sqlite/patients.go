package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/trend"
	"intakekiosk/vault"
)

// PatientPayload is one sealed record about a patient, written by staff:
// their check-in code (issued or replaced) with the date of birth its
// check-in hash was made with, the screening it is linked to, a taper
// plan or its end, a clinician's rating (COWS).
type PatientPayload struct {
	Code string `json:"code,omitempty"`
	// Birth is the date of birth (YYYY-MM-DD) the code's check-in hash
	// holds; "" in a code record written before check-ins asked it.
	Birth     string      `json:"birth,omitempty"`
	Screening string      `json:"screening,omitempty"`
	Plan      *trend.Plan `json:"plan,omitempty"`
	// EndPlan ends the taper plan in force.
	EndPlan bool `json:"end_plan,omitempty"`
	// Rating is a clinician's rating of the patient (AddRating).
	Rating *intakekiosk.Rating `json:"rating,omitempty"`
	// By is the staff member who recorded it.
	By string `json:"by"`
}

// PatientRecord is a patient record with its time.
type PatientRecord struct {
	Recorded time.Time
	PatientPayload
}

// ErrLinked: the screening already has a check-in code.
var ErrLinked = errors.New("this screening already has a check-in code")

// ErrNoPatient: no patient has that id.
var ErrNoPatient = errors.New("no such patient")

// IssueCode gives the patient of a finished screening a check-in code:
// a new patient, the code's keyed hash and its check-in hash with the
// date of birth (YYYY-MM-DD, the screening's: all the kiosk can match
// them by), the check-in box, and, sealed, the code, the date of birth
// and the screening it is linked to; the screening then names the
// patient. Staff hand the code to the patient on a slip. It is audited
// under by.
func (s *Store) IssueCode(ctx context.Context, screeningID, birth, by string, at time.Time) (patientID, code string, err error) {
	if _, err := normalBirth(birth); err != nil {
		return "", "", fmt.Errorf("issue code: %w", err)
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return "", "", fmt.Errorf("issue code: %w", err)
	}
	id, err := uuid.NewRandomFromReader(s.rand)
	if err != nil {
		return "", "", fmt.Errorf("issue code: %w", err)
	}
	patientID = id.String()
	dataKey, sealedKey, err := vault.NewSessionKey(s.rand, s.recipients)
	if err != nil {
		return "", "", fmt.Errorf("issue code: %w", err)
	}
	code, hash, err := s.freshCode(ctx, key)
	if err != nil {
		return "", "", fmt.Errorf("issue code: %w", err)
	}
	birthHash, box, err := s.sealCheckin(code, birth, patientID, nil, key)
	if err != nil {
		return "", "", fmt.Errorf("issue code: %w", err)
	}
	err = s.auditTx(ctx, func(tx *sql.Tx) error {
		var kind intakekiosk.SessionKind
		var status intakekiosk.Status
		var linked sql.NullString
		err := tx.QueryRowContext(ctx, "SELECT kind, status, patient_id FROM sessions WHERE id = ?", screeningID).Scan(&kind, &status, &linked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return ErrNoSession
		case err != nil:
			return err
		case kind != intakekiosk.Screening:
			return errors.New("a check-in code is linked to a screening, not a check-in")
		case status == intakekiosk.InProgress:
			return intakekiosk.ErrInProgress
		case linked.Valid:
			return ErrLinked
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO patients (id, code_hash, sealed_key, created, birth_hash, checkin_sealed) VALUES (?, ?, ?, ?, ?, ?)",
			patientID, hash, sealedKey, ts(at), birthHash, box); err != nil {
			return err
		}
		if err := s.appendPatient(ctx, tx, dataKey, patientID, at, PatientPayload{Code: code, Birth: birth, Screening: screeningID, By: by}); err != nil {
			return err
		}
		// the link is new: the screening goes in the next bundle again,
		// so the main clinic links it too
		if _, err := tx.ExecContext(ctx, "UPDATE sessions SET patient_id = ? WHERE id = ?", patientID, screeningID); err != nil {
			return err
		}
		// the link travels: every destination has the session again
		if _, err := tx.ExecContext(ctx, "DELETE FROM sent WHERE kind = 'session' AND id = ?", screeningID); err != nil {
			return err
		}
		return countedEntry(ctx, tx, Entry{At: at, Actor: by, Action: ActCode, Target: screeningID, Detail: "issued; patient " + patientID},
			nil, []string{patientID})
	})
	if err != nil {
		return "", "", fmt.Errorf("issue code for session %s: %w", screeningID, err)
	}
	return patientID, code, nil
}

// ReplaceCode gives a patient a new check-in code (a lost slip, or a
// code issued before check-ins asked the date of birth), with its
// check-in hash made with birth (YYYY-MM-DD) and the box holding the
// plan in force's end: the old code stops matching. Staff must be
// unlocked (the patient's data key is opened to seal the new code).
func (s *Store) ReplaceCode(ctx context.Context, patientID, birth string, clinic *vault.ClinicKey, by string, at time.Time) (string, error) {
	if _, err := normalBirth(birth); err != nil {
		return "", fmt.Errorf("replace code: %w", err)
	}
	key, err := s.codeKey(ctx)
	if err != nil {
		return "", fmt.Errorf("replace code: %w", err)
	}
	code, hash, err := s.freshCode(ctx, key)
	if err != nil {
		return "", fmt.Errorf("replace code: %w", err)
	}
	err = s.patientTx(ctx, patientID, clinic, func(tx *sql.Tx, dataKey *vault.SessionKey) error {
		now, err := s.patientNow(ctx, tx, dataKey, patientID)
		if err != nil {
			return err
		}
		birthHash, box, err := s.sealCheckin(code, birth, patientID, now.plan, key)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE patients SET code_hash = ?, birth_hash = ?, checkin_sealed = ? WHERE id = ?",
			hash, birthHash, box, patientID); err != nil {
			return err
		}
		if err := s.appendPatient(ctx, tx, dataKey, patientID, at, PatientPayload{Code: code, Birth: birth, By: by}); err != nil {
			return err
		}
		return countedEntry(ctx, tx, Entry{At: at, Actor: by, Action: ActCode, Target: patientID, Detail: "replaced"}, nil, []string{patientID})
	})
	if err != nil {
		return "", fmt.Errorf("replace code of patient %s: %w", patientID, err)
	}
	return code, nil
}

// SetPlan records a patient's taper plan (nil ends the plan in force),
// sealed, audited under by; the check-in box of the patient's code then
// holds the new plan's end (a code issued before check-ins asked the
// date of birth has none to change).
func (s *Store) SetPlan(ctx context.Context, patientID string, clinic *vault.ClinicKey, plan *trend.Plan, by string, at time.Time) error {
	p := PatientPayload{Plan: plan, EndPlan: plan == nil, By: by}
	detail := "ended"
	if plan != nil {
		if err := plan.Validate(); err != nil {
			return err
		}
		detail = "recorded"
	}
	err := s.patientTx(ctx, patientID, clinic, func(tx *sql.Tx, dataKey *vault.SessionKey) error {
		if err := s.appendPatient(ctx, tx, dataKey, patientID, at, p); err != nil {
			return err
		}
		if err := s.resealCheckin(ctx, tx, dataKey, patientID, plan); err != nil {
			return err
		}
		return countedEntry(ctx, tx, Entry{At: at, Actor: by, Action: ActPlan, Target: patientID, Detail: detail}, nil, []string{patientID})
	})
	if err != nil {
		return fmt.Errorf("taper plan of patient %s: %w", patientID, err)
	}
	return nil
}

// patientTx runs fn in an audited transaction with the patient's data
// key, opened with the clinic key.
func (s *Store) patientTx(ctx context.Context, patientID string, clinic *vault.ClinicKey, fn func(*sql.Tx, *vault.SessionKey) error) error {
	return s.auditTx(ctx, func(tx *sql.Tx) error {
		var sealed []byte
		err := tx.QueryRowContext(ctx, "SELECT sealed_key FROM patients WHERE id = ?", patientID).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoPatient
		}
		if err != nil {
			return err
		}
		dataKey, err := clinic.OpenSessionKey(s.rand, sealed)
		if err != nil {
			return err
		}
		return fn(tx, dataKey)
	})
}

// appendPatient seals a patient record after the ones there.
func (s *Store) appendPatient(ctx context.Context, tx *sql.Tx, key *vault.SessionKey, patientID string, at time.Time, p PatientPayload) error {
	plain, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.appendSealed(ctx, tx, key, true, patientID, at, plain)
}

// appendSealed seals plain with key at the next place of this writer's
// chain among the records of session or patient id and inserts it, in
// tx: a staff member's note or a patient's plan, after what is there.
func (s *Store) appendSealed(ctx context.Context, tx *sql.Tx, key *vault.SessionKey, patient bool, id string, at time.Time, plain []byte) error {
	t, ad := chainTables[patient], recordAD
	if patient {
		ad = patientAD
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM "+t.table+" WHERE "+t.column+" = ? AND writer = ?", id, s.writerN).Scan(&n); err != nil {
		return err
	}
	sealed, err := key.Seal(ad(id, s.writer, n+1), plain)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO "+t.table+" ("+t.column+", recorded, payload, writer, seq) VALUES (?, ?, ?, ?, ?)",
		id, ts(at), sealed, s.writerN, n+1)
	return err
}

// PatientRecords returns a patient's records in order, opened with the
// clinic key.
func (s *Store) PatientRecords(ctx context.Context, patientID string, clinic *vault.ClinicKey) ([]PatientRecord, error) {
	var out []PatientRecord
	err := s.openRecords(ctx, clinic, sealedSource{
		id: patientID, what: "patient " + patientID, missing: ErrNoPatient, ad: patientAD,
		key:     "SELECT sealed_key FROM patients WHERE id = ?",
		records: "SELECT r.recorded, r.payload, coalesce(w.id, ''), r.seq FROM " + withWriter("patient_records") + " WHERE r.patient_id = ? ORDER BY r.id",
	}, func(recorded time.Time, plain []byte) error {
		r := PatientRecord{Recorded: recorded}
		err := json.Unmarshal(plain, &r.PatientPayload)
		out = append(out, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// patientState is where a patient's records leave them: the code in
// force with the date of birth its check-in hash holds ("" for a code
// issued before), and the taper plan in force (nil: none).
type patientState struct {
	code, birth string
	plan        *trend.Plan
}

// patientNow replays a patient's records, opened with their data key, in
// tx.
func (s *Store) patientNow(ctx context.Context, tx *sql.Tx, key *vault.SessionKey, patientID string) (patientState, error) {
	var st patientState
	rows, err := tx.QueryContext(ctx, "SELECT r.payload, coalesce(w.id, ''), r.seq FROM "+withWriter("patient_records")+" WHERE r.patient_id = ? ORDER BY r.id", patientID)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var sealed []byte
		var writer string
		var seq int
		if err := rows.Scan(&sealed, &writer, &seq); err != nil {
			return st, err
		}
		plain, err := key.Open(patientAD(patientID, writer, seq), sealed)
		if err != nil {
			return st, fmt.Errorf("patient %s: record %d of %s: %w", patientID, seq, writerName(writer), err)
		}
		var p PatientPayload
		if err := json.Unmarshal(plain, &p); err != nil {
			return st, fmt.Errorf("patient %s: record %d of %s: %w", patientID, seq, writerName(writer), vault.ErrDamaged)
		}
		clear(plain)
		switch {
		case p.Code != "":
			st.code, st.birth = p.Code, p.Birth
		case p.Plan != nil:
			st.plan = p.Plan
		case p.EndPlan:
			st.plan = nil
		}
	}
	return st, rows.Err()
}

// resealCheckin seals the check-in box of the patient's code in force
// again with plan's end, in tx; a code issued before check-ins asked
// the date of birth has no box and is left so.
func (s *Store) resealCheckin(ctx context.Context, tx *sql.Tx, key *vault.SessionKey, patientID string, plan *trend.Plan) error {
	now, err := s.patientNow(ctx, tx, key, patientID)
	if err != nil || now.birth == "" {
		return err
	}
	// the key is there: the code in force was hashed with it (read in tx:
	// the store writes through one connection)
	var codeKey []byte
	if err := tx.QueryRowContext(ctx, "SELECT code_key FROM code_guard WHERE one = 1").Scan(&codeKey); err != nil {
		return err
	}
	_, box, err := s.sealCheckin(now.code, now.birth, patientID, plan, codeKey)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE patients SET checkin_sealed = ? WHERE id = ? AND birth_hash IS NOT NULL", box, patientID)
	return err
}
