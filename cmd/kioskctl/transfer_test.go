package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A satellite's sessions reach the main clinic on a bundle: site key
// registered once, export, import, import again.
func TestTransferBundle(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	t.Setenv("KIOSK_NEW_PASSPHRASE", "correct horse battery")
	main, sat := filepath.Join(dir, "main.db"), filepath.Join(dir, "sat.db")
	run := func(want int, args ...string) string {
		t.Helper()
		code, out, errs := ctl(t, args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d: %s", args, code, want, errs)
		}
		return out + errs
	}
	run(0, "--db", main, "init", "--admin", "Ada")
	run(0, "--db", main, "clinic-key", "--out", filepath.Join(dir, "main.key"))
	run(0, "--db", sat, "init", "--admin", "Ada", "--clinic-key", filepath.Join(dir, "main.key"))
	run(0, "--db", sat, "--as", "Ada", "settings", "set", "site_name", "North")
	run(0, "--db", sat, "--as", "Ada", "demo", "--patients", "12", "--seed", "3")
	run(0, "--db", sat, "--as", "Ada", "site-key", "--out", filepath.Join(dir, "north.key"))
	b := filepath.Join(dir, "north.bundle")
	out := run(0, "--db", sat, "--as", "Ada", "export", "--format", "bundle", "--out", b)
	if !strings.Contains(out, "sessions") {
		t.Fatalf("export: %q", out)
	}
	// not registered yet: refused, nothing imported
	out = run(1, "--db", main, "--as", "Ada", "import", b)
	if !strings.Contains(out, "kioskctl sites add") || !strings.Contains(out, "nothing was imported") {
		t.Errorf("unregistered site: %q", out)
	}
	run(0, "--db", main, "--as", "Ada", "sites", "add", "North clinic", filepath.Join(dir, "north.key"))
	if out := run(0, "--db", main, "sites", "list"); !strings.Contains(out, "North clinic") {
		t.Errorf("sites list: %q", out)
	}
	out = run(0, "--db", main, "--as", "Ada", "import", b)
	if !strings.Contains(out, "from North clinic") || !strings.Contains(out, "0 already here") {
		t.Errorf("import: %q", out)
	}
	out = run(0, "--db", main, "--as", "Ada", "import", b)
	if !strings.Contains(out, " 0 sessions added") {
		t.Errorf("second import: %q", out)
	}
	out = run(0, "--db", main, "--as", "Ada", "verify")
	if !strings.Contains(out, "all open") {
		t.Errorf("verify at main: %q", out)
	}
	// a second export has nothing new
	b2 := filepath.Join(dir, "north2.bundle")
	if out := run(0, "--db", sat, "--as", "Ada", "export", "--format", "bundle", "--out", b2); !strings.Contains(out, ": 0 sessions") {
		t.Errorf("second export: %q", out)
	}
	data, _ := os.ReadFile(b)
	data[len(data)/2] ^= 1
	os.WriteFile(b, data, 0o600)
	if out := run(1, "--db", main, "--as", "Ada", "import", b); !strings.Contains(out, "changed or cut short") {
		t.Errorf("flipped byte: %q", out)
	}
	run(2, "--db", sat, "--as", "Ada", "export", "--format", "bundle", "--deidentified", "--out", filepath.Join(dir, "x"))
}
