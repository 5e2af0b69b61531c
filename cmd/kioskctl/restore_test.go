package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/sqlite"
)

// hashes hashes the database and every file beside it.
func hashes(t *testing.T, db string) string {
	t.Helper()
	files, _ := filepath.Glob(db + "*")
	var b strings.Builder
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %x\n", filepath.Base(p), sha256.Sum256(data))
	}
	return b.String()
}

// verify changes nothing: not the database, its -wal, its -shm nor any
// file beside it, beside a kiosk that has it open, or beside a WAL that
// is not the database's (which it reports, telling what to do).
func TestVerifyChangesNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t)
	st, err := sqlite.Open(ctx, db, sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	st.CreateSession(ctx, "0190c0de-0000-7000-8000-0000000000aa", intakekiosk.Screening, time.Now())
	before := hashes(t, db)
	if !strings.Contains(before, "-wal") || !strings.Contains(before, "-shm") {
		t.Fatalf("no -wal and -shm to keep: %s", before)
	}
	if code, out, errs := ctl(t, "--db", db, "verify"); code != 0 || !strings.Contains(out, "chain intact") {
		t.Fatalf("verify: exit %d, %q %q", code, out, errs)
	}
	if after := hashes(t, db); after != before {
		t.Errorf("verify changed files:\n%s\n%s", before, after)
	}
	other := newDB(t)
	ost, err := sqlite.Open(ctx, other, sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	ost.CreateSession(ctx, "0190c0de-0000-7000-8000-0000000000bb", intakekiosk.Screening, time.Now())
	foreign, _ := os.ReadFile(other + "-wal")
	ost.Close()
	st.Close()
	os.WriteFile(db+"-wal", foreign, 0o600)
	before = hashes(t, db)
	code, out, errs := ctl(t, "--db", db, "verify")
	if code != 1 || !strings.Contains(errs, "does not belong to this database") || !strings.Contains(errs, "call IT") || !strings.Contains(out, "chain intact") {
		t.Errorf("verify beside a foreign WAL: exit %d, %q %q", code, out, errs)
	}
	if after := hashes(t, db); after != before {
		t.Errorf("verify changed files:\n%s\n%s", before, after)
	}
	// any other command sets it aside, and says so
	if code, _, errs := ctl(t, "--db", db, "sessions", "list"); code != 0 || !strings.Contains(errs, "warning") || !strings.Contains(errs, "set aside as "+db+"-wal.foreign-") {
		t.Errorf("sessions list beside a foreign WAL: exit %d, %q", code, errs)
	}
}

// restore puts a backup that verifies in place and keeps what it
// replaced; one that does not verify changes nothing.
func TestRestoreCommand(t *testing.T) {
	db, _ := demoDB(t)
	out := filepath.Join(t.TempDir(), "backup.db")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "backup", "--out", out); code != 0 {
		t.Fatalf("backup: %d %q", code, errs)
	}
	if code, _, _ := ctl(t, "--db", db, "restore"); code != 2 {
		t.Errorf("restore without --from: exit %d", code)
	}
	code, stdout, errs := ctl(t, "--db", db, "restore", "--from", out)
	if code != 0 || !strings.Contains(stdout, "restored "+db) || !strings.Contains(stdout, "kept the file it replaced as "+db+".replaced-") {
		t.Fatalf("restore: exit %d, %q %q", code, stdout, errs)
	}
	if code, stdout, errs := ctl(t, "--db", db, "--as", "Ada", "verify"); code != 0 || !strings.Contains(stdout, "all open") {
		t.Errorf("verify after the restore: exit %d, %q %q", code, stdout, errs)
	}
	os.WriteFile(out+".audit-head", []byte("1 "+strings.Repeat("0", 64)+"\n"), 0o600)
	before := hashes(t, db)
	if code, _, errs := ctl(t, "--db", db, "restore", "--from", out); code != 1 || !strings.Contains(errs, "nothing was changed") {
		t.Errorf("restore of a backup that does not verify: exit %d, %q", code, errs)
	}
	if hashes(t, db) != before {
		t.Error("a refused restore changed files")
	}
}
