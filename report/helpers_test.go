package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"intakekiosk/screening"
	"intakekiosk/summary"

	"intakekiosk/internal/testkit"
	"intakekiosk/internal/testtool"
	"strconv"
)

// Test clock: the visit ends at 9:04 AM in the clinic's zone; the summary
// is printed a little later.
var (
	zone      = time.FixedZone("CST", -6*3600)
	started   = time.Date(2026, 3, 2, 14, 41, 0, 0, time.UTC)
	completed = time.Date(2026, 3, 2, 15, 4, 0, 0, time.UTC)
	generated = time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC)
)

func pick(inst, item, value string) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Choice: value, At: completed}
}

func picks(inst, item string, values ...string) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Choices: values, At: completed}
}

func num(inst, item string, n float64) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Number: &n, At: completed}
}

func text(inst, item, s string) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Text: s, At: completed}
}

// ago answers a when item with an instant the given hours before the
// answer.
func ago(inst, item string, hours float64) screening.Answer {
	t := completed.Add(-time.Duration(hours * float64(time.Hour)))
	return screening.Answer{Instrument: inst, Item: item, Time: &t, Given: "hours", Amount: hours, At: completed}
}

func decline(inst, item string) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Declined: true, At: completed}
}

// byPoints answers an instrument's scored items, in scoring order, with the
// options worth the given points (before any reverse scoring).
func byPoints(tb testing.TB, c *screening.Catalog, id string, points ...int) []screening.Answer {
	tb.Helper()
	return testkit.ByPoints(tb, c, id, completed, points...)
}

// session answers a new session over every built-in instrument; the
// answers are set in order, so branching sees the earlier ones.
func session(tb testing.TB, c *screening.Catalog, groups ...[]screening.Answer) *screening.Session {
	tb.Helper()
	return testkit.Answered(tb, c, completed, groups...)
}

// kratomAnswers is a full kratom profile: about 12 g a day in 4 doses,
// capsules and 7-OH, last dose 20 hours before the visit; sex at birth
// sex ("" declined).
func kratomAnswers(lastDoseHours float64, sex string) []screening.Answer {
	as := []screening.Answer{
		picks("kratom", "forms", "capsules", "7oh"),
		num("kratom", "doses_per_day", 4),
		num("kratom", "grams_per_day", 12),
		pick("kratom", "duration", "1_3y"),
		ago("kratom", "last_dose", lastDoseHours),
		picks("kratom", "reasons", "pain", "withdrawal"),
		picks("kratom", "other_substances", "alcohol", "benzodiazepines"),
		picks("kratom", "daily_co_use", "alcohol"),
		picks("kratom", "triggers", "stress", "pain"),
		picks("kratom", "coping", "walking", "support"),
		pick("kratom", "quit_attempts", "2_3"),
		pick("kratom", "past_severe_withdrawal", "yes"),
	}
	switch sex {
	case "":
		as = append(as, decline("kratom", "sex"))
	default:
		as = append(as, pick("kratom", "sex", sex))
	}
	if sex != "male" { // a man is not asked whether he is pregnant
		as = append(as, pick("kratom", "pregnant", "not_applicable"))
	}
	return append(as,
		pick("kratom", "seizures", "no"),
		text("kratom", "medicines", "Gabapentina 300 mg, ibuprofeno según necesite"),
	)
}

func dast(yn string) []screening.Answer {
	var as []screening.Answer
	for i, c := range yn {
		v := map[rune]string{'Y': "yes", 'N': "no"}[c]
		as = append(as, pick("dast10", strconv.Itoa(i+1), v))
	}
	return as
}

// fullInput is a complete session with every item answered and PHQ-9 item
// 9 positive ("Several days").
func fullInput(tb testing.TB) summary.Input {
	c := testkit.Catalog(tb)
	s := session(tb, c,
		kratomAnswers(20, "male"),
		byPoints(tb, c, "sows", 2, 1, 2, 1, 1, 1, 2, 2, 1, 3, 2, 1, 1, 1, 1, 2), // 24: severe
		byPoints(tb, c, "phq9", 2, 2, 2, 1, 1, 2, 1, 1, 1),                      // 13: moderate
		[]screening.Answer{pick("phq9", "10", "somewhat_difficult")},
		byPoints(tb, c, "gad7", 1, 2, 1, 2, 1, 1, 0), // 8: mild
		[]screening.Answer{pick("gad7", "8", "very_difficult")},
		dast("YNNNYNNNYN"), // 1+1(item 3 No)+1+1 = 4: moderate
		[]screening.Answer{pick("auditc", "1", "2_3_week"), pick("auditc", "2", "3_4"), pick("auditc", "3", "monthly")}, // 6: positive
	)
	return summary.Input{
		Clinic:    "Clínica Esperanza — Riverside",
		Identity:  screening.Identity{First: "José", Last: "Núñez", Birth: "1988-04-12"},
		SessionID: "0195a3c2-7d10-7c4e-9b1a-3f2e4d5c6b7a",
		Started:   started,
		Completed: completed,
		Urgent:    true,
		Session:   s,
		Generated: generated,
		Location:  zone,
	}
}

// declinedInput declines PHQ-9 item 9, leaves sex unknown, has a last dose
// 40 days ago (SOWS skipped) and no alcohol (AUDIT-C items 2 and 3
// skipped).
func declinedInput(tb testing.TB) summary.Input {
	c := testkit.Catalog(tb)
	phq := byPoints(tb, c, "phq9", 1, 0, 1, 1, 0, 0, 0, 0, 0)
	phq[8] = decline("phq9", "9")
	s := session(tb, c,
		kratomAnswers(40*24, ""),
		phq,
		[]screening.Answer{pick("phq9", "10", "not_difficult")},
		byPoints(tb, c, "gad7", 0, 0, 0, 0, 0, 0, 0),
		dast("YNYNNNNNNN"),
		[]screening.Answer{pick("auditc", "1", "never")},
	)
	return summary.Input{
		Clinic:    "Clínica Esperanza — Riverside",
		Identity:  screening.Identity{First: "María José", Last: "Peña-Ibáñez", Birth: "2001-11-30"},
		SessionID: "0195a3c2-7d10-7c4e-9b1a-000000000002",
		Started:   started,
		Completed: completed,
		Session:   s,
		Generated: generated,
		Location:  zone,
	}
}

// render draws a summary and fails the test on error.
func render(tb testing.TB, in summary.Input) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := Summary(&b, in); err != nil {
		tb.Fatalf("Summary: %v", err)
	}
	return b.Bytes()
}

// pdfText writes the PDF to a temporary file and reads its text back with
// pdftotext in the given mode ("-layout" or "-raw").
func pdfText(t *testing.T, pdf []byte, mode string) string {
	t.Helper()
	bin := testtool.Need(t, "pdftotext", "Debian: apt-get install poppler-utils")
	file := filepath.Join(t.TempDir(), "summary.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, mode, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// pdfPages reads the PDF's text back with pdftotext -layout, one string
// per page.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	pages := strings.Split(pdfText(t, pdf, "-layout"), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

var spaces = regexp.MustCompile(`\s+`)

// flat collapses runs of white space, so wrapped text reads as one line.
func flat(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }
