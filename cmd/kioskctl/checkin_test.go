package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"intakekiosk/internal/testtool"
)

// demoDB fills a new database with synthetic patients through kioskctl
// demo and returns it with the returning patients' codes.
func demoDB(t *testing.T) (string, []string) {
	t.Helper()
	db := newDB(t)
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	code, out, errs := ctl(t, "--db", db, "--as", "Ada", "demo", "--patients", "20", "--seed", "7")
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errs)
	}
	codes := regexp.MustCompile(`code of a returning patient: (\w{4}) (\w{4})`).FindAllStringSubmatch(out, -1)
	if len(codes) != 4 || !strings.Contains(out, "20 synthetic screenings stored.") {
		t.Fatalf("demo printed %q", out)
	}
	var list []string
	for _, m := range codes {
		list = append(list, m[1]+m[2])
	}
	return db, list
}

func TestDemoAndPatientCodes(t *testing.T) {
	db, codes := demoDB(t)
	// without --as: no patient data, no codes
	t.Setenv("KIOSK_STAFF", "")
	code, out, errs := ctl(t, "--db", db, "sessions", "list", "--json")
	if code != 0 || strings.Contains(out, "patient_code") {
		t.Fatalf("sessions list without unlock: exit %d, %s %s", code, out, errs)
	}
	code, out, errs = ctl(t, "--db", db, "--as", "Ada", "sessions", "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var j sessionJSON
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			t.Fatal(err)
		}
		if j.PatientCode != "" {
			seen[j.PatientCode]++
			if j.Kind != "checkin" && j.Kind != "screening" {
				t.Errorf("kind %q", j.Kind)
			}
		}
	}
	for _, c := range codes {
		if seen[c] < 2 { // the screening and at least one check-in
			t.Errorf("code %s on %d sessions", c, seen[c])
		}
	}
}

func TestPatientReport(t *testing.T) {
	db, codes := demoDB(t)
	out := filepath.Join(t.TempDir(), "patient.pdf")
	// typed as on a slip: a space, lower case
	c := strings.ToLower(codes[1][:4] + " " + codes[1][4:])
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "report", "--patient", c, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("report file: %v, %v", fi, err)
	}
	text, err := exec.Command(testtool.Need(t, "pdftotext", "Debian: apt-get install poppler-utils"), "-layout", out, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext of the check-in report: %v", err)
	}
	for _, want := range []string{"Withdrawal check-ins", "Taper plan:", "42 CFR Part 2"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the check-in report lacks %q", want)
		}
	}
	// the detox patient was rated with COWS at the desk: charted beside
	// the SOWS on its own scale
	cows := filepath.Join(t.TempDir(), "cows.pdf")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "report", "--patient", codes[0], "--out", cows); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	text, err = exec.Command(testtool.Need(t, "pdftotext", "Debian: apt-get install poppler-utils"), "-layout", cows, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Withdrawal: SOWS (0-64) and COWS (0-48) by day since the last dose", "COWS, the clinician's (0-48, right)"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the detox patient's report lacks %q", want)
		}
	}
	if dir := os.Getenv("KIOSK_KEEP_PDF"); dir != "" {
		b, _ := os.ReadFile(cows)
		_ = os.WriteFile(filepath.Join(dir, "kioskctl-cows.pdf"), b, 0o600)
	}
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "report", "--patient", "22222222", "--out", out+"2"); code != 1 || !strings.Contains(errs, "no patient with that check-in code") {
		t.Errorf("a wrong code: exit %d, %q", code, errs)
	}
	if code, _, _ := ctl(t, "--db", db, "--as", "Ada", "report", "--patient", codes[0], "some-id", "--out", out); code != 2 {
		t.Errorf("a session id with --patient: exit %d, want 2", code)
	}
}

func TestDemoRefusedForCounselor(t *testing.T) {
	db := counselorDB(t)
	t.Setenv("KIOSK_PASSPHRASE", "counselor passphrase")
	if code, _, errs := ctl(t, "--db", db, "--as", "Cy", "demo", "--patients", "5"); code != 1 || !strings.Contains(errs, "only an admin fills") {
		t.Errorf("a counselor's demo: exit %d, %q", code, errs)
	}
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	if code, _, _ := ctl(t, "--db", db, "--as", "Ada", "demo"); code != 2 {
		t.Errorf("demo without --patients: exit %d, want 2", code)
	}
}
