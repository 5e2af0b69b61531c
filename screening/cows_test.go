package screening_test

import (
	"slices"
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// COWS (Wesson & Ling 2003): 11 items, total 0-48, 5-12 mild, 13-24
// moderate, 25-36 moderately severe, more than 36 severe; 0-4 has no
// published band (the file's "Below the mild band"). Every band edge, on
// both sides. Items in scoring order: pulse, sweating, restlessness,
// pupils, aches, nose/tearing, GI upset, tremor, yawning, anxiety,
// gooseflesh.
func TestCOWSBands(t *testing.T) {
	checkBands(t, "cows", []bandCase{
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "Below the mild band"},
		{[]int{1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, 4, "Below the mild band"},
		{[]int{1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, 5, "Mild"},
		{[]int{4, 4, 0, 0, 4, 0, 0, 0, 0, 0, 0}, 12, "Mild"},
		{[]int{4, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0}, 13, "Moderate"},
		{[]int{4, 4, 5, 5, 4, 2, 0, 0, 0, 0, 0}, 24, "Moderate"},
		{[]int{4, 4, 5, 5, 4, 2, 1, 0, 0, 0, 0}, 25, "Moderately severe"},
		{[]int{4, 4, 5, 5, 4, 4, 5, 4, 1, 0, 0}, 36, "Moderately severe"},
		{[]int{4, 4, 5, 5, 4, 4, 5, 4, 2, 0, 0}, 37, "Severe"},
		{[]int{4, 4, 5, 5, 4, 4, 5, 4, 4, 4, 5}, 48, "Severe"},
	})
}

// Each item's points as published: the pulse 0, 1, 2, 4 (≤80, 81-100,
// 101-120, >120), sweating 0-4, restlessness 0, 1, 3, 5 and so on.
func TestCOWSItemPoints(t *testing.T) {
	in := instrument(t, testkit.Catalog(t), "cows")
	want := map[string][]int{
		"pulse": {0, 1, 2, 4}, "sweating": {0, 1, 2, 3, 4}, "restlessness": {0, 1, 3, 5}, "pupils": {0, 1, 2, 5},
		"aches": {0, 1, 2, 4}, "nose_tearing": {0, 1, 2, 4}, "gi_upset": {0, 1, 2, 3, 5}, "tremor": {0, 1, 2, 4},
		"yawning": {0, 1, 2, 4}, "anxiety": {0, 1, 2, 4}, "gooseflesh": {0, 3, 5},
	}
	if len(in.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(in.Items), len(want))
	}
	for _, it := range in.Items {
		var got []int
		for _, o := range it.Options {
			got = append(got, o.Points)
		}
		if w := want[it.ID]; !slices.Equal(got, w) {
			t.Errorf("%s: points %v, want %v", it.ID, got, w)
		}
	}
	pulse, _ := in.Item("pulse")
	for i, l := range []string{"Pulse rate 80 or below", "Pulse rate 81-100", "Pulse rate 101-120", "Pulse rate greater than 120"} {
		if got := pulse.Options[i].Label["en"]; got != l {
			t.Errorf("pulse option %d %q, want %q", i, got, l)
		}
	}
}

// A rating with an item left out is not scored: never silently low.
func TestCOWSUnratedItemNotScored(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "cows")
	as := byPoints(t, in, []int{4, 4, 5, 5, 4, 4, 5, 4, 4, 4, 5})
	r := c.Score(in, answers(as[:10]...), now)
	if r.Scored || len(r.Missing) != 1 || r.Missing[0] != "gooseflesh" {
		t.Errorf("scored %v missing %v, want not scored, gooseflesh missing", r.Scored, r.Missing)
	}
}

// Staff rate COWS: no patient's visit asks it, whatever the clinic's
// enabled list says.
func TestCOWSNeverAskedOfPatients(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "cows")
	if !in.RatedByStaff() || in.AskedAt(screening.ForScreening) || in.AskedAt(screening.ForCheckin) {
		t.Fatalf("cows: rated by staff %v, asked at screening %v, at check-in %v", in.RatedByStaff(), in.AskedAt(screening.ForScreening), in.AskedAt(screening.ForCheckin))
	}
	for _, kind := range []string{screening.ForScreening, screening.ForCheckin} {
		for _, enabled := range [][]string{nil, {"cows", "phq9", "sows", "checkin_use"}} {
			s := screening.NewSessionFor(c, kind, enabled)
			for _, x := range s.Instruments() {
				if x.ID == "cows" {
					t.Errorf("a %s visit (enabled %v) asks COWS", kind, enabled)
				}
			}
			for _, st := range s.Steps(now) {
				if st.Instrument.ID == "cows" {
					t.Errorf("a %s visit asks %v", kind, st.Key())
				}
			}
		}
	}
}
