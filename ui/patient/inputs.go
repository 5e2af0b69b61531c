package patient

import (
	"fyne.io/fyne/v2"

	"intakekiosk/screening"
)

// answerInput is how the question screen takes one kind of answer. The
// screens' whole knowledge of item kinds is inputFor: a new kind is one
// case there (with the screening package's own entry, see ARCHITECTURE.md).
type answerInput struct {
	// area readies the answer widgets for the question on screen.
	area func(q *questionScreen) fyne.CanvasObject
	// relayout lays option buttons out again after a page turn or a new
	// text size; nil when the kind has none.
	relayout func(q *questionScreen) fyne.CanvasObject
	// tapAnswers: a tap on an option answers and moves on; there is no
	// Next button.
	tapAnswers bool
	// problem is what the patient is told when the answer does not fit.
	problem func(k *flow, it *screening.Item) string
}

// inputFor is the answer input of an item kind. A kind the screens do
// not know reads as free text, so a patient can still answer it; the
// instrument loader refuses unknown kinds before this.
func inputFor(kind screening.Kind) answerInput {
	switch kind {
	case screening.Single:
		return answerInput{area: (*questionScreen).single, relayout: (*questionScreen).optionGrid,
			tapAnswers: true, problem: says("question.need_one")}
	case screening.Multi:
		return answerInput{area: (*questionScreen).multi, relayout: (*questionScreen).multiArea,
			problem: says("question.need_choices")}
	case screening.Number:
		return answerInput{area: (*questionScreen).number, problem: func(k *flow, it *screening.Item) string {
			return k.T("question.need_number",
				screening.FormatNumber(*it.Min, it.Decimals), screening.FormatNumber(*it.Max, it.Decimals))
		}}
	case screening.When:
		return answerInput{area: (*questionScreen).whenArea, problem: says("question.need_time")}
	}
	return answerInput{area: (*questionScreen).freeText, problem: says("question.need_text")}
}

// says is a problem told in one catalog text.
func says(key string) func(*flow, *screening.Item) string {
	return func(k *flow, _ *screening.Item) string { return k.T(key) }
}
