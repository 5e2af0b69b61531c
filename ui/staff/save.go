package staff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/desk"
	"intakekiosk/privfile"
	"intakekiosk/review"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// saveText holds every word of the Save PDF screen, from the
// catalog's staff.save.* keys.
var saveText = staffWords[struct {
	Title, Explain, File, Cancel, None, Saved, Failed, Saving string
}]("save")

// saveScreen offers the folders a summary can be saved to, as big buttons.
type saveScreen struct {
	k       *mode
	obj     fyne.CanvasObject
	detail  review.Detail
	file    *widget.Label
	folders *fyne.Container
	msg     touch.Notice
	// busy while a save is under way (off the Fyne thread: a USB drive
	// can take a while to flush)
	busy bool
}

func newSaveScreen(k *mode) *saveScreen {
	s := &saveScreen{k: k, file: widget.NewLabel(""), folders: container.NewVBox(), msg: touch.NewNavNotice()}
	s.file.TextStyle = fyne.TextStyle{Bold: true}
	cancel := k.Kit().NewButton(saveText.Cancel, nil, touch.OptionHeight, s.leave)
	cancel.MinWidth = touch.NavWidth
	nav := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewBorder(nil, nil, cancel, nil, s.msg)))
	s.obj = container.NewBorder(nil, nav, nil, nil,
		container.NewPadded(container.NewVBox(touch.Heading(saveText.Title), touch.Para(saveText.Explain), s.file, s.folders)))
	return s
}

// showSave opens the Save PDF screen over the session view.
func (k *mode) showSave(d review.Detail) {
	if k.on == nil || d.Session.ID == "" {
		return
	}
	s := ui.Screen[*saveScreen](k.Kiosk, ui.ScreenSave)
	s.detail = d
	s.msg.Say("")
	s.file.SetText(fmt.Sprintf(saveText.File, summaryFileName(d, k.Location())))
	s.folders.Objects = nil
	var folders []ui.Folder
	if k.Config().Folders != nil {
		folders = k.Config().Folders()
	}
	for _, f := range folders {
		b := k.Kit().NewButton(f.Name, theme.FolderIcon(), touch.OptionHeight, func() { s.saveTo(f) })
		b.Alignment = widget.ButtonAlignLeading
		s.folders.Add(b)
	}
	if len(folders) == 0 {
		s.msg.Say(saveText.None)
	}
	s.folders.Refresh()
	k.Hold(ui.ScreenSave, s.obj)
}

// summaryFileName names a summary by date and session, never by patient:
// a file name shows in every folder listing.
func summaryFileName(d review.Detail, loc *time.Location) string {
	return fmt.Sprintf("intake-summary-%s-%s.pdf", d.Session.Started.In(loc).Format("2006-01-02"), review.ShortID(d.Session.ID))
}

// clear forgets the session.
func (s *saveScreen) Clear() {
	s.detail = review.Detail{}
	s.file.SetText("")
	s.folders.Objects = nil
	s.folders.Refresh()
	s.msg.Say("")
}

func (s *saveScreen) leave() {
	s.Clear()
	s.k.Release()
}

// saveTo writes the PDF into folder f (never over another file), records
// it as printed, and returns to the session saying where it went.
func (s *saveScreen) saveTo(f ui.Folder) {
	k := s.k
	if k.on == nil || s.detail.Session.ID == "" {
		return
	}
	if s.busy {
		return
	}
	s.busy = true
	s.msg.Say(saveText.Saving)
	d, staff, loc, clinic := s.detail, k.on.desk, k.Location(), k.Config().Settings.ClinicName
	k.Config().Go(func() {
		path, err := writeSummary(staff, d, f.Path, clinic, loc)
		if err == nil {
			// where it went (a drive's or folder's name, no patient
			// data) is on record too
			err = staff.Printed(context.Background(), d.Session.ID, "saved as PDF to "+f.Name)
			if err != nil {
				// not on record as saved: the file goes too
				os.Remove(path)
			}
		}
		fyne.Do(func() { s.saved(d.Session.ID, path, err) })
	})
}

// saved takes a save's outcome on the Fyne thread: back to the session
// saying where the file went, or the reason on the save screen.
func (s *saveScreen) saved(id, path string, err error) {
	k := s.k
	s.busy = false
	if err != nil {
		k.Config().Log.Error("could not save a summary", "session", id, "err", err)
		if k.Screen() == ui.ScreenSave {
			s.msg.Say(fmt.Sprintf(saveText.Failed, err))
		}
		return
	}
	if k.Screen() == ui.ScreenSave {
		s.Clear()
		k.Release()
	}
	if v, ok := ui.Built[*sessionView](k.Kiosk, ui.ScreenSession); ok && k.Screen() == ui.ScreenSession && v.detail.Session.ID == id {
		v.restatus()
		v.say(fmt.Sprintf(saveText.Saved, path), false)
	}
}

// writeSummary draws the PDF and writes it, readable by this user only,
// to a new file in dir: "name.pdf", else "name-2.pdf" and so on.
func writeSummary(staff *desk.Staff, d review.Detail, dir, clinic string, loc *time.Location) (string, error) {
	var buf bytes.Buffer
	defer func() { clear(buf.Bytes()) }()
	if err := staff.Summary(&buf, d, clinic, loc); err != nil {
		return "", err
	}
	name := summaryFileName(d, loc)
	base := strings.TrimSuffix(name, ".pdf")
	for i := 1; i < 100; i++ {
		if i > 1 {
			name = fmt.Sprintf("%s-%d.pdf", base, i)
		}
		path := filepath.Join(dir, name)
		// whole or not at all, and nothing readable left by a crash
		err := privfile.Write(path, privfile.Options{}, func(f *os.File) error {
			_, err := f.Write(buf.Bytes())
			return err
		})
		if errors.Is(err, privfile.ErrExists) {
			continue
		}
		if err != nil {
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("%s: too many summaries of this session already", dir)
}

func (s *saveScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
