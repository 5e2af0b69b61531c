//go:build kioskbench

// The tests that play patients with the soak's autopilot (Kiosk.AutoTap),
// which only the bench binary carries: they build with -tags kioskbench,
// which `make test` runs as well as the plain build.

package patient

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// The autopilot that drives the real-window soak completes whole sessions,
// signing the consent of each.
func TestAutoTapCompletesSessions(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, withConsents(t))
	done := 0
	for taps := 0; taps < 500 && done < 2; taps++ {
		h.clock.Advance(ui.TapGuard)
		if !h.k.AutoTap() {
			t.Fatalf("autopilot stuck on %s: %q", h.k.Screen(), h.texts())
		}
		if h.k.Screen() == ui.ScreenWelcome {
			done++
		}
	}
	if done < 2 {
		t.Fatalf("completed %d sessions in 500 taps", done)
	}
	ss, _ := h.st.Sessions(context.Background(), sqlite.Filter{Standing: intakekiosk.StandingNew})
	if len(ss) != 2 {
		t.Errorf("%d sessions stored as new, want 2", len(ss))
	}
	for _, s := range ss {
		if c := h.consents(s.ID); len(c) != 1 || !c[0].TPO || c[0].Signature.IsZero() {
			t.Errorf("session %s's consents: %+v", s.ID, c)
		}
	}
}

// A patient who picks Español does the whole screening in Spanish; the
// session records the language; the next patient starts in English.
func TestSpanishFlow(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("Español")
	if !h.shows("Le damos la bienvenida a Test Clinic") || !h.shows("Necesito ayuda ahora") {
		t.Fatalf("welcome in Spanish: %q", h.texts())
	}
	h.tap("Comenzar")
	h.wantScreen(ui.ScreenConsent)
	if !h.shows("Antes de empezar: su privacidad") {
		t.Errorf("consent: %q", h.texts())
	}
	h.tap("Estoy de acuerdo")
	h.wantScreen(ui.ScreenFirst)
	if !h.shows("¿Cuál es su nombre?") || !h.shows("Ñ") {
		t.Errorf("first name: %q", h.texts())
	}
	for taps := 0; h.k.Screen() != ui.ScreenQuestion; taps++ {
		h.clock.Advance(ui.TapGuard)
		if taps > 10 || !h.k.AutoTap() {
			t.Fatalf("stuck on %s", h.k.Screen())
		}
	}
	// the instrument in Spanish
	if !h.shows("¿Qué tipos de kratom usa?") && !strings.Contains(strings.Join(h.texts(), "|"), "Parte 1 de") {
		t.Errorf("first question: %q", h.texts())
	}
	for taps := 0; h.k.Screen() != ui.ScreenFinish; taps++ {
		h.clock.Advance(ui.TapGuard)
		if taps > 200 || !h.k.AutoTap() {
			t.Fatalf("stuck on %s: %q", h.k.Screen(), h.texts())
		}
		if h.k.Screen() == ui.ScreenReview && !h.shows("Por favor, revise sus respuestas") {
			t.Errorf("review in English: %q", h.texts())
		}
	}
	if !h.shows("Gracias. Ya terminó.") {
		t.Errorf("finish: %q", h.texts())
	}
	list, _ := h.st.Sessions(context.Background(), sqlite.Filter{})
	recs, err := h.st.Records(context.Background(), list[0].ID, h.key)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		found = found || r.Event.Lang == "es"
	}
	if !found {
		t.Error("the session does not record that it was in Spanish")
	}
	h.tap("Listo")
	h.wantScreen(ui.ScreenWelcome)
	if !h.shows("Welcome to Test Clinic") || !h.shows("I need help now") {
		t.Errorf("the next patient does not start in English: %q", h.texts())
	}
}

// Changing the text size keeps what the patient chose or typed.
func TestTextSizeKeepsAnswer(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"kratom", "phq9"} })
	h.begin("Ana", "Ruiz")
	h.tap("Capsules")
	h.tap("A+")
	h.tap("A+")
	if q := the[*questionScreen](h.k, ui.ScreenQuestion); len(q.chosen) != 1 || !q.chosen["capsules"] {
		t.Errorf("chosen after A+: %v", q.chosen)
	}
	if b := h.buttons(en("nav.next")); len(b) == 0 || b[0].Disabled() {
		t.Error("Next is off after A+: the choice was lost")
	}
	// a long question is at body size at the largest text, as if shown
	// there first (the autopilot's path through the kratom profile has
	// none since sex at birth is asked in a few words: PHQ-9's are long)
	q := the[*questionScreen](h.k, ui.ScreenQuestion)
	for len([]rune(q.text.Text)) <= longQuestion {
		if !h.k.AutoTap() {
			t.Fatal("no long question in the kratom profile or PHQ-9")
		}
		h.clock.Advance(ui.TapGuard)
	}
	h.tap("A–")
	h.tap("A+")
	if q.text.SizeName != theme.SizeNameText {
		t.Errorf("a long question at the largest text is %s", q.text.SizeName)
	}
	h.tap("A–")
	if q.text.SizeName != theme.SizeNameSubHeadingText {
		t.Errorf("a long question at the middle text is %s", q.text.SizeName)
	}
}

// A+ tapped on the crisis screen held over a question: back on the
// question, it is laid out for the new size.
func TestTextSizeUnderCrisis(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"kratom", "phq9"} })
	h.begin("Ana", "Ruiz")
	q := the[*questionScreen](h.k, ui.ScreenQuestion)
	for len([]rune(q.text.Text)) <= longQuestion {
		h.clock.Advance(ui.TapGuard)
		if !h.k.AutoTap() {
			t.Fatalf("no long question in the kratom profile or PHQ-9 (stuck on %q)", q.text.Text)
		}
	}
	h.tap("I need help now")
	h.wantScreen(ui.ScreenCrisis)
	h.tap("A+")
	h.tap("A+")
	h.tap("Continue")
	h.wantScreen(ui.ScreenQuestion)
	if q.text.SizeName != theme.SizeNameText || q.laidAt != 2 {
		t.Errorf("back on a long question after A+ twice: %s, laid out for step %d", q.text.SizeName, q.laidAt)
	}
}

func TestCheckinFlow(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(1, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	patient, code := h.giveCode("s00")
	wrong := "22222222"
	if code == wrong {
		wrong = "33333333"
	}
	h.tap("Coming back? Daily check-in with your code")
	h.wantScreen(ui.ScreenCode)
	test.Tap(the[*codeScreen](h.k, ui.ScreenCode).keys[0])
	if got := the[*codeScreen](h.k, ui.ScreenCode).display.Text; got != "2··· ····" {
		t.Errorf("one key typed shows %q", got)
	}
	the[*codeScreen](h.k, ui.ScreenCode).Clear()
	h.typeCode("2345")
	if !h.shows(en("code.short")) {
		t.Errorf("a short code: %q", h.texts())
	}
	the[*codeScreen](h.k, ui.ScreenCode).Clear()
	h.typeCode(wrong)
	h.wantScreen(ui.ScreenCode)
	if !h.shows(en("code.not_found")) {
		t.Errorf("a wrong code: %q", h.texts())
	}
	for _, s := range h.texts() {
		if strings.Contains(strings.ReplaceAll(s, " ", ""), wrong) {
			t.Errorf("the code typed is still on screen: %q", s)
		}
	}
	h.typeCode(code)
	h.wantScreen(ui.ScreenQuestion)
	if got := h.k.visit.at; got != (screening.Key{Instrument: "checkin_use", Item: "last_dose"}) {
		t.Fatalf("first check-in question %v", got)
	}
	for _, s := range textsOf(objectsIn(false, the[*codeScreen](h.k, ui.ScreenCode).obj)) {
		if strings.Contains(strings.ReplaceAll(s, " ", ""), code) {
			t.Errorf("the right code is left on the code screen: %q", s)
		}
	}
	// answer everything; the finish screen places the last dose on the
	// usual course and shows no score
	for taps := 0; h.k.Screen() != ui.ScreenFinish; taps++ {
		if taps > 80 || !h.k.AutoTap() {
			t.Fatalf("stuck on %s: %q", h.k.Screen(), h.texts())
		}
		h.clock.Advance(ui.TapGuard)
	}
	if !h.shows(en("finish.checkin")) || !h.shows("this is when withdrawal usually starts") || !h.shows("•  "+en("finish.tip1")) {
		t.Errorf("finish screen: %q", h.texts())
	}
	for _, s := range h.texts() {
		if strings.Contains(s, "SOWS") || strings.Contains(s, "score") {
			t.Errorf("the finish screen shows a score: %q", s)
		}
	}
	list, err := h.st.Sessions(context.Background(), sqlite.Filter{Patient: patient, Kind: intakekiosk.Checkin})
	if err != nil || len(list) != 1 || list[0].Status != intakekiosk.New {
		t.Fatalf("check-in sessions %+v, %v", list, err)
	}
	recs, err := h.st.Records(context.Background(), list[0].ID, h.key)
	if err != nil {
		t.Fatal(err)
	}
	answered := map[string]bool{}
	for _, r := range recs {
		if r.Identity != nil {
			t.Error("a check-in stored an identity")
		}
		if r.Answer != nil {
			answered[r.Answer.Instrument] = true
		}
	}
	if !answered["checkin_use"] || !answered["sows"] || !answered["checkin_day"] || answered["phq9"] || answered["kratom"] {
		t.Errorf("instruments answered at the check-in: %v", answered)
	}
	h.tap("Done")
	h.wantScreen(ui.ScreenWelcome)
	if the[*finishScreen](h.k, ui.ScreenFinish).course.Text != "" {
		t.Error("the course words stay on the finish screen after the reset")
	}
}

// The check-in in Spanish: the code screen and its messages, the finish
// screen's course of withdrawal.
func TestCheckinSpanish(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	_, code := h.returning()
	h.tap("Español")
	h.tap("¿Regresa? Registro diario con su código")
	h.wantScreen(ui.ScreenCode)
	if !h.shows("Registro diario") || !h.shows("Toque las letras y los números") {
		t.Errorf("code screen: %q", h.texts())
	}
	h.typeCode("22222222")
	if !h.shows("Ese código y esa fecha de nacimiento no coinciden. Por favor, revise su hoja y su fecha de nacimiento, o pregunte en la recepción.") {
		t.Errorf("wrong code: %q", h.texts())
	}
	h.typeCode(code)
	h.wantScreen(ui.ScreenQuestion)
	for taps := 0; h.k.Screen() != ui.ScreenFinish; taps++ {
		h.clock.Advance(ui.TapGuard)
		if taps > 80 || !h.k.AutoTap() {
			t.Fatalf("stuck on %s: %q", h.k.Screen(), h.texts())
		}
	}
	if !h.shows("Su registro quedó guardado para su consejero. Gracias por llevar su diario.") || !h.shows("Para estos días") {
		t.Errorf("finish: %q", h.texts())
	}
}
