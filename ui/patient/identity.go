package patient

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// nameScreen asks for the first or the last name on the on-screen
// keyboard. One is built per kiosk and cleared at every reset.
type nameScreen struct {
	k     *flow
	obj   fyne.CanvasObject
	title *widget.Label
	entry *touch.Entry
	msg   touch.Notice
	kb    *touch.Keyboard
	first bool
}

func newNameScreen(k *flow) *nameScreen {
	s := &nameScreen{k: k, title: touch.Heading(""), entry: k.Kit().NewEntry(), msg: touch.NewNoticeLines(2)}
	s.kb = k.Kit().NewKeyboard(s.entry)
	s.entry.OnChanged = func(string) { k.Touch(); s.kb.Refresh(); s.msg.Say("") }
	s.entry.OnSubmitted = func(string) { s.next() }
	back := k.BackButton(func() {
		if s.first {
			k.showConsent()
		} else {
			k.showName(true)
		}
	})
	s.obj = touch.Page(touch.NavBar(back, k.NextButton(k.T("nav.next"), s.next)), s.title, s.entry, s.msg, s.kb.Object())
	return s
}

// clear forgets what was typed.
func (s *nameScreen) Clear() {
	s.entry.SetText("")
	s.msg.Say("")
}

// showName asks for the first (or last) name.
func (k *flow) showName(first bool) {
	s := ui.Screen[*nameScreen](k.Kiosk, ui.ScreenFirst)
	s.first = first
	id := k.visit.Identity()
	if first {
		s.title.SetText(s.k.T("name.first"))
		s.entry.SetText(id.First)
		k.Show(ui.ScreenFirst, s.obj)
	} else {
		s.title.SetText(s.k.T("name.last"))
		s.entry.SetText(id.Last)
		k.Show(ui.ScreenLast, s.obj)
	}
	s.msg.Say("")
	s.kb.SetTarget(s.entry)
	k.Focus(s.entry)
}

func (s *nameScreen) next() {
	k, v := s.k, s.k.visit
	if v == nil {
		return
	}
	text := strings.Join(strings.Fields(s.entry.Text), " ")
	if err := screening.ValidateName(text); err != nil {
		if text == "" {
			s.msg.Say(s.k.T("name.empty"))
		} else {
			s.msg.Say(s.k.T("name.letters"))
		}
		return
	}
	id := v.Identity()
	if s.first {
		id.First = text
	} else {
		id.Last = text
	}
	if err := v.SetIdentity(context.Background(), id); err != nil {
		k.failed(err, s.next)
		return
	}
	if s.first {
		k.showName(false)
	} else {
		k.showBirth()
	}
}

// birthScreen asks for the date of birth on the date keypad. One is built
// per kiosk and cleared at every reset.
type birthScreen struct {
	k   *flow
	obj fyne.CanvasObject
	de  *touch.DateEntry
	msg touch.Notice
}

func newBirthScreen(k *flow) *birthScreen {
	s := &birthScreen{k: k, de: k.Kit().NewDateEntry(), msg: touch.NewNoticeLines(2)}
	s.de.OnChanged = func() { s.msg.Say("") }
	s.de.OnSubmitted = s.next
	back := k.BackButton(func() { k.showName(false) })
	s.obj = touch.Page(touch.NavBar(back, k.NextButton(k.T("nav.next"), s.next)), touch.Heading(k.T("birth.title")), s.de, s.msg)
	return s
}

func (s *birthScreen) Clear() {
	s.de.Clear()
	s.msg.Say("")
}

// showBirth asks for the date of birth.
func (k *flow) showBirth() {
	s := ui.Screen[*birthScreen](k.Kiosk, ui.ScreenBirth)
	s.Clear()
	if d, err := screening.ParseBirth(k.visit.Identity().Birth, k.Config().Now()); err == nil {
		s.de.SetDate(d)
	}
	k.Show(ui.ScreenBirth, s.obj)
	k.Focus(s.de)
}

func (s *birthScreen) next() {
	k, v := s.k, s.k.visit
	if v == nil {
		return
	}
	d, ok := s.de.Date()
	if !ok {
		s.msg.Say(k.T("birth.incomplete"))
		return
	}
	id := v.Identity()
	id.Birth = d.Format(time.DateOnly)
	if _, err := screening.ParseBirth(id.Birth, k.Config().Now()); err != nil {
		s.msg.Say(k.T("birth.year"))
		return
	}
	if err := v.SetIdentity(context.Background(), id); err != nil {
		k.failed(err, s.next)
		return
	}
	k.firstQuestion()
}

func (s *nameScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }

func (s *birthScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
