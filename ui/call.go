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
// not be played after all. The call is the visit's under way: a desk that
// answers that session's alert shows here (Changed, CallAnsweredBy).
func (k *Kiosk) CallStaff(failed func()) (sounded bool) {
	if k.called.IsZero() {
		k.called = k.cfg.Now()
		k.cfg.Log.Info("staff called at the kiosk")
	}
	if id, _, ok := k.Visit(); ok && id != k.calledFor {
		// another patient calls now: the answer to the one before is
		// not theirs
		k.calledFor, k.answeredBy = id, ""
	}
	k.showCall()
	return k.sound(failed)
}

// Chime sounds the call for staff (Config.Alert) off the Fyne thread,
// without calling staff to this kiosk: staff mode's alert of an urgent
// session at another kiosk of the clinic. It says whether a sound was
// sent for.
func (k *Kiosk) Chime() bool { return k.sound(nil) }

// sound plays Config.Alert off the Fyne thread, calling failed (when not
// nil) on the Fyne thread if it could not.
func (k *Kiosk) sound(failed func()) bool {
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

// CalledFor is the session whose call for staff waits ("" for none, or
// one not on record).
func (k *Kiosk) CalledFor() string {
	if k.called.IsZero() {
		return ""
	}
	return k.calledFor
}

// CallAnsweredBy is the staff member who answered the waiting call's
// alert at a desk and is on the way ("" while nobody has).
func (k *Kiosk) CallAnsweredBy() string { return k.answeredBy }

// AnswerCall clears the call for staff: staff mode calls it for the staff
// member signed in, who is with the patient now.
func (k *Kiosk) AnswerCall() {
	k.called, k.calledFor, k.answeredBy = time.Time{}, "", ""
	k.showCall()
}

// checkAnswered asks the store, off the Fyne thread, whether a desk has
// answered the waiting call's alert, and shows who is on the way.
func (k *Kiosk) checkAnswered() {
	id := k.CalledFor()
	if id == "" || k.answeredBy != "" {
		return
	}
	in := k.Intake()
	k.cfg.Go(func() {
		by, _, err := in.Answered(context.Background(), id)
		if err != nil {
			k.cfg.Log.Error("could not read whether the call for staff was answered", "session", id, "err", err)
			return
		}
		fyne.Do(func() {
			if by == "" || k.CalledFor() != id || k.answeredBy != "" {
				return
			}
			k.answeredBy = by
			k.cfg.Log.Info("the call for staff was answered at a desk", "session", id)
			k.showCall()
			k.flow.CallAnswered(by)
		})
	})
}

// showCall puts the waiting call in the top bar's middle, in place of the
// clinic's name (the bar keeps its height: nothing moves): when it was
// made, or who is on the way.
func (k *Kiosk) showCall() {
	if k.top.shownCall == k.called && k.top.callLang == k.lang && k.top.callBy == k.answeredBy {
		return // as shown: no refresh at every screen
	}
	k.top.shownCall, k.top.callLang, k.top.callBy = k.called, k.lang, k.answeredBy
	name := k.top.name
	switch {
	case k.called.IsZero():
		name.SetText(k.cfg.Settings.ClinicName)
		name.Importance = widget.MediumImportance
	case k.answeredBy != "":
		name.SetText(k.T("call.on_the_way", k.answeredBy))
		name.Importance = widget.SuccessImportance
	default:
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
