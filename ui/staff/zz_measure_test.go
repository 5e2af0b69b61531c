package staff

import (
	"testing"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

func TestZZMeasure(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(9, screening.Identity{First: "María José", Last: "Peña", Birth: "1979-01-02"})
	h.openStaff()
	home := the[*staffHome](h.k, ui.ScreenStaff)
	t.Logf("home min %v, alerts %v, row %v, queue %v, top %v", home.obj.MinSize(), home.alerts.obj.MinSize(), home.queue.rows[0].MinSize(), home.queue.obj.MinSize(), h.k.TopBar().MinSize())
	home.alerts.show(nil)
	t.Logf("home min without %v", home.obj.MinSize())
}
