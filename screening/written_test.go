package screening_test

import (
	"slices"
	"strconv"
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// TestAsWritten: a paper form's answers count as written. An answer the
// form's branching would skip is kept, scored and named in NotFollowed;
// the kiosk's own scoring (Score) still drops it.
func TestAsWritten(t *testing.T) {
	c := testkit.Catalog(t)
	phq9 := []screening.Answer{}
	for i := 1; i <= 9; i++ {
		phq9 = append(phq9, pick("phq9", strconv.Itoa(i), "not_at_all"))
	}
	tests := []struct {
		name        string
		inst        string
		given       []screening.Answer
		followed    int  // Score's total
		written     int  // ScoreAsWritten's total
		positive    bool // as written, a band above the lowest
		notFollowed []string
	}{
		{"AUDIT-C Q1 never, Q3 daily", "auditc",
			[]screening.Answer{pick("auditc", "1", "never"), pick("auditc", "3", "daily"), pick("kratom", "sex", "male")},
			0, 4, true, []string{"3"}},
		{"AUDIT-C Q1 never, Q2 and Q3 written", "auditc",
			[]screening.Answer{pick("auditc", "1", "never"), pick("auditc", "2", "3_4"), pick("auditc", "3", "weekly"), pick("kratom", "sex", "female")},
			0, 4, true, []string{"2", "3"}},
		{"AUDIT-C as the form asks", "auditc",
			[]screening.Answer{pick("auditc", "1", "monthly_or_less"), pick("auditc", "2", "1_2"), pick("auditc", "3", "never")},
			1, 1, false, nil},
		{"PHQ-9 total 0 with item 10 written", "phq9",
			append(slices.Clone(phq9), pick("phq9", "10", "very_difficult")),
			0, 0, false, []string{"10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := instrument(t, c, tt.inst)
			as := answers(tt.given...)
			if r := c.Score(in, as, now); !r.Scored || r.Total != tt.followed || r.NotFollowed != nil {
				t.Errorf("Score: scored %v total %d not followed %v, want %d and none", r.Scored, r.Total, r.NotFollowed, tt.followed)
			}
			r := c.ScoreAsWritten(in, as, now)
			if !r.Scored || r.Total != tt.written || !slices.Equal(r.NotFollowed, tt.notFollowed) {
				t.Errorf("ScoreAsWritten: scored %v total %d not followed %v, want %d %v", r.Scored, r.Total, r.NotFollowed, tt.written, tt.notFollowed)
			}
			if r.Band == nil || (r.Band.Level > 0) != tt.positive {
				t.Errorf("ScoreAsWritten: band %+v, want positive %v", r.Band, tt.positive)
			}
		})
	}
}

// TestSessionAsWritten: a session made AsWritten asks every item given
// an answer (the summaries and the FHIR export list its steps), scores
// as written, and a kiosk session does not.
func TestSessionAsWritten(t *testing.T) {
	c := testkit.Catalog(t)
	given := []screening.Answer{pick("auditc", "1", "never"), pick("auditc", "3", "daily")}
	for _, written := range []bool{false, true} {
		s := screening.NewSession(c, nil)
		if written {
			s.AsWritten()
		}
		s.Restore(given...)
		asked := false
		for _, st := range s.Steps(now) {
			if st.Key() == (screening.Key{Instrument: "auditc", Item: "3"}) {
				asked = true
			}
		}
		var total int
		for _, r := range s.Results(now) {
			if r.Instrument.ID == "auditc" {
				total = r.Total
			}
		}
		if asked != written || s.Written() != written || (total == 4) != written {
			t.Errorf("written %v: item 3 asked %v, Written %v, AUDIT-C total %d", written, asked, s.Written(), total)
		}
	}
}
