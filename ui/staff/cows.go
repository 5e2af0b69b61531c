package staff

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// cowsText holds every word of the COWS screen, from the catalog's
// staff.cows.* keys.
var cowsText = staffWords[struct {
	Title, For, RatedAt, Now, Cancel, Save, Total, Partial, BadTime, NotRated, Saved, Failed string
}]("cows")

// cowsScreen records a clinician's COWS rating of a patient at the desk
// (keyboard and mouse): the time rated, defaulting to now, and each of the
// instrument's items by its published anchors; the total as it stands.
type cowsScreen struct {
	k   *mode
	in  *screening.Instrument
	obj fyne.CanvasObject
	// of is whom the rating is of; who their name, shown in the title
	of    desk.RatingOf
	who   *widget.Label
	at    *touch.Entry
	items []*widget.RadioGroup
	total *widget.Label
	msg   touch.Notice
}

// cowsLayouts are the time formats the rated-at field takes: a date and
// a time, or a time of today.
var cowsLayouts = []string{"1/2/2006 3:04 PM", "1/2/2006 3:04PM", "1/2/2006 15:04", "2006-01-02 15:04"}
var cowsTimeOnly = []string{"3:04 PM", "3:04PM", "15:04"}

// cowsTime is how the field shows a time.
const cowsTime = "1/2/2006 3:04 PM"

func newCOWSScreen(k *mode) *cowsScreen {
	s := &cowsScreen{k: k, who: widget.NewLabel(""), total: widget.NewLabel(""), msg: touch.NewNavNotice()}
	s.in, _ = k.Config().Catalog.Instrument(review.COWS)
	s.who.TextStyle = fyne.TextStyle{Bold: true}
	s.who.SizeName = theme.SizeNameSubHeadingText
	s.who.Truncation = fyne.TextTruncateEllipsis
	s.total.TextStyle = fyne.TextStyle{Bold: true}
	kit := &touch.Kit{HideCursor: k.Kit().HideCursor, Words: k.Kit().Words, Location: k.Kit().Location, Activity: k.Touch}
	s.at = kit.NewEntry()
	s.at.OnChanged = func(string) { k.Touch(); s.msg.Say("") }
	s.at.OnSubmitted = func(string) { s.submit() }
	now := k.Kit().NewButton(cowsText.Now, theme.HistoryIcon(), touch.OptionHeight, func() { s.at.SetText(s.now()) })
	cancel := k.Kit().NewButton(cowsText.Cancel, nil, touch.OptionHeight, s.leave)
	cancel.MinWidth = touch.NavWidth
	save := k.NextButton(cowsText.Save, s.submit)
	save.SetIcon(theme.DocumentSaveIcon())

	var cells []fyne.CanvasObject
	if s.in != nil {
		for i := range s.in.Items {
			cells = append(cells, s.itemCell(&s.in.Items[i]))
		}
	}
	atLabel := widget.NewLabel(cowsText.RatedAt)
	atLabel.TextStyle = fyne.TextStyle{Bold: true}
	field := container.NewGridWrap(fyne.NewSize(250, s.at.MinSize().Height), s.at)
	when := container.NewHBox(atLabel, field, now)
	title := touch.Heading(cowsText.Title)
	title.Wrapping = fyne.TextWrapOff
	head := container.NewBorder(nil, nil, title, when, s.who)
	var intro fyne.CanvasObject = layout.NewSpacer()
	if s.in != nil {
		l := touch.Small(s.in.Intro.In("en"))
		l.Importance = widget.LowImportance
		intro = l
	}
	top := container.NewVBox(head, dense(intro))
	// two items a row, each row as tall as its taller item
	rows := container.NewVBox()
	for i := 0; i < len(cells); i += 2 {
		if i > 0 {
			rows.Add(widget.NewSeparator())
		}
		pair := []fyne.CanvasObject{cells[i], layout.NewSpacer()}
		if i+1 < len(cells) {
			pair[1] = cells[i+1]
		}
		rows.Add(container.NewGridWithColumns(2, pair...))
	}
	grid := dense(rows)
	nav := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewBorder(nil, nil, cancel, container.NewHBox(s.total, save), s.msg)))
	s.obj = container.NewBorder(container.NewPadded(top), nav, nil, nil, container.NewPadded(container.NewVScroll(grid)))
	s.update()
	return s
}

// itemCell is one item: its name and note, its points to choose (a
// radio group across), and the published anchor of each point under it.
func (s *cowsScreen) itemCell(it *screening.Item) fyne.CanvasObject {
	var values, anchors []string
	for _, o := range it.Options {
		values = append(values, o.Value)
		anchors = append(anchors, strconv.Itoa(o.Points)+" "+o.Label.In("en"))
	}
	rg := widget.NewRadioGroup(values, func(string) { s.k.Touch(); s.msg.Say(""); s.update() })
	rg.Horizontal = true
	s.items = append(s.items, rg)
	name := widget.NewLabel(it.Text.In("en"))
	name.TextStyle = fyne.TextStyle{Bold: true}
	// the item's note between its name and its points
	var hint fyne.CanvasObject = layout.NewSpacer()
	if h := it.Hint.In("en"); h != "" {
		l := touch.Small(h)
		l.Importance = widget.LowImportance
		hint = l
	}
	return container.NewVBox(container.NewBorder(nil, nil, name, rg, hint), touch.Small(strings.Join(anchors, " · ")))
}

// showCOWS opens the COWS screen over the session view for a patient
// (whose name it shows), its time now.
func (k *mode) showCOWS(of desk.RatingOf, name string) {
	if k.on == nil {
		return
	}
	s := ui.Screen[*cowsScreen](k.Kiosk, ui.ScreenCOWS)
	s.Clear()
	s.of = of
	s.who.SetText(fmt.Sprintf(cowsText.For, name))
	s.at.SetText(s.now())
	k.Hold(ui.ScreenCOWS, s.obj)
	k.Focus(s.at)
}

// now is the time now as the field shows it.
func (s *cowsScreen) now() string { return s.k.Config().Now().In(s.k.Location()).Format(cowsTime) }

// Clear forgets the patient and every choice.
func (s *cowsScreen) Clear() {
	s.of = desk.RatingOf{}
	s.who.SetText("")
	s.at.SetText("")
	for _, rg := range s.items {
		rg.SetSelected("")
	}
	s.msg.Say("")
	s.update()
}

func (s *cowsScreen) leave() {
	s.Clear()
	s.k.Release()
}

// answers are the items rated so far.
func (s *cowsScreen) answers(at time.Time) []screening.Answer {
	var out []screening.Answer
	for i, rg := range s.items {
		if rg.Selected != "" {
			out = append(out, screening.Answer{Instrument: s.in.ID, Item: s.in.Items[i].ID, Choice: rg.Selected, At: at})
		}
	}
	return out
}

// update shows the total as it stands: how many items are rated, then the
// total and its band once all are.
func (s *cowsScreen) update() {
	if s.in == nil {
		return
	}
	as := s.answers(s.k.Config().Now())
	if len(as) < len(s.items) {
		s.total.SetText(fmt.Sprintf(cowsText.Partial, len(as), len(s.items)))
		return
	}
	r := intakekiosk.Rating{Instrument: s.in.ID, Answers: as}
	res, _ := r.Score(s.k.Config().Catalog)
	band := ""
	if res.Band != nil {
		band = res.Band.Label.In("en")
	}
	s.total.SetText(fmt.Sprintf(cowsText.Total, res.Total, s.in.Scoring.Max, band))
}

// parseTime reads the rated-at field in the clinic's zone; a time alone
// is today's.
func (s *cowsScreen) parseTime() (time.Time, bool) {
	text := strings.TrimSpace(s.at.Text)
	loc := s.k.Location()
	for _, l := range cowsLayouts {
		if t, err := time.ParseInLocation(l, strings.ToUpper(text), loc); err == nil {
			return t, true
		}
	}
	for _, l := range cowsTimeOnly {
		if t, err := time.ParseInLocation(l, strings.ToUpper(text), loc); err == nil {
			y, m, d := s.k.Config().Now().In(loc).Date()
			return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, loc), true
		}
	}
	return time.Time{}, false
}

// submit records the rating and returns to the session view.
func (s *cowsScreen) submit() {
	k := s.k
	if k.on == nil || s.in == nil || (s.of == desk.RatingOf{}) {
		return
	}
	at, ok := s.parseTime()
	if !ok {
		s.fail(cowsText.BadTime)
		k.Focus(s.at)
		return
	}
	r, err := k.on.desk.Rate(context.Background(), s.of, intakekiosk.Rating{Instrument: s.in.ID, At: at, Answers: s.answers(at)})
	if err != nil {
		s.fail(s.problem(err))
		return
	}
	total := 0
	if res, ok := r.Score(k.Config().Catalog); ok {
		total = res.Total
	}
	s.Clear()
	k.Release()
	if v, ok := ui.Built[*sessionView](k.Kiosk, ui.ScreenSession); ok && k.Screen() == ui.ScreenSession {
		v.reload()
		v.setTab(tabCheckins)
		v.say(fmt.Sprintf(cowsText.Saved, total), false)
	}
}

// problem is what the screen says of a rating the desk refused: the item
// not rated, the time's reason, else the error.
func (s *cowsScreen) problem(err error) string {
	e, ok := errors.AsType[*fault.Error](err)
	if !ok || e.Kind != fault.Invalid {
		s.k.Config().Log.Error("could not save a COWS rating", "err", err)
		return cowsText.Failed + err.Error()
	}
	if it, ok := s.in.Item(e.Field); ok {
		return fmt.Sprintf(cowsText.NotRated, it.Text.In("en"))
	}
	return e.Reason()
}

func (s *cowsScreen) fail(text string) {
	s.msg.Importance = widget.DangerImportance
	s.msg.Say(text)
}

func (s *cowsScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }

// denseTheme is the current theme in a desktop's type sizes and with
// tight padding: the rating form is read at a desk, eleven items with
// every published anchor on one screen of 1280x800.
type denseTheme struct{ fyne.Theme }

// dense draws obj in the dense theme.
func dense(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(obj, denseTheme{fyne.CurrentApp().Settings().Theme()})
}

// Size is a desktop's type and tight padding.
func (t denseTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 15
	case theme.SizeNameCaptionText:
		return 13
	case theme.SizeNamePadding:
		return 2
	case theme.SizeNameInnerPadding:
		return 4
	}
	return t.Theme.Size(n)
}
