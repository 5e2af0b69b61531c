package patient

import (
	"context"
	"math"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/consent"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// signStep is where the patient is on the consent screen.
type signStep int

const (
	stepText   signStep = iota // the form's words, a page at a time
	stepChoose                 // the three choices
	stepNames                  // typing the people they name
	stepSign                   // the signature pad
	stepReview                 // what they signed, and Confirm
)

// signScreen is the clinic's consent form after the privacy notice: its
// words paged, the three choices (the single consent for treatment,
// payment and health care operations; people the patient names; "I do
// not consent"), the signature pad, and what was signed, committed once
// at Confirm. One is built per kiosk and language and cleared at every
// reset: what was chosen, typed and drawn is held only here until then.
type signScreen struct {
	k    *flow
	form *consent.Form

	step signStep
	page int // the text page shown
	// laidAt is the text step the page shown was laid out for
	laidAt int
	// what the patient chose and typed
	tpo, named, declined bool
	names                []string
	// done is set once the consent is on record: a second tap on
	// Confirm commits nothing
	done bool

	choices            [3]*choiceRow // TPO, named, decline
	namesLine          *widget.Label
	editNames          *touch.Button
	chooseMsg          touch.Notice
	entry              *touch.Entry
	kb                 *touch.Keyboard
	add                *touch.Button
	namesMsg           touch.Notice
	nameCells          []*widget.Label
	nameRemove         []*touch.Button
	nameRow            *fyne.Container
	pad                *touch.SignaturePad
	signMsg            touch.Notice
	view               *touch.SignaturePad
	reviewTitle        *widget.Label
	reviewList         *fyne.Container
	reviewNames        *widget.Label
	reviewSig          *fyne.Container
	choosePg, namesPg  fyne.CanvasObject
	signPg, reviewPage fyne.CanvasObject
}

// choiceRow is one choice of the form: its words wrapped over a button
// that takes the tap, a box ticked and a frame drawn when chosen.
type choiceRow struct {
	obj   fyne.CanvasObject
	b     *touch.Button
	text  *widget.Label
	mark  *widget.Icon
	frame *canvas.Rectangle
}

func (k *flow) newChoiceRow(text string, tapped func()) *choiceRow {
	c := &choiceRow{b: k.Kit().NewButton("", nil, touch.OptionHeight, tapped), text: touch.Para(text),
		mark: widget.NewIcon(theme.CheckButtonIcon()), frame: canvas.NewRectangle(nil)}
	c.frame.StrokeWidth = 4
	c.frame.CornerRadius = theme.InputRadiusSize()
	c.frame.Hide()
	c.obj = container.NewStack(c.b, c.frame, container.NewBorder(nil, nil, container.NewCenter(container.NewPadded(c.mark)), nil, c.text))
	return c
}

// set shows the choice chosen or not.
func (c *choiceRow) set(on bool) {
	icon := theme.CheckButtonIcon()
	if on {
		icon = theme.NewPrimaryThemedResource(theme.CheckButtonCheckedIcon())
		c.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	}
	c.mark.SetResource(icon)
	c.frame.Hidden = !on
	c.frame.Refresh()
	if c.text.TextStyle.Bold != on {
		c.text.TextStyle.Bold = on
		c.text.Refresh()
	}
}

// consentForm is the form a new patient signs after the privacy notice
// in their language; nil when the clinic asks none.
func (k *flow) consentForm() *consent.Form {
	if cs := k.Config().Consents; cs != nil {
		if f, ok := cs.Main(k.Lang()); ok {
			return f
		}
	}
	return nil
}

// afterNotice goes on from the privacy notice: to the consent form, unless
// none is asked or this visit's is on record, then to the name.
func (k *flow) afterNotice() {
	if k.consentForm() != nil && !k.visit.Consented() {
		k.showSign()
		return
	}
	k.showName(true)
}

// showSign shows the consent form from its first page.
func (k *flow) showSign() {
	s := ui.Screen[*signScreen](k.Kiosk, ui.ScreenSign)
	s.page = 0
	s.show(stepText)
}

func newSignScreen(k *flow) *signScreen {
	s := &signScreen{k: k, form: k.consentForm(), namesLine: widget.NewLabel(""), chooseMsg: touch.NewNoticeLines(1),
		namesMsg: touch.NewNoticeLines(1), signMsg: touch.NewNoticeLines(1), reviewTitle: touch.Heading(""),
		reviewList: container.NewVBox(), reviewNames: touch.Para(""), entry: k.Kit().NewEntry()}
	f := s.form
	s.choices = [3]*choiceRow{
		k.newChoiceRow(f.TPO, func() { s.choose(0) }),
		k.newChoiceRow(f.Named, func() { s.choose(1) }),
		k.newChoiceRow(f.Decline, func() { s.choose(2) }),
	}
	s.namesLine.Truncation = fyne.TextTruncateEllipsis
	s.editNames = k.Kit().NewButton(k.T("sign.names_edit"), theme.DocumentCreateIcon(), touch.KeyHeight, func() { s.show(stepNames) })
	names := container.NewBorder(nil, nil, nil, s.editNames, s.namesLine)
	hint := touch.Small(k.T("sign.choose_hint"))
	s.choosePg = touch.Page(touch.NavBar(k.BackButton(func() { s.show(stepText) }), k.NextButton(k.T("nav.next"), s.chosen)),
		touch.Heading(k.T("sign.choose")), hint, s.choices[0].obj, s.choices[1].obj, names, s.choices[2].obj, s.chooseMsg)

	// the people named, typed on the kiosk's keyboard
	s.entry.PlaceHolder = k.T("sign.names_hint")
	s.kb = k.Kit().NewKeyboard(s.entry)
	s.entry.OnChanged = func(string) { k.Touch(); s.kb.Refresh(); s.namesMsg.Say("") }
	s.entry.OnSubmitted = func(string) { s.addName() }
	s.add = k.Kit().NewButton(k.T("sign.add"), theme.ContentAddIcon(), touch.KeyHeight, s.addName)
	s.add.MinWidth = touch.NavWidth
	s.nameRow = container.NewGridWithColumns(consent.MaxNamed)
	for i := range consent.MaxNamed {
		l := touch.Para("")
		l.Wrapping, l.Truncation = fyne.TextWrapOff, fyne.TextTruncateEllipsis
		rm := k.Kit().NewButton("", theme.DeleteIcon(), touch.KeyHeight, func() { s.removeName(i) })
		s.nameCells, s.nameRemove = append(s.nameCells, l), append(s.nameRemove, rm)
		s.nameRow.Add(container.NewBorder(nil, nil, nil, rm, l))
	}
	// a title a size smaller: the keyboard takes the room
	title := touch.Heading(k.T("sign.names_title"))
	title.SizeName = theme.SizeNameSubHeadingText
	s.namesPg = touch.Page(touch.NavBar(nil, k.NextButton(k.T("sign.names_done"), s.namesDone)), title, container.NewBorder(nil, nil, nil, s.add, s.entry), s.namesMsg, s.nameRow, s.kb.Object())

	// the signature: the pad takes what room the page leaves
	s.pad = k.Kit().NewSignaturePad(fyne.NewSize(900, 200))
	s.pad.MaxStrokes, s.pad.MaxPoints = consent.MaxStrokes, consent.MaxPoints
	s.pad.OnChanged = func() { s.signMsg.Say("") }
	clear := k.Kit().NewButton(k.T("sign.clear"), theme.ContentUndoIcon(), touch.OptionHeight, s.pad.Clear)
	clear.MinWidth = touch.NavWidth
	top := container.NewVBox(touch.Heading(k.T("sign.sign_title")), touch.Small(k.T("sign.sign_hint")))
	bottom := container.NewVBox(container.NewBorder(nil, nil, clear, nil, s.signMsg),
		touch.NavBar(k.BackButton(func() { s.show(stepChoose) }), k.NextButton(k.T("sign.sign"), s.signed)))
	s.signPg = container.NewBorder(container.NewPadded(top), bottom, nil, nil, container.NewPadded(s.pad))

	// what was signed
	s.view = k.Kit().NewSignatureView(fyne.NewSize(300, 80))
	s.reviewSig = container.NewVBox(s.view)
	copyLine := touch.Para(k.T("sign.copy"))
	s.reviewPage = touch.Page(touch.NavBar(k.BackButton(s.reviewBack), k.NextButton(k.T("sign.confirm"), s.confirm)),
		s.reviewTitle, s.reviewList, container.NewBorder(nil, nil, nil, s.reviewSig, copyLine))
	return s
}

// show shows a step of the screen; each is a screen of its own to the tap
// guard.
func (s *signScreen) show(step signStep) {
	k := s.k
	s.step = step
	var obj fyne.CanvasObject
	switch step {
	case stepText:
		obj = s.textPage()
	case stepChoose:
		s.update()
		obj = s.choosePg
	case stepNames:
		s.update()
		obj = s.namesPg
	case stepSign:
		obj = s.signPg
	case stepReview:
		s.review()
		obj = s.reviewPage
	}
	k.Show(ui.ScreenSign, obj)
	if step == stepNames {
		s.kb.SetTarget(s.entry)
		k.Focus(s.entry)
	}
}

// textPage is the page of the form's words shown, paged for the text
// size: the title on each, its paragraphs, then the clinic's recipients.
func (s *signScreen) textPage() fyne.CanvasObject {
	k, f := s.k, s.form
	s.laidAt = k.TextStep()
	var blocks []*widget.Label
	for _, p := range f.Paragraphs {
		blocks = append(blocks, touch.Para(p))
	}
	head := touch.Para(k.T("sign.recipients"))
	head.TextStyle.Bold = true
	blocks = append(blocks, head)
	for _, r := range f.Recipients {
		blocks = append(blocks, touch.Para("•  "+r.Name+": "+r.Purpose))
	}
	title := touch.Heading(f.Title)
	pageLabel := widget.NewLabel("")
	nav := func(back, next func()) fyne.CanvasObject {
		return touch.NavBar(k.BackButton(back), pageLabel, k.NextButton(k.T("nav.next"), next))
	}
	width, room := s.textRoom(title, nav(nil, nil))
	pages := pageLabels(blocks, width, room)
	s.page = min(max(s.page, 0), len(pages)-1)
	pageLabel.SetText(k.T("sign.page", s.page+1, len(pages)))
	back := func() { s.page--; s.show(stepText) }
	if s.page == 0 {
		back = k.showConsent
	}
	next := func() { s.page++; s.show(stepText) }
	if s.page == len(pages)-1 {
		next = func() { s.show(stepChoose) }
	}
	objs := []fyne.CanvasObject{title}
	for _, l := range pages[s.page] {
		objs = append(objs, l)
	}
	return touch.Page(nav(back, next), objs...)
}

// textRoom is the width of a page and the height the form's words have on
// it under title and above nav.
func (s *signScreen) textRoom(title *widget.Label, nav fyne.CanvasObject) (width, room float32) {
	k := s.k
	size := fyne.NewSize(1280, 800)
	if c := k.Window().Canvas(); c != nil && c.Size().Height > 0 {
		size = c.Size()
	}
	pad := theme.Padding()
	return size.Width, size.Height - k.TopBar().MinSize().Height - nav.MinSize().Height - labelHeight(title, size.Width) - 6*pad
}

// pageLabels lays labels into pages width wide and at most room high,
// each label whole.
func pageLabels(ls []*widget.Label, width, room float32) [][]*widget.Label {
	var pages [][]*widget.Label
	var page []*widget.Label
	used := float32(0)
	for _, l := range ls {
		h := labelHeight(l, width) + theme.Padding()
		if len(page) > 0 && used+h > room {
			pages, page, used = append(pages, page), nil, 0
		}
		page, used = append(page, l), used+h
	}
	return append(pages, page)
}

// labelHeight is the height a wrapped label takes across a page width w
// in the current theme: its lines, measured with the real font and a
// little slack for breaking at spaces, and its padding.
func labelHeight(l *widget.Label, w float32) float32 {
	th := fyne.CurrentApp().Settings().Theme()
	name := l.SizeName
	if name == "" {
		name = theme.SizeNameText
	}
	size, inner := th.Size(name), th.Size(theme.SizeNameInnerPadding)
	avail := w - 4*th.Size(theme.SizeNamePadding) - 2*inner
	lines := 0
	for _, para := range strings.Split(l.Text, "\n") {
		tw := fyne.MeasureText(para, size, l.TextStyle).Width
		lines += max(1, int(math.Ceil(float64(tw*1.12/avail))))
	}
	return float32(lines)*fyne.MeasureText("Ag", size, l.TextStyle).Height + 2*inner
}

// choose answers a tap on a choice: the two consents go together, "I do
// not consent" alone. Naming people opens the keyboard when none are
// named yet.
func (s *signScreen) choose(i int) {
	s.chooseMsg.Say("")
	switch i {
	case 0:
		s.tpo = !s.tpo
	case 1:
		s.named = !s.named
	case 2:
		s.declined = !s.declined
	}
	if i < 2 && (s.tpo || s.named) {
		s.declined = false
	}
	if s.declined {
		s.tpo, s.named = false, false
	}
	if i == 1 && s.named && len(s.names) == 0 {
		s.show(stepNames)
		return
	}
	s.update()
}

// update shows the choices and the names as they stand.
func (s *signScreen) update() {
	for i, on := range []bool{s.tpo, s.named, s.declined} {
		s.choices[i].set(on)
	}
	listed := s.named && len(s.names) > 0
	s.namesLine.SetText("")
	if listed {
		s.namesLine.SetText(s.k.T("sign.named", strings.Join(s.names, ", ")))
	}
	s.namesLine.Hidden, s.editNames.Hidden = !listed, !listed
	for i, l := range s.nameCells {
		name := ""
		if i < len(s.names) {
			name = s.names[i]
		}
		l.SetText(name)
		s.nameRemove[i].Hidden = name == ""
		s.nameRemove[i].Refresh()
	}
	touch.Enable(s.add, len(s.names) < consent.MaxNamed)
	s.namesLine.Refresh()
	s.editNames.Refresh()
}

// addName adds the name typed, checked.
func (s *signScreen) addName() {
	k := s.k
	name := strings.Join(strings.Fields(s.entry.Text), " ")
	switch {
	case len(s.names) >= consent.MaxNamed:
		s.namesMsg.Say(k.T("sign.names_full", consent.MaxNamed))
		return
	case !consent.GoodName(name):
		s.namesMsg.Say(k.T("sign.name_bad"))
		return
	case slices.ContainsFunc(s.names, func(n string) bool { return consent.SameName(n, name) }):
		s.namesMsg.Say(k.T("sign.name_twice"))
		return
	}
	s.names = append(s.names, name)
	s.entry.SetText("")
	s.namesMsg.Say("")
	s.update()
	k.Focus(s.entry)
}

// removeName takes the i-th name off the list.
func (s *signScreen) removeName(i int) {
	s.k.Touch()
	if i < len(s.names) {
		s.names = slices.Delete(s.names, i, i+1)
	}
	s.update()
}

// namesDone returns to the choices: naming no one leaves that choice
// unchosen.
func (s *signScreen) namesDone() {
	if len(s.names) == 0 {
		s.named = false
	}
	s.entry.SetText("")
	s.show(stepChoose)
}

// chosen goes on from the choices: to the signature for a consent, to
// what was chosen for "I do not consent".
func (s *signScreen) chosen() {
	switch {
	case s.declined:
		s.show(stepReview)
	case s.tpo || s.named:
		s.show(stepSign)
	default:
		s.chooseMsg.Say(s.k.T("sign.need_choice"))
	}
}

// signed goes on from the pad, once something is drawn.
func (s *signScreen) signed() {
	if s.pad.Drawing().IsZero() {
		s.signMsg.Say(s.k.T("sign.need_signature"))
		return
	}
	s.show(stepReview)
}

// reviewBack returns to edit: the pad, or the choices after a decline.
func (s *signScreen) reviewBack() {
	if s.declined {
		s.show(stepChoose)
		return
	}
	s.show(stepSign)
}

// review fills what was signed: the choices in the form's words, the
// names and the signature drawn small.
func (s *signScreen) review() {
	k, f := s.k, s.form
	s.reviewTitle.SetText(k.T("sign.review_title"))
	var objs []fyne.CanvasObject
	if s.declined {
		s.reviewTitle.SetText(k.T("sign.review_declined"))
		objs = append(objs, touch.Para("•  "+f.Decline))
	}
	if s.tpo {
		objs = append(objs, touch.Para("•  "+f.TPO))
	}
	s.reviewNames.SetText("")
	if s.named && len(s.names) > 0 {
		s.reviewNames.SetText(k.T("sign.named", strings.Join(s.names, ", ")))
		objs = append(objs, touch.Para("•  "+f.Named), s.reviewNames)
	}
	s.reviewList.Objects = objs
	s.reviewList.Refresh()
	s.view.SetDrawing(s.pad.Drawing())
	s.reviewSig.Hidden = s.declined
	s.reviewSig.Refresh()
}

// record is the consent as the patient gave it.
func (s *signScreen) record() consent.Signed {
	f := s.form
	c := consent.Signed{Form: f.ID, Version: f.Version, Lang: f.Language, Hash: f.Hash(), Text: f.Text(), Declined: s.declined}
	if s.declined {
		return c
	}
	c.TPO = s.tpo
	if s.tpo {
		c.Recipients = slices.Clone(f.Recipients)
	}
	if s.named {
		c.Named = slices.Clone(s.names)
	}
	d := s.pad.Drawing()
	c.Signature = consent.Signature{W: d.W, H: d.H}
	for _, st := range d.Strokes {
		c.Signature.Strokes = append(c.Signature.Strokes, consent.Stroke(st))
	}
	return c
}

// confirm commits the consent, once, and goes on to the name.
func (s *signScreen) confirm() {
	k, v := s.k, s.k.visit
	if s.done || v == nil {
		return
	}
	if !v.Consented() {
		if err := v.Consent(context.Background(), s.record()); err != nil {
			k.failed(err, s.confirm)
			return
		}
	}
	s.done = true
	k.showName(true)
}

// Clear forgets everything chosen, typed and drawn.
func (s *signScreen) Clear() {
	s.tpo, s.named, s.declined, s.done = false, false, false, false
	s.names = nil
	s.page = 0
	s.entry.SetText("")
	s.pad.Clear()
	s.view.SetDrawing(touch.Drawing{})
	s.reviewNames.SetText("")
	s.reviewList.Objects = nil
	for _, m := range []touch.Notice{s.chooseMsg, s.namesMsg, s.signMsg} {
		m.Say("")
	}
	s.update()
}

// private are the labels that hold the names typed: never read aloud.
func (s *signScreen) private(p map[*widget.Label]bool) {
	p[s.namesLine], p[s.reviewNames] = true, true
	for _, l := range s.nameCells {
		p[l] = true
	}
}

// refit lays the form's words out again for a new text size.
func (s *signScreen) refit() {
	if s.step == stepText && s.laidAt != s.k.TextStep() {
		s.show(stepText)
	}
}

func (s *signScreen) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{s.choosePg, s.namesPg, s.signPg, s.reviewPage}
}
