package desk

import (
	"context"
	"fmt"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/report"
	"intakekiosk/review"
	"intakekiosk/sqlite"
	"intakekiosk/takehome"
)

// TakeHomeSheet is what the audit log says of a take-home sheet printed.
const TakeHomeSheet = "take-home sheet"

// ErrNoTakeHome: the kiosk holds no take-home sheet (every file of it
// was refused).
var ErrNoTakeHome error = fault.E(fault.Unavailable, "no take-home sheet to print: see the take-home files refused in the log (kioskctl takehome validate)")

// TakeHome draws the take-home sheet of a finished session as a PDF, in
// the patient's language (the session's language record), from the
// sheets of set: the usual course dated from the last dose the patient
// gave, unless a taper plan is in force; the next check-in of the
// patient's plan, if they have one (else: ask the front desk). It names
// no one and holds no score. The print is put on record by
// TakeHomePrinted.
func (s *Staff) TakeHome(ctx context.Context, d review.Detail, set *takehome.Set, clinic string, loc *time.Location) ([]byte, error) {
	key, err := s.open()
	if err != nil {
		return nil, err
	}
	if d.Session.Status == intakekiosk.InProgress {
		return nil, fmt.Errorf("take-home sheet of session %s: %w", d.Session.ID, intakekiosk.ErrInProgress)
	}
	lang := d.Lang
	if lang == "" {
		lang = "en"
	}
	words, ok := set.Sheet(lang)
	if !ok {
		return nil, ErrNoTakeHome
	}
	now := s.d.now()
	in := report.TakeHomeInput{Clinic: clinic, Words: words, Generated: now, Location: loc}
	if at, ok := d.LastDose(); ok {
		in.LastDose = at
	}
	if id := d.Session.PatientID; id != "" {
		p, err := review.LoadPatient(ctx, s.d.st, id, key, s.d.cat)
		if err != nil {
			return nil, fmt.Errorf("take-home sheet of session %s: %w", d.Session.ID, err)
		}
		in.Taper = p.Plan != nil && !p.Plan.Ended(now, loc)
		if next, ok := p.Plan.NextCheckin(p.Points, now, loc); ok {
			in.Next = next
		}
	}
	return report.TakeHome(in)
}

// TakeHomePrinted puts on record that a session's take-home sheet was
// printed (detail says where): audited as a print is, under the staff
// member's name; the session's summary is not marked printed by it.
func (s *Staff) TakeHomePrinted(ctx context.Context, sessionID, detail string) error {
	if _, err := s.open(); err != nil {
		return err
	}
	if detail == "" {
		detail = TakeHomeSheet
	} else {
		detail = TakeHomeSheet + ": " + detail
	}
	return s.audit(ctx, sqlite.ActPrint, sessionID, detail)
}
