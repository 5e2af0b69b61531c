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
