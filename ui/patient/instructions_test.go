package patient

import (
	"strings"
	"testing"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// The DAST-10's published instructions, too long to stand above each of
// its questions, come once, on a screen of their own, between the GAD-7
// and the DAST-10's first question: Next goes on to it, Back from it
// comes back to them and from them to the question before.
func TestInstructionsBeforeTheFirstQuestion(t *testing.T) {
	for _, tc := range []struct{ lang, classes, stem string }{
		{"English", "cannabis (marijuana, hashish), solvents (e.g., paint thinner), tranquilizers (e.g., Valium), barbiturates, cocaine", "These questions refer to the past 12 months."},
		{"Español", "cannabis (marihuana, hachís), solventes (p. ej., diluyente de pintura), tranquilizantes (p. ej., Valium), barbitúricos, cocaína", "Estas preguntas se refieren a los últimos 12 meses."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"gad7", "dast10"} })
			h.beginIn(tc.lang, "Ana", "Ruiz")
			for range 7 {
				h.answerIn(0) // no problems: the difficulty question is not asked
			}
			h.wantScreen(ui.ScreenInstructions)
			text := strings.Join(h.texts(), "|")
			if !strings.Contains(text, tc.classes) {
				t.Errorf("the instructions lack the drug classes %q: %q", tc.classes, text)
			}
			if h.shows(tc.stem) {
				t.Errorf("the instructions screen shows the questions' stem too")
			}
			next, back := h.k.T("nav.next"), h.k.T("nav.back")
			h.tap(next)
			h.wantScreen(ui.ScreenQuestion)
			if h.k.visit.at != (screening.Key{Instrument: "dast10", Item: "1"}) || !h.shows(tc.stem) {
				t.Fatalf("after the instructions: %v, texts %q", h.k.visit.at, h.texts())
			}
			h.tap(back)
			h.wantScreen(ui.ScreenInstructions)
			h.tap(back)
			h.wantScreen(ui.ScreenQuestion)
			if h.k.visit.at != (screening.Key{Instrument: "gad7", Item: "7"}) {
				t.Errorf("back from the instructions: %v, want gad7/7", h.k.visit.at)
			}
			h.answerIn(0)
			h.wantScreen(ui.ScreenInstructions)
			for h.asking() {
				h.answerIn(0)
			}
			h.wantScreen(ui.ScreenReview)
			if _, ok := h.k.visit.Session().Answer(screening.Key{Instrument: "dast10", Item: "1"}); !ok {
				t.Fatal("DAST-10 item 1 not answered")
			}
		})
	}
}
