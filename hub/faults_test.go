package hub_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"intakekiosk/fault"
	"intakekiosk/postgres"
)

// count is how many rows the server's superuser sees for q.
func (c *clinic) count(t testing.TB, q string) string {
	t.Helper()
	return c.srv.SQL(t, c.db, q)
}

// sessions is how many sessions n's database holds.
func (n *node) sessions(t testing.TB) int {
	t.Helper()
	var k int
	if err := n.raw(t).QueryRow("SELECT count(*) FROM sessions").Scan(&k); err != nil {
		t.Fatal(err)
	}
	return k
}

// The same batch pushed twice (the commit's answer lost, so the kiosk's
// cursor did not move) adds nothing at the server or at a desk.
func TestSameBatchTwice(t *testing.T) {
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	kiosk.many(t, 20, 10)
	kiosk.visit(t, "Ana", "Lopez", true, 1, 0, 0, 0, 0, 0, 0, 0, 1)
	before := c.main.sessions(t)
	if p, _ := kiosk.sync(t); p.Sessions != 21 {
		t.Fatalf("pushed %+v", p)
	}
	if _, err := kiosk.raw(t).Exec("UPDATE hub_cursor SET pushed = 0"); err != nil {
		t.Fatal(err)
	}
	p, _ := kiosk.sync(t)
	if p.Sessions != 0 || p.Held != 21 {
		t.Errorf("again: %+v, want all 21 held", p)
	}
	if got := c.count(t, "SELECT count(*) FROM kiosk.items WHERE kind = 'session'"); got != "21" {
		t.Errorf("the server holds %s session items", got)
	}
	c.main.sync(t)
	if got := c.main.sessions(t); got != before+21 {
		t.Errorf("the desk holds %d sessions, want %d", got, before+21)
	}
	kiosk.verify(t)
	c.main.verify(t)
}

// The server killed with kill -9 in the middle of a push: the push fails,
// the kiosk keeps every session, and once the server is back the next
// push sends what had not committed, once.
func TestServerKilledMidPush(t *testing.T) {
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	ids := kiosk.many(t, 1200, 60)
	done := make(chan error, 1)
	conn := kiosk.server(t)
	go func() {
		_, err := kiosk.hub.Push(context.Background(), conn)
		done <- err
	}()
	// kill once the first batch is in
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c.count(t, "SELECT count(*) FROM kiosk.items") != "0" {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.srv.Kill(t)
	err := <-done
	if err == nil {
		t.Fatal("the push ended before the kill")
	} else if !fault.Is(fault.Unavailable, err) {
		t.Errorf("push: %v, want Unavailable", err)
	}
	c.srv.Restart(t)
	kiosk.sync(t)
	if got := c.count(t, "SELECT count(*) || ' ' || count(DISTINCT id) FROM kiosk.items WHERE kind = 'session'"); got != "1200 1200" {
		t.Errorf("the server holds %s session items (all, distinct)", got)
	}
	before := c.main.sessions(t)
	c.main.sync(t)
	if got := c.main.sessions(t) - before; got != len(ids) {
		t.Errorf("the desk took %d sessions, want %d", got, len(ids))
	}
	kiosk.verify(t)
	c.main.verify(t)
}

// The connection cut in the middle of a batch: nothing of it commits,
// and the next push sends it whole.
func TestConnectionCutMidBatch(t *testing.T) {
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	px := newProxy(t, c.srv.Port)
	kiosk.throughProxy(px, c.srv.Port)
	kiosk.many(t, 300, 30)
	px.cutAfter(200 << 10)
	if _, _, err := kiosk.hub.Sync(context.Background()); !fault.Is(fault.Unavailable, err) {
		t.Fatalf("sync over a cut connection: %v", err)
	}
	if got := c.count(t, "SELECT count(*) FROM kiosk.items"); got != "0" {
		t.Errorf("half a batch committed: %s items", got)
	}
	px.cutAfter(0)
	if p, _ := kiosk.sync(t); p.Sessions != 300 {
		t.Errorf("pushed %+v after the cut", p)
	}
	kiosk.verify(t)
}

// Two desks note the same session, at once or while both are offline:
// once they sync, each keeps both notes.
func TestTwoDesksNoteOneSession(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	other := c.join(t, "desk-2", "desk")
	id := kiosk.visit(t, "Ana", "Lopez", false, 1, 1, 0, 0, 0, 0, 0, 0, 0)
	kiosk.sync(t)
	c.main.sync(t)
	other.sync(t)
	var wg sync.WaitGroup
	for i, d := range []*node{c.main, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.staff.Note(ctx, id, []string{"first desk's note", "second desk's note"}[i]); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for range 2 {
		c.main.sync(t)
		other.sync(t)
	}
	for _, d := range []*node{c.main, other} {
		got, err := d.staff.Read(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Notes) != 2 {
			t.Errorf("%s keeps %d notes: %+v", d.cfg.Name, len(got.Notes), got.Notes)
		}
		d.verify(t)
	}
}

// A kiosk whose clock is 10 minutes ahead: the desk keeps the kiosk's
// times as the kiosk gave them (they are shown), takes items in the
// server's order, and the server sees the skew.
func TestKioskClockOff(t *testing.T) {
	c := newClinic(t)
	fast := c.join(t, "kiosk-fast", "kiosk")
	fast.now = func() time.Time { return time.Now().Add(10 * time.Minute) }
	right := c.join(t, "kiosk-right", "kiosk")
	a := fast.visit(t, "Ana", "Lopez", false, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	fast.sync(t)
	b := right.visit(t, "Ben", "Ortiz", false, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	right.sync(t)
	c.main.sync(t)
	var sa, sb string
	db := c.main.raw(t)
	if err := db.QueryRow("SELECT started FROM sessions WHERE id = ?", a).Scan(&sa); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT started FROM sessions WHERE id = ?", b).Scan(&sb); err != nil {
		t.Fatal(err)
	}
	if sa <= sb {
		t.Errorf("the fast kiosk's start %s is not kept ahead of %s", sa, sb)
	}
	order := c.count(t, "SELECT string_agg(node, ',' ORDER BY hub) FROM kiosk.items WHERE kind = 'session'")
	if order != "kiosk-fast,kiosk-right" {
		t.Errorf("the server's order %q", order)
	}
	status, err := postgres.Status(context.Background(), c.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range status {
		if s.Name == "kiosk-fast" {
			if skew := s.NodeClock.Sub(s.LastContact); skew < 9*time.Minute || skew > 11*time.Minute {
				t.Errorf("skew %v", skew)
			}
		}
	}
}

// A check-in code given at one desk works at a kiosk of the clinic once
// it has synced, also while the kiosk is offline.
func TestCodeFromDeskWorksAtKioskOffline(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	id := kiosk.visit(t, "Ana", "Lopez", false, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	kiosk.sync(t)
	c.main.sync(t)
	patient, code, err := c.main.staff.GiveCode(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	c.main.sync(t)
	if _, pulled := kiosk.sync(t); pulled.Patients != 1 {
		t.Fatalf("the kiosk pulled %+v", pulled)
	}
	c.srv.Kill(t)
	defer c.srv.Restart(t)
	got, err := kiosk.st.MatchCheckin(ctx, code, "1980-04-02", kiosk.now(), time.UTC)
	if err != nil || got != patient {
		t.Fatalf("the code at the kiosk, offline: %q, %v; want %q", got, err, patient)
	}
}

// The clinic's settings changed at a desk reach its kiosks, on record
// there; a node's own (its printer) stays where it was set.
func TestSettingsTravel(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	if err := c.main.staff.SetSetting(ctx, "idle_seconds", "95"); err != nil {
		t.Fatal(err)
	}
	if err := c.main.staff.SetSetting(ctx, "printer", "DeskPrinter"); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.main.sync(t); p.Settings != 1 {
		t.Errorf("pushed %+v, want the one clinic setting", p)
	}
	_, pulled := kiosk.sync(t)
	if len(pulled.Settings) != 1 || pulled.Settings[0] != "idle_seconds=95" {
		t.Fatalf("the kiosk took %v", pulled.Settings)
	}
	for key, want := range map[string]string{"idle_seconds": "95", "printer": ""} {
		if got, err := kiosk.st.Setting(ctx, key); err != nil || got != want {
			t.Errorf("%s at the kiosk: %q (%v), want %q", key, got, err, want)
		}
	}
	if got := audit(t, kiosk, "network_pulled"); len(got) == 0 || !strings.Contains(got[len(got)-1], "idle_seconds=95") {
		t.Errorf("the pull's entry: %v", got)
	}
	// the kiosk does not send it back
	if p, _ := kiosk.sync(t); p.Settings != 0 {
		t.Errorf("the kiosk pushed %+v", p)
	}
	kiosk.verify(t)
}
