package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"intakekiosk/fault"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
)

// Every screen must fit a 1280x800 touchscreen with nothing cut off: the
// patient flow never scrolls. Each question of every instrument is
// checked, whether or not branching would ask it.
func TestEveryScreenFits(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	k := h.k
	check := h.fits(t, fyne.Size{})
	check("welcome")
	k.flow.showCode()
	the[*codeScreen](k, ScreenCode).say(en("code.wait", "about 5 minutes"))
	check("check-in code with a message")
	k.flow.showWelcome()
	h.tap("Start")
	check("consent")
	h.tap("I agree")
	check("first name")
	h.k.flow.showName(false)
	check("last name")
	h.k.flow.showBirth()
	check("date of birth")
	h.eachQuestion(check, "Hours ago", "Days ago", "Date and time")
	k.flow.showReview(0)
	check("review")
	k.flow.showCrisis()
	check("crisis")
	k.release()
	k.flow.failed(fmt.Errorf("test"), func() {})
	check("error")
	k.release()
	k.flow.showFinish()
	check("finish")
	the[*finishScreen](k, ScreenFinish).course.SetText(strings.Repeat("Day 13 since your last dose: the physical withdrawal is usually over. ", 3))
	check("finish with the course of withdrawal")
	k.idle = newIdlePrompt(k)
	k.idle.update(30 * time.Second)
	check("idle prompt")
	k.stillHere()

	// staff mode: the sign-in (with its longest message), staff home for
	// an administrator and a counselor, every page of the settings list
	// and the edit view with a refusal
	h.longPress()
	check("staff sign-in")
	the[*unlockScreen](h.k, ScreenUnlock).say(strings.Replace(unlockText.Locked, "%s", "15:04:05", 1), true)
	check("staff sign-in with a message")
	h.signIn("Test Admin", "correct horse battery")
	h.wantScreen(ScreenStaff)
	check("staff home")
	h.tap(staffText.Settings)
	s := the[*settingsScreen](k, ScreenSettings)
	for p := 0; p < s.pages(); p++ {
		s.showList(p)
		check(fmt.Sprintf("settings page %d", p+1))
	}
	s.say(true)
	check("settings page after a save")
	for i, d := range settings.Defs() {
		s.showEdit(i)
		s.msg.Say(settingError(&fault.Error{Op: "setting", Field: d.Key, Kind: fault.Invalid,
			Err: errors.New("must be one line of at most 60 characters")}))
		check("edit " + d.Key)
	}
	h.tap(keyboardText.Symbols)
	check("edit, symbols page")
	s.showList(0)
	h.tap("Back")
	h.tap(staffText.Lock)
	if err := h.st.AddStaff(context.Background(), "Cy", sqlite.Counselor, "another long one", h.key, "Test Admin", h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.signIn("Cy", "another long one")
	check("staff home, counselor")
}
