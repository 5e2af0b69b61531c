// Package review is the counselor's side of the kiosk, without a window:
// a session read back with the clinic key (Detail), the PDF summary made
// from it, the day's queue with its rows' key scores, and search by name
// or date of birth over sessions opened after unlock (Index).
//
// Everything here needs a staff member's clinic key; nothing is kept
// beyond the values handed back, so locking staff mode (dropping the key
// and the values) forgets it all.
package review

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"intakekiosk"
	"intakekiosk/report"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/summary"
	"intakekiosk/vault"
)

// Source is what review reads from storage; *sqlite.Store provides it.
type Source interface {
	Sessions(ctx context.Context, f sqlite.Filter) ([]intakekiosk.Session, error)
	Session(ctx context.Context, id string) (intakekiosk.Session, error)
	Records(ctx context.Context, id string, clinic *vault.ClinicKey) ([]intakekiosk.Record, error)
}

var _ Source = (*sqlite.Store)(nil)

// Detail is one session read back: its metadata in clear and what the
// patient entered, replayed over the instrument catalog, with the
// counselors' notes.
type Detail struct {
	Session intakekiosk.Session
	intakekiosk.Visit
}

// Load opens one session with the clinic key and replays it.
func Load(ctx context.Context, src Source, id string, key *vault.ClinicKey, cat *screening.Catalog) (Detail, error) {
	ss, err := src.Session(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	return Open(ctx, src, ss, key, cat)
}

// Open reads the records of a session already listed (Load finds it by
// id first).
func Open(ctx context.Context, src Source, ss intakekiosk.Session, key *vault.ClinicKey, cat *screening.Catalog) (Detail, error) {
	recs, err := src.Records(ctx, ss.ID, key)
	if err != nil {
		return Detail{}, err
	}
	return Detail{Session: ss, Visit: intakekiosk.Replay(recs, cat, ss.Kind)}, nil
}

// At is the instant the session's answers are read at: when it was
// submitted, else when it ended, else when it began.
func (d Detail) At() time.Time {
	switch {
	case !d.Session.Completed.IsZero():
		return d.Session.Completed
	case !d.Session.Ended.IsZero():
		return d.Session.Ended
	}
	return d.Session.Started
}

// Input is the PDF summary's input for this session.
func (d Detail) Input(clinic string, generated time.Time, loc *time.Location) summary.Input {
	notes := make([]summary.Note, len(d.Notes))
	for i, n := range d.Notes {
		notes[i] = summary.Note{At: n.At, By: n.By, Text: n.Text}
	}
	return summary.Input{
		Clinic: clinic, Identity: d.Identity, SessionID: d.Session.ID,
		Started: d.Session.Started, Completed: d.Session.Completed,
		Urgent: d.Session.Urgent, Attention: d.Session.Attention,
		HelpRequested: d.HelpRequested, Unwell: d.Unwell,
		Session: d.Visit.Session, Notes: notes, Lang: d.Lang,
		Generated: generated, Location: loc,
	}
}

// WritePDF writes the session's PDF summary to w.
func (d Detail) WritePDF(w io.Writer, clinic string, generated time.Time, loc *time.Location) error {
	if err := report.Summary(w, d.Input(clinic, generated, loc)); err != nil {
		return fmt.Errorf("summary of session %s: %w", d.Session.ID, err)
	}
	return nil
}

// ShortID is the part of a session id that print jobs, file names and
// staff use to tell sessions apart: its last 8 letters and digits. A
// UUIDv7 begins with its time (sessions a minute apart share a start) and
// ends at random, so the end tells them apart.
func ShortID(id string) string {
	s := strings.ReplaceAll(id, "-", "")
	if len(s) > 8 {
		s = s[len(s)-8:]
	}
	return s
}

// JobTitle is a print job's title for a session's summary. Print systems
// show and log titles (CUPS's page log, lpstat, cups-pdf's file names),
// so it carries no patient data: only the short id.
func JobTitle(id string) string { return "Intake summary " + ShortID(id) }

// Unopened says whether err is a session's own damage rather than a
// failure of the whole read: its sealed data does not open
// (vault.ErrDamaged, vault.ErrNotForThisKey) or its rows lie on a
// damaged page of the database (sqlite.ErrCorrupt). An export skips such
// a session, names it and goes on.
func Unopened(err error) bool {
	return errors.Is(err, vault.ErrDamaged) || errors.Is(err, vault.ErrNotForThisKey) || errors.Is(err, sqlite.ErrCorrupt)
}

// LastDose is when the patient said they last took kratom: at a
// check-in its first question, at a screening the kratom profile's;
// false when it was not asked, declined or not a time.
func (d Detail) LastDose() (time.Time, bool) {
	inst := "kratom"
	if d.Session.Kind == intakekiosk.Checkin {
		inst = "checkin_use"
	}
	a, ok := answer(d.Visit.Session, inst, "last_dose")
	if !ok || a.Time == nil {
		return time.Time{}, false
	}
	return *a.Time, true
}
