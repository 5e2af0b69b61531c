package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"intakekiosk/internal/testtool"
	"intakekiosk/sqlite"
)

// builtInTakeHome is the path of the built-in take-home file in lang.
func builtInTakeHome(t *testing.T, lang string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "assets", "takehome", "takehome."+lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// editedTakeHome writes the built-in file in lang, edited, into dir.
func editedTakeHome(t *testing.T, dir, lang string, edit func(map[string]any)) string {
	t.Helper()
	data, err := os.ReadFile(builtInTakeHome(t, lang))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if data, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "takehome."+lang+".json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// kioskctl takehome validate checks files as the kiosk loads them: each
// file naming its field, then the files together (every language).
func TestTakeHomeValidate(t *testing.T) {
	en, es := builtInTakeHome(t, "en"), builtInTakeHome(t, "es")
	if code, out, errs := ctl(t, "takehome", "validate", en, es); code != 0 || !strings.Contains(out, "ok (version 1, es)") {
		t.Errorf("the built-in files: exit %d, %q %q", code, out, errs)
	}
	bad := editedTakeHome(t, t.TempDir(), "es", func(m map[string]any) {
		m["crisis"].(map[string]any)["lines"] = []any{"Llame al 911."}
	})
	code, _, errs := ctl(t, "takehome", "validate", en, bad)
	if code != 1 || !strings.Contains(errs, "field crisis.lines") || !strings.Contains(errs, "988") {
		t.Errorf("no 988: exit %d, %q", code, errs)
	}
	if code, _, errs := ctl(t, "takehome", "validate", en); code != 1 || !strings.Contains(errs, `"es": has no file in a language`) {
		t.Errorf("English alone: exit %d, %q", code, errs)
	}
}

// The clinic's folder beside the database: a good newer version is the
// one listed (and printed); a bad file keeps the last good one, said.
func TestTakeHomeClinicFolder(t *testing.T) {
	db := newDB(t)
	dir := sqlite.TakeHomeDir(db)
	for _, l := range []string{"en", "es"} {
		editedTakeHome(t, dir, l, func(m map[string]any) { m["version"] = 2 })
	}
	code, out, errs := ctl(t, "--db", db, "takehome", "list")
	if code != 0 || !strings.Contains(out, "version 2\ten\t"+dir) || errs != "" {
		t.Errorf("a clinic's version 2: exit %d, %q %q", code, out, errs)
	}
	editedTakeHome(t, dir, "es", func(m map[string]any) { m["version"] = 2; m["page"] = "Página {page}" })
	code, out, errs = ctl(t, "--db", db, "takehome", "list")
	if code != 0 || !strings.Contains(out, "version 1\tes\tbuilt-in/takehome.es.json") || !strings.Contains(errs, "rejected: "+dir) || !strings.Contains(errs, "field page") {
		t.Errorf("a bad version 2: exit %d, %q %q", code, out, errs)
	}
}

// Without a printer the take-home sheet is not printed nor put on
// record, and no file is left.
func TestPrintTakeHomeNoPrinter(t *testing.T) {
	db := newDB(t)
	id := "0190c0de-0000-7000-8000-0000000000bb"
	finishedSession(t, db, id)
	tmp, wd := printEnv(t)
	code, out, errs := ctl(t, "print", "--take-home", id, "--printer", "NoSuchQueue", "--as", "Ada", "--db", db)
	if code != 1 || out != "" || !strings.Contains(errs, "cannot print on NoSuchQueue") || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
		t.Errorf("exit %d, %q %q", code, out, errs)
	}
	if _, log := sessionState(t, db, id); countActions(log, sqlite.ActPrint) != 0 {
		t.Error("a take-home sheet not printed is on record")
	}
	noFiles(t, tmp, wd)
}

// kioskctl print --take-home sends the sheet through CUPS to the cups-pdf
// queue: a page printed under the job title "Take-home sheet" (no name in
// it, which names the file), the print on record as the take-home
// sheet's and the session's summary not marked printed.
func TestPrintTakeHomeToCupsPDF(t *testing.T) {
	queue := os.Getenv("KIOSK_TEST_PRINTER")
	if queue == "" {
		testtool.Missing(t, "KIOSK_TEST_PRINTER names no cups-pdf queue: make test sets one up as root (scripts/cups-test-printer.sh)")
	}
	testtool.Need(t, "pdfinfo", "Debian: apt-get install poppler-utils")
	db := newDB(t)
	id := uuid.NewString()
	finishedSession(t, db, id)
	dir := printerOut(t)
	before, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	tmp, wd := printEnv(t)
	code, out, errs := ctl(t, "print", id, "--take-home", "--printer", queue, "--as", "Ada", "--db", db)
	if code != 0 || !regexp.MustCompile(`^printed on `+regexp.QuoteMeta(queue)+`, job \S+\n$`).MatchString(out) {
		t.Fatalf("print --take-home: exit %d %q %q", code, out, errs)
	}
	var printed string
	for deadline := time.Now().Add(30 * time.Second); printed == "" && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		now, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
		for _, f := range now {
			if !slices.Contains(before, f) && strings.Contains(strings.ToLower(filepath.Base(f)), "take-home") {
				if _, ok := pdfPages(f); ok {
					printed = f
				}
			}
		}
	}
	if printed == "" {
		t.Fatalf("cups-pdf wrote no take-home sheet into %s", dir)
	}
	defer os.Remove(printed)
	// cups-pdf prints through Ghostscript, which leaves no text to read
	// back (the sheet's words are read back in report and desk): the
	// sheet's one page
	if pages, _ := pdfPages(printed); pages != "1" {
		t.Errorf("the printed sheet has %s pages, want 1", pages)
	}
	if strings.Contains(strings.ToLower(filepath.Base(printed)), "nez") {
		t.Errorf("the printed file's name names the patient: %s", printed)
	}
	noFiles(t, tmp, wd)
	ss, log := sessionState(t, db, id)
	last := log[len(log)-1]
	if last.Action != sqlite.ActPrint || last.Target != id || !strings.HasPrefix(last.Detail, "take-home sheet: printed on "+queue+", job ") {
		t.Errorf("last audit entry = %+v", last)
	}
	if !ss.Printed.IsZero() {
		t.Errorf("the session's summary counts as printed: %v", ss.Printed)
	}
}

// kioskctl report --take-home saves the sheet (for a desk without a
// printer): the file holds the sheet's words and the notice, and the
// save is on record as the sheet's.
func TestReportTakeHome(t *testing.T) {
	db := newDB(t)
	id := "0190c0de-0000-7000-8000-0000000000bc"
	finishedSession(t, db, id)
	tmp, wd := printEnv(t)
	out := filepath.Join(t.TempDir(), "sheet.pdf")
	if code, _, errs := ctl(t, "report", "--take-home", id, "--out", out, "--as", "Ada", "--db", db); code != 0 {
		t.Fatalf("report --take-home: exit %d %q", code, errs)
	}
	raw, err := exec.Command(testtool.Need(t, "pdftotext", "Debian: apt-get install poppler-utils"), out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(raw)), " ")
	for _, want := range []string{"Going home", "988", "741741", "42 CFR Part 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the saved sheet does not say %q", want)
		}
	}
	if _, log := sessionState(t, db, id); countActions(log, sqlite.ActPrint) != 1 {
		t.Error("the saved sheet is not on record")
	}
	if code, _, errs := ctl(t, "report", "--take-home", "--consent", id, "--out", out+"2", "--as", "Ada", "--db", db); code == 0 || !strings.Contains(errs, "take-home") {
		t.Errorf("--take-home with --consent: exit %d %q, want refused", code, errs)
	}
	noFiles(t, tmp, wd) // nothing left beside the file asked for
}
