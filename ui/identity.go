package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/ui/touch"
)

// nameScreen asks for the first or the last name on the on-screen
// keyboard. One is built per kiosk and cleared at every reset.
type nameScreen struct {
	k     *Kiosk
	obj   fyne.CanvasObject
	title *widget.Label
	entry *touch.Entry
	msg   touch.Notice
	kb    *touch.Keyboard
	first bool
}

func newNameScreen(k *Kiosk) *nameScreen {
	s := &nameScreen{k: k, title: touch.Heading(""), entry: k.t.NewEntry(), msg: touch.NewNotice()}
	s.kb = k.t.NewKeyboard(s.entry)
	s.entry.OnChanged = func(string) { k.Touch(); s.kb.Refresh(); s.msg.Say("") }
	s.entry.OnSubmitted = func(string) { s.next() }
	back := k.BackButton(func() {
		if s.first {
			k.flow.showConsent()
		} else {
			k.flow.showName(true)
		}
	})
	s.obj = touch.Page(touch.NavBar(back, k.NextButton(k.tr("nav.next"), s.next)), s.title, s.entry, s.msg, s.kb.Object())
	return s
}

// clear forgets what was typed.
func (s *nameScreen) Clear() {
	s.entry.SetText("")
	s.msg.Say("")
}

// showName asks for the first (or last) name.
func (pf *patientFlow) showName(first bool) {
	k := pf.k
	s := Screen[*nameScreen](k, ScreenFirst)
	s.first = first
	id := pf.visit.Identity()
	if first {
		s.title.SetText(s.k.tr("name.first"))
		s.entry.SetText(id.First)
		k.Show(ScreenFirst, s.obj)
	} else {
		s.title.SetText(s.k.tr("name.last"))
		s.entry.SetText(id.Last)
		k.Show(ScreenLast, s.obj)
	}
	s.msg.Say("")
	s.kb.SetTarget(s.entry)
	k.Focus(s.entry)
}

func (s *nameScreen) next() {
	k, v := s.k, s.k.flow.visit
	if v == nil {
		return
	}
	text := strings.Join(strings.Fields(s.entry.Text), " ")
	if err := screening.ValidateName(text); err != nil {
		if text == "" {
			s.msg.Say(s.k.tr("name.empty"))
		} else {
			s.msg.Say(s.k.tr("name.letters"))
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
		k.flow.failed(err, s.next)
		return
	}
	if s.first {
		k.flow.showName(false)
	} else {
		k.flow.showBirth()
	}
}

// birthScreen asks for the date of birth on the date keypad. One is built
// per kiosk and cleared at every reset.
type birthScreen struct {
	k   *Kiosk
	obj fyne.CanvasObject
	de  *touch.DateEntry
	msg touch.Notice
}

func newBirthScreen(k *Kiosk) *birthScreen {
	s := &birthScreen{k: k, de: k.t.NewDateEntry(), msg: touch.NewNotice()}
	s.de.OnChanged = func() { s.msg.Say("") }
	s.de.OnSubmitted = s.next
	back := k.BackButton(func() { k.flow.showName(false) })
	s.obj = touch.Page(touch.NavBar(back, k.NextButton(k.tr("nav.next"), s.next)), touch.Heading(k.tr("birth.title")), s.de, s.msg)
	return s
}

func (s *birthScreen) Clear() {
	s.de.Clear()
	s.msg.Say("")
}

// showBirth asks for the date of birth.
func (pf *patientFlow) showBirth() {
	k := pf.k
	s := Screen[*birthScreen](k, ScreenBirth)
	s.Clear()
	if d, err := screening.ParseBirth(pf.visit.Identity().Birth, k.cfg.Now()); err == nil {
		s.de.SetDate(d)
	}
	k.Show(ScreenBirth, s.obj)
	k.Focus(s.de)
}

func (s *birthScreen) next() {
	k, v := s.k, s.k.flow.visit
	if v == nil {
		return
	}
	d, ok := s.de.Date()
	if !ok {
		s.msg.Say(k.tr("birth.incomplete"))
		return
	}
	id := v.Identity()
	id.Birth = d.Format(time.DateOnly)
	if _, err := screening.ParseBirth(id.Birth, k.cfg.Now()); err != nil {
		s.msg.Say(k.tr("birth.year"))
		return
	}
	if err := v.SetIdentity(context.Background(), id); err != nil {
		k.flow.failed(err, s.next)
		return
	}
	k.flow.firstQuestion()
}

func (s *nameScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }

func (s *birthScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
