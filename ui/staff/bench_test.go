package staff

import (
	"testing"

	"fyne.io/fyne/v2"

	"intakekiosk/sqlite"
)

// BenchmarkOpenSession opens a session from the queue as a tap on its row
// does: read and open it with the clinic key, write the view to the audit
// log (a committed transaction), fill the session view's summary tab and
// lay it out; then back to the queue (listed again), as the counselor's
// next tap does.
func BenchmarkOpenSession(b *testing.B) {
	h := newHarness(b, sqlite.Options{}, nil)
	h.seed(8)
	q := h.openStaff()
	size := fyne.NewSize(1280, 800)
	for b.Loop() {
		h.k.showSession(q.rows[0].row.Session.ID)
		h.w.Content().Resize(size)
		h.k.backToQueue()
	}
}
