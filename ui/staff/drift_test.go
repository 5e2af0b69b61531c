package staff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/uitest"
)

// A long "Saved to …" on the session view's message line, and its
// clearing, move nothing: the window's content never needs more room than
// before (a real window grows to it, and stays grown: everything shifted
// up 12 px, the patient screens too), the name at the top and the buttons
// at the foot stay where they were, and so does the patient's welcome
// screen after the lock.
func TestLongMessageMovesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("a-long-folder-name-on-the-usb-drive/", 6))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Folders = func() []ui.Folder { return []ui.Folder{{Name: "USB drive", Path: dir}} }
	})
	h.seed(1, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	type spot struct {
		name string
		obj  fyne.CanvasObject
	}
	// where each of spots is, and the room the window's content needs
	measure := func(spots []spot) map[string]fyne.Position {
		got := map[string]fyne.Position{}
		for _, s := range spots {
			got[s.name] = uitest.Where(h.w, s.obj)
		}
		got["content min height"] = fyne.NewPos(0, h.w.Content().MinSize().Height)
		got["window height"] = fyne.NewPos(0, h.w.Canvas().Size().Height)
		return got
	}
	same := func(when string, spots []spot, before map[string]fyne.Position) {
		t.Helper()
		after := measure(spots)
		for k, b := range before {
			if a := after[k]; a != b {
				t.Errorf("%s: %s moved from %v to %v (%+.0f px)", when, k, b, a, a.Y-b.Y)
			}
		}
		if m := h.w.Content().MinSize(); m.Height > 800 {
			t.Errorf("%s: the content needs %.0f px, more than the window's 800", when, m.Height)
		}
	}

	welcome := []spot{{"the help button", h.buttons(en("help.button"))[0]}, {"Start", h.buttons(en("welcome.start"))[0]}}
	atWelcome := measure(welcome)

	q := h.openStaff()
	test.Tap(q.rows[0])
	v := the[*sessionView](h.k, ui.ScreenSession)
	view := []spot{{"the name", v.name}, {"Save", v.save}, {"Print", v.print}}
	atView := measure(view)

	h.tap(sessionText.Save)
	h.tap("USB drive")
	h.wait()
	h.wantScreen(ui.ScreenSession)
	if !h.shows("a-long-folder-name-on-the-usb-drive") {
		t.Fatalf("no saved-to message: %q", h.texts())
	}
	same("after a long saved-to message", view, atView)
	v.say("", false)
	same("after the message cleared", view, atView)

	h.tap(sessionText.Save)
	h.tap("USB drive")
	h.wait()
	h.k.Lock("test")
	h.wantScreen(ui.ScreenWelcome)
	same("on the welcome screen after staff mode said a long message", welcome, atWelcome)
}
