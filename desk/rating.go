package desk

import (
	"context"
	"errors"
	"fmt"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/sqlite"
)

// RatingOf names whom a rating is of: a returning patient (Patient), or
// the patient of a session (Session: a screening's patient without a
// check-in code yet; a session whose patient has a code rates that
// patient).
type RatingOf struct {
	Patient string
	Session string
}

// Rate records a clinician's rating (COWS) of a patient under the staff
// member's name: r names the instrument, the time the patient was rated
// and the answers; Rate sets who rated, the instrument's version and a new
// id, and gives the rating as recorded. The rating must hold
// (intakekiosk.Rating.Check: an instrument staff rate, a time not in the
// future nor more than a week back, every item rated; an Invalid
// fault.Error naming the field). It is sealed as a record of the patient,
// or of the screening when its patient has no code yet, and audited
// (sqlite.ActRating) naming the instrument, never the score. A rating
// saved whose audit head file lags (sqlite.ErrAuditHead) is saved.
func (s *Staff) Rate(ctx context.Context, of RatingOf, r intakekiosk.Rating) (intakekiosk.Rating, error) {
	key, err := s.open()
	if err != nil {
		return r, err
	}
	r.By = s.who.Name
	if in, ok := s.d.cat.Instrument(r.Instrument); ok {
		r.Version = in.Version
	}
	now := s.d.now()
	if err := r.Check(s.d.cat, now); err != nil {
		return r, err
	}
	patient := of.Patient
	if patient == "" {
		if of.Session == "" {
			return r, &fault.Error{Op: "rating", Kind: fault.Invalid, Field: "patient", Err: errors.New("no patient or session named")}
		}
		ss, err := s.d.st.Session(ctx, of.Session)
		if err != nil {
			return r, fmt.Errorf("rating: %w", err)
		}
		if ss.Kind != intakekiosk.Screening && ss.PatientID == "" {
			return r, &fault.Error{Op: "rating", Kind: fault.Invalid, Field: "session", Err: errors.New("a check-in without a patient")}
		}
		patient = ss.PatientID
	}
	r.ID, err = s.d.st.AddRating(ctx, key, patient, of.Session, r, now)
	if errors.Is(err, sqlite.ErrAuditHead) {
		return r, nil
	}
	return r, err
}
