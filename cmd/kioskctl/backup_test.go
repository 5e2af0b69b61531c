package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndVerify(t *testing.T) {
	db, _ := demoDB(t)
	out := filepath.Join(t.TempDir(), "backup.db")
	code, stdout, errs := ctl(t, "--db", db, "--as", "Ada", "backup", "--out", out)
	if code != 0 || !strings.Contains(stdout, "backup: "+out) {
		t.Fatalf("backup: exit %d, %q %q", code, stdout, errs)
	}
	code, stdout, errs = ctl(t, "--db", out, "--as", "Ada", "verify")
	if code != 0 || !strings.Contains(stdout, "chain intact") || !strings.Contains(stdout, "4 returning patients, all open") {
		t.Fatalf("verify the backup: exit %d, %q %q", code, stdout, errs)
	}
	if code, _, errs := ctl(t, "--db", db, "backup", "--out", out); code != 1 || !strings.Contains(errs, "exists already") {
		t.Errorf("a backup over a file: exit %d, %q", code, errs)
	}
	if code, _, _ := ctl(t, "--db", db, "backup"); code != 2 {
		t.Errorf("backup without --out: exit %d", code)
	}
	// the backup's audit log cut short shows against its head file
	head, _ := os.ReadFile(out + ".audit-head")
	os.WriteFile(out+".audit-head", []byte(strings.Replace(string(head), " ", "0 ", 1)), 0o600)
	if code, _, errs := ctl(t, "--db", out, "verify"); code != 1 {
		t.Errorf("a backup whose head file disagrees: exit %d, %q", code, errs)
	}
}
