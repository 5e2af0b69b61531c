package summary

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/trend"
)

var (
	started   = time.Date(2026, 11, 2, 9, 15, 0, 0, time.UTC)
	completed = started.Add(20 * time.Minute)
)

// keysOnly is a catalog that answers with the key itself, so a test can
// see that a phrase came from the catalog and which key it came from.
type keysOnly struct{}

func (keysOnly) T(lang, key string, args ...any) string {
	if len(args) > 0 {
		return fmt.Sprintf("«%s %v»", key, args)
	}
	return "«" + key + "»"
}

// phq9 is a PHQ-9 session answered with points, item 9 as given (empty:
// declined).
func phq9(tb testing.TB, item9 string, points ...int) *screening.Session {
	tb.Helper()
	cat := testkit.Catalog(tb)
	as := testkit.ByPoints(tb, cat, "phq9", started, append(points, 0)...)
	as[8] = screening.Answer{Instrument: "phq9", Item: "9", Choice: item9, At: started}
	if item9 == "" {
		as[8] = screening.Answer{Instrument: "phq9", Item: "9", Declined: true, At: started}
	}
	s := screening.NewSession(cat, []string{"phq9"})
	for _, a := range as {
		if _, err := s.Set(a, started); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

func TestWho(t *testing.T) {
	for _, tc := range []struct {
		id                screening.Identity
		name, birth       string
		wordsName, wordsB string
	}{
		{screening.Identity{First: " Ana ", Last: "Ruiz", Birth: "1985-03-07"}, "Ana Ruiz", "Born Mar 7, 1985 (age 41)",
			"Ana Ruiz", "«staff.summary.born_age [Mar 7, 1985 41]»"},
		{screening.Identity{}, "Name not given", "Date of birth not given",
			"«staff.summary.name_not_given»", "«staff.summary.date_of_birth_not_given»"},
		{screening.Identity{First: "Bo", Birth: "7 March"}, "Bo", "Date of birth 7 March",
			"Bo", "«staff.summary.date_of_birth»7 March"},
	} {
		in := Input{Identity: tc.id, Started: started}
		sh := New(in)
		if got := sh.Name(); got != tc.name {
			t.Errorf("Name(%+v) = %q; want %q", tc.id, got, tc.name)
		}
		if got := sh.Birth(); got != tc.birth {
			t.Errorf("Birth(%+v) = %q; want %q", tc.id, got, tc.birth)
		}
		in.Words = keysOnly{}
		sh = New(in)
		if got := sh.Name(); got != tc.wordsName {
			t.Errorf("with the keys as words, Name(%+v) = %q; want %q", tc.id, got, tc.wordsName)
		}
		if got := sh.Birth(); got != tc.wordsB {
			t.Errorf("with the keys as words, Birth(%+v) = %q; want %q", tc.id, got, tc.wordsB)
		}
	}
}

func TestHours(t *testing.T) {
	sh := New(Input{})
	for _, tc := range []struct {
		h    float64
		want string
	}{
		{0.4, "less than an hour"},
		{1, "1 hour"},
		{20.4, "20 hours"},
		{47.4, "47 hours"},
		{48, "2 days"},
		{100, "4 days"},
	} {
		if got := sh.Hours(tc.h); got != tc.want {
			t.Errorf("Hours(%v) = %q; want %q", tc.h, got, tc.want)
		}
	}
}

// The course is trend.Course, every phase named and placed in words from
// the catalog, and CourseWords agrees with it.
func TestCourse(t *testing.T) {
	sh := New(Input{})
	course := sh.Course()
	if len(course) != len(trend.Course()) {
		t.Fatalf("%d phases; trend.Course has %d", len(course), len(trend.Course()))
	}
	for i, ph := range course {
		tp := trend.Course()[i]
		if ph.Phase != tp.Phase || ph.From != tp.From || ph.To != tp.To {
			t.Errorf("phase %d = %+v; trend.Course says %+v", i, ph, tp)
		}
		if ph.Label == "" || ph.Short == "" || ph.Words == "" || strings.Contains(ph.Label, "staff.") {
			t.Errorf("phase %d has label %q, short %q and words %q", i, ph.Label, ph.Short, ph.Words)
		}
		mid := (ph.From + min(ph.To, ph.From+48)) / 2
		if got := sh.CourseWords(mid); got != ph.Words {
			t.Errorf("CourseWords(%v) = %q; want %q", mid, got, ph.Words)
		}
	}
	if got := sh.CourseWords(30); !strings.Contains(got, "peak") {
		t.Errorf("30 h after the last dose reads %q; want the peak", got)
	}
}

func TestJoinAnd(t *testing.T) {
	sh := New(Input{})
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a; b and c"},
	} {
		if got := sh.JoinAnd(tc.in); got != tc.want {
			t.Errorf("JoinAnd(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// Describe words why a session is urgent, its scores and its answers.
func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		name    string
		item9   string
		help    bool
		urgent  []string
		score   string
		answer9 string
	}{
		{"item 9 several days", "several_days", false,
			[]string{"PHQ-9 item 9 (thoughts of being better off dead or of self-harm): Several days"},
			"Total 10 of 27: Moderate", "Several days"},
		{"item 9 declined, help pressed", "", true,
			[]string{`The patient pressed "I need help now" at the kiosk`},
			"Not scored: item 9 skipped", "Prefer not to answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Identity: screening.Identity{First: "Ana"}, Started: started, Completed: completed,
				HelpRequested: tc.help, Session: phq9(t, tc.item9, 1, 1, 1, 1, 1, 1, 1, 2), Location: time.UTC}
			f, err := Describe(in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f.Urgent, tc.urgent) {
				t.Errorf("urgent %q; want %q", f.Urgent, tc.urgent)
			}
			if len(f.Scores) != 1 || f.Scores[0].Code != "PHQ-9" || f.Scores[0].Words != tc.score {
				t.Errorf("scores %+v; want PHQ-9 %q", f.Scores, tc.score)
			}
			if len(f.Instruments) != 1 || len(f.Instruments[0].Items) < 9 {
				t.Fatalf("instruments %+v", f.Instruments)
			}
			it := f.Instruments[0].Items[8]
			if it.Number != "9" || !slices.Equal(it.Answer, []string{tc.answer9}) || !it.Flagged && tc.item9 != "" {
				t.Errorf("item 9 reads %+v; want %q, flagged", it, tc.answer9)
			}
			if f.Incomplete {
				t.Error("a submitted session reads as incomplete")
			}
		})
	}
	if _, err := Describe(Input{}); err != ErrNoSession {
		t.Errorf("Describe of no session: %v; want ErrNoSession", err)
	}
}

// dastAnswers answers the DAST-10 with Yes for the items listed (item 3,
// "able to stop", scores a point for No).
func dastAnswers(yes ...string) []screening.Answer {
	var as []screening.Answer
	for i := 1; i <= 10; i++ {
		id := fmt.Sprint(i)
		v := "no"
		if slices.Contains(yes, id) {
			v = "yes"
		}
		as = append(as, screening.Answer{Instrument: "dast10", Item: id, Choice: v, At: started})
	}
	return as
}

// A low DAST-10 says so when the withdrawal score or the kratom profile
// shows dependence: a patient may not count kratom as a drug.
func TestDASTCaution(t *testing.T) {
	cat := testkit.Catalog(t)
	sows := func(p int) []screening.Answer {
		var ps []int
		for range 16 {
			ps = append(ps, p)
		}
		return testkit.ByPoints(t, cat, "sows", started, ps...)
	}
	doses := func(n float64) []screening.Answer {
		return []screening.Answer{{Instrument: "kratom", Item: "doses_per_day", Number: &n, At: started}}
	}
	for _, tc := range []struct {
		name    string
		answers [][]screening.Answer
		want    string // what the caution says, "" for none
	}{
		{"low DAST, severe SOWS", [][]screening.Answer{sows(2), dastAnswers()}, "withdrawal score of 32 (SOWS)"},
		{"low DAST, moderate SOWS", [][]screening.Answer{sows(1), dastAnswers()}, "withdrawal score of 16 (SOWS)"},
		{"low DAST, daily kratom", [][]screening.Answer{sows(0), doses(4), dastAnswers()}, "daily kratom use (4 doses a day)"},
		{"low DAST, nothing else", [][]screening.Answer{sows(0), dastAnswers()}, ""},
		{"moderate DAST, severe SOWS", [][]screening.Answer{sows(2), dastAnswers("1", "2", "4")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testkit.Answered(t, cat, started, tc.answers...)
			f, err := Describe(Input{Started: started, Completed: completed, Session: s})
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, sc := range f.Scores {
				if sc.Code == "DAST-10" {
					got = sc.Caution
				}
			}
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("DAST-10 caution %q; want %q", got, tc.want)
			}
			sh := New(Input{Started: started, Completed: completed, Session: s})
			for _, r := range sh.Results() {
				if r.Instrument.ID == "dast10" && tc.want != "" && !slices.Contains(sh.ScoreNotes(r), got) {
					t.Errorf("the PDF's notes under DAST-10 %q leave out the caution", sh.ScoreNotes(r))
				}
			}
		})
	}
}

// The DAST-10's intro says that kratom counts as a drug, in every
// language.
func TestDASTIntroNamesKratom(t *testing.T) {
	in, ok := testkit.Catalog(t).Instrument("dast10")
	if !ok {
		t.Fatal("no DAST-10")
	}
	for _, lang := range []string{"en", "es"} {
		if !strings.Contains(strings.ToLower(in.Intro.In(lang)), "kratom") {
			t.Errorf("%s intro %q does not name kratom", lang, in.Intro.In(lang))
		}
	}
}

// An answer on one line: choices with commas, an instant with its date
// and time after it and no comma between.
func TestItemLine(t *testing.T) {
	cat := testkit.Catalog(t)
	at := completed.Add(-20 * time.Hour)
	s := testkit.Answered(t, cat, started, []screening.Answer{
		{Instrument: "kratom", Item: "forms", Choices: []string{"capsules", "extract"}, At: started},
		{Instrument: "kratom", Item: "last_dose", Time: &at, Given: "hours", Amount: 20, At: completed},
	})
	f, err := Describe(Input{Started: started, Completed: completed, Session: s, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]string{}
	for _, in := range f.Instruments {
		for _, it := range in.Items {
			lines[it.Question] = it.Line
		}
	}
	var forms, last string
	for q, l := range lines {
		switch {
		case strings.Contains(q, "kinds of kratom"):
			forms = l
		case strings.Contains(q, "last take"):
			last = l
		}
	}
	if !strings.Contains(forms, ", ") {
		t.Errorf("choices on one line: %q; want them joined with commas", forms)
	}
	if !strings.HasPrefix(last, "20 hours before the visit (") || strings.Contains(last, ", (") {
		t.Errorf("the last dose on one line: %q", last)
	}
}
