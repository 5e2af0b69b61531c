package staff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
	"intakekiosk/vault"
)

// longPress holds the clinic's logo long enough.
func (h *harness) longPress() {
	h.t.Helper()
	lg := find[*ui.Logo](h)
	lg.MouseDown(nil)
	h.clock.Advance(ui.LongPress)
	lg.MouseUp(nil)
}

// signIn opens the staff sign-in, types name and passphrase on a physical
// keyboard and taps Unlock, then waits for the store's answer.
func (h *harness) signIn(name, pass string) {
	h.t.Helper()
	if h.k.Screen() != ui.ScreenUnlock {
		h.longPress()
	}
	h.wantScreen(ui.ScreenUnlock)
	u := the[*unlockScreen](h.k, ui.ScreenUnlock)
	test.Tap(u.fields[unlockName])
	u.fields[unlockName].SetText("")
	test.Type(h.focused(), name)
	test.Tap(u.fields[unlockPass])
	test.Type(h.focused(), pass)
	h.unlock()
}

// unlock taps Unlock and waits for the store's answer.
func (h *harness) unlock() {
	h.t.Helper()
	h.tap(unlockText.Unlock)
	h.wait()
}

// wantSaid checks the sign-in screen's message.
func (h *harness) wantSaid(want string) {
	h.t.Helper()
	h.wantScreen(ui.ScreenUnlock)
	u := the[*unlockScreen](h.k, ui.ScreenUnlock)
	if !u.msg.Visible() || u.msg.Text != want {
		h.t.Fatalf("sign-in says %q (shown %v), want %q", u.msg.Text, u.msg.Visible(), want)
	}
	if p := u.fields[unlockPass].Text; p != "" {
		h.t.Errorf("passphrase field still holds %q after an attempt", p)
	}
	if u.fields[unlockPass].Disabled() || h.buttons(unlockText.Unlock)[0].Disabled() {
		h.t.Error("sign-in form still disabled after the answer")
	}
}

// auditActions lists the audit log's actions from entry n on.
func (h *harness) auditSince(n int) []sqlite.Entry {
	h.t.Helper()
	log, err := h.st.AuditLog(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return log[n:]
}

func (h *harness) auditLen() int { return len(h.auditSince(0)) }

// staffWidgetsText returns every text held by the staff screens, shown
// or not, and by the window.
func (h *harness) staffWidgetsText() []string {
	return append(uitest.Texts(uitest.In(false, h.w.Content())), h.partsText(ui.ForSignIn, ui.ForStaff)...)
}

func TestLongPressOpensSignIn(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	lg := find[*ui.Logo](h)
	lg.MouseDown(nil)
	h.clock.Advance(time.Second)
	lg.MouseUp(nil)
	h.wantScreen(ui.ScreenWelcome) // a short press does nothing

	h.longPress()
	h.wantScreen(ui.ScreenUnlock)
	for _, want := range []string{"Staff sign-in", "Name", "Passphrase"} {
		if !h.shows(want) {
			t.Errorf("sign-in screen does not show %q", want)
		}
	}
	if len(h.buttons("I need help now")) != 0 {
		t.Error(`"I need help now" on the staff sign-in`)
	}
	u := the[*unlockScreen](h.k, ui.ScreenUnlock)
	if !u.fields[unlockPass].Password {
		t.Error("the passphrase field shows what is typed")
	}
	// the name on the keyboard's keys as typed, no capital added (names
	// sign in without regard to case); the passphrase never shifted
	wantTarget(t, u.fieldForm, unlockName)
	if len(h.buttons("D")) != 0 {
		t.Error("the name field's keys start shifted")
	}
	for _, r := range "dana r" {
		h.tap(keyLabel(r))
	}
	if got := u.fields[unlockName].Text; got != "dana r" {
		t.Errorf("name typed on keys = %q; want it as typed", got)
	}
	test.Tap(u.fields[unlockPass])
	wantTarget(t, u.fieldForm, unlockPass)
	h.tap("q")
	if got := u.fields[unlockPass].Text; got != "q" {
		t.Errorf("passphrase typed on keys = %q", got)
	}
	h.longPress() // a long press on the sign-in does nothing more
	h.wantScreen(ui.ScreenUnlock)

	h.tap(unlockText.Cancel)
	h.wantScreen(ui.ScreenWelcome)
	if len(h.buttons("I need help now")) != 1 {
		t.Error(`"I need help now" not back after Cancel`)
	}
	if u.fields[unlockName].Text != "" || u.fields[unlockPass].Text != "" {
		t.Errorf("sign-in fields kept after Cancel: %q, %q", u.fields[unlockName].Text, u.fields[unlockPass].Text)
	}
}

func TestSignInWithReturn(t *testing.T) {
	f := &fakeStaff{block: make(chan struct{})}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { f.Store = c.Staff; c.Staff = f })
	// a physical keyboard's Return moves from the name to the passphrase,
	// then unlocks
	h.longPress()
	u := the[*unlockScreen](h.k, ui.ScreenUnlock)
	test.Type(h.focused(), "  Test   Admin ")
	h.focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	wantTarget(t, u.fieldForm, unlockPass)
	test.Type(h.focused(), testAdminPass)
	h.focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	close(f.block) // the store answers once the key event is done
	h.wait()
	h.wantScreen(ui.ScreenStaff)
	if len(f.calls) != 1 || f.calls[0] != [2]string{testAdmin, testAdminPass} {
		t.Errorf("Unlock calls = %q", f.calls)
	}
}

func TestLongPressWithoutStaffStore(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Staff = nil })
	h.longPress()
	h.wantScreen(ui.ScreenWelcome)
}

func TestSignInWrongPassphraseOrName(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.begin("Mara", "Lind")
	h.answer("")
	h.wantScreen(ui.ScreenQuestion)
	at := visitAt(h)
	n := h.auditLen()

	h.longPress()
	h.unlock()
	h.wantSaid(unlockText.NoName)
	h.signIn(testAdmin, "")
	h.wantSaid(unlockText.NoPass)
	if len(h.auditSince(n)) != 0 {
		t.Error("an empty field reached the store")
	}

	h.signIn(testAdmin, "wrong horse battery")
	h.wantSaid(unlockText.Wrong)
	if got := the[*unlockScreen](h.k, ui.ScreenUnlock).fields[unlockName].Text; got != testAdmin {
		t.Errorf("name after a wrong passphrase = %q, want it kept", got)
	}
	wrongPass := unlockText.Wrong
	h.signIn("Nobody Here", testAdminPass)
	h.wantSaid(wrongPass) // the same words: which one was wrong is not said
	if h.k.on != nil {
		t.Fatal("staff mode after a wrong sign-in")
	}
	// both attempts are audited; what was typed as an unknown name is not
	if a := h.auditSince(n); len(a) != 2 || a[0].Action != sqlite.ActUnlockFailed || a[0].Actor != testAdmin ||
		a[1].Action != sqlite.ActUnlockFailed || a[1].Actor != "(unknown name)" || strings.Contains(fmt.Sprint(a[1]), "Nobody") {
		t.Errorf("audit after the attempts = %+v", a)
	}

	h.tap(unlockText.Cancel)
	h.wantScreen(ui.ScreenQuestion)
	if !visitOn(h) || visitAt(h) != at {
		t.Error("the patient's place was lost")
	}
}

func TestSignInLockout(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	for i := 0; i < 4; i++ {
		h.signIn(testAdmin, "not the passphrase")
		h.wantSaid(unlockText.Wrong)
	}
	// the fifth wrong passphrase says at once that the account is locked
	fifth := h.clock.Now()
	h.signIn(testAdmin, "not the passphrase")
	locked := strings.Replace(unlockText.Locked, "%s", fifth.Add(5*time.Minute).Local().Format("15:04"), 1)
	h.wantSaid(locked)
	h.signIn(testAdmin, testAdminPass)
	h.wantSaid(locked)
	if h.k.on != nil {
		t.Fatal("signed in during the lockout")
	}
	h.clock.Advance(5 * time.Minute)
	h.signIn(testAdmin, testAdminPass)
	h.wantScreen(ui.ScreenStaff)
}

// A disabled account is refused as a wrong name or passphrase is: the
// words do not tell a guesser the name was a staff member's.
func TestSignInDisabledAccount(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	ctx := context.Background()
	if err := h.st.AddStaff(ctx, "Cy", sqlite.Counselor, "another long one", h.key, testAdmin, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.st.DisableStaff(ctx, "Cy", testAdmin, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.signIn("Cy", "another long one")
	h.wantSaid(unlockText.Wrong)
}

// fakeStaff is a desk.Store whose Unlock waits for block and answers err.
type fakeStaff struct {
	desk.Store
	block chan struct{}
	err   error
	calls [][2]string // name, passphrase
}

func (f *fakeStaff) Unlock(_ context.Context, name, pass string, _ time.Time) (*vault.ClinicKey, sqlite.Staff, error) {
	<-f.block
	f.calls = append(f.calls, [2]string{name, pass})
	if f.err != nil {
		return nil, sqlite.Staff{}, f.err
	}
	return &vault.ClinicKey{}, sqlite.Staff{Name: testAdmin, Role: sqlite.Admin}, nil
}

func TestSignInBusyAndOtherErrors(t *testing.T) {
	f := &fakeStaff{block: make(chan struct{})}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { f.Store = c.Staff; c.Staff = f })
	h.longPress()
	u := the[*unlockScreen](h.k, ui.ScreenUnlock)
	u.fields[unlockName].SetText(testAdmin)
	u.fields[unlockPass].SetText(testAdminPass)
	h.tap(unlockText.Unlock)
	if !h.shows(unlockText.Busy) {
		t.Errorf("no %q while the store checks: %q", unlockText.Busy, h.texts())
	}
	if !u.fields[unlockName].Disabled() || !h.buttons(unlockText.Unlock)[0].Disabled() {
		t.Error("form not disabled while the store checks")
	}
	if u.fields[unlockPass].Text != "" {
		t.Error("passphrase field not emptied at the attempt")
	}
	// Cancel while the store checks: the answer that comes later signs
	// nobody in
	h.tap(unlockText.Cancel)
	h.wantScreen(ui.ScreenWelcome)
	close(f.block)
	h.wait()
	h.wantScreen(ui.ScreenWelcome)
	if h.k.on != nil {
		t.Fatal("signed in after Cancel")
	}

	f.err = errors.New("database is locked")
	h.signIn(testAdmin, testAdminPass)
	h.wantSaid("Could not unlock: database is locked")
}

func TestStaffHome(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	n := h.auditLen()
	h.signIn(testAdmin, testAdminPass)
	h.wantScreen(ui.ScreenStaff)
	for _, want := range []string{"Staff mode", "Signed in: Test Admin, administrator", "Locks itself after 2 minutes idle."} {
		if !h.shows(want) {
			t.Errorf("staff home does not show %q: %q", want, h.texts())
		}
	}
	if h.shows(staffText.AdminOnly) {
		t.Error("an administrator is told only administrators change settings")
	}
	if h.buttons(staffText.Settings)[0].Disabled() {
		t.Error("Settings disabled for an administrator")
	}
	if len(h.buttons("I need help now")) != 0 {
		t.Error(`"I need help now" in staff mode`)
	}
	if a := h.auditSince(n); len(a) != 1 || a[0].Action != sqlite.ActUnlock || a[0].Actor != testAdmin {
		t.Errorf("audit after unlock = %+v", a)
	}
	if h.k.on == nil || h.k.on.desk == nil {
		t.Fatal("no clinic key in staff mode")
	}
	// no second sign-in over staff mode: the logo is not even there
	if objs := uitest.In(true, h.w.Content()); slices.ContainsFunc(objs, func(o fyne.CanvasObject) bool { _, ok := o.(*ui.Logo); return ok }) {
		t.Error("the logo is shown in staff mode")
	}
	h.k.showUnlock()
	h.wantScreen(ui.ScreenStaff)
}

func TestCounselorCannotChangeSettings(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	if err := h.st.AddStaff(context.Background(), "Cy", sqlite.Counselor, "another long one", h.key, testAdmin, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.signIn("Cy", "another long one")
	h.wantScreen(ui.ScreenStaff)
	if !h.shows("Signed in: Cy, counselor") || !h.shows(staffText.AdminOnly) {
		t.Errorf("counselor's staff home: %q", h.texts())
	}
	if !h.buttons(staffText.Settings)[0].Disabled() {
		t.Error("Settings enabled for a counselor")
	}
	h.k.showSettings(0) // and refused even if reached
	h.wantScreen(ui.ScreenStaff)
}

// editSetting taps Edit beside key on the settings list, turning pages.
func (h *harness) editSetting(key string) {
	h.t.Helper()
	s := the[*settingsScreen](h.k, ui.ScreenSettings)
	for i, d := range s.defs {
		if d.Key == key {
			for s.page < i/settingsPerPage {
				h.tap(settingsText.Next)
			}
			for s.page > i/settingsPerPage {
				h.tap(settingsText.Prev)
			}
			h.clock.Advance(h.k.Guard())
			test.Tap(s.rows[i%settingsPerPage].edit)
			h.wantScreen(ui.ScreenSetting)
			return
		}
	}
	h.t.Fatalf("no setting %s", key)
}

func TestAdminEditsSettings(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	ctx := context.Background()
	h.signIn(testAdmin, testAdminPass)
	h.tap(staffText.Settings)
	h.wantScreen(ui.ScreenSettings)
	s := the[*settingsScreen](h.k, ui.ScreenSettings)
	if !h.shows("next time the kiosk starts") {
		t.Error("the settings list does not say when a change takes effect")
	}
	// every setting, a page at a time, with its help and value
	defs := settings.Defs()
	seen := map[string]bool{}
	for p := 0; p < s.pages(); p++ {
		if p > 0 {
			h.tap(settingsText.Next)
		}
		for _, d := range defs {
			if h.shows(sentence(d.Help)) {
				seen[d.Key] = true
			}
		}
		if !h.shows(fmt.Sprintf("Page %d of %d", p+1, s.pages())) {
			t.Errorf("page %d does not say which page: %q", p+1, h.texts())
		}
	}
	if len(seen) != len(defs) {
		t.Errorf("settings listed: %v, want all %d", seen, len(defs))
	}
	if !h.buttons(settingsText.Next)[0].Disabled() {
		t.Error("Next page enabled on the last page")
	}
	for range s.pages() - 1 {
		h.tap(settingsText.Prev)
	}
	if !h.shows("Now: 60") || !h.shows("Now: Intake Kiosk") {
		t.Errorf("values not shown: %q", h.texts())
	}

	n := h.auditLen()
	h.editSetting("idle_seconds")
	if !h.shows(`Seconds without a touch before "Are you still there?"`) || !h.shows("idle_seconds") {
		t.Errorf("edit view: %q", h.texts())
	}
	if e := find[*touch.Entry](h); e.Text != "60" {
		t.Errorf("edit view starts at %q, want the stored 60", e.Text)
	}
	e := find[*touch.Entry](h)
	e.SetText("")
	h.tap("9")
	h.tap("0")
	h.tap(settingsText.Save)
	h.wantScreen(ui.ScreenSettings)
	if v, err := h.st.Setting(ctx, "idle_seconds"); err != nil || v != "90" {
		t.Errorf("idle_seconds stored = %q, %v", v, err)
	}
	if a := h.auditSince(n); len(a) != 1 || a[0].Action != sqlite.ActSetting || a[0].Actor != testAdmin ||
		a[0].Target != "idle_seconds" || a[0].Detail != "90" {
		t.Errorf("audit after the change = %+v", a)
	}
	if !h.shows("Now: 90") || !h.shows("Saved") {
		t.Errorf("list after saving: %q", h.texts())
	}

	// a value the store refuses: the reason, and nothing stored
	n = h.auditLen()
	h.editSetting("idle_seconds")
	e.SetText("")
	test.Type(h.focused(), "5")
	h.tap(settingsText.Save)
	h.wantScreen(ui.ScreenSetting)
	if !h.shows("Not saved: the value must be a whole number of seconds from 10 to 3600.") {
		t.Errorf("no reason shown: %q", h.texts())
	}
	if v, _ := h.st.Setting(ctx, "idle_seconds"); v != "90" {
		t.Errorf("idle_seconds after a refused value = %q", v)
	}
	if len(h.auditSince(n)) != 0 {
		t.Error("a refused value was audited")
	}
	h.tap(settingsText.Cancel)
	h.wantScreen(ui.ScreenSettings)
	h.tap("Back")
	h.wantScreen(ui.ScreenStaff)

	// a name with a physical keyboard's Return
	h.tap(staffText.Settings)
	h.editSetting("clinic_name")
	e.SetText("")
	test.Type(h.focused(), "Clínica Esperanza")
	h.focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.wantScreen(ui.ScreenSettings)
	if v, _ := h.st.Setting(ctx, "clinic_name"); v != "Clínica Esperanza" {
		t.Errorf("clinic_name = %q", v)
	}
}

func TestStaffAutoLock(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.begin("Ines", "Park")
	h.answer("")
	at, id := visitAt(h), visitID(h)
	h.signIn(testAdmin, testAdminPass)
	h.wantScreen(ui.ScreenStaff)

	// well past the patient's idle time, but touched: staff mode stays
	for i := 0; i < 3; i++ {
		h.clock.Advance(100 * time.Second)
		h.k.Tick()
		h.wantScreen(ui.ScreenStaff)
		if h.k.Prompting() {
			t.Fatal("idle prompt in staff mode")
		}
		h.tap(staffText.Settings)
		h.tap("Back")
	}
	h.clock.Advance(2*time.Minute - time.Second)
	h.k.Tick()
	h.wantScreen(ui.ScreenStaff)
	h.clock.Advance(time.Second)
	h.k.Tick()

	// locked: back at the patient's question, place kept
	h.wantScreen(ui.ScreenQuestion)
	if h.k.on != nil {
		t.Fatal("staff mode still signed in")
	}
	if !visitOn(h) || visitID(h) != id || visitAt(h) != at {
		t.Fatal("the patient's place was lost")
	}
	if len(h.buttons("I need help now")) != 1 {
		t.Error(`"I need help now" not back after the lock`)
	}
	// the patient's idle timer starts again from the lock
	h.k.Tick()
	if h.k.Prompting() {
		t.Error("idle prompt at once after the lock")
	}
	for _, text := range h.staffWidgetsText() {
		if strings.Contains(text, testAdmin) || strings.Contains(text, testAdminPass) {
			t.Errorf("staff text kept after the lock: %q", text)
		}
	}
}

func TestStaffAutoLockFromSettings(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.signIn(testAdmin, testAdminPass)
	h.tap(staffText.Settings)
	h.editSetting("clinic_name")
	h.clock.Advance(2 * time.Minute)
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)
	if h.w.Canvas().Focused() != nil {
		t.Errorf("focus left on %T after the lock", h.w.Canvas().Focused())
	}
	for _, text := range h.staffWidgetsText() {
		if strings.Contains(text, "Now:") || strings.Contains(text, "Intake Kiosk") || strings.Contains(text, testAdmin) {
			t.Errorf("staff text kept after the lock: %q", text)
		}
	}
	if e := the[*settingsScreen](h.k, ui.ScreenSettings).entry; e.Text != "" {
		t.Errorf("setting value kept in the edit view: %q", e.Text)
	}
}

func TestLockButton(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.signIn(testAdmin, testAdminPass)
	h.tap(staffText.Lock)
	h.wantScreen(ui.ScreenWelcome)
	if h.k.on != nil {
		t.Fatal("still signed in after Lock")
	}
	for _, text := range h.staffWidgetsText() {
		if strings.Contains(text, testAdmin) || strings.Contains(text, testAdminPass) {
			t.Errorf("staff text kept after Lock: %q", text)
		}
	}
	// signing in again works, and Lock returns to welcome again
	h.signIn(testAdmin, testAdminPass)
	h.wantScreen(ui.ScreenStaff)
	h.tap(staffText.Lock)
	h.wantScreen(ui.ScreenWelcome)
	h.tap("Start")
	h.wantScreen(ui.ScreenConsent)
}

func TestCloseKiosk(t *testing.T) {
	quit := false
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Quit = func() { quit = true } })
	h.begin("Ola", "Berg")
	id := visitID(h)
	if err := h.st.AddStaff(context.Background(), "Cy", sqlite.Counselor, "another long one", h.key, testAdmin, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.signIn("Cy", "another long one") // any staff member may close it
	h.tap(staffText.Close)
	if !quit {
		t.Fatal("Close kiosk did not quit")
	}
	if h.k.on != nil {
		t.Error("still signed in after Close kiosk")
	}
	ss, err := h.st.Session(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ss.Status != intakekiosk.Incomplete {
		t.Errorf("the patient's session is %s after Close kiosk, want incomplete", ss.Status)
	}
}

func TestIdleOnSignInClearsIt(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.begin("Vera", "Holm")
	h.longPress()
	u := the[*unlockScreen](h.k, ui.ScreenUnlock)
	u.fields[unlockName].SetText(testAdmin)
	u.fields[unlockPass].SetText("half typed")
	h.clock.Advance(60 * time.Second)
	h.k.Tick()
	if !h.shows("Are you still there?") {
		t.Fatal("no idle prompt over the sign-in")
	}
	h.clock.Advance(30 * time.Second)
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)
	if u.fields[unlockName].Text != "" || u.fields[unlockPass].Text != "" {
		t.Errorf("sign-in fields kept after the reset: %q, %q", u.fields[unlockName].Text, u.fields[unlockPass].Text)
	}
	if visitOn(h) || h.k.Held() != 0 {
		t.Error("the patient's visit or a held screen survived the reset")
	}
}

func TestSignInOverCrisis(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("I need help now")
	h.wantScreen(ui.ScreenCrisis)
	h.signIn(testAdmin, testAdminPass)
	h.tap(staffText.Lock)
	h.wantScreen(ui.ScreenCrisis) // the crisis information is back
	h.tap("Continue")
	h.wantScreen(ui.ScreenWelcome)
	if visitOn(h) {
		t.Error("the help request's session is still open on the welcome screen")
	}
}

func TestStaffButtonsAreTall(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	check := func(name string, kb *touch.Keyboard) {
		t.Helper()
		keys := map[*touch.Button]bool{}
		if kb != nil {
			for _, o := range uitest.In(false, kb) {
				if b, ok := o.(*touch.Button); ok {
					keys[b] = true
				}
			}
		}
		n := 0
		for _, o := range h.Objects() {
			b, ok := o.(*touch.Button)
			if !ok {
				continue
			}
			n++
			least := float32(touch.OptionHeight)
			if keys[b] {
				least = touch.KeyHeight
			}
			if b.Size().Height < least {
				t.Errorf("%s: %q is %v tall, want at least %v", name, b.Text, b.Size().Height, least)
			}
		}
		if n == 0 {
			t.Errorf("%s: no buttons", name)
		}
	}
	h.longPress()
	check("sign-in", the[*unlockScreen](h.k, ui.ScreenUnlock).kb)
	h.signIn(testAdmin, testAdminPass)
	check("staff home", nil)
	h.tap(staffText.Settings)
	check("settings list", nil)
	h.editSetting("idle_seconds")
	check("edit view", the[*settingsScreen](h.k, ui.ScreenSettings).kb)
}

func TestPlainWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Minute: "2 minutes", time.Minute: "1 minute", 90 * time.Second: "90 seconds",
		time.Second: "1 second", time.Hour: "60 minutes",
	} {
		if got := plainDuration(d); got != want {
			t.Errorf("plainDuration(%v) = %q, want %q", d, got, want)
		}
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&fault.Error{Op: "setting", Field: "idle_seconds", Kind: fault.Invalid,
			Err: errors.New("must be a whole number of seconds from 10 to 3600")},
			"Not saved: the value must be a whole number of seconds from 10 to 3600."},
		{fmt.Errorf("save setting idle_seconds: %w", errors.New("database is locked")), "Could not save: save setting idle_seconds: database is locked"},
		// an invalid value of another operation is not a setting's
		{&fault.Error{Op: "taper plan", Kind: fault.Invalid, Err: errors.New("x")}, "Could not save: taper plan: x"},
	} {
		if got := settingError(tc.err); got != tc.want {
			t.Errorf("settingError(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	until := time.Date(2026, 11, 25, 15, 4, 0, 0, time.Local)
	if got := lockedMessage(fmt.Errorf("wrapped: %w", &sqlite.LockedError{Until: until})); !strings.Contains(got, "locked until 15:04.") {
		t.Errorf("lockedMessage = %q", got)
	}
	if got := lockedMessage(sqlite.ErrLockedOut); got != unlockText.LockedNow {
		t.Errorf("lockedMessage without a time = %q", got)
	}
}

// Staff mode opened over a patient who chose larger text is laid out at
// the first size (its pages are measured there), and the patient's size
// comes back at the lock.
func TestStaffAtFirstTextSize(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(1)
	h.tap("A+")
	h.tap("A+")
	h.openStaff()
	if th := fyne.CurrentApp().Settings().Theme().(*touch.Theme); th.TextScale != touch.TextScale(0) || h.k.TextStep() != 0 {
		t.Errorf("staff mode at text scale %v", th.TextScale)
	}
	h.k.lock("test")
	if h.k.TextStep() != 2 {
		t.Errorf("the patient's text step after the lock: %d", h.k.TextStep())
	}
}

// A session that will not open says so on the queue's status line and
// leaves the list as it was.
func TestStaffSessionNotOpenedKeepsQueue(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(3)
	q := h.openStaff()
	rows := len(q.shown)
	if rows == 0 {
		t.Fatal("no sessions listed")
	}
	h.k.showSession("no-such-session")
	h.wantScreen(ui.ScreenStaff)
	if len(q.shown) != rows || !q.state.Visible() || !strings.HasPrefix(q.state.Text, sessionText.NotOpened) {
		t.Errorf("after a session that would not open: %d rows (were %d), status %q", len(q.shown), rows, q.state.Text)
	}
}

// A staff name typed on the on-screen keys is taken as typed, with no
// capital the keyboard adds, and signs in without regard to case.
func TestSignInAsTyped(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.longPress()
	h.wantScreen(ui.ScreenUnlock)
	u := the[*unlockScreen](h.k, ui.ScreenUnlock)
	test.Tap(u.fields[unlockName])
	for _, r := range "test" {
		h.tap(string(r))
	}
	h.tap(keyboardText.Space)
	for _, r := range "admin" {
		h.tap(string(r))
	}
	if got := u.fields[unlockName].Text; got != "test admin" {
		t.Fatalf("name typed on the keys reads %q; want %q", got, "test admin")
	}
	test.Tap(u.fields[unlockPass])
	test.Type(h.focused(), testAdminPass)
	h.unlock()
	h.wantScreen(ui.ScreenStaff)
	if h.k.on == nil || h.k.on.who.Name != testAdmin {
		t.Errorf("signed in as %+v; want %q", h.k.on, testAdmin)
	}
}

// An audit log that no longer matches its head file (entries cut off) is
// said on staff home, loudly, with what to do; the next sign-in, audited,
// is refused in the same words.
func TestStaffHomeSaysAuditBroken(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.signIn(testAdmin, testAdminPass)
	h.wantScreen(ui.ScreenStaff)
	if h.shows(staffText.AuditBroken) {
		t.Fatal("an intact log is said to be broken")
	}
	// the head file names entries the database no longer has
	n := h.auditLen()
	if err := os.WriteFile(h.path+".audit-head", fmt.Appendf(nil, "%d %s\n", n+3, strings.Repeat("0", 64)), 0o600); err != nil {
		t.Fatal(err)
	}
	h.k.showStaffHome()
	if !h.shows(staffText.AuditBroken) {
		t.Errorf("staff home does not say the log is broken: %q", h.texts())
	}
	h.k.lock("test")
	h.signIn(testAdmin, testAdminPass)
	h.wantSaid(unlockText.AuditBroken)
}
