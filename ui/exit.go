package ui

import (
	"crypto/subtle"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Wrong exit PINs in a row before the pad refuses for exitLockout.
const (
	exitTries   = 3
	exitLockout = 5 * time.Minute
)

// exitGuard counts wrong exit PINs across visits to the exit screen.
type exitGuard struct {
	wrong       int
	lockedUntil time.Time
}

// showExit shows the staff exit screen: the exit PIN on a keypad. It is
// reached only by a long press on the logo.
func (k *Kiosk) showExit() {
	if k.screen == ScreenExit {
		return
	}
	pin := ""
	dots := widget.NewLabel("")
	dots.SizeName = theme.SizeNameHeadingText
	dots.Alignment = fyne.TextAlignCenter
	msg := newNotice()
	if k.cfg.Settings.ExitPIN == "" {
		msg.say("No exit PIN is set. An administrator sets one with: kioskctl settings set exit_pin DIGITS")
	}
	refresh := func() { dots.SetText(strings.Repeat("● ", len(pin))) }
	pad, _ := k.t.newKeypad(func(d rune) {
		if len(pin) < 8 {
			pin += string(d)
			refresh()
		}
	}, func() {
		if pin != "" {
			pin = pin[:len(pin)-1]
			refresh()
		}
	}, nil)
	ok := k.nextButton("Close kiosk", func() {
		now := k.cfg.Now()
		g := &k.exit
		switch {
		case now.Before(g.lockedUntil):
			msg.say("Too many wrong PINs. Try again later.")
		case k.cfg.Settings.ExitPIN != "" && subtle.ConstantTimeCompare([]byte(pin), []byte(k.cfg.Settings.ExitPIN)) == 1:
			g.wrong = 0
			k.cfg.Log.Info("kiosk closed with the exit PIN")
			if k.cfg.Quit != nil {
				k.cfg.Quit()
			}
		default:
			g.wrong++
			if g.wrong >= exitTries {
				g.wrong, g.lockedUntil = 0, now.Add(exitLockout)
				k.cfg.Log.Warn("exit PIN locked after wrong tries")
			}
			msg.say("That PIN is not right.")
		}
		pin = ""
		refresh()
	})
	cancel := k.t.newButton("Cancel", nil, OptionHeight, k.release)
	cancel.minWidth = navWidth
	k.hold(ScreenExit, page(navBar(cancel, ok), heading("Staff: enter the exit PIN"), dots, msg,
		container.NewCenter(pad)))
}
