package screening_test

import (
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// fullSession answers every question of every built-in screening
// instrument, with branching that opens the optional questions (daily
// co-use, PHQ-9 item 10).
func fullSession(tb testing.TB, c *screening.Catalog) *screening.Session {
	tb.Helper()
	s := screening.NewSession(c, nil)
	as := []screening.Answer{
		picks("kratom", "forms", "leaf", "7oh"),
		num("kratom", "doses_per_day", 6),
		num("kratom", "grams_per_day", 12.5),
		pick("kratom", "duration", "1_3y"),
		ago("kratom", "last_dose", 20),
		picks("kratom", "reasons", "pain", "withdrawal"),
		picks("kratom", "other_substances", "alcohol", "cannabis"),
		picks("kratom", "daily_co_use", "alcohol"),
		picks("kratom", "triggers", "stress", "other"),
		picks("kratom", "coping", "walking", "support"),
		pick("kratom", "quit_attempts", "2_3"),
		pick("kratom", "past_severe_withdrawal", "yes"),
		pick("kratom", "pregnant", "not_applicable"),
		pick("kratom", "seizures", "no"),
		text("kratom", "medicines", "none"),
		pick("kratom", "sex", "female"),
		pick("phq9", "10", "somewhat_difficult"),
		pick("gad7", "8", "very_difficult"),
	}
	for id, points := range map[string][]int{
		"sows":   {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2}, // 24
		"phq9":   {1, 2, 1, 2, 1, 2, 1, 2, 1},                      // 13, item 9 is 1
		"gad7":   {1, 2, 1, 2, 1, 2, 1},                            // 10
		"auditc": {1, 2, 1},                                        // 4
	} {
		as = append(as, byPoints(tb, instrument(tb, c, id), points)...)
	}
	as = append(as, yesNo(tb, "YNYNYNYNYN")...) // 4: yes to item 3 scores 0
	for _, a := range as {
		if _, err := s.Set(a, now); err != nil {
			tb.Fatal(err)
		}
	}
	if n, steps := s.Answered(now), len(s.Steps(now)); n != steps {
		tb.Fatalf("%d of %d questions answered", n, steps)
	}
	return s
}

// BenchmarkScore scores PHQ-9 with all its answers (target: under 10 µs).
func BenchmarkScore(b *testing.B) {
	c := testkit.Catalog(b)
	in := instrument(b, c, "phq9")
	as := answers(append(byPoints(b, in, []int{1, 2, 3, 0, 1, 2, 3, 0, 1}), pick("phq9", "10", "very_difficult"))...)
	if r := c.Score(in, as, now); !r.Scored || r.Total != 13 {
		b.Fatalf("scored %v total %d", r.Scored, r.Total)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Score(in, as, now)
	}
}

// BenchmarkScoreAll scores the six screening instruments of a full session.
func BenchmarkScoreAll(b *testing.B) {
	s := fullSession(b, testkit.Catalog(b))
	if rs := s.Results(now); len(rs) != 6 {
		b.Fatalf("%d results", len(rs))
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Results(now)
	}
}

// TestFullSession checks the session the benchmarks score.
func TestFullSession(t *testing.T) {
	c := testkit.Catalog(t)
	s := fullSession(t, c)
	want := map[string]struct {
		total int
		band  string
		flags int
	}{
		"kratom": {0, "", 4}, // 7-OH, many doses, daily alcohol, past severe withdrawal
		"sows":   {24, "Severe", 1},
		"phq9":   {13, "Moderate", 1},
		"gad7":   {10, "Moderate", 0},
		"dast10": {4, "Moderate", 0},
		"auditc": {4, "Positive screen", 0},
	}
	rs := s.Results(now)
	if len(rs) != len(want) {
		t.Errorf("%d results, want %d", len(rs), len(want))
	}
	for _, r := range rs {
		w, ok := want[r.Instrument.ID]
		if !ok {
			t.Errorf("%s scored in a screening session", r.Instrument.ID)
			continue
		}
		if r.Total != w.total || bandLabel(r) != w.band || len(r.Flags) != w.flags {
			t.Errorf("%s: total %d band %q flags %v, want %d %q %d", r.Instrument.ID, r.Total, bandLabel(r), flagIDs(r), w.total, w.band, w.flags)
		}
	}
	if !s.Urgent(now) {
		t.Error("PHQ-9 item 9 is 1: the session should be urgent")
	}
}
