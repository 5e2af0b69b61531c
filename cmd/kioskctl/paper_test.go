package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"intakekiosk/internal/testtool"
)

// paperForms is a paper AUDIT-C and PHQ-9 typed in as FHIR, keyed by the
// LOINC forms: on the AUDIT-C, Q1 "Never" (the form then skips Q2 and
// Q3) and Q3 "Daily or almost daily" written anyway; on the PHQ-9 every
// item "Not at all" (total 0, when the form skips item 10) and item 10
// answered anyway.
const paperForms = `{"resourceType":"Bundle","type":"collection","entry":[
{"resource":{"resourceType":"QuestionnaireResponse","id":"paper-auditc","status":"completed","authored":"2026-03-02T10:00:00Z",
 "questionnaire":"http://loinc.org/q/72109-2",
 "item":[{"linkId":"1","answer":[{"valueCoding":{"code":"never"}}]},
         {"linkId":"3","answer":[{"valueCoding":{"code":"daily"}}]}]}},
{"resource":{"resourceType":"QuestionnaireResponse","id":"paper-phq9","status":"completed","authored":"2026-03-02T10:00:00Z",
 "questionnaire":"http://loinc.org/q/44249-1",
 "item":[` + phq9Zero + `{"linkId":"10","answer":[{"valueCoding":{"code":"very_difficult"}}]}]}}]}`

const phq9Zero = `{"linkId":"1","answer":[{"valueCoding":{"code":"not_at_all"}}]},{"linkId":"2","answer":[{"valueCoding":{"code":"not_at_all"}}]},
{"linkId":"3","answer":[{"valueCoding":{"code":"not_at_all"}}]},{"linkId":"4","answer":[{"valueCoding":{"code":"not_at_all"}}]},
{"linkId":"5","answer":[{"valueCoding":{"code":"not_at_all"}}]},{"linkId":"6","answer":[{"valueCoding":{"code":"not_at_all"}}]},
{"linkId":"7","answer":[{"valueCoding":{"code":"not_at_all"}}]},{"linkId":"8","answer":[{"valueCoding":{"code":"not_at_all"}}]},
{"linkId":"9","answer":[{"valueCoding":{"code":"not_at_all"}}]},`

// TestPaperFormKeptAsWritten: an imported paper form's answers are kept
// and counted as written, and the summary says the form's branching was
// not followed (they were dropped before: the AUDIT-C read 0 "negative"
// and the PHQ-9's item 10 vanished). The FHIR export carries them again.
func TestPaperFormKeptAsWritten(t *testing.T) {
	db := newDB(t)
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	dir := t.TempDir()
	in := filepath.Join(dir, "paper.json")
	if err := os.WriteFile(in, []byte(paperForms), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, stdout, errs := ctl(t, "--db", db, "--as", "Ada", "import", in); code != 0 || !strings.Contains(stdout, "1 sessions added") {
		t.Fatalf("import: exit %d %q %q", code, stdout, errs)
	}
	got, _ := totals(t, db)
	if got["auditc"] != 4 || got["phq9"] != 0 {
		t.Errorf("totals as imported %v, want AUDIT-C 4 (Q3 daily counted) and PHQ-9 0", got)
	}
	// the id an import gives the two responses taken together
	id := uuid.NewSHA1(fhirNamespace, []byte("paper-auditc,paper-phq9|2026-03-02T10:00:00Z")).String()
	pdf := filepath.Join(dir, "paper.pdf")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "report", id, "--out", pdf); code != 0 {
		t.Fatalf("report %s: %s", id, errs)
	}
	raw, err := exec.Command(testtool.Need(t, "pdftotext", "Debian: apt-get install poppler-utils"), pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(raw)), " ")
	for _, want := range []string{
		"From a paper form: item 3 was answered although the form skips it; it is counted as written.",
		"From a paper form: item 10 was answered although the form skips it",
		"Very difficult (answered on the paper form although the form skips it; counted as written)",
		"Daily or almost daily (answered on the paper form",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary does not say %q:\n%s", want, text)
		}
	}
	// exported again, the answers written travel on
	out := filepath.Join(dir, "again.json")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "program", "--format", "fhir", "--out", out); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	again, _ := os.ReadFile(out)
	if !strings.Contains(string(again), `"linkId":"/69722-7"`) {
		t.Error("the FHIR export dropped PHQ-9 item 10 written on the paper form")
	}
}

// TestInstrumentsImportQuestionnaire: kioskctl turns the LOINC GAD-7 form
// into a file in the instruments folder the kiosk loads; a second import
// never replaces it, and a Questionnaire the kiosk cannot express is
// refused naming the item, with nothing written.
func TestInstrumentsImportQuestionnaire(t *testing.T) {
	db := newDB(t)
	form := filepath.Join("..", "..", "fhir", "testdata", "loinc-gad7.questionnaire.json")
	code, stdout, errs := ctl(t, "--db", db, "instruments", "import", form, "--id", "gad7_loinc")
	dest := filepath.Join(filepath.Dir(db), "instruments", "gad7_loinc.json")
	if code != 0 || !strings.Contains(stdout, "instrument gad7_loinc version 1, 7 items") || !strings.Contains(stdout, "no severity bands") {
		t.Fatalf("import: exit %d %q %q", code, stdout, errs)
	}
	if _, err := os.Stat(dest); err != nil {
		t.Fatal(err)
	}
	if _, list, _ := ctl(t, "--db", db, "instruments", "list"); !strings.Contains(list, "gad7_loinc") {
		t.Errorf("instruments list does not show the imported form:\n%s", list)
	}
	if code, _, errs := ctl(t, "--db", db, "instruments", "import", form, "--id", "gad7_loinc"); code != 1 || !strings.Contains(errs, "there already") {
		t.Errorf("a second import: exit %d %q", code, errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"resourceType":"Questionnaire","id":"odd","title":"Odd","item":[{"linkId":"q1","type":"open-choice","text":"Which?"}]}`), 0o600)
	code, _, errs = ctl(t, "--db", db, "instruments", "import", bad)
	if code != 1 || !strings.Contains(errs, "item q1") || !strings.Contains(errs, "open-choice") {
		t.Errorf("an open-choice form: exit %d %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(db), "instruments", "odd.json")); err == nil {
		t.Error("a refused form left a file")
	}
	// a file far over a Questionnaire's size is refused from what is read
	huge := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(huge, make([]byte, 3<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := ctl(t, "--db", db, "instruments", "import", huge); code != 1 || !strings.Contains(errs, "over") {
		t.Errorf("a 3 MB file: exit %d %q", code, errs)
	}
}
