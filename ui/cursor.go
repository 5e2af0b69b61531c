package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// cursorFor is the pointer over our widgets: hidden in kiosk mode.
func (t *touch) cursorFor(normal desktop.Cursor) desktop.Cursor {
	if t.hideCursor {
		return desktop.HiddenCursor
	}
	return normal
}

// backdrop lies under the whole window. Fyne takes the pointer from the
// innermost widget under it that has one, so the backdrop hides it over
// labels and empty space, and our widgets hide it over themselves. A tap
// on a label or empty space lands on it and counts as activity.
type backdrop struct {
	widget.BaseWidget
	t *touch
}

func newBackdrop(t *touch) *backdrop {
	b := &backdrop{t: t}
	b.ExtendBaseWidget(b)
	return b
}

// Tapped reports the touch.
func (b *backdrop) Tapped(*fyne.PointEvent) { b.t.activity() }

// Cursor hides the pointer in kiosk mode.
func (b *backdrop) Cursor() desktop.Cursor { return b.t.cursorFor(desktop.DefaultCursor) }

// CreateRenderer draws nothing.
func (b *backdrop) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// shade dims the screen under a prompt and takes every tap made outside
// the prompt (a tap there means the patient is still there).
type shade struct {
	widget.BaseWidget
	t     *touch
	onTap func()
}

func newShade(t *touch, onTap func()) *shade {
	s := &shade{t: t, onTap: onTap}
	s.ExtendBaseWidget(s)
	return s
}

// Tapped reports the touch and acts.
func (s *shade) Tapped(*fyne.PointEvent) {
	s.t.activity()
	if s.onTap != nil {
		s.onTap()
	}
}

// Cursor hides the pointer in kiosk mode.
func (s *shade) Cursor() desktop.Cursor { return s.t.cursorFor(desktop.DefaultCursor) }

// CreateRenderer draws a translucent dark layer.
func (s *shade) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x88}))
}

// kioskEntry is a text entry whose taps count as activity and whose text
// cursor hides in kiosk mode. The on-screen keyboard types into its
// embedded Entry.
type kioskEntry struct {
	widget.Entry
	t *touch
}

func newKioskEntry(t *touch) *kioskEntry {
	e := &kioskEntry{t: t}
	e.TextStyle = fyne.TextStyle{Bold: true}
	e.ExtendBaseWidget(e)
	return e
}

// Tapped reports the touch, then places the text cursor.
func (e *kioskEntry) Tapped(ev *fyne.PointEvent) {
	e.t.activity()
	e.Entry.Tapped(ev)
}

// Cursor hides the pointer in kiosk mode.
func (e *kioskEntry) Cursor() desktop.Cursor { return e.t.cursorFor(desktop.TextCursor) }
