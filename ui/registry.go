package ui

import (
	"fyne.io/fyne/v2"
)

// audience is who a screen is for. It decides the top bar (the help
// button, read-aloud, the text size), and which event clears the screen:
// the reset clears the patient's, the lock the staff's.
type audience int

const (
	// forPatient screens are the patient flow: the "I need help now"
	// button is on them, read_aloud reads them, the reset clears them and
	// a change of language builds them again.
	forPatient audience = iota + 1
	// forSetup screens are the first-run setup: no patient uses the
	// kiosk yet, so no help button.
	forSetup
	// forSignIn is the staff sign-in, held over a patient's screen: the
	// top bar stays (the logo), without the patient's buttons.
	forSignIn
	// forStaff screens are seen only by a signed-in staff member: no top
	// bar; the lock (and the reset) clears them.
	forStaff
)

// part is a screen built once and reused. Its clear forgets everything it
// holds of a patient or a staff member (typed text, names, answers,
// codes), so that the reset and the lock leave nothing on it; objects
// gives the canvas objects it may show, walked by the tests that check
// that.
type part interface {
	clear()
	objects() []fyne.CanvasObject
}

// screenRow is one row of the registry: the screens one part shows, who
// they are for, and how the part is built. A row without build is a
// screen built anew at each showing (the crisis and error screens),
// keeping nothing.
type screenRow struct {
	names    []string
	audience audience
	build    func(*Kiosk) part
}

// screenRows is the registry of every screen. A new screen is a file
// with its part and one row here: the top bar, the reset and the lock
// follow from its audience, with no list to keep. (A function, not a
// variable: the builders reach the registry again.)
func screenRows() []screenRow {
	return []screenRow{
		{names: []string{ScreenSetup, ScreenRecovery}, audience: forSetup, build: func(k *Kiosk) part { return newSetupScreen(k) }},
		{names: []string{ScreenWelcome}, audience: forPatient, build: func(k *Kiosk) part { return still{k.welcomeScreen()} }},
		{names: []string{ScreenConsent}, audience: forPatient, build: func(k *Kiosk) part { return still{k.consentScreen()} }},
		{names: []string{ScreenFirst, ScreenLast}, audience: forPatient, build: func(k *Kiosk) part { return newNameScreen(k) }},
		{names: []string{ScreenBirth}, audience: forPatient, build: func(k *Kiosk) part { return newBirthScreen(k) }},
		{names: []string{ScreenCode}, audience: forPatient, build: func(k *Kiosk) part { return newCodeScreen(k) }},
		{names: []string{ScreenQuestion}, audience: forPatient, build: func(k *Kiosk) part { return newQuestionScreen(k) }},
		{names: []string{ScreenReview}, audience: forPatient, build: func(k *Kiosk) part { return newReviewScreen(k) }},
		{names: []string{ScreenFinish}, audience: forPatient, build: func(k *Kiosk) part { return k.finishScreen() }},
		{names: []string{ScreenCrisis}, audience: forPatient},
		{names: []string{ScreenError}, audience: forPatient},
		{names: []string{ScreenUnlock}, audience: forSignIn, build: func(k *Kiosk) part { return newUnlockScreen(k) }},
		{names: []string{ScreenStaff}, audience: forStaff, build: func(k *Kiosk) part { return newStaffHome(k) }},
		{names: []string{ScreenSettings, ScreenSetting}, audience: forStaff, build: func(k *Kiosk) part { return newSettingsScreen(k) }},
		{names: []string{ScreenSession}, audience: forStaff, build: func(k *Kiosk) part { return newSessionView(k) }},
		{names: []string{ScreenNote}, audience: forStaff, build: func(k *Kiosk) part { return newNoteScreen(k) }},
		{names: []string{ScreenSave}, audience: forStaff, build: func(k *Kiosk) part { return newSaveScreen(k) }},
		{names: []string{ScreenSearch}, audience: forStaff, build: func(k *Kiosk) part { return newSearchScreen(k) }},
		{names: []string{ScreenDay}, audience: forStaff, build: func(k *Kiosk) part { return newDayScreen(k) }},
		{names: []string{ScreenPlan}, audience: forStaff, build: func(k *Kiosk) part { return newPlanScreen(k) }},
	}
}

// rowOf finds the registry row of a screen name: screens shown but not
// registered are a programming error the registry test catches.
func (k *Kiosk) rowOf(name string) (screenRow, bool) {
	for _, r := range k.rows {
		for _, n := range r.names {
			if n == name {
				return r, true
			}
		}
	}
	return screenRow{}, false
}

// audienceOf says who the screen named is for (0: not registered).
func (k *Kiosk) audienceOf(name string) audience {
	r, _ := k.rowOf(name)
	return r.audience
}

// notForPatients says whether a screen is not the patient's: no help
// button, never read aloud.
func (k *Kiosk) notForPatients(name string) bool { return k.audienceOf(name) != forPatient }

// screen returns the part of the screen named, building it the first
// time (the kiosk keeps it until the registry drops it).
func screen[T part](k *Kiosk, name string) T {
	r, _ := k.rowOf(name)
	key := r.names[0]
	p, ok := k.parts[key]
	if !ok {
		p = r.build(k)
		k.parts[key] = p
	}
	return p.(T)
}

// built returns the part of the screen named if it has been built.
func built[T part](k *Kiosk, name string) (T, bool) {
	r, _ := k.rowOf(name)
	var zero T
	if len(r.names) == 0 {
		return zero, false
	}
	p, ok := k.parts[r.names[0]]
	if !ok {
		return zero, false
	}
	t, ok := p.(T)
	return t, ok
}

// drop forgets the part of the screen named: the next showing builds it
// again (in a new language, or for a new text size).
func (k *Kiosk) drop(name string) {
	if r, ok := k.rowOf(name); ok {
		delete(k.parts, r.names[0])
	}
}

// clearFor clears every built part of the audiences given.
func (k *Kiosk) clearFor(auds ...audience) {
	for _, r := range k.rows {
		p, ok := k.parts[r.names[0]]
		if !ok {
			continue
		}
		for _, a := range auds {
			if r.audience == a {
				p.clear()
			}
		}
	}
}

// dropFor forgets every built part of an audience.
func (k *Kiosk) dropFor(a audience) {
	for _, r := range k.rows {
		if r.audience == a {
			delete(k.parts, r.names[0])
		}
	}
}

// still is a part that holds nothing of anyone (the welcome screen, the
// privacy notice): its words are the catalog's.
type still struct{ obj fyne.CanvasObject }

func (s still) clear()                       {}
func (s still) objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
