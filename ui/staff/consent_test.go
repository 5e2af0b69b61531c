package staff

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/assets"
	"intakekiosk/consent"
	"intakekiosk/demo"
	"intakekiosk/internal/testtool"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
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
