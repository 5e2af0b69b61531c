package report

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/summary"
)

// wantAnswers lists what the answer pages must show for every item: the
// answer in words, "Prefer not to answer", "Not answered" or "Skipped by
// branching"; and the wording of every question asked. It is worked out from
// the session here, not by the report.
func wantAnswers(in summary.Input) (answers, questions []string) {
	now := in.Completed
	if now.IsZero() {
		now = in.Started
	}
	asked := map[screening.Key]bool{}
	for _, st := range in.Session.Steps(now) {
		asked[st.Key()] = true
	}
	for _, r := range in.Session.Results(now) {
		inst := r.Instrument
		questions = append(questions, inst.Attribution)
		if r.Skipped {
			answers = append(answers, "Skipped by branching: no questions were asked.")
			continue
		}
		for i := range inst.Items {
			it := &inst.Items[i]
			questions = append(questions, it.Text["en"])
			k := screening.Key{Instrument: inst.ID, Item: it.ID}
			a, ok := in.Session.Answer(k)
			switch {
			case !asked[k]:
				answers = append(answers, "Skipped by branching")
			case !ok:
				answers = append(answers, "Not answered")
			case a.Declined:
				answers = append(answers, "Prefer not to answer")
			case it.Kind == screening.Multi:
				for _, c := range a.Choices {
					o, _ := it.Option(c)
					answers = append(answers, o.Label["en"])
				}
			case it.Kind == screening.When:
				h := a.At.Sub(*a.Time).Hours()
				if h < 48 {
					answers = append(answers, fmt.Sprintf("%.0f hours before the visit", h))
				} else {
					answers = append(answers, fmt.Sprintf("%.0f days before the visit", h/24))
				}
				answers = append(answers, a.Time.In(in.Location).Format("(Mon Jan 2, 3:04 PM)"))
			default:
				answers = append(answers, strings.Join(it.Said(a, "en").Words, "; "))
			}
		}
	}
	return answers, questions
}

// checkAnswers finds every answer in the -layout text and every question
// in the -raw text (a question wrapped in its column is interleaved with
// its answer in the layout).
func checkAnswers(t *testing.T, in summary.Input, pdf []byte, layout string) {
	t.Helper()
	answers, questions := wantAnswers(in)
	for _, s := range answers {
		if !strings.Contains(layout, flat(s)) {
			t.Errorf("the answer pages lack the answer %q", s)
		}
	}
	raw := flat(pdfText(t, pdf, "-raw"))
	for _, s := range questions {
		if !strings.Contains(raw, flat(s)) {
			t.Errorf("the answer pages lack %q", s)
		}
	}
}

func TestSummaryText(t *testing.T) {
	cases := []struct {
		name  string
		input func(testing.TB) summary.Input
		// page1 must be on page one, rest anywhere; score lists
		// "total / max" pairs; not must appear nowhere.
		page1, rest, scores, not []string
	}{
		{
			name:  "complete, item 9 positive",
			input: fullInput,
			page1: []string{
				"URGENT",
				"PHQ-9 item 9 (thoughts of being better off dead or of self-harm): Several days",
				"José Núñez",
				"Born Apr 12, 1988 (age 37)",
				"Visit Monday, March 2, 2026, 8:41 AM to 9:04 AM CST",
				"Severe", "Moderate", "Mild", "Positive screen",
				"PHQ-2 (items 1 and 2): 4, Positive screen",
				"Cut-off for men: 4 or more is a positive screen.",
				"Convention: The severity bands (0 none, 1-10 mild, 11-20 moderate, 21-64 severe) are a convention",
				"Red flags for medical supervision",
				"Suicidal thoughts or thoughts of self-harm (PHQ-9 item 9)",
				"Uses 7-hydroxymitragynine (7-OH) products",
				"Daily or near-daily alcohol use with kratom",
				"Severe withdrawal when stopping or cutting down before",
				"Severe withdrawal score (SOWS 21 or more)",
				"About 12 g a day in 4 doses; forms: capsules, 7-OH products; using for 1 to 3 years; last dose 20 hours before the visit.",
				"also uses: alcohol, benzodiazepines (daily: alcohol)",
				"medicines now: Gabapentina 300 mg, ibuprofeno según necesite",
				"in the usual onset window (12-24 h)",
				"Generated Mar 2, 2026 9:30 AM CST",
				"Clínica Esperanza — Riverside",
			},
			rest:   []string{"Total 13 of 27: Moderate", "Total 24 of 64: Severe", "Somewhat difficult"},
			scores: []string{"24 / 64", "13 / 27", "8 / 21", "4 / 10", "6 / 12"},
			not: []string{
				"Pregnant or possibly pregnant", "History of seizures", "Many doses a day", "High daily amount",
				"not scored:", "Not answered", "Sex not given",
			},
		},
		{
			name:  "item 9 declined, sex unknown, SOWS and AUDIT-C items skipped",
			input: declinedInput,
			page1: []string{
				"María José Peña-Ibáñez",
				"Born Nov 30, 2001 (age 24)",
				"not scored: item 9 skipped",
				"skipped by branching",
				"Sex not given: the cut-off for women (3 or more) was used.",
				"Negative screen", "Minimal", "Low",
				"ASK IN PERSON", "Pinned in the queue until a staff member marks it reviewed",
				"PHQ-9 item 9 (thoughts of self-harm) was skipped: ask in person",
				"last dose 40 days before the visit",
				"past the usual acute course",
			},
			rest:   []string{"Not scored: item 9 skipped", "Skipped by branching: no questions were asked.", "Prefer not to answer"},
			scores: []string{"0 / 21", "1 / 10", "0 / 12"},
			not:    []string{"URGENT", "Suicidal thoughts", "Severe withdrawal score", "Total 2 of 27", "Cut-off for men"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.input(t)
			pdf := render(t, in)
			pages := pdfPages(t, pdf)
			if len(pages) < 2 {
				t.Fatalf("%d pages, want a summary page and answer pages", len(pages))
			}
			all := flat(strings.Join(pages, "\n"))
			first := flat(pages[0])
			for _, s := range tc.page1 {
				if !strings.Contains(first, s) {
					t.Errorf("page one lacks %q", s)
				}
			}
			for _, s := range tc.rest {
				if !strings.Contains(all, s) {
					t.Errorf("the summary lacks %q", s)
				}
			}
			for _, s := range tc.scores {
				re := regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(s), " ", `\s*`))
				if !re.MatchString(first) {
					t.Errorf("page one lacks the score %q", s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(all, s) {
					t.Errorf("the summary shows %q", s)
				}
			}
			checkAnswers(t, in, pdf, all)
			for i, p := range pages {
				p = flat(p)
				if want := fmt.Sprintf("Page %d of %d", i+1, len(pages)); !strings.Contains(p, want) {
					t.Errorf("page %d lacks %q", i+1, want)
				}
				if !strings.Contains(p, Notice) {
					t.Errorf("page %d lacks the 42 CFR Part 2 notice", i+1)
				}
				if !strings.Contains(p, in.Clinic) {
					t.Errorf("page %d lacks the clinic's name", i+1)
				}
				if i > 0 && !strings.Contains(p, flat(in.Identity.First+" "+in.Identity.Last)) {
					t.Errorf("page %d lacks the patient's name", i+1)
				}
			}
		})
	}
}

func TestSummaryIncomplete(t *testing.T) {
	c := testkit.Catalog(t)
	// the patient walked away after the SOWS
	s := session(t, c, []screening.Answer{
		picks("kratom", "forms", "leaf"),
		num("kratom", "doses_per_day", 1),
		ago("kratom", "last_dose", 6),
	}, byPoints(t, c, "sows", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
	in := summary.Input{
		Clinic:        "Riverside",
		Identity:      screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1990-01-01"},
		Started:       started,
		HelpRequested: true,
		Session:       s,
		Generated:     generated,
		Location:      zone,
	}
	pdf := render(t, in)
	pages := pdfPages(t, pdf)
	first := flat(pages[0])
	for _, s := range []string{
		"URGENT",
		`The patient pressed "I need help now" at the kiosk`,
		"Not submitted: the patient did not finish",
		"not scored: not answered",
		"None raised by the answers given.",
		"1 dose a day; forms: leaf powder or tea; last dose 6 hours before the visit.",
		"before the usual onset (12-24 h after the last dose)",
	} {
		if !strings.Contains(first, s) {
			t.Errorf("page one lacks %q", s)
		}
	}
	if !regexp.MustCompile(`0\s*/\s*64`).MatchString(first) || !strings.Contains(first, "None") {
		t.Errorf("page one lacks the SOWS score 0, None")
	}
	checkAnswers(t, in, pdf, flat(strings.Join(pages, "\n")))
}

func TestSummaryDeterministic(t *testing.T) {
	for _, input := range []func(testing.TB) summary.Input{fullInput, declinedInput} {
		in := input(t)
		a, b := render(t, in), render(t, input(t))
		if !bytes.Equal(a, b) {
			t.Fatalf("two summaries of the same input differ (%d and %d bytes)", len(a), len(b))
		}
		in.Generated = in.Generated.Add(time.Minute)
		if bytes.Equal(a, render(t, in)) {
			t.Errorf("a later generation time gives the same bytes")
		}
		if !bytes.Contains(a, []byte("/CreationDate (D:20260302")) {
			t.Errorf("creation date is not the generation time")
		}
	}
}

func TestSummaryFontSubset(t *testing.T) {
	pdf := render(t, fullInput(t))
	if n := len(pdf); n > 150<<10 {
		t.Errorf("summary is %d KB, want under 150 KB", n>>10)
	}
	if !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Errorf("no embedded TrueType font")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestSummaryErrors(t *testing.T) {
	good := fullInput(t)
	cases := []struct {
		name string
		in   func() summary.Input
		want string
	}{
		{"no session", func() summary.Input { in := good; in.Session = nil; return in }, "no session"},
		{"no clock", func() summary.Input { in := good; in.Generated = time.Time{}; return in }, "no generation time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Summary(&bytes.Buffer{}, tc.in())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	t.Run("writer fails", func(t *testing.T) {
		err := Summary(failWriter{}, good)
		if err == nil || !strings.Contains(err.Error(), "writing the summary") || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("error %v, want it to say the write failed and why", err)
		}
	})
}

// BenchmarkSummary draws one complete session's summary (target: well under
// 0.12 s; the issue asks for under 30 ms and 150 KB).
func BenchmarkSummary(b *testing.B) {
	in := fullInput(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Summary(&buf, in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KB/pdf")
}
