package hub_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/hub"
)

// BenchmarkCommitToDesk: a session's first commit at a kiosk until a
// desk has pulled it, on loopback, while 4 kiosks push (each patient
// tapping every 100 ms); median and p95 (targets: p95 at most 1 s,
// alerts at most 2 s).
func BenchmarkCommitToDesk(b *testing.B) {
	ctx := context.Background()
	c := newClinic(b)
	var kiosks []*node
	for i := range 4 {
		kiosks = append(kiosks, c.join(b, "kiosk-"+string(rune('a'+i)), hub.Kiosk))
	}
	var mu sync.Mutex
	committed := map[string]time.Time{}
	var lat []time.Duration
	c.main.run(b, func(p hub.Pulled) {
		now := time.Now()
		mu.Lock()
		for _, id := range p.Sessions {
			if at, ok := committed[id]; ok {
				lat = append(lat, now.Sub(at))
				delete(committed, id)
			}
		}
		mu.Unlock()
	})
	for _, k := range kiosks {
		k.run(b, nil)
	}
	time.Sleep(300 * time.Millisecond)
	b.ResetTimer()
	for range b.N {
		var wg sync.WaitGroup
		for _, k := range kiosks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					id := newID(b)
					start := k.now()
					mu.Lock()
					if err := k.st.CreateSession(ctx, id, intakekiosk.Screening, start); err != nil {
						mu.Unlock()
						b.Error(err)
						return
					}
					committed[id] = time.Now()
					mu.Unlock()
					for j := range 5 {
						time.Sleep(100 * time.Millisecond)
						if err := k.st.Append(ctx, id, k.now(), intakekiosk.Payload{Event: intakekiosk.Event{Lang: "es"}}); err != nil && j == 0 {
							b.Error(err)
						}
					}
					if err := k.st.Complete(ctx, id, k.now()); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		wg.Wait()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		left := len(committed)
		mu.Unlock()
		if left == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.StopTimer()
	mu.Lock()
	defer mu.Unlock()
	if len(committed) > 0 {
		b.Fatalf("%d sessions never reached the desk", len(committed))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-p95")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkCatchUp: 10,000 sessions of 60 records each from a kiosk into
// the hub, then into a fresh desk (target: 1,000 sessions/s each way).
func BenchmarkCatchUp(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		c := newClinic(b)
		fresh := c.join(b, "desk-fresh", hub.Desk)
		kiosk := c.join(b, "kiosk-1", hub.Kiosk)
		n := catchUpSessions
		kiosk.many(b, n, 60)
		conn := kiosk.server(b)
		b.StartTimer()
		start := time.Now()
		p, err := kiosk.hub.Push(ctx, conn)
		if err != nil || p.Sessions != n {
			b.Fatalf("push %+v: %v", p, err)
		}
		push := time.Since(start)
		start = time.Now()
		got, err := fresh.hub.Pull(ctx, fresh.server(b))
		if err != nil || len(got.Sessions) != n {
			b.Fatalf("pull %d: %v", len(got.Sessions), err)
		}
		pull := time.Since(start)
		b.StopTimer()
		// every record arrived, sealed as the kiosk wrote it
		var recs int
		if err := fresh.raw(b).QueryRow("SELECT count(*) FROM records r JOIN sessions s ON s.id = r.session_id WHERE s.site = 'kiosk-1'").Scan(&recs); err != nil || recs != n*60 {
			b.Fatalf("the desk holds %d of the kiosk's %d records: %v", recs, n*60, err)
		}
		b.ReportMetric(float64(n)/push.Seconds(), "push-sessions/s")
		b.ReportMetric(float64(n)/pull.Seconds(), "pull-sessions/s")
	}
}

// newID is a new session id of the kiosk's form.
func newID(b testing.TB) string {
	id, err := uuid.NewV7()
	if err != nil {
		b.Fatal(err)
	}
	return id.String()
}

// catchUpSessions is the catch-up benchmark's size.
const catchUpSessions = 10_000

// BenchmarkDeskDay: a desk's sync through a simulated 8-hour clinic day
// (4 kiosks, 4 patients an hour each, 30 taps a patient, pushed live)
// compressed into seconds; the live heap after a collection at each
// quarter of the day (target: flat).
func BenchmarkDeskDay(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		c := newClinic(b)
		var kiosks []*node
		for i := range 4 {
			kiosks = append(kiosks, c.join(b, "kiosk-"+string(rune('a'+i)), hub.Kiosk))
		}
		before := c.main.sessions(b)
		c.main.run(b, nil)
		for _, k := range kiosks {
			k.run(b, nil)
		}
		heap := func() float64 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return float64(m.HeapInuse) / (1 << 20)
		}
		var marks []float64
		const hours, perHour, taps = 8, 4, 30
		for h := range hours {
			var wg sync.WaitGroup
			for _, k := range kiosks {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range perHour {
						id := newID(b)
						if err := k.st.CreateSession(ctx, id, intakekiosk.Screening, k.now()); err != nil {
							b.Error(err)
							return
						}
						for range taps {
							if err := k.st.Append(ctx, id, k.now(), intakekiosk.Payload{Event: intakekiosk.Event{Lang: "es"}}); err != nil {
								b.Error(err)
								return
							}
						}
						if err := k.st.Complete(ctx, id, k.now()); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			wg.Wait()
			if h%2 == 1 {
				marks = append(marks, heap())
			}
		}
		want := before + hours*perHour*len(kiosks)
		deadline := time.Now().Add(30 * time.Second)
		for c.main.sessions(b) < want && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got := c.main.sessions(b); got < want {
			b.Fatalf("the desk holds %d sessions of %d", got, want)
		}
		for i, m := range marks {
			b.ReportMetric(m, fmt.Sprintf("MB-heap-%dh", 2*(i+1)))
		}
	}
}
