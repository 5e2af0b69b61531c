package patient

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// fakeSpeaker records what it is asked to read.
type fakeSpeaker struct {
	said  []string
	langs []string
	stops int
	// noSpanish: a Windows kiosk without a Spanish voice
	noSpanish bool
}

func (f *fakeSpeaker) Say(_ context.Context, text, lang string) error {
	f.said, f.langs = append(f.said, text), append(f.langs, lang)
	return nil
}

func (f *fakeSpeaker) Stop() { f.stops++ }

// Speaks has every language unless noSpanish.
func (f *fakeSpeaker) Speaks(lang string) bool { return !f.noSpanish || lang != "es" }

func TestReadAloud(t *testing.T) {
	sp := &fakeSpeaker{}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Speaker = sp
		c.Settings.Enabled = []string{"gad7"}
	})
	h.begin("Ana", "Ruiz")
	h.wantScreen(ui.ScreenQuestion)
	h.tap(en("speech.listen"))
	if len(sp.said) != 1 || sp.langs[0] != "en" {
		t.Fatalf("said %q in %q", sp.said, sp.langs)
	}
	got := sp.said[0]
	for _, want := range []string{"Feeling nervous, anxious, or on edge", "Not at all", "Nearly every day"} {
		if !strings.Contains(got, want) {
			t.Errorf("read %q, without %q", got, want)
		}
	}
	if strings.Contains(got, "Prefer not") || strings.Contains(got, "I need help") {
		t.Errorf("buttons read aloud: %q", got)
	}
	stops := sp.stops
	h.tap("Not at all")
	if sp.stops <= stops {
		t.Error("reading did not stop when the screen changed")
	}
	// in Spanish, in Spanish
	h.k.Reset("test")
	h.tap("Español")
	h.tap("Escuchar")
	if l := sp.langs[len(sp.langs)-1]; l != "es" || !strings.Contains(sp.said[len(sp.said)-1], "Le damos la bienvenida") {
		t.Errorf("read %q in %s", sp.said[len(sp.said)-1], l)
	}
}

// Every screen read by itself when the setting asks; no engine, no button.
func TestReadAloudSetting(t *testing.T) {
	sp := &fakeSpeaker{}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Speaker = sp
		c.Settings.ReadAloud = true
	})
	h.tap("Start")
	if len(sp.said) == 0 || !strings.Contains(sp.said[len(sp.said)-1], "privacy") {
		t.Errorf("the consent screen was not read by itself: %q", sp.said)
	}
	quiet := newHarness(t, sqlite.Options{}, nil)
	if len(quiet.buttons(en("speech.listen"))) != 0 {
		t.Error("a speaker button without a speech engine")
	}
}

// What the patient typed or answered is never read aloud: the check-in
// code, the answers on the review screen.
func TestReadAloudKeepsAnswersPrivate(t *testing.T) {
	sp := &fakeSpeaker{}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Speaker = sp })
	h.tap(en("welcome.checkin"))
	for _, r := range "K7QM2XPA" {
		test.Tap(the[*codeScreen](h.k, ui.ScreenCode).keys[strings.IndexRune(sqlite.CodeAlphabet, r)])
	}
	h.tap(en("speech.listen"))
	if got := sp.said[len(sp.said)-1]; strings.Contains(strings.ReplaceAll(got, " ", ""), "K7QM") {
		t.Errorf("the code was read aloud: %q", got)
	}
}

// Without a voice for the patient's language (a Windows kiosk with no
// Spanish voice installed) the speaker button is hidden, and comes back
// in English.
func TestReadAloudNoVoiceForLanguage(t *testing.T) {
	sp := &fakeSpeaker{noSpanish: true}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Speaker = sp })
	if !listening(h) {
		t.Fatal("no speaker button in English")
	}
	h.tap("Español")
	if listening(h) {
		t.Error("a speaker button in Spanish without a Spanish voice")
	}
	h.tap(h.k.T("welcome.start"))
	if listening(h) {
		t.Error("the speaker button came back on the next screen")
	}
	h.k.Reset("test")
	if !listening(h) {
		t.Error("no speaker button back in English after the reset")
	}
}

// On the review screen the questions are read, the patient's answers are
// not: the room hears what was asked, never what was answered.
func TestReadAloudReviewKeepsAnswers(t *testing.T) {
	sp := &fakeSpeaker{}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Speaker = sp
		c.Settings.Enabled = []string{"gad7"}
	})
	h.begin("Ana", "Ruiz")
	for range 7 {
		h.answer("Nearly every day")
	}
	h.answer("Very difficult") // the difficulty question, not scored
	h.wantScreen(ui.ScreenReview)
	h.tap(en("speech.listen"))
	got := sp.said[len(sp.said)-1]
	if !strings.Contains(got, "Feeling nervous, anxious, or on edge") {
		t.Errorf("the review's questions are not read: %q", got)
	}
	if strings.Contains(got, "Nearly every day") {
		t.Errorf("an answer was read aloud on the review screen: %q", got)
	}
}

// listening says whether the speaker button is on screen.
func listening(h *harness) bool { return len(h.buttons(h.k.T("speech.listen"))) > 0 }
