package hub_test

import (
	"context"
	"testing"
)

// A session a patient answers at a kiosk reaches a desk, sealed, and opens
// there with the clinic key: the name, the answers, urgent; a second sync
// adds nothing anywhere.
func TestKioskSessionReachesDesk(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	id := kiosk.visit(t, "Marta", "Quillfeather", true, 1, 1, 1, 1, 1, 1, 1, 1, 0)
	pushed, _ := kiosk.sync(t)
	if pushed.Sessions != 1 {
		t.Fatalf("pushed %+v", pushed)
	}
	_, pulled := c.main.sync(t)
	if len(pulled.Sessions) != 1 || pulled.Sessions[0] != id || len(pulled.Urgent) != 1 {
		t.Fatalf("pulled %+v", pulled)
	}
	d, err := c.main.staff.Read(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Identity.Last != "Quillfeather" || !d.HelpRequested || !d.Session.Urgent {
		t.Fatalf("at the desk: %+v", d)
	}
	var site string
	if err := c.main.raw(t).QueryRow("SELECT site FROM sessions WHERE id = ?", id).Scan(&site); err != nil || site != "kiosk-1" {
		t.Errorf("site %q (%v), want the kiosk's name", site, err)
	}
	for _, n := range []*node{kiosk, c.main} {
		pushed, pulled := n.sync(t)
		if pushed.Sessions+pushed.Patients+pushed.Acks != 0 || !pulled.Empty() {
			t.Errorf("%s: again: pushed %+v, pulled %+v", n.cfg.Name, pushed, pulled)
		}
		n.verify(t)
	}
}
