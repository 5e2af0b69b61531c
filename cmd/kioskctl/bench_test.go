package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"intakekiosk/demo"
	"intakekiosk/sqlite"
)

// BenchmarkExportFHIR100k exports 100,000 whole screenings from a real
// database as a FHIR Bundle: each session opened with the clinic key and
// written as it is read (target: under 60 s, memory flat).
func BenchmarkExportFHIR100k(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "k.db")
	st, err := sqlite.Open(ctx, path, sqlite.Options{WorkFactor: 10})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	st.SetUp(ctx, "Ada", "correct horse battery", now)
	key, _, err := st.Unlock(ctx, "Ada", "correct horse battery", now)
	if err != nil {
		b.Fatal(err)
	}
	g := &globals{db: path}
	cat, _ := g.catalog()
	gen := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(4, 4))}
	tmpl, err := gen.Screening("t", now, 0.5)
	if err != nil {
		b.Fatal(err)
	}
	var batch []sqlite.NewSession
	for i := range 100_000 {
		ns := tmpl
		ns.ID = fmt.Sprintf("s%07d", i)
		ns.Started = now.Add(-time.Duration(i) * time.Minute)
		ns.Completed = ns.Started.Add(20 * time.Minute)
		batch = append(batch, ns)
		if len(batch) == 5000 {
			if err := st.AddSessions(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		cw := &countWriter{}
		n, err := exportFHIR(ctx, cw, st, key, cat, time.Time{})
		if err != nil || n != 100_000 {
			b.Fatal(n, err)
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(cw.n)/(1<<20), "MB-json")
		b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/(1<<20), "heap-MB-after")
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
