// Package ui is the kiosk's Fyne interface: the patient flow (welcome,
// privacy notice, identity, one question per screen, review, finish), the
// crisis screen, the idle prompt, the first-run setup, staff mode (sign-in,
// settings), the on-screen keyboard and the theme. It holds no SQL and
// draws no PDF: it records through a small Store interface, and staff mode
// works through the desk service (package desk).
package ui

import (
	"context"
	"io"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"intakekiosk/assets"
	"intakekiosk/consent"
	"intakekiosk/desk"
	"intakekiosk/i18n"
	"intakekiosk/intake"
	"intakekiosk/screening"
	"intakekiosk/settings"
	"intakekiosk/takehome"
	"intakekiosk/ui/touch"
)

// Store is what the patient flow needs of storage; *sqlite.Store provides
// it. Each call commits before it returns.
type Store interface {
	// the visits' records (package intake)
	intake.Store
	// MatchCheckin finds the patient of a check-in code and the date of
	// birth typed with it, YYYY-MM-DD (slowly: memory-hard hashes),
	// slowing down after wrong tries; a check-in plan ended before today
	// in loc is refused.
	MatchCheckin(ctx context.Context, code, birth string, now time.Time, loc *time.Location) (string, error)
}

// Config is what a Kiosk is built from. Every field but Log and Quit is
// required.
type Config struct {
	Catalog *screening.Catalog
	// Consents are the clinic's consent forms; the patient signs the
	// main one after the privacy notice (nil or empty: no consent asked).
	Consents *consent.Set
	// TakeHome is the clinic's take-home sheet, which staff print at the
	// finish of a screening or a check-in (nil or empty: none offered).
	TakeHome *takehome.Set
	Store    Store
	Settings settings.Settings
	// Now is the clock; tests pass a fake one.
	Now func() time.Time
	// NewID returns a new session id (UUIDv7 in the real kiosk).
	NewID func() (string, error)
	// KioskMode hides the pointer; the kiosk then closes only from staff
	// mode (a long press on the logo, then a staff sign-in).
	KioskMode bool
	// Quit closes the program (staff mode's "Close kiosk").
	Quit func()
	// Log receives operational events; never patient data.
	Log *slog.Logger
	// OnScreen, if set, is called after each screen is shown, with its name.
	OnScreen func(name string)
	// Print, if set, sends a document (plain text or PDF) to the printer:
	// the recovery key at setup, a session's summary in staff mode. The
	// title is seen in the print queue, so it never holds patient data.
	// An error wrapping printer.ErrNoPrinter says no printer is set up.
	// Nil hides the recovery key's print button.
	Print func(title string, doc io.Reader) error
	// Folders lists where staff may save a summary as a PDF (removable
	// drives first); nil or empty offers no Save.
	Folders func() []Folder
	// Patient builds the patient's side of the kiosk (ui/patient's New):
	// the welcome screen to the finish. Nil leaves a kiosk with nothing
	// for a patient (the shell's own tests).
	Patient func(*Kiosk) PatientFlow
	// Staffing builds staff mode for the kiosk (ui/staff's New); nil
	// leaves the kiosk without it.
	Staffing func(*Kiosk) StaffMode
	// Location is the clinic's time zone (the time_zone setting, which
	// cmd/kiosk passes in; nil: the system's).
	Location *time.Location
	// Notice, if set, is a line at the foot of the welcome screen (the
	// demo's staff account, say).
	Notice string
	// Setup, when set, makes the kiosk open on the first-run setup screens
	// instead of the welcome screen: an admin creates the first staff
	// account. Setup creates the clinic keys and that account and returns
	// the recovery key to show once; an error is shown on the screen.
	Setup func(admin, passphrase string) (recoveryKey string, err error)
	// Speaker reads the screen aloud in the patient's language (the
	// speaker button; every screen by itself when the read_aloud setting
	// is on). Nil hides the button: no speech engine is installed.
	Speaker Speaker
	// Messages is the message catalog, an *i18n.Catalog (nil: the
	// built-in one).
	Messages Messages
	// Go runs work off the Fyne thread (a store call, a print, a save),
	// which hands its outcome back through fyne.Do. Nil: a plain
	// goroutine; tests pass one that counts the work under way, to wait
	// for it.
	Go func(work func())
	// Alert sounds the call for staff when a patient needs help (the
	// crisis screen): chime.Player's Play in the product, through the
	// alert_sound setting. Nil: no sound (none installed, or turned off);
	// the kiosk then calls staff by its screen alone and says so.
	Alert func(ctx context.Context) error
	// After runs f on the Fyne thread once d has passed (a tapped answer
	// shown as chosen, then the next question). Nil: a timer and fyne.Do;
	// tests pass one their clock moves, or one that runs f at once.
	After func(d time.Duration, f func())
	// Staff is the storage staff mode works on, through the desk;
	// *sqlite.Store provides it. When nil, the long press on the logo does
	// nothing (and the kiosk cannot be closed from the screen).
	Staff desk.Store
	// Station makes the program a counselor's desk station (kiosk
	// --station): it starts at the staff sign-in, not the patient's
	// welcome, and the lock returns there. cmd/kiosk then gives it a
	// normal window and the pointer (KioskMode false).
	Station bool
	// Networked says the kiosk has joined a clinic network: the privacy
	// notice then says that answers go, sealed, to the clinic's own
	// server. False: they stay on this device.
	Networked bool
}

// Screen names, as Kiosk.Screen reports them.
const (
	ScreenWelcome  = "welcome"
	ScreenConsent  = "consent"
	ScreenSign     = "consent-sign"
	ScreenFirst    = "first-name"
	ScreenLast     = "last-name"
	ScreenBirth    = "birth"
	ScreenQuestion = "question"
	ScreenReview   = "review"
	ScreenFinish   = "finish"
	ScreenCrisis   = "crisis"
	ScreenUnwell   = "unwell"
	ScreenWaiting  = "waiting"
	ScreenUnlock   = "staff-unlock"
	ScreenStaff    = "staff"
	ScreenSettings = "staff-settings"
	ScreenSetting  = "staff-setting"
	ScreenError    = "error"
	ScreenSetup    = "setup"
	ScreenRecovery = "recovery"
	ScreenSession  = "staff-session"
	ScreenNote     = "staff-note"
	// ScreenRevoke records a patient's revocation of their consent;
	// ScreenDisclose discloses a session to a recipient (42 CFR Part 2).
	ScreenRevoke   = "staff-revoke"
	ScreenDisclose = "staff-disclose"
	ScreenSave     = "staff-save"
	ScreenSearch   = "staff-search"
	ScreenDay      = "staff-day"
	ScreenCode     = "checkin-code"
	// ScreenCheckinBirth asks a returning patient's date of birth after
	// their code, before any question.
	ScreenCheckinBirth = "checkin-birth"
	ScreenPlan         = "staff-plan"
	// ScreenCOWS records a clinician's COWS rating of a patient.
	ScreenCOWS = "staff-cows"
)

// ScreenInstructions are an instrument's published instructions, shown
// before its first question when they are too long to stand above each
// (screening.Instrument.Instructions).
const ScreenInstructions = "instructions"

// Messages is what the kiosk reads of its message catalog
// (*i18n.Catalog): a key's text in a language, and the languages.
type Messages interface {
	T(lang, key string, args ...any) string
	Languages() []string
}

// Kiosk is the patient-facing application in one window.
type Kiosk struct {
	cfg Config
	// desk signs staff in over cfg.Staff (nil without it); intake
	// records patients' visits in cfg.Store
	intake *intake.Intake
	// intakeOn is the store intake records in
	intakeOn Store
	msgs     Messages
	// lang is the language of the patient at the kiosk ("en", "es"),
	// chosen on the welcome screen; it goes back to English with a reset
	lang string
	// textStep is the patient's text size (a step of touch.TextScale), with
	// A and A+; back to the first with a reset
	textStep int
	win      fyne.Window
	t        *touch.Kit
	// guard is how long a new patient's screen, and the recovery key,
	// ignore taps (TapGuard); chosen how long a tapped answer shows
	// before the next screen (ChosenFor)
	guard, chosen time.Duration
	// shownAt is when the screen shown was put up (see Settled)
	shownAt time.Time
	body    *fyne.Container
	// overlay holds a prompt over the screen (the idle prompt)
	overlay *fyne.Container
	top     *topBar
	screen  string

	lastTouch time.Time
	idle      *idlePrompt
	// flow is the patient's side (Config.Patient; noPatient without it)
	flow PatientFlow
	// staffing is staff mode (Config.Staffing; noStaff without it)
	staffing StaffMode

	// parts are the screens built so far, by the first name of their
	// registry row: built once and reused, cleared by the reset and the
	// lock (see screenRows)
	parts map[string]Part
	// rows is the screen registry
	rows []Row

	// held are the screens under a held one (the crisis, error or staff
	// screens), the latest last: release returns to it
	held []heldScreen

	// called is when a patient called for staff (the crisis screen);
	// zero when no call waits. Only a signed-in staff member clears it
	// (AnswerCall): the reset and the lock leave it. calledFor is the
	// session that called ("" when none was on record), answeredBy the
	// staff member who said at a desk they are on the way ("" until one
	// does, as a pull brings it: Changed)
	called                time.Time
	calledFor, answeredBy string
}

// heldScreen is a screen kept, with whatever was typed into it, under a
// held one.
type heldScreen struct {
	name string
	objs []fyne.CanvasObject
}

// New builds the kiosk into the window and shows the welcome screen, or
// the first-run setup screen when cfg.Setup is set.
func New(w fyne.Window, cfg Config) *Kiosk {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Go == nil {
		cfg.Go = func(work func()) { go work() }
	}
	msgs := cfg.Messages
	if msgs == nil {
		c, err := i18n.Load(assets.Messages())
		if err != nil {
			panic(err) // the built-in catalog is checked by the tests
		}
		msgs = c
	}
	k := &Kiosk{cfg: cfg, win: w, body: container.NewStack(), msgs: msgs, lang: i18n.Default, parts: map[string]Part{},
		guard: TapGuard, chosen: ChosenFor}
	k.flow = noPatient{}
	if cfg.Patient != nil {
		k.flow = cfg.Patient(k)
		k.rows = append(k.rows, k.flow.Rows()...)
	}
	k.staffing = noStaff{}
	if cfg.Staffing != nil {
		k.staffing = cfg.Staffing(k)
		k.rows = append(k.rows, k.staffing.Rows()...)
	}
	k.t = &touch.Kit{Activity: k.Touch, HideCursor: cfg.KioskMode, Words: wordsFor(msgs, i18n.Default), Location: k.Location()}
	k.top = newTopBar(k)
	k.lastTouch = cfg.Now()
	// always shown, empty when there is no prompt: a container hidden
	// at start keeps a zero size in the real driver until its parent
	// lays out again
	k.overlay = container.NewStack()
	w.SetContent(container.NewStack(k.t.NewBackdrop(), container.NewBorder(k.top.obj, nil, nil, nil, k.body), k.overlay))
	if cfg.Setup != nil {
		k.staffing.Setup()
	} else {
		k.ShowStart()
	}
	return k
}

// ShowStart shows where the kiosk starts and returns to: the patient's
// welcome screen, or at a desk station (Config.Station) the staff
// sign-in.
func (k *Kiosk) ShowStart() {
	if k.cfg.Station {
		k.staffing.SignIn()
		return
	}
	k.flow.Welcome()
}

// Changed is called by the clinic network's sync loop, from any
// goroutine, after it applied a pull from the clinic's server: staff mode
// reads again what it shows (the queue, the alerts), keeping whoever is
// signed in and what they are typing, and a call for staff waiting here
// shows the staff member on the way once a desk answered it. sessions
// are those the pull brought: what staff mode summarized of them is read
// again.
func (k *Kiosk) Changed(sessions ...string) { fyne.Do(func() { k.changed(sessions) }) }

// changed is Changed on the Fyne thread.
func (k *Kiosk) changed(sessions []string) {
	k.staffing.Changed(sessions)
	k.checkAnswered()
}

// T is the text of key in the patient's language.
func (k *Kiosk) T(key string, args ...any) string { return k.msgs.T(k.lang, key, args...) }

// SetLang changes the patient's language: the patient screens are built
// again in it (they are kept from patient to patient otherwise), and the
// welcome screen shows in it.
func (k *Kiosk) SetLang(lang string) {
	k.Touch()
	if lang == k.lang {
		return
	}
	k.lang = lang
	k.flow.LangChanged(lang)
	k.t.Words = wordsFor(k.msgs, lang)
	k.dropFor(ForPatient)
	k.top.help.SetText(k.T("help.button"))
	k.top.listen.SetText(k.T("speech.listen"))
	// no voice for the language: no speaker button
	k.top.speaks = k.speaks()
	k.barFor(k.screen)
	k.top.obj.Refresh() // laid out again for the longer or shorter words
	if k.screen == ScreenWelcome {
		k.flow.Welcome()
	}
}

// Location is the clinic's time zone: times are shown in it, and a date
// and hour a patient types are read in it.
func (k *Kiosk) Location() *time.Location {
	if k.cfg.Location != nil {
		return k.cfg.Location
	}
	return time.Local
}

// Screen returns the name of the screen shown.
func (k *Kiosk) Screen() string { return k.screen }

// Touch records activity: every tap on a widget of ours, and typing on a
// physical keyboard, calls it. A touch closes the idle prompt.
func (k *Kiosk) Touch() {
	k.lastTouch = k.cfg.Now()
	k.StillHere()
}

// LastTouch returns when the kiosk was last touched.
func (k *Kiosk) LastTouch() time.Time { return k.lastTouch }

// show puts a screen in the window. The keyboard focus is dropped, so
// that typing never reaches a widget that has left the screen; a screen
// that takes typing focuses its input after it is shown.
func (k *Kiosk) Show(name string, obj fyne.CanvasObject) {
	if c := k.win.Canvas(); c != nil {
		c.Unfocus()
	}
	k.screen, k.shownAt = name, k.cfg.Now()
	k.barFor(name)
	k.body.Objects = []fyne.CanvasObject{obj}
	k.body.Refresh()
	k.screenChanged(name)
}

// screenChanged follows a new screen: what was read aloud stops, and the
// new one is read when the read_aloud setting asks for it.
func (k *Kiosk) screenChanged(name string) {
	k.stopReading()
	k.flow.Shown(name)
	if k.cfg.Settings.ReadAloud && k.speaks() && !k.NotForPatients(name) {
		k.readAloud()
	}
	if k.cfg.OnScreen != nil {
		k.cfg.OnScreen(name)
	}
}

// Tick advances the kiosk's timers: the idle prompt, its countdown, the
// finish screen's return and staff mode's lock. The real kiosk calls it
// every second (on the Fyne thread); tests call it after moving their
// clock.
func (k *Kiosk) Tick() {
	now := k.cfg.Now()
	if k.staffing.SignedIn() {
		// staff mode has its own timer; the patient under it waits
		if now.Sub(k.lastTouch) >= k.staffing.LockAfter() {
			k.staffing.Lock("no touch")
		}
		return
	}
	if k.cfg.Setup != nil || k.cfg.Station {
		// setup is not done, so no patient has used the kiosk; a desk
		// station has no patient
		return
	}
	switch k.screen {
	case ScreenFinish:
		if !now.Before(k.flow.FinishBy()) {
			k.Reset("finished")
		}
		return
	case ScreenWelcome, ScreenSetup, ScreenRecovery:
		return // nothing of anyone's to protect
	}
	quiet := now.Sub(k.lastTouch)
	s := k.cfg.Settings
	switch {
	case quiet >= s.Idle+s.IdleCountdown:
		k.Reset("idle")
	case quiet >= s.Idle:
		if k.idle == nil {
			k.idle = newIdlePrompt(k)
		}
		k.idle.update(s.Idle + s.IdleCountdown - quiet)
	}
}

// StillHere closes the idle prompt.
func (k *Kiosk) StillHere() {
	if k.idle != nil {
		k.idle.hide()
		k.idle = nil
	}
}

// reset ends the visit and returns to the welcome screen, leaving nothing
// of the patient in any widget: every screen is built anew for the next.
// A visit that was not submitted stays on record as incomplete.
func (k *Kiosk) Reset(why string) {
	k.flow.Abandon(why)
	k.staffing.Forget()
	k.held = nil
	k.StillHere()
	k.ClearFor(ForPatient)
	// the next patient starts in English, at the first text size
	k.SetLang(i18n.Default)
	k.SetTextStep(0)
	k.ShowStart()
}

// hold shows a screen over the current one, keeping the current one's
// widgets (and whatever the patient was typing) to come back to.
func (k *Kiosk) Hold(name string, obj fyne.CanvasObject) {
	k.held = append(k.held, heldScreen{name: k.screen, objs: k.body.Objects})
	k.Show(name, obj)
}

// heldUnder names the screen release returns to, or "".
func (k *Kiosk) HeldUnder() string {
	if len(k.held) == 0 {
		return ""
	}
	return k.held[len(k.held)-1].name
}

// release returns from a held screen to the one under it. It reports
// false when no screen is held.
func (k *Kiosk) Release() bool {
	if len(k.held) == 0 {
		return false
	}
	h := k.held[len(k.held)-1]
	k.held = k.held[:len(k.held)-1]
	if c := k.win.Canvas(); c != nil {
		c.Unfocus()
	}
	k.screen, k.shownAt = h.name, k.cfg.Now()
	k.barFor(h.name)
	k.body.Objects = h.objs
	k.body.Refresh()
	k.screenChanged(h.name)
	return true
}

// focus gives keyboard focus to obj when the window has a canvas.
func (k *Kiosk) Focus(obj fyne.Focusable) {
	if c := k.win.Canvas(); c != nil {
		c.Focus(obj)
	}
}
