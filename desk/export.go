package desk

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"intakekiosk"
	"intakekiosk/bundle"
	"intakekiosk/consent"
	"intakekiosk/exchange"
	"intakekiosk/export"
	"intakekiosk/fault"
	"intakekiosk/fhir"
	"intakekiosk/review"
	"intakekiosk/sqlite"
)

// Format is what an export writes.
type Format string

// The formats Export writes.
const (
	// CSV is a table for a spreadsheet, identified or de-identified
	// (export.CSV).
	CSV Format = "csv"
	// FHIR is a FHIR R4 Bundle of QuestionnaireResponses (fhir.Export).
	FHIR Format = "fhir"
	// Bundle is a signed transfer bundle for the main clinic, its
	// sessions still sealed (bundle.Export).
	Bundle Format = "bundle"
)

// Formats lists the formats Export writes.
func Formats() []Format { return []Format{CSV, FHIR, Bundle} }

// ExportOptions choose what an export holds.
type ExportOptions struct {
	// Since keeps the sessions started on or after it. Zero: every
	// session, or, in a bundle, those not yet sent to the main clinic or
	// changed since.
	Since time.Time
	// Deidentified leaves out of a CSV what names a patient and shifts
	// their dates (export.Options); the other formats refuse it.
	Deidentified bool
	// Location is the time zone a CSV writes dates in (nil: UTC).
	Location *time.Location
	// To is whom the export goes to. An identified CSV and a FHIR
	// export are disclosures (42 CFR Part 2), as is a bundle to anyone
	// but a registered site of the program: each needs a recipient that
	// every patient's consent covers, or an Emergency reason (§2.51),
	// and is recorded per session once Exported. The program's own use
	// (consent.Program, or a registered site by name) is not one.
	To        consent.To
	Emergency string
	// ConsentedOnly leaves out of a CSV or FHIR disclosure the sessions
	// whose consent does not cover To (named in Exported.Left) instead
	// of refusing the export.
	ConsentedOnly bool
}

// Errors of an export asked to be de-identified in a format that is not.
var (
	ErrBundleSealed error = fault.E(fault.Invalid, "a bundle carries sealed sessions as they are")
	ErrOnlyCSV      error = fault.E(fault.Invalid, "only the CSV export is de-identified (a FHIR export names the patient and carries the safety Flags about them)")
)

// Exported is what an export wrote, for Exported to put on record once
// the file is safe where it goes.
type Exported struct {
	Format Format
	// Sessions and Patients are how many sessions, and returning
	// patients (a bundle's), were written.
	Sessions, Patients int
	Deidentified       bool
	// Skipped names the sessions left out because they do not open
	// (review.Unopened: damaged sealed data, a damaged page); the rest
	// were written.
	Skipped []string
	// Left names the sessions left out because their consent does not
	// cover the recipient (ExportOptions.ConsentedOnly).
	Left []string
	// sent is what a bundle holds, marked sent with the audit entry
	sent exchange.Sent
	// disclosure is what Exported records in each session written
	// (none: not a disclosure)
	disclosure Disclosure
}

// Disclosure says whether the export was a disclosure, and to whom.
func (x Exported) Disclosure() (consent.To, bool) {
	return x.disclosure.To, x.disclosure.Sessions() > 0
}

// ErrNoExportRecipient: an identified export is a disclosure, and names
// its recipient.
var ErrNoExportRecipient = errors.New("an identified export is a disclosure under 42 CFR Part 2: name its recipient")

// disclosure says whether an export in f with o is a disclosure, and in
// what words the records name it.
func (s *Staff) disclosure(ctx context.Context, f Format, o ExportOptions) (what string, is bool, err error) {
	if o.To.Kind == consent.Other {
		sites, err := s.d.st.Sites(ctx)
		if err != nil {
			return "", false, err
		}
		// a registered site is the program's own
		if slices.ContainsFunc(sites, func(st sqlite.Site) bool { return consent.SameName(st.Name, o.To.Name) }) {
			return "", false, nil
		}
	}
	if o.To.Kind == consent.Program {
		return "", false, nil
	}
	switch {
	case f == FHIR:
		return "FHIR export", true, nil
	case f == CSV && !o.Deidentified:
		return "CSV export", true, nil
	case f == Bundle && o.To.Kind != "":
		return "transfer bundle", true, nil
	}
	return "", false, nil
}

// without is a source that lists sessions without some: those an
// export leaves out.
type without struct {
	review.PatientSource
	ids []string
}

// Sessions lists the sessions but those left out.
func (w without) Sessions(ctx context.Context, f sqlite.Filter) ([]intakekiosk.Session, error) {
	list, err := w.PatientSource.Sessions(ctx, f)
	return slices.DeleteFunc(list, func(ss intakekiosk.Session) bool { return slices.Contains(w.ids, ss.ID) }), err
}

// finished are the ids of the finished sessions started since: what a
// CSV or FHIR export writes.
func (s *Staff) finished(ctx context.Context, since time.Time) ([]string, error) {
	list, err := s.d.st.Sessions(ctx, sqlite.Filter{Since: since})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, ss := range list {
		if ss.Status != intakekiosk.InProgress {
			ids = append(ids, ss.ID)
		}
	}
	return ids, nil
}

// Export writes sessions out in format f for the staff member signed in,
// each opened with the clinic key they hold. A CSV or FHIR export skips
// a session that does not open, names it in Exported.Skipped and writes
// the rest. Before anything is written the attempt is on record (an
// export entry "csv started"; none, no export); once what it wrote is
// in place, Exported says so, and ExportFailed when it is not (a killed
// export leaves only the "started" entry, and no file). De-identified is refused in the
// formats that are not (ErrBundleSealed, ErrOnlyCSV, in a *fault.Error
// whose Field is "deidentified"); an unknown format is Invalid, its
// Field "format"; a FHIR export while the fhir_base setting is empty is
// fhir.ErrNoBase, Invalid, its Field "fhir_base", before anything is on
// record or written.
func (s *Staff) Export(ctx context.Context, w io.Writer, f Format, o ExportOptions) (Exported, error) {
	key, err := s.open()
	if err != nil {
		return Exported{}, err
	}
	x := Exported{Format: f, Deidentified: o.Deidentified}
	skip := func(id string, _ error) { x.Skipped = append(x.Skipped, id) }
	refuse := func(why error) (Exported, error) {
		return Exported{}, &fault.Error{Op: "export", Field: "deidentified", Err: why}
	}
	switch {
	case f == Bundle && o.Deidentified:
		return refuse(ErrBundleSealed)
	case f == FHIR && o.Deidentified:
		return refuse(ErrOnlyCSV)
	case !slices.Contains(Formats(), f):
		return Exported{}, &fault.Error{Op: "export", Kind: fault.Invalid, Field: "format", Err: fmt.Errorf("no format %q", f)}
	}
	var base string
	if f == FHIR {
		// the canonical base names every Questionnaire: none, no export
		if base, err = s.d.st.Setting(ctx, fhir.BaseSetting); err != nil {
			return Exported{}, err
		}
		if base == "" {
			return Exported{}, &fault.Error{Op: "export", Kind: fault.Invalid, Field: fhir.BaseSetting, Err: fhir.ErrNoBase}
		}
	}
	what, disclosed, err := s.disclosure(ctx, f, o)
	if err != nil {
		return Exported{}, err
	}
	notice := ""
	if disclosed {
		if o.To.Kind == "" {
			return Exported{}, &fault.Error{Op: "export", Kind: fault.Invalid, Field: "to", Err: ErrNoExportRecipient}
		}
		notice = consent.Statement
		if f != Bundle {
			// checked before anything is written
			ids, err := s.finished(ctx, o.Since)
			if err != nil {
				return Exported{}, err
			}
			if o.ConsentedOnly {
				x.disclosure, x.Left, err = s.plan(ctx, ids, o.To, what, o.Emergency)
			} else {
				x.disclosure, err = s.PlanDisclosure(ctx, ids, o.To, what, o.Emergency)
			}
			if err != nil {
				return Exported{}, err
			}
		}
	}
	if err := s.audit(ctx, sqlite.ActExport, "", exportDetail(x, "started")); err != nil {
		return Exported{}, err
	}
	var src review.PatientSource = s.d.st
	if len(x.Left) > 0 {
		src = without{s.d.st, x.Left}
	}
	switch f {
	case Bundle:
		x.sent, err = bundle.Export(ctx, w, s.d.st, key, o.Since, s.d.now(), notice)
		x.Sessions, x.Patients = len(x.sent.Sessions), len(x.sent.Patients)
		if err == nil && disclosed {
			// what a bundle holds is known once written; a refusal
			// leaves the file unkept
			x.disclosure, err = s.PlanDisclosure(ctx, x.sent.Sessions, o.To, what, o.Emergency)
		}
	case FHIR:
		x.Sessions, err = fhir.Export(ctx, w, src, key, s.d.cat, o.Since, fhir.Options{BaseURL: base, Now: s.d.now()}, skip)
	case CSV:
		bw := bufio.NewWriterSize(w, 1<<16)
		x.Sessions, err = export.CSV(ctx, bw, src, key, s.d.cat, export.Options{Since: o.Since, Deidentified: o.Deidentified, Location: o.Location, Skip: skip, Notice: notice})
		if err == nil {
			err = bw.Flush()
		}
	}
	if err != nil {
		return Exported{}, err
	}
	return x, nil
}

// Exported puts an export on record under the staff member's name once
// its file is in place ("csv, 40 sessions, de-identified", and
// "2 skipped (do not open)" when some were). What a bundle holds is
// marked sent in the same commit, so it is not exported again unless it
// changes.
func (s *Staff) Exported(ctx context.Context, x Exported) error {
	if _, err := s.open(); err != nil {
		return err
	}
	detail := fmt.Sprintf("%s, %d sessions", x.Format, x.Sessions)
	if x.Patients > 0 {
		detail += fmt.Sprintf(", %d returning patients", x.Patients)
	}
	if x.Deidentified {
		detail += ", de-identified"
	}
	if len(x.Skipped) > 0 {
		detail += fmt.Sprintf(", %d skipped (do not open)", len(x.Skipped))
	}
	if len(x.Left) > 0 {
		detail += fmt.Sprintf(", %d left out (no consent to this recipient)", len(x.Left))
	}
	if x.disclosure.Sessions() > 0 {
		// each session written on record as disclosed, before the export
		// entry: a crash between the two over-records, never under
		x.disclosure.drop(x.Skipped)
		if err := s.Disclosed(ctx, x.disclosure); err != nil {
			return err
		}
		detail += ", disclosed to " + recipientWords(x.disclosure.To)
	}
	e := sqlite.Entry{At: s.d.now(), Actor: s.who.Name, Action: sqlite.ActExport, Detail: detail}
	if !x.sent.Empty() {
		return s.d.st.MarkSent(ctx, x.sent, e)
	}
	return s.d.st.Audit(ctx, e)
}

// ExportFailed puts on record that an export in format f, started, left
// no file: "csv failed (full)", the failure's kind, never its text.
func (s *Staff) ExportFailed(ctx context.Context, f Format, deidentified bool, why error) error {
	if _, err := s.open(); err != nil {
		return err
	}
	kind := "other"
	if e, ok := errors.AsType[*fault.Error](why); ok {
		kind = e.Kind.String()
	}
	return s.audit(ctx, sqlite.ActExport, "", exportDetail(Exported{Format: f, Deidentified: deidentified}, "failed ("+kind+")"))
}

// exportDetail is an export entry's detail at its start or end: "csv
// started", "csv, de-identified, failed (full)".
func exportDetail(x Exported, what string) string {
	d := string(x.Format)
	if x.Deidentified {
		d += ", de-identified,"
	}
	return d + " " + what
}

// Verified is what Verify opened.
type Verified struct {
	// Sessions and Records are every session and its records;
	// Patients the returning patients the sessions name.
	Sessions, Records, Patients int
	// Damaged are the sessions and patients whose records do not all
	// open (changed, moved, or missing from the middle), each said with
	// its id and why; Chains the ones not as the audit log counted
	// them (sqlite.Store.VerifyChains: cut short, missing altogether).
	Damaged []string
	Chains  []sqlite.ChainProblem
}

// OK says whether everything opened and was as counted.
func (v Verified) OK() bool { return len(v.Damaged) == 0 && len(v.Chains) == 0 }

// Verify opens every sealed record with the clinic key: each session's,
// then each returning patient's that a session names, and compares the
// records with what the audit log counted of them. What does not open
// (vault.ErrDamaged, vault.ErrNotForThisKey) or is not as counted is
// named in the result, and the rest still checked; an error is a check
// that could not run or be put on record.
func (s *Staff) Verify(ctx context.Context) (Verified, error) {
	key, err := s.open()
	if err != nil {
		return Verified{}, err
	}
	sessions, err := s.d.st.Sessions(ctx, sqlite.Filter{})
	if err != nil {
		return Verified{}, err
	}
	v := Verified{Sessions: len(sessions)}
	for _, ss := range sessions {
		recs, err := s.d.st.Records(ctx, ss.ID, key)
		switch {
		case review.Unopened(err):
			v.Damaged = append(v.Damaged, err.Error())
		case err != nil:
			return Verified{}, err
		}
		v.Records += len(recs)
	}
	patients := map[string]bool{}
	for _, ss := range sessions {
		if ss.PatientID == "" || patients[ss.PatientID] {
			continue
		}
		patients[ss.PatientID] = true
		_, err := s.d.st.PatientRecords(ctx, ss.PatientID, key)
		switch {
		case review.Unopened(err):
			v.Damaged = append(v.Damaged, err.Error())
		case err != nil:
			return Verified{}, err
		}
	}
	v.Patients = len(patients)
	if v.Chains, err = s.d.st.VerifyChains(ctx); err != nil {
		return Verified{}, err
	}
	detail := fmt.Sprintf("%d sessions opened", v.Sessions)
	if !v.OK() {
		detail += fmt.Sprintf("; %d do not open, %d not as counted", len(v.Damaged), len(v.Chains))
	}
	if err := s.audit(ctx, sqlite.ActVerify, "", detail); err != nil {
		return Verified{}, err
	}
	return v, nil
}

// Codes reads returning patients' check-in codes, within one read on
// record (Staff.Codes). It is not safe for concurrent use.
type Codes struct {
	s    *Staff
	seen map[string]string
}

// Codes puts on record that the staff member reads a list of sessions
// with their patients' check-in codes (sqlite.ActQueue; what says which
// list, in the audit's words) and gives the codes to read.
func (s *Staff) Codes(ctx context.Context, what string) (*Codes, error) {
	if err := s.Record(ctx, sqlite.ActQueue, "", what); err != nil {
		return nil, err
	}
	return &Codes{s: s, seen: map[string]string{}}, nil
}

// Of is a returning patient's check-in code (the latest given), read
// once. A patient whose records do not open is the error the first time
// and has no code after.
func (c *Codes) Of(ctx context.Context, patientID string) (string, error) {
	if code, ok := c.seen[patientID]; ok {
		return code, nil
	}
	key, err := c.s.open()
	if err != nil {
		return "", err
	}
	recs, err := c.s.d.st.PatientRecords(ctx, patientID, key)
	code := ""
	for _, r := range recs {
		if r.Code != "" {
			code = r.Code
		}
	}
	c.seen[patientID] = code
	return code, err
}
