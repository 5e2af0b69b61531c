package screening_test

import (
	"slices"
	"strings"
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// bandCase is a hand-worked set of item points, in scoring order, with the
// total and band they give.
type bandCase struct {
	points []int
	total  int
	band   string
}

func checkBands(t *testing.T, id string, cases []bandCase) {
	t.Helper()
	c := testkit.Catalog(t)
	in := instrument(t, c, id)
	for _, tt := range cases {
		if sum(tt.points) != tt.total {
			t.Fatalf("bad case: points %v add up to %d, not %d", tt.points, sum(tt.points), tt.total)
		}
		r := c.Score(in, answers(byPoints(t, in, tt.points)...), now)
		if !r.Scored || r.Total != tt.total || bandLabel(r) != tt.band {
			t.Errorf("%s %v: scored %v total %d band %q, want %d %q", id, tt.points, r.Scored, r.Total, bandLabel(r), tt.total, tt.band)
		}
	}
}

func TestPHQ9Bands(t *testing.T) {
	checkBands(t, "phq9", []bandCase{
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "Minimal"},
		{[]int{1, 1, 1, 1, 0, 0, 0, 0, 0}, 4, "Minimal"},
		{[]int{1, 1, 1, 1, 1, 0, 0, 0, 0}, 5, "Mild"},
		{[]int{3, 3, 3, 0, 0, 0, 0, 0, 0}, 9, "Mild"},
		{[]int{2, 2, 2, 2, 2, 0, 0, 0, 0}, 10, "Moderate"},
		{[]int{2, 2, 2, 2, 2, 2, 2, 0, 0}, 14, "Moderate"},
		{[]int{3, 3, 3, 3, 3, 0, 0, 0, 0}, 15, "Moderately severe"},
		{[]int{3, 3, 3, 3, 3, 2, 2, 0, 0}, 19, "Moderately severe"},
		{[]int{3, 3, 3, 3, 3, 3, 2, 0, 0}, 20, "Severe"},
		{[]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, 27, "Severe"},
	})
}

func TestGAD7Bands(t *testing.T) {
	checkBands(t, "gad7", []bandCase{
		{[]int{0, 0, 0, 0, 0, 0, 0}, 0, "Minimal"},
		{[]int{1, 1, 1, 1, 0, 0, 0}, 4, "Minimal"},
		{[]int{1, 1, 1, 1, 1, 0, 0}, 5, "Mild"},
		{[]int{3, 3, 3, 0, 0, 0, 0}, 9, "Mild"},
		{[]int{2, 2, 2, 2, 2, 0, 0}, 10, "Moderate"},
		{[]int{2, 2, 2, 2, 2, 2, 2}, 14, "Moderate"},
		{[]int{3, 3, 3, 3, 3, 0, 0}, 15, "Severe"},
		{[]int{3, 3, 3, 3, 3, 3, 3}, 21, "Severe"},
	})
}

func TestSOWSBands(t *testing.T) {
	checkBands(t, "sows", []bandCase{
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, "None"},
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 1, "Mild"},
		{[]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, 10, "Mild"},
		{[]int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0}, 11, "Moderate"},
		{[]int{4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 20, "Moderate"},
		{[]int{4, 4, 4, 4, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 21, "Severe"},
		{[]int{4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, 64, "Severe"},
	})
}

// The severe withdrawal flag rises at 21, the start of the severe band.
func TestSOWSSevereFlag(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "sows")
	for _, tt := range []struct {
		points []int
		flags  []string
	}{
		{[]int{4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []string{}},
		{[]int{4, 4, 4, 4, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, []string{"severe_withdrawal"}},
		{[]int{4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, []string{"severe_withdrawal"}},
	} {
		r := c.Score(in, answers(byPoints(t, in, tt.points)...), now)
		if got := flagIDs(r); !slices.Equal(got, tt.flags) {
			t.Errorf("total %d: flags %v, want %v", r.Total, got, tt.flags)
		}
	}
}

func TestDAST10Bands(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "dast10")
	// Item 3 ("always able to stop?") scores 1 for No; the others 1 for Yes.
	cases := []struct {
		yesNo string
		total int
		band  string
	}{
		{"NNYNNNNNNN", 0, "None reported"},
		{"NNNNNNNNNN", 1, "Low"}, // only item 3, reversed
		{"YNYNNNNNNN", 1, "Low"},
		{"YYYNNNNNNN", 2, "Low"},
		{"YYNNNNNNNN", 3, "Moderate"},
		{"YYNYYNNNNN", 5, "Moderate"},
		{"YYNYYYNNNN", 6, "Substantial"},
		{"YYNYYYYYNN", 8, "Substantial"},
		{"YYNYYYYYYN", 9, "Severe"},
		{"YYYYYYYYYY", 9, "Severe"}, // yes to item 3 scores 0
		{"YYNYYYYYYY", 10, "Severe"},
	}
	for _, tt := range cases {
		r := c.Score(in, answers(yesNo(t, tt.yesNo)...), now)
		if !r.Scored || r.Total != tt.total || bandLabel(r) != tt.band {
			t.Errorf("%s: scored %v total %d band %q, want %d %q", tt.yesNo, r.Scored, r.Total, bandLabel(r), tt.total, tt.band)
		}
	}
}

func TestAUDITC(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "auditc")
	const (
		menNote     = "Cut-off for men: 4 or more is a positive screen"
		womenNote   = "Cut-off for women: 3 or more is a positive screen"
		unknownNote = "Sex not given: the cut-off for women (3 or more) was used"
		// CLINICAL.md gives no cut-off for intersex: the lower one, and the
		// note says which was used
		intersexNote = "Intersex at birth: the cut-off for women (3 or more) was used"
	)
	sex := func(v string) []screening.Answer {
		switch v {
		case "":
			return nil
		case "declined":
			return []screening.Answer{decline("kratom", "sex")}
		}
		return []screening.Answer{pick("kratom", "sex", v)}
	}
	tests := []struct {
		sex     string
		q1      string
		q2, q3  string
		total   int
		band    string
		note    string
		missing []string
	}{
		{"male", "monthly_or_less", "1_2", "less_than_monthly", 2, "Negative screen", menNote, nil},
		{"male", "monthly_or_less", "3_4", "less_than_monthly", 3, "Negative screen", menNote, nil},
		{"male", "2_4_month", "3_4", "less_than_monthly", 4, "Positive screen", menNote, nil},
		{"male", "4_plus_week", "10_plus", "daily", 12, "Positive screen", menNote, nil},
		{"female", "monthly_or_less", "1_2", "less_than_monthly", 2, "Negative screen", womenNote, nil},
		{"female", "monthly_or_less", "3_4", "less_than_monthly", 3, "Positive screen", womenNote, nil},
		{"female", "2_4_month", "3_4", "less_than_monthly", 4, "Positive screen", womenNote, nil},
		{"intersex", "monthly_or_less", "1_2", "less_than_monthly", 2, "Negative screen", intersexNote, nil},
		{"intersex", "monthly_or_less", "3_4", "less_than_monthly", 3, "Positive screen", intersexNote, nil},
		{"", "monthly_or_less", "1_2", "less_than_monthly", 2, "Negative screen", unknownNote, nil},
		{"", "monthly_or_less", "3_4", "less_than_monthly", 3, "Positive screen", unknownNote, nil},
		{"declined", "2_4_month", "1_2", "never", 2, "Negative screen", unknownNote, nil},
		{"declined", "2_4_month", "3_4", "never", 3, "Positive screen", unknownNote, nil},
		// Q1 never: Q2 and Q3 are not asked and count 0, even when a stale
		// answer to them is left from before the patient changed Q1.
		{"male", "never", "", "", 0, "Negative screen", menNote, nil},
		{"female", "never", "10_plus", "daily", 0, "Negative screen", womenNote, nil},
		// A declined question leaves the total not scored (and unbanded).
		{"female", "2_4_month", "declined", "never", 0, "", "", []string{"2"}},
	}
	for _, tt := range tests {
		as := append(sex(tt.sex), pick("auditc", "1", tt.q1))
		for i, v := range []string{tt.q2, tt.q3} {
			id := []string{"2", "3"}[i]
			switch v {
			case "":
			case "declined":
				as = append(as, decline("auditc", id))
			default:
				as = append(as, pick("auditc", id, v))
			}
		}
		r := c.Score(in, answers(as...), now)
		if r.Scored != (tt.missing == nil) || r.Scored && r.Total != tt.total || bandLabel(r) != tt.band || r.BandNote["en"] != tt.note || !slices.Equal(r.Missing, tt.missing) {
			t.Errorf("sex %q answers %s/%s/%s: scored %v total %d band %q note %q missing %v, want %d %q %q %v",
				tt.sex, tt.q1, tt.q2, tt.q3, r.Scored, r.Total, bandLabel(r), r.BandNote["en"], r.Missing, tt.total, tt.band, tt.note, tt.missing)
		}
	}
}

func TestPHQ9Item9(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "phq9")
	tests := []struct {
		name    string
		points  []int // items 1-8
		item9   string
		flags   []string
		urgent  bool
		scored  bool
		band    string
		missing []string
	}{
		{"item 9 zero", []int{3, 3, 3, 3, 3, 3, 3, 3}, "not_at_all", []string{}, false, true, "Severe", nil},
		{"item 9 only, total 1", []int{0, 0, 0, 0, 0, 0, 0, 0}, "several_days", []string{"suicidal_ideation"}, true, true, "Minimal", nil},
		{"item 9 highest", []int{0, 0, 0, 0, 0, 0, 0, 0}, "nearly_every_day", []string{"suicidal_ideation"}, true, true, "Minimal", nil},
		{"item 9 with severe total", []int{3, 3, 3, 3, 3, 3, 3, 3}, "more_than_half", []string{"suicidal_ideation"}, true, true, "Severe", nil},
		{"item 9 declined", []int{1, 1, 1, 1, 1, 1, 1, 1}, "declined", []string{"item9_declined"}, false, false, "", []string{"9"}},
		{"item 9 unanswered", []int{1, 1, 1, 1, 1, 1, 1, 1}, "", []string{}, false, false, "", []string{"9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := byPoints(t, in, append(slices.Clone(tt.points), 0))[:8]
			switch tt.item9 {
			case "":
			case "declined":
				as = append(as, decline("phq9", "9"))
			default:
				as = append(as, pick("phq9", "9", tt.item9))
			}
			r := c.Score(in, answers(as...), now)
			if got := flagIDs(r); !slices.Equal(got, tt.flags) {
				t.Errorf("flags %v, want %v", got, tt.flags)
			}
			if r.Urgent() != tt.urgent {
				t.Errorf("urgent %v, want %v", r.Urgent(), tt.urgent)
			}
			for _, f := range r.Flags {
				if f.ID == "suicidal_ideation" && !(f.Urgent && f.Crisis && f.RedFlag) {
					t.Errorf("suicidal_ideation: urgent %v crisis %v red_flag %v", f.Urgent, f.Crisis, f.RedFlag)
				}
				if f.ID == "item9_declined" && (f.Urgent || f.Crisis) {
					t.Errorf("item9_declined must not be urgent or a crisis")
				}
			}
			if r.Scored != tt.scored || bandLabel(r) != tt.band || !slices.Equal(r.Missing, tt.missing) {
				t.Errorf("scored %v band %q missing %v, want %v %q %v", r.Scored, bandLabel(r), r.Missing, tt.scored, tt.band, tt.missing)
			}
			if !tt.scored && r.Band != nil {
				t.Errorf("a total that is not scored has band %q", bandLabel(r))
			}
		})
	}
}

func TestPHQ2Subscore(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "phq9")
	for _, tt := range []struct {
		points []int
		total  int
		band   string
	}{
		{[]int{0, 0, 3, 3, 3, 3, 3, 3, 3}, 0, "Negative screen"},
		{[]int{1, 1, 0, 0, 0, 0, 0, 0, 0}, 2, "Negative screen"},
		{[]int{2, 1, 0, 0, 0, 0, 0, 0, 0}, 3, "Positive screen"},
		{[]int{3, 3, 0, 0, 0, 0, 0, 0, 0}, 6, "Positive screen"},
	} {
		r := c.Score(in, answers(byPoints(t, in, tt.points)...), now)
		if len(r.Subscores) != 1 || r.Subscores[0].Subscore.ID != "phq2" {
			t.Fatalf("subscores %+v", r.Subscores)
		}
		s := r.Subscores[0]
		if !s.Scored || s.Total != tt.total || s.Band == nil || s.Band.Label["en"] != tt.band {
			t.Errorf("%v: PHQ-2 %+v, want %d %q", tt.points, s, tt.total, tt.band)
		}
	}
	// Item 9 declined: the PHQ-9 total is not scored, the PHQ-2 still is.
	as := byPoints(t, in, []int{2, 2, 0, 0, 0, 0, 0, 0, 0})[:8]
	r := c.Score(in, answers(append(as, decline("phq9", "9"))...), now)
	if r.Scored || !r.Subscores[0].Scored || r.Subscores[0].Total != 4 {
		t.Errorf("item 9 declined: total scored %v, PHQ-2 %+v", r.Scored, r.Subscores[0])
	}
}

// An unanswered or declined item leaves the total not scored, never
// silently low.
func TestMissingItemsNotScored(t *testing.T) {
	c := testkit.Catalog(t)
	for _, id := range []string{"sows", "phq9", "gad7", "dast10", "auditc"} {
		in := instrument(t, c, id)
		points := slices.Repeat([]int{1}, len(in.Scoring.Items)) // 1: AUDIT-C Q1 "never" would skip the rest
		as := byPoints(t, in, points)
		last := in.Scoring.Items[len(in.Scoring.Items)-1]
		r := c.Score(in, answers(as[:len(as)-1]...), now)
		if r.Scored || r.Band != nil || !slices.Equal(r.Missing, []string{last}) {
			t.Errorf("%s without item %s: scored %v band %q missing %v", id, last, r.Scored, bandLabel(r), r.Missing)
		}
		r = c.Score(in, answers(append(as[:len(as)-1], decline(id, last))...), now)
		if r.Scored || !slices.Equal(r.Missing, []string{last}) {
			t.Errorf("%s with item %s declined: scored %v missing %v", id, last, r.Scored, r.Missing)
		}
	}
}

func TestSOWSSkippedByLastDose(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "sows")
	full := byPoints(t, in, []int{4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	tests := []struct {
		name     string
		lastDose []screening.Answer
		skipped  bool
	}{
		{"no kratom answer", nil, false},
		{"12 hours ago", []screening.Answer{ago("kratom", "last_dose", 12)}, false},
		{"719 hours ago", []screening.Answer{ago("kratom", "last_dose", 719)}, false},
		{"exactly 720 hours ago", []screening.Answer{ago("kratom", "last_dose", 720)}, false},
		{"721 hours ago", []screening.Answer{ago("kratom", "last_dose", 721)}, true},
		{"a year ago", []screening.Answer{ago("kratom", "last_dose", 24*365)}, true},
		{"declined", []screening.Answer{decline("kratom", "last_dose")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Score(in, answers(append(slices.Clone(full), tt.lastDose...)...), now)
			if r.Skipped != tt.skipped {
				t.Fatalf("skipped %v, want %v", r.Skipped, tt.skipped)
			}
			if tt.skipped && (r.Scored || len(r.Flags) > 0) {
				t.Errorf("a skipped SOWS is scored %v with flags %v", r.Scored, flagIDs(r))
			}
			if !tt.skipped && (!r.Scored || r.Total != 24 || !slices.Equal(flagIDs(r), []string{"severe_withdrawal"})) {
				t.Errorf("scored %v total %d flags %v", r.Scored, r.Total, flagIDs(r))
			}
			s := screening.NewSession(c, nil)
			s.Restore(tt.lastDose...)
			asked := slices.ContainsFunc(s.Steps(now), func(st screening.Step) bool { return st.Instrument.ID == "sows" })
			if asked == tt.skipped {
				t.Errorf("session asks SOWS: %v", asked)
			}
		})
	}
}

func TestKratomFlags(t *testing.T) {
	c := testkit.Catalog(t)
	in := instrument(t, c, "kratom")
	tests := []struct {
		name  string
		as    []screening.Answer
		flags []string
	}{
		{"nothing answered", nil, []string{}},
		{"low-risk answers", []screening.Answer{
			picks("kratom", "forms", "leaf", "capsules"),
			num("kratom", "doses_per_day", 2),
			num("kratom", "grams_per_day", 4.5),
			picks("kratom", "other_substances", "cannabis"),
			pick("kratom", "quit_attempts", "once"),
			pick("kratom", "past_severe_withdrawal", "no"),
			pick("kratom", "pregnant", "no"),
			pick("kratom", "seizures", "no"),
		}, []string{}},
		{"7-OH products", []screening.Answer{picks("kratom", "forms", "leaf", "7oh")}, []string{"7oh_products"}},
		{"pregnant", []screening.Answer{pick("kratom", "pregnant", "yes")}, []string{"pregnant"}},
		{"maybe pregnant", []screening.Answer{pick("kratom", "pregnant", "not_sure")}, []string{"pregnant"}},
		{"not applicable", []screening.Answer{pick("kratom", "pregnant", "not_applicable")}, []string{}},
		{"seizures", []screening.Answer{pick("kratom", "seizures", "yes")}, []string{"seizures"}},
		{"daily alcohol", []screening.Answer{
			picks("kratom", "other_substances", "alcohol", "cannabis"),
			picks("kratom", "daily_co_use", "alcohol"),
		}, []string{"daily_alcohol"}},
		{"daily benzodiazepines and opioids", []screening.Answer{
			picks("kratom", "other_substances", "benzodiazepines", "opioids"),
			picks("kratom", "daily_co_use", "benzodiazepines", "opioids"),
		}, []string{"daily_benzodiazepines", "daily_opioids"}},
		{"co-use but not daily", []screening.Answer{
			picks("kratom", "other_substances", "alcohol"),
			picks("kratom", "daily_co_use", "none"),
		}, []string{}},
		// A stale daily answer does not count once the patient unticks
		// the substances that opened the question.
		{"stale daily co-use", []screening.Answer{
			picks("kratom", "other_substances", "none"),
			picks("kratom", "daily_co_use", "alcohol"),
		}, []string{}},
		{"5 doses a day", []screening.Answer{num("kratom", "doses_per_day", 5)}, []string{}},
		{"6 doses a day", []screening.Answer{num("kratom", "doses_per_day", 6)}, []string{"many_doses"}},
		{"14.9 g a day", []screening.Answer{num("kratom", "grams_per_day", 14.9)}, []string{}},
		{"15 g a day", []screening.Answer{num("kratom", "grams_per_day", 15)}, []string{"high_amount"}},
		{"past severe withdrawal", []screening.Answer{
			pick("kratom", "quit_attempts", "2_3"),
			pick("kratom", "past_severe_withdrawal", "yes"),
		}, []string{"past_severe_withdrawal"}},
		{"past withdrawal not sure", []screening.Answer{
			pick("kratom", "quit_attempts", "2_3"),
			pick("kratom", "past_severe_withdrawal", "not_sure"),
		}, []string{}},
		{"stale past withdrawal after never tried", []screening.Answer{
			pick("kratom", "quit_attempts", "never"),
			pick("kratom", "past_severe_withdrawal", "yes"),
		}, []string{}},
		{"declined answers raise nothing", []screening.Answer{
			decline("kratom", "forms"), decline("kratom", "pregnant"), decline("kratom", "seizures"),
			decline("kratom", "doses_per_day"), decline("kratom", "grams_per_day"),
		}, []string{}},
		{"everything", []screening.Answer{
			picks("kratom", "forms", "7oh"),
			num("kratom", "doses_per_day", 12),
			num("kratom", "grams_per_day", 40),
			picks("kratom", "other_substances", "alcohol", "benzodiazepines", "opioids"),
			picks("kratom", "daily_co_use", "alcohol", "benzodiazepines", "opioids"),
			pick("kratom", "quit_attempts", "gt_3"),
			pick("kratom", "past_severe_withdrawal", "yes"),
			pick("kratom", "pregnant", "yes"),
			pick("kratom", "seizures", "yes"),
		}, []string{"7oh_products", "pregnant", "seizures", "daily_alcohol", "daily_benzodiazepines", "daily_opioids",
			"many_doses", "high_amount", "past_severe_withdrawal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Score(in, answers(tt.as...), now)
			if r.Scored || r.Band != nil {
				t.Errorf("the kratom profile is unscored, got scored %v band %q", r.Scored, bandLabel(r))
			}
			if got := flagIDs(r); !slices.Equal(got, tt.flags) {
				t.Errorf("flags %v, want %v", got, tt.flags)
			}
			if r.Urgent() {
				t.Errorf("kratom flags are not urgent")
			}
		})
	}
}

// A number item with steps scores the first step its answer is not
// above, at each step's edge, with decimals; it moves the total and the
// scoring range is the steps' points.
func TestNumberSteps(t *testing.T) {
	data := strings.Replace(strings.Replace(baseInstrument,
		`"unit": {"en": "units"}, "min": 0, "max": 10}`,
		`"unit": {"en": "units"}, "min": 0, "max": 10, "decimals": 1, "steps": [{"up_to": 0, "points": 0}, {"up_to": 2.5, "points": 1}, {"up_to": 10, "points": 3}]}`, 1),
		"\"items\": [\"a\", \"b\", \"c\"],\n    \"min\": 0,\n    \"max\": 6,\n    \"bands\": [\n      {\"min\": 0, \"max\": 1, \"label\": {\"en\": \"Low\"}, \"level\": 0, \"code\": \"low\"},\n      {\"min\": 2, \"max\": 4, \"label\": {\"en\": \"Middle\"}, \"level\": 1},\n      {\"min\": 5, \"max\": 6, \"label\": {\"en\": \"High\"}, \"level\": 2}\n    ]",
		`"items": ["a", "b", "c", "n"], "min": 0, "max": 9`, 1)
	in, err := screening.Parse("test.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	c, errs := screening.Load(screening.Source{Name: "t", FS: mapFS("test.json", data)})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	it, _ := in.Item("n")
	for _, tt := range []struct {
		n      float64
		points int
	}{{0, 0}, {0.1, 1}, {2.5, 1}, {2.6, 3}, {10, 3}} {
		if p, ok := in.ItemPoints(it, num("test", "n", tt.n)); !ok || p != tt.points {
			t.Errorf("%v: %d points (%v), want %d", tt.n, p, ok, tt.points)
		}
		r := c.Score(instrument(t, c, "test"), answers(pick("test", "a", "no"), pick("test", "b", "no"), num("test", "n", tt.n)), now)
		if !r.Scored || r.Total != tt.points {
			t.Errorf("%v: total %d scored %v, want %d", tt.n, r.Total, r.Scored, tt.points)
		}
	}
	if _, ok := in.ItemPoints(it, decline("test", "n")); ok {
		t.Error("a declined number scored")
	}
}
