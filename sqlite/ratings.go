package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/vault"
)

// ActRating: a staff member recorded a clinician's rating (COWS) of a
// patient; the entry names the instrument, never a score or an answer.
const ActRating = "rating_recorded"

// AddRating seals a clinician's rating (COWS), given a new id (returned),
// as a record of the patient patientID (under their data key, as a taper
// plan) or, when patientID is "", of the finished session sessionID (a
// screening whose patient has no check-in code yet), with its audit entry
// naming the instrument, in one transaction. It travels in bundles and
// the clinic network as the records around it do.
func (s *Store) AddRating(ctx context.Context, clinic *vault.ClinicKey, patientID, sessionID string, r intakekiosk.Rating, at time.Time) (string, error) {
	id, err := uuid.NewRandomFromReader(s.rand)
	if err != nil {
		return "", fmt.Errorf("rating: %w", err)
	}
	r.ID = id.String()
	e := Entry{At: at, Actor: r.By, Action: ActRating, Detail: "instrument " + r.Instrument}
	if patientID == "" {
		e.Target = sessionID
		rec := StaffRecord{Session: sessionID, Payload: intakekiosk.Payload{Rating: &r}}
		if err := s.AddStaffRecords(ctx, clinic, []StaffRecord{rec}, at, e); err != nil {
			return "", fmt.Errorf("rating of session %s: %w", sessionID, err)
		}
		return r.ID, nil
	}
	e.Target = patientID
	err = s.patientTx(ctx, patientID, clinic, func(tx *sql.Tx, dataKey *vault.SessionKey) error {
		if err := s.appendPatient(ctx, tx, dataKey, patientID, at, PatientPayload{Rating: &r, By: r.By}); err != nil {
			return err
		}
		return countedEntry(ctx, tx, e, nil, []string{patientID})
	})
	if err != nil {
		return "", fmt.Errorf("rating of patient %s: %w", patientID, err)
	}
	return r.ID, nil
}
