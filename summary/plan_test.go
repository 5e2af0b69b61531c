package summary

import (
	"testing"
	"time"

	"intakekiosk/trend"
)

var zone = time.FixedZone("CST", -6*3600)

func TestPlanWords(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, zone)
	for _, tc := range []struct {
		plan *trend.Plan
		want string
	}{
		{nil, "No taper plan"},
		{&trend.Plan{Start: start, StartDose: 20, Percent: 10, EveryDays: 3, Quit: start.AddDate(0, 0, 29)},
			"20 g a day from Nov 2, down 10% every 3 days; quit date Dec 1"},
		{&trend.Plan{Start: start, StartDose: 7.5, Percent: 12.5, EveryDays: 1},
			"7.5 g a day from Nov 2, down 12.5% every day"},
		{&trend.Plan{Start: start, StartDose: 12.5, Percent: 20, EveryDays: 1, Quit: start.AddDate(0, 0, 14), CheckinDays: 2},
			"12.5 g a day from Nov 2, down 20% every day; quit date Nov 16; check in every 2 days"},
		{&trend.Plan{Start: start, StartDose: 12, Steps: []trend.Step{{From: start.AddDate(0, 0, 4), Grams: 9}, {From: start.AddDate(0, 0, 8), Grams: 6}}, CheckinDays: 2},
			"12 g a day from Nov 2, then 9 g from Nov 6, 6 g from Nov 10; check in every 2 days"},
	} {
		if got := New(Input{Location: zone}).Plan(tc.plan); got != tc.want {
			t.Errorf("PlanWords = %q; want %q", got, tc.want)
		}
	}
}

func TestTallies(t *testing.T) {
	for _, tc := range []struct {
		lists [][]string
		want  string
	}{
		{nil, ""},
		{[][]string{{"stress", "pain"}, {"Stress", " boredom "}, {"pain", "stress"}}, "stress ×3, pain ×2, boredom ×1"},
		{[][]string{{"b", "a"}, {""}}, "a ×1, b ×1"},
	} {
		if got := TalliesText(Tallies(tc.lists)); got != tc.want {
			t.Errorf("Tallies(%q) = %q; want %q", tc.lists, got, tc.want)
		}
	}
}

// Each check-in flag in words, as the check-ins tab and the report say it.
func TestFlag(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, zone) }
	sh := New(Input{Location: zone})
	for _, tc := range []struct {
		f    trend.Flag
		want string
	}{
		{trend.Flag{Kind: trend.Rising, At: day(4), Scores: [3]int{10, 14, 19}}, "Withdrawal score rose two check-ins in a row: 10, 14, 19"},
		{trend.Flag{Kind: trend.OverPlan, At: day(4), Grams: 21, Planned: 20, Day: day(4), DayBefore: day(3)},
			"Took 21 g in 24 h, above the plan's 20 g a day"},
		{trend.Flag{Kind: trend.OverPlan, At: day(8), Grams: 19, Planned: 16.2, Before: 18, Day: day(8), DayBefore: day(7)},
			"Took 19 g in 24 h, above the plan's 18 g (Nov 7) and 16.2 g (Nov 8)"},
		{trend.Flag{Kind: trend.Missed, At: day(7), To: day(7), Count: 1}, "No check-in on Sat, Nov 7"},
		{trend.Flag{Kind: trend.Relapse, At: day(5)}, "Used again since the last check-in"},
		{trend.Flag{Kind: trend.Missed, At: day(9), To: day(14), Count: 6}, "No check-in from Mon, Nov 9 to Sat, Nov 14 (6 missed)"},
	} {
		if got := sh.Flag(tc.f); got != tc.want {
			t.Errorf("Flag(%s) = %q; want %q", tc.f.Kind, got, tc.want)
		}
	}
}
