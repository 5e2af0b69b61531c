package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/privfile"
	"intakekiosk/review"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
)

// summary is one session's PDF summary, drawn in memory (never in a
// file) for the staff member signed in.
type summary struct {
	// id is the session's id.
	id string
	// staff is who signed in; the save or print is put on record under
	// their name.
	staff *desk.Staff
	// pdf holds the document.
	pdf bytes.Buffer
}

// summarize reads session id back as the staff member acting (signed in
// with their passphrase; the view on record, as at the kiosk) and draws
// its PDF summary in memory. A session a patient is still answering is
// refused before the unlock: its summary could not be recorded as
// printed, and is not final.
func (g *globals) summarize(cmd *cobra.Command, st *sqlite.Store, pp *passphrases, id string) (*summary, error) {
	staff, d, set, err := g.openFinished(cmd, st, pp, id)
	if err != nil {
		return nil, err
	}
	s := &summary{id: id, staff: staff}
	if err := staff.Summary(&s.pdf, d, set.ClinicName, set.Location); err != nil {
		return nil, err
	}
	return s, nil
}

// openFinished opens a finished session as the staff member acting
// (signed in with their passphrase; the view on record, as at the
// kiosk), with the kiosk's settings. A session a patient is still
// answering is refused before the unlock: what is drawn of it could not
// be recorded as printed, and is not final.
func (g *globals) openFinished(cmd *cobra.Command, st *sqlite.Store, pp *passphrases, id string) (*desk.Staff, review.Detail, settings.Settings, error) {
	ctx := cmd.Context()
	ss, err := st.Session(ctx, id)
	if err != nil {
		return nil, review.Detail{}, settings.Settings{}, err
	}
	if ss.Status == intakekiosk.InProgress {
		return nil, review.Detail{}, settings.Settings{}, fmt.Errorf("session %s: %w", id, intakekiosk.ErrInProgress)
	}
	staff, err := g.signInAt(cmd, st, pp)
	if err != nil {
		return nil, review.Detail{}, settings.Settings{}, err
	}
	d, err := staff.Open(ctx, id)
	if err != nil {
		return nil, review.Detail{}, settings.Settings{}, err
	}
	set, err := st.Settings(ctx)
	return staff, d, set, err
}

// writePrivate writes data to path readable by this user only (0600),
// also when path already exists with a wider mode: whole, through a
// temporary file (privfile), so a failed write (a full disk) or a crash
// leaves the file that was there, or nothing.
func writePrivate(path string, opt privfile.Options, data []byte) error {
	opt.Replace = true
	return privfile.Write(path, opt, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}
