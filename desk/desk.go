// Package desk is the staff side of the kiosk without a window: a staff
// member signs in (their passphrase opens the clinic key, which the
// signed-in Staff holds privately), opens sessions and patients (each
// view audited), puts prints and saves on record (a session's summary
// then counts as printed), writes notes, marks sessions reviewed, gives
// check-in codes and sets taper plans, exports (CSV, FHIR, transfer
// bundles) and checks every sealed record; an administrator also changes
// settings, staff accounts and sites, purges and fills a demo clinic. The
// staff screens and kioskctl both go through it, so what is audited,
// under which action and words, and how a session's status moves is
// decided here once.
package desk

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"intakekiosk"
	"intakekiosk/bundle"
	"intakekiosk/demo"
	"intakekiosk/exchange"
	"intakekiosk/fault"
	"intakekiosk/report"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
	"intakekiosk/vault"
)

// Store is what the desk needs of storage; *sqlite.Store provides it.
type Store interface {
	Unlock(ctx context.Context, name, passphrase string, now time.Time) (*vault.ClinicKey, sqlite.Staff, error)
	Recover(ctx context.Context, recoveryKey, by string, now time.Time) (*vault.ClinicKey, error)
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value, by string, at time.Time) error
	Audit(ctx context.Context, e sqlite.Entry) error
	// CheckAuditHead: nil when the audit log agrees with its head file
	// (sqlite.ErrAuditBroken when not), which staff mode says loudly
	CheckAuditHead(ctx context.Context) error
	review.PatientSource
	// review.Cache: the sealed summaries a search keeps between sign-ins
	review.Cache
	AddNote(ctx context.Context, sessionID string, clinic *vault.ClinicKey, n intakekiosk.Note, at time.Time) error
	// AddStaffRecords seals staff's records (a revocation, disclosures)
	// into finished sessions with one audit entry, in one commit
	AddStaffRecords(ctx context.Context, clinic *vault.ClinicKey, recs []sqlite.StaffRecord, at time.Time, e sqlite.Entry) error
	MarkReviewed(ctx context.Context, sessionID, by string, at time.Time) error
	MarkPrinted(ctx context.Context, sessionID, by, detail string, at time.Time) error
	// Acknowledge puts an urgent session's alert on record as answered
	// (the first answer kept), audited by e
	Acknowledge(ctx context.Context, sessionID, by string, at time.Time, e sqlite.Entry) error
	IssueCode(ctx context.Context, screeningID, birth, by string, at time.Time) (patientID, code string, err error)
	ReplaceCode(ctx context.Context, patientID, birth string, clinic *vault.ClinicKey, by string, at time.Time) (string, error)
	SetPlan(ctx context.Context, patientID string, clinic *vault.ClinicKey, plan *trend.Plan, by string, at time.Time) error
	// AddRating seals a clinician's rating (COWS) of a patient, or of a
	// finished screening's patient who has no code yet, audited
	AddRating(ctx context.Context, clinic *vault.ClinicKey, patientID, sessionID string, r intakekiosk.Rating, at time.Time) (string, error)
	AddStaff(ctx context.Context, name string, role sqlite.Role, passphrase string, key *vault.ClinicKey, by string, now time.Time) error
	DisableStaff(ctx context.Context, name, by string, now time.Time) error
	Purge(ctx context.Context, cutoff time.Time, by string, now time.Time) (int64, error)
	AddSite(ctx context.Context, name string, pub ed25519.PublicKey, by string, at time.Time) error
	// Sites are the registered sites of the program: a bundle to one is
	// not a disclosure
	Sites(ctx context.Context) ([]sqlite.Site, error)
	// bundle.Store: the sealed sessions and the site's signing key a
	// transfer bundle is made of
	bundle.Store
	MarkSent(ctx context.Context, sent exchange.Sent, e sqlite.Entry) error
	// VerifyChains compares the records with what the audit log counted
	VerifyChains(ctx context.Context) ([]sqlite.ChainProblem, error)
	// demo.Store: synthetic patients
	demo.Store
}

var _ Store = (*sqlite.Store)(nil)

// ErrWrongSignIn: no staff member of that name, or a wrong passphrase;
// never which of the two.
var ErrWrongSignIn error = fault.E(fault.Permission, "wrong name or passphrase")

// Desk signs staff members in over a store and an instrument catalog.
type Desk struct {
	st  Store
	cat *screening.Catalog
	now func() time.Time
}

// New is a desk over st, reading sessions with the catalog's instruments
// and putting everything on record at now's time. A nil catalog is an
// empty one: a desk for work that reads no answers (staff accounts,
// sites, the sealed records' check).
func New(st Store, cat *screening.Catalog, now func() time.Time) *Desk {
	if cat == nil {
		cat = &screening.Catalog{}
	}
	return &Desk{st: st, cat: cat, now: now}
}

// Store is the storage the desk works on.
func (d *Desk) Store() Store { return d.st }

// Unlock signs a staff member in with their passphrase. A wrong name, a
// wrong passphrase and a disabled account are the same ErrWrongSignIn, in
// the same time; a name locked out after five of them in a row (an
// account's or not) is sqlite.ErrLockedOut, with until when
// (*sqlite.LockedError), the same for every name.
func (d *Desk) Unlock(ctx context.Context, name, passphrase string) (*Staff, error) {
	key, who, err := d.st.Unlock(ctx, name, passphrase, d.now())
	if err != nil {
		return nil, SignInError(err)
	}
	return d.signedIn(key, who), nil
}

// Recover signs in with the recovery key printed at setup, when every
// administrator has forgotten their passphrase: the Staff given acts as
// an administrator named as (the account about to be added), and the
// recovery is on record under that name. Text that is no recovery key is
// refused as Invalid, another clinic's recovery key as Permission
// (vault.ErrNotForThisKey).
func (d *Desk) Recover(ctx context.Context, recoveryKey, as string) (*Staff, error) {
	if _, err := vault.ParseRecoveryKey(recoveryKey); err != nil {
		return nil, &fault.Error{Kind: fault.Invalid, Err: err}
	}
	key, err := d.st.Recover(ctx, recoveryKey, as, d.now())
	if errors.Is(err, vault.ErrNotForThisKey) {
		return nil, &fault.Error{Kind: fault.Permission, Err: err}
	}
	if err != nil {
		return nil, err
	}
	return d.signedIn(key, sqlite.Staff{Name: as, Role: sqlite.Admin}), nil
}

// signedIn is who holds the clinic key now.
func (d *Desk) signedIn(key *vault.ClinicKey, who sqlite.Staff) *Staff {
	return &Staff{d: d, key: key, who: who, index: review.NewIndex(d.st, key, d.cat)}
}

// SignInError is what a failed unlock tells the person signing in, the
// same whether the name is a staff member's or not: a wrong name, a wrong
// passphrase or a disabled account is ErrWrongSignIn, never which; a
// name locked out is its *sqlite.LockedError alone (the fifth wrong try
// too), or sqlite.ErrLockedOut; a store fault is itself.
func SignInError(err error) error {
	var locked *sqlite.LockedError
	switch {
	case errors.As(err, &locked):
		return locked
	case errors.Is(err, sqlite.ErrLockedOut):
		return sqlite.ErrLockedOut
	case errors.Is(err, sqlite.ErrNoStaff), errors.Is(err, vault.ErrWrongPassphrase), errors.Is(err, sqlite.ErrDisabled):
		return ErrWrongSignIn
	}
	return err
}

// Staff is a staff member signed in. It holds the clinic key their
// passphrase opened; Lock drops it.
type Staff struct {
	d   *Desk
	who sqlite.Staff
	// mu guards the key and the index, which Lock drops while work may
	// still be under way on other goroutines
	mu    sync.Mutex
	key   *vault.ClinicKey
	index *review.Index
}

// Who is the staff member signed in.
func (s *Staff) Who() sqlite.Staff { return s.who }

// Admin says whether they are an administrator.
func (s *Staff) Admin() bool { return s.who.Role == sqlite.Admin }

// Index is the queue's search over the sessions opened since the unlock
// (nil after Lock).
func (s *Staff) Index() *review.Index {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.index
}

// ErrSignedOut: the staff member locked; sign in again.
var ErrSignedOut error = fault.E(fault.Permission, "signed out: sign in again")

// open is the clinic key while the staff member is signed in.
func (s *Staff) open() (*vault.ClinicKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key == nil {
		return nil, ErrSignedOut
	}
	return s.key, nil
}

// Lock drops the clinic key and every session opened (best effort: Go
// cannot wipe memory; the garbage collector frees it in time). Work still
// under way (a print being sent) then fails with ErrSignedOut.
func (s *Staff) Lock() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key, s.index = nil, nil
}

// audit puts an action on record under the staff member's name.
func (s *Staff) audit(ctx context.Context, action, target, detail string) error {
	return s.d.st.Audit(ctx, sqlite.Entry{At: s.d.now(), Actor: s.who.Name, Action: action, Target: target, Detail: detail})
}

// Open reads a session back for the staff member, as a view on record;
// a view that cannot be put on record is not given. A check-in, which
// asks no name, is named by its patient's screening.
func (s *Staff) Open(ctx context.Context, id string) (review.Detail, error) {
	if _, err := s.open(); err != nil {
		return review.Detail{}, err
	}
	d, err := s.Read(ctx, id)
	if err != nil {
		return d, err
	}
	if err := s.audit(ctx, sqlite.ActViewSession, id, ""); err != nil {
		return review.Detail{}, fmt.Errorf("open session %s: %w", id, err)
	}
	return d, nil
}

// Read reads a session back again, within a view already on record (a
// note or a code added to it).
func (s *Staff) Read(ctx context.Context, id string) (review.Detail, error) {
	key, err := s.open()
	if err != nil {
		return review.Detail{}, err
	}
	idx := s.Index()
	if idx == nil {
		return review.Detail{}, ErrSignedOut
	}
	idx.Forget(id)
	d, err := review.Load(ctx, s.d.st, id, key, s.d.cat)
	if err != nil {
		return d, err
	}
	if d.Session.PatientID != "" && d.Identity == (screening.Identity{}) {
		if who, _, err := idx.Patient(ctx, d.Session.PatientID); err == nil {
			d.Identity = who
		}
	}
	return d, nil
}

// Summary draws a session's PDF summary, dated now, in loc's time; a
// session a patient is still answering has none (its summary could not
// be put on record as printed, and is not final).
func (s *Staff) Summary(w io.Writer, d review.Detail, clinic string, loc *time.Location) error {
	if _, err := s.open(); err != nil {
		return err
	}
	if d.Session.Status == intakekiosk.InProgress {
		return fmt.Errorf("summary of session %s: %w", d.Session.ID, intakekiosk.ErrInProgress)
	}
	return d.WritePDF(w, clinic, s.d.now(), loc)
}

// Row reads a session's clear row again (its status after a print): the
// records are not opened.
func (s *Staff) Row(ctx context.Context, id string) (intakekiosk.Session, error) {
	if _, err := s.open(); err != nil {
		return intakekiosk.Session{}, err
	}
	return s.d.st.Session(ctx, id)
}

// Printed puts a session's summary on record as printed or saved (how:
// "printed on Front_Desk, job 12", "saved as PDF to USB"; never a
// patient's data): audited, and the session counts as printed.
func (s *Staff) Printed(ctx context.Context, id, how string) error {
	if _, err := s.open(); err != nil {
		return err
	}
	return s.d.st.MarkPrinted(ctx, id, s.who.Name, how, s.d.now())
}

// Reviewed puts on record that the staff member reviewed a session.
func (s *Staff) Reviewed(ctx context.Context, id string) error {
	if _, err := s.open(); err != nil {
		return err
	}
	return s.d.st.MarkReviewed(ctx, id, s.who.Name, s.d.now())
}

// Acknowledge puts on record that the staff member answered an urgent
// session's alert ("I'm on it"): every desk, and the kiosk that called,
// then shows who is on it. The first answer is kept; any staff member
// signed in may give it.
func (s *Staff) Acknowledge(ctx context.Context, id string) error {
	if _, err := s.open(); err != nil {
		return err
	}
	at := s.d.now()
	return s.d.st.Acknowledge(ctx, id, s.who.Name, at, sqlite.Entry{At: at, Actor: s.who.Name, Action: sqlite.ActAcknowledged, Target: id})
}

// AlertWindow is how far back the alerts reach: an urgent session started
// longer ago than this is no patient waiting now (it stays pinned in the
// queue until reviewed).
const AlertWindow = 12 * time.Hour

// Alerts are the urgent sessions not yet reviewed that started within
// AlertWindow, answered or not, oldest first: the desks' alert banners.
// Only their clear rows are read.
func (s *Staff) Alerts(ctx context.Context) ([]intakekiosk.Session, error) {
	if _, err := s.open(); err != nil {
		return nil, err
	}
	list, err := s.d.st.Sessions(ctx, sqlite.Filter{Since: s.d.now().Add(-AlertWindow)})
	if err != nil {
		return nil, err
	}
	var out []intakekiosk.Session
	for i := len(list) - 1; i >= 0; i-- { // listed newest first
		if ss := list[i]; ss.Urgent && ss.Reviewed.IsZero() {
			out = append(out, ss)
		}
	}
	return out, nil
}

// ErrEmptyNote and ErrLongNote: a note with nothing in it, or too long.
var (
	ErrEmptyNote error = fault.E(fault.Invalid, "the note is empty")
	ErrLongNote  error = fault.E(fault.Invalid, fmt.Sprintf("a note has at most %d characters", sqlite.MaxNoteLen))
)

// Note seals a note onto a finished session under the staff member's
// name. A note saved whose audit head file lags (sqlite.ErrAuditHead) is
// saved: that is no error here, or it would be typed twice.
func (s *Staff) Note(ctx context.Context, id, text string) error {
	key, err := s.open()
	if err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(text) == "":
		return &fault.Error{Op: "note", Err: ErrEmptyNote}
	case utf8.RuneCountInString(text) > sqlite.MaxNoteLen:
		return &fault.Error{Op: "note", Err: ErrLongNote}
	}
	err = s.d.st.AddNote(ctx, id, key, intakekiosk.Note{By: s.who.Name, Text: text}, s.d.now())
	if errors.Is(err, sqlite.ErrAuditHead) {
		return nil
	}
	return err
}

// Patient reads a returning patient's check-ins back, as a view on record.
func (s *Staff) Patient(ctx context.Context, patientID string) (review.Patient, error) {
	key, err := s.open()
	if err != nil {
		return review.Patient{}, err
	}
	p, err := review.LoadPatient(ctx, s.d.st, patientID, key, s.d.cat)
	if err != nil {
		return p, err
	}
	if err := s.audit(ctx, sqlite.ActViewPatient, patientID, ""); err != nil {
		return review.Patient{}, fmt.Errorf("open patient: %w", err)
	}
	return p, nil
}

// PatientReport is what a patient's check-in report shows, at now.
func PatientReport(p review.Patient, clinic string, now time.Time, loc *time.Location) report.PatientInput {
	return report.PatientInput{Clinic: clinic, Identity: p.Identity(), Points: p.Points, Plan: p.Plan,
		Flags: p.Flags(now, loc), COWS: p.COWS, Doses: p.Doses(), Triggers: p.ScreeningChoices("triggers"), Coping: p.ScreeningChoices("coping"),
		Measures: p.Measures(), Generated: now, Location: loc}
}

// The documents about a patient that PatientDocument puts on record.
const (
	CodeSlip        = "code slip"
	CheckinReport   = "check-in report"
	CheckinReportAs = "check-in report saved as PDF"
)

// PatientDocument puts on record that a document about a patient was
// printed (CodeSlip, CheckinReport) or saved (CheckinReportAs).
func (s *Staff) PatientDocument(ctx context.Context, patientID, what string) error {
	if _, err := s.open(); err != nil {
		return err
	}
	action := sqlite.ActPrint
	if what == CheckinReportAs {
		action = sqlite.ActReport
	}
	return s.audit(ctx, action, patientID, what)
}

// SetPlan sets a patient's taper plan, or ends it (nil).
func (s *Staff) SetPlan(ctx context.Context, patientID string, plan *trend.Plan) error {
	key, err := s.open()
	if err != nil {
		return err
	}
	return s.d.st.SetPlan(ctx, patientID, key, plan, s.who.Name, s.d.now())
}

// Setting reads a setting.
func (s *Staff) Setting(ctx context.Context, key string) (string, error) {
	if _, err := s.open(); err != nil {
		return "", err
	}
	return s.d.st.Setting(ctx, key)
}

// Record puts another staff action on record (the queue read, the kiosk
// closed) under the staff member's name.
func (s *Staff) Record(ctx context.Context, action, target, detail string) error {
	if _, err := s.open(); err != nil {
		return err
	}
	return s.audit(ctx, action, target, detail)
}
