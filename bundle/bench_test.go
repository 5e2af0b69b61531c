package bundle

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"intakekiosk/demo"
	"intakekiosk/exchange"
	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
)

// bigSatellite is a satellite database of n sessions, each a copy of one
// synthetic screening's 60-odd records, sealed afresh.
func bigSatellite(b *testing.B, main *clinic, n int) *clinic {
	sat := newClinic(b, "North", main)
	g := demo.Generator{Catalog: testkit.Catalog(b), Rand: rand.New(rand.NewPCG(9, 9))}
	tmpl, err := g.Screening("t", now, 0.5)
	if err != nil {
		b.Fatal(err)
	}
	testkit.Copies(b, sat.st, tmpl, now, n)
	return sat
}

// heapMB is the live heap after a collection.
func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// BenchmarkBundle100k exports 100,000 sessions as a bundle and imports
// it at the main clinic (targets: under 60 s each, memory flat).
func BenchmarkBundle100k(b *testing.B) {
	const n = 100_000
	main := newClinic(b, "Main", nil)
	sat := bigSatellite(b, main, n)
	register(b, main, sat, "North")
	path := filepath.Join(b.TempDir(), "bundle.jsonl")
	b.Run("export", func(b *testing.B) {
		for b.Loop() {
			os.Remove(path)
			f, _ := os.Create(path)
			base := heapMB()
			got, err := Export(context.Background(), f, sat.st, sat.key, now.AddDate(-1, 0, 0), now, "")
			f.Close()
			if err != nil || len(got.Sessions) != n {
				b.Fatal(len(got.Sessions), err)
			}
			b.ReportMetric(heapMB()-base, "heap-MB-after")
		}
		fi, _ := os.Stat(path)
		b.ReportMetric(float64(fi.Size())/(1<<20), "MB-bundle")
	})
	b.Run("import", func(b *testing.B) {
		for b.Loop() {
			// one run: the first import adds every session (a second would
			// find them all here already)
			base := heapMB()
			res, err := Import(context.Background(), func() (io.ReadCloser, error) { return os.Open(path) }, main.st, "Ada", now)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(res.Added+res.Existing), "sessions")
			b.ReportMetric(heapMB()-base, "heap-MB-after")
		}
	})
	b.Run("reimport", func(b *testing.B) {
		// the same bundle again: every session is here, each checked for
		// later records
		for b.Loop() {
			res, err := Import(context.Background(), func() (io.ReadCloser, error) { return os.Open(path) }, main.st, "Ada", now)
			if err != nil || res.Existing != n {
				b.Fatal(res.Summary(), err)
			}
		}
	})
	b.Run("export-nothing-new", func(b *testing.B) {
		// every session exported already (after its records, which the
		// template puts after now): the "not yet exported or
		// changed since" bundle looks at each and holds none
		ids := make([]string, n)
		for i := range ids {
			ids[i] = testkit.CopyID(i)
		}
		if err := sat.st.MarkSent(context.Background(), exchange.Sent{Dest: Destination, At: now.Add(24 * time.Hour), Sessions: ids}, sqlite.Entry{At: now, Actor: "Ada", Action: sqlite.ActExport}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			got, err := Export(context.Background(), io.Discard, sat.st, sat.key, time.Time{}, now, "")
			if err != nil || len(got.Sessions) != 0 {
				b.Fatal(len(got.Sessions), err)
			}
		}
	})
}
