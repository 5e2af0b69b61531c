package ui

import (
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// idlePrompt asks "Are you still there?" over the screen, with a visible
// countdown to the reset. It is modal: only its button can be tapped.
type idlePrompt struct {
	pop       *widget.PopUp
	countdown *widget.Label
	here      *Button
}

func newIdlePrompt(k *Kiosk) *idlePrompt {
	p := &idlePrompt{}
	p.countdown = widget.NewLabel("")
	p.countdown.Alignment = fyne.TextAlignCenter
	p.countdown.SizeName = theme.SizeNameSubHeadingText
	p.here = k.t.newButton("I'm still here", nil, OptionHeight, k.stillHere)
	p.here.Importance = widget.HighImportance
	title := heading("Are you still there?")
	title.Alignment = fyne.TextAlignCenter
	note := para("To keep your answers private, this screen will start over.")
	note.Alignment = fyne.TextAlignCenter
	card := container.NewVBox(title, note, p.countdown, p.here)
	p.pop = widget.NewModalPopUp(container.NewPadded(card), k.win.Canvas())
	p.pop.Resize(fyne.NewSize(640, card.MinSize().Height+32))
	p.pop.Show()
	return p
}

// update shows the time left.
func (p *idlePrompt) update(left time.Duration) {
	secs := int(math.Ceil(left.Seconds()))
	p.countdown.SetText(fmt.Sprintf("Starting over in %d seconds", max(secs, 0)))
}

func (p *idlePrompt) hide() { p.pop.Hide() }
