package patient

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// reviewScreen lists every question asked with its answer, grouped by
// questionnaire under its short title, a page at a time, each with a
// Change button. Nothing is cut off: questions and answers wrap, and the
// pages are cut where the measured rows fill the screen at the patient's
// text size (so a larger size takes more pages). Built once per kiosk,
// cleared at reset.
type reviewScreen struct {
	k   *flow
	obj fyne.CanvasObject
	// list holds the page's headings and rows
	list       *fyne.Container
	title      *widget.Label
	prev, more *touch.Button
	pageLabel  *widget.Label
	// pageWidth holds the page number's place as wide as its widest, so
	// the buttons beside it stay put from page to page
	pageWidth *canvas.Rectangle
	pageBox   *fyne.Container // centres the page number

	// rows and heads are pools, one row a step and one heading a
	// questionnaire shown, reused from patient to patient
	rows  []*reviewRow
	heads []reviewHead

	steps []screening.Step
	// starts are the index in steps of each page's first row
	starts []int
	page   int
	// laidAt is the text step the pages were cut for
	laidAt int
	// changed is the answer the patient went to change: the review
	// comes back to its page
	changed screening.Key
	// anchor is the answer the patient came to the page for (its first
	// row, or the answer changed): a new text size shows its page
	anchor screening.Key
}

// reviewHead is a questionnaire's heading (its label in the review's
// tighter theme).
type reviewHead struct {
	obj   fyne.CanvasObject
	label *widget.Label
}

// reviewRow is one question with its answer and its Change button.
type reviewRow struct {
	obj              fyne.CanvasObject // box in the review's tighter theme
	box              *fyne.Container
	question, answer *widget.Label
	change           *touch.Button
}

func newReviewScreen(k *flow) *reviewScreen {
	r := &reviewScreen{k: k, pageLabel: widget.NewLabel(""), list: container.NewVBox(), title: touch.Heading(k.T("review.title"))}
	r.pageLabel.Alignment = fyne.TextAlignCenter
	r.pageWidth = canvas.NewRectangle(color.Transparent)
	r.prev = k.Kit().NewButton(k.T("review.prev"), theme.NavigateBackIcon(), touch.OptionHeight, func() { r.turn(r.page - 1) })
	r.more = k.Kit().NewButton(k.T("review.more"), theme.NavigateNextIcon(), touch.OptionHeight, func() { r.turn(r.page + 1) })
	r.more.IconPlacement = widget.ButtonIconTrailingText
	// the pages' buttons stay where they are, at the top, whatever a page
	// holds; the title wraps beside them at a large text size
	r.pageBox = container.NewCenter(r.pageLabel)
	pager := container.NewHBox(r.prev, container.NewStack(r.pageWidth, r.pageBox), r.more)
	header := container.NewBorder(nil, nil, nil, container.NewCenter(pager), r.title)
	back := k.BackButton(func() {
		if len(r.steps) > 0 {
			k.showQuestion(r.steps[len(r.steps)-1])
			return
		}
		k.beforeQuestions()
	})
	r.obj = touch.Page(touch.NavBar(back, k.NextButton(k.T("review.submit"), k.submitVisit)), header, r.list)
	return r
}

// row is the pool's row i, made when first needed.
func (r *reviewScreen) row(i int) *reviewRow {
	for len(r.rows) <= i {
		row := &reviewRow{question: touch.Para(""), answer: touch.Para("")}
		row.answer.TextStyle = fyne.TextStyle{Bold: true}
		row.change = r.k.Kit().NewButton(r.k.T("review.change"), theme.DocumentCreateIcon(), touch.OptionHeight, nil)
		row.box = container.New(rowLayout{}, row.question, row.answer, row.change)
		row.obj = touch.Tight(row.box)
		r.rows = append(r.rows, row)
	}
	return r.rows[i]
}

// head is the pool's heading i, made when first needed, saying title.
func (r *reviewScreen) head(i int, title string) fyne.CanvasObject {
	for len(r.heads) <= i {
		l := touch.Para("")
		l.SizeName = theme.SizeNameSubHeadingText
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Importance = widget.HighImportance
		r.heads = append(r.heads, reviewHead{obj: touch.Tight(l), label: l})
	}
	r.heads[i].label.SetText(title)
	return r.heads[i].obj
}

// show shows the review at a page.
func (r *reviewScreen) show(pageNo int) {
	r.lay()
	r.turn(pageNo)
	r.k.Show(ui.ScreenReview, r.obj)
}

// showAt shows the review at the page holding the answer to key (the
// first page when it is no longer asked).
func (r *reviewScreen) showAt(key screening.Key) {
	r.lay()
	r.fill(r.pageOf(key))
	r.anchor = key
	r.k.Show(ui.ScreenReview, r.obj)
}

// turn shows another page.
func (r *reviewScreen) turn(pageNo int) {
	r.fill(pageNo)
	if len(r.steps) > 0 {
		r.anchor = r.steps[r.starts[r.page]].Key()
	}
}

// fit cuts the pages again for a text size changed while the review was
// shown or held under another screen, showing the page that holds the
// answer the patient came to the page for (so A+ then A– comes back to
// the same page).
func (r *reviewScreen) fit() {
	if r.laidAt == r.k.TextStep() || len(r.steps) == 0 {
		return
	}
	r.lay()
	r.fill(r.pageOf(r.anchor))
}

// pageOf is the page holding the answer to key, or 0.
func (r *reviewScreen) pageOf(key screening.Key) int {
	p := 0
	for i, st := range r.steps {
		for p+1 < len(r.starts) && r.starts[p+1] <= i {
			p++
		}
		if st.Key() == key {
			return p
		}
	}
	return 0
}

// lay reads the steps and their answers into the rows and cuts them into
// pages: each page holds the rows whose heights, measured at the list's
// width with the wrapped text, fit the height the screen leaves it, with
// the questionnaire's heading above its first row on the page.
func (r *reviewScreen) lay() {
	k, v := r.k, r.k.visit
	now := k.Config().Now()
	r.laidAt = k.TextStep()
	r.steps = v.Session().Steps(now)
	for i, st := range r.steps {
		row := r.row(i)
		answer := k.T("review.not_answered")
		if a, ok := v.Session().Answer(st.Key()); ok {
			answer = r.answerWords(st.Item, a, now)
		}
		row.question.SetText(fmt.Sprintf("%d. %s", st.N, st.Item.Text.In(k.Lang())))
		row.answer.SetText(answer)
		row.change.OnTapped = func() {
			r.changed = st.Key()
			v.review = true
			k.showQuestion(st)
		}
	}

	// the page without rows, laid out at the size the screen gives it,
	// with the widest page number it could show
	size := r.bodySize()
	r.pageLabel.SetText(k.T("question.page", 88, 88))
	r.pageWidth.SetMinSize(fyne.NewSize(0, 0))
	r.list.Objects = nil
	r.obj.Refresh()
	r.pageWidth.SetMinSize(r.pageLabel.MinSize())
	r.obj.Resize(size)
	r.obj.Refresh()
	pad := theme.Padding()
	budget := size.Height - r.obj.MinSize().Height - pad // the list's, less a margin for rounding
	width := r.list.Size().Width
	// a row or a heading at the list's width: refreshed for the text
	// size first (a container lays out before it refreshes its
	// children), then laid out, its labels wrapped at their widths
	measure := func(o fyne.CanvasObject, box *fyne.Container) float32 {
		o.Refresh()
		o.Resize(fyne.NewSize(width, o.Size().Height))
		if box != nil {
			box.Layout.Layout(box.Objects, box.Size())
		}
		return o.MinSize().Height
	}
	headH := map[string]float32{} // by short title
	headOf := func(st screening.Step) float32 {
		t := st.Instrument.ShortTitle.In(k.Lang())
		if h, ok := headH[t]; ok {
			return h
		}
		headH[t] = measure(r.head(0, t), nil)
		return headH[t]
	}

	r.starts = r.starts[:0]
	used := float32(0)
	for i, st := range r.steps {
		h := measure(r.rows[i].obj, r.rows[i].box)
		newGroup := i == 0 || st.Instrument != r.steps[i-1].Instrument
		if newGroup {
			h += headOf(st) + pad
		}
		if i > 0 && used+pad+h <= budget {
			used += pad + h
			continue
		}
		// a new page, its questionnaire named at its top
		r.starts = append(r.starts, i)
		used = h
		if !newGroup {
			used += headOf(st) + pad
		}
	}
	if len(r.starts) == 0 {
		r.starts = append(r.starts, 0)
	}
}

// bodySize is the size a screen has below the top bar.
func (r *reviewScreen) bodySize() fyne.Size {
	size := fyne.NewSize(1280, 800)
	if c := r.k.Window().Canvas(); c != nil && c.Size().Height > 0 {
		size = c.Size()
	}
	size.Height -= r.k.TopBar().MinSize().Height + theme.Padding()
	return size
}

// fill puts one page's headings and rows in the list.
func (r *reviewScreen) fill(pageNo int) {
	pages := len(r.starts)
	r.page = min(max(pageNo, 0), pages-1)
	end := len(r.steps)
	if r.page+1 < pages {
		end = r.starts[r.page+1]
	}
	var objs []fyne.CanvasObject
	heads := 0
	for i := r.starts[r.page]; i < end; i++ {
		st := r.steps[i]
		if i == r.starts[r.page] || st.Instrument != r.steps[i-1].Instrument {
			objs = append(objs, r.head(heads, st.Instrument.ShortTitle.In(r.k.Lang())))
			heads++
		}
		objs = append(objs, r.rows[i].obj)
	}
	r.list.Objects = objs
	r.list.Refresh()
	touch.Enable(r.prev, r.page > 0)
	touch.Enable(r.more, r.page < pages-1)
	r.pageLabel.SetText(r.k.T("question.page", r.page+1, pages))
	r.pageBox.Refresh() // centred again at its new width
}

// Clear forgets the last patient's answers.
func (r *reviewScreen) Clear() {
	for _, row := range r.rows {
		row.question.SetText("")
		row.answer.SetText("")
		row.change.OnTapped = nil
	}
	for _, hd := range r.heads {
		hd.label.SetText("")
	}
	r.list.Objects = nil
	r.steps, r.starts, r.page, r.changed, r.anchor = nil, nil, 0, screening.Key{}, screening.Key{}
}

// showReview shows the review screen: back at the page of the answer the
// patient went to change when they come from its Change (answered again
// or not), at pageNo otherwise.
func (k *flow) showReview(pageNo int) {
	r := ui.Screen[*reviewScreen](k.Kiosk, ui.ScreenReview)
	changing := k.visit.review
	k.visit.review = false
	if changing {
		r.showAt(r.changed)
		return
	}
	r.show(pageNo)
}

// fitReview cuts the review's pages again for the text size, when it was
// cut for another.
func (k *flow) fitReview() {
	if r, ok := ui.Built[*reviewScreen](k.Kiosk, ui.ScreenReview); ok && k.visit != nil {
		r.fit()
	}
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

// rowLayout lays out a review row: the question (three fifths of the
// text's width), the answer, then the Change button, each as tall as it
// needs and centred on the row's height, which is the tallest of them.
type rowLayout struct{}

// columns are the widths of the question and the answer in a row w wide.
func (rowLayout) columns(objs []fyne.CanvasObject, w float32) (q, a float32) {
	pad := theme.Padding()
	text := w - objs[2].MinSize().Width - 2*pad
	q = text * 3 / 5
	return q, text - q
}

// Layout places the question, the answer and the button.
func (l rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	q, a := l.columns(objs, size.Width)
	pad := theme.Padding()
	widths := []float32{q, a, objs[2].MinSize().Width}
	x := float32(0)
	for i, o := range objs {
		// the width first: a wrapped label's height follows it
		o.Resize(fyne.NewSize(widths[i], o.Size().Height))
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(widths[i], h))
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		x += widths[i] + pad
	}
}

// MinSize is the tallest of the three at the widths last laid out.
func (rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	s.Width += 2 * pad
	return s
}
