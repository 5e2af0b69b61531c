package patient

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// reviewRows is how many answers the review screen shows a page.
const reviewRows = 6

// reviewScreen lists every question asked with its answer, a page at a
// time, each with a Change button. Built once per kiosk, cleared at reset.
type reviewScreen struct {
	k          *flow
	obj        fyne.CanvasObject
	rows       [reviewRows]reviewRow
	prev, more *touch.Button
	pageLabel  *widget.Label
	page       int
	steps      []screening.Step
}

type reviewRow struct {
	box              fyne.CanvasObject
	question, answer *widget.Label
	change           *touch.Button
}

func newReviewScreen(k *flow) *reviewScreen {
	r := &reviewScreen{k: k, pageLabel: widget.NewLabel("")}
	list := []fyne.CanvasObject{touch.Heading(k.T("review.title"))}
	for i := range r.rows {
		row := &r.rows[i]
		row.question = widget.NewLabel("")
		row.question.Truncation = fyne.TextTruncateEllipsis
		row.answer = widget.NewLabel("")
		row.answer.TextStyle = fyne.TextStyle{Bold: true}
		row.answer.Truncation = fyne.TextTruncateEllipsis
		row.change = k.Kit().NewButton(k.T("review.change"), theme.DocumentCreateIcon(), touch.OptionHeight, nil)
		row.box = container.NewBorder(nil, nil, nil, row.change, container.NewGridWithColumns(2, row.question, row.answer))
		list = append(list, row.box)
	}
	r.prev = k.Kit().NewButton(k.T("review.prev"), theme.NavigateBackIcon(), touch.OptionHeight, func() { r.show(r.page - 1) })
	r.more = k.Kit().NewButton(k.T("review.more"), theme.NavigateNextIcon(), touch.OptionHeight, func() { r.show(r.page + 1) })
	r.more.IconPlacement = widget.ButtonIconTrailingText
	list = append(list, container.NewHBox(r.prev, layout.NewSpacer(), r.pageLabel, layout.NewSpacer(), r.more))
	back := k.BackButton(func() {
		if len(r.steps) > 0 {
			k.showQuestion(r.steps[len(r.steps)-1])
			return
		}
		k.beforeQuestions()
	})
	r.obj = touch.Page(touch.NavBar(back, k.NextButton(k.T("review.submit"), k.submitVisit)), list...)
	return r
}

// show fills the rows of one page.
func (r *reviewScreen) show(pageNo int) {
	k, v := r.k, r.k.visit
	now := k.Config().Now()
	r.steps = v.Session().Steps(now)
	pages := max(1, (len(r.steps)+reviewRows-1)/reviewRows)
	r.page = min(max(pageNo, 0), pages-1)
	for i := range r.rows {
		row := &r.rows[i]
		n := r.page*reviewRows + i
		if n >= len(r.steps) {
			row.box.Hide()
			continue
		}
		st := r.steps[n]
		answer := r.k.T("review.not_answered")
		if a, ok := v.Session().Answer(st.Key()); ok {
			answer = r.answerWords(st.Item, a, now)
		}
		row.question.SetText(fmt.Sprintf("%s %d. %s", st.Instrument.ShortTitle.In(r.k.Lang()), st.N, st.Item.Text.In(r.k.Lang())))
		row.answer.SetText(answer)
		row.change.OnTapped = func() {
			v.review = true
			k.showQuestion(st)
		}
		row.box.Show()
	}
	touch.Enable(r.prev, r.page > 0)
	touch.Enable(r.more, r.page < pages-1)
	r.pageLabel.SetText(r.k.T("question.page", r.page+1, pages))
	k.Show(ui.ScreenReview, r.obj)
}

// clear forgets the last patient's answers.
func (r *reviewScreen) Clear() {
	for i := range r.rows {
		r.rows[i].question.SetText("")
		r.rows[i].answer.SetText("")
		r.rows[i].change.OnTapped = nil
	}
	r.steps = nil
}

// showReview shows the review screen at a page.
func (k *flow) showReview(pageNo int) {
	k.visit.review = false
	ui.Screen[*reviewScreen](k.Kiosk, ui.ScreenReview).show(pageNo)
}

// submitVisit commits the session as complete and thanks the patient.
func (k *flow) submitVisit() {
	if err := k.visit.Submit(context.Background()); err != nil {
		k.failed(err, k.submitVisit)
		return
	}
	k.showFinish()
}

func (s *reviewScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }

// answerWords puts an answer in the patient's words: the catalog's for
// "Prefer not to answer" and for a time (how long ago, the date and hour),
// the instrument's own labels and units otherwise.
func (r *reviewScreen) answerWords(it *screening.Item, a screening.Answer, now time.Time) string {
	k := r.k
	said := it.Said(a, k.Lang())
	switch {
	case said.Declined:
		return k.T("review.declined")
	case said.At != nil:
		return ago(k.Kit().Words, *said.At, now, k.Location())
	}
	return strings.Join(said.Words, "; ")
}
