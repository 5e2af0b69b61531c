package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportCSV(t *testing.T) {
	db, codes := demoDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "all.csv")
	code, stdout, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "program", "--format", "csv", "--out", out)
	if code != 0 || !strings.Contains(stdout, "sessions") {
		t.Fatalf("export: exit %d, %q %q", code, stdout, errs)
	}
	data, _ := os.ReadFile(out)
	if !strings.Contains(string(data), codes[0]) || !strings.Contains(string(data), "phq9_total") {
		t.Error("the CSV lacks a patient's code or the PHQ-9 total")
	}
	fi, _ := os.Stat(out)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	deid := filepath.Join(dir, "deid.csv")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--format", "csv", "--deidentified", "--out", deid); code != 0 {
		t.Fatalf("de-identified export: %s", errs)
	}
	data, _ = os.ReadFile(deid)
	for _, c := range codes {
		if strings.Contains(string(data), c) {
			t.Error("a code in the de-identified CSV")
		}
	}
	for _, tc := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"export", "--format", "xml", "--out", filepath.Join(dir, "x")}, 2, "--format"},
		{[]string{"export", "--to", "program", "--format", "csv"}, 2, "--out"},
		{[]string{"export", "--to", "program", "--format", "csv", "--out", out}, 1, "exists already"},
		{[]string{"export", "--to", "program", "--format", "csv", "--since", "yesterday", "--out", filepath.Join(dir, "y")}, 2, "--since"},
	} {
		code, _, errs := ctl(t, append([]string{"--db", db, "--as", "Ada"}, tc.args...)...)
		if code != tc.exit || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d, %q", tc.args, code, errs, tc.exit, tc.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("files left: %v", entries)
	}
}
