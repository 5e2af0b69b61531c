package trend

import (
	"testing"
	"time"
)

// The comparison at the clinic's thresholds: met at the threshold and
// above, not met one under it (COWS 8: 7 not met, 8 met; 12 h: 11 h 59 min
// not met, 12 h met).
func TestInductionThresholdEdges(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 40, 0, 0, time.UTC)
	th := Thresholds{COWS: 8, Hours: 12}
	tests := []struct {
		name     string
		total    int
		since    time.Duration
		cowsMet  bool
		hoursMet bool
	}{
		{"both under", 7, 12*time.Hour - time.Minute, false, false},
		{"both at", 8, 12 * time.Hour, true, true},
		{"both over", 9, 14 * time.Hour, true, true},
		{"zero", 0, 0, false, false},
		{"top of the scale", 48, 100 * time.Hour, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dose := Dose{At: now.Add(-tt.since), Reported: now.Add(-time.Minute)}
			if tt.since == 0 {
				dose.Reported = now
			}
			f := InductionFacts([]Dose{dose}, []Rating{{At: now, Total: tt.total}}, nil, th, now)
			if f.COWS == nil || f.COWS.Total != tt.total || f.COWSMet != tt.cowsMet {
				t.Errorf("COWS %+v met %v, want %d met %v", f.COWS, f.COWSMet, tt.total, tt.cowsMet)
			}
			if f.HoursMet != tt.hoursMet || f.Hours != tt.since.Hours() {
				t.Errorf("hours %v met %v, want %v met %v", f.Hours, f.HoursMet, tt.since.Hours(), tt.hoursMet)
			}
		})
	}
}

// The latest of each: the dose of the latest report (even an earlier
// dose: the patient corrected it), the latest rating and SOWS; nothing
// after now; nothing at all gives no facts and nothing met.
func TestInductionLatest(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	h := func(n float64) time.Time { return now.Add(-time.Duration(n * float64(time.Hour))) }
	th := Thresholds{COWS: 8, Hours: 12}
	doses := []Dose{{At: h(30), Reported: h(28)}, {At: h(20), Reported: h(2)}, {At: h(1), Reported: now.Add(time.Hour)}}
	ratings := []Rating{{At: h(5), Total: 15}, {At: h(1), Total: 6}, {At: now.Add(time.Minute), Total: 30}}
	points := []Point{{At: h(3), Scored: true, Withdrawal: 22}, {At: h(1), Withdrawal: 0}, {At: h(6), Scored: true, Withdrawal: 9}}
	f := InductionFacts(doses, ratings, points, th, now)
	if !f.Dose.At.Equal(h(20)) || f.Hours != 20 || !f.HoursMet {
		t.Errorf("dose %v hours %v met %v, want the one reported 2 h ago: 20 h, met", f.Dose, f.Hours, f.HoursMet)
	}
	if f.COWS == nil || f.COWS.Total != 6 || f.COWSMet {
		t.Errorf("COWS %+v met %v, want the latest, 6, not met", f.COWS, f.COWSMet)
	}
	if f.SOWS == nil || f.SOWS.Withdrawal != 22 {
		t.Errorf("SOWS %+v, want the latest scored, 22", f.SOWS)
	}
	none := InductionFacts(nil, nil, nil, th, now)
	if none.COWS != nil || none.SOWS != nil || !none.Dose.At.IsZero() || none.COWSMet || none.HoursMet {
		t.Errorf("no facts: %+v", none)
	}
}

// A rating is measured from the dose of the latest report made by then,
// else from a later report's dose that came before it.
func TestDoseBefore(t *testing.T) {
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	h := func(n float64) time.Time { return at.Add(time.Duration(n * float64(time.Hour))) }
	doses := []Dose{{At: h(-30), Reported: h(-28)}, {At: h(-20), Reported: h(-2)}, {At: h(-1), Reported: h(3)}, {At: h(2), Reported: h(4)}}
	for _, tc := range []struct {
		t    time.Time
		want time.Time
		ok   bool
	}{
		{at, h(-20), true},
		{h(-28), h(-30), true},
		{h(-29), h(-30), true}, // before any report: the first report's dose, before it
		{h(-31), time.Time{}, false},
	} {
		d, ok := DoseBefore(doses, tc.t)
		if ok != tc.ok || !d.At.Equal(tc.want) {
			t.Errorf("DoseBefore(%v) = %v %v, want %v %v", tc.t, d.At, ok, tc.want, tc.ok)
		}
	}
}
