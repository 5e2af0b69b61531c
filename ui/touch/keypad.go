package touch

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
)

// Keypad sizes: a digit key is at least padKeyWidth wide and OptionHeight
// tall; the value display at least numDisplayWidth wide.
const (
	padKeyWidth     = 96
	numDisplayWidth = 320
	numMaxIntDigits = 6
)

// KeyGrid lays rows of keys out as the keypads are: each key at least
// padKeyWidth wide (the keys of a row all as wide as its widest needs)
// and OptionHeight tall, the labels large at every text size.
func KeyGrid(rows ...[]fyne.CanvasObject) fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, len(rows))
	for _, row := range rows {
		objs = append(objs, kbRow(nil, padKeyWidth, OptionHeight, row...))
	}
	return container.NewThemeOverride(container.NewVBox(objs...), kbTheme{appTheme{}})
}

// newKeypad makes a phone-style 3x4 keypad: 1-9, then extra (or a gap),
// 0 and backspace. It returns the pad and its keys (digits in order 1-9,
// 0, then backspace).
func (t *Kit) newKeypad(digit func(r rune), back func(), extra fyne.CanvasObject) (fyne.CanvasObject, []*Button) {
	var keys []*Button
	key := func(r rune) fyne.CanvasObject {
		b := t.NewButton(string(r), nil, OptionHeight, func() { digit(r) })
		keys = append(keys, b)
		return b
	}
	if extra == nil {
		extra = layout.NewSpacer()
	}
	r1 := []fyne.CanvasObject{key('1'), key('2'), key('3')}
	r2 := []fyne.CanvasObject{key('4'), key('5'), key('6')}
	r3 := []fyne.CanvasObject{key('7'), key('8'), key('9')}
	zero := key('0')
	bs := t.NewButton("", backspaceIcon, OptionHeight, back)
	keys = append(keys, bs)
	return KeyGrid(r1, r2, r3, []fyne.CanvasObject{extra, zero, bs}), keys
}

// NumberEntry is a number input for touch: a large display of the value
// with its unit, a Clear key beside it and a digit keypad. It is
// focusable, so a physical keyboard's digits, '.', and Backspace work
// too; a keypad tap gives it the focus back.
type NumberEntry struct {
	widget.BaseWidget

	// OnChanged is called after the patient changes the value (keypad or
	// keyboard); not after SetValue or Clear.
	OnChanged func()
	// OnSubmitted, if set, is called on Return or Enter from a physical
	// keyboard (the screen's Next).
	OnSubmitted func()

	t         *Kit
	decimals  int
	unit      string
	unitOne   string  // the unit after the number 1, when it differs
	maxDigits int     // digits before the point
	max       float64 // the largest value, when above 0
	text      string
	focused   bool

	display   *widget.RichText
	box       *canvas.Rectangle
	note      *widget.Label
	clear     *Button
	point     *Button
	keys      []*Button // 1-9, 0, backspace
	backspace *Button
	content   fyne.CanvasObject
}

// NewNumberEntry makes a number entry with at most decimals digits after
// the point (0: whole numbers, no point key) and the unit shown after the
// value.
func (t *Kit) NewNumberEntry(decimals int, unit string) *NumberEntry {
	n := &NumberEntry{t: t, decimals: max(decimals, 0), unit: unit, maxDigits: numMaxIntDigits}
	n.display = widget.NewRichText()
	n.box = canvas.NewRectangle(nil)
	n.box.StrokeWidth = 2
	n.box.SetMinSize(fyne.NewSize(numDisplayWidth, OptionHeight+32))
	n.note = widget.NewLabel("")
	n.note.Importance = widget.DangerImportance
	n.clear = t.NewButton(t.Words.Keypad.Clear, theme.ContentClearIcon(), OptionHeight, func() {
		n.edit(func() bool {
			changed := n.text != ""
			n.text = ""
			return changed
		})
	})
	var extra fyne.CanvasObject
	if n.decimals > 0 {
		n.point = t.NewButton(".", nil, OptionHeight, func() { n.edit(func() bool { return n.add('.') }) })
		extra = n.point
	}
	pad, keys := t.newKeypad(func(r rune) { n.edit(func() bool { return n.add(r) }) },
		func() { n.edit(n.back) }, extra)
	n.keys = keys
	n.backspace = keys[len(keys)-1]

	shown := container.NewStack(n.box, container.NewPadded(container.NewVBox(layout.NewSpacer(), n.display, layout.NewSpacer())))
	top := container.NewBorder(nil, nil, nil, container.NewCenter(n.clear), shown)
	left := container.NewVBox(top, n.note)
	n.content = container.New(&padSideLayout{maxLeft: 640}, left, pad)
	n.ExtendBaseWidget(n)
	n.update()
	return n
}

// CreateRenderer draws the display and keypad.
func (n *NumberEntry) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(n.content)
}

// Value returns the number shown; false when there is none.
func (n *NumberEntry) Value() (float64, bool) {
	if n.text == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(n.text, 64)
	if err != nil || n.max > 0 && v > n.max {
		return 0, false
	}
	return v, true
}

// SetValue shows v, rounded to the entry's decimals.
func (n *NumberEntry) SetValue(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		n.text = ""
	} else {
		n.text = screening.FormatNumber(v, n.decimals)
	}
	n.note.SetText("")
	n.update()
}

// Clear empties the entry.
func (n *NumberEntry) Clear() {
	n.text = ""
	n.note.SetText("")
	n.update()
}

// Refresh redraws with the current theme.
func (n *NumberEntry) Refresh() {
	n.update()
	n.BaseWidget.Refresh()
}

// FocusGained shows the focus.
func (n *NumberEntry) FocusGained() {
	n.focused = true
	n.update()
}

// FocusLost hides the focus.
func (n *NumberEntry) FocusLost() {
	n.focused = false
	n.update()
}

// TypedRune takes digits and the decimal point ('.' or ',') from a
// physical keyboard.
func (n *NumberEntry) TypedRune(r rune) {
	if r == ',' {
		r = '.'
	}
	if (r < '0' || r > '9') && r != '.' {
		return
	}
	n.report()
	n.edit(func() bool { return n.add(r) })
}

// TypedKey takes Backspace and Delete from a physical keyboard.
func (n *NumberEntry) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyBackspace, fyne.KeyDelete:
		n.report()
		n.edit(n.back)
	case fyne.KeyReturn, fyne.KeyEnter:
		n.report()
		if n.OnSubmitted != nil {
			n.OnSubmitted()
		}
	}
}

// Cursor hides the pointer over the display in kiosk mode.
func (n *NumberEntry) Cursor() desktop.Cursor { return n.t.Cursor(desktop.DefaultCursor) }

func (n *NumberEntry) report() {
	n.t.touched()
}

// edit applies a change, redraws, keeps the focus and tells OnChanged.
func (n *NumberEntry) edit(change func() bool) {
	if !n.focused {
		if c := fyne.CurrentApp().Driver().CanvasForObject(n); c != nil {
			c.Focus(n)
		}
	}
	before := n.note.Text
	n.note.Text = ""
	changed := change()
	if n.note.Text != before {
		n.note.Refresh()
	}
	n.update()
	if changed && n.OnChanged != nil {
		n.OnChanged()
	}
}

// add types one digit or the point, within the limits; false (with a
// note) when it does not fit.
func (n *NumberEntry) add(r rune) bool {
	intPart, frac, hasPoint := strings.Cut(n.text, ".")
	switch {
	case r == '.':
		if n.decimals == 0 || hasPoint {
			return false
		}
		if n.text == "" {
			n.text = "0"
		}
		n.text += "."
		return true
	case hasPoint:
		if len(frac) >= n.decimals {
			n.note.Text = n.tooPrecise()
			return false
		}
	case intPart == "0":
		// A leading zero gives way to the next digit.
		if r == '0' {
			return false
		}
		n.text = ""
	case len(intPart) >= n.maxDigits:
		n.note.Text = n.t.Words.Keypad.TooLong
		return false
	}
	next := n.text + string(r)
	if v, err := strconv.ParseFloat(next, 64); n.max > 0 && err == nil && v > n.max {
		n.note.Text = fmt.Sprintf(n.t.Words.Keypad.TooBig, screening.FormatNumber(n.max, n.decimals))
		return false
	}
	n.text = next
	return true
}

func (n *NumberEntry) tooPrecise() string {
	if n.decimals == 1 {
		return n.t.Words.Keypad.TooPreciseOne
	}
	return fmt.Sprintf(n.t.Words.Keypad.TooPrecise, n.decimals)
}

func (n *NumberEntry) back() bool {
	if n.text == "" {
		return false
	}
	r := []rune(n.text)
	n.text = string(r[:len(r)-1])
	if n.text == "0" {
		// "0." less the point is nothing typed worth keeping.
		n.text = ""
	}
	return true
}

// update shows the value, or a hint when empty, and the focus.
func (n *NumberEntry) update() {
	th := theme.CurrentForWidget(n)
	v := fyne.CurrentApp().Settings().ThemeVariant()
	big := widget.RichTextStyle{Inline: true, SizeName: theme.SizeNameHeadingText, TextStyle: fyne.TextStyle{Bold: true}}
	if n.text == "" {
		hint := widget.RichTextStyle{Inline: true, SizeName: theme.SizeNameSubHeadingText, ColorName: theme.ColorNamePlaceHolder}
		n.display.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: n.t.Words.Keypad.Empty, Style: hint}}
	} else {
		unit := n.unit
		if n.unitOne != "" && n.text == "1" {
			unit = n.unitOne
		}
		plain := big
		plain.TextStyle = fyne.TextStyle{}
		n.display.Segments = []widget.RichTextSegment{
			&widget.TextSegment{Text: n.text, Style: big},
			&widget.TextSegment{Text: " " + unit, Style: plain},
		}
	}
	n.display.Refresh()
	n.box.FillColor = th.Color(theme.ColorNameInputBackground, v)
	n.box.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	if n.focused {
		n.box.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	}
	n.box.CornerRadius = th.Size(theme.SizeNameInputRadius)
	n.box.Refresh()
}

// padSideLayout puts its first object (at most maxLeft wide) to the left of
// its second (at its least width), both top-aligned, the pair centred in
// the space given.
type padSideLayout struct {
	maxLeft float32
}

// MinSize is the visible objects side by side, a gap between.
func (l *padSideLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if i > 0 {
			s.Width += theme.Padding() * 3
		}
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return s
}

// Layout places the pair as the type says.
func (l *padSideLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 2 {
		return
	}
	gap := theme.Padding() * 3
	left, right := objs[0], objs[1]
	rmin := right.MinSize().Width
	lw := max(left.MinSize().Width, min(l.maxLeft, size.Width-rmin-gap))
	// The keypad takes some spare width, for bigger keys.
	rw := max(rmin, min(rmin*1.4, size.Width-lw-gap))
	x := max(0, (size.Width-lw-gap-rw)/2)
	left.Move(fyne.NewPos(x, 0))
	left.Resize(fyne.NewSize(lw, size.Height))
	right.Move(fyne.NewPos(x+lw+gap, 0))
	right.Resize(fyne.NewSize(rw, min(size.Height, right.MinSize().Height)))
}

// RepeatGuard drops a tremor's second tap on a keypad: a patient with a
// tremor taps twice at the same place, 350 to 500 ms apart, and the
// second must not enter the key again. A tap on the key tapped last,
// within Guard of it by Now, is dropped (a patient who means the key
// twice taps again once it shows once); a dropped tap does not move the
// time on. The zero RepeatGuard drops nothing.
type RepeatGuard struct {
	Guard time.Duration
	Now   func() time.Time
	last  rune
	at    time.Time
}

// Take reports whether a tap on key enters it: not when it is the key
// tapped last, within the guard of that tap.
func (g *RepeatGuard) Take(key rune) bool {
	if g.Guard <= 0 || g.Now == nil {
		return true
	}
	t := g.Now()
	if key == g.last && !g.at.IsZero() && t.Sub(g.at) < g.Guard {
		return false
	}
	g.last, g.at = key, t
	return true
}

// Forget drops the last tap (the entry cleared): the next tap enters.
func (g *RepeatGuard) Forget() { g.last, g.at = 0, time.Time{} }
