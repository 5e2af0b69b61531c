package staff

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
)

// testRecoveryKey is shaped like an age secret key: 74 characters.
const testRecoveryKey = "AGE-SECRET-KEY-1TESTKEY" + "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L" + "QPZRY9X8GF2TVDW0S3J"

// fakeSetup stands in for the clinic's key and account creation.
type fakeSetup struct {
	calls [][2]string // admin, passphrase
	err   error
	block chan struct{} // when set, Setup waits for it to close
}

func (f *fakeSetup) setup(admin, passphrase string) (string, error) {
	if f.block != nil {
		<-f.block
	}
	f.calls = append(f.calls, [2]string{admin, passphrase})
	if f.err != nil {
		return "", f.err
	}
	return testRecoveryKey, nil
}

// newSetupHarness opens a kiosk that is not set up yet.
func newSetupHarness(t *testing.T, f *fakeSetup) (*harness, *setupScreen) {
	t.Helper()
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Setup = f.setup })
	h.wantScreen(ui.ScreenSetup)
	return h, the[*setupScreen](h.k, ui.ScreenSetup)
}

// create taps Create and waits for the Setup call to answer.
func (h *harness) create(s *setupScreen) {
	h.t.Helper()
	h.tap(setupText.Create)
	h.wait()
}

// focused is the entry that has the keyboard focus.
func (h *harness) focused() *touch.Entry {
	h.t.Helper()
	e, ok := h.w.Canvas().Focused().(*touch.Entry)
	if !ok {
		h.t.Fatalf("focus on %T, want an entry", h.w.Canvas().Focused())
	}
	return e
}

// wantTarget checks that field i is chosen: the keyboard types into it.
func wantTarget(t *testing.T, f *fieldForm, i int) {
	t.Helper()
	if f.at != i || f.kb.Target() != f.fields[i] {
		t.Fatalf("keyboard types into field %d, want %d", f.at, i)
	}
}

// keyLabel is the label of the on-screen key that types r.
func keyLabel(r rune) string {
	if r == ' ' {
		return keyboardText.Space
	}
	return string(r)
}

func TestSetupCreatesAdminAndShowsKeyOnce(t *testing.T) {
	f := &fakeSetup{}
	h, s := newSetupHarness(t, f)
	for _, want := range []string{"Set up this kiosk", "Create the first administrator", "not even the vendor",
		"Administrator name", "Passphrase again"} {
		if !h.shows(want) {
			t.Errorf("setup screen does not show %q", want)
		}
	}
	if len(h.buttons("I need help now")) != 0 {
		t.Error(`"I need help now" shown during setup`)
	}
	if len(h.buttons(keyboardText.Symbols)) != 1 {
		t.Error("the keyboard's symbols page key is missing")
	}

	// the name on the keyboard's keys: capitals at each word's start
	wantTarget(t, s.fieldForm, fieldName)
	for _, r := range "Dana Ruiz" {
		h.tap(keyLabel(r))
	}
	if got := s.fields[fieldName].Text; got != "Dana Ruiz" {
		t.Fatalf("name typed on keys = %q", got)
	}
	h.tap(setupText.Next)
	wantTarget(t, s.fieldForm, fieldPass)
	if !s.fields[fieldPass].Password || !s.fields[fieldAgain].Password {
		t.Error("passphrase fields do not hide what is typed")
	}
	// a physical keyboard types into the focused field; then the keys,
	// never shifted for a passphrase, and the symbols page
	test.Type(h.focused(), "correct horse ")
	if len(h.buttons("q")) != 1 || len(h.buttons("Q")) != 0 {
		t.Error("keyboard shifted for a passphrase")
	}
	h.tap(keyboardText.Symbols)
	h.tap("#")
	h.tap("9")
	h.tap(keyboardText.Letters)
	h.tap("x")
	const pass = "correct horse #9x"
	if got := s.fields[fieldPass].Text; got != pass {
		t.Fatalf("passphrase typed = %q, want %q", got, pass)
	}
	h.tap(setupText.Next)
	wantTarget(t, s.fieldForm, fieldAgain)
	test.Type(h.focused(), pass)
	h.create(s)

	h.wantScreen(ui.ScreenRecovery)
	if len(f.calls) != 1 || f.calls[0] != [2]string{"Dana Ruiz", pass} {
		t.Fatalf("Setup calls = %q", f.calls)
	}
	for _, want := range []string{"Recovery key", "Write this key down", "It is shown only now.",
		"not part of the key", "no letter O"} {
		if !h.shows(want) {
			t.Errorf("recovery screen does not show %q", want)
		}
	}
	key := find[*widget.Label](h)
	for _, o := range h.Objects() {
		if l, ok := o.(*widget.Label); ok && l.TextStyle.Monospace {
			key = l
		}
	}
	if !key.TextStyle.Monospace || strings.Join(strings.Fields(key.Text), "") != testRecoveryKey {
		t.Fatalf("recovery key shown as %q", key.Text)
	}
	for _, e := range s.fields[fieldPass:] {
		if e.Text != "" {
			t.Errorf("a passphrase field still holds %q", e.Text)
		}
	}
	// no idle reset: the administrator may take their time to copy it
	h.clock.Advance(time.Hour)
	h.k.Tick()
	h.wantScreen(ui.ScreenRecovery)

	h.tap(setupText.Stored)
	h.wantScreen(ui.ScreenWelcome)
	if h.k.Config().Setup != nil || the[*setupScreen](h.k, ui.ScreenSetup) != nil {
		t.Error("setup still pending after the key was stored")
	}
	kept := uitest.Texts(uitest.In(false, h.w.Content(), s.obj, s.recovery))
	for _, secret := range []string{"TESTKEY", "QPZR", "AGE-SECRET", "correct horse", "Dana"} {
		for _, text := range kept {
			if strings.Contains(text, secret) {
				t.Errorf("%q still in a widget after setup: %q", secret, text)
			}
		}
	}
	if len(h.buttons("I need help now")) != 1 {
		t.Error(`"I need help now" not back after setup`)
	}
	h.tap("Start")
	h.wantScreen(ui.ScreenConsent)
}

func TestSetupValidation(t *testing.T) {
	f := &fakeSetup{}
	h, s := newSetupHarness(t, f)
	name, pass, again := s.fields[fieldName], s.fields[fieldPass], s.fields[fieldAgain]
	wantSay := func(msg string) {
		t.Helper()
		h.wantScreen(ui.ScreenSetup)
		if s.msg.Text != msg {
			t.Fatalf("message = %q, want %q", s.msg.Text, msg)
		}
	}

	h.tap(setupText.Next)
	wantSay("Please type the administrator's name.")
	test.Type(name, "Dana!")
	if s.msg.Text != "" {
		t.Error("message still up after typing")
	}
	h.tap(setupText.Next)
	wantSay(setupText.BadName)
	name.SetText(strings.Repeat("a", 41))
	h.tap(setupText.Next)
	wantSay(setupText.LongName)
	name.SetText("  Dana   Ruiz ")
	// Return on a physical keyboard moves on like Next
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	wantTarget(t, s.fieldForm, fieldPass)

	h.tap(setupText.Next)
	wantSay(setupText.NoPass)
	if !strings.Contains(s.msg.Text, "at least 10 characters") {
		t.Errorf("empty passphrase message %q does not say how long", s.msg.Text)
	}
	test.Type(pass, "too short")
	h.tap(setupText.Next)
	wantSay(setupText.ShortPass)
	if !strings.Contains(s.msg.Text, "at least 10 characters") {
		t.Errorf("short passphrase message %q does not say how long", s.msg.Text)
	}
	test.Type(pass, "!")
	h.tap(setupText.Next)
	wantTarget(t, s.fieldForm, fieldAgain)
	if len(h.buttons(setupText.Create)) != 1 {
		t.Fatalf("no Create button on the last field: %q", h.buttonLabels())
	}
	test.Type(again, "too short?")
	h.create(s)
	wantSay(setupText.Differ)
	if pass.Text != "" || again.Text != "" {
		t.Errorf("passphrases kept after a mismatch: %q, %q", pass.Text, again.Text)
	}
	wantTarget(t, s.fieldForm, fieldPass)
	if len(f.calls) != 0 {
		t.Fatalf("Setup called with invalid fields: %q", f.calls)
	}

	// a tap on a field points the keyboard at it
	test.Tap(name)
	wantTarget(t, s.fieldForm, fieldName)
	h.tap("X") // shifted: after a space
	if name.Text != "  Dana   Ruiz X" {
		t.Errorf("key typed into the tapped field: name = %q", name.Text)
	}
	// Create checks every field, from the first
	name.SetText("")
	pass.SetText("long enough")
	again.SetText("long enough")
	test.Tap(again)
	h.create(s)
	wantSay(setupText.NoName)
	wantTarget(t, s.fieldForm, fieldName)
	name.SetText("Dana")
	test.Tap(again)
	h.create(s)
	h.wantScreen(ui.ScreenRecovery)
	if len(f.calls) != 1 || f.calls[0] != [2]string{"Dana", "long enough"} {
		t.Errorf("Setup calls = %q", f.calls)
	}
}

// fillSetup fills the form with a valid name and passphrase and chooses
// the last field.
func fillSetup(s *setupScreen, pass string) {
	s.fields[fieldName].SetText("Dana")
	s.fields[fieldPass].SetText(pass)
	s.fields[fieldAgain].SetText(pass)
	test.Tap(s.fields[fieldAgain])
}

func TestSetupFailureStays(t *testing.T) {
	f := &fakeSetup{err: errors.New("database is read-only")}
	h, s := newSetupHarness(t, f)
	fillSetup(s, "correct horse battery")
	h.create(s)
	h.wantScreen(ui.ScreenSetup)
	if !h.shows("Setup failed: database is read-only") {
		t.Fatalf("no failure message: %q", h.texts())
	}
	if s.fields[fieldName].Text != "Dana" || s.fields[fieldPass].Text != "" || s.fields[fieldAgain].Text != "" {
		t.Errorf("after a failure: name %q, passphrases %q %q", s.fields[fieldName].Text,
			s.fields[fieldPass].Text, s.fields[fieldAgain].Text)
	}
	wantTarget(t, s.fieldForm, fieldPass)
	if s.fields[fieldPass].Disabled() || h.buttons(setupText.Next)[0].Disabled() {
		t.Error("form still disabled after a failure")
	}

	f.err = nil
	fillSetup(s, "correct horse battery")
	h.create(s)
	h.wantScreen(ui.ScreenRecovery)
	if len(f.calls) != 2 {
		t.Errorf("Setup called %d times, want 2", len(f.calls))
	}
}

func TestSetupBusy(t *testing.T) {
	f := &fakeSetup{block: make(chan struct{})}
	h, s := newSetupHarness(t, f)
	fillSetup(s, "correct horse battery")
	h.tap(setupText.Create)
	if !h.shows("Creating the clinic keys") {
		t.Errorf("no progress message while Setup runs: %q", h.texts())
	}
	if !h.buttons(setupText.Create)[0].Disabled() || !s.fields[fieldPass].Disabled() {
		t.Error("form not disabled while Setup runs")
	}
	s.advance() // a second tap (or Return) while busy does nothing
	close(f.block)
	h.wait()
	h.wantScreen(ui.ScreenRecovery)
	if len(f.calls) != 1 {
		t.Errorf("Setup called %d times, want 1", len(f.calls))
	}
}

func TestSetupKeyIgnoresDoubleTap(t *testing.T) {
	h, s := newSetupHarness(t, &fakeSetup{})
	fillSetup(s, "correct horse battery")
	h.create(s)
	h.wantScreen(ui.ScreenRecovery)
	// the second tap of a double tap on Create lands on the same place
	test.Tap(h.buttons(setupText.Stored)[0])
	h.wantScreen(ui.ScreenRecovery)
	h.tap(setupText.Stored)
	h.wantScreen(ui.ScreenWelcome)
}

func TestSetupNeverIdles(t *testing.T) {
	h, s := newSetupHarness(t, &fakeSetup{})
	s.fields[fieldName].SetText("Dana")
	h.clock.Advance(time.Hour)
	h.k.Tick()
	h.wantScreen(ui.ScreenSetup)
	if h.k.Prompting() {
		t.Error("idle prompt during setup")
	}
	// nobody can sign in before setup is done: the long press does nothing
	h.longPress()
	h.wantScreen(ui.ScreenSetup)
	if s.fields[fieldName].Text != "Dana" {
		t.Errorf("name after a long press = %q", s.fields[fieldName].Text)
	}
}

func TestSetupScreensFit(t *testing.T) {
	f := &fakeSetup{err: errors.New("could not write the clinic key: " + strings.Repeat("a long reason ", 8))}
	h, s := newSetupHarness(t, f)
	screen := fyne.NewSize(1280, 800)
	check := func(name string) {
		t.Helper()
		c := h.w.Content()
		c.Resize(screen)
		if m := c.MinSize(); m.Width > screen.Width || m.Height > screen.Height {
			t.Errorf("%s needs %.0fx%.0f, more than %.0fx%.0f", name, m.Width, m.Height, screen.Width, screen.Height)
		}
	}
	check("setup")
	h.tap(setupText.Next)
	check("setup with a message")
	fillSetup(s, "correct horse battery")
	h.create(s)
	check("setup with a long failure")
	h.k.Tick()
	h.tap(keyboardText.Symbols)
	check("setup, symbols page")
	f.err = nil
	fillSetup(s, "correct horse battery")
	h.create(s)
	h.wantScreen(ui.ScreenRecovery)
	check("recovery key")
}

func TestRecoveryLines(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{testRecoveryKey, "AGE-SECRET-KEY-1\nTEST KEYQ PZRY 9X8G F2TV\nDW0S 3JN5 4KHC E6MU A7LQ\nPZRY 9X8G F2TV DW0S 3J"},
		{"AGE-SECRET-KEY-PQ-1QQQQPPPP", "AGE-SECRET-KEY-PQ-1\nQQQQ PPPP"},
		{"abcdefghij", "abcd efgh ij"},
		{"", ""},
	} {
		if got := recoveryLines(tc.key); got != tc.want {
			t.Errorf("recoveryLines(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

// A kiosk set up meanwhile (kioskctl init) opens for patients instead of
// asking again.
func TestSetupAlreadyDone(t *testing.T) {
	f := &fakeSetup{err: fmt.Errorf("set up: %w", sqlite.ErrAlreadySetUp)}
	h, s := newSetupHarness(t, f)
	fillSetup(s, "correct horse battery")
	h.create(s)
	h.wantScreen(ui.ScreenWelcome)
	if h.k.Config().Setup != nil || the[*setupScreen](h.k, ui.ScreenSetup) != nil {
		t.Error("setup still pending")
	}
}

// The recovery key can be printed; a missing printer says so plainly.
func TestRecoveryKeyPrint(t *testing.T) {
	var printed []string
	fail := false
	f := &fakeSetup{}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Setup = f.setup
		c.Print = func(title string, doc io.Reader) error {
			text := readAll(doc)
			if fail {
				return errors.New("no printer is set up")
			}
			printed = append(printed, text)
			return nil
		}
	})
	s := the[*setupScreen](h.k, ui.ScreenSetup)
	fillSetup(s, "correct horse battery")
	h.create(s)
	h.wantScreen(ui.ScreenRecovery)
	h.tap(setupText.Print)
	h.wait()
	if len(printed) != 1 || !strings.Contains(printed[0], "TEST KEYQ") && !strings.Contains(strings.Join(strings.Fields(printed[0]), ""), "TESTKEY") {
		t.Fatalf("printed %q", printed)
	}
	if !h.shows("Sent to the printer") {
		t.Errorf("no confirmation: %q", h.texts())
	}
	fail = true
	h.tap(setupText.Print)
	h.wait()
	if s.printMsg.Text != setupText.NoPrinter || !s.printMsg.Visible() {
		t.Errorf("no printer message missing: %q", s.printMsg.Text)
	}
	h.clock.Advance(time.Second)
	h.tap(setupText.Stored)
	if s.keyText != "" {
		t.Error("the key is kept for printing after setup")
	}
}
