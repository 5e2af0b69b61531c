package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"intakekiosk"
	"intakekiosk/consent"
	"intakekiosk/fault"
	"intakekiosk/review"
	"intakekiosk/sqlite"
)

// Consent is the consent that governs a session's records, as staff see
// it: the session's own, or, for one without a consent that names a
// returning patient, the newest that patient signed in another session
// (a check-in is never asked again). Holder is the session that holds it
// (its revocations are recorded there; "" when there is none).
type Consent struct {
	Holder string
	consent.History
	// Disclosures are the disclosures of this session's own records.
	Disclosures []consent.Disclosed
}

// Consent reads the consent that governs a session (no view on record:
// the session view that shows it is).
func (s *Staff) Consent(ctx context.Context, id string) (Consent, error) {
	return s.consentOf(ctx, id, nil)
}

// consentOf is Consent, keeping the consent that governs a patient's
// sessions without one of their own in patients (by patient id; nil
// keeps nothing), so a disclosure of many of one patient's sessions
// reads their other sessions once.
func (s *Staff) consentOf(ctx context.Context, id string, patients map[string]Consent) (Consent, error) {
	key, err := s.open()
	if err != nil {
		return Consent{}, err
	}
	recs, err := s.d.st.Records(ctx, id, key)
	if err != nil {
		return Consent{}, err
	}
	own := intakekiosk.ConsentHistory(recs)
	c := Consent{Disclosures: own.Disclosures}
	if own.Consent != nil {
		c.Holder, c.History = id, own
		c.History.Disclosures = nil
		return c, nil
	}
	row, err := s.d.st.Session(ctx, id)
	if err != nil || row.PatientID == "" {
		return c, err
	}
	if p, ok := patients[row.PatientID]; ok {
		c.Holder, c.History = p.Holder, p.History
		return c, nil
	}
	sessions, err := s.d.st.Sessions(ctx, sqlite.Filter{Patient: row.PatientID})
	if err != nil {
		return c, err
	}
	for _, ss := range sessions {
		if ss.ID == id {
			continue
		}
		recs, err := s.d.st.Records(ctx, ss.ID, key)
		if err != nil {
			return c, err
		}
		h := intakekiosk.ConsentHistory(recs)
		if h.Consent != nil && (c.Consent == nil || h.SignedAt.After(c.SignedAt)) {
			h.Disclosures = nil
			c.Holder, c.History = ss.ID, h
		}
	}
	if patients != nil {
		patients[row.PatientID] = Consent{Holder: c.Holder, History: c.History}
	}
	return c, nil
}

// Errors of consent and disclosure, each in a *fault.Error.
var (
	ErrNoConsent     = errors.New("there is no signed consent")
	ErrNotInConsent  = errors.New("the consent does not name that recipient")
	ErrRevoked       = errors.New("that is revoked already")
	ErrAskedWhen     = errors.New("the day the patient asked is before the consent was signed or after today")
	ErrNoRecipient   = errors.New("name who the records go to")
	ErrLongReason    = errors.New("the emergency's reason is too long")
	ErrEmptyReason   = errors.New("say why this is a medical emergency")
	ErrNothingChosen = errors.New("no session chosen")
)

// MaxReasonLen is the longest emergency reason, in characters.
const MaxReasonLen = 500

// Revoke records a patient's revocation of the consent that governs a
// session, as a later record of the session that holds it (a consent is
// never changed), audited (sqlite.ActConsentRevoked: the form, version
// and hash, never a name). r names the whole consent (All) or one
// recipient it names; r.Asked is the day the patient asked, r.By is set
// to the staff member.
func (s *Staff) Revoke(ctx context.Context, id string, r consent.Revocation) error {
	key, err := s.open()
	if err != nil {
		return err
	}
	c, err := s.Consent(ctx, id)
	if err != nil {
		return err
	}
	refuse := func(field string, why error) error {
		return &fault.Error{Op: "revoke consent", Kind: fault.Invalid, Field: field, Err: why}
	}
	now := s.d.now()
	switch {
	case c.Consent == nil || !c.Consent.Agrees():
		return refuse("", ErrNoConsent)
	case c.RevokedAll():
		return refuse("", ErrRevoked)
	case r.Asked.IsZero() || r.Asked.After(now) || day(r.Asked).Before(day(c.SignedAt)):
		return refuse("asked", ErrAskedWhen)
	case !r.All && !names(c.Consent, r.To):
		return refuse("recipient", ErrNotInConsent)
	case !r.All && c.Revoked(r.To):
		return refuse("recipient", ErrRevoked)
	}
	if r.All {
		r.To = consent.To{}
	}
	r.By = s.who.Name
	detail := sqlite.ConsentDetail(c.Consent.Form, c.Consent.Version, c.Consent.Hash)
	if r.All {
		detail += ", whole consent"
	} else {
		detail += ", one " + string(r.To.Kind) + " recipient"
	}
	err = s.d.st.AddStaffRecords(ctx, key, []sqlite.StaffRecord{{Session: c.Holder, Payload: intakekiosk.Payload{Revocation: &r}}}, now,
		sqlite.Entry{At: now, Actor: s.who.Name, Action: sqlite.ActConsentRevoked, Target: c.Holder, Detail: detail})
	if errors.Is(err, sqlite.ErrAuditHead) {
		return nil
	}
	return err
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// names says whether a consent names to: a clinic recipient of its TPO
// consent, or a person the patient named.
func names(c *consent.Signed, to consent.To) bool {
	switch to.Kind {
	case consent.Clinic:
		return c.TPO && slices.ContainsFunc(c.Recipients, func(r consent.Recipient) bool { return r.ID == to.ID })
	case consent.Named:
		return slices.ContainsFunc(c.Named, func(n string) bool { return consent.SameName(n, to.Name) })
	}
	return false
}

// Disclosure is a disclosure about to be made, checked against each
// session's consent: what Disclosed puts on record once it is made (the
// file in place, the page printed).
type Disclosure struct {
	To   consent.To
	What string
	// Emergency is the reason staff gave for a bona fide medical
	// emergency (§2.51), which allows a disclosure no consent covers.
	Emergency string
	records   []sqlite.StaffRecord
}

// drop leaves sessions out of the disclosure (an export's skipped ones:
// not written).
func (d *Disclosure) drop(ids []string) {
	d.records = slices.DeleteFunc(d.records, func(r sqlite.StaffRecord) bool { return slices.Contains(ids, r.Session) })
}

// Sessions counts the sessions disclosed.
func (d Disclosure) Sessions() int { return len(d.records) }

// Basis is why the disclosure is allowed: by consent, in an emergency,
// or the patient's access (the most exceptional of its sessions').
func (d Disclosure) Basis() consent.Basis {
	b := consent.ByConsent
	for _, r := range d.records {
		switch r.Disclosure.Basis {
		case consent.Emergency:
			return consent.Emergency
		case consent.Access:
			b = consent.Access
		}
	}
	return b
}

// RefusedError is a disclosure that some sessions' consents do not
// cover: Sessions names them (ids, never names: the screens resolve
// them after unlock).
type RefusedError struct {
	To       consent.To
	Sessions []string
}

func (e *RefusedError) Error() string {
	ids := e.Sessions
	more := ""
	if len(ids) > 5 {
		ids, more = ids[:5], fmt.Sprintf(" and %d more", len(e.Sessions)-5)
	}
	return fmt.Sprintf("%d of the patients have not consented to a disclosure to this %s recipient (session %s%s); "+
		"record a medical emergency with its reason if it is one", len(e.Sessions), e.To.Kind, strings.Join(ids, ", "), more)
}

// Unwrap is consent.ErrNotConsented.
func (e *RefusedError) Unwrap() error { return consent.ErrNotConsented }

// PlanDisclosure checks a disclosure of sessions' records to a recipient
// against each one's consent: a *fault.Error of kind Permission over a
// *RefusedError naming the sessions not covered, unless an emergency
// reason is given (§2.51: recorded and shown as such). The patient's own
// copy (consent.Patient) is always allowed, as their access. Nothing is
// on record until Disclosed.
func (s *Staff) PlanDisclosure(ctx context.Context, ids []string, to consent.To, what, emergency string) (Disclosure, error) {
	d, refused, err := s.plan(ctx, ids, to, what, emergency)
	if err == nil && len(refused) > 0 {
		err = &fault.Error{Op: "disclose", Kind: fault.Permission, Field: "recipient", Err: &RefusedError{To: d.To, Sessions: refused}}
	}
	if err != nil {
		return Disclosure{}, err
	}
	return d, nil
}

// plan is PlanDisclosure, giving the sessions refused beside the
// disclosure of the others.
func (s *Staff) plan(ctx context.Context, ids []string, to consent.To, what, emergency string) (Disclosure, []string, error) {
	if _, err := s.open(); err != nil {
		return Disclosure{}, nil, err
	}
	invalid := func(field string, why error) (Disclosure, []string, error) {
		return Disclosure{}, nil, &fault.Error{Op: "disclose", Kind: fault.Invalid, Field: field, Err: why}
	}
	to.Name = strings.TrimSpace(to.Name)
	emergency = strings.TrimSpace(emergency)
	switch {
	case len(ids) == 0:
		return invalid("", ErrNothingChosen)
	case to.Kind == consent.Clinic && to.ID == "",
		(to.Kind == consent.Named || to.Kind == consent.Other) && !consent.GoodName(to.Name),
		!slices.Contains([]consent.Kind{consent.Clinic, consent.Named, consent.Other, consent.Patient}, to.Kind):
		return invalid("recipient", ErrNoRecipient)
	case utf8.RuneCountInString(emergency) > MaxReasonLen:
		return invalid("emergency", ErrLongReason)
	}
	d := Disclosure{To: to, What: what, Emergency: emergency}
	var refused []string
	patients := map[string]Consent{}
	for _, id := range ids {
		c, err := s.consentOf(ctx, id, patients)
		if review.Unopened(err) {
			continue // not written: an export skips it and names it
		}
		if err != nil {
			return Disclosure{}, nil, err
		}
		rec := consent.Disclosure{To: to, What: what, By: s.who.Name}
		basis, err := c.Allows(to)
		switch {
		case err == nil:
			rec.Basis = basis
			if basis == consent.ByConsent {
				rec.Hash, rec.Version = c.Consent.Hash, c.Consent.Version
				if to.Kind == consent.Clinic {
					// the recipient as the patient read it
					i := slices.IndexFunc(c.Consent.Recipients, func(r consent.Recipient) bool { return r.ID == to.ID })
					rec.To.Name = c.Consent.Recipients[i].Name
				}
			}
		case emergency != "":
			rec.Basis, rec.Reason = consent.Emergency, emergency
		default:
			refused = append(refused, id)
			continue
		}
		d.records = append(d.records, sqlite.StaffRecord{Session: id, Payload: intakekiosk.Payload{Disclosure: &rec}})
	}
	return d, refused, nil
}

// Disclosed puts a disclosure on record once it is made: a record in
// each session disclosed (who, what, to whom, when, under which consent
// or why), with one audit entry (sqlite.ActDisclosed, or
// ActPatientAccess for the patient's own copy) naming the kind of
// recipient and the basis, never a name, all in one commit.
func (s *Staff) Disclosed(ctx context.Context, d Disclosure) error {
	key, err := s.open()
	if err != nil {
		return err
	}
	if len(d.records) == 0 {
		return nil
	}
	now := s.d.now()
	act, target := sqlite.ActDisclosed, ""
	if d.To.Kind == consent.Patient {
		act = sqlite.ActPatientAccess
	}
	if len(d.records) == 1 {
		target = d.records[0].Session
	}
	detail := fmt.Sprintf("%s to %s, %d sessions, %s", d.What, recipientWords(d.To), len(d.records), d.Basis())
	err = s.d.st.AddStaffRecords(ctx, key, d.records, now, sqlite.Entry{At: now, Actor: s.who.Name, Action: act, Target: target, Detail: detail})
	if errors.Is(err, sqlite.ErrAuditHead) {
		return nil
	}
	return err
}

// recipientWords names a recipient in the audit log without a person's
// name: a clinic recipient by its id, the others by their kind.
func recipientWords(to consent.To) string {
	switch to.Kind {
	case consent.Clinic:
		return "clinic recipient " + to.ID
	case consent.Patient:
		return "the patient"
	}
	return "a " + string(to.Kind) + " recipient"
}
