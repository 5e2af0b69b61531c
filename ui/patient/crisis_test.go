package patient

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// The crisis screen says what happens next: the kiosk calls staff (the
// sound through its hook, "Staff called" in the top bar until staff answer
// it), and the patient may say they feel physically unwell or wait here
// for staff (issue 12, item 6).
func TestCrisisCallsStaff(t *testing.T) {
	var played atomic.Int32
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Alert = func(context.Context) error { played.Add(1); return nil }
	})
	h.begin("Ana", "Ruiz")
	h.answer("")
	h.tap(en("help.button"))
	h.wait()
	h.wantScreen(ui.ScreenCrisis)
	if played.Load() != 1 {
		t.Errorf("the call sounded %d times, want once", played.Load())
	}
	if !h.shows(en("crisis.called")) || h.shows(en("crisis.1")) {
		t.Errorf("the crisis screen does not say staff were called: %q", h.texts())
	}
	if !h.shows("Staff called at ") {
		t.Errorf("the top bar does not show the call: %q", h.texts())
	}
	if len(h.buttons(en("help.button"))) != 0 && h.buttons(en("help.button"))[0].Visible() {
		t.Error("the crisis screen shows its own \"I need help now\" button")
	}

	// a second tap 400 ms after the first (a tremor) chooses nothing here
	b := h.buttons(en("crisis.unwell"))
	test.Tap(b[0])
	h.wantScreen(ui.ScreenCrisis)

	h.tap(en("crisis.unwell"))
	h.wait()
	h.wantScreen(ui.ScreenUnwell)
	if !h.shows(en("unwell.2")) || !h.shows(en("crisis.called")) {
		t.Errorf("the unwell screen: %q", h.texts())
	}
	id := h.k.visit.ID()
	recs, err := h.st.Records(context.Background(), id, h.key)
	if err != nil {
		t.Fatal(err)
	}
	unwell := false
	for _, r := range recs {
		unwell = unwell || r.Event.Unwell
	}
	ss, _ := h.st.Session(context.Background(), id)
	if !unwell || !ss.Urgent {
		t.Errorf("unwell on record %v, urgent %v", unwell, ss.Urgent)
	}

	h.tap(en("crisis.wait"))
	h.wantScreen(ui.ScreenWaiting)
	if !h.shows(en("waiting.1")) || h.shows(en("waiting.tell")) {
		t.Errorf("the waiting screen: %q", h.texts())
	}
	h.tap(en("waiting.back"))
	h.wantScreen(ui.ScreenQuestion)

	// the reset leaves the call: only a staff member answers it
	h.k.Reset("test")
	h.wantScreen(ui.ScreenWelcome)
	if _, ok := h.k.Called(); !ok || !h.shows("Staff called at ") {
		t.Errorf("after the reset the call is gone: %q", h.texts())
	}
	h.k.AnswerCall()
	if h.shows("Staff called at ") {
		t.Error("the answered call is still shown")
	}
}

// Without a sound (none installed, or turned off) the crisis screen asks
// the patient to tell a staff member: it never says staff were called.
func TestCrisisWithoutSound(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap(en("help.button"))
	h.wantScreen(ui.ScreenCrisis)
	if !h.shows(en("crisis.1")) || h.shows(en("crisis.called")) {
		t.Errorf("without a sound: %q", h.texts())
	}
	// a player that fails is logged, and the screen takes back that
	// staff were called
	// (the player fails once the screen is up, as a real one takes a
	// moment: the test driver's fyne.Do runs at once, off the screen's
	// own goroutine)
	up := make(chan struct{})
	h2 := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Alert = func(context.Context) error { <-up; return errors.New("no sound card") }
	})
	h2.tap(en("help.button"))
	close(up)
	h2.wait()
	if got := strings.Join(h2.texts(), " "); strings.Contains(got, en("crisis.called")) || !strings.Contains(got, en("crisis.1")) {
		t.Errorf("after the sound failed: %q", h2.texts())
	}
}
