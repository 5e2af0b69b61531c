package patient

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk/assets"
	"intakekiosk/consent"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
)

// withConsents gives the kiosk the built-in consent forms, as cmd/kiosk
// loads them.
func withConsents(t testing.TB) func(*ui.Config) {
	set, errs := consent.Load([]string{"en", "es"}, consent.Source{Name: "built-in", FS: assets.Consents()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return func(c *ui.Config) { c.Consents = set }
}

// sign is the consent screen's part.
func (h *harness) sign() *signScreen { return the[*signScreen](h.k, ui.ScreenSign) }

// toChoices taps Start, the privacy notice's agree and the form's pages,
// gathering every text they show, up to the choices.
func (h *harness) toChoices(start, agree string) []string {
	h.t.Helper()
	h.tap(start)
	h.tap(agree)
	h.wantScreen(ui.ScreenSign)
	var seen []string
	for h.sign().step == stepText {
		seen = append(seen, h.texts()...)
		h.tap(h.k.T("nav.next"))
	}
	h.wantScreen(ui.ScreenSign)
	return seen
}

// choose taps a choice (0: the TPO consent, 1: people named, 2: "I do
// not consent") where it is on the screen.
func (h *harness) choose(i int) {
	h.t.Helper()
	b := h.sign().choices[i].b
	at := uitest.Where(h.w, b).Add(fyne.NewPos(b.Size().Width/2, b.Size().Height/2))
	if got := h.tapAt(at); got != "" {
		h.t.Fatalf("the choice's place has the button %q on top", got)
	}
}

// drawStroke signs on the pad shown: a stroke of three drags, as a
// finger moves, then one drag through the window's canvas, where the pad
// is.
func (h *harness) drawStroke() {
	h.t.Helper()
	pad := find[*touch.SignaturePad](h)
	at := uitest.Where(h.w, pad)
	pts := []fyne.Position{{X: 80, Y: 60}, {X: 200, Y: 150}, {X: 320, Y: 70}, {X: 480, Y: 140}}
	for i := 1; i < len(pts); i++ {
		d := pts[i].Subtract(pts[i-1])
		pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pts[i], AbsolutePosition: at.Add(pts[i])},
			Dragged: fyne.NewDelta(d.X, d.Y)})
	}
	pad.DragEnd()
	test.Drag(h.w.Canvas(), at.Add(fyne.NewPos(600, 100)), 80, -30)
}

// consents are the consent records of the visit's session.
func (h *harness) consents(id string) []consent.Signed {
	h.t.Helper()
	recs, err := h.st.Records(context.Background(), id, h.key)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []consent.Signed
	for _, r := range recs {
		if r.Consent != nil {
			out = append(out, *r.Consent)
		}
	}
	return out
}

func TestConsentSigned(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, withConsents(t))
	form, _ := h.k.Config().Consents.Main("en")
	seen := h.toChoices("Start", "I agree")
	text := strings.Join(seen, "\n")
	for _, want := range append([]string{form.Title, "Counselors' notes from your sessions are never shared", form.Recipients[1].Name + ": " + form.Recipients[1].Purpose}, form.Paragraphs...) {
		if !strings.Contains(text, want) {
			t.Errorf("the form's pages never showed %q", want)
		}
	}
	for _, c := range []string{form.TPO, form.Named, form.Decline} {
		if !h.shows(c) {
			t.Errorf("the choices do not show %q", c)
		}
	}
	h.tap("Next") // nothing chosen
	if !h.shows(en("sign.need_choice")) || h.sign().step != stepChoose {
		t.Fatalf("Next with no choice: %q", h.texts())
	}
	h.choose(0)
	h.choose(1) // naming people opens the keyboard
	if h.sign().step != stepNames {
		t.Fatalf("step %d after the named choice", h.sign().step)
	}
	h.typeKeys("Markerdoc")
	h.tap(en("sign.add"))
	h.typeKeys("markerdoc")
	h.tap(en("sign.add"))
	if !h.shows(en("sign.name_twice")) {
		t.Errorf("a name twice: %q", h.texts())
	}
	h.tap(en("sign.names_done"))
	if !h.shows(en("sign.named", "Markerdoc")) {
		t.Errorf("the choices do not list the name: %q", h.texts())
	}
	h.tap("Next")
	h.wantScreen(ui.ScreenSign)
	// the pad takes a finger at once: no tap guard
	h.drawStroke()
	if d := h.sign().pad.Drawing(); len(d.Strokes) != 2 {
		t.Fatalf("drawn %v, want 2 strokes", d.Strokes)
	}
	h.tap(en("sign.sign"))
	if h.sign().step != stepReview {
		t.Fatalf("step %d after Sign", h.sign().step)
	}
	for _, want := range []string{en("sign.review_title"), form.TPO, form.Named, "Markerdoc", en("sign.copy")} {
		if !h.shows(want) {
			t.Errorf("what you signed does not show %q: %q", want, h.texts())
		}
	}
	if v := find[*touch.SignaturePad](h); v == h.sign().pad || v.Drawing().Points() != h.sign().pad.Drawing().Points() {
		t.Error("what you signed does not draw the signature")
	}
	// Back returns to edit, and Sign comes back
	h.tap("Back")
	if h.sign().step != stepSign || h.sign().pad.Drawing().IsZero() {
		t.Fatal("Back from what you signed lost the signature")
	}
	h.tap(en("sign.sign"))

	// a tremor: Confirm, and 400 ms later a second tap at the same place
	confirm := h.buttons(en("sign.confirm"))[0]
	at := rectOf(confirm).center()
	h.tap(en("sign.confirm"))
	h.wantScreen(ui.ScreenFirst)
	h.clock.Advance(400 * time.Millisecond)
	h.tapAt(at)
	test.Tap(confirm)
	h.wantScreen(ui.ScreenFirst)

	got := h.consents(h.k.visit.ID())
	if len(got) != 1 {
		t.Fatalf("%d consent records, want 1", len(got))
	}
	c := got[0]
	switch {
	case !c.TPO || c.Declined || len(c.Recipients) != len(form.Recipients):
		t.Errorf("consent = %+v", c)
	case len(c.Named) != 1 || c.Named[0] != "Markerdoc":
		t.Errorf("named = %q", c.Named)
	case len(c.Signature.Strokes) != 2 || c.Signature.Points() < 5 || c.Signature.W != touch.PadUnits:
		t.Errorf("signature = %+v", c.Signature)
	case c.Hash != form.Hash() || c.Text != form.Text() || c.Version != form.Version || c.Lang != "en":
		t.Errorf("consent names another form: %s v%d %s", c.Form, c.Version, c.Hash)
	}
	// Back from the name does not ask again
	h.tap("Back")
	h.wantScreen(ui.ScreenConsent)
	h.tap("I agree")
	h.wantScreen(ui.ScreenFirst)
}

func TestConsentDeclined(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, withConsents(t))
	form, _ := h.k.Config().Consents.Main("en")
	h.toChoices("Start", "I agree")
	h.choose(0)
	h.choose(2) // "I do not consent" alone
	s := h.sign()
	if s.tpo || !s.declined {
		t.Fatalf("tpo %v, declined %v", s.tpo, s.declined)
	}
	h.tap("Next") // no signature asked
	if s.step != stepReview || !h.shows(en("sign.review_declined")) || !h.shows(form.Decline) || s.reviewSig.Visible() {
		t.Fatalf("after a decline: step %d, %q", s.step, h.texts())
	}
	h.tap(en("sign.confirm"))
	h.wantScreen(ui.ScreenFirst)
	got := h.consents(h.k.visit.ID())
	if len(got) != 1 || !got[0].Declined || got[0].TPO || !got[0].Signature.IsZero() {
		t.Fatalf("consents = %+v", got)
	}
}

func TestConsentNeedsSignatureAndClears(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, withConsents(t))
	h.toChoices("Start", "I agree")
	h.choose(0)
	h.tap("Next")
	h.tap(en("sign.sign"))
	if !h.shows(en("sign.need_signature")) || h.sign().step != stepSign {
		t.Fatalf("Sign on an empty pad: %q", h.texts())
	}
	h.drawStroke()
	h.tap(en("sign.clear"))
	if !h.sign().pad.Drawing().IsZero() {
		t.Fatalf("Clear left %v", h.sign().pad.Drawing())
	}
	h.tap(en("sign.sign"))
	if h.sign().step != stepSign {
		t.Error("a cleared pad was taken as signed")
	}
}

// An idle reset before Confirm leaves no consent on record and nothing
// of the names or strokes in any widget.
func TestConsentIdleResetLeavesNothing(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, withConsents(t))
	h.toChoices("Start", "I agree")
	id := h.k.visit.ID()
	h.choose(1)
	h.typeKeys("Markerdoc")
	h.tap(en("sign.add"))
	h.tap(en("sign.names_done"))
	h.tap("Next")
	h.drawStroke()
	h.tap(en("sign.sign"))
	h.clock.Advance(2 * time.Minute)
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)
	if got := h.consents(id); len(got) != 0 {
		t.Errorf("consents after a reset: %+v", got)
	}
	s := h.sign()
	if !s.pad.Drawing().IsZero() || !s.view.Drawing().IsZero() || len(s.names) > 0 || s.tpo || s.named {
		t.Error("the reset left the consent's choices or strokes")
	}
	for _, txt := range h.partsText(ui.ForPatient) {
		if strings.Contains(txt, "Markerdoc") {
			t.Errorf("the reset left %q on a screen", txt)
		}
	}
}

func TestConsentSpanish(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, withConsents(t))
	form, _ := h.k.Config().Consents.Main("es")
	h.tap("Español")
	seen := strings.Join(h.toChoices("Comenzar", "Estoy de acuerdo"), "\n")
	for _, want := range []string{form.Title, "Las notas de los consejeros de sus sesiones nunca se comparten", h.k.T("sign.page", 1, 2)} {
		if !strings.Contains(seen, want) {
			t.Errorf("the Spanish form never showed %q", want)
		}
	}
	if !h.shows(form.Decline) || !h.shows(h.k.T("sign.choose")) {
		t.Fatalf("choices in Spanish: %q", h.texts())
	}
	h.choose(0)
	h.tap("Siguiente")
	h.drawStroke()
	h.tap("Firmar")
	h.tap("Confirmar")
	h.wantScreen(ui.ScreenFirst)
	got := h.consents(h.k.visit.ID())
	if len(got) != 1 || got[0].Lang != "es" || got[0].Hash != form.Hash() {
		t.Fatalf("consents = %+v", got)
	}
}

// Read aloud reads the consent's words, never the names typed.
func TestConsentReadAloud(t *testing.T) {
	sp := &fakeSpeaker{}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { withConsents(t)(c); c.Speaker = sp })
	form, _ := h.k.Config().Consents.Main("en")
	h.tap("Start")
	h.tap("I agree")
	h.tap(en("speech.listen"))
	if len(sp.said) == 0 || !strings.Contains(sp.said[len(sp.said)-1], form.Paragraphs[0]) {
		t.Fatalf("read %q", sp.said)
	}
	for h.sign().step == stepText {
		h.tap("Next")
	}
	h.choose(1)
	h.typeKeys("Markerdoc")
	h.tap(en("sign.add"))
	h.tap(en("sign.names_done"))
	h.tap(en("speech.listen"))
	got := sp.said[len(sp.said)-1]
	if !strings.Contains(got, strings.TrimRight(form.Named, ".")) || strings.Contains(got, "Markerdoc") {
		t.Errorf("read %q", got)
	}
}

// Without a consent form, the privacy notice goes straight to the name.
func TestNoConsentForm(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("Start")
	h.tap("I agree")
	h.wantScreen(ui.ScreenFirst)
}

// Every step of the consent fits 1280x800 at every text size, in
// English and Spanish, with four long names.
func TestConsentFits(t *testing.T) {
	for _, lang := range []string{"English", "Español"} {
		for step := range touch.TextSteps {
			t.Run(fmt.Sprintf("%s/%v", lang, touch.TextScale(step)), func(t *testing.T) {
				h := newHarness(t, sqlite.Options{}, withConsents(t))
				h.tap(lang)
				h.k.SetTextStep(step)
				check := h.fits(t, fyne.Size{})
				h.tap(h.k.T("welcome.start"))
				if step == touch.TextSteps-1 {
					h.tap(h.k.T("nav.next")) // the privacy notice's second page
				}
				h.tap(h.k.T("consent.agree"))
				for page := 1; h.sign().step == stepText; page++ {
					check(fmt.Sprintf("form page %d", page))
					h.tap(h.k.T("nav.next"))
				}
				s := h.sign()
				s.tpo, s.named = true, true
				for i := range consent.MaxNamed {
					s.names = append(s.names, fmt.Sprintf("Dr. María Fernanda Rodríguez Núñez %d", i))
				}
				s.show(stepChoose)
				s.chooseMsg.Say(h.k.T("sign.need_choice"))
				check("choices")
				s.show(stepNames)
				s.namesMsg.Say(h.k.T("sign.names_full", consent.MaxNamed))
				check("names")
				s.show(stepSign)
				s.signMsg.Say(h.k.T("sign.need_signature"))
				check("signature")
				h.drawStroke()
				s.show(stepReview)
				check("what you signed")
			})
		}
	}
}

// The figure: a patient who reads nothing and only taps, from the
// privacy notice to the consent on record, each tap as soon as the tap
// guard lets it through and two seconds to sign.
func TestConsentTapsOnlyTime(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, withConsents(t))
	h.tap("Start")
	h.wantScreen(ui.ScreenConsent)
	from, taps := h.clock.Now(), 0
	tap := func(label string) { h.tap(label); taps++ }
	tap("I agree")
	for h.sign().step == stepText {
		tap("Next")
	}
	h.clock.Advance(ui.TapGuard)
	h.choose(0)
	taps++
	tap("Next")
	h.clock.Advance(2 * time.Second) // the signature
	h.drawStroke()
	tap(en("sign.sign"))
	tap(en("sign.confirm"))
	h.wantScreen(ui.ScreenFirst)
	took := h.clock.Now().Sub(from)
	t.Logf("privacy notice to a signed consent: %d taps, %v (tap guard %v a tap, 2 s to sign)", taps, took, ui.TapGuard)
	if took > 60*time.Second || len(h.consents(h.k.visit.ID())) != 1 {
		t.Errorf("took %v, want at most 60 s and one consent", took)
	}
}
