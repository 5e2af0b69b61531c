package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/internal/testkit"
	"intakekiosk/settings"
)

// marked is a part holding one label, cleared to "".
type marked struct{ l *widget.Label }

func (m marked) Clear()                       { m.l.SetText("") }
func (m marked) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{m.l} }

// testFlow is a patient's side of two screens: the welcome screen and
// one that holds a patient's words.
type testFlow struct {
	noPatient
	k         *Kiosk
	abandoned []string
}

func (f *testFlow) Rows() []Row {
	return []Row{
		{Names: []string{ScreenWelcome}, Audience: ForPatient, Build: func(*Kiosk) Part { return marked{widget.NewLabel("Welcome")} }},
		{Names: []string{ScreenFirst}, Audience: ForPatient, Build: func(*Kiosk) Part { return marked{widget.NewLabel("")} }},
	}
}

func (f *testFlow) Welcome() {
	f.k.Show(ScreenWelcome, Screen[marked](f.k, ScreenWelcome).l)
}

func (f *testFlow) Abandon(why string) { f.abandoned = append(f.abandoned, why) }

// The shell over rows of its own: what it shows, what it holds and
// releases, and what the reset and the idle timer clear, with no screen
// of ui/patient or ui/staff.
func TestShell(t *testing.T) {
	test.NewTempApp(t)
	clock := testkit.NewClock(time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC))
	f := &testFlow{}
	w := test.NewTempWindow(t, nil)
	k := New(w, Config{Catalog: testkit.Catalog(t), Now: clock.Now,
		Settings: settings.Settings{Idle: time.Minute, IdleCountdown: 30 * time.Second, Finish: 20 * time.Second},
		Patient:  func(k *Kiosk) PatientFlow { f.k = k; return f }})
	if k.Screen() != ScreenWelcome {
		t.Fatalf("first screen %q; want the welcome screen", k.Screen())
	}
	first := Screen[marked](k, ScreenFirst)
	first.l.SetText("Markername")
	k.Show(ScreenFirst, first.l)
	k.Hold(ScreenCrisis, widget.NewLabel("crisis"))
	if k.Held() != 1 || k.Screen() != ScreenCrisis || k.HeldUnder() != ScreenFirst {
		t.Errorf("held %d, screen %q over %q", k.Held(), k.Screen(), k.HeldUnder())
	}
	if !k.Release() || k.Screen() != ScreenFirst || k.Held() != 0 {
		t.Errorf("after the release: screen %q, held %d", k.Screen(), k.Held())
	}
	if got := len(k.Parts(ForPatient)); got != 2 {
		t.Errorf("%d patient parts built; want 2", got)
	}

	// no touch for the idle time and its countdown: the prompt, then the
	// reset, which ends the visit and clears every patient part
	clock.Advance(time.Minute)
	k.Tick()
	if !k.Prompting() {
		t.Error("no idle prompt after a minute without a touch")
	}
	clock.Advance(30 * time.Second)
	k.Tick()
	if k.Prompting() || k.Screen() != ScreenWelcome {
		t.Errorf("after the countdown: prompting %v, screen %q", k.Prompting(), k.Screen())
	}
	if len(f.abandoned) != 1 || f.abandoned[0] != "idle" {
		t.Errorf("visits abandoned %q; want one, for idle", f.abandoned)
	}
	if first.l.Text != "" {
		t.Errorf("the reset left %q on a patient screen", first.l.Text)
	}
	if k.staffing.SignedIn() || k.staffing.LockAfter() != 0 {
		t.Error("a kiosk without staff mode has staff signed in")
	}
}
