package screening_test

import (
	"fmt"
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// bamDays are the BAM's items that ask a number of days (or nights) in
// the past 30, scored into the VA form's ranges.
var bamDays = []string{"2", "3", "4", "5", "6", "10", "11", "13", "16"}

// bamAll answers every BAM question: each day item with days, each
// choice item with the option of points (items 1, 8, 9, 12, 15, 17: 0 to
// 4; item 14: 0 or 4).
func bamAll(days float64, points int) []screening.Answer {
	extent := []string{"not_at_all", "slightly", "moderately", "considerably", "extremely"}
	health := []string{"excellent", "very_good", "good", "fair", "poor"}
	as := []screening.Answer{pick("bam", "1", health[points])}
	for _, id := range bamDays {
		as = append(as, num("bam", id, days))
	}
	for _, id := range []string{"7a", "7b", "7c", "7d", "7e", "7f", "7g"} {
		as = append(as, num("bam", id, days))
	}
	for _, id := range []string{"8", "9", "12", "15", "17"} {
		as = append(as, pick("bam", id, extent[points]))
	}
	income := "no"
	if points >= 2 {
		income = "yes"
	}
	return append(as, pick("bam", "14", income))
}

// with replaces the answers to the same items.
func with(as []screening.Answer, more ...screening.Answer) screening.Answers {
	m := answers(as...)
	for _, a := range more {
		m[a.Key()] = a
	}
	return m
}

func subscore(t *testing.T, r screening.Result, id string) screening.SubResult {
	t.Helper()
	for _, s := range r.Subscores {
		if s.Subscore.ID == id {
			return s
		}
	}
	t.Fatalf("no subscore %q in %+v", id, r.Subscores)
	return screening.SubResult{}
}

// Each day count scores as the BAM form's ranges: 0 days 0, 1-3 days 1,
// 4-8 days 2, 9-15 days 3, 16-30 days 4, at both edges of each range;
// item 4 alone moves the Use score (items 5 and 6 at 0).
func TestBAMDayRanges(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "bam")
	for _, tt := range []struct {
		days   float64
		points int
	}{{0, 0}, {1, 1}, {3, 1}, {4, 2}, {8, 2}, {9, 3}, {15, 3}, {16, 4}, {30, 4}} {
		as := with(bamAll(0, 0), num("bam", "4", tt.days), num("bam", "5", 0))
		r := c.Score(in, as, now)
		if s := subscore(t, r, "use"); !s.Scored || s.Total != tt.points {
			t.Errorf("%v days of alcohol: Use %+v, want %d", tt.days, s, tt.points)
		}
		for _, id := range bamDays {
			it, _ := in.Item(id)
			p, ok := in.ItemPoints(it, num("bam", id, tt.days))
			if !ok || p != tt.points {
				t.Errorf("item %s, %v days: %d points (%v), want %d", id, tt.days, p, ok, tt.points)
			}
		}
	}
}

// The three scores at their published edges, with the guideline's bands;
// the BAM has no total.
func TestBAMScores(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "bam")
	type want struct {
		total int
		band  string
	}
	for _, tt := range []struct {
		name    string
		answers screening.Answers
		use     want
		risk    want
		protect want
	}{
		{"nothing at all", answers(bamAll(0, 0)...), want{0, "none reported"}, want{0, "low (under 12)"}, want{0, "low (12 or less)"}},
		{"everything at its most", answers(bamAll(30, 4)...), want{12, "use reported"}, want{24, "high (12 or more)"}, want{24, "high (over 12)"}},
		// one day of a drug: Use 1, the first of the band
		{"one day of drugs", with(bamAll(0, 0), num("bam", "6", 1)), want{1, "use reported"}, want{0, "low (under 12)"}, want{0, "low (12 or less)"}},
		// Risk 11 and 12: health poor (4), sleep 16 nights (4), mood 4-8 days (2), cravings slightly (1), risky days 0, arguments 0 or 1
		{"risk 11", with(bamAll(0, 0), pick("bam", "1", "poor"), num("bam", "2", 16), num("bam", "3", 8), pick("bam", "8", "slightly")),
			want{0, "none reported"}, want{11, "low (under 12)"}, want{0, "low (12 or less)"}},
		{"risk 12", with(bamAll(0, 0), pick("bam", "1", "poor"), num("bam", "2", 16), num("bam", "3", 8), pick("bam", "8", "slightly"), pick("bam", "15", "slightly")),
			want{0, "none reported"}, want{12, "high (12 or more)"}, want{0, "low (12 or less)"}},
		// Protective 12 and 13: confidence extremely (4), income yes (4), meetings 9 days (3), work 1 day (1), support 0 or 1 day
		{"protective 12", with(bamAll(0, 0), pick("bam", "9", "extremely"), pick("bam", "14", "yes"), num("bam", "10", 9), num("bam", "13", 1)),
			want{0, "none reported"}, want{0, "low (under 12)"}, want{12, "low (12 or less)"}},
		{"protective 13", with(bamAll(0, 0), pick("bam", "9", "extremely"), pick("bam", "14", "yes"), num("bam", "10", 9), num("bam", "13", 1), num("bam", "16", 3)),
			want{0, "none reported"}, want{0, "low (under 12)"}, want{13, "high (over 12)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Score(in, tt.answers, now)
			if !r.Scored || r.Total != 0 || r.Band != nil {
				t.Errorf("result scored %v total %d band %v: the BAM has no total", r.Scored, r.Total, r.Band)
			}
			for id, w := range map[string]want{"use": tt.use, "risk": tt.risk, "protective": tt.protect} {
				s := subscore(t, r, id)
				if !s.Scored || s.Total != w.total || s.Band == nil || s.Band.Label["en"] != w.band {
					t.Errorf("%s: scored %v total %d band %v, want %d %q", id, s.Scored, s.Total, s.Band, w.total, w.band)
				}
			}
		})
	}
}

// Item 5 is not asked after no day of alcohol, nor items 7A-7G after no
// day of drugs: the Use score counts the skipped item 0, never missing.
// Items 7A-7G and 17 count in no score.
func TestBAMSkipsAndUnscoredItems(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "bam")
	s := screening.NewSessionOf(c, []string{"bam"})
	for _, a := range bamAll(0, 0) {
		if a.Item == "5" || a.Item[0] == '7' {
			continue
		}
		if _, err := s.Set(a, now); err != nil {
			t.Fatalf("answer %s: %v", a.Key(), err)
		}
	}
	asked := map[string]bool{}
	for _, st := range s.Steps(now) {
		asked[st.Item.ID] = true
	}
	for _, id := range []string{"5", "7a", "7g"} {
		if asked[id] {
			t.Errorf("item %s asked after 0 days", id)
		}
	}
	if len(s.Steps(now)) != 15 {
		t.Errorf("%d questions asked after no alcohol or drugs, want 15", len(s.Steps(now)))
	}
	r := s.Results(now)[0]
	if u := subscore(t, r, "use"); !u.Scored || u.Total != 0 || len(r.Missing) > 0 {
		t.Errorf("Use %+v, missing %v", u, r.Missing)
	}
	// a day of alcohol and a day of drugs ask them again
	for _, a := range []screening.Answer{num("bam", "4", 1), num("bam", "6", 2)} {
		if _, err := s.Set(a, now); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.Steps(now)); n != 23 {
		t.Errorf("%d questions after use, want 23", n)
	}
	// the drugs and the satisfaction with progress move no score
	base := c.Score(in, answers(bamAll(1, 0)...), now)
	moved := c.Score(in, with(bamAll(1, 0), num("bam", "7e", 30), pick("bam", "17", "extremely")), now)
	for i := range base.Subscores {
		if base.Subscores[i].Total != moved.Subscores[i].Total {
			t.Errorf("%s moved from %d to %d by items 7E and 17", base.Subscores[i].Subscore.ID, base.Subscores[i].Total, moved.Subscores[i].Total)
		}
	}
}

// A declined item leaves its own score not scored, the others scored.
func TestBAMDeclined(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "bam")
	r := c.Score(in, with(bamAll(2, 1), decline("bam", "11")), now)
	if r.Scored || fmt.Sprint(r.Missing) != "[11]" {
		t.Errorf("scored %v missing %v", r.Scored, r.Missing)
	}
	if subscore(t, r, "risk").Scored {
		t.Error("Risk scored with item 11 declined")
	}
	if !subscore(t, r, "use").Scored || !subscore(t, r, "protective").Scored {
		t.Error("Use or Protective not scored")
	}
}
