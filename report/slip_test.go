package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// slipInput is a slip for the made-up patient's code.
func slipInput() SlipInput {
	return SlipInput{Clinic: "Clínica Esperanza — Riverside", Code: "k7qm-2xpa", Generated: taperMade, Location: zone}
}

// renderSlip draws a code slip and fails the test on error.
func renderSlip(tb testing.TB, in SlipInput) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := CodeSlip(&b, in); err != nil {
		tb.Fatalf("CodeSlip: %v", err)
	}
	return b.Bytes()
}

func TestCodeSlipText(t *testing.T) {
	pdf := renderSlip(t, slipInput())
	pages := pdfPages(t, pdf)
	if len(pages) != 1 {
		t.Fatalf("%d pages; want 1", len(pages))
	}
	text := flat(pages[0])
	for _, s := range []string{
		"Clínica Esperanza — Riverside",
		"Your check-in code",
		"K7QM 2XPA",
		"At the kiosk, tap Daily check-in, type this code, then your date of birth.",
		"Keep it private: it is your key to your check-ins.",
		"If you are thinking about harming yourself, tell staff now, call 911, or call or text 988 (press 2 for Spanish).",
		"Intake Kiosk",
		"Given Nov 12, 2026",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("the slip lacks %q:\n%s", s, text)
		}
	}
	// the slip carries no one's name or record: a lost slip says nothing
	// about who it belongs to
	for _, s := range []string{"Ana", "Peña", "Born", "SOWS", "42 CFR"} {
		if strings.Contains(text, s) {
			t.Errorf("the slip shows %q", s)
		}
	}
	if !bytes.Equal(pdf, renderSlip(t, slipInput())) {
		t.Error("two renderings of the same slip differ")
	}
	if info, err := exec.LookPath("pdfinfo"); err == nil {
		file := filepath.Join(t.TempDir(), "slip.pdf")
		if err := os.WriteFile(file, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(info, file).Output()
		if err != nil {
			t.Fatalf("pdfinfo: %v", err)
		}
		if !strings.Contains(string(out), "396 x 612 pts") {
			t.Errorf("the slip is not half letter (5.5 x 8.5 in):\n%s", out)
		}
	}
}

func TestNormalCode(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"K7QM2XPA", "K7QM2XPA", true},
		{"k7qm-2xpa", "K7QM2XPA", true},
		{" K7QM 2XPA ", "K7QM2XPA", true},
		{"23456789", "23456789", true},
		{"K7QM2XP", "", false},   // too short
		{"K7QM2XPAB", "", false}, // too long
		{"K7QM2XP0", "", false},  // zero looks like O
		{"K7QM2XP1", "", false},  // one looks like I and L
		{"K7QMOXPA", "", false},
		{"K7QMIXPA", "", false},
		{"K7QMLXPA", "", false},
		{"K7QMUXPA", "", false},
		{"K7QM2XPÁ", "", false},
		{"", "", false},
	} {
		got, err := normalCode(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("normalCode(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestCodeSlipErrors(t *testing.T) {
	for name, edit := range map[string]func(*SlipInput){
		"no time":  func(in *SlipInput) { in.Generated = time.Time{} },
		"bad code": func(in *SlipInput) { in.Code = "K7QM-2XP0" },
		"no code":  func(in *SlipInput) { in.Code = "" },
	} {
		in := slipInput()
		edit(&in)
		if err := CodeSlip(&bytes.Buffer{}, in); err == nil {
			t.Errorf("%s: the slip was drawn", name)
		}
	}
	// no clinic name and no zone still draw
	if _, err := normalCode(slipInput().Code); err != nil {
		t.Fatal(err)
	}
	in := slipInput()
	in.Clinic, in.Location = "", nil
	if text := flat(pdfText(t, renderSlip(t, in), "-layout")); !strings.Contains(text, "Given Nov 12, 2026") {
		t.Errorf("the slip without a clinic or zone reads %q", text)
	}
}
