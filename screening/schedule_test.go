package screening_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

func TestParseSchedule(t *testing.T) {
	for _, tt := range []struct {
		in, want, err string
	}{
		{in: "", want: ""},
		{in: "sows, checkin_safety, bam:7, phq9:14, gad7:14", want: "sows, checkin_safety, bam:7, phq9:14, gad7:14"},
		{in: " bam : 7 ,,phq9:365", want: "bam:7, phq9:365"},
		{in: "bam:0", err: "bam: the days must be a whole number from 1 to 365"},
		{in: "bam:366", err: "from 1 to 365"},
		{in: "bam:1.5", err: "from 1 to 365"},
		{in: "bam:", err: "from 1 to 365"},
		{in: "BAM:7", err: `"BAM" is not an instrument id`},
		{in: "bam:7, bam", err: "bam is named twice"},
	} {
		s, err := screening.ParseSchedule(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.err == "" && s.String() != tt.want:
			t.Errorf("%q reads as %q, want %q", tt.in, s.String(), tt.want)
		}
	}
}

// A timed instrument is due once its days have passed since the day it was
// last asked, at the edge: 6 days after a weekly one is not, 7 is.
func TestTimingDue(t *testing.T) {
	week := screening.Timing{Instrument: "bam", Days: 7}
	every := screening.Timing{Instrument: "sows"}
	for _, tt := range []struct {
		t           screening.Timing
		last, today string
		due         bool
	}{
		{week, "", "2026-03-10", true},
		{week, "2026-03-10", "2026-03-10", false},
		{week, "2026-03-10", "2026-03-16", false},
		{week, "2026-03-10", "2026-03-17", true},
		{week, "2026-02-24", "2026-03-03", true},  // across the end of February
		{week, "2026-03-20", "2026-03-17", false}, // a day ahead of today: counted from
		{week, "not a day", "2026-03-17", true},
		{every, "2026-03-17", "2026-03-17", true},
		{screening.Timing{Instrument: "phq9", Days: 14}, "2026-03-01", "2026-03-14", false},
		{screening.Timing{Instrument: "phq9", Days: 14}, "2026-03-01", "2026-03-15", true},
	} {
		if got := tt.t.Due(tt.last, tt.today); got != tt.due {
			t.Errorf("%+v last %q today %q: due %v, want %v", tt.t, tt.last, tt.today, got, tt.due)
		}
	}
}

// A check-in asks its own questions and what the schedule says is due, in
// session order; a schedule may add an instrument of the screening (PHQ-9)
// and the BAM, which no visit asks unless a schedule names it.
func TestSchedulePlan(t *testing.T) {
	c := testkit.Catalog(t)
	s, err := screening.ParseSchedule("sows, checkin_safety, bam:7, phq9:14, gad7:14, ghost:3")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		last map[string]string
		want []string
	}{
		{"first check-in", nil, []string{"checkin_use", "sows", "checkin_day", "phq9", "checkin_safety", "gad7", "bam"}},
		{"the next day", map[string]string{"sows": "2026-03-09", "bam": "2026-03-09", "phq9": "2026-03-09", "gad7": "2026-03-09"},
			[]string{"checkin_use", "sows", "checkin_day", "checkin_safety"}},
		{"a week on", map[string]string{"bam": "2026-03-03", "phq9": "2026-03-03", "gad7": "2026-03-03"},
			[]string{"checkin_use", "sows", "checkin_day", "checkin_safety", "bam"}},
		{"two weeks on", map[string]string{"bam": "2026-03-07", "phq9": "2026-02-24", "gad7": "2026-02-25"},
			[]string{"checkin_use", "sows", "checkin_day", "phq9", "checkin_safety"}},
	} {
		got := s.Plan(c, tt.last, "2026-03-10")
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	// the COWS, which staff rate, is never a patient's, schedule or not
	withCOWS, _ := screening.ParseSchedule("cows:1, bam:7")
	if got := withCOWS.Plan(c, nil, "2026-03-10"); slices.Contains(got, "cows") || !slices.Contains(got, "bam") {
		t.Errorf("a schedule naming the COWS: %v", got)
	}
	// no schedule: every check-in instrument, as before, never the BAM
	got := screening.Schedule(nil).Plan(c, nil, "2026-03-10")
	if want := []string{"checkin_use", "sows", "checkin_day", "checkin_safety"}; !slices.Equal(got, want) {
		t.Errorf("no schedule: %v, want %v", got, want)
	}
	// a screening asks the PHQ-9 and GAD-7 of those timed
	if got := s.AtScreening(c, nil); !slices.Equal(got, []string{"phq9", "gad7"}) {
		t.Errorf("timed at screening: %v", got)
	}
	if got := s.AtScreening(c, []string{"gad7", "kratom"}); !slices.Equal(got, []string{"gad7"}) {
		t.Errorf("timed at a screening of GAD-7 and kratom: %v", got)
	}
	// the session asks exactly those
	sess := screening.NewSessionOf(c, []string{"bam", "sows", "ghost"})
	var ids []string
	for _, in := range sess.Instruments() {
		ids = append(ids, in.ID)
	}
	if !slices.Equal(ids, []string{"sows", "bam"}) {
		t.Errorf("session of bam, sows, ghost asks %v", ids)
	}
	if slices.ContainsFunc(screening.NewSession(c, nil).Instruments(), func(in *screening.Instrument) bool { return in.ID == "bam" }) {
		t.Error("a screening asks the BAM")
	}
}

func TestDay(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	at := time.Date(2026, 3, 10, 3, 30, 0, 0, time.UTC) // 23:30 the evening before in New York
	if d := screening.Day(at, ny); d != "2026-03-09" {
		t.Errorf("day %q in New York", d)
	}
	if d := screening.Day(at, nil); d != "2026-03-10" {
		t.Errorf("day %q in UTC", d)
	}
	if n, err := screening.DaysBetween("2026-02-28", "2026-03-01"); n != 1 || err != nil {
		t.Errorf("days %d %v", n, err)
	}
	if _, err := screening.DaysBetween("2026-02-30", "2026-03-01"); err == nil {
		t.Error("30 February read as a day")
	}
	for s, ok := range map[string]bool{"2026-03-01": true, "2026-3-1": false, "": false, "2026-02-29": false} {
		if screening.IsDay(s) != ok {
			t.Errorf("IsDay(%q) = %v", s, !ok)
		}
	}
}
