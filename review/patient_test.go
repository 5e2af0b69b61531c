package review

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
)

// patientWith stores a screening of who, gives it a code, and stores the
// check-ins made by checkins(patientID).
func patientWith(tb testing.TB, st *sqlite.Store, g demo.Generator, who screening.Identity, checkins func(string) []sqlite.NewSession) (string, string) {
	tb.Helper()
	ctx := context.Background()
	scr := screeningAt(tb, g, "scr-"+who.Last, today.Add(-10*24*time.Hour), 0.6, who)
	if err := st.AddSessions(ctx, []sqlite.NewSession{scr}); err != nil {
		tb.Fatal(err)
	}
	patient, code, err := st.IssueCode(ctx, scr.ID, who.Birth, "Ada", today.Add(-10*24*time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	if err := st.AddSessions(ctx, checkins(patient)); err != nil {
		tb.Fatal(err)
	}
	return patient, code
}

func TestLoadPatient(t *testing.T) {
	ctx := context.Background()
	st, key := setUp(t)
	cat := testkit.Catalog(t)
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(11, 12))}
	lastDose := today.Add(-9*24*time.Hour - 4*time.Hour)
	who := screening.Identity{First: "Begoña", Last: "Zúñiga", Birth: "1979-01-02"}
	patient, code := patientWith(t, st, g, who, func(p string) []sqlite.NewSession {
		list, err := g.Detox(p, lastDose, 10, today)
		if err != nil {
			t.Fatal(err)
		}
		return list
	})
	plan := &trend.Plan{Start: today.Add(-3 * 24 * time.Hour), StartDose: 10, Percent: 25, EveryDays: 2}
	if err := st.SetPlan(ctx, patient, key, plan, "Ada", today); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPatient(ctx, st, patient, key, cat)
	if err != nil {
		t.Fatal(err)
	}
	if p.Code != code || p.Identity().Last != "Zúñiga" || p.Plan == nil || p.Plan.StartDose != 10 {
		t.Errorf("patient code %q, identity %+v, plan %+v", p.Code, p.Identity(), p.Plan)
	}
	if len(p.Checkins) < 6 || len(p.Points) != len(p.Checkins) {
		t.Fatalf("%d check-ins, %d points", len(p.Checkins), len(p.Points))
	}
	peak := 0
	for i, pt := range p.Points {
		if i > 0 && !pt.At.After(p.Points[i-1].At) {
			t.Errorf("points out of order at %d", i)
		}
		if !pt.Scored || pt.LastDose.IsZero() || pt.Sleep < 0 || pt.Craving < 0 || pt.Grams != 0 {
			t.Errorf("point %d: %+v", i, pt)
		}
		if pt.Withdrawal > p.Points[peak].Withdrawal {
			peak = i
		}
	}
	if d, _ := p.Points[peak].DaySinceDose(); d < 2 || d > 5 {
		t.Errorf("withdrawal peaks on day %d of the synthetic detox", d)
	}
	// the screening's triggers and coping steps feed the report
	if len(p.ScreeningChoices("triggers"))+len(p.ScreeningChoices("coping")) == 0 {
		t.Error("no triggers or coping steps from the screening")
	}
	// the queue names a check-in by its patient's screening, and a code
	// search finds both
	x := NewIndex(st, key, cat)
	rows, _ := x.Range(ctx, time.Time{}, time.Time{})
	if _, err := x.Open(ctx, rows, nil); err != nil {
		t.Fatal(err)
	}
	found := Search(rows, ParseQuery(strings.ToLower(code[:4]+" "+code[4:])))
	kinds := map[intakekiosk.SessionKind]int{}
	for _, r := range found {
		kinds[r.Session.Kind]++
		if r.Summary.Short() != "Begoña Z." {
			t.Errorf("row %s names %q", r.Session.ID, r.Summary.Short())
		}
	}
	if kinds[intakekiosk.Screening] != 1 || kinds[intakekiosk.Checkin] != len(p.Checkins) {
		t.Errorf("a code search found %v", kinds)
	}
}

// BenchmarkPatientTimeline loads one patient's timeline (14 check-ins
// over 10 days, their screening and records) in a database of 100,000
// sessions: one indexed query, then each session opened (target: under
// 20 ms).
func BenchmarkPatientTimeline(b *testing.B) {
	ctx := context.Background()
	st, key := setUp(b)
	cat := testkit.Catalog(b)
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(13, 14))}
	var batch []sqlite.NewSession
	for i := range 100_000 {
		at := today.Add(-time.Duration(i) * 5 * time.Minute)
		idt := g.Identity(at)
		batch = append(batch, sqlite.NewSession{ID: fmt.Sprintf("s%06d", i), Kind: intakekiosk.Screening, Status: intakekiosk.New, Reviewed: at.Add(time.Hour), ReviewedBy: "Ada",
			Started: at, Completed: at.Add(10 * time.Minute), Records: []intakekiosk.Record{{Recorded: at, Payload: intakekiosk.Payload{Identity: &idt}}}})
		if len(batch) == 5000 {
			if err := st.AddSessions(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	lastDose := today.Add(-10 * 24 * time.Hour)
	patient, _ := patientWith(b, st, g, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"}, func(p string) []sqlite.NewSession {
		var list []sqlite.NewSession
		for i := range 14 {
			at := lastDose.Add(time.Duration(10+i*17) * time.Hour)
			ns, err := g.Checkin(fmt.Sprintf("c%02d", i), p, at, lastDose, 0, 0.5)
			if err != nil {
				b.Fatal(err)
			}
			list = append(list, ns)
		}
		return list
	})
	for b.Loop() {
		p, err := LoadPatient(ctx, st, patient, key, cat)
		if err != nil || len(p.Points) != 14 {
			b.Fatal(len(p.Points), err)
		}
		_ = p.Flags(today, time.UTC)
	}
}

// A check-in's amount reads as the trend needs it: a number given, none
// (0 g, 0 doses) when the grams of the last 24 hours were not asked
// because the last dose was over a day before, and missing (-1) when
// asked and not answered, or when the last dose is not known.
func TestPointOfAmount(t *testing.T) {
	cat := testkit.Catalog(t)
	at := today.Add(-2 * time.Hour)
	ago := func(h float64) screening.Answer {
		ld := at.Add(-time.Duration(h * float64(time.Hour)))
		return screening.Answer{Instrument: "checkin_use", Item: "last_dose", Time: &ld, Given: "hours", Amount: h, At: at}
	}
	num := func(item string, n float64) screening.Answer {
		return screening.Answer{Instrument: "checkin_use", Item: item, Number: &n, At: at}
	}
	declined := screening.Answer{Instrument: "checkin_use", Item: "last_dose", Declined: true, At: at}
	tests := []struct {
		name    string
		answers []screening.Answer
		grams   float64
		doses   int
	}{
		{"last dose 2 days ago", []screening.Answer{ago(48)}, 0, 0},
		{"last dose 25 hours ago", []screening.Answer{ago(25)}, 0, 0},
		{"some taken today", []screening.Answer{ago(3), num("grams", 4.5), num("doses", 3)}, 4.5, 3},
		{"none taken, last dose within the day", []screening.Answer{ago(20), num("grams", 0)}, 0, 0},
		{"amount not answered", []screening.Answer{ago(20)}, -1, -1},
		{"last dose declined, amount not answered", []screening.Answer{declined}, -1, -1},
		{"nothing answered", nil, -1, -1},
	}
	plan := &trend.Plan{Start: today.Add(-5 * 24 * time.Hour), StartDose: 2, Percent: 50, EveryDays: 1}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := screening.NewSessionFor(cat, screening.ForCheckin, nil)
			for _, a := range tt.answers {
				if _, err := s.Set(a, at); err != nil {
					t.Fatal(err)
				}
			}
			d := Detail{Session: intakekiosk.Session{ID: "c1", Kind: intakekiosk.Checkin, Started: at.Add(-5 * time.Minute), Completed: at},
				Visit: intakekiosk.Visit{Session: s}}
			pt := PointOf(d)
			if pt.Grams != tt.grams || pt.Doses != tt.doses {
				t.Errorf("grams %v doses %d, want %v %d", pt.Grams, pt.Doses, tt.grams, tt.doses)
			}
			// only a dose reported above the plan is over it
			over := false
			for _, f := range trend.Flags([]trend.Point{pt}, plan, today, time.UTC) {
				over = over || f.Kind == trend.OverPlan
			}
			if want := tt.grams > 0.1; over != want {
				t.Errorf("over plan %v, want %v", over, want)
			}
		})
	}
}

// A patient's measures are every scored instrument of their screening
// and check-ins, on a schedule: the screening's PHQ-9 first, then the
// check-ins' PHQ-9s and BAMs as each was due.
func TestPatientMeasures(t *testing.T) {
	ctx := context.Background()
	st, key := setUp(t)
	cat := testkit.Catalog(t)
	sched, err := screening.ParseSchedule("sows, checkin_safety, bam:7, phq9:14, gad7:14")
	if err != nil {
		t.Fatal(err)
	}
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(5, 6)), Schedule: sched, Asked: map[string]map[string]string{}}
	who := screening.Identity{First: "Iñaki", Last: "Ortega", Birth: "1985-05-05"}
	patient, _ := patientWith(t, st, g, who, func(p string) []sqlite.NewSession {
		list, err := g.Recovery(p, today.Add(-9*24*time.Hour), 2, today)
		if err != nil {
			t.Fatal(err)
		}
		return list
	})
	p, err := LoadPatient(ctx, st, patient, key, cat)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	var firstPHQ time.Time
	for _, m := range p.Measures() {
		count[m.Result.Instrument.ID]++
		if m.Result.Instrument.ID == "phq9" && firstPHQ.IsZero() {
			firstPHQ = m.At
		}
	}
	// the screening (ten days ago) and the first check-in's PHQ-9 (none
	// since: not two weeks); one BAM a week; a SOWS a check-in
	if count["phq9"] != 2 || count["bam"] != 2 || count["sows"] < len(p.Checkins)-1 || !firstPHQ.Equal(p.Screening.At()) {
		t.Errorf("measures %v over %d check-ins, the first PHQ-9 at %v", count, len(p.Checkins), firstPHQ)
	}
}
