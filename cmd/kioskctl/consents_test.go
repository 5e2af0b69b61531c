package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/internal/testkit"
	"intakekiosk/internal/testtool"
	"intakekiosk/sqlite"
)

func TestConsentsValidate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	builtin := func(lang string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "assets", "consents", "part2."+lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Replace(string(b), `"version": 1`, `"version": 2`, 1)
	}
	en := write("part2.en.json", builtin("en"))
	es := write("part2.es.json", builtin("es"))
	emptyText := write("bad.en.json", strings.Replace(builtin("en"), `"text": [`, `"text": [], "x": [`, 1))
	notList := write("list.en.json", strings.Replace(builtin("en"), `"decline":`, `"recipients": "ehr", "decline":`, 1))
	for _, tc := range []struct {
		name  string
		files []string
		exit  int
		want  []string
	}{
		{"both languages", []string{en, es}, 0, []string{"part2.en.json: ok (form part2 version 2, en)"}},
		{"a language missing", []string{en}, 1, []string{`part2 version 2: form "part2": field language: "es": has no file in a language the kiosk offers`}},
		{"the same version twice", []string{en, es, write("again.en.json", builtin("en"))}, 1, []string{"field version: 2 in en is given twice"}},
		{"an empty text", []string{emptyText}, 1, []string{"bad.en.json"}},
		{"recipients not a list", []string{notList}, 1, []string{`list.en.json: form "part2": field recipients: must be a list`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := ctl(t, append([]string{"consents", "validate"}, tc.files...)...)
			if code != tc.exit {
				t.Fatalf("exit %d: %s %s", code, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out+errs, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errs)
				}
			}
		})
	}
	code, out, errs := ctl(t, "--db", newDB(t), "consents", "list")
	if code != 0 || !strings.Contains(out, "part2  1        es") {
		t.Errorf("list: exit %d %q %s", code, out, errs)
	}
}

// An identified export names its recipient; the demo's patients
// consented to the clinic's recipients, not to a person nobody named.
func TestExportDisclosure(t *testing.T) {
	db, _ := demoDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "ehr.json")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--format", "fhir", "--out", filepath.Join(dir, "x.json")); code != 2 || !strings.Contains(errs, "--to: an identified export is a disclosure") {
		t.Errorf("no recipient: exit %d %s", code, errs)
	}
	// the one session of newDB's that signed nothing is named
	const unsigned = "0190c0de-0000-7000-8000-000000000002"
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "clinic:ehr", "--format", "fhir", "--out", out); code != 1 || !strings.Contains(errs, unsigned) {
		t.Fatalf("to the clinic's record: %d %s", code, errs)
	}
	code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "clinic:ehr", "--consented-only", "--format", "fhir", "--out", out)
	if code != 0 || !strings.Contains(errs, "left out session "+unsigned) {
		t.Fatalf("consented only: %d %s", code, errs)
	}
	if data, _ := os.ReadFile(out); strings.Contains(string(data), unsigned) || !strings.Contains(string(data), "QuestionnaireResponse") {
		t.Error("the session left out is in the file, or nothing is")
	}
	code, _, errs = ctl(t, "--db", db, "--as", "Ada", "export", "--to", "person:Someone Else", "--format", "csv", "--out", filepath.Join(dir, "p.csv"))
	if code != 1 || !strings.Contains(errs, "have not consented") || strings.Contains(errs, "Someone") {
		t.Errorf("to a person nobody named: exit %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.csv")); err == nil {
		t.Error("a refused export left a file")
	}
	p := filepath.Join(dir, "e.csv")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "person:Someone Else", "--emergency", "unconscious in the ED", "--format", "csv", "--out", p); code != 0 {
		t.Fatalf("emergency: %s", errs)
	}
	data, _ := os.ReadFile(p)
	if !strings.Contains(strings.SplitN(string(data), "\n", 2)[0], "protected by Federal confidentiality rules (42 CFR part 2)") {
		t.Error("the CSV does not open with the notice")
	}
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, err := st.AuditLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var disclosed []string
	for _, e := range log {
		if strings.Contains(e.Actor+e.Target+e.Detail, "Someone") {
			t.Errorf("the audit log names the recipient: %+v", e)
		}
		if e.Action == sqlite.ActDisclosed {
			disclosed = append(disclosed, e.Detail)
		}
	}
	if len(disclosed) != 2 || !strings.Contains(disclosed[0], "FHIR export to clinic recipient ehr") || !strings.Contains(disclosed[1], "emergency") {
		t.Errorf("disclosures on record: %q", disclosed)
	}
}

// The signed consent and the accounting of disclosures print from the
// command line: the patient's list names each disclosure.
func TestReportConsentAndDisclosures(t *testing.T) {
	db, codes := demoDB(t)
	dir := t.TempDir()
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "clinic:ehr", "--consented-only", "--format", "fhir", "--out", filepath.Join(dir, "x.json")); code != 0 {
		t.Fatal(errs)
	}
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	patient, err := st.LookupCode(context.Background(), codes[0])
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.Sessions(context.Background(), sqlite.Filter{Patient: patient})
	st.Close()
	if err != nil || len(list) == 0 {
		t.Fatal(list, err)
	}
	pdftotext := testtool.Need(t, "pdftotext", "apt-get install poppler-utils")
	text := func(p string) string {
		out, err := exec.Command(pdftotext, "-layout", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	signed := filepath.Join(dir, "consent.pdf")
	var screening string
	for _, ss := range list {
		if ss.Kind == "screening" {
			screening = ss.ID
		}
	}
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "report", "--consent", screening, "--out", signed); code != 0 {
		t.Fatal(errs)
	}
	if s := text(signed); !strings.Contains(s, "May we share your records?") || !strings.Contains(s, "42 CFR Part 2") {
		t.Errorf("the signed consent: %s", s)
	}
	acc := filepath.Join(dir, "disclosures.pdf")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "report", "--disclosures", codes[0], "--out", acc); code != 0 {
		t.Fatal(errs)
	}
	if s := text(acc); !strings.Contains(s, "FHIR export") || !strings.Contains(s, "Ada") {
		t.Errorf("the accounting: %s", s)
	}
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "report", "--consent", "ABCD1234", "--out", filepath.Join(dir, "n.pdf")); code != 2 {
		t.Errorf("--consent with a code: %d %s", code, errs)
	}
}

// A FHIR export's Consents come back in as the sessions' consents, with
// their hash and signature.
func TestFHIRConsentRoundTrip(t *testing.T) {
	db, _ := demoDB(t)
	out := filepath.Join(t.TempDir(), "ehr.json")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "clinic:ehr", "--consented-only", "--format", "fhir", "--out", out); code != 0 {
		t.Fatal(errs)
	}
	other := newDB(t)
	if code, _, errs := ctl(t, "--db", other, "--as", "Ada", "import", out); code != 0 {
		t.Fatal(errs)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, other, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	staff, err := desk.New(st, testkit.Catalog(t), time.Now).Unlock(ctx, "Ada", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.Sessions(ctx, sqlite.Filter{Kind: intakekiosk.Screening})
	if err != nil {
		t.Fatal(err)
	}
	signed := 0
	for _, ss := range list {
		c, err := staff.Consent(ctx, ss.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Consent != nil {
			signed++
			if c.Consent.Signature.IsZero() || len(c.Consent.Hash) != 64 || c.Consent.Check() != nil {
				t.Errorf("session %s: %+v", ss.ID, c.Consent)
			}
		}
	}
	if signed < 10 {
		t.Errorf("%d of %d imported screenings hold a consent", signed, len(list))
	}
}
