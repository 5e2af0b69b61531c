package desk

import (
	"context"
	"fmt"
	"io"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/report"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

// AccountingYears is how far back the accounting of disclosures goes
// (42 CFR 2.24: three years).
const AccountingYears = 3

// The audit details of the consent's documents.
const (
	ConsentAs    = "signed consent"
	AccountingAs = "accounting of disclosures"
)

// ConsentDocument draws the signed consent that governs a session, as
// signed (its words, the choices, the signature drawn, the version and
// hash, the time) with its revocations, and puts it on record
// (sqlite.ActReport, "signed consent"). A session without a consent is
// NotFound (ErrNoConsent).
func (s *Staff) ConsentDocument(ctx context.Context, w io.Writer, id, clinic string, loc *time.Location) error {
	c, err := s.Consent(ctx, id)
	if err != nil {
		return err
	}
	if c.Consent == nil {
		return &fault.Error{Op: "signed consent", Kind: fault.NotFound, Err: ErrNoConsent}
	}
	who, err := s.identity(ctx, c.Holder)
	if err != nil {
		return err
	}
	pdf, err := report.Consent(report.ConsentInput{Clinic: clinic, Identity: who, History: c.History, Generated: s.d.now(), Location: loc})
	if err != nil {
		return fmt.Errorf("signed consent of session %s: %w", c.Holder, err)
	}
	defer clear(pdf)
	if _, err := w.Write(pdf); err != nil {
		return err
	}
	return s.audit(ctx, sqlite.ActReport, c.Holder, ConsentAs)
}

// identity is who the patient of a session said they are (a check-in's
// from its patient's screening).
func (s *Staff) identity(ctx context.Context, id string) (screening.Identity, error) {
	key, err := s.open()
	if err != nil {
		return screening.Identity{}, err
	}
	recs, err := s.d.st.Records(ctx, id, key)
	if err != nil {
		return screening.Identity{}, err
	}
	var who screening.Identity
	for _, r := range recs {
		if r.Identity != nil {
			who = *r.Identity
		}
	}
	return who, nil
}

// Accounting draws the accounting of disclosures of the last three
// years for a patient (42 CFR 2.24-2.25): every disclosure of every
// session of the patient a session belongs to (that session alone when
// it names no returning patient), or of patientID when it is given; the
// patient's own copies beside them. On record (sqlite.ActReport).
func (s *Staff) Accounting(ctx context.Context, w io.Writer, sessionID, patientID, clinic string, loc *time.Location) error {
	key, err := s.open()
	if err != nil {
		return err
	}
	ids := []string{sessionID}
	if patientID == "" && sessionID != "" {
		row, err := s.d.st.Session(ctx, sessionID)
		if err != nil {
			return err
		}
		patientID = row.PatientID
	}
	if patientID != "" {
		list, err := s.d.st.Sessions(ctx, sqlite.Filter{Patient: patientID})
		if err != nil {
			return err
		}
		ids = ids[:0]
		for _, ss := range list {
			ids = append(ids, ss.ID)
		}
	}
	now := s.d.now()
	in := report.AccountingInput{Clinic: clinic, From: now.AddDate(-AccountingYears, 0, 0), To: now, Generated: now, Location: loc}
	for _, id := range ids {
		recs, err := s.d.st.Records(ctx, id, key)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.Identity != nil && in.Identity == (screening.Identity{}) {
				in.Identity = *r.Identity
			}
		}
		in.Histories = append(in.Histories, intakekiosk.ConsentHistory(recs))
	}
	pdf, err := report.Disclosures(in)
	if err != nil {
		return fmt.Errorf("accounting of disclosures: %w", err)
	}
	defer clear(pdf)
	if _, err := w.Write(pdf); err != nil {
		return err
	}
	target := patientID
	if target == "" {
		target = sessionID
	}
	return s.audit(ctx, sqlite.ActReport, target, AccountingAs)
}
