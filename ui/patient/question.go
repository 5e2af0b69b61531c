package patient

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/fault"
	"intakekiosk/screening"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// lang is the patient's language; Spanish arrives with the translation
// issue.

// Options per page of a choice question: one column up to singleColumn,
// then two columns up to perPage, then paging buttons.
const (
	// longQuestion is the length past which a question is set a size
	// smaller, so that it and its answers fit without scrolling.
	longQuestion = 60
	singleColumn = 5
	perPage      = 10
)

// columnAt and pagesAt are singleColumn and perPage at each text size
// (touch.TextScale): larger text, fewer answers a page.
var (
	columnAt = []int{singleColumn, 4, 3}
	pagesAt  = []int{perPage, 8, 6}
)

// firstQuestion goes to the first question, or the review screen when no
// instrument is enabled.
func (k *flow) firstQuestion() {
	if st, ok := k.visit.Session().Next(screening.Key{}, k.Config().Now()); ok {
		k.ask(st)
		return
	}
	k.showReview(0)
}

// ask goes on to a question: to the first question of an instrument with
// published instructions of their own by way of them.
func (k *flow) ask(st screening.Step) {
	if st.N == 1 && st.Instrument.Instructions.In(k.Lang()) != "" {
		k.showInstructions(st)
		return
	}
	k.showQuestion(st)
}

// questionScreen shows one question at a time. It is built once per kiosk
// and its labels, answer buttons and input widgets are reused from
// question to question (a tap builds no new widgets); reset clears it, so
// nothing of one patient's reaches the next.
type questionScreen struct {
	k   *flow
	obj fyne.CanvasObject

	// laidAt is the text step the question was laid out for
	laidAt int

	progress, intro, text, hint *widget.Label
	// bar fills with the questions of the whole visit behind the patient
	bar                 *widget.ProgressBar
	msg                 touch.Notice
	area                *fyne.Container
	options             []*touch.Button // pool of answer buttons
	prevPage, nextPage  *touch.Button
	pageLabel           *widget.Label
	multiHint           *widget.Label
	back, decline, next *touch.Button
	numbers             map[string]*touch.NumberEntry // by decimals and unit
	when                *touch.WhenEntry
	entry               *touch.Entry
	kb                  *touch.Keyboard
	textBox             fyne.CanvasObject

	// the question shown
	st     screening.Step
	prev   screening.Answer
	had    bool
	chosen map[string]bool
	page   int
	onNext func()
	// chosen is set from a tapped answer until the next screen shows
	// (ui.ChosenFor): the question takes no other tap meanwhile
	choosing bool
	// shown counts the questions put up (and the clearing), so that an
	// answer tapped on one never moves on from another
	shown int
	// focusOn takes a physical keyboard's typing once the question is on
	// screen (a widget can take focus only when it is on the canvas)
	focusOn fyne.Focusable
	// head and nav are the screen's fixed parts: the answers get the rest
	head, nav fyne.CanvasObject
}

func newQuestionScreen(k *flow) *questionScreen {
	q := &questionScreen{k: k}
	q.progress = widget.NewLabel("")
	// where the patient is: secondary, a caption
	q.progress.SizeName = theme.SizeNameCaptionText
	q.progress.Importance = widget.HighImportance
	q.progress.TextStyle = fyne.TextStyle{Bold: true}
	q.bar = widget.NewProgressBar()
	q.bar.TextFormatter = func() string { return "" }
	q.intro = touch.Para("")
	q.text = touch.Heading("")
	q.hint = touch.Para("")
	q.hint.SizeName = theme.SizeNameCaptionText
	q.msg = touch.NewNotice()
	q.multiHint = widget.NewLabel(k.T("question.multi"))
	q.multiHint.SizeName = theme.SizeNameCaptionText
	q.prevPage = k.Kit().NewButton(k.T("question.prev_choices"), theme.NavigateBackIcon(), touch.OptionHeight, func() { q.turn(-1) })
	q.nextPage = k.Kit().NewButton(k.T("question.more_choices"), theme.NavigateNextIcon(), touch.OptionHeight, func() { q.turn(1) })
	q.nextPage.IconPlacement = widget.ButtonIconTrailingText
	q.pageLabel = widget.NewLabel("")
	q.back = k.BackButton(q.goBack)
	q.decline = k.Kit().NewButton(k.T("question.decline"), nil, touch.OptionHeight, nil)
	q.decline.OnTapped = func() { q.tapped(q.decline, screening.Answer{Declined: true}) }
	q.next = k.NextButton(k.T("nav.next"), q.goNext)
	q.area = container.NewStack()
	q.numbers = map[string]*touch.NumberEntry{}
	q.when = k.Kit().NewWhenEntry(k.Config().Now)
	q.when.OnChanged = func() { q.msg.Say("") }
	q.when.OnSubmitted = q.goNext
	q.entry = k.Kit().NewEntry()
	q.kb = k.Kit().NewKeyboard(q.entry)
	q.kb.SetCapitalization(touch.CapitalizeSentences)
	q.entry.OnChanged = func(string) { k.Touch(); q.kb.Refresh(); q.msg.Say("") }
	q.entry.OnSubmitted = func(string) { q.goNext() }
	q.textBox = container.NewVBox(q.entry, q.kb.Object())
	head := container.NewVBox(container.NewBorder(nil, nil, q.progress, nil, container.New(rowHigh{}, q.bar)), q.intro, q.text, q.hint, q.msg.Label)
	q.head = container.NewPadded(head)
	// "Prefer not to answer" in the middle of the screen, whether or not
	// this question has Next: never where Next, or the crisis screen's
	// Continue, was
	q.nav = container.NewVBox(widget.NewSeparator(),
		container.NewPadded(container.NewStack(container.NewBorder(nil, nil, q.back, q.next), container.NewCenter(q.decline))))
	q.obj = container.NewBorder(q.head, q.nav, nil, nil, container.NewPadded(q.area))
	return q
}

// rowHigh lays its objects across the middle of the row, a thin line at
// most barHeight high, asking no room of its own: the progress bar sits
// beside the "Part 3 of 6" and costs the question no line.
type rowHigh struct{}

// barHeight is the progress bar's height.
const barHeight = 14

func (rowHigh) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

func (rowHigh) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := min(size.Height, barHeight)
	for _, o := range objs {
		o.Move(fyne.NewPos(0, (size.Height-h)/2))
		o.Resize(fyne.NewSize(size.Width, h))
	}
}

// showQuestion shows one question with its answer widgets.
func (k *flow) showQuestion(st screening.Step) {
	v := k.visit
	v.at = st.Key()
	q := ui.Screen[*questionScreen](k.Kiosk, ui.ScreenQuestion)
	q.load(st)
	k.Show(ui.ScreenQuestion, q.obj)
	if q.focusOn != nil {
		k.Focus(q.focusOn)
	}
}

// settled reports whether the question has been up long enough to take an
// answer (ui.TapGuard), and no tapped answer is about to move on.
func (q *questionScreen) settled() bool { return q.k.Settled() && !q.choosing }

// tapped answers with a tapped answer button: it shows as chosen for
// ui.ChosenFor, the question taking no other tap, then the answer is
// given and the next screen shows. Help asked for meanwhile (the crisis
// screen over the question) or a reset forgets the tap.
func (q *questionScreen) tapped(b *touch.Button, a screening.Answer) {
	if !q.settled() {
		return
	}
	q.choosing = true
	for _, o := range append([]*touch.Button{q.decline}, q.options...) {
		if o.Importance == widget.HighImportance && o != b {
			o.Importance, o.Icon = widget.MediumImportance, nil
			o.Refresh()
		}
	}
	b.Importance, b.Icon = widget.HighImportance, theme.ConfirmIcon()
	b.Refresh()
	shown := q.shown
	q.k.Later(q.k.Chosen(), func() {
		if q.shown != shown {
			return
		}
		q.choosing = false
		if q.k.Screen() != ui.ScreenQuestion {
			q.load(q.st) // the tap is forgotten: the question as it was
			return
		}
		q.submit(a)
	})
}

// goNext answers with what the question's input holds.
func (q *questionScreen) goNext() {
	if q.onNext != nil && q.settled() {
		q.onNext()
	}
}

// clear forgets the last patient: every input emptied, every answer
// button blank.
func (q *questionScreen) Clear() {
	for _, n := range q.numbers {
		n.Clear()
	}
	q.when.Clear()
	q.entry.SetText("")
	for _, b := range q.options {
		b.Text, b.OnTapped, b.Importance, b.Icon = "", nil, widget.MediumImportance, nil
		b.Refresh()
	}
	q.st, q.prev, q.had, q.chosen, q.onNext = screening.Step{}, screening.Answer{}, false, nil, nil
	q.shown, q.choosing = q.shown+1, false
	q.area.Objects = nil
	q.msg.Say("")
	for _, l := range []*widget.Label{q.progress, q.intro, q.text, q.hint} {
		l.SetText("")
	}
	q.decline.Importance, q.decline.Icon = widget.MediumImportance, nil
	q.decline.Refresh()
}

// setText sets a label's text and hides it when there is none.
func setText(l *widget.Label, text string) {
	l.SetText(text)
	l.Hidden = text == ""
	l.Refresh()
}

// textSize is the question's size: a heading, or for a long question a
// subheading, and at the largest text body size (then as large as a
// heading was).
func (q *questionScreen) textSize() fyne.ThemeSizeName {
	if len([]rune(q.st.Item.Text.In(q.k.Lang()))) <= longQuestion {
		return theme.SizeNameHeadingText
	}
	if q.k.TextStep() >= 2 {
		return theme.SizeNameText
	}
	return theme.SizeNameSubHeadingText
}

// load puts a question on the screen.
func (q *questionScreen) load(st screening.Step) {
	k := q.k
	q.st, q.page, q.chosen, q.focusOn = st, 0, nil, nil
	q.shown, q.choosing = q.shown+1, false
	q.prev, q.had = k.visit.Session().Answer(st.Key())
	in, it := st.Instrument, st.Item
	// where the patient is in the whole visit, the parts and questions
	// that branching may still ask counted ahead
	p := k.visit.Session().Progress(st.Key(), k.Config().Now())
	q.progress.SetText(q.k.T("question.part", p.Part, p.Parts, in.ShortTitle.In(q.k.Lang())))
	q.bar.Max, q.bar.Value = float64(p.Total), float64(p.Done)
	q.bar.Refresh()
	setText(q.intro, in.Intro.In(q.k.Lang()))
	q.laidAt = k.TextStep()
	q.text.SizeName = q.textSize()
	q.text.SetText(it.Text.In(q.k.Lang()))
	setText(q.hint, it.Hint.In(q.k.Lang()))
	q.msg.Say("")

	q.decline.Hidden = !in.CanDecline(it)
	q.decline.Importance, q.decline.Icon = widget.MediumImportance, nil
	if q.had && q.prev.Declined {
		q.decline.Importance, q.decline.Icon = widget.HighImportance, theme.ConfirmIcon()
	}
	q.decline.Refresh()
	input := inputFor(it.Kind)
	q.next.Hidden = input.tapAnswers
	q.next.Enable()
	q.area.Objects = []fyne.CanvasObject{input.area(q)}
	q.area.Refresh()
	q.next.Refresh()
}

// goBack goes to the question before, or to the date of birth.
func (q *questionScreen) goBack() {
	k := q.k
	if q.choosing {
		return
	}
	if k.visit.review {
		k.showReview(0)
		return
	}
	if q.st.N == 1 && q.st.Instrument.Instructions.In(k.Lang()) != "" {
		k.showInstructions(q.st)
		return
	}
	k.before(q.st)
}

// before goes back from a question or an instrument's instructions to the
// question asked before it, or to what comes before the questions.
func (k *flow) before(st screening.Step) {
	if prev, ok := k.visit.Session().Prev(st.Key(), k.Config().Now()); ok {
		k.showQuestion(prev)
		return
	}
	k.beforeQuestions()
}

// beforeQuestions goes back from the first question: to the date of
// birth at a screening; a check-in has nothing before its questions (the
// code is gone from the screen), so Back there leaves it.
func (k *flow) beforeQuestions() {
	if k.visit != nil && k.visit.Patient() != "" {
		k.Reset("check-in left")
		return
	}
	k.showBirth()
}

// submit checks, commits and applies an answer, then moves on: to the
// next question, or after a change on the review screen to the next one
// branching opened, or back to the review.
func (q *questionScreen) submit(a screening.Answer) {
	k, v := q.k, q.k.visit
	next, err := v.Answer(context.Background(), q.st, a, v.review)
	switch {
	case fault.Is(fault.Invalid, err):
		q.msg.Say(q.k.problem(q.st.Item))
		return
	case err != nil:
		k.failed(err, func() { q.submit(a) })
		return
	case next.Ok && v.review:
		k.showQuestion(next.Step)
	case next.Ok:
		k.ask(next.Step)
	default:
		k.showReview(0)
	}
	if next.Crisis {
		k.showCrisis()
	}
}

// problem is what the patient is told when an answer does not fit.
func (k *flow) problem(it *screening.Item) string { return inputFor(it.Kind).problem(k, it) }

func (s *questionScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
