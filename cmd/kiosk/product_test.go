//go:build !kioskbench

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// benchNames are what the benchmark tooling's symbols are called (in any
// case): the soak, its autopilot, the frame probe, the bare window; and
// the test-only packages.
var benchNames = []string{"autotap", "autopilot", "autopress", "autoanswer", "notapguard", "soak",
	"frameprobe", "baseline", "heapprofile", "logmemory", "psskb", "addbenchflags",
	"intakekiosk/internal/testkit", "intakekiosk/internal/testtool", "intakekiosk/ui/uitest"}

// ours matches a symbol of this module's packages (package main is the
// kiosk itself).
var ours = regexp.MustCompile(`(^|[^\w.])main\.|intakekiosk/`)

// The product binary, built as make build builds it, holds none of the
// benchmark tooling: no symbol of ours names it (go tool nm), and neither
// its flags nor its environment variable are in the file.
func TestProductHasNoBenchTooling(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kiosk (with cgo): not in -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command to build the kiosk: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "kiosk")
	build := exec.Command(goCmd, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(goCmd, "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	seen := 0
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		name := strings.Join(f[2:], " ")
		if !ours.MatchString(name) {
			continue
		}
		seen++
		for _, b := range benchNames {
			if strings.Contains(strings.ToLower(name), b) {
				t.Errorf("the product binary holds %s", name)
			}
		}
	}
	if seen == 0 {
		t.Fatalf("go tool nm lists no symbol of ours: %.500s", out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"baseline-window", "KIOSK_HEAP_PROFILE", "AutoTap"} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("the product binary holds %q", s)
		}
	}
}
