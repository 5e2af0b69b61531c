package trend

import (
	"testing"
	"time"
)

// A plan's check-ins end after the day Ends names, in the clinic's zone:
// the last day itself still takes one.
func TestPlanEnded(t *testing.T) {
	ends := Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3, Ends: mon.AddDate(0, 0, 10)}
	open := Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3}
	for _, tc := range []struct {
		name string
		plan *Plan
		now  time.Time
		want bool
	}{
		{"no plan", nil, at(40, 12), false},
		{"no end", &open, at(400, 12), false},
		{"the day before the last", &ends, at(9, 23), false},
		{"the last day, first minute", &ends, at(10, 0), false},
		{"the last day, last minute", &ends, at(10, 24).Add(-time.Minute), false},
		{"the day after, first minute", &ends, at(11, 0), true},
		{"a month after", &ends, at(40, 12), true},
	} {
		if got := tc.plan.Ended(tc.now, la); got != tc.want {
			t.Errorf("%s: Ended(%v) = %v, want %v", tc.name, tc.now, got, tc.want)
		}
	}
}

// The next check-in is the plan's interval after the latest one, never
// before the start nor before today, and none past the plan's end.
func TestNextCheckin(t *testing.T) {
	daily := Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3}
	every3 := daily
	every3.CheckinDays = 3
	later := daily
	later.Start = mon.AddDate(0, 0, 5)
	ending := every3
	ending.Ends = mon.AddDate(0, 0, 7)
	day := func(n int) time.Time { return mon.AddDate(0, 0, n) }
	for _, tc := range []struct {
		name   string
		plan   *Plan
		points []Point
		now    time.Time
		want   time.Time
		ok     bool
	}{
		{"no plan", nil, []Point{point(0, 9, 10, 5)}, at(0, 10), time.Time{}, false},
		{"daily, checked in today: tomorrow", &daily, []Point{point(2, 9, 10, 5), point(1, 9, 10, 5)}, at(2, 10), day(3), true},
		{"every 3 days, checked in today", &every3, []Point{point(2, 9, 10, 5)}, at(2, 10), day(5), true},
		{"every 3 days, one missed: due today", &every3, []Point{point(2, 9, 10, 5)}, at(6, 10), day(6), true},
		{"no check-in yet: today", &daily, nil, at(1, 10), day(1), true},
		{"the plan starts later: its start", &later, nil, at(1, 10), day(5), true},
		{"the next falls after the end: none", &ending, []Point{point(5, 9, 10, 5)}, at(5, 10), time.Time{}, false},
		{"the next falls on the last day", &ending, []Point{point(4, 9, 10, 5)}, at(4, 10), day(7), true},
		{"the plan has ended", &ending, nil, at(8, 10), time.Time{}, false},
	} {
		got, ok := tc.plan.NextCheckin(tc.points, tc.now, la)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("%s: NextCheckin = %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// No check-in counts as missed after the plan's check-ins end.
func TestNoMissedAfterEnd(t *testing.T) {
	plan := Plan{Start: mon, StartDose: 20, Percent: 10, EveryDays: 3, Ends: mon.AddDate(0, 0, 3)}
	pts := []Point{point(0, 9, 10, 5), point(1, 9, 10, 5)}
	var missed []string
	for _, f := range Flags(pts, &plan, at(20, 12), la) {
		if f.Kind == Missed {
			for d := f.At; !d.After(f.To); d = d.AddDate(0, 0, 1) {
				missed = append(missed, d.Format("Jan 2"))
			}
		}
	}
	// Nov 4 and 5 (the 3rd and 4th day) were due; nothing after Nov 5
	if len(missed) != 2 || missed[0] != "Nov 4" || missed[1] != "Nov 5" {
		t.Errorf("missed %v, want Nov 4, Nov 5", missed)
	}
}
