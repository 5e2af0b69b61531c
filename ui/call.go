package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// alertTimeout bounds one play of the call for staff.
const alertTimeout = 10 * time.Second

// calmScreens are the screens a patient in crisis sees: the "I need help
// now" button is not on them (they are its answer).
var calmScreens = map[string]bool{ScreenCrisis: true, ScreenUnwell: true, ScreenWaiting: true}

// barFor sets the top bar for the screen shown: its audience's buttons,
// the help button off on the crisis screens, and the staff call.
func (k *Kiosk) barFor(name string) {
	k.top.helpOn(k.AudienceOf(name))
	if calmScreens[name] {
		k.top.help.Hide()
	}
	k.showCall()
}

// CallStaff calls a staff member to the kiosk: the call is kept (the top
// bar says so on every patient screen until a signed-in staff member
// answers it, AnswerCall), and the alert sounds where there is a player
// (Config.Alert), off the Fyne thread. It says whether a sound was sent
// for, so the screen tells the patient what happens next truthfully;
// failed (when not nil) is called on the Fyne thread if the sound could
// not be played after all.
func (k *Kiosk) CallStaff(failed func()) (sounded bool) {
	if k.called.IsZero() {
		k.called = k.cfg.Now()
		k.cfg.Log.Info("staff called at the kiosk")
	}
	k.showCall()
	alert := k.cfg.Alert
	if alert == nil {
		return false
	}
	k.cfg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), alertTimeout)
		defer cancel()
		if err := alert(ctx); err != nil {
			k.cfg.Log.Error("could not sound the call for staff", "err", err)
			if failed != nil {
				fyne.Do(failed)
			}
		}
	})
	return true
}

// Called says whether a call for staff waits, and since when.
func (k *Kiosk) Called() (time.Time, bool) { return k.called, !k.called.IsZero() }

// AnswerCall clears the call for staff: staff mode calls it for the staff
// member signed in, who is with the patient now.
func (k *Kiosk) AnswerCall() {
	k.called = time.Time{}
	k.showCall()
}

// showCall puts the waiting call in the top bar's middle, in place of the
// clinic's name (the bar keeps its height: nothing moves).
func (k *Kiosk) showCall() {
	if k.top.shownCall == k.called && k.top.callLang == k.lang {
		return // as shown: no refresh at every screen
	}
	k.top.shownCall, k.top.callLang = k.called, k.lang
	name := k.top.name
	if k.called.IsZero() {
		name.SetText(k.cfg.Settings.ClinicName)
		name.Importance = widget.MediumImportance
	} else {
		t := k.called.In(k.Location())
		h, half := t.Hour()%12, k.T("when.am")
		if t.Hour() >= 12 {
			half = k.T("when.pm")
		}
		if h == 0 {
			h = 12
		}
		name.SetText(k.T("call.waiting", fmt.Sprintf("%d:%02d %s", h, t.Minute(), half)))
		name.Importance = widget.DangerImportance
	}
	name.Refresh()
}
