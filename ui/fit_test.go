package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

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
	k.Release()
	k.flow.failed(fmt.Errorf("test"), func() {})
	check("error")
	k.Release()
	k.flow.showFinish()
	check("finish")
	the[*finishScreen](k, ScreenFinish).course.SetText(strings.Repeat("Day 13 since your last dose: the physical withdrawal is usually over. ", 3))
	check("finish with the course of withdrawal")
	k.idle = newIdlePrompt(k)
	k.idle.update(30 * time.Second)
	check("idle prompt")
	k.StillHere()
}
