package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/intake"
	"intakekiosk/screening"
	"intakekiosk/ui/touch"
)

// StaffMode is what the shell asks of staff mode (ui/staff): its screens,
// whether someone is signed in and how long it waits for a touch, the
// lock, and the two ways in (the logo's long press, the first-run setup).
type StaffMode interface {
	// Rows are staff mode's screens, registered with the patient's.
	Rows() []Row
	// SignedIn says whether a staff member is signed in.
	SignedIn() bool
	// LockAfter is how long staff mode waits for a touch.
	LockAfter() time.Duration
	// Lock ends staff mode for why, returning to the patient's screen.
	Lock(why string)
	// Forget forgets the staff member signed in and clears staff mode's
	// screens, showing nothing (the reset does the showing).
	Forget()
	// SignIn shows the staff sign-in.
	SignIn()
	// Setup shows the first-run setup.
	Setup()
	// Changed reads again what staff mode shows (the queue, the
	// alerts): the store changed under it (a pull from the clinic's
	// server), sessions those that changed (their summaries are read
	// again). Who is signed in and what they type stay.
	Changed(sessions []string)
}

// PatientFlow is what the shell asks of the patient's side (ui/patient):
// its screens, the welcome screen, the help button, what follows a new
// screen, a language or a text size, the finish screen's time, the
// reset's end of the visit, and what read-aloud reads or keeps quiet.
type PatientFlow interface {
	// Rows are the patient's screens, registered with staff mode's.
	Rows() []Row
	// Welcome shows the welcome screen.
	Welcome()
	// Help is the top bar's "I need help now".
	Help()
	// Shown follows a new screen (after the shell put it up).
	Shown(name string)
	// LangChanged follows a change of the patient's language.
	LangChanged(lang string)
	// TextSize follows a change of the patient's text size.
	TextSize()
	// FinishBy is when the finish screen returns to welcome.
	FinishBy() time.Time
	// Abandon ends the visit under way, on record as incomplete, for why.
	Abandon(why string)
	// Question is the question the visit is at; Visit the visit's
	// session id and that question.
	Question() (screening.Step, bool)
	Visit() (id string, at screening.Key, ok bool)
	// Heard are words read aloud after the screen's own (the answers of
	// the question shown); Private the labels never read aloud (what the
	// patient typed or answered).
	Heard() []string
	Private() map[*widget.Label]bool
	// CallAnswered follows a call for staff answered at a desk: by is on
	// the way (the crisis screens say so).
	CallAnswered(by string)
}

// noPatient is a kiosk with nothing for a patient.
type noPatient struct{}

func (noPatient) Rows() []Row                                   { return nil }
func (noPatient) Welcome()                                      {}
func (noPatient) Help()                                         {}
func (noPatient) Shown(string)                                  {}
func (noPatient) LangChanged(string)                            {}
func (noPatient) TextSize()                                     {}
func (noPatient) FinishBy() time.Time                           { return time.Time{} }
func (noPatient) Abandon(string)                                {}
func (noPatient) Question() (screening.Step, bool)              { return screening.Step{}, false }
func (noPatient) Visit() (id string, at screening.Key, ok bool) { return "", screening.Key{}, false }
func (noPatient) Heard() []string                               { return nil }
func (noPatient) Private() map[*widget.Label]bool               { return nil }
func (noPatient) CallAnswered(string)                           {}

// TapGuard is how long a new patient's screen (a question, the review,
// the crisis screen...) ignores taps on its answers and its Back, Next and
// Continue: a patient with a tremor taps twice, 350 to 500 ms apart (issue
// 12), and the second tap must not reach what they have not seen. 700 ms
// keeps a 200 ms margin over the slowest such tap and is still shorter
// than reading the shortest question.
const TapGuard = 700 * time.Millisecond

// ChosenFor is how long a tapped answer shows as chosen before the next
// screen: the patient sees what they answered, and the old screen takes
// no other tap meanwhile, so a shaky second tap finds the next question
// ChosenFor+TapGuard after the first at the soonest.
const ChosenFor = 300 * time.Millisecond

// noStaff is a kiosk without staff mode.
type noStaff struct{}

func (noStaff) Rows() []Row              { return nil }
func (noStaff) SignedIn() bool           { return false }
func (noStaff) LockAfter() time.Duration { return 0 }
func (noStaff) Lock(string)              {}
func (noStaff) Forget()                  {}
func (noStaff) SignIn()                  {}
func (noStaff) Setup()                   {}
func (noStaff) Changed([]string)         {}

// Folder is a place staff may save a summary: a removable drive or a
// folder of this computer.
type Folder struct {
	// Name is what the button says ("USB drive CLINIC", "Documents").
	Name string
	// Path is the folder.
	Path string
}

// Kit is the kit the kiosk's widgets are made from.
func (k *Kiosk) Kit() *touch.Kit { return k.t }

// Config is the kiosk's configuration.
func (k *Kiosk) Config() *Config { return &k.cfg }

// TextStep is the patient's text size (a step of touch.TextScale).
func (k *Kiosk) TextStep() int { return k.textStep }

// Guard is how long a new screen ignores taps (the tap guard).
func (k *Kiosk) Guard() time.Duration { return k.guard }

// Chosen is how long a tapped answer shows as chosen before the next
// screen (ChosenFor).
func (k *Kiosk) Chosen() time.Duration { return k.chosen }

// Settled reports whether the screen shown has been up for the tap guard,
// and so takes a patient's tap on its answers and its Back, Next and
// Continue (staff screens take every tap at once).
func (k *Kiosk) Settled() bool {
	return k.AudienceOf(k.screen) != ForPatient || k.cfg.Now().Sub(k.shownAt) >= k.guard
}

// Later runs f on the Fyne thread once d has passed (at once when d is 0),
// through Config.After when it is set.
func (k *Kiosk) Later(d time.Duration, f func()) {
	switch {
	case d <= 0:
		f()
	case k.cfg.After != nil:
		k.cfg.After(d, f)
	default:
		time.AfterFunc(d, func() { fyne.Do(f) })
	}
}

// guarded is tapped once the screen shown is Settled.
func (k *Kiosk) guarded(tapped func()) func() {
	return func() {
		if k.Settled() {
			tapped()
		}
	}
}

// Window is the kiosk's window.
func (k *Kiosk) Window() fyne.Window { return k.win }

// ReleaseAll releases the screens of audience a held over one another
// (never a patient's screen under them).
func (k *Kiosk) ReleaseAll(a Audience) {
	for len(k.held) > 0 && k.AudienceOf(k.screen) == a && k.NotForPatients(k.HeldUnder()) {
		k.Release()
	}
}

// Question is the question on screen, if any.
func (k *Kiosk) Question() (screening.Step, bool) {
	if k.screen != ScreenQuestion {
		return screening.Step{}, false
	}
	return k.flow.Question()
}

// Visit is the patient's visit under way, if any: its session's id and
// the question it is at.
func (k *Kiosk) Visit() (id string, at screening.Key, ok bool) { return k.flow.Visit() }

// Held is how many screens are held under the one shown.
func (k *Kiosk) Held() int { return len(k.held) }

// Prompting says whether the idle prompt ("Are you still there?") is up.
func (k *Kiosk) Prompting() bool { return k.idle != nil }

// BackButton is a nav bar's Back: on a patient's screen it waits for the
// tap guard.
func (k *Kiosk) BackButton(tapped func()) *touch.Button {
	b := k.t.NewButton(k.T("nav.back"), theme.NavigateBackIcon(), touch.OptionHeight, k.guarded(tapped))
	b.MinWidth = touch.NavWidth
	return b
}

// NextButton is a nav bar's Next, Continue or Submit: on a patient's
// screen it waits for the tap guard.
func (k *Kiosk) NextButton(label string, tapped func()) *touch.Button {
	b := k.t.NewButton(label, theme.NavigateNextIcon(), touch.OptionHeight, k.guarded(tapped))
	b.Importance = widget.HighImportance
	b.IconPlacement = widget.ButtonIconTrailingText
	b.MinWidth = touch.NavWidth
	return b
}

// Lang is the patient's language.
func (k *Kiosk) Lang() string { return k.lang }

// Messages is the kiosk's message catalog.
func (k *Kiosk) Messages() Messages { return k.msgs }

// Intake is the patient flow service screens record visits through,
// over the store the configuration names now.
func (k *Kiosk) Intake() *intake.Intake {
	if k.intakeOn != k.cfg.Store {
		c := k.cfg
		k.intake, k.intakeOn = intake.New(c.Store, c.Catalog, c.Settings.Enabled, c.Now, c.NewID, c.Log,
			intake.OnSchedule(c.Settings.Schedule, k.Location())), c.Store
	}
	return k.intake
}

// TopBar is the top bar's object (screens subtract its height).
func (k *Kiosk) TopBar() fyne.CanvasObject { return k.top.obj }
