package patient

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// Every screen must fit a 1280x800 touchscreen with nothing cut off: the
// patient flow never scrolls. Each question of every instrument is
// checked, whether or not branching would ask it.
func TestEveryScreenFits(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	k := h.k
	check := h.fits(t, fyne.Size{})
	check("welcome")
	k.showCode()
	the[*codeScreen](k, ui.ScreenCode).say(en("code.wait", "about 5 minutes"))
	check("check-in code with a message")
	k.showWelcome()
	h.tap("Start")
	check("consent")
	h.tap("I agree")
	check("first name")
	h.k.showName(false)
	check("last name")
	h.k.showBirth()
	check("date of birth")
	h.eachQuestion(check, "Hours ago", "Days ago", "Date and time")
	k.showReview(0)
	check("review")
	k.showCrisis()
	check("crisis")
	k.Release()
	k.failed(fmt.Errorf("test"), func() {})
	check("error")
	k.Release()
	k.showFinish()
	check("finish")
	the[*finishScreen](k, ui.ScreenFinish).course.SetText(strings.Repeat("Day 13 since your last dose: the physical withdrawal is usually over. ", 3))
	check("finish with the course of withdrawal")
	h.clock.Advance(k.Config().Settings.Idle + 30*time.Second) // the countdown at 0:30 ... 0:00
	h.clock.Advance(-30 * time.Second)
	k.Tick()
	check("idle prompt")
	k.StillHere()
}
