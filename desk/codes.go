package desk

import (
	"context"
	"fmt"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/review"
)

// ErrNoBirth: a check-in code is made with the patient's date of birth,
// and none is on record (the screening has none, or it was purged).
var ErrNoBirth error = fault.E(fault.Invalid, "no date of birth on record: a check-in code needs one (the kiosk asks it at every check-in)")

// GiveCode gives a screening's patient a check-in code, made with the
// date of birth the screening holds.
func (s *Staff) GiveCode(ctx context.Context, screeningID string) (patientID, code string, err error) {
	key, err := s.open()
	if err != nil {
		return "", "", err
	}
	ss, err := s.d.st.Session(ctx, screeningID)
	if err != nil {
		return "", "", fmt.Errorf("issue code for session %s: %w", screeningID, err)
	}
	if ss.Status == intakekiosk.InProgress {
		return "", "", fmt.Errorf("issue code for session %s: %w", screeningID, intakekiosk.ErrInProgress)
	}
	d, err := review.Open(ctx, s.d.st, ss, key, s.d.cat)
	if err != nil {
		return "", "", fmt.Errorf("issue code for session %s: %w", screeningID, err)
	}
	if d.Identity.Birth == "" {
		return "", "", fmt.Errorf("issue code for session %s: %w", screeningID, ErrNoBirth)
	}
	return s.d.st.IssueCode(ctx, screeningID, d.Identity.Birth, s.who.Name, s.d.now())
}

// ReplaceCode gives a patient a new code; the old one stops working. It
// is made with the date of birth of the code in force, or, for a code
// issued before check-ins asked it, of the screening the patient's code
// was linked to.
func (s *Staff) ReplaceCode(ctx context.Context, patientID string) (string, error) {
	key, err := s.open()
	if err != nil {
		return "", err
	}
	info, err := review.LoadPatientInfo(ctx, s.d.st, patientID, key, s.d.cat)
	if err != nil {
		return "", fmt.Errorf("replace code of patient %s: %w", patientID, err)
	}
	birth := info.Birth
	if birth == "" {
		birth = info.Identity.Birth
	}
	if birth == "" {
		return "", fmt.Errorf("replace code of patient %s: %w", patientID, ErrNoBirth)
	}
	code, err := s.d.st.ReplaceCode(ctx, patientID, birth, key, s.who.Name, s.d.now())
	if idx := s.Index(); err == nil && idx != nil {
		idx.ForgetPatient(patientID)
	}
	return code, err
}
