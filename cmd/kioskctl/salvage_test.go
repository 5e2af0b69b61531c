package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sqlOf opens a kiosk database file for a test to look and tamper with.
func sqlOf(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A flipped bit in one sealed record: the CSV and FHIR exports skip that
// session, name it, write the rest and exit 3.
func TestExportSkipsDamagedSession(t *testing.T) {
	db, _ := demoDB(t)
	raw := sqlOf(t, db)
	total := count(t, raw, "SELECT count(*) FROM sessions WHERE status != 'in_progress'")
	var id string
	var rid int64
	var payload []byte
	if err := raw.QueryRow("SELECT r.session_id, r.id, r.payload FROM records r JOIN sessions s ON s.id = r.session_id WHERE s.status != 'in_progress' ORDER BY r.id LIMIT 1 OFFSET 40").Scan(&id, &rid, &payload); err != nil {
		t.Fatal(err)
	}
	payload[len(payload)/2] ^= 0x10
	if _, err := raw.Exec("UPDATE records SET payload = ? WHERE id = ?", payload, rid); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	dir := t.TempDir()
	for _, format := range []string{"csv", "fhir"} {
		out := filepath.Join(dir, "all."+format)
		code, stdout, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "program", "--format", format, "--out", out)
		if code != 3 || !strings.Contains(errs, "skipped session "+id) {
			t.Fatalf("%s export: exit %d, %q %q; want 3 naming %s", format, code, stdout, errs, id)
		}
		if want := regexp.MustCompile(`: (\d+) sessions`).FindStringSubmatch(stdout); want == nil || want[1] != strconv.Itoa(total-1) {
			t.Errorf("%s export wrote %q, want %d sessions", format, stdout, total-1)
		}
		data, err := os.ReadFile(out)
		if err != nil || bytes.Contains(data, []byte(id)) || len(data) == 0 {
			t.Errorf("%s: the file (%d bytes, %v) holds the damaged session or nothing", format, len(data), err)
		}
	}
	log := sqlOf(t, db)
	if n := count(t, log, "SELECT count(*) FROM audit WHERE action = 'export' AND detail LIKE '%1 skipped (do not open)'"); n != 2 {
		t.Errorf("%d export entries count the skipped session, want 2", n)
	}
	if n := count(t, log, "SELECT count(*) FROM audit WHERE action = 'export' AND detail LIKE '% started'"); n != 2 {
		t.Errorf("%d export entries say started, want 2", n)
	}
}

// damagePage breaks the page of the database file that holds the
// record rid (its b-tree page type byte), as a bad sector would: SQLite's
// integrity check then fails and every read of that page is an error.
func damagePage(t *testing.T, path string, rid int64) {
	t.Helper()
	raw := sqlOf(t, path)
	var payload []byte
	if err := raw.QueryRow("SELECT payload FROM records WHERE id = ?", rid).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	pageSize := count(t, raw, "PRAGMA page_size")
	raw.Close()
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("the database still has a WAL")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, payload[:32])
	if at < 0 {
		t.Fatal("the record is not in the file")
	}
	page := at / pageSize * pageSize
	if data[page] != 0x0d {
		t.Fatalf("page at %d is of type %#x, not a table leaf", page, data[page])
	}
	data[page] = 0x42
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// One damaged page of the records: backup and export refuse, salvage
// copies every session whose rows still read into a new database, names
// the ones lost, and the copy verifies and exports.
func TestSalvage(t *testing.T) {
	db, _ := demoDB(t)
	raw := sqlOf(t, db)
	total := count(t, raw, "SELECT count(*) FROM sessions")
	maxRecord := count(t, raw, "SELECT max(id) FROM records")
	raw.Close()
	damagePage(t, db, int64(maxRecord/2))
	dir := t.TempDir()
	for _, args := range [][]string{
		{"backup", "--out", filepath.Join(dir, "backup.db")},
		{"export", "--to", "program", "--format", "csv", "--out", filepath.Join(dir, "all.csv")},
	} {
		if code, _, errs := ctl(t, append([]string{"--db", db, "--as", "Ada"}, args...)...); code != 1 || !strings.Contains(errs, "damaged") {
			t.Errorf("%s on a damaged database: exit %d, %q; want a refusal", args[0], code, errs)
		}
	}
	out := filepath.Join(dir, "salvaged.db")
	code, stdout, errs := ctl(t, "--db", db, "--as", "Ada", "salvage", "--out", out)
	if code != 3 {
		t.Fatalf("salvage: exit %d, %q %q; want 3 (some lost)", code, stdout, errs)
	}
	lost := regexp.MustCompile(`(?m)^lost session (\S+)$`).FindAllStringSubmatch(stdout, -1)
	m := regexp.MustCompile(`(\d+) sessions copied whole`).FindStringSubmatch(stdout)
	if m == nil || len(lost) == 0 {
		t.Fatalf("salvage printed %q", stdout)
	}
	copied, _ := strconv.Atoi(m[1])
	if copied+len(lost) != total || copied < total/2 {
		t.Errorf("salvage copied %d and lost %d of %d sessions", copied, len(lost), total)
	}
	t.Logf("one damaged page: %d of %d sessions copied, %d lost", copied, total, len(lost))
	s := sqlOf(t, out)
	for _, l := range lost {
		if n := count(t, s, "SELECT count(*) FROM sessions WHERE id = ?", l[1]) + count(t, s, "SELECT count(*) FROM records WHERE session_id = ?", l[1]); n != 0 {
			t.Errorf("lost session %s is in the copy", l[1])
		}
	}
	if n := count(t, s, "SELECT count(*) FROM audit WHERE action = 'salvage' AND actor = '(no sign-in)'"); n != 1 {
		t.Errorf("%d salvage entries in the copy's audit log", n)
	}
	s.Close()
	if code, stdout, errs := ctl(t, "--db", out, "--as", "Ada", "verify"); code != 0 {
		t.Errorf("verify of the copy: exit %d, %q %q", code, stdout, errs)
	}
	if code, stdout, errs := ctl(t, "--db", out, "--as", "Ada", "export", "--to", "program", "--format", "csv", "--out", filepath.Join(dir, "saved.csv")); code != 0 {
		t.Errorf("export of the copy: exit %d, %q %q", code, stdout, errs)
	}
	if code, _, errs := ctl(t, "--db", db, "salvage", "--out", out); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("salvage over a file: exit %d, %q", code, errs)
	}
}
