package touch

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Button is a widget.Button that reports its taps to the idle timer,
// keeps a least height and hides the pointer in kiosk mode. It is not
// focusable beyond what widget.Button does, and it has no double tap, so a
// single tap is never delayed.
type Button struct {
	widget.Button
	// MinWidth is the button's least width; 0 leaves it to the label and icon.
	MinWidth float32

	t         *Kit
	minHeight float32
}

// NewButton makes a button of at least minHeight units that calls tapped.
func (t *Kit) NewButton(label string, icon fyne.Resource, minHeight float32, tapped func()) *Button {
	b := &Button{t: t, minHeight: minHeight}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// Tapped reports the touch, then acts.
func (b *Button) Tapped(e *fyne.PointEvent) {
	b.t.touched()
	if b.Disabled() {
		return
	}
	b.Button.Tapped(e)
}

// MinSize keeps the button at least minHeight tall.
func (b *Button) MinSize() fyne.Size {
	s := b.Button.MinSize()
	s.Height = max(s.Height, b.minHeight)
	s.Width = max(s.Width, b.MinWidth)
	return s
}

// TypedRune and TypedKey hand typing on to the screen's own handler where
// it has one (the check-in code screen), so a key that took the focus
// from Tab does not swallow the letters typed after it.
func (b *Button) TypedRune(r rune) {
	if c := canvasOf(b); c != nil && c.OnTypedRune() != nil {
		c.Unfocus()
		c.OnTypedRune()(r)
		return
	}
	b.Button.TypedRune(r)
}

// TypedKey: see TypedRune.
func (b *Button) TypedKey(e *fyne.KeyEvent) {
	if c := canvasOf(b); c != nil && c.OnTypedKey() != nil {
		c.Unfocus()
		c.OnTypedKey()(e)
		return
	}
	b.Button.TypedKey(e)
}

// canvasOf is the canvas obj is shown on, or nil.
func canvasOf(obj fyne.CanvasObject) fyne.Canvas {
	if app := fyne.CurrentApp(); app != nil {
		return app.Driver().CanvasForObject(obj)
	}
	return nil
}

// Cursor hides the pointer in kiosk mode.
func (b *Button) Cursor() desktop.Cursor { return b.t.Cursor(desktop.DefaultCursor) }

// Choose sets a choice's importance, High when chosen, and reports whether
// it changed (so that only changed widgets are redrawn).
func Choose(imp *widget.Importance, chosen bool) bool {
	want := widget.MediumImportance
	if chosen {
		want = widget.HighImportance
	}
	if *imp == want {
		return false
	}
	*imp = want
	return true
}

// Enable enables b when on, else disables it.
func Enable(b *Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}
