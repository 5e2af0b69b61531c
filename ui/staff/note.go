package staff

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"intakekiosk/desk"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// noteText holds every word of the add-note screen, from the
// catalog's staff.note.* keys.
var noteText = staffWords[struct {
	Title, Explain, Field, Cancel, Save, Empty, TooLong, Failed string
}]("note")

// noteScreen takes a counselor's note on the on-screen keyboard.
type noteScreen struct {
	*fieldForm
	k       *mode
	obj     fyne.CanvasObject
	session string
}

func newNoteScreen(k *mode) *noteScreen {
	n := &noteScreen{k: k}
	n.fieldForm = newFieldForm(k, formField{label: noteText.Field, caps: touch.CapitalizeSentences})
	e := n.fields[0]
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(3)
	n.onChange = func(int) { n.msg.Say("") }
	save := k.NextButton(noteText.Save, n.submit)
	save.SetIcon(theme.DocumentSaveIcon())
	n.obj = n.page(noteText.Title, noteText.Explain, noteText.Cancel, n.leave, save)
	return n
}

// showNote opens the note screen over the session view.
func (k *mode) showNote(sessionID string) {
	if k.on == nil {
		return
	}
	n := ui.Screen[*noteScreen](k.Kiosk, ui.ScreenNote)
	n.Clear()
	n.session = sessionID
	k.Hold(ui.ScreenNote, n.obj)
	n.selectField(0)
}

// clear empties the note.
func (n *noteScreen) Clear() {
	n.session = ""
	n.setText(0, "")
	n.msg.Say("")
}

// leave returns to the session without saving.
func (n *noteScreen) leave() {
	n.Clear()
	n.k.Release()
}

// submit seals the note onto the session and returns to it.
func (n *noteScreen) submit() {
	k := n.k
	if k.on == nil || n.session == "" {
		return
	}
	err := k.on.desk.Note(context.Background(), n.session, n.fields[0].Text)
	switch {
	case errors.Is(err, desk.ErrEmptyNote):
		n.fail(0, noteText.Empty)
		return
	case errors.Is(err, desk.ErrLongNote):
		n.fail(0, fmt.Sprintf(noteText.TooLong, sqlite.MaxNoteLen))
		return
	case err != nil:
		k.Config().Log.Error("could not save a note", "session", n.session, "err", err)
		n.fail(0, noteText.Failed+err.Error())
		return
	}
	n.Clear()
	k.Release()
	if v, ok := ui.Built[*sessionView](k.Kiosk, ui.ScreenSession); ok && k.Screen() == ui.ScreenSession {
		v.reload()
		v.setTab(tabNotes)
		v.say(sessionText.NoteSaved, false)
	}
}

func (s *noteScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
