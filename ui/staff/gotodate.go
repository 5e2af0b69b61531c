package staff

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// dayText holds every word of the "go to a day" screen, from the
// catalog's staff.day.* keys.
var dayText = staffWords[struct {
	Button, Title, Cancel, Show, Incomplete, Future string
}]("day")

// dayScreen picks the day the queue lists, on the date keypad.
type dayScreen struct {
	k   *mode
	obj fyne.CanvasObject
	de  *touch.DateEntry
	msg touch.Notice
}

func newDayScreen(k *mode) *dayScreen {
	s := &dayScreen{k: k, de: k.Kit().NewDateEntry(), msg: touch.NewNavNotice()}
	s.de.OnChanged = func() { s.msg.Say("") }
	s.de.OnSubmitted = s.submit
	cancel := k.Kit().NewButton(dayText.Cancel, nil, touch.OptionHeight, s.leave)
	cancel.MinWidth = touch.NavWidth
	show := k.NextButton(dayText.Show, s.submit)
	show.SetIcon(theme.ConfirmIcon())
	nav := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewBorder(nil, nil, cancel, show, s.msg)))
	s.obj = container.NewBorder(nil, nav, nil, nil, container.NewPadded(container.NewVBox(touch.Heading(dayText.Title), s.de)))
	return s
}

// showDay opens the day picker over the queue, on the day listed.
func (k *mode) showDay() {
	if k.on == nil {
		return
	}
	s := ui.Screen[*dayScreen](k.Kiosk, ui.ScreenDay)
	s.msg.Say("")
	s.de.SetDate(k.queue().day)
	k.Hold(ui.ScreenDay, s.obj)
	k.Focus(s.de)
}

func (s *dayScreen) leave() {
	s.de.Clear()
	s.k.Release()
}

// submit lists the day chosen; a day to come is refused.
func (s *dayScreen) submit() {
	k := s.k
	d, ok := s.de.Date()
	if !ok {
		s.msg.Say(dayText.Incomplete)
		return
	}
	q := k.queue()
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, k.Location())
	if day.After(q.localDay(k.Config().Now())) {
		s.msg.Say(dayText.Future)
		return
	}
	s.de.Clear()
	k.Release()
	q.setDay(day)
}

// clear forgets the day typed.
func (s *dayScreen) Clear() { s.de.Clear() }

func (s *dayScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
