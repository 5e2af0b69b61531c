package fhir

import (
	"bytes"
	"context"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

// Export writes a database's finished sessions, oldest first, each
// check-in named by its patient's screening, and reads back whole.
func TestExport(t *testing.T) {
	ctx := context.Background()
	st, key := testkit.Store(t, sqlite.Options{})
	cat := catalog(t)
	// a seed whose demo clinic has no check-in inside a screening's time:
	// the export is oldest first by start, read back by the time authored
	if _, err := demo.Fill(ctx, st, key, generator(cat, 3), exportAt, 12, testkit.Admin); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSession(ctx, "still-answering", intakekiosk.Screening, exportAt); err != nil {
		t.Fatal(err)
	}
	all, err := st.Sessions(ctx, sqlite.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	finished, checkins := 0, 0
	for _, ss := range all {
		if ss.Status != intakekiosk.InProgress {
			finished++
			if ss.Kind == intakekiosk.Checkin {
				checkins++
			}
		}
	}
	if checkins == 0 {
		t.Fatal("the demo clinic has no check-ins")
	}
	tests := []struct {
		name  string
		since time.Time
		want  int
	}{
		{"every finished session", time.Time{}, finished},
		{"none started since", exportAt.Add(time.Hour), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			n, err := Export(ctx, &out, st, key, cat, tt.since, Options{BaseURL: testBase, Now: exportAt}, nil)
			if err != nil || n != tt.want {
				t.Fatalf("Export = %d, %v; want %d", n, err, tt.want)
			}
			list, err := Read(&out, cat, readOpts)
			if err != nil || len(list) != tt.want {
				t.Fatalf("read back %d sessions, %v; want %d", len(list), err, tt.want)
			}
			for i, im := range list {
				if im.Identity == (screening.Identity{}) {
					t.Errorf("session %d (%s) names nobody", i, im.Source)
				}
				if i > 0 && im.Authored.Before(list[i-1].Authored) {
					t.Errorf("session %d authored before the one ahead of it", i)
				}
			}
		})
	}
}

// BenchmarkExport100k exports 100,000 whole screenings from a real
// database as a FHIR Bundle: each session opened with the clinic key and
// written as it is read (target: under 60 s, memory flat).
func BenchmarkExport100k(b *testing.B) {
	ctx := context.Background()
	st, key := testkit.Store(b, sqlite.Options{})
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	cat := catalog(b)
	gen := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(4, 4))}
	tmpl, err := gen.Screening("t", now, 0.5)
	if err != nil {
		b.Fatal(err)
	}
	testkit.Copies(b, st, tmpl, now, 100_000)
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var size counter
		n, err := Export(ctx, &size, st, key, cat, time.Time{}, Options{BaseURL: testBase, Now: now}, nil)
		if err != nil || n != 100_000 {
			b.Fatal(n, err)
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(size)/(1<<20), "MB-json")
		b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/(1<<20), "heap-MB-after")
	}
}
