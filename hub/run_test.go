package hub_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"intakekiosk/fault"
	"intakekiosk/hub"
)

// run starts n's runner until the test ends, telling pulls to got.
func (n *node) run(t testing.TB, got func(hub.Pulled)) *hub.Runner {
	t.Helper()
	r := hub.NewRunner(n.hub)
	r.Retry, r.Contact = 50*time.Millisecond, 500*time.Millisecond
	r.Pulled = got
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return r
}

// waitFor waits up to d for ok.
func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The server down when a kiosk starts: patients go on as ever (every
// answer commits here), the runner says why it is not connected, and once
// the server is back everything reaches the desk by itself.
func TestServerDownAtStart(t *testing.T) {
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	c.srv.Kill(t)
	restarted := false
	t.Cleanup(func() {
		if !restarted {
			c.srv.Restart(t)
		}
	})
	r := kiosk.run(t, nil)
	id := kiosk.visit(t, "Ana", "Lopez", true, 0, 0, 0, 0, 0, 0, 0, 0, 1)
	waitFor(t, 5*time.Second, "no error while the server is down", func() bool { return r.State().Err != nil })
	if s := r.State(); s.Connected || !fault.Is(fault.Unavailable, s.Err) {
		t.Errorf("state %+v", s)
	}
	c.srv.Restart(t)
	restarted = true
	var mu sync.Mutex
	var urgent []string
	c.main.run(t, func(p hub.Pulled) {
		mu.Lock()
		urgent = append(urgent, p.Urgent...)
		mu.Unlock()
	})
	waitFor(t, 20*time.Second, "the session never reached the desk", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(urgent) > 0 && urgent[len(urgent)-1] == id
	})
}

// A kiosk offline for a day with 200 sessions catches up by itself while
// patients keep answering: nothing lost, nothing doubled, both verify.
func TestOfflineDayCatchesUp(t *testing.T) {
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	ids := kiosk.many(t, 200, 40)
	before := c.main.sessions(t)
	c.main.run(t, nil)
	kiosk.run(t, nil)
	for range 5 {
		ids = append(ids, kiosk.visit(t, "Ana", "Lopez", false, 1, 1, 1, 0, 0, 0, 0, 0, 0))
	}
	waitFor(t, 30*time.Second, "the desk did not catch up", func() bool { return c.main.sessions(t) == before+len(ids) })
	if got := c.count(t, "SELECT count(DISTINCT id) FROM kiosk.items WHERE kind = 'session'"); got != "205" {
		t.Errorf("the server holds %s sessions", got)
	}
	kiosk.verify(t)
	c.main.verify(t)
}

// An urgent session raises the alert at every desk within 2 s of its
// commit at the kiosk (the help button's record), an answer there reaches
// the other desk and the kiosk.
func TestUrgentReachesEveryDesk(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	other := c.join(t, "desk-2", "desk")
	type seen struct {
		mu sync.Mutex
		at map[string]time.Time
	}
	heard := map[string]*seen{}
	for _, d := range []*node{c.main, other} {
		s := &seen{at: map[string]time.Time{}}
		heard[d.cfg.Name] = s
		d.run(t, func(p hub.Pulled) {
			s.mu.Lock()
			for _, id := range p.Urgent {
				if _, ok := s.at[id]; !ok {
					s.at[id] = time.Now()
				}
			}
			s.mu.Unlock()
		})
	}
	kiosk.run(t, nil)
	time.Sleep(300 * time.Millisecond) // all connected
	start := time.Now()
	id := kiosk.visit(t, "Ana", "Lopez", true, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	for name, s := range heard {
		waitFor(t, 5*time.Second, name+" heard no alert", func() bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			_, ok := s.at[id]
			return ok
		})
		s.mu.Lock()
		if d := s.at[id].Sub(start); d > 2*time.Second {
			t.Errorf("%s heard the alert after %v", name, d)
		}
		s.mu.Unlock()
	}
	if err := c.main.staff.Acknowledge(ctx, id); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*node{other, kiosk} {
		waitFor(t, 5*time.Second, n.cfg.Name+" never heard the acknowledgement", func() bool {
			var by string
			n.raw(t).QueryRow("SELECT acked_by FROM sessions WHERE id = ?", id).Scan(&by)
			return by != ""
		})
	}
}
