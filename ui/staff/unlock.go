package staff

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/desk"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// unlockText holds every word of the staff sign-in screen, from the
// catalog's staff.unlock.* keys.
var unlockText = staffWords[struct {
	Title, Explain, Name, Pass, Cancel, Unlock, Busy,
	NoName, NoPass, Wrong, Locked, LockedNow, Failed string
	// AuditBroken: the sign-in was refused, the audit log not matching
	// its head file (what to do, short enough for the message line)
	AuditBroken string
	// ExplainStation explains the sign-in of a desk station, which has
	// no Cancel
	ExplainStation string
}]("unlock")

// The sign-in screen's fields, in order.
const (
	unlockName = iota
	unlockPass
)

// unlockScreen is the staff sign-in, held over the patient's screen: a
// name and a passphrase on one on-screen keyboard, checked by the store
// away from the Fyne thread (its key derivation is slow on purpose).
type unlockScreen struct {
	*fieldForm
	k      *mode
	obj    fyne.CanvasObject
	msgRow *fyne.Container // the nav row the message sits in
	cancel *touch.Button
	unlock *touch.Button
	busy   bool
	// attempt counts the attempts and clears: an answer to an attempt
	// that is no longer the current one is dropped
	attempt int
}

// showUnlock opens the staff sign-in over the current screen; at a desk
// station (ui.Config.Station) it is the screen itself, with no Cancel:
// nothing is under it. It does nothing without a StaffStore, before setup
// is done (nobody can sign in yet) and in staff mode.
func (k *mode) showUnlock() {
	station := k.Config().Station
	if k.Config().Staff == nil || k.Config().Setup != nil || k.on != nil || (!station && k.NotForPatients(k.Screen())) {
		return
	}
	u := ui.Screen[*unlockScreen](k.Kiosk, ui.ScreenUnlock)
	u.Clear()
	if station {
		u.cancel.Hide()
		k.Show(ui.ScreenUnlock, u.obj)
	} else {
		k.Hold(ui.ScreenUnlock, u.obj)
	}
	u.selectField(unlockName)
}

func newUnlockScreen(k *mode) *unlockScreen {
	u := &unlockScreen{k: k}
	u.fieldForm = newFieldForm(k,
		formField{label: unlockText.Name, caps: touch.CapitalizeNone},
		formField{label: unlockText.Pass, password: true, caps: touch.CapitalizeNone})
	u.onChange = func(int) {
		if !u.busy {
			u.msg.Say("")
		}
	}
	u.onSubmit = func(i int) {
		if i == unlockName {
			u.selectField(unlockPass)
			return
		}
		u.submit()
	}
	u.cancel = k.Kit().NewButton(unlockText.Cancel, nil, touch.OptionHeight, u.leave)
	u.cancel.MinWidth = touch.NavWidth
	u.unlock = k.NextButton(unlockText.Unlock, u.submit)
	u.unlock.SetIcon(theme.LoginIcon())

	explain := touch.Para(unlockText.Explain)
	if k.Config().Station {
		explain.SetText(unlockText.ExplainStation)
	}
	top := container.NewGridWithColumns(2,
		container.NewVBox(touch.Heading(unlockText.Title), explain),
		container.NewVBox(u.grid()))
	// messages sit between the buttons, beside Unlock which they answer
	u.msgRow = container.NewBorder(nil, nil, u.cancel, u.unlock, u.msg)
	// the row's height does not change, so nothing else lays the message
	// out again when it appears
	u.afterSay = u.msgRow.Refresh
	nav := container.NewVBox(widget.NewSeparator(), container.NewPadded(u.msgRow))
	u.obj = container.NewBorder(nil, nav, nil, nil,
		container.NewPadded(container.NewVBox(top, u.kb.Object())))
	u.follow(unlockName)
	return u
}

// leave (Cancel) returns to the screen the sign-in was opened over.
func (u *unlockScreen) leave() {
	u.Clear()
	u.k.Release()
}

// clear empties both fields, drops an attempt under way and enables the
// form again.
func (u *unlockScreen) Clear() {
	u.attempt++
	u.setBusy(false)
	u.fields[unlockPass].Password = true // hidden again if it was revealed
	u.setText(unlockName, "")
	u.setText(unlockPass, "")
	u.msg.Say("")
	u.follow(unlockName)
}

// submit checks that both fields are filled, then asks the store away
// from the Fyne thread, with the form disabled. The passphrase field is
// emptied at once: every attempt starts from an empty field.
func (u *unlockScreen) submit() {
	if u.busy {
		return
	}
	name := setupName(u.fields[unlockName].Text)
	pass := u.fields[unlockPass].Text
	switch {
	case name == "":
		u.fail(unlockName, unlockText.NoName)
		return
	case pass == "":
		u.fail(unlockPass, unlockText.NoPass)
		return
	}
	u.setText(unlockPass, "")
	u.setBusy(true)
	u.say(unlockText.Busy, false)
	d, attempt := u.k.desk, u.attempt
	u.k.Config().Go(func() {
		staff, err := d.Unlock(context.Background(), name, pass)
		fyne.Do(func() { u.answered(attempt, staff, err) })
	})
}

// answered takes the desk's answer on the Fyne thread.
func (u *unlockScreen) answered(attempt int, staff *desk.Staff, err error) {
	k := u.k
	if attempt != u.attempt || k.Screen() != ui.ScreenUnlock || k.on != nil {
		// the sign-in was cancelled or reset meanwhile: nobody is there
		// to be signed in
		if err == nil {
			k.Config().Log.Info("staff sign-in dropped: the screen had changed", "staff", staff.Who().Name)
			staff.Lock()
		}
		return
	}
	u.setBusy(false)
	if err == nil {
		k.startStaff(staff)
		return
	}
	switch {
	case errors.Is(err, sqlite.ErrLockedOut): // the fifth wrong passphrase locks at once
		u.fail(unlockPass, lockedMessage(err))
	case errors.Is(err, desk.ErrWrongSignIn): // never which was wrong, nor a disabled account
		u.fail(unlockPass, unlockText.Wrong)
	case errors.Is(err, sqlite.ErrAuditBroken): // a sign-in is audited
		u.fail(unlockPass, unlockText.AuditBroken)
	default:
		k.Config().Log.Error("staff sign-in failed", "err", err)
		u.fail(unlockPass, unlockText.Failed+err.Error())
	}
}

// lockedMessage says until when an account is locked.
func lockedMessage(err error) string {
	var le *sqlite.LockedError
	if errors.As(err, &le) {
		return fmt.Sprintf(unlockText.Locked, le.Until.Local().Format("15:04"))
	}
	return unlockText.LockedNow
}

// setBusy disables the form while the store checks the passphrase.
// Cancel stays: it drops the attempt.
func (u *unlockScreen) setBusy(busy bool) {
	u.busy = busy
	u.enable(!busy) // a disabled Entry takes no typing from either keyboard
	if busy {
		u.unlock.Disable()
	} else {
		u.unlock.Enable()
	}
}

func (s *unlockScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
