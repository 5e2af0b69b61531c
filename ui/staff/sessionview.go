package staff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/printer"
	"intakekiosk/review"
	"intakekiosk/summary"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// sessionText holds every word of the session view, from the
// catalog's staff.session.* keys.
var sessionText = staffWords[struct {
	Queue, Summary, Answers, Notes, Checkins, Checkin, NotesN, Print, Save, Review, Reviewed, Note,
	Scores, RedFlags, NoRedFlags, Also, Kratom, NoNotes, Incomplete, UrgentTitle, AttentionTitle,
	Page, Failed, NoteBy, Status, Printing, Printed, NoPrinter, PrintFailed, NotRecorded, MarkedReviewed, NoteSaved, MoreUrgent,
	NotOpened string
}]("session")

// The session view's tabs.
const (
	tabSummary = iota
	tabAnswers
	tabNotes
	tabCheckins
	tabConsent
	nTabs
)

// sessionView shows one session to staff: who, the urgent reasons, the
// scores, red flags and kratom profile (the words of the PDF's first
// page), every answer a page at a time, and the counselors' notes; with
// Print, Save PDF, Mark reviewed and Add note.
type sessionView struct {
	k      *mode
	detail review.Detail
	facts  summary.Facts
	tab    int
	page   int
	// pages are each tab's pages, built when the session is set
	pages [nTabs][]fyne.CanvasObject
	// patient is the patient of the session, read when the check-ins tab
	// is first shown (nil before, or when there is none)
	patient *review.Patient
	// consent is the consent that governs the session, read when the
	// consent tab is first shown (nil before)
	consent *desk.Consent

	obj                         fyne.CanvasObject
	name, birth, visit, status  *widget.Label
	urgent, attention           *fyne.Container
	urgentLines, attentionLines *widget.Label
	tabs                        [nTabs]*touch.Button
	body                        *fyne.Container
	pageLabel                   *widget.Label
	prev, next                  *touch.Button
	pager                       *fyne.Container
	// msg is the message beside the buttons ("Saved to …"), in room kept
	// for it: a long one never moves the view nor grows the window
	msg                         touch.Notice
	print, save, reviewB, noteB *touch.Button
	// takeHome prints the patient's take-home sheet
	takeHome *touch.Button
	// top and nav are the view's fixed parts: the body gets the rest
	top, nav fyne.CanvasObject
	// printing is set while a print is under way (its button waits)
	printing bool
}

func newSessionView(k *mode) *sessionView {
	v := &sessionView{k: k, name: widget.NewLabel(""), birth: widget.NewLabel(""), visit: widget.NewLabel(""),
		status: widget.NewLabel(""), urgentLines: touch.Para(""), attentionLines: touch.Para(""), body: container.NewStack(), pageLabel: widget.NewLabel(""), msg: touch.NewNavNotice()}
	v.name.TextStyle = fyne.TextStyle{Bold: true}
	v.name.SizeName = theme.SizeNameSubHeadingText
	v.name.Truncation = fyne.TextTruncateEllipsis
	v.status.TextStyle = fyne.TextStyle{Bold: true}
	v.visit.Importance = widget.LowImportance
	v.urgent = concernBox(sessionText.UrgentTitle, theme.Color(theme.ColorNameError), v.urgentLines)
	v.attention = concernBox(sessionText.AttentionTitle, theme.Color(theme.ColorNameWarning), v.attentionLines)

	back := k.Kit().NewButton(sessionText.Queue, theme.NavigateBackIcon(), touch.OptionHeight, k.backToQueue)
	for i, label := range []string{sessionText.Summary, sessionText.Answers, sessionText.Notes, sessionText.Checkins, consentText.Tab} {
		v.tabs[i] = k.Kit().NewButton(label, nil, touch.OptionHeight, func() { v.setTab(i) })
		v.tabs[i].MinWidth = 150
	}
	v.prev = k.Kit().NewButton("", theme.NavigateBackIcon(), touch.OptionHeight, func() { v.turn(-1) })
	v.next = k.Kit().NewButton("", theme.NavigateNextIcon(), touch.OptionHeight, func() { v.turn(1) })
	v.pager = container.NewHBox(v.prev, v.pageLabel, v.next)

	v.print = k.Kit().NewButton(sessionText.Print, theme.DocumentPrintIcon(), touch.OptionHeight, v.printPDF)
	v.print.Importance = widget.HighImportance
	v.save = k.Kit().NewButton(sessionText.Save, theme.DocumentSaveIcon(), touch.OptionHeight, func() { k.showSave(v.detail) })
	v.takeHome = k.Kit().NewButton(takeHomeText.Button, theme.DocumentPrintIcon(), touch.OptionHeight, v.printTakeHome)
	v.reviewB = k.Kit().NewButton(sessionText.Review, theme.ConfirmIcon(), touch.OptionHeight, v.markReviewed)
	v.noteB = k.Kit().NewButton(sessionText.Note, theme.DocumentCreateIcon(), touch.OptionHeight, func() { k.showNote(v.detail.Session.ID) })

	v.visit.Truncation = fyne.TextTruncateEllipsis
	who := container.NewBorder(nil, nil, back, nil,
		touch.Compact(container.NewVBox(container.NewBorder(nil, nil, nil, v.birth, v.name), container.NewBorder(nil, nil, nil, v.status, v.visit))))
	tabs := container.NewBorder(nil, nil, container.NewHBox(v.tabs[0], v.tabs[1], v.tabs[2], v.tabs[3], v.tabs[4]), v.pager)
	top := container.NewVBox(who, v.urgent, v.attention, tabs, widget.NewSeparator())
	actions := container.NewHBox(v.noteB, v.reviewB, v.takeHome, v.save, v.print)
	nav := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewBorder(nil, nil, nil, actions, v.msg)))
	v.top, v.nav = container.NewPadded(top), nav
	v.obj = container.NewBorder(v.top, nav, nil, nil, container.NewPadded(v.body))
	return v
}

// concernBox is the banner of a concern under the session's header: its
// title in the mark's colour and its reasons beside it.
func concernBox(title string, mark color.Color, lines *widget.Label) *fyne.Container {
	t := canvas.NewText(title, mark)
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.TextSize = 24
	bg := canvas.NewRectangle(tint(mark))
	bg.StrokeColor = mark
	bg.StrokeWidth = 3
	lines.TextStyle = fyne.TextStyle{Bold: true}
	lines.SizeName = theme.SizeNameCaptionText
	box := container.NewStack(bg, touch.Compact(container.NewPadded(container.NewBorder(nil, nil, container.NewPadded(t), nil, lines))))
	box.Hide()
	return box
}

// showSession opens a session for staff: audited as a view.
func (k *mode) showSession(id string) {
	s := k.on
	if s == nil {
		return
	}
	v := ui.Screen[*sessionView](k.Kiosk, ui.ScreenSession)
	// a view that cannot be audited is not shown
	d, err := s.desk.Open(context.Background(), id)
	if err != nil {
		k.Config().Log.Error("could not open a session", "session", id, "err", err)
		k.queue().warn(sessionText.NotOpened + err.Error())
		return
	}
	v.set(d)
	v.say("", false)
	v.setTab(tabSummary)
	k.Show(ui.ScreenSession, v.obj)
}

// set fills the view from a session read back.
func (v *sessionView) set(d review.Detail) {
	k := v.k
	v.detail = d
	in := d.Input(k.Config().Settings.ClinicName, k.Config().Now(), k.Location())
	in.Words = k.Config().Messages
	facts, err := summary.Describe(in)
	if err != nil {
		facts = summary.Facts{}
	}
	v.facts = facts
	v.name.SetText(facts.Name)
	v.birth.SetText(facts.Birth)
	v.visit.SetText("Visit " + facts.Visit)
	v.status.SetText(fmt.Sprintf(sessionText.Status, statusWords(d.Session)))
	// three lines at most between the two banners: the summary tab and
	// the PDF have the rest
	v.banner(v.urgent, v.urgentLines, facts.Urgent, 3)
	v.banner(v.attention, v.attentionLines, facts.Attention, max(1, 3-len(facts.Urgent)))
	v.tabs[tabNotes].SetText(sessionText.Notes)
	if n := len(d.Notes); n > 0 {
		v.tabs[tabNotes].SetText(fmt.Sprintf(sessionText.NotesN, n))
	}
	v.patient, v.consent = nil, nil
	v.tabs[tabCheckins].Hidden = d.Session.Kind != intakekiosk.Screening && d.Session.PatientID == ""
	v.pages = [nTabs][]fyne.CanvasObject{
		tabSummary: v.summaryPages(v.budget()),
		tabAnswers: touch.FlowPages(v.answerBlocks(), v.budget()),
		tabNotes:   touch.FlowPages(v.noteBlocks(), v.budget()),
	}
	done := !d.Session.Reviewed.IsZero()
	// a session the patient is still answering is not final: it is not
	// printed, saved, reviewed or noted
	finished := d.Session.Status != intakekiosk.InProgress
	touch.Enable(v.reviewB, finished && !done)
	touch.Enable(v.noteB, finished)
	touch.Enable(v.save, finished)
	if !v.printing {
		touch.Enable(v.print, finished)
		touch.Enable(v.takeHome, v.canTakeHome())
	}
	if done {
		v.reviewB.SetText(sessionText.Reviewed)
	} else {
		v.reviewB.SetText(sessionText.Review)
	}
}

// banner shows lines in a concern's box, n at most (the last saying how
// many more), or hides it when there are none.
func (v *sessionView) banner(box *fyne.Container, label *widget.Label, lines []string, n int) {
	if len(lines) == 0 {
		label.SetText("")
		box.Hide()
		return
	}
	if len(lines) > n {
		lines = append(lines[:n-1:n-1], fmt.Sprintf(sessionText.MoreUrgent, len(lines)-n+1))
	}
	label.SetText(strings.Join(lines, "\n"))
	box.Show()
}

// budget is the height a page of the body may take: the window's, less
// the header (with its urgent banner as filled) and the buttons.
func (v *sessionView) budget() float32 {
	h := float32(800)
	if c := v.k.Window().Canvas(); c != nil && c.Size().Height > 0 {
		h = c.Size().Height
	}
	pad := theme.Padding()
	// the border's gaps, the body's own padding, and a margin for
	// estimates of wrapped text
	return h - v.top.MinSize().Height - v.nav.MinSize().Height - 4*pad - 12
}

// clear empties the view (at lock).
func (v *sessionView) Clear() {
	v.detail, v.facts, v.pages, v.patient, v.consent = review.Detail{}, summary.Facts{}, [nTabs][]fyne.CanvasObject{}, nil, nil
	for _, l := range []*widget.Label{v.name, v.birth, v.visit, v.status, v.urgentLines, v.pageLabel} {
		l.SetText("")
	}
	v.msg.Say("")
	v.body.Objects = nil
	v.body.Refresh()
}

// say shows a message beside the buttons.
func (v *sessionView) say(text string, bad bool) {
	v.msg.Importance = widget.SuccessImportance
	if bad {
		v.msg.Importance = widget.DangerImportance
	}
	v.msg.Say(text)
}

// setTab shows a tab from its first page.
func (v *sessionView) setTab(t int) {
	if t == tabCheckins && v.pages[tabCheckins] == nil {
		v.pages[tabCheckins] = v.checkinPages()
	}
	if t == tabConsent && v.pages[tabConsent] == nil {
		v.pages[tabConsent] = v.consentPages()
	}
	v.tab, v.page = t, 0
	for i, b := range v.tabs {
		if touch.Choose(&b.Importance, i == t) {
			b.Refresh()
		}
	}
	v.draw()
}

// turn moves a page of the tab shown.
func (v *sessionView) turn(by int) {
	p := min(max(0, v.page+by), len(v.pages[v.tab])-1)
	if p != v.page {
		v.page = p
		v.draw()
	}
}

// draw shows the current page of the tab shown, with the pager when the
// tab has more than one.
func (v *sessionView) draw() {
	pages := v.pages[v.tab]
	if len(pages) == 0 {
		v.body.Objects = nil
		v.body.Refresh()
		return
	}
	v.page = min(v.page, len(pages)-1)
	if len(pages) > 1 {
		v.pageLabel.SetText(fmt.Sprintf(sessionText.Page, v.tabs[v.tab].Text, v.page+1, len(pages)))
		touch.Enable(v.prev, v.page > 0)
		touch.Enable(v.next, v.page < len(pages)-1)
		v.pager.Show()
	} else {
		v.pager.Hide()
	}
	v.body.Objects = []fyne.CanvasObject{pages[v.page]}
	v.body.Refresh()
}

// reload reads the session again (after a note or a status change) and
// stays on the tab shown.
func (v *sessionView) reload() {
	k := v.k
	if k.on == nil || v.detail.Session.ID == "" {
		return
	}
	d, err := k.on.desk.Read(context.Background(), v.detail.Session.ID)
	if err != nil {
		v.say(sessionText.Failed+err.Error(), true)
		return
	}
	tab, page := v.tab, v.page
	v.set(d)
	v.tab, v.page = tab, page
	switch tab {
	case tabCheckins:
		v.pages[tabCheckins] = v.checkinPages()
	case tabConsent:
		v.pages[tabConsent] = v.consentPages()
	}
	v.draw()
}

// restatus reads the session's row again after its status changed
// (reviewed, printed, saved): the records are the same, so they are not
// opened again, nor are the patient's check-ins.
func (v *sessionView) restatus() {
	k := v.k
	if k.on == nil || v.detail.Session.ID == "" {
		return
	}
	ss, err := k.on.desk.Row(context.Background(), v.detail.Session.ID)
	if err != nil {
		v.say(sessionText.Failed+err.Error(), true)
		return
	}
	d := v.detail
	d.Session = ss
	tab, page, patient, checkins := v.tab, v.page, v.patient, v.pages[tabCheckins]
	consent, consentPages := v.consent, v.pages[tabConsent]
	v.set(d)
	v.tab, v.page, v.patient, v.pages[tabCheckins] = tab, page, patient, checkins
	v.consent, v.pages[tabConsent] = consent, consentPages
	v.draw()
}

// markReviewed records that the counselor reviewed the session.
func (v *sessionView) markReviewed() {
	k := v.k
	if k.on == nil {
		return
	}
	err := k.on.desk.Reviewed(context.Background(), v.detail.Session.ID)
	if err != nil {
		k.Config().Log.Error("could not mark a session reviewed", "session", v.detail.Session.ID, "err", err)
		v.say(err.Error(), true)
		return
	}
	v.restatus()
	v.say(sessionText.MarkedReviewed, false)
}

// printPDF prints the session's summary and records it as printed.
func (v *sessionView) printPDF() {
	k := v.k
	if k.on == nil {
		return
	}
	d, staff, loc, clinic := v.detail, k.on.desk, k.Location(), k.Config().Settings.ClinicName
	if d.Session.Status == intakekiosk.InProgress {
		return // the button is off: nothing is printed before the patient is done
	}
	v.printDoc(printJob{title: review.JobTitle(d.Session.ID),
		draw:      func(w io.Writer) error { return staff.Summary(w, d, clinic, loc) },
		record:    func() error { return staff.Printed(context.Background(), d.Session.ID, "printed") },
		noPrinter: sessionText.NoPrinter, marks: true})
}

// printJob is a document printed from the session view.
type printJob struct {
	// title is seen in the print queue: no patient data
	title string
	// draw draws the document; record puts the print on record
	draw   func(io.Writer) error
	record func() error
	// noPrinter says what to do when no printer is set up
	noPrinter string
	// marks: the print changes the session's status (the summary), so
	// the view is read again after it
	marks bool
	// after, when set, runs once the print is done and on record, while
	// the session is still shown
	after func()
}

// printDoc draws a document in memory and sends it to the printer away
// from the Fyne thread, then records it (record); the job's title is
// seen in the print queue, so it carries no patient data.
func (v *sessionView) printDoc(job printJob) {
	k := v.k
	if k.on == nil {
		return
	}
	if k.Config().Print == nil {
		v.say(job.noPrinter, true)
		return
	}
	id := v.detail.Session.ID
	v.printing = true
	v.print.Disable()
	v.takeHome.Disable()
	v.say(sessionText.Printing, false)
	k.Config().Go(func() {
		var buf bytes.Buffer
		err := job.draw(&buf)
		printed := false
		if err == nil {
			err = k.Config().Print(job.title, &buf)
			printed = err == nil
		}
		if err == nil {
			err = job.record()
		}
		clear(buf.Bytes())
		fyne.Do(func() { v.printed(id, job, printed, err) })
	})
}

// printed takes a print's outcome on the Fyne thread. It is logged and
// told even when the counselor has moved on: on the session view when it
// is still shown, else on the queue's status line.
func (v *sessionView) printed(id string, job printJob, printed bool, err error) {
	k := v.k
	v.printing = false
	if v.detail.Session.ID != "" && v.detail.Session.Status != intakekiosk.InProgress {
		v.print.Enable()
		touch.Enable(v.takeHome, v.canTakeHome())
	}
	var msg string
	switch {
	case errors.Is(err, printer.ErrNoPrinter):
		msg = job.noPrinter
	case err != nil && printed:
		// on paper, but not on record: say so, do not invite a reprint
		k.Config().Log.Error("a summary was printed but could not be recorded", "session", id, "err", err)
		msg = fmt.Sprintf(sessionText.NotRecorded, err)
	case err != nil:
		k.Config().Log.Error("could not print a summary", "session", id, "err", err)
		msg = fmt.Sprintf(sessionText.PrintFailed, err)
	}
	if k.on == nil {
		return
	}
	if k.Screen() == ui.ScreenSession && v.detail.Session.ID == id {
		if err == nil {
			if job.marks {
				v.restatus() // printed: the status changed
			}
			v.say(sessionText.Printed, false)
			if job.after != nil {
				job.after()
			}
		} else {
			v.say(msg, true)
		}
		return
	}
	if h, ok := ui.Built[*staffHome](k.Kiosk, ui.ScreenStaff); err != nil && ok {
		h.queue.warn(msg)
	}
}

func (s *sessionView) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
