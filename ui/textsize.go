package ui

import (
	"fyne.io/fyne/v2"

	"intakekiosk/ui/touch"
)

// setTextStep sets the patient's text size (a step of touch.TextScale): the
// theme's text scale changes, Fyne lays every screen out again, and a
// question or the review shown is fitted again, its answers paged for the size.
func (k *Kiosk) SetTextStep(step int) {
	step = min(max(step, 0), touch.TextSteps-1)
	if step == k.textStep {
		return
	}
	k.textStep = step
	if app := fyne.CurrentApp(); app != nil {
		th := &touch.Theme{}
		if cur, ok := app.Settings().Theme().(*touch.Theme); ok {
			c := *cur
			th = &c
		}
		th.TextScale = touch.TextScale(step)
		app.Settings().SetTheme(th)
	}
	k.top.sizeButtons(step)
	// screens laid out for a size (the privacy notice's pages) are built
	// again
	k.Drop(ScreenConsent)
	// the patient's side fits the screen shown (a question's answers, the
	// review's pages) to the size
	k.flow.TextSize()
}
