package touch

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
)

// The ways a when answer is given, as screening.Answer.Given says.
const (
	givenHours    = "hours"
	givenDays     = "days"
	givenDateTime = "datetime"
)

// Limits of the hours and days a patient can type.
const (
	whenMaxHourDigits = 3 // 0-999 hours
	whenMaxDays       = 3650
)

// whenModes lists the modes in their order on screen.
var whenModes = [3]string{givenHours, givenDays, givenDateTime}

// WhenEntry asks when something last happened, three ways: hours ago,
// days ago (a number keypad each), or a date and an hour of the day. It
// starts on hours ago.
type WhenEntry struct {
	widget.BaseWidget

	// OnChanged is called after the patient changes the answer (a key, an
	// hour, another mode); not after Set or Clear.
	OnChanged func()
	// OnSubmitted, if set, is called on Return or Enter from a physical
	// keyboard in any mode.
	OnSubmitted func()

	t   *Kit
	now func() time.Time
	loc *time.Location // where the date and hour are read: the kit's Location

	mode  int // index in whenModes
	hour  int // hour of the day chosen, -1 for none
	modes [3]*Button
	hours *NumberEntry
	days  *NumberEntry
	date  *DateEntry
	// hourKeys are the hour buttons, by hour of the day (0-23).
	hourKeys [24]*Button
	panels   [3]fyne.CanvasObject
	content  fyne.CanvasObject
}

// NewWhenEntry makes an empty when entry; now is the clock that hours
// and days ago count back from.
func (t *Kit) NewWhenEntry(now func() time.Time) *WhenEntry {
	w := &WhenEntry{t: t, now: now, loc: t.Location, hour: -1}
	if w.loc == nil {
		w.loc = time.Local
	}
	labels := [3]string{t.Words.When.HoursAgo, t.Words.When.DaysAgo, t.Words.When.DateTime}
	var modeKeys []fyne.CanvasObject
	for i := range w.modes {
		w.modes[i] = t.NewButton(labels[i], nil, OptionHeight, func() {
			if w.mode != i {
				w.setMode(i)
				w.changed()
			}
			w.focusPanel()
		})
		modeKeys = append(modeKeys, w.modes[i])
	}

	w.hours = t.NewNumberEntry(0, t.Words.When.HoursUnit)
	w.hours.unitOne, w.hours.maxDigits = t.Words.When.HourUnit, whenMaxHourDigits
	w.days = t.NewNumberEntry(0, t.Words.When.DaysUnit)
	submit := func() {
		if w.OnSubmitted != nil {
			w.OnSubmitted()
		}
	}
	w.hours.OnSubmitted, w.days.OnSubmitted = submit, submit
	w.days.unitOne, w.days.max = t.Words.When.DayUnit, whenMaxDays
	w.date = t.NewDateEntry()
	w.date.OnSubmitted = submit
	w.date.describe = w.describe
	for _, f := range []*func(){&w.hours.OnChanged, &w.days.OnChanged, &w.date.OnChanged} {
		*f = w.changed
	}
	w.date.left.Add(w.hourGrid())
	w.date.update()
	w.panels = [3]fyne.CanvasObject{w.hours, w.days, w.date}

	modeRow := kbRow(nil, 0, OptionHeight, modeKeys...)
	w.content = container.NewVBox(modeRow, container.NewStack(w.panels[:]...))
	w.ExtendBaseWidget(w)
	w.setMode(0)
	return w
}

// hourGrid is two rows of twelve hour buttons, AM then PM.
func (w *WhenEntry) hourGrid() fyne.CanvasObject {
	widths := make([]float32, 13)
	widths[0] = 1.2
	var rows []fyne.CanvasObject
	for half, name := range []string{w.t.Words.When.AM, w.t.Words.When.PM} {
		l := widget.NewLabel(name)
		l.TextStyle.Bold = true
		objs := []fyne.CanvasObject{container.NewCenter(l)}
		for i := 0; i < 12; i++ {
			h := half*12 + i
			label := fmt.Sprint(i)
			if i == 0 {
				label = "12"
			}
			w.hourKeys[h] = w.t.NewButton(label, nil, KeyHeight, func() {
				w.setHour(h)
				w.changed()
				w.focusPanel()
			})
			objs = append(objs, w.hourKeys[h])
		}
		rows = append(rows, kbRow(widths, KeyHeight, KeyHeight, objs...))
	}
	return container.NewVBox(rows...)
}

// CreateRenderer draws the modes and the current one's input.
func (w *WhenEntry) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(w.content)
}

// Value returns the instant given (UTC), how it was given ("hours",
// "days" or "datetime") and the number typed (0 for a date and time);
// false while the answer is incomplete.
func (w *WhenEntry) Value() (at time.Time, given string, amount float64, ok bool) {
	switch w.mode {
	case 0:
		n, ok := w.hours.Value()
		if !ok {
			return time.Time{}, "", 0, false
		}
		return w.now().Add(-time.Duration(n * float64(time.Hour))).UTC(), givenHours, n, true
	case 1:
		n, ok := w.days.Value()
		if !ok {
			return time.Time{}, "", 0, false
		}
		return w.now().Add(-time.Duration(n * 24 * float64(time.Hour))).UTC(), givenDays, n, true
	}
	d, ok := w.date.Date()
	if !ok || w.hour < 0 {
		return time.Time{}, "", 0, false
	}
	y, m, day := d.Date()
	return time.Date(y, m, day, w.hour, 0, 0, 0, w.loc).UTC(), givenDateTime, 0, true
}

// Set shows a previous answer in the mode it was given in.
func (w *WhenEntry) Set(a screening.Answer) {
	w.Clear()
	switch {
	case a.Given == givenHours:
		w.hours.SetValue(a.Amount)
		w.setMode(0)
	case a.Given == givenDays:
		w.days.SetValue(a.Amount)
		w.setMode(1)
	case a.Time != nil:
		lt := a.Time.In(w.loc)
		w.date.SetDate(lt)
		w.setHour(lt.Hour())
		w.setMode(2)
	}
}

// Clear empties every mode and goes back to hours ago.
func (w *WhenEntry) Clear() {
	w.hours.Clear()
	w.days.Clear()
	w.date.Clear()
	w.setHour(-1)
	w.setMode(0)
}

// Cursor hides the pointer in kiosk mode.
func (w *WhenEntry) Cursor() desktop.Cursor { return w.t.Cursor(desktop.DefaultCursor) }

func (w *WhenEntry) changed() {
	if w.OnChanged != nil {
		w.OnChanged()
	}
}

func (w *WhenEntry) setMode(m int) {
	w.mode = m
	for i, b := range w.modes {
		if Choose(&b.Importance, i == m) {
			b.Refresh()
		}
		if i == m {
			w.panels[i].Show()
		} else {
			w.panels[i].Hide()
		}
	}
	w.Refresh()
}

// Focusable returns the input of the current mode, which takes a physical
// keyboard's typing.
func (w *WhenEntry) Focusable() fyne.Focusable { return w.panels[w.mode].(fyne.Focusable) }

// focusPanel gives the focus to the current mode's input, for a physical
// keyboard.
func (w *WhenEntry) focusPanel() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(w); c != nil {
		c.Focus(w.panels[w.mode].(fyne.Focusable))
	}
}

func (w *WhenEntry) setHour(h int) {
	w.hour = h
	for i, b := range w.hourKeys {
		if Choose(&b.Importance, i == h) {
			b.Refresh()
		}
	}
	w.date.update()
}

// describe reads the date and hour back to the patient.
func (w *WhenEntry) describe(d time.Time) string {
	if w.hour < 0 {
		return fmt.Sprintf(w.t.Words.When.TapHour, w.t.Words.Date.spelled(d))
	}
	return fmt.Sprintf(w.t.Words.When.At, w.t.Words.Date.spelled(d), w.t.Words.When.HourName(w.hour))
}
