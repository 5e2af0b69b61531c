package fhir

import (
	"bytes"
	"flag"
	"fmt"
	"runtime"
	"testing"

	"intakekiosk/review"
)

var benchSessions = flag.Int("sessions", 10_000, "sessions per BenchmarkWriteBundle operation")

// counter counts the bytes written to it.
type counter int64

func (c *counter) Write(p []byte) (int, error) {
	*c += counter(len(p))
	return len(p), nil
}

// BenchmarkWriteBundle streams -sessions whole synthetic screenings (each
// its own patient) to a byte counter, as an iterator would hand them over.
// It reports sessions/s, the Bundle's size, and how much the live heap
// grew from the first tenth of the sessions to the end (the Writer keeps
// only the Patients' ids, so this should stay well under a megabyte per
// 10,000 patients).
func BenchmarkWriteBundle(b *testing.B) {
	cat := catalog(b)
	n := *benchSessions
	pool := make([]review.Detail, 50)
	for i := range pool {
		pool[i] = screeningDetail(b, cat, uint64(i), "", 0.05+float64(i%10)/10, nil)
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-%07d", i)
	}
	var size counter
	var growth int64
	first := true
	b.ReportAllocs()
	for b.Loop() {
		size = 0
		w, err := NewWriter(&size, cat, Options{BaseURL: testBase, Now: exportAt})
		if err != nil {
			b.Fatal(err)
		}
		var base int64
		for i := range n {
			if first && (i == n/10 || i == n-1) {
				b.StopTimer()
				h := liveHeap()
				if i == n/10 {
					base = h
				} else {
					growth = h - base
				}
				b.StartTimer()
			}
			d := pool[i%len(pool)]
			d.Session.ID = ids[i]
			if err := w.Add(d); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		first = false
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
	b.ReportMetric(float64(size)/(1<<20), "MB/bundle")
	b.ReportMetric(float64(growth)/(1<<10), "heap-growth-KB")
}

// liveHeap is the heap in use after a collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkRead reads back a Bundle of 1,000 whole screenings.
func BenchmarkRead(b *testing.B) {
	cat := catalog(b)
	pool := make([]review.Detail, 1000)
	for i := range pool {
		pool[i] = screeningDetail(b, cat, uint64(i), fmt.Sprintf("read-%04d", i), 0.05+float64(i%10)/10, nil)
	}
	data := export(b, cat, pool...)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		list, err := Read(bytes.NewReader(data), cat, readOpts)
		if err != nil || len(list) != len(pool) {
			b.Fatalf("%d sessions, %v", len(list), err)
		}
	}
	b.ReportMetric(float64(len(pool))*float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
}
