//go:build !windows

package printer

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"intakekiosk/internal/testtool"
)

// TestPrintToCupsPDF prints through real CUPS to the cups-pdf virtual
// printer named by KIOSK_TEST_PRINTER (.ci/run sets one up) and finds the
// PDF it wrote. cups-pdf re-renders the job, so the page count is checked,
// not the text.
func TestPrintToCupsPDF(t *testing.T) {
	queue := os.Getenv("KIOSK_TEST_PRINTER")
	if queue == "" {
		testtool.Missing(t, "KIOSK_TEST_PRINTER names no cups-pdf queue: make test sets one up as root (scripts/cups-test-printer.sh)")
	}
	out := os.Getenv("KIOSK_TEST_PRINTER_OUT")
	if out == "" {
		home, _ := os.UserHomeDir()
		out = filepath.Join(home, "PDF")
	}
	before, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
	title := "kiosk-printer-test-" + time.Now().Format("150405.000")
	id, err := Printer{Name: queue}.Print(context.Background(), title, strings.NewReader("Intake Kiosk printer test\n"))
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Error("no job id")
	}
	pdfinfo := testtool.Need(t, "pdfinfo", "Debian: apt-get install poppler-utils")
	// cups-pdf creates the file a while before it is a whole PDF: wait
	// until pdfinfo reads it
	var got string
	var info []byte
	for i := 0; i < 100 && info == nil; i++ {
		time.Sleep(100 * time.Millisecond)
		now, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
		for _, f := range now {
			if !contains(before, f) && strings.Contains(filepath.Base(f), "kiosk-printer-test") {
				got = f
			}
		}
		if got != "" {
			if b, err := exec.Command(pdfinfo, got).Output(); err == nil {
				info = b
			}
		}
	}
	if got == "" {
		t.Fatalf("cups-pdf wrote no PDF into %s", out)
	}
	defer os.Remove(got)
	if info == nil {
		t.Fatalf("the printed file %s never became a PDF that pdfinfo reads", got)
	}
	if !regexp.MustCompile(`Pages:\s+1\n`).Match(info) {
		t.Errorf("printed PDF: %s", info)
	}
}

// A queue that does not exist (or no CUPS at all) is a clear ErrNoPrinter.
func TestNoPrinter(t *testing.T) {
	testtool.Need(t, "lp", "Debian: apt-get install cups-client")
	_, err := Printer{Name: "no-such-kiosk-printer"}.Print(context.Background(), "x", strings.NewReader("x"))
	if !errors.Is(err, ErrNoPrinter) {
		t.Errorf("err = %v, want ErrNoPrinter", err)
	}
	_, err = Printer{Command: "/nonexistent/lp"}.Print(context.Background(), "x", strings.NewReader("x"))
	if !errors.Is(err, ErrNoPrinter) || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("missing lp: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
