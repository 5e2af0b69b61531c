package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/printer"
	"intakekiosk/report"
	"intakekiosk/review"
	"intakekiosk/store"
)

// sessionText holds every word of the session view.
var sessionText = struct {
	Queue, Summary, Answers, Notes, NotesN, Print, Save, Review, Reviewed, Note,
	Scores, RedFlags, NoRedFlags, Also, Kratom, NoNotes, Incomplete, UrgentTitle,
	Page, Failed, NoteBy, Status, Printing, Printed, NoPrinter, PrintFailed, MarkedReviewed, NoteSaved string
}{
	Queue:          "Queue",
	Summary:        "Summary",
	Answers:        "Answers",
	Notes:          "Notes",
	NotesN:         "Notes (%d)",
	Print:          "Print",
	Save:           "Save PDF",
	Review:         "Mark reviewed",
	Reviewed:       "Reviewed",
	Note:           "Add note",
	Scores:         "Scores",
	RedFlags:       "Red flags for medical supervision",
	NoRedFlags:     "None raised by the answers given.",
	Also:           "Also flagged",
	Kratom:         "Kratom use",
	NoNotes:        "No counselor notes yet. Notes are sealed with the session and signed with your name; they never change what the patient entered.",
	Incomplete:     "Not submitted: the patient did not finish; these are the answers so far.",
	UrgentTitle:    "URGENT",
	Page:           "%s · page %d of %d",
	Failed:         "Could not open this session: ",
	NoteBy:         "%s, %s",
	Status:         "Status: %s",
	Printing:       "Sending to the printer…",
	Printed:        "Sent to the printer.",
	NoPrinter:      "No printer is set up. Use Save PDF instead.",
	PrintFailed:    "Could not print (%v). Use Save PDF instead.",
	MarkedReviewed: "Marked reviewed.",
	NoteSaved:      "Note saved.",
}

// The session view's tabs.
const (
	tabSummary = iota
	tabAnswers
	tabNotes
)

// answerRows is how many questions an answers page shows.
const answerRows = 5

// sessionView shows one session to staff: who, the urgent reasons, the
// scores, red flags and kratom profile (the words of the PDF's first
// page), every answer a page at a time, and the counselors' notes; with
// Print, Save PDF, Mark reviewed and Add note.
type sessionView struct {
	k      *Kiosk
	detail review.Detail
	facts  report.Facts
	tab    int
	page   int
	pages  []answerPage

	obj                         fyne.CanvasObject
	name, birth, visit, status  *widget.Label
	urgent                      *fyne.Container
	urgentLines                 *widget.Label
	tabs                        [3]*Button
	body                        *fyne.Container
	pageLabel                   *widget.Label
	prev, next                  *Button
	pager                       *fyne.Container
	msg                         *widget.Label
	print, save, reviewB, noteB *Button
	// running counts prints under way (tests wait for them)
	running sync.WaitGroup
}

// answerPage is a page of the answers tab: some questions of one
// instrument.
type answerPage struct {
	inst  report.InstrumentFacts
	items []report.ItemFact
	n, of int // the page's place within its instrument
}

func newSessionView(k *Kiosk) *sessionView {
	v := &sessionView{k: k, name: widget.NewLabel(""), birth: widget.NewLabel(""), visit: widget.NewLabel(""),
		status: widget.NewLabel(""), urgentLines: para(""), body: container.NewStack(), pageLabel: widget.NewLabel(""), msg: para("")}
	v.name.TextStyle = fyne.TextStyle{Bold: true}
	v.name.SizeName = theme.SizeNameSubHeadingText
	v.name.Truncation = fyne.TextTruncateEllipsis
	v.status.TextStyle = fyne.TextStyle{Bold: true}
	v.visit.Importance = widget.LowImportance
	v.urgentLines.TextStyle = fyne.TextStyle{Bold: true}
	v.msg.Hide()
	title := canvas.NewText(sessionText.UrgentTitle, theme.Color(theme.ColorNameError))
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.TextSize = 24
	bg := canvas.NewRectangle(urgentTint())
	bg.StrokeColor = theme.Color(theme.ColorNameError)
	bg.StrokeWidth = 3
	v.urgentLines.SizeName = theme.SizeNameCaptionText
	v.urgent = container.NewStack(bg, compact(container.NewPadded(container.NewBorder(nil, nil, container.NewPadded(title), nil, v.urgentLines))))

	back := k.t.newButton(sessionText.Queue, theme.NavigateBackIcon(), OptionHeight, k.backToQueue)
	for i, label := range []string{sessionText.Summary, sessionText.Answers, sessionText.Notes} {
		v.tabs[i] = k.t.newButton(label, nil, OptionHeight, func() { v.setTab(i) })
		v.tabs[i].minWidth = 150
	}
	v.prev = k.t.newButton("", theme.NavigateBackIcon(), OptionHeight, func() { v.turn(-1) })
	v.next = k.t.newButton("", theme.NavigateNextIcon(), OptionHeight, func() { v.turn(1) })
	v.pager = container.NewHBox(v.prev, v.pageLabel, v.next)

	v.print = k.t.newButton(sessionText.Print, theme.DocumentPrintIcon(), OptionHeight, v.printPDF)
	v.print.Importance = widget.HighImportance
	v.save = k.t.newButton(sessionText.Save, theme.DocumentSaveIcon(), OptionHeight, func() { k.showSave(v.detail) })
	v.reviewB = k.t.newButton(sessionText.Review, theme.ConfirmIcon(), OptionHeight, v.markReviewed)
	v.noteB = k.t.newButton(sessionText.Note, theme.DocumentCreateIcon(), OptionHeight, func() { k.showNote(v.detail.Session.ID) })

	v.visit.Truncation = fyne.TextTruncateEllipsis
	who := container.NewBorder(nil, nil, back, nil,
		compact(container.NewVBox(container.NewBorder(nil, nil, nil, v.birth, v.name), container.NewBorder(nil, nil, nil, v.status, v.visit))))
	tabs := container.NewBorder(nil, nil, container.NewHBox(v.tabs[0], v.tabs[1], v.tabs[2]), v.pager)
	top := container.NewVBox(who, v.urgent, tabs, widget.NewSeparator())
	actions := container.NewHBox(v.noteB, v.reviewB, v.save, v.print)
	nav := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewBorder(nil, nil, nil, actions, v.msg)))
	v.obj = container.NewBorder(container.NewPadded(top), nav, nil, nil, container.NewPadded(v.body))
	return v
}

// showSession opens a session for staff: audited as a view.
func (k *Kiosk) showSession(id string) {
	s := k.staff
	if s == nil {
		return
	}
	v := k.screens.session
	if v == nil {
		v = newSessionView(k)
		k.screens.session = v
	}
	d, err := review.Load(context.Background(), k.cfg.Staff, id, s.key, k.cfg.Catalog)
	if err != nil {
		k.cfg.Log.Error("could not open a session", "session", id, "err", err)
		k.screens.staffHome.queue.fail(err)
		return
	}
	if err := k.cfg.Staff.Audit(context.Background(), store.Entry{At: k.cfg.Now(), Actor: s.who.Name, Action: store.ActViewSession, Target: id}); err != nil {
		// a view that cannot be audited is not shown
		k.cfg.Log.Error("could not audit a session view", "session", id, "err", err)
		k.screens.staffHome.queue.fail(err)
		return
	}
	v.set(d)
	v.say("", false)
	v.setTab(tabSummary)
	k.show(ScreenSession, v.obj)
}

// set fills the view from a session read back.
func (v *sessionView) set(d review.Detail) {
	k := v.k
	v.detail = d
	facts, err := report.Describe(d.Input(k.cfg.Settings.ClinicName, k.cfg.Now(), k.location()))
	if err != nil {
		facts = report.Facts{}
	}
	v.facts = facts
	v.name.SetText(facts.Name)
	v.birth.SetText(facts.Birth)
	v.visit.SetText("Visit " + facts.Visit)
	v.status.SetText(fmt.Sprintf(sessionText.Status, statusWords(d.Session)))
	if len(facts.Urgent) > 0 {
		v.urgentLines.SetText(strings.Join(facts.Urgent, "\n"))
		v.urgent.Show()
	} else {
		v.urgentLines.SetText("")
		v.urgent.Hide()
	}
	v.tabs[tabNotes].SetText(sessionText.Notes)
	if n := len(d.Notes); n > 0 {
		v.tabs[tabNotes].SetText(fmt.Sprintf(sessionText.NotesN, n))
	}
	v.pages = nil
	for _, in := range facts.Instruments {
		of := max(1, (len(in.Items)+answerRows-1)/answerRows)
		for p := range of {
			end := min(len(in.Items), (p+1)*answerRows)
			v.pages = append(v.pages, answerPage{inst: in, items: in.Items[p*answerRows : end], n: p + 1, of: of})
		}
	}
	done := d.Session.Status == store.Reviewed || d.Session.Status == store.Printed
	finished := d.Session.Status != store.InProgress
	enable(v.reviewB, finished && !done)
	enable(v.noteB, finished)
	if done {
		v.reviewB.SetText(sessionText.Reviewed)
	} else {
		v.reviewB.SetText(sessionText.Review)
	}
}

// clear empties the view (at lock).
func (v *sessionView) clear() {
	v.detail, v.facts, v.pages = review.Detail{}, report.Facts{}, nil
	for _, l := range []*widget.Label{v.name, v.birth, v.visit, v.status, v.urgentLines, v.msg, v.pageLabel} {
		l.SetText("")
	}
	v.body.Objects = nil
	v.body.Refresh()
}

// say shows a message beside the buttons.
func (v *sessionView) say(text string, bad bool) {
	v.msg.Importance = widget.SuccessImportance
	if bad {
		v.msg.Importance = widget.DangerImportance
	}
	v.msg.SetText(text)
	v.msg.Hidden = text == ""
	v.msg.Refresh()
}

// setTab shows a tab from its first page.
func (v *sessionView) setTab(t int) {
	v.tab, v.page = t, 0
	for i, b := range v.tabs {
		if choose(&b.Importance, i == t) {
			b.Refresh()
		}
	}
	v.draw()
}

// turn moves a page of answers.
func (v *sessionView) turn(by int) {
	p := min(max(0, v.page+by), len(v.pages)-1)
	if p != v.page {
		v.page = p
		v.draw()
	}
}

// draw fills the body with the current tab.
func (v *sessionView) draw() {
	var obj fyne.CanvasObject
	v.pager.Hide()
	switch v.tab {
	case tabSummary:
		obj = v.summary()
	case tabAnswers:
		obj = v.answers()
	case tabNotes:
		obj = v.notes()
	}
	v.body.Objects = []fyne.CanvasObject{obj}
	v.body.Refresh()
}

// section is a small bold heading.
func section(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// small is a wrapped caption-size label.
func small(text string) *widget.Label {
	l := para(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// summary is the first tab: scores, red flags, kratom use.
func (v *sessionView) summary() fyne.CanvasObject {
	f := v.facts
	left := container.NewVBox(section(sessionText.Scores))
	if f.Incomplete {
		l := para(sessionText.Incomplete)
		l.Importance = widget.WarningImportance
		left.Add(l)
	}
	scores := container.New(layout.NewFormLayout())
	for _, s := range f.Scores {
		code := widget.NewLabel(s.Code)
		code.TextStyle = fyne.TextStyle{Bold: true}
		words := widget.NewLabel(s.Words)
		words.Importance = levelImportance(s.Level, s.Scored)
		words.Wrapping = fyne.TextWrapWord
		scores.Add(code)
		scores.Add(words)
	}
	left.Add(scores)
	right := container.NewVBox(section(sessionText.RedFlags))
	if len(f.RedFlags) == 0 {
		right.Add(para(sessionText.NoRedFlags))
	}
	flag := func(ff report.FlagFact, imp widget.Importance) {
		l := para("• " + ff.Label)
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Importance = imp
		right.Add(l)
		if ff.Evidence != "" {
			right.Add(small(ff.Evidence))
		}
	}
	for _, ff := range f.RedFlags {
		flag(ff, widget.DangerImportance)
	}
	if len(f.Other) > 0 {
		right.Add(section(sessionText.Also))
		for _, ff := range f.Other {
			flag(ff, widget.WarningImportance)
		}
	}
	if len(f.Kratom) > 0 {
		left.Add(section(sessionText.Kratom))
		for i, l := range f.Kratom {
			p := small(l)
			if i == 0 {
				p = para(l)
				p.TextStyle = fyne.TextStyle{Bold: true}
			}
			left.Add(p)
		}
	}
	// a long session's flags may not fit: this column scrolls rather
	// than clip
	return container.NewGridWithColumns(2, container.NewVScroll(compact(left)), container.NewVScroll(compact(right)))
}

// levelImportance colours a band by its level of concern.
func levelImportance(level int, scored bool) widget.Importance {
	switch {
	case !scored:
		return widget.WarningImportance
	case level >= 3:
		return widget.DangerImportance
	case level == 2:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// answers is the second tab: a page of one instrument's questions.
func (v *sessionView) answers() fyne.CanvasObject {
	if len(v.pages) == 0 {
		return para("")
	}
	p := v.pages[v.page]
	v.pageLabel.SetText(fmt.Sprintf(sessionText.Page, p.inst.Code, p.n, p.of))
	enable(v.prev, v.page > 0)
	enable(v.next, v.page < len(v.pages)-1)
	v.pager.Show()
	title := p.inst.Code
	if p.inst.Title != title {
		title += ": " + p.inst.Title
	}
	head := section(title)
	head.Truncation = fyne.TextTruncateEllipsis
	total := widget.NewLabel(p.inst.Total)
	total.TextStyle = fyne.TextStyle{Bold: true}
	rows := container.NewVBox()
	for _, it := range p.items {
		q := small(fmt.Sprintf("%d. %s", it.Number, it.Question))
		a := para(strings.Join(it.Answer, "\n"))
		a.TextStyle = fyne.TextStyle{Bold: it.Asked}
		switch {
		case it.Flagged && it.Answered:
			a.Importance = widget.DangerImportance
		case !it.Asked:
			a.Importance = widget.LowImportance
		case !it.Answered:
			a.Importance = widget.WarningImportance
		}
		if it.Points != "" {
			a.SetText(a.Text + "  (" + it.Points + ")")
		}
		rows.Add(container.NewGridWithColumns(2, q, a))
		rows.Add(widget.NewSeparator())
	}
	return container.NewBorder(container.NewBorder(nil, nil, nil, total, head), nil, nil, nil, compact(rows))
}

// notes is the third tab: the counselors' notes, oldest first.
func (v *sessionView) notes() fyne.CanvasObject {
	box := container.NewVBox()
	if len(v.detail.Notes) == 0 {
		box.Add(para(sessionText.NoNotes))
	}
	loc := v.k.location()
	for _, n := range v.detail.Notes {
		by := widget.NewLabel(fmt.Sprintf(sessionText.NoteBy, n.By, n.At.In(loc).Format("Jan 2, 2006 3:04 PM")))
		by.TextStyle = fyne.TextStyle{Bold: true}
		by.Importance = widget.LowImportance
		box.Add(by)
		box.Add(para(n.Text))
	}
	return container.NewVScroll(box)
}

// reload reads the session again (after a note or a status change) and
// stays on the tab shown.
func (v *sessionView) reload() {
	k := v.k
	if k.staff == nil || v.detail.Session.ID == "" {
		return
	}
	id := v.detail.Session.ID
	k.staff.index.Forget(id)
	d, err := review.Load(context.Background(), k.cfg.Staff, id, k.staff.key, k.cfg.Catalog)
	if err != nil {
		v.say(sessionText.Failed+err.Error(), true)
		return
	}
	tab, page := v.tab, v.page
	v.set(d)
	v.tab, v.page = tab, min(page, max(0, len(v.pages)-1))
	v.draw()
}

// markReviewed records that the counselor reviewed the session.
func (v *sessionView) markReviewed() {
	k := v.k
	if k.staff == nil {
		return
	}
	err := k.cfg.Staff.MarkReviewed(context.Background(), v.detail.Session.ID, k.staff.who.Name, k.cfg.Now())
	if err != nil {
		k.cfg.Log.Error("could not mark a session reviewed", "session", v.detail.Session.ID, "err", err)
		v.say(err.Error(), true)
		return
	}
	v.reload()
	v.say(sessionText.MarkedReviewed, false)
}

// printPDF draws the summary and sends it to the printer away from the
// Fyne thread; the PDF lives in memory only.
func (v *sessionView) printPDF() {
	k := v.k
	if k.staff == nil || k.cfg.Print == nil {
		v.say(sessionText.NoPrinter, true)
		return
	}
	d, who, now, loc, clinic := v.detail, k.staff.who.Name, k.cfg.Now(), k.location(), k.cfg.Settings.ClinicName
	v.print.Disable()
	v.say(sessionText.Printing, false)
	v.running.Add(1)
	go func() {
		defer v.running.Done()
		var buf bytes.Buffer
		err := d.WritePDF(&buf, clinic, now, loc)
		if err == nil {
			// the job's title is seen in the print queue: no patient data
			err = k.cfg.Print(review.JobTitle(d.Session.ID), &buf)
		}
		if err == nil {
			err = k.cfg.Staff.MarkPrinted(context.Background(), d.Session.ID, who, "printed", now)
		}
		clear(buf.Bytes())
		fyne.Do(func() {
			v.print.Enable()
			if v.detail.Session.ID != d.Session.ID || k.staff == nil {
				return
			}
			switch {
			case errors.Is(err, printer.ErrNoPrinter):
				v.say(sessionText.NoPrinter, true)
			case err != nil:
				k.cfg.Log.Error("could not print a summary", "session", d.Session.ID, "err", err)
				v.say(fmt.Sprintf(sessionText.PrintFailed, err), true)
			default:
				v.reload()
				v.say(sessionText.Printed, false)
			}
		})
	}()
}
