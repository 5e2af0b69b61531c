package patient

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/ui/touch"
)

// optionButtons readies one pooled button per option of the question.
func (q *questionScreen) optionButtons(n int) []*touch.Button {
	for len(q.options) < n {
		b := q.k.Kit().NewButton("", nil, touch.OptionHeight, nil)
		b.Alignment = widget.ButtonAlignLeading
		q.options = append(q.options, b)
	}
	return q.options[:n]
}

// rowsFree is how many rows of answer buttons fit under the question on
// the screen: the window's height less the top bar, the question's head
// (as filled) and the nav bar.
func (q *questionScreen) rowsFree() int {
	k := q.k
	h := float32(800)
	if c := k.Window().Canvas(); c != nil && c.Size().Height > 0 {
		h = c.Size().Height
	}
	pad := theme.Padding()
	free := h - k.TopBar().MinSize().Height - q.head.MinSize().Height - q.nav.MinSize().Height - 6*pad
	row := q.options[0].MinSize().Height + pad
	return max(1, int(free/row))
}

// pagedColumn lays answer buttons out in one column, n a page, with the
// paging buttons under them.
func (q *questionScreen) pagedColumn(buttons []*touch.Button, n int) fyne.CanvasObject {
	pages := (len(buttons) + n - 1) / n
	q.page = min(max(q.page, 0), pages-1)
	objs := make([]fyne.CanvasObject, 0, n+1)
	for _, b := range buttons[q.page*n : min(len(buttons), (q.page+1)*n)] {
		objs = append(objs, b)
	}
	q.pageLabel.SetText(q.k.T("question.page", q.page+1, pages))
	touch.Enable(q.prevPage, q.page > 0)
	touch.Enable(q.nextPage, q.page < pages-1)
	objs = append(objs, container.NewBorder(nil, nil, q.prevPage, q.nextPage, container.NewCenter(q.pageLabel)))
	return container.NewVBox(objs...)
}

// optionGrid lays out the answer buttons: one column for a few, two for
// more, with paging buttons past perPage (no scrolling on a touchscreen).
func (q *questionScreen) optionGrid() fyne.CanvasObject {
	buttons := q.options[:len(q.st.Item.Options)]
	// larger text takes fewer answers a page, so nothing scrolls
	perPage := pagesAt[q.k.TextStep()]
	objs := make([]fyne.CanvasObject, 0, perPage)
	one := columnAt[q.k.TextStep()]
	// a long question (some translations are) leaves room for fewer rows
	if len([]rune(q.st.Item.Text.In(q.k.Lang()))) > 2*longQuestion-40 && len(buttons) == one && q.st.Instrument.Intro.In(q.k.Lang()) != "" {
		one--
	}
	if q.k.TextStep() > 0 {
		// larger text: one column (long answers are too wide for two),
		// as many rows as the screen holds, a page at a time
		if rows := q.rowsFree(); len(buttons) > rows {
			return q.pagedColumn(buttons, max(1, rows-1))
		}
		for _, b := range buttons {
			objs = append(objs, b)
		}
		return container.NewVBox(objs...)
	}
	if len(buttons) <= one {
		for _, b := range buttons {
			objs = append(objs, b)
		}
		return container.NewVBox(objs...)
	}
	pages := (len(buttons) + perPage - 1) / perPage
	q.page = min(max(q.page, 0), pages-1)
	for _, b := range buttons[q.page*perPage : min(len(buttons), (q.page+1)*perPage)] {
		objs = append(objs, b)
	}
	grid := container.NewGridWithColumns(2, objs...)
	if pages == 1 {
		return grid
	}
	touch.Enable(q.prevPage, q.page > 0)
	touch.Enable(q.nextPage, q.page < pages-1)
	q.pageLabel.SetText(q.k.T("question.page", q.page+1, pages))
	return container.NewVBox(grid, container.NewHBox(q.prevPage, layout.NewSpacer(), q.pageLabel, layout.NewSpacer(), q.nextPage))
}

// turn shows the previous or next page of answers.
func (q *questionScreen) turn(by int) {
	q.page += by
	q.area.Objects = []fyne.CanvasObject{q.areaFor()}
	q.area.Refresh()
}

// areaFor lays the question's answer buttons out again (a page turned,
// the text size changed).
func (q *questionScreen) areaFor() fyne.CanvasObject { return inputFor(q.st.Item.Kind).relayout(q) }

// single shows one button per option; a tap answers and moves on.
func (q *questionScreen) single() fyne.CanvasObject {
	for i, b := range q.optionButtons(len(q.st.Item.Options)) {
		o := q.st.Item.Options[i]
		b.Text, b.OnTapped = o.Label.In(q.k.Lang()), func() { q.tapped(b, screening.Answer{Choice: o.Value}) }
		b.Importance, b.Icon = widget.MediumImportance, nil
		if q.had && !q.prev.Declined && q.prev.Choice == o.Value {
			b.Importance, b.Icon = widget.HighImportance, theme.ConfirmIcon()
		}
		b.Refresh()
	}
	return q.optionGrid()
}

// multi shows a toggle for each option; Next answers.
func (q *questionScreen) multi() fyne.CanvasObject {
	it := q.st.Item
	q.chosen = map[string]bool{}
	if q.had {
		for _, c := range q.prev.Choices {
			q.chosen[c] = true
		}
	}
	for i, b := range q.optionButtons(len(it.Options)) {
		o := it.Options[i]
		b.Text, b.OnTapped = o.Label.In(q.k.Lang()), func() {
			if q.settled() {
				q.toggle(o)
			}
		}
	}
	q.paintChoices()
	q.onNext = func() {
		var cs []string
		for _, o := range it.Options {
			if q.chosen[o.Value] {
				cs = append(cs, o.Value)
			}
		}
		q.submit(screening.Answer{Choices: cs})
	}
	return q.multiArea()
}

func (q *questionScreen) multiArea() fyne.CanvasObject {
	grid := q.optionGrid()
	if q.st.Item.Hint.In(q.k.Lang()) == "" {
		return container.NewVBox(q.multiHint, grid)
	}
	return grid
}

// toggle chooses or unchooses an option; an exclusive one ("None of
// these") clears the others and is cleared by them.
func (q *questionScreen) toggle(o screening.Option) {
	q.msg.Say("")
	switch {
	case q.chosen[o.Value]:
		delete(q.chosen, o.Value)
	case o.Exclusive:
		clear(q.chosen)
		q.chosen[o.Value] = true
	default:
		for _, x := range q.st.Item.Options {
			if x.Exclusive {
				delete(q.chosen, x.Value)
			}
		}
		q.chosen[o.Value] = true
	}
	q.paintChoices()
}

func (q *questionScreen) paintChoices() {
	for i, o := range q.st.Item.Options {
		b := q.options[i]
		if q.chosen[o.Value] {
			b.Importance, b.Icon = widget.HighImportance, theme.CheckButtonCheckedIcon()
		} else {
			b.Importance, b.Icon = widget.MediumImportance, theme.CheckButtonIcon()
		}
		b.Refresh()
	}
	touch.Enable(q.next, len(q.chosen) > 0)
}

// number shows a keypad for a number with its unit.
func (q *questionScreen) number() fyne.CanvasObject {
	it := q.st.Item
	unit := it.Unit.In(q.k.Lang())
	key := fmt.Sprint(it.Decimals, unit)
	ne, ok := q.numbers[key]
	if !ok {
		ne = q.k.Kit().NewNumberEntry(it.Decimals, unit)
		ne.OnChanged = func() { q.msg.Say("") }
		ne.OnSubmitted = q.goNext
		q.numbers[key] = ne
	}
	ne.Clear()
	if q.had && q.prev.Number != nil {
		ne.SetValue(*q.prev.Number)
	}
	q.onNext = func() {
		n, ok := ne.Value()
		if !ok {
			q.msg.Say(q.k.problem(it))
			return
		}
		q.submit(screening.Answer{Number: &n})
	}
	q.focusOn = ne
	return ne
}

// when asks how long ago, or the date and time.
func (q *questionScreen) whenArea() fyne.CanvasObject {
	we := q.when
	we.Clear()
	if q.had && !q.prev.Declined {
		we.Set(q.prev)
	}
	q.onNext = func() {
		at, given, amount, ok := we.Value()
		if !ok {
			q.msg.Say(q.k.T("question.when_missing"))
			return
		}
		q.submit(screening.Answer{Time: &at, Given: given, Amount: amount})
	}
	q.focusOn = we.Focusable()
	return we
}

// freeText asks for a short text on the on-screen keyboard.
func (q *questionScreen) freeText() fyne.CanvasObject {
	q.entry.SetText("")
	if q.had {
		q.entry.SetText(q.prev.Text)
	}
	q.kb.SetTarget(q.entry)
	q.onNext = func() { q.submit(screening.Answer{Text: strings.TrimSpace(q.entry.Text)}) }
	q.focusOn = q.entry
	return q.textBox
}
