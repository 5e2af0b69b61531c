package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"intakekiosk/review"
	"intakekiosk/sqlite"

	"intakekiosk/internal/testtool"
)

// printEnv points TMPDIR and the working directory at fresh empty folders
// and returns them, to check that printing leaves no file of ours.
func printEnv(t *testing.T) (tmp, wd string) {
	t.Helper()
	tmp, wd = t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Chdir(wd)
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	return tmp, wd
}

// noFiles fails the test if any of dirs holds a file.
func noFiles(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Errorf("left in %s: %s", d, e.Name())
		}
	}
}

// A queue that does not exist (or no CUPS at all) fails with one clear
// line that offers `kioskctl report` instead, leaves the session as it was
// and no file behind.
func TestPrintNoPrinter(t *testing.T) {
	db := newDB(t)
	id := "0190c0de-0000-7000-8000-0000000000bb"
	finishedSession(t, db, id)
	tmp, wd := printEnv(t)
	code, out, errs := ctl(t, "print", id, "--printer", "NoSuchQueue", "--as", "Ada", "--db", db)
	if code != 1 {
		t.Errorf("exit %d, want 1 (%q)", code, errs)
	}
	for _, want := range []string{"cannot print on NoSuchQueue", "no printer", "kioskctl report " + id + " --out FILE.pdf"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr %q lacks %q", errs, want)
		}
	}
	if n := strings.Count(strings.TrimSpace(errs), "\n"); n > 0 {
		t.Errorf("%d lines on stderr, want one: %q", n+1, errs)
	}
	if out != "" {
		t.Errorf("stdout %q", out)
	}
	ss, log := sessionState(t, db, id)
	if !ss.Printed.IsZero() {
		t.Errorf("printed %v after a failed print, want not printed", ss.Printed)
	}
	if n := countActions(log, sqlite.ActPrint); n != 0 {
		t.Errorf("%d print entries after a failed print", n)
	}
	noFiles(t, tmp, wd)
}

// printerOut is where the cups-pdf queue of KIOSK_TEST_PRINTER writes its
// files: KIOSK_TEST_PRINTER_OUT, or cups-pdf's default ~/PDF.
func printerOut(t *testing.T) string {
	if out := os.Getenv("KIOSK_TEST_PRINTER_OUT"); out != "" {
		return out
	}
	home, err := os.UserHomeDir()
	if err != nil {
		testtool.Missing(t, "no KIOSK_TEST_PRINTER_OUT and no home folder for cups-pdf's output")
	}
	return filepath.Join(home, "PDF")
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`)

// pdfPages counts a PDF's pages with pdfinfo; ok is false while the file
// is not a whole PDF yet.
func pdfPages(file string) (pages string, ok bool) {
	info, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		return "", false
	}
	m := pagesLine.FindSubmatch(info)
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// kioskctl print sends a real session through CUPS to the cups-pdf queue
// KIOSK_TEST_PRINTER (.ci/run sets one up): the printed PDF has as many
// pages as the one `kioskctl report` saves, the session is marked printed
// and the audit log names the queue and the job.
func TestPrintToCupsPDF(t *testing.T) {
	queue := os.Getenv("KIOSK_TEST_PRINTER")
	if queue == "" {
		testtool.Missing(t, "KIOSK_TEST_PRINTER names no cups-pdf queue: make test sets one up as root (scripts/cups-test-printer.sh)")
	}
	testtool.Need(t, "pdfinfo", "Debian: apt-get install poppler-utils")
	db := newDB(t)
	id := uuid.NewString() // its short id finds the printed file
	finishedSession(t, db, id)
	dir := printerOut(t)
	before, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	tmp, wd := printEnv(t)

	code, out, errs := ctl(t, "print", id, "--printer", queue, "--as", "Ada", "--db", db)
	if code != 0 {
		t.Fatalf("print: exit %d %q", code, errs)
	}
	if !regexp.MustCompile(`^printed on ` + regexp.QuoteMeta(queue) + `, job \S+\n$`).MatchString(out) {
		t.Errorf("stdout %q", out)
	}
	var printed, pages string
	for deadline := time.Now().Add(30 * time.Second); printed == "" && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		now, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
		for _, f := range now {
			if slices.Contains(before, f) || !strings.Contains(filepath.Base(f), review.ShortID(id)) {
				continue
			}
			if p, ok := pdfPages(f); ok {
				printed, pages = f, p
			}
		}
	}
	if printed == "" {
		t.Fatalf("cups-pdf wrote no PDF for %s into %s", review.JobTitle(id), dir)
	}
	defer os.Remove(printed) // it holds the (test) patient's summary
	if base := strings.ToLower(filepath.Base(printed)); strings.Contains(base, "jos") || strings.Contains(base, "nez") {
		t.Errorf("the printed file's name %s carries the patient's name", printed)
	}
	noFiles(t, tmp, wd)

	ss, log := sessionState(t, db, id)
	if ss.Printed.IsZero() || !ss.Reviewed.IsZero() {
		t.Errorf("after print: printed %v, reviewed %v; want printed and not reviewed (a print is not a review)", ss.Printed, ss.Reviewed)
	}
	last := log[len(log)-1]
	if last.Action != sqlite.ActPrint || last.Target != id || last.Actor != "Ada" ||
		!strings.HasPrefix(last.Detail, "printed on "+queue+", job ") {
		t.Errorf("last audit entry = %+v", last)
	}

	saved := filepath.Join(t.TempDir(), "summary.pdf")
	if code, _, errs := ctl(t, "report", id, "--out", saved, "--as", "Ada", "--db", db); code != 0 {
		t.Fatalf("report: exit %d %q", code, errs)
	}
	want, ok := pdfPages(saved)
	if !ok {
		t.Fatal("pdfinfo cannot read the saved summary")
	}
	if pages != want {
		t.Errorf("printed %s pages, the saved summary has %s", pages, want)
	}
}
