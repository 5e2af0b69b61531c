package patient

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// instructionsScreen shows an instrument's published instructions before
// its first question (the DAST-10's: what counts as drug use, and its
// classes of drugs), too long to stand above every question. It holds
// nothing of the patient: the instrument's words and where the visit is.
type instructionsScreen struct {
	k           *flow
	obj         fyne.CanvasObject
	title, text *widget.Label
	// st is the instrument's first question, shown on Next
	st screening.Step
}

func newInstructionsScreen(k *flow) *instructionsScreen {
	s := &instructionsScreen{k: k, title: touch.Heading(""), text: touch.Para("")}
	back := k.BackButton(func() { k.before(s.st) })
	next := k.NextButton(k.T("nav.next"), func() { k.showQuestion(s.st) })
	s.obj = touch.Page(touch.NavBar(back, next), s.title, s.text)
	return s
}

// showInstructions shows the instructions of st's instrument; Next goes
// on to st, its first question.
func (k *flow) showInstructions(st screening.Step) {
	k.visit.at = st.Key()
	s := ui.Screen[*instructionsScreen](k.Kiosk, ui.ScreenInstructions)
	s.st = st
	s.title.SetText(st.Instrument.Title.In(k.Lang()))
	s.text.SetText(st.Instrument.Instructions.In(k.Lang()))
	k.Show(ui.ScreenInstructions, s.obj)
}

// Clear forgets the instrument shown.
func (s *instructionsScreen) Clear() {
	s.st = screening.Step{}
	s.title.SetText("")
	s.text.SetText("")
}

func (s *instructionsScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
