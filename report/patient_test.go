package report

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"intakekiosk/screening"
	"intakekiosk/summary"
	"intakekiosk/trend"
	"strconv"
)

// The made-up taper: 20 g a day from Mon Nov 2, 2026, down 10% every 3
// days, checked in daily (day 5 missed) for 10 days; the report is made the
// morning after the last check-in.
var (
	taperStart = time.Date(2026, 11, 2, 0, 0, 0, 0, zone)
	taperMade  = time.Date(2026, 11, 12, 8, 15, 0, 0, zone)
)

// checkin is one made-up check-in: day of the taper (0 = Nov 2) and hour,
// hours since the last dose, SOWS (-1: not scored), craving, sleep and
// grams (-1: not given).
func checkin(day int, hour, sinceDose float64, sows, craving int, sleep, grams float64, note string, triggers, helped []string) trend.Point {
	at := taperStart.AddDate(0, 0, day).Add(time.Duration(math.Round(hour*60)) * time.Minute)
	return trend.Point{
		Session:    "checkin-" + at.Format("0102-1504"),
		At:         at,
		LastDose:   at.Add(-time.Duration(sinceDose * float64(time.Hour))),
		Withdrawal: max(sows, 0),
		Scored:     sows >= 0,
		Craving:    craving,
		Doses:      3,
		Sleep:      sleep,
		Grams:      grams,
		Mood:       []string{"anxious", "irritable", "low", "okay", "hopeful"}[(day+int(hour))%5],
		Triggers:   triggers,
		Helped:     helped,
		Note:       note,
	}
}

// spanishNote is a note with accents that must come back whole.
const spanishNote = "Dormí mejor; caminé con mi mamá."

// taperSeries is 14 check-ins over 10 days, given out of order: two not
// scored, one without sleep, one without craving or grams, doses above the
// plan on Nov 4 and Nov 8, scores rising 9, 17, 21, and Nov 7 missed.
func taperSeries() []trend.Point {
	s, b, pa, pe, m := "stress", "boredom", "pain", "people", "money"
	wk, sl, hy, sp, mu := "walking", "sleep routine", "hydration", "support person", "music"
	return []trend.Point{
		checkin(9, 21, 3, 9, 3, 7.5, 14.6, "Mañana tengo cita con el médico.", nil, []string{wk, mu}),
		checkin(0, 9.2, 2, 8, 6, 6, 20, "First day of the plan.", []string{s}, []string{wk}),
		checkin(0, 19.5, 4, 11, 7, 6, 20, "", []string{b}, nil),
		checkin(1, 9, 2.5, 10, 7, 5, 20, "Rough night, sweating.", []string{s, pa}, []string{hy}),
		checkin(1, 20, 3, 9, 8, 5, 20, "", []string{pe}, []string{sp}),
		checkin(2, 8.8, 1.5, -1, 7, 4.5, 21, "Took an extra capsule after work, my back was killing me.", []string{pa, s}, []string{hy}),
		checkin(3, 9.3, 2, 17, 8, 4, 18, "", []string{s}, []string{wk, sl}),
		checkin(3, 20, 5, 21, 8, -1, 18, "Skipped the evening dose. Kids were loud.", []string{pe, s}, []string{sp}),
		checkin(4, 9, 2, 19, 6, 5.5, 18, "", []string{b}, []string{sl}),
		checkin(6, 10.25, 2, -1, 5, 6, 18.5, "Payday, went to the shop.", []string{m, s}, nil),
		checkin(7, 9.5, 2, 16, 5, 6.5, 16.2, spanishNote, nil, []string{wk, sl, hy}),
		checkin(8, 9, 2, 13, 4, 7, 16, "", []string{s}, []string{mu}),
		checkin(8, 18.7, 4, 12, -1, 7, -1, "", nil, []string{wk}),
		checkin(9, 9.2, 2, 11, 3, 7.5, 14.6, "", []string{b}, []string{wk, sp}),
	}
}

// taperPlan is the made-up plan.
func taperPlan() *trend.Plan {
	return &trend.Plan{Start: taperStart, StartDose: 20, Percent: 10, EveryDays: 3, Quit: taperStart.AddDate(0, 0, 29)}
}

// taperInput is the 14-check-in report with its plan, its flags and the
// screening's triggers and coping steps.
func taperInput() PatientInput {
	points, plan := taperSeries(), taperPlan()
	return PatientInput{
		Clinic:    "Clínica Esperanza — Riverside",
		Identity:  screening.Identity{First: "Ana Lucía", Last: "Peña Ibáñez", Birth: "1990-06-15"},
		Points:    points,
		Plan:      plan,
		Flags:     trend.Flags(points, plan, taperMade, zone),
		Triggers:  []string{"Payday and the smoke shop on Main St.", "Back pain after a long shift", "Arguments with my brother"},
		Coping:    []string{"Walk the dog instead", "Call my sister Rosa", "Heating pad for the aches", "Go to the Tuesday group"},
		Generated: taperMade,
		Location:  zone,
	}
}

// renderPatient draws a check-in report and fails the test on error.
func renderPatient(tb testing.TB, in PatientInput) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := Patient(&b, in); err != nil {
		tb.Fatalf("Patient: %v", err)
	}
	return b.Bytes()
}

// tableRow matches the first line of a check-in row in the -layout text:
// date, day since the last dose, SOWS.
var tableRow = regexp.MustCompile(`(?m)^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{1,2}\s+(?:day \d+|—)\s+(\d+|—)\s`)

// tableScores reads the SOWS column of the check-in table, top to bottom.
func tableScores(pages []string) []string {
	var out []string
	for _, pg := range pages {
		for _, m := range tableRow.FindAllStringSubmatch(pg, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

func TestPatientText(t *testing.T) {
	in := taperInput()
	if len(in.Flags) < 4 {
		t.Fatalf("the made-up series raises %d flags; want rising, over-plan and missed ones", len(in.Flags))
	}
	pdf := renderPatient(t, in)
	pages := pdfPages(t, pdf)
	if len(pages) < 2 {
		t.Fatalf("%d pages; want page one and the table after it", len(pages))
	}
	one := flat(pages[0])
	for _, s := range []string{
		"Withdrawal check-ins",
		"Ana Lucía Peña Ibáñez",
		"Born Jun 15, 1990 (age 36)",
		"14 check-ins from Mon, Nov 2 to Wed, Nov 11, 2026 (10 days).",
		"Taper plan: 20 g a day from Nov 2, down 10% every 3 days; quit date Dec 1",
		"FLAGS",
		"by day of the taper plan",
		"Craving and sleep by date", "Craving (0-10)", "Hours slept (0-12)",
		"Dose by date: reported against the plan", "reported (g)", "planned (g a day)", "above plan",
		"Triggers the patient named at screening", "Payday and the smoke shop on Main St.",
		"Coping steps planned", "Call my sister Rosa",
		"Triggers met since", "stress ×7",
		"What helped", "walking ×6",
		"Page 1 of", Notice[:60],
	} {
		if !strings.Contains(one, s) {
			t.Errorf("page one lacks %q", s)
		}
	}
	words := summary.New(summary.Input{Location: in.Location})
	for _, f := range in.Flags {
		if !strings.Contains(one, words.Flag(f)) {
			t.Errorf("page one lacks the flag %q", words.Flag(f))
		}
	}
	var want []string
	for _, p := range sortedPoints(in.Points) {
		if p.Scored {
			want = append(want, strconv.Itoa(p.Withdrawal))
		} else {
			want = append(want, "—")
		}
	}
	if got := tableScores(pages[1:]); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the table's SOWS column reads %q; want %q", got, want)
	}
	table := flat(strings.Join(pages[1:], "\n"))
	for _, s := range []string{"Every check-in, oldest first", "No check-in on Sat, Nov 7", "Plan g", "Ana Lucía Peña Ibáñez"} {
		if !strings.Contains(table, s) {
			t.Errorf("the table pages lack %q", s)
		}
	}
	raw := flat(pdfText(t, pdf, "-raw"))
	for _, s := range []string{spanishNote, "Mañana tengo cita con el médico.", "Clínica Esperanza — Riverside"} {
		if !strings.Contains(raw, s) {
			t.Errorf("the report lacks %q", s)
		}
	}
	for i, pg := range pages {
		if !strings.Contains(pg, "Page "+strconv.Itoa(i+1)+" of "+strconv.Itoa(len(pages))) || !strings.Contains(flat(pg), "42 CFR Part 2") {
			t.Errorf("page %d lacks its footer", i+1)
		}
	}
}

// sortedPoints is the check-ins oldest first.
func sortedPoints(ps []trend.Point) []trend.Point {
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b trend.Point) int { return a.At.Compare(b.At) })
	return out
}

func TestPatientDeterministic(t *testing.T) {
	in := taperInput()
	a, b := renderPatient(t, in), renderPatient(t, in)
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same input differ")
	}
	// the order the check-ins are given in does not matter
	rev := taperInput()
	for i, j := 0, len(rev.Points)-1; i < j; i, j = i+1, j-1 {
		rev.Points[i], rev.Points[j] = rev.Points[j], rev.Points[i]
	}
	if !bytes.Equal(a, renderPatient(t, rev)) {
		t.Fatal("the check-ins' order changed the report")
	}
}

// TestPatientCases renders the edge cases and finds what each must say.
func TestPatientCases(t *testing.T) {
	one, zero, detox, long := oneInput(), zeroInput(), detoxInput(), longInput()
	unscored := detoxInput()
	for i := range unscored.Points {
		unscored.Points[i].Scored = false
		unscored.Points[i].Craving, unscored.Points[i].Sleep, unscored.Points[i].Grams = -1, -1, -1
	}
	unscored.Flags = nil

	for _, tc := range []struct {
		name      string
		in        PatientInput
		minPages  int
		want, not []string
	}{
		{"one check-in", one, 2, []string{"1 check-in, on Monday, Nov 2, 2026, 9:12 AM CST.", "by day of the taper plan", "No flags"}, nil},
		{"zero check-ins", zero, 1, []string{"No check-ins yet.", "Name not given", "No taper plan recorded.", "No flags", "UTC"},
			[]string{"Withdrawal score (SOWS", "Craving (0-10)", "Triggers the patient named"}},
		{"detox, no plan", detox, 2, []string{"by day since the last dose", "onset 12-24 h", "peak days 2-3", "easing by days 5-10",
			"No taper plan recorded.", "Not plotted: 1 check-in has no withdrawal score"}, []string{"Dose by date", "planned (g a day)"}},
		{"64 check-ins", long, 4, []string{"64 check-ins", "Every check-in (continued)", "Nota número 64: todo bien, gracias."}, nil},
		{"nothing given", unscored, 2, []string{"no scored check-in to plot", "no craving or sleep given"}, []string{"Dose by date"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := renderPatient(t, tc.in)
			pages := pdfPages(t, pdf)
			if len(pages) < tc.minPages {
				t.Errorf("%d pages; want at least %d", len(pages), tc.minPages)
			}
			text := flat(strings.Join(pages, "\n")) + " " + flat(pdfText(t, pdf, "-raw"))
			for _, s := range tc.want {
				if !strings.Contains(text, s) {
					t.Errorf("the report lacks %q", s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(text, s) {
					t.Errorf("the report shows %q", s)
				}
			}
			if n := len(tableScores(pages[1:])); n != len(tc.in.Points) {
				t.Errorf("the table has %d check-in rows; want %d", n, len(tc.in.Points))
			}
		})
	}
}

// detoxInput is a patient who stopped at once (no plan): the score climbs
// to its peak on day 3 and eases; one check-in is not scored.
func detoxInput() PatientInput {
	var ps []trend.Point
	for i, c := range []struct {
		hours float64
		sows  int
	}{{14, 9}, {26, 18}, {40, 24}, {50, -1}, {64, 27}, {88, 21}, {112, 17}, {136, 12}, {184, 8}, {232, 5}} {
		p := checkin(int(c.hours/24), 9, c.hours, c.sows, 8-i*3/4, 4+float64(i)*0.4, 0, "", []string{"stress"}, []string{"walking"})
		p.At = taperStart.Add(time.Duration(c.hours) * time.Hour)
		p.LastDose = taperStart
		ps = append(ps, p)
	}
	return PatientInput{
		Clinic:    "Clínica Esperanza — Riverside",
		Identity:  screening.Identity{First: "José", Last: "Núñez", Birth: "1988-04-12"},
		Points:    ps,
		Flags:     trend.Flags(ps, nil, taperMade, zone),
		Generated: taperMade,
		Location:  zone,
	}
}

// oneInput is the taper's first check-in alone, reported an hour later.
func oneInput() PatientInput {
	in := taperInput()
	in.Points = sortedPoints(in.Points)[:1]
	in.Generated = in.Points[0].At.Add(time.Hour)
	in.Flags = trend.Flags(in.Points, in.Plan, in.Generated, zone)
	return in
}

// zeroInput has no check-ins, no plan, no name and no time zone.
func zeroInput() PatientInput {
	return PatientInput{Generated: taperMade}
}

// longInput is 64 check-ins over 32 days on a slower taper.
func longInput() PatientInput {
	in := taperInput()
	in.Points = nil
	for i := range 64 {
		day := i / 2
		in.Points = append(in.Points, checkin(day, 9+float64(i%2)*10, 2, 8+i%13, 5, 6, max(20-float64(day)*0.6, 0),
			"Nota número "+strconv.Itoa(i+1)+": todo bien, gracias.", []string{"stress"}, []string{"walking"}))
	}
	in.Plan = &trend.Plan{Start: taperStart, StartDose: 20, Percent: 10, EveryDays: 4}
	in.Generated = taperStart.AddDate(0, 0, 33)
	in.Flags = trend.Flags(in.Points, in.Plan, in.Generated, zone)
	return in
}

// oddInput is a detox with a relapse (the last dose starts again on day
// 4), a check-in with no last dose, one before any plan, values out of
// range and a long note.
func oddInput() PatientInput {
	in := detoxInput()
	ps := in.Points
	for i := 5; i < len(ps); i++ {
		ps[i].LastDose = taperStart.Add(100 * time.Hour) // took kratom again
	}
	ps[2].LastDose = time.Time{}
	ps[3].Sleep, ps[3].Craving, ps[3].Grams = 30, 14, 250
	ps[4].LastDose = ps[4].At.Add(time.Hour) // a last dose after the check-in
	ps[6].Note = strings.Repeat("Una nota muy larga, con acentos y eñes: ", 8)
	in.Identity.Last = "Núñez de la Concepción y Santísima Trinidad García-Fernández Ibarrola"
	return in
}

func TestPatientOdd(t *testing.T) {
	in := oddInput()
	pdf := renderPatient(t, in)
	pages := pdfPages(t, pdf)
	text := flat(strings.Join(pages, "\n"))
	for _, s := range []string{"Not plotted:", "3 check-ins give no usable time of the last dose", "At 1 check-in the patient reported a later last dose", "García-Fernández"} {
		if !strings.Contains(text, s) {
			t.Errorf("the report lacks %q", s)
		}
	}
	if n := len(tableScores(pages[1:])); n != len(in.Points) {
		t.Errorf("the table has %d check-in rows; want %d", n, len(in.Points))
	}
}

func TestPatientErrors(t *testing.T) {
	in := taperInput()
	in.Generated = time.Time{}
	if err := Patient(&bytes.Buffer{}, in); err == nil {
		t.Error("a report without a generation time was drawn")
	}
}

// TestPatientGolden compares the text of the 14-check-in report, as
// pdftotext -layout reads it, with testdata/patient.golden.txt (rewrite it
// with -update after a deliberate change, and read the diff).
func TestPatientGolden(t *testing.T) {
	got := pdfText(t, renderPatient(t, taperInput()), "-layout")
	golden := filepath.Join("testdata", "patient.golden.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (make it with -update)", err)
	}
	if got != string(want) {
		t.Errorf("the report's text differs from %s (run with -update after a deliberate change):\n%s", golden, firstDiff(string(want), got))
	}
}

// BenchmarkPatient draws the 14-check-in report (target: under 150 ms).
func BenchmarkPatient(b *testing.B) {
	in := taperInput()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Patient(&buf, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KB/pdf")
}

// The report never flags "No check-in on" a day it lists a check-in on:
// the check-ins of late November in New York, one at 1:30 a.m. on Sat
// Nov 28, given as the store gives them (UTC), the report in the clinic's
// zone.
func TestPatientMissedDayIsNotAListedDay(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	var ps []trend.Point
	for _, at := range []time.Time{
		time.Date(2026, 11, 25, 15, 0, 0, 0, ny),
		time.Date(2026, 11, 26, 15, 0, 0, 0, ny),
		time.Date(2026, 11, 28, 1, 30, 0, 0, ny), // up late: for Friday too
		time.Date(2026, 11, 29, 15, 0, 0, 0, ny),
		time.Date(2026, 12, 1, 15, 0, 0, 0, ny), // Mon Nov 30 missed
	} {
		p := checkin(0, 9, 30, 12, 5, 6, -1, "", nil, nil)
		p.At, p.LastDose = at.UTC(), time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
		ps = append(ps, p)
	}
	made := time.Date(2026, 12, 1, 16, 0, 0, 0, ny)
	in := PatientInput{Clinic: "Clinic", Identity: screening.Identity{First: "Ana", Last: "Peña", Birth: "1990-06-15"},
		Points: ps, Flags: trend.Flags(ps, nil, made, ny), Generated: made, Location: ny}
	text := flat(pdfText(t, renderPatient(t, in), "-layout"))
	for _, tc := range []struct {
		phrase string
		want   bool
	}{
		{"Sat Nov 28", true},
		{"No check-in on Sat, Nov 28", false},
		{"No check-in on Fri, Nov 27", false},
		{"No check-in on Mon, Nov 30", true},
	} {
		if strings.Contains(text, tc.phrase) != tc.want {
			t.Errorf("the report says %q: %v; want %v", tc.phrase, !tc.want, tc.want)
		}
	}
}
