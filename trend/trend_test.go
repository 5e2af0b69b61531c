package trend

import (
	"strings"
	"testing"
	"time"

	"fmt"
	_ "time/tzdata"
)

var (
	la   = time.FixedZone("PST", -8*3600)
	mon  = time.Date(2026, 11, 2, 0, 0, 0, 0, la)
	at   = func(day int, hour int) time.Time { return mon.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour) }
	none = -1
)

func point(day, hour, sows int, grams float64) Point {
	return Point{At: at(day, hour), Withdrawal: sows, Scored: sows >= 0, Grams: grams, Craving: none, Doses: none, Sleep: -1}
}

func TestDoseOn(t *testing.T) {
	pct := Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3, Quit: mon.AddDate(0, 0, 30)}
	steps := Plan{Start: mon, StartDose: 12, Steps: []Step{{at(4, 0), 9}, {at(8, 0), 6}, {at(12, 0), 0}}}
	for _, tc := range []struct {
		plan Plan
		when time.Time
		want float64
		ok   bool
	}{
		{pct, at(-1, 12), 0, false},
		{pct, at(0, 9), 20, true},
		{pct, at(2, 23), 20, true},
		{pct, at(3, 0), 18, true},
		{pct, at(6, 10), 16.2, true},
		{pct, at(30, 8), 0, true},
		{steps, at(3, 23), 12, true},
		{steps, at(4, 1), 9, true},
		{steps, at(11, 12), 6, true},
		{steps, at(20, 12), 0, true},
	} {
		got, ok := tc.plan.DoseOn(tc.when, la)
		if got != tc.want || ok != tc.ok {
			t.Errorf("DoseOn(%v) = %v, %v; want %v, %v", tc.when, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPlanValidate(t *testing.T) {
	good := Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Plan){
		"no start":       func(p *Plan) { p.Start = time.Time{} },
		"no dose":        func(p *Plan) { p.StartDose = 0 },
		"huge dose":      func(p *Plan) { p.StartDose = 500 },
		"no percent":     func(p *Plan) { p.Percent = 0 },
		"no interval":    func(p *Plan) { p.EveryDays = 0 },
		"quit before":    func(p *Plan) { p.Quit = mon.AddDate(0, 0, -1) },
		"steps backward": func(p *Plan) { p.Steps = []Step{{at(5, 0), 10}, {at(3, 0), 8}} },
		"check-in gap":   func(p *Plan) { p.CheckinDays = 31 },
		"ends before":    func(p *Plan) { p.Ends = mon.AddDate(0, 0, -1) },
	} {
		p := good
		edit(&p)
		if p.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestFlags(t *testing.T) {
	plan := &Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3}
	ps := []Point{
		point(0, 9, 10, 20),
		point(1, 9, 14, 20),
		point(2, 9, 19, 21), // rose twice; above the plan (20)
		point(3, 9, 25, 18), // rose again; on plan (18)
		point(4, 9, 20, -1),
		// day 5 missed
		point(6, 9, 15, 17),  // 16.2 today, but 18 yesterday: on plan
		point(6, 20, 14, 19), // above 16.2 and 18
		// days 7-12 missed (6 days: one flag)
		point(13, 9, 5, 10),
	}
	now := at(15, 10) // day 14 missed; day 15's may still come
	// what each flag holds (summary words it: its TestFlag)
	desc := func(f Flag) string {
		switch f.Kind {
		case Rising:
			return fmt.Sprintf("rising %v", f.Scores)
		case OverPlan:
			return fmt.Sprintf("over_plan %s: %g over %g (%s: %g)", f.Day.Format("Jan 2"), f.Grams, f.Planned, f.DayBefore.Format("Jan 2"), f.Before)
		case Missed:
			return fmt.Sprintf("missed %s to %s (%d)", f.At.Format("Mon, Jan 2"), f.To.Format("Mon, Jan 2"), f.Count)
		}
		return string(f.Kind)
	}
	var got []string
	for _, f := range Flags(ps, plan, now, la) {
		got = append(got, desc(f))
	}
	want := []string{
		"rising [10 14 19]",
		"over_plan Nov 4: 21 over 20 (Nov 3: 0)",
		"rising [14 19 25]",
		"missed Sat, Nov 7 to Sat, Nov 7 (1)",
		"over_plan Nov 8: 19 over 16.2 (Nov 7: 18)",
		"missed Mon, Nov 9 to Sat, Nov 14 (6)",
		"missed Mon, Nov 16 to Mon, Nov 16 (1)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("flags:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// a check-in at 1 a.m. is the night before's: day 14 is not missed
	for _, f := range Flags(append(ps, point(15, 1, 4, 9)), plan, now, la) {
		if f.Kind == Missed && f.At.Equal(at(14, 0)) {
			t.Errorf("a check-in past midnight leaves the day before missed: %+v", f)
		}
	}
	// without a plan: no dose flags; every other day is fine when the
	// interval says so
	plan2 := &Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3, CheckinDays: 2}
	ps2 := []Point{point(0, 9, 10, 30), point(2, 9, 9, 30), point(4, 9, 8, 30)}
	for _, f := range Flags(ps2, plan2, at(5, 9), la) {
		if f.Kind == Missed || f.Kind == Rising {
			t.Errorf("every-other-day check-ins flagged: %+v", f)
		}
	}
	if fs := Flags(ps2, nil, at(5, 9), la); len(fs) != 2 || fs[0].Kind != Missed || fs[1].Kind != Missed {
		t.Errorf("daily interval, no plan, check-in every other day: want the 2 missed days and no dose flags, got %+v", fs)
	}
}

func TestWhere(t *testing.T) {
	for _, tc := range []struct {
		h     float64
		phase Phase
		n     int
	}{
		{6, BeforeOnset, 6}, {20, Onset, 20}, {30, Peak, 2}, {50, Peak, 3}, {100, Easing, 5}, {239, Easing, 10}, {300, After, 13},
	} {
		if p, n := Where(tc.h); p != tc.phase || n != tc.n {
			t.Errorf("Where(%v) = %v, %d; want %v, %d", tc.h, p, n, tc.phase, tc.n)
		}
	}
	p := Point{At: at(2, 9), LastDose: at(0, 21)}
	if d, ok := p.DaySinceDose(); !ok || d != 2 {
		t.Errorf("day since dose %d, %v", d, ok)
	}
}

// On the day the clocks go back (25 hours), a check-in late in the day
// still weighs the day before's plan, not the same day's twice.
func TestOverAcrossClockChange(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles") // time/tzdata is linked into the test
	if err != nil {
		t.Fatal(err)
	}
	// Sunday Nov 1, 2026 is 25 hours long there; the plan steps down
	// from 20 to 18 g that day
	start := time.Date(2026, 10, 29, 0, 0, 0, 0, la)
	plan := Plan{Start: start, StartDose: 20, Percent: 10, EveryDays: 3}
	late := time.Date(2026, 11, 1, 23, 30, 0, 0, la)
	if d, _ := plan.DoseOn(late, la); d != 18 {
		t.Fatalf("plan on Nov 1: %v", d)
	}
	if plan.Over(19, late, la) {
		t.Error("19 g in the 24 h to 11:30 p.m. on the step-down day is over a plan of 20 g the day before")
	}
	if !plan.Over(21, late, la) {
		t.Error("21 g is not over 20 g")
	}
}

// Where and Course are one table: each phase starts where Course says,
// and the hour before it belongs to the phase before.
func TestWhereFollowsCourse(t *testing.T) {
	c := Course()
	for i, p := range c {
		if got, _ := Where(p.From); got != p.Phase {
			t.Errorf("Where(%v) = %v, want %v", p.From, got, p.Phase)
		}
		if i > 0 {
			if got, _ := Where(p.From - 0.5); got != c[i-1].Phase {
				t.Errorf("Where(%v) = %v, want %v", p.From-0.5, got, c[i-1].Phase)
			}
			if c[i-1].To != p.From {
				t.Errorf("phase %v ends at %v, the next starts at %v", c[i-1].Phase, c[i-1].To, p.From)
			}
		}
	}
	if got, _ := Where(1000); got != After {
		t.Errorf("Where(1000) = %v, want After", got)
	}
}

// Outside a taper, a check-in whose last dose is later than the previous
// check-in's says the patient used again; under a plan doses are planned
// and say nothing.
func TestRelapse(t *testing.T) {
	dosed := func(day, hour, doseDay int) Point {
		p := point(day, hour, 20, -1)
		p.LastDose = at(doseDay, 8)
		return p
	}
	ps := []Point{
		dosed(1, 9, 0),
		dosed(2, 9, 0),      // the same last dose: in withdrawal
		point(3, 9, 20, -1), // no last dose given: passed over
		dosed(4, 9, 3),      // a later last dose: used again
		dosed(5, 9, 3),
	}
	var got []time.Time
	for _, f := range Flags(ps, nil, at(6, 9), la) {
		if f.Kind == Relapse {
			got = append(got, f.At)
		}
	}
	if len(got) != 1 || !got[0].Equal(at(4, 9)) {
		t.Errorf("relapses at %v; want one at day 4", got)
	}
	plan := &Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3}
	for _, f := range Flags(ps, plan, at(6, 9), la) {
		if f.Kind == Relapse {
			t.Errorf("a relapse under a taper plan: %+v", f)
		}
	}
}

// Missed days are calendar days in the clinic's zone: a day a check-in is
// listed on is never flagged, a check-in before 3 a.m. by the clock also
// counts for the night before, and a daylight-saving change moves neither
// (America/New_York: the clocks go back on Sun Nov 1, 2026 and forward on
// Sun Mar 8, 2026). The check-ins come as the store gives them, in UTC.
func TestMissedCalendarDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	local := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, ny) }
	// the second 1:30 and 2:30 of Nov 1 are EST (UTC-5), after the change
	est := func(h, m int) time.Time { return time.Date(2026, 11, 1, h+5, m, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name     string
		checkins []time.Time
		now      time.Time
		missed   []string
	}{
		{"a check-in at 1:30 a.m. on Sat Nov 28 is listed on it: the 28th is not missed",
			[]time.Time{local(11, 26, 15, 0), local(11, 28, 1, 30), local(11, 29, 15, 0)}, local(11, 30, 10, 0), nil},
		{"Sat Nov 28 missed, the check-ins either side in the afternoon",
			[]time.Time{local(11, 27, 15, 0), local(11, 29, 15, 0)}, local(11, 30, 10, 0), []string{"Sat Nov 28"}},
		{"23:30 the night before the clocks go back and 00:30 on the day: Nov 1 is not missed",
			[]time.Time{local(10, 31, 23, 30), local(11, 1, 0, 30), local(11, 2, 23, 30)}, local(11, 4, 10, 0), []string{"Tue Nov 3"}},
		{"the second 1:30 a.m. of Nov 1 (EST) is the night before's",
			[]time.Time{local(10, 30, 12, 0), est(1, 30), local(11, 2, 12, 0)}, local(11, 3, 10, 0), nil},
		{"2:30 a.m. EST on Nov 1 is before 3 by the clock (3.5 h after midnight): the night before's",
			[]time.Time{local(10, 30, 12, 0), est(2, 30), local(11, 2, 12, 0)}, local(11, 3, 10, 0), nil},
		{"3:30 a.m. EDT on Mar 8 is past 3 by the clock (2.5 h after midnight): Mar 7 missed, Mar 8 not",
			[]time.Time{local(3, 6, 12, 0), local(3, 8, 3, 30), local(3, 9, 12, 0)}, local(3, 10, 10, 0), []string{"Sat Mar 7"}},
		{"23:30 and 00:30 across the clocks going forward",
			[]time.Time{local(3, 7, 23, 30), local(3, 8, 0, 30), local(3, 8, 23, 30), local(3, 10, 0, 30)}, local(3, 11, 12, 0), nil},
		{"before 3 a.m. yesterday's check-in may still come",
			[]time.Time{local(11, 26, 15, 0)}, local(11, 28, 1, 0), nil},
		{"from 3 a.m. yesterday's is missed",
			[]time.Time{local(11, 26, 15, 0)}, local(11, 28, 3, 0), []string{"Fri Nov 27"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ps []Point
			listed := map[string]bool{}
			for _, at := range tc.checkins {
				ps = append(ps, Point{At: at.UTC(), Craving: none, Doses: none, Sleep: -1, Grams: -1})
				listed[at.In(ny).Format("Mon Jan 2")] = true
			}
			var got []string
			for _, f := range Flags(ps, nil, tc.now, ny) {
				if f.Kind != Missed {
					continue
				}
				for d := f.At; !d.After(f.To); d = d.AddDate(0, 0, 1) {
					day := d.In(ny).Format("Mon Jan 2")
					got = append(got, day)
					if listed[day] {
						t.Errorf("No check-in on %s, and a check-in is listed on %s", day, day)
					}
				}
			}
			if strings.Join(got, ", ") != strings.Join(tc.missed, ", ") {
				t.Errorf("missed %v; want %v", got, tc.missed)
			}
		})
	}
}
