package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"intakekiosk/sqlite"
)

// subcommands is how many words after kioskctl name a command of the
// first word: "sites add", "settings set", "staff disable" take two.
func subcommands(first string) int {
	switch first {
	case "sites", "settings", "staff", "network":
		return 1
	}
	return 0
}

// counselorDB is newDB with the counselor Cy (passphrase "counselor
// passphrase"), KIOSK_PASSPHRASE Ada's.
func counselorDB(t *testing.T) string {
	t.Helper()
	db := newDB(t)
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	t.Setenv("KIOSK_NEW_PASSPHRASE", "counselor passphrase")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "staff", "add", "Cy", "--role", "counselor"); code != 0 {
		t.Fatalf("staff add: %s", errs)
	}
	return db
}

// openStore opens a database for a test; the caller closes it.
func openStore(t *testing.T, db string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// auditLog reads a database's audit log.
func auditLog(t *testing.T, db string) []sqlite.Entry {
	t.Helper()
	st := openStore(t, db)
	defer st.Close()
	log, err := st.AuditLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return log
}

// A counselor signed in through the desk is refused an administrator's
// work in each command's words (exit 1), and an export in a format that
// is not de-identified is a usage error (exit 2), leaving no file.
func TestCounselorRefused(t *testing.T) {
	db, dir := counselorDB(t), t.TempDir()
	siteKey := filepath.Join(dir, "site.key")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "site-key", "--out", siteKey); code != 0 {
		t.Fatalf("site-key: %s", errs)
	}
	t.Setenv("KIOSK_PASSPHRASE", "counselor passphrase")
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"sites", "add", "North", siteKey}, 1, "Cy is a counselor: only an admin registers sites"},
		{[]string{"import", siteKey}, 1, "Cy is a counselor: only an admin imports"},
		{[]string{"demo", "--patients", "3"}, 1, "Cy is a counselor: only an admin fills the database with synthetic patients"},
		{[]string{"settings", "set", "idle_seconds", "90"}, 1, "Cy is a counselor: only an admin changes settings"},
		{[]string{"purge", "--older-than", "1d"}, 1, "Cy is a counselor: only an admin purges"},
		{[]string{"staff", "disable", "Ada"}, 1, "Cy is a counselor: only an admin disables staff"},
		{[]string{"network", "join", "kiosk-1", "--role", "kiosk", "--server", "postgres://owner@127.0.0.1:1/clinic"}, 1, "Cy is a counselor: only an admin joins the clinic network"},
		{[]string{"network", "revoke", "kiosk-1", "--server", "postgres://owner@127.0.0.1:1/clinic"}, 1, "Cy is a counselor: only an admin revokes a node"},
		{[]string{"export", "--format", "fhir", "--deidentified", "--out", filepath.Join(dir, "x.json")}, 2, "--deidentified: only the CSV export is de-identified"},
		{[]string{"export", "--format", "bundle", "--deidentified", "--out", filepath.Join(dir, "x.bundle")}, 2, "--deidentified: a bundle carries sealed sessions as they are"},
	}
	var refused []string
	for _, tt := range tests {
		code, _, errs := ctl(t, append([]string{"--db", db, "--as", "Cy"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d %q; want %d with %q", tt.args, code, errs, tt.code, tt.msg)
		}
		if tt.code == 1 {
			refused = append(refused, "Cy refused kioskctl "+strings.Join(tt.args[:1+subcommands(tt.args[0])], " "))
		}
	}
	// each refusal is on record under the counselor's name, naming the
	// command, as the desk puts staff mode's
	var got []string
	for _, e := range auditLog(t, db) {
		if e.Action == sqlite.ActRefused {
			got = append(got, e.Actor+" "+e.Action+" "+e.Detail)
		}
	}
	if strings.Join(got, "\n") != strings.Join(refused, "\n") {
		t.Errorf("refusals on record:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(refused, "\n"))
	}
	if code, out, _ := ctl(t, "--db", db, "sites", "list"); code != 0 || strings.Contains(out, "North") {
		t.Errorf("a counselor registered a site: %q", out)
	}
	if code, _, errs := ctl(t, "--db", db, "--as", "Cy", "export", "--to", "program", "--format", "csv", "--out", filepath.Join(dir, "ok.csv")); code != 0 {
		t.Errorf("a counselor's export: exit %d %q", code, errs)
	}
	if got, _ := filepath.Glob(filepath.Join(dir, "x.*")); len(got) != 0 {
		t.Errorf("files left by refused exports: %v", got)
	}
}
