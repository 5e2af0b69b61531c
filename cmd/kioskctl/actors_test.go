package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"intakekiosk/sqlite"
)

// import and backup put on record who signed in, never a name merely
// given: import is an administrator's and always signs in; backup signs
// in when --as names someone, and is on record as no one without it.
func TestImportAndBackupSignIn(t *testing.T) {
	db, dir := counselorDB(t), t.TempDir()
	forms := filepath.Join(dir, "forms.json")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "program", "--format", "fhir", "--out", forms); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	n := 0 // backup files
	tests := []struct {
		what string
		as   []string // --as NAME, or none
		pass string
		cmd  string // import or backup
		code int
		msg  string // in the output or the error
		// actor is who the import or backup is on record under; "" for
		// neither done nor on record
		actor string
	}{
		{"import as a name, no passphrase", []string{"--as", "Ada"}, "", "import", 1, "no passphrase", ""},
		{"import as a name, a wrong passphrase", []string{"--as", "Ada"}, "not Ada's passphrase", "import", 1, "wrong name or passphrase", ""},
		{"import as no staff member", []string{"--as", "Mallory"}, "correct horse battery", "import", 1, "wrong name or passphrase", ""},
		{"import as no one", nil, "correct horse battery", "import", 2, "say who acts", ""},
		{"import as a counselor", []string{"--as", "Cy"}, "counselor passphrase", "import", 1, "only an admin imports", ""},
		{"import as an admin", []string{"--as", "Ada"}, "correct horse battery", "import", 0, "sessions added", "Ada"},
		{"backup as a name, a wrong passphrase", []string{"--as", "Ada"}, "not Ada's passphrase", "backup", 1, "wrong name or passphrase", ""},
		{"backup as no staff member", []string{"--as", "Mallory"}, "correct horse battery", "backup", 1, "wrong name or passphrase", ""},
		{"backup as a counselor", []string{"--as", "Cy"}, "counselor passphrase", "backup", 0, "backup: ", "Cy"},
		{"backup as no one", nil, "", "backup", 0, "backup: ", "(no sign-in)"},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			t.Setenv("KIOSK_STAFF", "")
			t.Setenv("KIOSK_PASSPHRASE", tt.pass)
			if tt.pass == "" {
				os.Unsetenv("KIOSK_PASSPHRASE") // read from stdin, which is empty
			}
			args := append([]string{"--db", db}, tt.as...)
			out := filepath.Join(dir, "backup", "b"+string(rune('a'+n))+".db")
			n++
			os.MkdirAll(filepath.Dir(out), 0o700)
			action := sqlite.ActImport
			if tt.cmd == "import" {
				args = append(args, "import", forms)
			} else {
				args, action = append(args, "backup", "--out", out), sqlite.ActBackup
			}
			before := auditLog(t, db)
			code, stdout, errs := ctl(t, args...)
			if code != tt.code || !strings.Contains(stdout+errs, tt.msg) {
				t.Fatalf("exit %d, %q %q; want %d with %q", code, stdout, errs, tt.code, tt.msg)
			}
			var done []string
			for _, e := range auditLog(t, db)[len(before):] {
				if e.Action == action {
					done = append(done, e.Actor)
				}
			}
			if want := tt.actor; want == "" && len(done) != 0 || want != "" && (len(done) != 1 || done[0] != want) {
				t.Errorf("%s on record under %q; want %q", action, done, want)
			}
			if _, err := os.Stat(out); tt.cmd == "backup" && (err == nil) != (tt.code == 0) {
				t.Errorf("backup file after exit %d: %v", code, err)
			}
		})
	}
}
