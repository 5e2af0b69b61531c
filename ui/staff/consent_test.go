package staff

import (
	"context"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/assets"
	"intakekiosk/consent"
	"intakekiosk/demo"
	"intakekiosk/internal/testtool"
	"intakekiosk/report"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// seedConsented stores a finished screening whose patient signed the
// built-in consent form, with a counselor's note.
func (h *harness) seedConsented(id string, f *consent.Form) {
	h.t.Helper()
	g := demo.Generator{Catalog: h.k.Config().Catalog, Rand: rand.New(rand.NewPCG(8, 8)), Consent: f}
	ns, err := g.Screening(id, h.clock.Now().Add(-time.Hour), 0.3)
	if err != nil {
		h.t.Fatal(err)
	}
	ns.Records = append(ns.Records, intakekiosk.Record{Recorded: ns.Completed,
		Payload: intakekiosk.Payload{Note: &intakekiosk.Note{By: "Sam", Text: "Markernote never disclosed"}}})
	if err := h.st.AddSessions(context.Background(), []sqlite.NewSession{ns}); err != nil {
		h.t.Fatal(err)
	}
}

// Staff see the consent on the queue and the session view, record a
// revocation, and disclose: refused to someone the patient never named,
// printed in an emergency with its reason, without the counselors' notes,
// on record as such.
func TestConsentTab(t *testing.T) {
	set, errs := consent.Load([]string{"en", "es"}, consent.Source{Name: "built-in", FS: assets.Consents()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	form, _ := set.Main("en")
	var printed [][]byte
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Consents = set
		c.Print = func(title string, doc io.Reader) error {
			printed = append(printed, []byte(readAll(doc)))
			return nil
		}
	})
	const id = "0190c0de-0000-7000-8000-00000000c0c0"
	h.seedConsented(id, form)
	q := h.openStaff()
	if !h.shows(queueText.ConsentSigned) {
		t.Errorf("the queue row does not say the consent is signed: %q", h.texts())
	}
	test.Tap(q.rows[0])
	h.wantScreen(ui.ScreenSession)
	v := the[*sessionView](h.k, ui.ScreenSession)
	test.Tap(v.tabs[tabConsent])
	if !h.shows(form.Hash()) && !h.shows(form.Hash()[:16]) {
		t.Errorf("the consent tab does not show the hash: %q", h.texts())
	}

	// a revocation of one recipient
	h.tap(consentText.Revoke)
	h.wantScreen(ui.ScreenRevoke)
	h.tap(form.Recipients[1].Name)
	h.tap(consentText.RevokeSave)
	h.wantScreen(ui.ScreenSession)
	if !h.shows(consentText.Revoked) || !h.shows(queueText.ConsentPartly) {
		t.Errorf("after the revocation: %q", h.texts())
	}

	// someone the patient never named: refused, naming the patient
	h.tap(consentText.Disclose)
	h.wantScreen(ui.ScreenDisclose)
	d := the[*discloseScreen](h.k, ui.ScreenDisclose)
	h.tap(consentText.Someone)
	test.Type(d.fields[0], "An Employer")
	h.tap(consentText.Print)
	h.wantScreen(ui.ScreenDisclose)
	if len(printed) != 0 || !strings.Contains(d.msg.Text, "has not consented") || !strings.Contains(d.msg.Text, v.detail.Identity.First) {
		t.Fatalf("refusal: %q, %d printed", d.msg.Text, len(printed))
	}
	// the revoked recipient too
	h.tap(form.Recipients[1].Name)
	h.tap(consentText.Print)
	if len(printed) != 0 {
		t.Fatal("printed to a revoked recipient")
	}
	// in an emergency, with its reason
	h.tap(consentText.Someone)
	test.Type(d.fields[1], "Overdose: the ED asks for her history")
	h.tap(consentText.Print)
	h.wait()
	h.wantScreen(ui.ScreenSession)
	if len(printed) != 1 {
		t.Fatalf("printed %d", len(printed))
	}
	c, err := h.k.on.desk.Consent(context.Background(), id)
	if err != nil || len(c.Disclosures) != 1 {
		t.Fatalf("%+v %v", c.Disclosures, err)
	}
	x := c.Disclosures[0]
	if x.Basis != consent.Emergency || x.To.Name != "An Employer" || !strings.Contains(x.Reason, "Overdose") || x.By != testAdmin {
		t.Errorf("disclosure on record: %+v", x)
	}
	v.turn(1) // the disclosures, after the revocations
	if !h.shows("MEDICAL EMERGENCY (§2.51): Overdose") {
		t.Errorf("the tab does not show the emergency: %q", h.texts())
	}
	// the page printed carries the notice and no counselor's note
	pdftotext := testtool.Need(t, "pdftotext", "apt-get install poppler-utils")
	pdf := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(pdf, printed[0], 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "Markernote") || !strings.Contains(string(out), "42 CFR Part 2") {
		t.Errorf("the disclosed summary holds a note or lacks the notice")
	}
	// the patient's own copy: their access
	v.turn(-1)
	h.tap(consentText.Disclose)
	h.tap(consentText.Patient)
	h.tap(consentText.Print)
	h.wait()
	c, _ = h.k.on.desk.Consent(context.Background(), id)
	if len(printed) != 2 || len(c.Disclosures) != 2 || c.Disclosures[1].Basis != consent.Access {
		t.Errorf("the patient's copy: %d printed, %+v", len(printed), c.Disclosures)
	}
}

// builtinConsents are the built-in consent forms.
func builtinConsents(t *testing.T) *consent.Set {
	t.Helper()
	set, errs := consent.Load([]string{"en", "es"}, consent.Source{Name: "built-in", FS: assets.Consents()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return set
}

// A patient signs at the kiosk with strokes drawn on the pad; staff
// print the signed consent: its words and choices are on the page, and
// the signature box holds the drawing (its ink counted against the same
// consent signed with a single dot, the empty pad's control).
func TestSignedConsentPrinted(t *testing.T) {
	set := builtinConsents(t)
	form, _ := set.Main("en")
	var printed [][]byte
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Consents = set
		c.Print = func(_ string, doc io.Reader) error {
			printed = append(printed, []byte(readAll(doc)))
			return nil
		}
	})
	h.wantScreen(ui.ScreenWelcome)
	h.tap("Start")
	h.tap("I agree")
	h.wantScreen(ui.ScreenSign)
	for len(h.choiceButtons()) == 0 {
		h.tap(en("nav.next"))
	}
	test.Tap(h.choiceButtons()[0]) // the single consent
	h.tap(en("nav.next"))
	pad := find[*touch.SignaturePad](h)
	// a signature: three strokes, each a series of drag calls on the pad
	// (one finger moving, then lifted)
	for _, s := range [][2]float32{{20, 40}, {260, 30}, {500, 60}} {
		p := fyne.NewPos(s[0], s[1])
		for i := range 12 {
			d := fyne.NewDelta(20, 50)
			if i%2 == 1 {
				d.DY = -50
			}
			p = p.AddXY(d.DX, d.DY)
			pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p}, Dragged: d})
		}
		pad.DragEnd()
	}
	h.tap(en("sign.sign"))
	h.tap(en("sign.confirm"))
	h.wantScreen(ui.ScreenFirst)
	id := visitID(h)
	h.k.Reset("walked away") // the session stays, incomplete

	q := h.openStaff()
	test.Tap(q.rows[0])
	h.wantScreen(ui.ScreenSession)
	v := the[*sessionView](h.k, ui.ScreenSession)
	if v.detail.Session.ID != id {
		t.Fatalf("opened %s, want %s", v.detail.Session.ID, id)
	}
	test.Tap(v.tabs[tabConsent])
	h.tap(consentText.PrintConsent)
	h.wait()
	if len(printed) != 1 {
		t.Fatalf("printed %d", len(printed))
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "consent.pdf")
	if err := os.WriteFile(file, printed[0], 0o600); err != nil {
		t.Fatal(err)
	}
	pdftotext := testtool.Need(t, "pdftotext", "apt-get install poppler-utils")
	out, err := exec.Command(pdftotext, file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{form.Title, strings.Join(strings.Fields(form.Paragraphs[3]), " "), form.Hash(), form.Recipients[0].Name} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed consent lacks %q", want)
		}
	}
	// the control: the same consent signed with one dot
	c, err := h.k.on.desk.Consent(context.Background(), id)
	if err != nil || c.Consent == nil || len(c.Consent.Signature.Strokes) != 3 {
		t.Fatalf("the consent on record: %+v %v", c.Consent, err)
	}
	dot := c.History
	sc := *dot.Consent
	sc.Signature.Strokes = []consent.Stroke{{1, 1}}
	dot.Consent = &sc
	control, err := report.Consent(report.ConsentInput{Clinic: h.k.Config().Settings.ClinicName, Identity: v.detail.Identity,
		History: dot, Generated: h.clock.Now(), Location: h.k.Location()})
	if err != nil {
		t.Fatal(err)
	}
	ink := darkPixels(t, printed[0]) - darkPixels(t, control)
	t.Logf("the drawn signature: %d dark pixels more than a dot, at 100 dpi", ink)
	if ink < 300 {
		t.Errorf("the signature drawn on the pad is not on the page: %d dark pixels more than a dot", ink)
	}
}

// darkPixels counts the dark pixels of a PDF's first page rendered at
// 100 dpi.
func darkPixels(t *testing.T, pdf []byte) int {
	t.Helper()
	bin := testtool.Need(t, "pdftoppm", "apt-get install poppler-utils")
	dir := t.TempDir()
	file := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(bin, "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x6000 {
				n++
			}
		}
	}
	return n
}
