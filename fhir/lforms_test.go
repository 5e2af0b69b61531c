package fhir

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intakekiosk/internal/testkit"
	"intakekiosk/review"
	"intakekiosk/screening"
)

// shownItem is what LHC-Forms shows of an item (fhir/webtest/lforms.js
// shown()): its linkId, question and answers as displayed.
type shownItem struct {
	LinkID  string `json:"linkId"`
	Text    string `json:"text"`
	Answers []struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"answers"`
}

// displayed splits an answer as LHC-Forms shows it: "2. More than half
// the days - 2" is the option's prefix, its words and its score.
var displayed = regexp.MustCompile(`^(?:(\d+)\. )?(.*?)(?: - (\d+))?$`)

// phq9Session is an exported PHQ-9 screening answered with the points
// given and the difficulty question's option when it is asked.
func phq9Session(t *testing.T, cat *screening.Catalog, id, difficulty string, points ...int) review.Detail {
	t.Helper()
	d := screeningDetail(t, cat, 60, id, 0, instruments())
	for _, a := range testkit.ByPoints(t, cat, "phq9", day, points...) {
		d.Visit.Session.Restore(a)
	}
	if difficulty != "" {
		d.Visit.Session.Restore(screening.Answer{Instrument: "phq9", Item: "10", Choice: difficulty, At: day})
	}
	return d
}

// TestLHCForms renders exported PHQ-9 responses with NLM's LHC-Forms
// (npm lforms 40) in Debian's chromium, headless, and checks that the
// page shows each answer the kiosk recorded (its words and points) and
// the kiosk's total: with the Questionnaire the export carries and with
// the LOINC PHQ-9 form (testdata/loinc); and that the exported
// Questionnaire, filled in on the page by clicking the same answers,
// computes the same total from its ordinal values and shows the
// difficulty question exactly when the kiosk asked it.
//
// Before the export named its items by their LOINC codes, LHC-Forms threw
// on every exported PHQ-9 response given the LOINC form
// ("Cannot read properties of null (reading 'dataType')" in
// mergeQuestionnaireResponseToLForms): it looks a response's answers up in
// the form by linkId alone, and the kiosk's "1" to "10" are not the
// form's "/44250-9"….
func TestLHCForms(t *testing.T) {
	cat := catalog(t)
	phq9, _ := cat.Instrument("phq9")
	loincForm, err := os.ReadFile("testdata/loinc/44249-1.json")
	if err != nil {
		t.Fatal(err)
	}
	ctx := page(t)
	tests := []struct {
		name string
		d    review.Detail
	}{
		{"moderate", phq9Session(t, cat, "s-moderate", "very_difficult", 2, 2, 2, 2, 1, 1, 1, 1, 0)},
		{"severe, item 9 above not at all", phq9Session(t, cat, "s-severe", "extremely_difficult", 3, 3, 3, 3, 3, 3, 3, 3, 2)},
		{"no problem checked: no difficulty question", phq9Session(t, cat, "s-none", "", 0, 0, 0, 0, 0, 0, 0, 0, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.d.At()
			r := results(tc.d.Visit.Session, at)["phq9"]
			if !r.Scored {
				t.Fatal("the session is not scored")
			}
			q, qr := exported(t, cat, tc.d)
			want := kioskAnswers(tc.d, phq9)
			for _, form := range []struct {
				name     string
				q        []byte
				branches bool // the form asks only what the kiosk asked
			}{{"the exported Questionnaire", q, true}, {"the LOINC form", loincForm, false}} {
				got, err := call[[]shownItem](ctx, fmt.Sprintf("render(%s, %s)", form.q, qr))
				if err != nil {
					t.Fatalf("%s: LHC-Forms: %v", form.name, err)
				}
				checkShown(t, form.name, phq9, got, want, r.Total, form.branches)
			}

			// the exported Questionnaire, empty, answered on the page as
			// the patient answered at the kiosk
			got, err := call[[]shownItem](ctx, fmt.Sprintf("render(%s, null)", q))
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(got, func(s shownItem) bool { return s.LinkID == "/69722-7" }) {
				t.Error("an empty form shows the difficulty question (the total is 0)")
			}
			for _, it := range phq9.Items {
				a, ok := tc.d.Visit.Session.Answer(screening.Key{Instrument: "phq9", Item: it.ID})
				if !ok {
					continue
				}
				c := writer(t, cat).coding(phq9, &it, a.Choice)
				sel := fmt.Sprintf(`[id="%s/1|%s|%s"]`, linkID(phq9, &it), c.System, c.Code)
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel)), chromedp.Sleep(100*time.Millisecond)); err != nil {
					t.Fatalf("click %s: %v", sel, err)
				}
			}
			got, err = call[[]shownItem](ctx, "new Promise(r => setTimeout(() => r(shown()), 300))")
			if err != nil {
				t.Fatal(err)
			}
			checkShown(t, "the exported Questionnaire, answered on the page", phq9, got, want, r.Total, true)
		})
	}
}

// answer is one of the kiosk's answers as it showed it: the option's
// words and points.
type answer struct {
	label  string
	points int
}

// kioskAnswers are the answers of a session's PHQ-9 by linkId.
func kioskAnswers(d review.Detail, in *screening.Instrument) map[string]answer {
	out := map[string]answer{}
	for _, st := range d.Visit.Session.Steps(d.At()) {
		if st.Instrument != in {
			continue
		}
		a, ok := d.Visit.Session.Answer(st.Key())
		if !ok || a.Declined {
			continue
		}
		o, _ := st.Item.Option(a.Choice)
		out[linkID(in, st.Item)] = answer{label: o.Label["en"], points: o.Points}
	}
	return out
}

// checkShown compares what the page shows with the kiosk's answers and
// total: each item's one answer in the kiosk's words, its prefix and
// score (where the form shows them) its points; no answer where the
// kiosk has none, and, on a form that branches as the kiosk does, no
// question the kiosk did not ask; the total the kiosk's.
func checkShown(t *testing.T, form string, in *screening.Instrument, got []shownItem, want map[string]answer, total int, branches bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range got {
		seen[s.LinkID] = true
		if _, ok := itemOf(in, s.LinkID); ok && branches && want[s.LinkID] == (answer{}) {
			t.Errorf("%s: %s is on the page, the kiosk did not ask it", form, s.LinkID)
		}
		if s.LinkID == totalLinkID(in) {
			if len(s.Answers) != 1 || s.Answers[0].Label != strconv.Itoa(total) {
				t.Errorf("%s: the total shows %+v, the kiosk's is %d", form, s.Answers, total)
			}
			continue
		}
		w, asked := want[s.LinkID]
		if !asked {
			if len(s.Answers) > 0 {
				t.Errorf("%s: %s shows %+v, the kiosk has no answer", form, s.LinkID, s.Answers)
			}
			continue
		}
		if len(s.Answers) != 1 {
			t.Errorf("%s: %s shows %d answers, want %q", form, s.LinkID, len(s.Answers), w.label)
			continue
		}
		m := displayed.FindStringSubmatch(s.Answers[0].Label)
		points := strconv.Itoa(w.points)
		if m == nil || m[2] != w.label || m[1] != "" && m[1] != points || m[3] != "" && m[3] != points {
			t.Errorf("%s: %s shows %q, the kiosk %q (%d points)", form, s.LinkID, s.Answers[0].Label, w.label, w.points)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s: %s, answered at the kiosk, is not on the page", form, id)
		}
	}
	if !seen[totalLinkID(in)] {
		t.Errorf("%s: no total on the page", form)
	}
}

// exported is the Questionnaire and the QuestionnaireResponse of a
// session's PHQ-9 in its export, as JSON.
func exported(t *testing.T, cat *screening.Catalog, d review.Detail) (q, qr []byte) {
	t.Helper()
	for _, r := range resources(t, export(t, cat, d))["Questionnaire"] {
		if str(r, "url") == testBase+"/Questionnaire/phq9" {
			q, _ = json.Marshal(r)
		}
	}
	for _, r := range resources(t, export(t, cat, d))["QuestionnaireResponse"] {
		if str(r, "questionnaire") == testBase+"/Questionnaire/phq9|1" {
			qr, _ = json.Marshal(r)
		}
	}
	if q == nil || qr == nil {
		t.Fatal("no PHQ-9 Questionnaire or response in the export")
	}
	return q, qr
}
