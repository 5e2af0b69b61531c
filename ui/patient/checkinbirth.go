package patient

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// checkinBirthScreen asks a returning patient's date of birth after their
// code, on the date keypad, before any question: the two together find
// the patient (sqlite.Store.MatchCheckin). A wrong date counts as a wrong
// code, and both send the patient back to the code screen with the same
// words, so a guesser learns nothing of which was wrong. It holds the
// code typed until the look-up; its Clear forgets both.
type checkinBirthScreen struct {
	k      *flow
	obj    fyne.CanvasObject
	de     *touch.DateEntry
	msg    touch.Notice
	back   *touch.Button
	submit *touch.Button
	// code is the code typed on the code screen ("" once looked up)
	code string
	busy bool
	// attempt drops an answer to a look-up that is no longer current
	attempt int
}

func newCheckinBirthScreen(k *flow) *checkinBirthScreen {
	s := &checkinBirthScreen{k: k, de: k.Kit().NewDateEntry(), msg: touch.NewNoticeLines(2)}
	s.de.OnChanged = func() { s.say("") }
	s.de.OnSubmitted = s.check
	s.back = k.BackButton(func() {
		s.Clear()
		k.showCode()
	})
	s.submit = k.NextButton(k.T("code.go"), s.check)
	explain := touch.Para(k.T("code.birth_explain"))
	s.obj = touch.Page(touch.NavBar(s.back, s.submit), touch.Heading(k.T("birth.title")), explain, s.de, s.msg)
	return s
}

// showCheckinBirth asks the date of birth of the patient whose code was
// just typed.
func (k *flow) showCheckinBirth(code string) {
	s := ui.Screen[*checkinBirthScreen](k.Kiosk, ui.ScreenCheckinBirth)
	s.Clear()
	s.code = code
	// a tremor's second tap on a key enters nothing
	s.de.Steady(k.Guard(), k.Config().Now)
	k.Show(ui.ScreenCheckinBirth, s.obj)
	k.Focus(s.de)
}

// Clear forgets the code and the date typed and drops a look-up under
// way.
func (s *checkinBirthScreen) Clear() {
	s.code = ""
	s.de.Clear()
	s.attempt++
	s.busy = false
	s.say("")
	s.update()
}

func (s *checkinBirthScreen) update() {
	touch.Enable(s.submit, !s.busy)
	touch.Enable(s.back, !s.busy)
}

// say shows what to fix under the date ("" for nothing).
func (s *checkinBirthScreen) say(text string) {
	s.msg.Importance = widget.DangerImportance
	s.msg.Say(text)
}

// check looks the code and the date up away from the Fyne thread (their
// hashes are slow on purpose); both leave the screen at once.
func (s *checkinBirthScreen) check() {
	k := s.k
	if s.busy {
		return
	}
	if s.code == "" {
		// the look-up's answer was dropped (the crisis screen came
		// between): the code is typed again
		k.showCode()
		return
	}
	d, ok := s.de.Date()
	if !ok {
		s.say(k.T("birth.incomplete"))
		return
	}
	birth := d.Format(time.DateOnly)
	if _, err := screening.ParseBirth(birth, k.Config().Now()); err != nil {
		s.say(k.T("birth.year"))
		return
	}
	code := s.code
	s.code = ""
	s.de.Clear()
	s.busy = true
	s.update()
	s.say(k.T("code.busy"))
	s.msg.Importance = widget.MediumImportance
	s.msg.Refresh()
	st, now, loc, attempt := k.Config().Store, k.Config().Now(), k.Location(), s.attempt
	k.Config().Go(func() {
		patient, err := st.MatchCheckin(context.Background(), code, birth, now, loc)
		fyne.Do(func() { s.answered(attempt, patient, err) })
	})
}

// answered takes the look-up's answer on the Fyne thread: a patient
// found starts the check-in; anything else goes back to the code screen,
// saying what to do.
func (s *checkinBirthScreen) answered(attempt int, patient string, err error) {
	k := s.k
	if attempt != s.attempt {
		return
	}
	s.busy = false
	s.say("")
	s.update()
	if k.Screen() != ui.ScreenCheckinBirth {
		// the patient moved on meanwhile (the crisis screen): the code
		// is typed again when they come back
		return
	}
	var wait *sqlite.CodeWaitError
	switch {
	case err == nil:
		k.startCheckin(patient)
	case errors.As(err, &wait):
		k.showCodeSaying(k.T("code.wait", k.waitWords(wait.Until.Sub(k.Config().Now()))))
	case errors.Is(err, sqlite.ErrCodeNotFound):
		// a wrong code and a wrong date of birth: the same words
		k.showCodeSaying(k.T("code.not_found"))
	case errors.Is(err, sqlite.ErrCodeReissue):
		k.showCodeSaying(k.T("code.reissue"))
	case errors.Is(err, sqlite.ErrPlanEnded):
		k.showCodeSaying(k.T("code.plan_ended"))
	case errors.Is(err, sqlite.ErrCodeFormat):
		k.showCodeSaying(k.T("code.short"))
	default:
		k.Config().Log.Error("could not look up a check-in code", "err", err)
		k.showCodeSaying(k.T("code.failed"))
	}
}

func (s *checkinBirthScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
