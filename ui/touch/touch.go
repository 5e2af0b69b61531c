// Package touch holds the kiosk's own touch widgets: the big button, the
// on-screen keyboard, the number keypad, the date and time entries, the
// text entry they type into, the backdrop and shade that take stray taps,
// and the theme they are drawn in. Each widget reports its taps to the
// Kit it was made from (the idle timer hears them there) and hides the
// pointer in kiosk mode. The widgets know nothing of the kiosk's screens,
// its store or its message catalog: their words come in a Words.
package touch

import (
	"time"

	"fyne.io/fyne/v2/driver/desktop"
)

// Kit makes the kiosk's widgets, and is what every one of them reports
// to. Desktop Fyne has no global input hook, so the idle timer hears a
// touch only because each of these widgets calls Activity.
type Kit struct {
	// Activity is called on every tap (the idle timer).
	Activity func()
	// HideCursor hides the mouse pointer over the widgets (kiosk mode):
	// Fyne applies the innermost widget's cursor, so the root cannot.
	HideCursor bool
	// Words are the widgets' words in the patient's language; a widget
	// reads them when it is built and when it says something.
	Words *Words
	// Location is the clinic's time zone, where a date and hour typed are
	// read (nil: the system's).
	Location *time.Location
}

// Cursor is the pointer over a widget whose own pointer is normal:
// hidden in kiosk mode.
func (t *Kit) Cursor(normal desktop.Cursor) desktop.Cursor {
	if t.HideCursor {
		return desktop.HiddenCursor
	}
	return normal
}

// touched tells the kit's Activity of a touch, when there is one to tell.
func (t *Kit) touched() {
	if t.Activity != nil {
		t.Activity()
	}
}
