package desk

import (
	"context"
	"fmt"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/settings"
)

// ErrNoBirth: a check-in code is made with the patient's date of birth,
// and none is on record (the screening has none, or it was purged).
var ErrNoBirth error = fault.E(fault.Invalid, "no date of birth on record: a check-in code needs one (the kiosk asks it at every check-in)")

// GiveCode gives a screening's patient a check-in code, made with the
// date of birth the screening holds, and counts the screening's
// instruments that the check-in schedule times as asked on the
// screening's day (askedAtScreening).
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
	patientID, code, err = s.d.st.IssueCode(ctx, screeningID, d.Identity.Birth, s.who.Name, s.d.now())
	if err != nil {
		return "", "", err
	}
	// the code is given either way: a failure here only has the first
	// check-in ask the PHQ-9 and GAD-7 again
	_ = s.askedAtScreening(ctx, ss, patientID)
	return patientID, code, nil
}

// askedAtScreening puts on record that a finished screening asked the
// instruments of a screening that the check-in schedule times (the PHQ-9
// and GAD-7 every two weeks), on its day in the clinic's zone, so that
// the first check-in does not ask them again at once. It reads no
// answer: whether one was answered or skipped stays sealed. A screening
// left part way counts for nothing.
func (s *Staff) askedAtScreening(ctx context.Context, ss intakekiosk.Session, patientID string) error {
	if ss.Status == intakekiosk.Incomplete || ss.Completed.IsZero() {
		return nil
	}
	stored := map[string]string{}
	for _, key := range []string{"checkin_schedule", "time_zone", "enabled_instruments"} {
		var err error
		if stored[key], err = s.d.st.Setting(ctx, key); err != nil {
			return err
		}
	}
	set := settings.From(stored)
	ids := set.Schedule.AtScreening(s.d.cat, set.Enabled)
	if len(ids) == 0 {
		return nil
	}
	return s.d.st.MarkAsked(ctx, patientID, screening.Day(ss.Started, set.Location), ids)
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
