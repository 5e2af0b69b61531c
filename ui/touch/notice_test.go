package touch

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// A notice that keeps its room is as high with nothing, a word or a
// paragraph to say, in a narrow column too (and laid out lower than its
// room, it takes its room: Fyne's wrapping with an ellipsis fails on less
// than a line); one that does not keeps none while empty.
func TestNoticeKeepsItsRoom(t *testing.T) {
	inpApp(t)
	long := strings.Repeat("Saved to /media/kiosk/USB DRIVE/intake-summary-2026-11-25-0190c0de.pdf ", 6)
	for _, tc := range []struct {
		name   string
		notice Notice
		lines  int
	}{
		{"one line", NewNoticeLines(1), 1},
		{"two lines", NewNoticeLines(2), 2},
		{"beside the nav bar's buttons", NewNavNotice(), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.notice
			test.NewTempWindow(t, container.NewGridWrap(fyne.NewSize(300, 10), n))
			empty := n.MinSize()
			if empty.Height <= 0 || !n.Visible() {
				t.Fatalf("an empty notice keeps no room: %v", empty)
			}
			for _, text := range []string{"Wrong.", long, ""} {
				n.Say(text)
				if got := n.MinSize(); got.Height != empty.Height || got.Width > 300 {
					t.Errorf("saying %d characters: %v; empty %v", len(text), got, empty)
				}
			}
			if n.Label != fyne.CanvasObject(n.noticeLabel) {
				t.Error("Label is not the notice")
			}
		})
	}
	n := NewNotice()
	if n.Visible() {
		t.Error("NewNotice shown with nothing to say")
	}
	n.Say("Wrong.")
	if !n.Visible() || n.MinSize().Height <= 0 {
		t.Error("NewNotice hidden with something to say")
	}
}
