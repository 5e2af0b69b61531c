package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/store"
)

// showName asks for the first (or last) name on the on-screen keyboard.
func (k *Kiosk) showName(first bool) {
	v := k.visit
	question, current, name := "What is your last name?", v.identity.Last, ScreenLast
	if first {
		question, current, name = "What is your first name?", v.identity.First, ScreenFirst
	}
	entry := widget.NewEntry()
	entry.SetText(current)
	entry.TextStyle = fyne.TextStyle{Bold: true}
	msg := newNotice()
	kb := k.t.newKeyboard(entry)
	next := func() {
		text := strings.Join(strings.Fields(entry.Text), " ")
		if err := screening.ValidateName(text); err != nil {
			msg.say("Please type your name with letters only.")
			if text == "" {
				msg.say("Please type your name.")
			}
			return
		}
		id := v.identity
		if first {
			id.First = text
		} else {
			id.Last = text
		}
		if err := k.record(store.Payload{Identity: &id}); err != nil {
			k.failed(err, func() {})
			return
		}
		v.identity = id
		if first {
			k.showName(false)
		} else {
			k.showBirth()
		}
	}
	entry.OnSubmitted = func(string) { next() }
	back := k.backButton(func() {
		if first {
			k.showConsent()
		} else {
			k.showName(true)
		}
	})
	k.show(name, page(navBar(back, k.nextButton("Next", next)), heading(question), entry, msg, kb.Object()))
	k.focus(entry)
}

// showBirth asks for the date of birth on the date entry.
func (k *Kiosk) showBirth() {
	v := k.visit
	de := k.t.newDateEntry()
	if d, err := screening.ParseBirth(v.identity.Birth, k.cfg.Now()); err == nil {
		de.SetDate(d)
	}
	msg := newNotice()
	next := func() {
		d, ok := de.Date()
		if !ok {
			msg.say("Please enter the month, day and year you were born.")
			return
		}
		id := v.identity
		id.Birth = d.Format("2006-01-02")
		if _, err := screening.ParseBirth(id.Birth, k.cfg.Now()); err != nil {
			msg.say("Please check the year you were born.")
			return
		}
		if err := k.record(store.Payload{Identity: &id}); err != nil {
			k.failed(err, func() {})
			return
		}
		v.identity = id
		k.firstQuestion()
	}
	de.OnChanged = func() { msg.say("") }
	back := k.backButton(func() { k.showName(false) })
	k.show(ScreenBirth, page(navBar(back, k.nextButton("Next", next)), heading("What is your date of birth?"), de, msg))
	k.focus(de)
}
