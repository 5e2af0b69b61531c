package report

import (
	"strings"
	"testing"
)

// A session answered in Spanish prints for staff: the questions in
// English, the patient's choices in Spanish with the English after them.
func TestSummarySpanishAnswers(t *testing.T) {
	in := fullInput(t)
	in.Lang = "es"
	text := flat(pdfText(t, render(t, in), "-raw"))
	for _, want := range []string{
		"Little interest or pleasure in doing things", // the question, in English
		"Varios días (Several days)",
		"Cápsulas (Capsules)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	if strings.Contains(text, "Poco interés o placer en hacer cosas") {
		t.Error("a question printed in Spanish")
	}
}
