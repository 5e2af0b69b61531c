package ui

import (
	"time"

	"fyne.io/fyne/v2"

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
}

// noStaff is a kiosk without staff mode.
type noStaff struct{}

func (noStaff) Rows() []Row              { return nil }
func (noStaff) SignedIn() bool           { return false }
func (noStaff) LockAfter() time.Duration { return 0 }
func (noStaff) Lock(string)              {}
func (noStaff) Forget()                  {}
func (noStaff) SignIn()                  {}
func (noStaff) Setup()                   {}

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

// Window is the kiosk's window.
func (k *Kiosk) Window() fyne.Window { return k.win }

// ShowWelcome shows the welcome screen.
func (k *Kiosk) ShowWelcome() { k.flow.showWelcome() }

// ReleaseAll releases the screens of audience a held over one another
// (never a patient's screen under them).
func (k *Kiosk) ReleaseAll(a Audience) {
	for len(k.held) > 0 && k.AudienceOf(k.screen) == a && k.NotForPatients(k.HeldUnder()) {
		k.Release()
	}
}

// Question is the question on screen, if any.
func (k *Kiosk) Question() (screening.Step, bool) {
	v := k.flow.visit
	if v == nil || k.screen != ScreenQuestion {
		return screening.Step{}, false
	}
	return v.Session().Step(v.at, k.cfg.Now())
}

// Visit is the patient's visit under way, if any: its session's id and
// the question it is at.
func (k *Kiosk) Visit() (id string, at screening.Key, ok bool) {
	v := k.flow.visit
	if v == nil {
		return "", screening.Key{}, false
	}
	return v.ID(), v.at, true
}

// Held is how many screens are held under the one shown.
func (k *Kiosk) Held() int { return len(k.held) }

// Prompting says whether the idle prompt ("Are you still there?") is up.
func (k *Kiosk) Prompting() bool { return k.idle != nil }
