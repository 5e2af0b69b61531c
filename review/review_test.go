package review

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// setUp opens a new database with an admin and returns it with the clinic
// key.
func setUp(tb testing.TB) (*sqlite.Store, *vault.ClinicKey) {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "kiosk.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.SetUp(ctx, "Ada", "correct horse battery", today); err != nil {
		tb.Fatal(err)
	}
	key, _, err := st.Unlock(ctx, "Ada", "correct horse battery", today)
	if err != nil {
		tb.Fatal(err)
	}
	return st, key
}

// screening makes a synthetic session with a fixed identity.
func screeningAt(tb testing.TB, g demo.Generator, id string, at time.Time, sev float64, who screening.Identity) sqlite.NewSession {
	tb.Helper()
	ns, err := g.Screening(id, at, sev)
	if err != nil {
		tb.Fatal(err)
	}
	ns.Records[0].Identity = &who
	return ns
}

func TestQueue(t *testing.T) {
	ctx := context.Background()
	st, key := setUp(t)
	cat := testkit.Catalog(t)
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(1, 2))}
	ana := screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"}
	jose := screening.Identity{First: "José", Last: "Peña-Ibáñez", Birth: "1990-12-01"}
	list := []sqlite.NewSession{
		screeningAt(t, g, "early", today.Add(9*time.Hour), 0, ana),
		screeningAt(t, g, "urgent-old", today.Add(10*time.Hour), 0, jose),
		screeningAt(t, g, "late", today.Add(15*time.Hour), 0, ana),
		screeningAt(t, g, "urgent-done", today.Add(16*time.Hour), 0, jose),
		screeningAt(t, g, "yesterday", today.Add(-2*time.Hour), 0, ana),
	}
	for i := range list {
		list[i].Urgent, list[i].Attention = false, false // the demo's answers may raise either
	}
	list[1].Urgent, list[3].Urgent = true, true
	// printed, the urgent session stays pinned: only a review unpins it
	list[1].Printed = today.Add(11 * time.Hour)
	list[3].Reviewed, list[3].ReviewedBy = today.Add(17*time.Hour), "Ada"
	if err := st.AddSessions(ctx, list); err != nil {
		t.Fatal(err)
	}
	x := NewIndex(st, key, cat)
	rows, err := x.Range(ctx, today, today.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.Session.ID)
		if r.Summary != nil {
			t.Errorf("%s summarized before Open", r.Session.ID)
		}
	}
	// urgent still to review pinned, printed or not; the reviewed urgent
	// one in time order
	if got, want := strings.Join(ids, " "), "urgent-old urgent-done late early"; got != want {
		t.Errorf("queue order %q, want %q", got, want)
	}
	var calls atomic.Int32
	if n, err := x.Open(ctx, rows, func(done, total int) {
		calls.Add(1)
		if total != 4 || done < 1 || done > 4 {
			t.Errorf("progress %d of %d", done, total)
		}
	}); err != nil || n != 4 {
		t.Fatal(n, err)
	}
	if calls.Load() != 4 {
		t.Errorf("%d progress calls, want 4", calls.Load())
	}
	s := rows[0].Summary
	if s == nil || s.Short() != "José P." || len(s.Scores) < 4 {
		t.Fatalf("summary %+v", s)
	}
	if s.Scores[0].Code == "" {
		t.Errorf("scores %+v", s.Scores)
	}
	// a second Open opens nothing: the summaries are remembered
	calls.Store(0)
	again, _ := x.Range(ctx, today, time.Time{})
	if n, err := x.Open(ctx, again, func(int, int) { calls.Add(1) }); err != nil || n != 0 || calls.Load() != 0 {
		t.Errorf("reopened %d, %v", calls.Load(), err)
	}
	for _, tc := range []struct{ q, want string }{
		{"ana", "late early"},
		{"ANA ruiz", "late early"},
		{"r", "late early"},
		{"pena", "urgent-old urgent-done"},
		{"ibanez jose", "urgent-old urgent-done"},
		{"josé p", "urgent-old urgent-done"},
		{"3/7/1985", "late early"},
		{"03/07/1985", "late early"},
		{"1985-03-07", "late early"},
		{"March 7, 1985", "late early"},
		{"12/1/1990", "urgent-old urgent-done"},
		{"3/8/1985", ""},
		{"uiz", ""},
		{"maria", ""},
	} {
		var got []string
		for _, r := range Search(again, ParseQuery(tc.q)) {
			got = append(got, r.Session.ID)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("search %q = %v, want %q", tc.q, got, tc.want)
		}
	}
}

func TestLoadAndNotes(t *testing.T) {
	ctx := context.Background()
	st, key := setUp(t)
	cat := testkit.Catalog(t)
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(3, 4))}
	ns := screeningAt(t, g, "s1", today.Add(9*time.Hour), 0.9, screening.Identity{First: "Begoña", Last: "Zúñiga", Birth: "1979-01-02"})
	if err := st.AddSessions(ctx, []sqlite.NewSession{ns}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddNote(ctx, "s1", key, intakekiosk.Note{By: "Ada", Text: "Referred to IOP"}, today.Add(11*time.Hour)); err != nil {
		t.Fatal(err)
	}
	d, err := Load(ctx, st, "s1", key, cat)
	if err != nil {
		t.Fatal(err)
	}
	if d.Identity.Last != "Zúñiga" || len(d.Notes) != 1 || d.Notes[0].By != "Ada" || !d.At().Equal(ns.Completed) {
		t.Errorf("detail %+v", d)
	}
	in := d.Input("Clinic", today, time.UTC)
	if len(in.Notes) != 1 || in.Notes[0].Text != "Referred to IOP" || in.SessionID != "s1" {
		t.Errorf("input %+v", in)
	}
	if _, err := Load(ctx, st, "nope", key, cat); err == nil {
		t.Error("loaded a session that does not exist")
	}
}

func TestDamagedSession(t *testing.T) {
	ctx := context.Background()
	st, key := setUp(t)
	cat := testkit.Catalog(t)
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(5, 6))}
	ns := screeningAt(t, g, "s1", today.Add(9*time.Hour), 0.5, screening.Identity{First: "Ana", Last: "Ruiz"})
	// a second clinic's key: this clinic's staff cannot open its session
	other, otherKey := setUp(t)
	if err := other.AddSessions(ctx, []sqlite.NewSession{ns}); err != nil {
		t.Fatal(err)
	}
	_ = otherKey
	x := NewIndex(other, key, cat)
	rows, err := x.Range(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Open(ctx, rows, nil); err != nil {
		t.Fatal(err)
	}
	if rows[0].Summary == nil || !rows[0].Summary.Damaged {
		t.Errorf("summary of a session this key cannot open: %+v", rows[0].Summary)
	}
	_ = st
}

func TestSummaryShort(t *testing.T) {
	for _, tc := range []struct{ first, last, want string }{
		{"Ana", "Ruiz", "Ana R."},
		{"María José", "Ñúñez", "María José Ñ."},
		{"Ana", "", "Ana"},
		{"", "Ruiz", "R."},
		{" ", " ", ""},
	} {
		s := &Summary{Identity: screening.Identity{First: tc.first, Last: tc.last}}
		if got := s.Short(); got != tc.want {
			t.Errorf("Short(%q, %q) = %q, want %q", tc.first, tc.last, got, tc.want)
		}
	}
}

// BenchmarkSearch30Days searches the last 30 days of a database of 100,000
// sessions spread over a year (about 8,200 in the 30 days): list them,
// summarize each and match a name. "first" finds the summary cache empty
// (each session opened with the clinic key and replayed, its summary
// cached); "cold" is a new Index over the cache filled (what a desk sees
// after a sign-in: one unwrap of the cache's key, each summary opened
// from the cache); "warm" searches again with the index built;
// "cold-pushing" is "cold" while four kiosks' sessions arrive (four
// writers each adding a session in the range every 100 ms, 40 a second,
// far above a clinic's pace), each new one opened and cached by the next
// search.
func BenchmarkSearch30Days(b *testing.B) {
	ctx := context.Background()
	st, key := setUp(b)
	cat := testkit.Catalog(b)
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(7, 8))}
	const total = 100_000
	step := 365 * 24 * time.Hour / total
	var batch []sqlite.NewSession
	for i := range total {
		at := today.Add(-time.Duration(i) * step)
		var ns sqlite.NewSession
		if at.After(today.AddDate(0, 0, -30)) {
			ns, _ = g.Screening(fmt.Sprintf("s%06d", i), at, g.Rand.Float64())
		} else {
			// older sessions are never opened here: identity only
			idt := g.Identity(at)
			ns = sqlite.NewSession{ID: fmt.Sprintf("s%06d", i), Kind: intakekiosk.Screening, Status: intakekiosk.New, Reviewed: at.Add(time.Hour), ReviewedBy: "Ada", Started: at, Completed: at.Add(10 * time.Minute),
				Records: []intakekiosk.Record{{Recorded: at, Payload: intakekiosk.Payload{Identity: &idt}}}}
		}
		batch = append(batch, ns)
		if len(batch) == 5000 {
			if err := st.AddSessions(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	from := today.AddDate(0, 0, -30)
	q := ParseQuery("ana r")
	// search lists the 30 days, opens what the index does not know yet
	// and matches a name
	search := func(b *testing.B, x *Index) []Row {
		rows, err := x.Range(ctx, from, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		if n, err := x.Open(ctx, rows, nil); err != nil || n > len(rows) {
			b.Fatal(n, err)
		}
		if len(Search(rows, q)) == 0 {
			b.Fatal("no match")
		}
		return rows
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			forgetSummaries(b, st)
			b.StartTimer()
			rows := search(b, NewIndex(st, key, cat))
			b.ReportMetric(float64(len(rows)), "sessions")
		}
	})
	search(b, NewIndex(st, key, cat)) // the cache filled
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			rows := search(b, NewIndex(st, key, cat))
			b.ReportMetric(float64(len(rows)), "sessions")
		}
	})
	b.Run("warm", func(b *testing.B) {
		x := NewIndex(st, key, cat)
		search(b, x)
		for b.Loop() {
			search(b, x)
		}
	})
	round := 0 // -count runs it again: new sessions each time
	b.Run("cold-pushing", func(b *testing.B) {
		const kiosks, each = 4, 200
		round++
		arriving := make([][]sqlite.NewSession, kiosks)
		for k := range arriving {
			for n := range each {
				ns, err := g.Screening(fmt.Sprintf("k%d-%04d-%d", k, n, round), today.Add(-time.Duration(n)*time.Second), g.Rand.Float64())
				if err != nil {
					b.Fatal(err)
				}
				arriving[k] = append(arriving[k], ns)
			}
		}
		stop := make(chan struct{})
		var pushing sync.WaitGroup
		for _, list := range arriving {
			pushing.Go(func() {
				tick := time.NewTicker(100 * time.Millisecond)
				defer tick.Stop()
				for _, ns := range list {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					if err := st.AddSessions(ctx, []sqlite.NewSession{ns}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		for b.Loop() {
			rows := search(b, NewIndex(st, key, cat))
			b.ReportMetric(float64(len(rows)), "sessions")
		}
		close(stop)
		pushing.Wait()
	})
}

// forgetSummaries empties the summary cache as a database without one.
func forgetSummaries(tb testing.TB, st *sqlite.Store) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.Path()+"?_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM summaries; DELETE FROM summary_key"); err != nil {
		tb.Fatal(err)
	}
}

// Print jobs and saved files name a session by the random end of its id:
// sessions started the same minute differ there.
func TestShortID(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"0190c0de-0000-7000-8000-0000000000aa", "000000aa"},
		{"0190c0de-1111-7000-8000-4f2a9c0d1e7b", "9c0d1e7b"},
		{"s1", "s1"},
	} {
		if got := ShortID(tc.id); got != tc.want {
			t.Errorf("ShortID(%q) = %q, want %q", tc.id, got, tc.want)
		}
		if got := JobTitle(tc.id); got != "Intake summary "+tc.want {
			t.Errorf("JobTitle(%q) = %q", tc.id, got)
		}
	}
}
