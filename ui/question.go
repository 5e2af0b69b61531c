package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/store"
)

// lang is the patient's language; Spanish arrives with the translation
// issue.
const lang = "en"

// Options per page of a choice question: one column up to singleColumn,
// then two columns up to perPage, then paging buttons.
const (
	// longQuestion is the length past which a question is set a size
	// smaller, so that it and its answers fit without scrolling.
	longQuestion = 60
	singleColumn = 5
	perPage      = 10
)

// firstQuestion goes to the first question, or the review screen when no
// instrument is enabled.
func (k *Kiosk) firstQuestion() {
	if st, ok := k.visit.sess.Next(screening.Key{}, k.cfg.Now()); ok {
		k.showQuestion(st)
		return
	}
	k.showReview(0)
}

// questionScreen is one question on screen.
type questionScreen struct {
	k    *Kiosk
	st   screening.Step
	msg  notice
	prev screening.Answer
	had  bool
}

// showQuestion shows one question with its answer widgets.
func (k *Kiosk) showQuestion(st screening.Step) {
	v := k.visit
	v.at = st.Key()
	q := &questionScreen{k: k, st: st}
	q.prev, q.had = v.sess.Answer(st.Key())
	q.msg = newNotice()

	in, it := st.Instrument, st.Item
	progress := widget.NewLabel(fmt.Sprintf("Question %d of %d — %s", st.N, st.Of, in.ShortTitle.In(lang)))
	progress.Importance = widget.HighImportance
	progress.TextStyle = fyne.TextStyle{Bold: true}
	head := []fyne.CanvasObject{progress}
	if intro := in.Intro.In(lang); intro != "" {
		head = append(head, para(intro))
	}
	text := heading(it.Text.In(lang))
	if len([]rune(text.Text)) > longQuestion {
		text.SizeName = theme.SizeNameSubHeadingText
	}
	head = append(head, text)
	if hint := it.Hint.In(lang); hint != "" {
		h := para(hint)
		h.SizeName = theme.SizeNameCaptionText
		head = append(head, h)
	}

	var right []fyne.CanvasObject
	if in.CanDecline(it) {
		decline := k.t.newButton("Prefer not to answer", nil, OptionHeight, func() {
			q.submit(screening.Answer{Declined: true})
		})
		if q.had && q.prev.Declined {
			decline.Importance = widget.HighImportance
			decline.Icon = theme.ConfirmIcon()
		}
		right = append(right, decline)
	}
	var area fyne.CanvasObject
	switch it.Kind {
	case screening.Single:
		area = q.single(0)
	case screening.Multi:
		var next *Button
		area, next = q.multi()
		right = append(right, next)
	case screening.Number:
		var next *Button
		area, next = q.number()
		right = append(right, next)
	case screening.When:
		var next *Button
		area, next = q.when()
		right = append(right, next)
	case screening.Free:
		var next *Button
		area, next = q.text()
		right = append(right, next)
	}
	back := k.backButton(q.back)
	body := append(head, q.msg.Label)
	k.show(ScreenQuestion, container.NewBorder(container.NewPadded(container.NewVBox(body...)),
		navBar(back, right...), nil, nil, container.NewPadded(area)))
}

// back goes to the question before, or to the date of birth.
func (q *questionScreen) back() {
	k := q.k
	if k.visit.review {
		k.showReview(0)
		return
	}
	if st, ok := k.visit.sess.Prev(q.st.Key(), k.cfg.Now()); ok {
		k.showQuestion(st)
		return
	}
	k.showBirth()
}

// submit checks, commits and applies an answer, then moves on: to the
// next question, or after a change on the review screen to the next one
// branching opened, or back to the review.
func (q *questionScreen) submit(a screening.Answer) {
	k, v := q.k, q.k.visit
	now := k.cfg.Now()
	a.Instrument, a.Item, a.At = q.st.Instrument.ID, q.st.Item.ID, now
	if err := q.st.Item.Validate(a, now); err != nil {
		q.msg.say(problem(q.st.Item))
		return
	}
	if err := k.record(store.Payload{Answer: &a}); err != nil {
		k.failed(err, func() { q.submit(a) })
		return
	}
	raised, err := v.sess.Set(a, now)
	if err != nil { // checked above; a bug if it happens
		k.cfg.Log.Error("answer refused after saving", "err", err)
	}
	if v.sess.Urgent(now) {
		if err := k.markUrgent(); err != nil {
			k.cfg.Log.Error("could not mark urgent", "session", v.id, "err", err)
		}
	}
	var next screening.Step
	var ok bool
	if v.review {
		next, ok = v.sess.NextUnanswered(q.st.Key(), now)
	} else {
		next, ok = v.sess.Next(q.st.Key(), now)
	}
	if ok {
		k.showQuestion(next)
	} else {
		k.showReview(0)
	}
	if len(raised) > 0 {
		k.showCrisis()
	}
}

// problem is what the patient is told when an answer does not fit.
func problem(it *screening.Item) string {
	switch it.Kind {
	case screening.Multi:
		return "Please choose at least one answer, or tap Prefer not to answer."
	case screening.Number:
		return fmt.Sprintf("Please enter a number from %s to %s.",
			screening.FormatNumber(*it.Min, it.Decimals), screening.FormatNumber(*it.Max, it.Decimals))
	case screening.When:
		return "Please check the time: it cannot be in the future."
	case screening.Free:
		return "Please type a short answer, or tap Prefer not to answer."
	}
	return "Please choose one answer."
}

// optionGrid lays out answer buttons: one column for a few, two for more,
// with paging buttons past perPage (no scrolling on a touchscreen).
func (q *questionScreen) optionGrid(buttons []fyne.CanvasObject, pageNo int, repage func(int)) fyne.CanvasObject {
	if len(buttons) <= singleColumn {
		return container.NewVBox(buttons...)
	}
	pages := (len(buttons) + perPage - 1) / perPage
	pageNo = min(max(pageNo, 0), pages-1)
	shown := buttons[pageNo*perPage : min(len(buttons), (pageNo+1)*perPage)]
	grid := container.NewGridWithColumns(2, shown...)
	if pages == 1 {
		return grid
	}
	prev := q.k.t.newButton("Previous choices", theme.NavigateBackIcon(), OptionHeight, func() { repage(pageNo - 1) })
	more := q.k.t.newButton("More choices", theme.NavigateNextIcon(), OptionHeight, func() { repage(pageNo + 1) })
	more.IconPlacement = widget.ButtonIconTrailingText
	if pageNo == 0 {
		prev.Disable()
	}
	if pageNo == pages-1 {
		more.Disable()
	}
	label := widget.NewLabel(fmt.Sprintf("Page %d of %d", pageNo+1, pages))
	return container.NewVBox(grid, container.NewHBox(prev, layout.NewSpacer(), label, layout.NewSpacer(), more))
}

// single shows one button per option; a tap answers and moves on.
func (q *questionScreen) single(pageNo int) fyne.CanvasObject {
	var buttons []fyne.CanvasObject
	for _, o := range q.st.Item.Options {
		b := q.k.t.newButton(o.Label.In(lang), nil, OptionHeight, func() {
			q.submit(screening.Answer{Choice: o.Value})
		})
		b.Alignment = widget.ButtonAlignLeading
		if q.had && !q.prev.Declined && q.prev.Choice == o.Value {
			b.Importance = widget.HighImportance
			b.Icon = theme.ConfirmIcon()
		}
		buttons = append(buttons, b)
	}
	var holder *fyne.Container
	holder = container.NewStack(q.optionGrid(buttons, pageNo, func(p int) {
		holder.Objects = []fyne.CanvasObject{q.single(p)}
		holder.Refresh()
	}))
	return holder
}

// multi shows toggles for each option and a Next button.
func (q *questionScreen) multi() (fyne.CanvasObject, *Button) {
	it := q.st.Item
	chosen := map[string]bool{}
	if q.had {
		for _, c := range q.prev.Choices {
			chosen[c] = true
		}
	}
	next := q.k.nextButton("Next", func() {
		var cs []string
		for _, o := range it.Options {
			if chosen[o.Value] {
				cs = append(cs, o.Value)
			}
		}
		q.submit(screening.Answer{Choices: cs})
	})
	buttons := make([]*Button, len(it.Options))
	paint := func() {
		any := false
		for i, o := range it.Options {
			b := buttons[i]
			if chosen[o.Value] {
				b.Importance, b.Icon, any = widget.HighImportance, theme.CheckButtonCheckedIcon(), true
			} else {
				b.Importance, b.Icon = widget.MediumImportance, theme.CheckButtonIcon()
			}
			b.Refresh()
		}
		if any {
			next.Enable()
		} else {
			next.Disable()
		}
	}
	objs := make([]fyne.CanvasObject, len(it.Options))
	for i, o := range it.Options {
		buttons[i] = q.k.t.newButton(o.Label.In(lang), nil, OptionHeight, func() {
			q.msg.say("")
			if chosen[o.Value] {
				delete(chosen, o.Value)
			} else {
				if o.Exclusive {
					clear(chosen)
				} else {
					for _, x := range it.Options {
						if x.Exclusive {
							delete(chosen, x.Value)
						}
					}
				}
				chosen[o.Value] = true
			}
			paint()
		})
		buttons[i].Alignment = widget.ButtonAlignLeading
		objs[i] = buttons[i]
	}
	paint()
	var holder *fyne.Container
	var repage func(int)
	repage = func(p int) {
		holder.Objects = []fyne.CanvasObject{q.optionGrid(objs, p, repage)}
		holder.Refresh()
	}
	holder = container.NewStack(q.optionGrid(objs, 0, repage))
	if it.Hint.In(lang) == "" {
		hint := widget.NewLabel("Choose all that apply, then tap Next.")
		hint.SizeName = theme.SizeNameCaptionText
		return container.NewVBox(hint, holder), next
	}
	return holder, next
}

// number shows a keypad for a number with its unit.
func (q *questionScreen) number() (fyne.CanvasObject, *Button) {
	it := q.st.Item
	ne := q.k.t.newNumberEntry(it.Decimals, it.Unit.In(lang))
	if q.had && q.prev.Number != nil {
		ne.SetValue(*q.prev.Number)
	}
	ne.OnChanged = func() { q.msg.say("") }
	next := q.k.nextButton("Next", func() {
		n, ok := ne.Value()
		if !ok {
			q.msg.say(problem(it))
			return
		}
		q.submit(screening.Answer{Number: &n})
	})
	q.k.focus(ne)
	return ne, next
}

// when asks how long ago, or the date and time.
func (q *questionScreen) when() (fyne.CanvasObject, *Button) {
	we := q.k.t.newWhenEntry(q.k.cfg.Now)
	if q.had && !q.prev.Declined {
		we.Set(q.prev)
	}
	we.OnChanged = func() { q.msg.say("") }
	next := q.k.nextButton("Next", func() {
		at, given, amount, ok := we.Value()
		if !ok {
			q.msg.say("Please say how many hours or days ago, or pick the date and time.")
			return
		}
		q.submit(screening.Answer{Time: &at, Given: given, Amount: amount})
	})
	return we, next
}

// text asks for a short text on the on-screen keyboard.
func (q *questionScreen) text() (fyne.CanvasObject, *Button) {
	entry := widget.NewEntry()
	if q.had {
		entry.SetText(q.prev.Text)
	}
	kb := q.k.t.newKeyboard(entry)
	next := q.k.nextButton("Next", func() {
		q.submit(screening.Answer{Text: strings.TrimSpace(entry.Text)})
	})
	entry.OnSubmitted = func(string) { next.OnTapped() }
	q.k.focus(entry)
	return container.NewVBox(entry, kb.Object()), next
}

// showReview lists every question asked with its answer, a page at a
// time; a tap on Change goes back to that question.
func (k *Kiosk) showReview(pageNo int) {
	v := k.visit
	v.review = false
	now := k.cfg.Now()
	steps := v.sess.Steps(now)
	const rows = 6
	pages := max(1, (len(steps)+rows-1)/rows)
	pageNo = min(max(pageNo, 0), pages-1)
	list := []fyne.CanvasObject{heading("Please check your answers")}
	for _, st := range steps[pageNo*rows : min(len(steps), (pageNo+1)*rows)] {
		answer := "Not answered"
		if a, ok := v.sess.Answer(st.Key()); ok {
			answer = screening.Describe(st.Item, a, lang, now)
		}
		ql := widget.NewLabel(fmt.Sprintf("%s %d. %s", st.Instrument.ShortTitle.In(lang), st.N, st.Item.Text.In(lang)))
		ql.Truncation = fyne.TextTruncateEllipsis
		al := widget.NewLabel(answer)
		al.TextStyle = fyne.TextStyle{Bold: true}
		al.Truncation = fyne.TextTruncateEllipsis
		change := k.t.newButton("Change", theme.DocumentCreateIcon(), OptionHeight, func() {
			v.review = true
			k.showQuestion(st)
		})
		list = append(list, container.NewBorder(nil, nil, nil, change, container.NewGridWithColumns(2, ql, al)))
	}
	prev := k.t.newButton("Previous", theme.NavigateBackIcon(), OptionHeight, func() { k.showReview(pageNo - 1) })
	more := k.t.newButton("More answers", theme.NavigateNextIcon(), OptionHeight, func() { k.showReview(pageNo + 1) })
	more.IconPlacement = widget.ButtonIconTrailingText
	if pageNo == 0 {
		prev.Disable()
	}
	if pageNo == pages-1 {
		more.Disable()
	}
	pager := container.NewHBox(prev, layout.NewSpacer(), widget.NewLabel(fmt.Sprintf("Page %d of %d", pageNo+1, pages)), layout.NewSpacer(), more)
	submit := k.nextButton("Submit my answers", k.submitVisit)
	back := k.backButton(func() {
		if len(steps) > 0 {
			k.showQuestion(steps[len(steps)-1])
			return
		}
		k.showBirth()
	})
	k.show(ScreenReview, page(navBar(back, submit), append(list, pager)...))
}

// submitVisit commits the session as complete and thanks the patient.
func (k *Kiosk) submitVisit() {
	v := k.visit
	if err := k.cfg.Store.Complete(context.Background(), v.id, k.cfg.Now()); err != nil {
		k.failed(err, k.submitVisit)
		return
	}
	v.done = true
	k.cfg.Log.Info("session completed", "session", v.id)
	k.showFinish()
}
