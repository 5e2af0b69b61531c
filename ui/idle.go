package ui

import (
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui/touch"
)

// idlePrompt asks "Are you still there?" over the screen, with a visible
// countdown to the reset. The screen under it is shaded; a tap anywhere
// counts as "still here".
type idlePrompt struct {
	k         *Kiosk
	countdown *widget.Label
}

func newIdlePrompt(k *Kiosk) *idlePrompt {
	p := &idlePrompt{k: k}
	p.countdown = widget.NewLabel("")
	p.countdown.Alignment = fyne.TextAlignCenter
	p.countdown.SizeName = theme.SizeNameSubHeadingText
	here := k.t.NewButton(k.T("idle.here"), nil, touch.OptionHeight, k.StillHere)
	here.Importance = widget.HighImportance
	title := touch.Heading(k.T("idle.title"))
	title.Alignment = fyne.TextAlignCenter
	note := touch.Para(k.T("idle.note"))
	note.Alignment = fyne.TextAlignCenter
	card := container.NewVBox(title, note, p.countdown, here)
	th := fyne.CurrentApp().Settings().Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	bg := canvas.NewRectangle(th.Color(theme.ColorNameBackground, v))
	bg.CornerRadius = 12
	box := container.NewStack(bg, container.NewPadded(container.NewPadded(card)))
	k.overlay.Objects = []fyne.CanvasObject{
		k.t.NewShade(k.StillHere),
		container.NewCenter(container.NewGridWrap(fyne.NewSize(700, box.MinSize().Height), box)),
	}
	k.overlay.Refresh()
	return p
}

// update shows the time left.
func (p *idlePrompt) update(left time.Duration) {
	secs := int(math.Ceil(left.Seconds()))
	p.countdown.SetText(p.k.T("idle.countdown", max(secs, 0)))
}

func (p *idlePrompt) hide() {
	p.k.overlay.Objects = nil
	p.k.overlay.Refresh()
}
