package report

import (
	"strings"
	"testing"
	"time"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// A PHQ-9 total 5 points or more below the first is a reliable change,
// 4 is not; the same upwards.
func TestReliableChange(t *testing.T) {
	for _, tt := range []struct{ first, total, want int }{
		{17, 12, -1}, {17, 13, 0}, {17, 0, -1}, {5, 0, -1}, {4, 0, 0},
		{4, 9, 1}, {4, 8, 0}, {22, 27, 1}, {10, 10, 0},
	} {
		if got := ReliableChange(tt.first, tt.total); got != tt.want {
			t.Errorf("first %d, then %d: %d, want %d", tt.first, tt.total, got, tt.want)
		}
	}
}

// phq9Of is a PHQ-9 scored from its items' points, at at.
func phq9Of(t *testing.T, c *screening.Catalog, at time.Time, points ...int) Measure {
	t.Helper()
	in, _ := c.Instrument("phq9")
	as := screening.Answers{}
	for _, a := range testkit.ByPoints(t, c, "phq9", at, points...) {
		as[a.Key()] = a
	}
	return Measure{At: at, Result: c.Score(in, as, at)}
}

// total spreads a PHQ-9 total over its nine items, 0 to 3 each.
func total(n int) []int {
	p := make([]int, 9)
	for i := range p {
		p[i] = min(3, max(0, n-3*i))
	}
	return p
}

// The PHQ-9 and the BAM over time: the first and the latest PHQ-9 with
// their bands, a reliable change (or none, or a worsening) against the
// first and the band reached; the latest BAM's three scores; a PHQ-9 not
// scored said, not drawn; nothing of it without either.
func TestMeasuresChart(t *testing.T) {
	c := testkit.Catalog(t)
	day := func(n int) time.Time { return taperStart.AddDate(0, 0, n).Add(10 * time.Hour) }
	bamIn, _ := c.Instrument("bam")
	bamAs := screening.Answers{}
	// Use 1+0+0, Risk 2+1+1+0+2+1, Protective 3+4+0+2+4+2
	for _, a := range testkit.ByPoints(t, c, "bam", day(28), 2, 1, 1, 1, 0, 0, 0, 3, 4, 2, 0, 2, 4, 1, 2) {
		bamAs[a.Key()] = a
	}
	bam := Measure{At: day(28), Result: c.Score(bamIn, bamAs, day(28))}
	declined := phq9Of(t, c, day(20), total(9)...)
	declined.Result = c.Score(declined.Result.Instrument, screening.Answers{}, day(20))
	for _, tt := range []struct {
		name     string
		measures []Measure
		has      []string
		lacks    []string
	}{
		{"a reliable change", []Measure{phq9Of(t, c, day(14), total(12)...), bam, phq9Of(t, c, day(0), total(17)...), phq9Of(t, c, day(28), total(4)...), declined},
			[]string{"Depression (PHQ-9, 0-27) by date", "First PHQ-9 17 (Moderately severe) on Nov 2; latest 4 (Minimal) on Nov 30: down 13 points from the first, a reliable change; the band reached: Minimal.",
				"Not plotted: 1 PHQ-9 not scored", "Brief Addiction Monitor (BAM) by date",
				"Latest BAM (Nov 30): Use 1, use reported; Risk 7, low (under 12); Protective 15, high (over 12)."}, nil},
		{"four points: none", []Measure{phq9Of(t, c, day(0), total(17)...), phq9Of(t, c, day(14), total(13)...)},
			[]string{"latest 13 (Moderate) on Nov 16: no reliable change (5 points or more) from the first."}, []string{"Brief Addiction Monitor"}},
		{"a worsening", []Measure{phq9Of(t, c, day(0), total(4)...), phq9Of(t, c, day(14), total(9)...)},
			[]string{"First PHQ-9 4 (Minimal) on Nov 2; latest 9 (Mild) on Nov 16: up 5 points from the first, a reliable worsening; now Mild."}, nil},
		{"the BAM alone", []Measure{bam}, []string{"Latest BAM (Nov 30)"}, []string{"Depression (PHQ-9"}},
		{"neither", nil, nil, []string{"Depression (PHQ-9", "Brief Addiction Monitor"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := taperInput()
			in.Measures = tt.measures
			got := flat(pdfText(t, renderPatient(t, in), "-raw"))
			for _, s := range tt.has {
				if !strings.Contains(got, s) {
					t.Errorf("report lacks %q", s)
				}
			}
			for _, s := range tt.lacks {
				if strings.Contains(got, s) {
					t.Errorf("report has %q", s)
				}
			}
		})
	}
}
