package ui

import (
	"fyne.io/fyne/v2"

	"intakekiosk/ui/touch"
)

// setTextStep sets the patient's text size (a step of touch.TextScale): the
// theme's text scale changes, Fyne lays every screen out again, and a
// question shown is shown again so its answers are paged for the size.
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
	if k.screen == ScreenQuestion {
		k.flow.fitQuestion()
	}
}

// fitQuestion lays the question shown out again when it was laid out for
// another text size (the size changed while it was shown, or while the
// crisis or error screen was held over it): the question at its size for
// the step, the answers paged again, keeping what the patient has chosen
// or typed.
func (pf *patientFlow) fitQuestion() {
	k := pf.k
	q, ok := Built[*questionScreen](k, ScreenQuestion)
	if !ok || pf.visit == nil || q.laidAt == k.textStep {
		return
	}
	q.laidAt = k.textStep
	if size := q.textSize(); size != q.text.SizeName {
		q.text.SizeName = size
		q.text.Refresh()
	}
	if inputFor(q.st.Item.Kind).relayout != nil {
		q.page = 0
		q.area.Objects = []fyne.CanvasObject{q.areaFor()}
	}
	q.area.Refresh()
}
