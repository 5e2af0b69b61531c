package touch

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Backdrop lies under the whole window. Fyne takes the pointer from the
// innermost widget under it that has one, so the backdrop hides it over
// labels and empty space, and the kit's widgets hide it over themselves.
// A tap on a label or empty space lands on it and counts as activity.
type Backdrop struct {
	widget.BaseWidget
	t *Kit
}

// NewBackdrop makes the backdrop for a window.
func (t *Kit) NewBackdrop() *Backdrop {
	b := &Backdrop{t: t}
	b.ExtendBaseWidget(b)
	return b
}

// Tapped reports the touch.
func (b *Backdrop) Tapped(*fyne.PointEvent) { b.t.touched() }

// Cursor hides the pointer in kiosk mode.
func (b *Backdrop) Cursor() desktop.Cursor { return b.t.Cursor(desktop.DefaultCursor) }

// CreateRenderer draws nothing.
func (b *Backdrop) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// Shade dims the screen under a prompt and takes every tap made outside
// the prompt (a tap there means the patient is still there).
type Shade struct {
	widget.BaseWidget
	t     *Kit
	onTap func()
}

// NewShade makes a shade that calls onTap (when set) on a tap.
func (t *Kit) NewShade(onTap func()) *Shade {
	s := &Shade{t: t, onTap: onTap}
	s.ExtendBaseWidget(s)
	return s
}

// Tapped reports the touch and acts.
func (s *Shade) Tapped(*fyne.PointEvent) {
	s.t.touched()
	if s.onTap != nil {
		s.onTap()
	}
}

// Cursor hides the pointer in kiosk mode.
func (s *Shade) Cursor() desktop.Cursor { return s.t.Cursor(desktop.DefaultCursor) }

// CreateRenderer draws a translucent dark layer.
func (s *Shade) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x88}))
}

// Entry is a text entry whose taps count as activity and whose text
// cursor hides in kiosk mode. The on-screen keyboard types into its
// embedded widget.Entry.
type Entry struct {
	widget.Entry
	t *Kit
}

// NewEntry makes an empty entry in bold.
func (t *Kit) NewEntry() *Entry {
	e := &Entry{t: t}
	e.TextStyle = fyne.TextStyle{Bold: true}
	e.ExtendBaseWidget(e)
	return e
}

// Tapped reports the touch, then places the text cursor.
func (e *Entry) Tapped(ev *fyne.PointEvent) {
	e.t.touched()
	e.Entry.Tapped(ev)
}

// Cursor hides the pointer in kiosk mode.
func (e *Entry) Cursor() desktop.Cursor { return e.t.Cursor(desktop.TextCursor) }
