package touch

import (
	"fmt"
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// dateSlotLen is how many digits each slot (month, day, year) holds.
var dateSlotLen = [3]int{2, 2, 4}

// DateEntry is a date input with no free text: three slots, month, day
// and year, filled in that order from a digit keypad (or a physical
// keyboard when focused). A month digit above 1, or a day digit above 3,
// fills its slot at once ("0N"). Backspace goes back across the slots.
// Once complete it spells the date out, or says plainly why it is not one.
type DateEntry struct {
	widget.BaseWidget

	// OnChanged is called after the patient changes the date (keypad or
	// keyboard); not after SetDate or Clear.
	OnChanged func()
	// OnSubmitted, if set, is called on Return or Enter from a physical
	// keyboard (the screen's Next).
	OnSubmitted func()

	t       *Kit
	digits  [3]string
	auto    [2]bool // month or day filled as "0N" from one digit
	focused bool
	// describe, when set, writes the complete date out instead of
	// DateWords.spelled (the when entry adds the hour).
	describe func(time.Time) string
	// steady drops a tremor's second tap (see Steady)
	steady RepeatGuard

	slots   [3]*widget.RichText
	boxes   [3]*canvas.Rectangle
	line    *widget.Label
	clear   *Button
	keys    []*Button // 1-9, 0, backspace
	left    *fyne.Container
	content fyne.CanvasObject
}

// NewDateEntry makes an empty date entry.
func (t *Kit) NewDateEntry() *DateEntry {
	d := &DateEntry{t: t}
	labels := [3]string{t.Words.Date.Month, t.Words.Date.Day, t.Words.Date.Year}
	widths := [3]float32{104, 104, 160}
	const boxHeight = OptionHeight + 8
	var cols []fyne.CanvasObject
	for i := range d.slots {
		d.slots[i] = widget.NewRichText()
		d.boxes[i] = canvas.NewRectangle(nil)
		d.boxes[i].SetMinSize(fyne.NewSize(widths[i], boxHeight))
		l := widget.NewLabel(labels[i])
		l.Alignment = fyne.TextAlignCenter
		if i > 0 {
			slash := widget.NewLabel("/")
			slash.SizeName = theme.SizeNameHeadingText
			cols = append(cols, container.NewVBox(widget.NewLabel(""),
				container.NewStack(dateStrut(boxHeight), container.NewCenter(slash))))
		}
		cols = append(cols, container.NewVBox(l, container.NewStack(d.boxes[i], container.NewCenter(d.slots[i]))))
	}
	d.clear = t.NewButton(t.Words.Date.Clear, theme.ContentClearIcon(), OptionHeight, func() {
		d.steady.Forget()
		d.edit(func() bool {
			changed := d.digits != [3]string{}
			d.digits, d.auto = [3]string{}, [2]bool{}
			return changed
		})
	})
	cols = append(cols, dateStrut(0), container.NewVBox(widget.NewLabel(""),
		container.NewStack(dateStrut(boxHeight), container.NewCenter(d.clear))))
	d.line = widget.NewLabel("")
	d.line.SizeName = theme.SizeNameSubHeadingText
	d.left = container.NewVBox(container.NewHBox(cols...), d.line)
	pad, keys := t.newKeypad(func(r rune) {
		if d.steady.Take(r) {
			d.edit(func() bool { return d.add(r) })
		}
	}, func() {
		if d.steady.Take('\b') {
			d.edit(d.back)
		}
	}, nil)
	d.keys = keys
	d.content = container.New(&padSideLayout{maxLeft: 760}, d.left, pad)
	d.ExtendBaseWidget(d)
	d.update()
	return d
}

// dateStrut is an invisible object of the given least height.
func dateStrut(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(0, h))
	return r
}

// CreateRenderer draws the slots and keypad.
func (d *DateEntry) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(d.content)
}

// Date returns the date entered, at midnight UTC; false when incomplete
// or not a real date.
func (d *DateEntry) Date() (time.Time, bool) {
	if d.current() < 3 {
		return time.Time{}, false
	}
	if msg, _ := d.problem(); msg != "" {
		return time.Time{}, false
	}
	y, m, day := d.number(2), d.number(0), d.number(1)
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC), true
}

// SetDate shows the calendar date of t (in t's own location).
func (d *DateEntry) SetDate(t time.Time) {
	y, m, day := t.Date()
	d.auto = [2]bool{}
	if y < 1 || y > 9999 {
		d.digits = [3]string{}
	} else {
		d.digits = [3]string{fmt.Sprintf("%02d", int(m)), fmt.Sprintf("%02d", day), fmt.Sprintf("%04d", y)}
	}
	d.update()
}

// Clear empties the entry.
func (d *DateEntry) Clear() {
	d.digits, d.auto = [3]string{}, [2]bool{}
	d.steady.Forget()
	d.update()
}

// Steady makes the keypad drop a tremor's second tap: a tap on the key
// tapped last, within guard of it by now, enters nothing (a patient who
// means the same digit twice taps again once it shows once). A physical
// keyboard's keys are not guarded. A guard of 0 lets every tap through.
func (d *DateEntry) Steady(guard time.Duration, now func() time.Time) {
	d.steady = RepeatGuard{Guard: guard, Now: now}
}

// Refresh redraws with the current theme.
func (d *DateEntry) Refresh() {
	d.update()
	d.BaseWidget.Refresh()
}

// FocusGained notes the focus (the current slot is always lit).
func (d *DateEntry) FocusGained() { d.focused = true }

// FocusLost notes the focus left.
func (d *DateEntry) FocusLost() { d.focused = false }

// TypedRune takes digits from a physical keyboard; '/', '-', '.' or a
// space after a single month or day digit completes that slot ("1/"
// is January).
func (d *DateEntry) TypedRune(r rune) {
	switch {
	case r >= '0' && r <= '9':
		d.report()
		d.edit(func() bool { return d.add(r) })
	case r == '/' || r == '-' || r == '.' || r == ' ':
		d.report()
		d.edit(d.skip)
	}
}

// TypedKey takes Backspace and Delete from a physical keyboard.
func (d *DateEntry) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyBackspace, fyne.KeyDelete:
		d.report()
		d.edit(d.back)
	case fyne.KeyReturn, fyne.KeyEnter:
		d.report()
		if d.OnSubmitted != nil {
			d.OnSubmitted()
		}
	}
}

// Cursor hides the pointer in kiosk mode.
func (d *DateEntry) Cursor() desktop.Cursor { return d.t.Cursor(desktop.DefaultCursor) }

func (d *DateEntry) report() {
	d.t.touched()
}

// edit applies a change, redraws, keeps the focus and tells OnChanged.
func (d *DateEntry) edit(change func() bool) {
	if !d.focused {
		if c := fyne.CurrentApp().Driver().CanvasForObject(d); c != nil {
			c.Focus(d)
		}
	}
	changed := change()
	d.update()
	if changed && d.OnChanged != nil {
		d.OnChanged()
	}
}

// current is the slot the next digit goes to; 3 when all are full.
func (d *DateEntry) current() int {
	for i, s := range d.digits {
		if len(s) < dateSlotLen[i] {
			return i
		}
	}
	return 3
}

// number is slot i as a number (-1 when not full).
func (d *DateEntry) number(i int) int {
	if len(d.digits[i]) < dateSlotLen[i] {
		return -1
	}
	n, _ := strconv.Atoi(d.digits[i])
	return n
}

func (d *DateEntry) add(r rune) bool {
	s := d.current()
	if msg, _ := d.problem(); msg != "" {
		// The slot in error comes first: Backspace or Clear.
		return false
	}
	switch {
	case s == 3:
		return false
	case s < 2 && d.digits[s] == "" && r > rune("13"[s]):
		d.digits[s] = "0" + string(r)
		d.auto[s] = true
	default:
		d.digits[s] += string(r)
	}
	return true
}

// skip completes a month or day of one digit with a leading zero.
func (d *DateEntry) skip() bool {
	s := d.current()
	if s > 1 || len(d.digits[s]) != 1 || d.digits[s] == "0" {
		return false
	}
	d.digits[s] = "0" + d.digits[s]
	d.auto[s] = true
	return true
}

// back takes away the last digit; a slot filled from one digit goes
// as a whole.
func (d *DateEntry) back() bool {
	for s := 2; s >= 0; s-- {
		if d.digits[s] == "" {
			continue
		}
		if s < 2 && d.auto[s] {
			d.digits[s], d.auto[s] = "", false
		} else {
			d.digits[s] = d.digits[s][:len(d.digits[s])-1]
		}
		return true
	}
	return false
}

// problem says why the digits so far cannot be a date, and in which slot.
func (d *DateEntry) problem() (string, int) {
	m, day, y := d.number(0), d.number(1), d.number(2)
	if m == 0 || m > 12 {
		return fmt.Sprintf(d.t.Words.Date.NoMonth, m), 0
	}
	if day == 0 || day > 31 {
		return fmt.Sprintf(d.t.Words.Date.NoDay, day), 1
	}
	if m > 0 && day > 0 {
		most := [12]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
		if day > most {
			return fmt.Sprintf(d.t.Words.Date.NoDate, d.t.Words.Date.Months[m-1], day), 1
		}
	}
	if y == 0 {
		return fmt.Sprintf(d.t.Words.Date.NoYear, y), 2
	}
	if m == 2 && day == 29 && y > 0 && time.Date(y, 2, 29, 0, 0, 0, 0, time.UTC).Day() != 29 {
		return fmt.Sprintf(d.t.Words.Date.NoLeapDay, y), 2
	}
	return "", -1
}

// update shows the digits typed, the placeholders left, the current slot
// and the line under the slots.
func (d *DateEntry) update() {
	th := theme.CurrentForWidget(d)
	v := fyne.CurrentApp().Settings().ThemeVariant()
	typed := widget.RichTextStyle{Inline: true, SizeName: theme.SizeNameHeadingText, TextStyle: fyne.TextStyle{Bold: true}}
	left := typed
	left.ColorName = theme.ColorNamePlaceHolder
	left.TextStyle = fyne.TextStyle{}
	holders := [3]string{d.t.Words.Date.MM, d.t.Words.Date.DD, d.t.Words.Date.YYYY}
	cur := d.current()
	msg, bad := d.problem()
	for i, s := range d.digits {
		var segs []widget.RichTextSegment
		if s != "" {
			segs = append(segs, &widget.TextSegment{Text: s, Style: typed})
		}
		if rest := []rune(holders[i]); len(s) < len(rest) {
			segs = append(segs, &widget.TextSegment{Text: string(rest[len(s):]), Style: left})
		}
		d.slots[i].Segments = segs
		d.slots[i].Refresh()
		b := d.boxes[i]
		b.FillColor = th.Color(theme.ColorNameInputBackground, v)
		b.StrokeColor, b.StrokeWidth = th.Color(theme.ColorNameInputBorder, v), 2
		switch {
		case i == bad:
			b.StrokeColor, b.StrokeWidth = th.Color(theme.ColorNameError, v), 4
		case i == cur && bad < 0:
			b.StrokeColor, b.StrokeWidth = th.Color(theme.ColorNamePrimary, v), 4
		}
		b.CornerRadius = th.Size(theme.SizeNameInputRadius)
		b.Refresh()
	}
	line, imp, bold := "", widget.LowImportance, false
	switch {
	case msg != "":
		line, imp = msg, widget.DangerImportance
	case cur == 3:
		date, _ := d.Date()
		line, imp, bold = d.t.Words.Date.spelled(date), widget.MediumImportance, true
		if d.describe != nil {
			line = d.describe(date)
		}
	default:
		line = [3]string{d.t.Words.Date.HintMonth, d.t.Words.Date.HintDay, d.t.Words.Date.HintYear}[cur]
	}
	d.line.Text, d.line.Importance, d.line.TextStyle.Bold = line, imp, bold
	d.line.Refresh()
}
