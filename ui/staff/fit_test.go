package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"intakekiosk/fault"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// Every staff screen must fit a 1280x800 touchscreen with nothing cut
// off (ui's TestEveryScreenFits checks the patient's).
func TestStaffScreensFit(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	k := h.k
	check := h.fits(t, fyne.Size{})
	// staff mode: the sign-in (with its longest message), staff home for
	// an administrator and a counselor, every page of the settings list
	// and the edit view with a refusal
	h.longPress()
	check("staff sign-in")
	the[*unlockScreen](h.k, ui.ScreenUnlock).say(strings.Replace(unlockText.Locked, "%s", "15:04:05", 1), true)
	check("staff sign-in with a message")
	h.signIn("Test Admin", "correct horse battery")
	h.wantScreen(ui.ScreenStaff)
	check("staff home")
	h.tap(staffText.Settings)
	s := the[*settingsScreen](k, ui.ScreenSettings)
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
