package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/fhir"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

func ctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func newDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	st, err := sqlite.Open(context.Background(), path, sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := st.SetUp(ctx, "Ada", "correct horse battery", time.Now()); err != nil {
		t.Fatal(err)
	}
	// the demo clinic's canonical base: its FHIR exports and imports work
	if err := st.SetSetting(ctx, fhir.BaseSetting, demo.FHIRBase, "Ada", time.Now()); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	st.CreateSession(ctx, "0190c0de-0000-7000-8000-000000000001", intakekiosk.Screening, t0)
	st.CreateSession(ctx, "0190c0de-0000-7000-8000-000000000002", intakekiosk.Screening, t0.Add(time.Hour))
	st.Raise(ctx, "0190c0de-0000-7000-8000-000000000002", intakekiosk.Urgent)
	st.Complete(ctx, "0190c0de-0000-7000-8000-000000000002", t0.Add(90*time.Minute))
	st.Close()
	return path
}

func TestSessionsListJSON(t *testing.T) {
	db := newDB(t)
	code, out, errs := ctl(t, "sessions", "list", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %q", len(lines), out)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": "0190c0de-0000-7000-8000-000000000002", "kind": "screening", "status": "new",
		"started": "2026-11-20T10:00:00Z", "completed": "2026-11-20T10:30:00Z", "urgent": true}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s = %v, want %v", k, first[k], v)
		}
	}
	if _, ok := first["patient_code"]; ok {
		t.Error("patient_code shown without unlock")
	}
	code, out, _ = ctl(t, "--db", db, "sessions", "list", "--status", "in_progress", "--json")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"completed":null`) {
		t.Errorf("--status in_progress: exit %d, %q", code, out)
	}

	// printed and reviewed are two facts: printed, the urgent session is
	// still pinned; reviewed, it is not, and says by whom
	const id = "0190c0de-0000-7000-8000-000000000002"
	mark := func(f func(st *sqlite.Store) error) {
		st, err := sqlite.Open(context.Background(), db, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := f(st); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)
	list := func(status string) map[string]any {
		code, out, errs := ctl(t, "--db", db, "sessions", "list", "--status", status, "--json")
		if code != 0 {
			t.Fatalf("--status %s: exit %d: %s", status, code, errs)
		}
		if strings.TrimSpace(out) == "" {
			return nil
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil || strings.Count(out, "\n") != 1 {
			t.Fatalf("--status %s: %q, %v", status, out, err)
		}
		return got
	}
	mark(func(st *sqlite.Store) error { return st.MarkPrinted(context.Background(), id, "Ada", "printed", at) })
	got := list("printed")
	if got["printed"] != "2026-11-20T11:00:00Z" || got["reviewed"] != nil || got["pinned"] != true || got["status"] != "new" {
		t.Errorf("printed: %v", got)
	}
	if list("new") == nil || list("reviewed") != nil {
		t.Error("printed, the session is still new and not reviewed")
	}
	mark(func(st *sqlite.Store) error {
		return st.MarkReviewed(context.Background(), id, "Sam", at.Add(time.Minute))
	})
	got = list("reviewed")
	if got["reviewed"] != "2026-11-20T11:01:00Z" || got["reviewed_by"] != "Sam" || got["pinned"] != false || got["status"] != "reviewed" ||
		got["printed"] != "2026-11-20T11:00:00Z" || got["urgent"] != true {
		t.Errorf("reviewed: %v", got)
	}
	if list("unreviewed") != nil || list("new") != nil || list("printed") == nil {
		t.Error("reviewed, the session is neither new nor unreviewed, and still printed")
	}
	code, out, _ = ctl(t, "--db", db, "sessions", "list")
	if code != 0 || !strings.Contains(out, "reviewed by Sam") || !strings.Contains(out, "URGENT") || strings.Contains(out, "pinned") {
		t.Errorf("the table: %q", out)
	}
}

func TestExitCodes(t *testing.T) {
	db := newDB(t)
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	t.Setenv("KIOSK_STAFF", "Ada")
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"sessions", "list", "--db", db, "--status", "bogus"}, 2, "unknown status"},
		{[]string{"sessions", "list", "--db", db, "--since", "yesterday"}, 2, "YYYY-MM-DD"},
		{[]string{"sessions", "list", "--db", db, "--nope"}, 2, "unknown flag"},
		{[]string{"settings", "set", "idle_seconds", "--db", db}, 2, "accepts 2 arg"},
		{[]string{"settings", "set", "idle_seconds", "0", "--db", db}, 1, "idle_seconds"},
		{[]string{"settings", "set", "no_such", "1", "--db", db}, 1, "unknown setting"},
		{[]string{"sessions", "list", "--db", filepath.Join(t.TempDir(), "missing.db")}, 1, "missing.db"},
		{[]string{"no-such-command"}, 2, "unknown command"},
		{[]string{"sesions"}, 2, "did you mean sessions?"},
	}
	for _, tt := range tests {
		code, _, errs := ctl(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d %q; want %d with %q", tt.args, code, errs, tt.code, tt.msg)
		}
		if strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: more than one line on stderr: %q", tt.args, errs)
		}
	}
}

func TestSettingsSetGet(t *testing.T) {
	db := newDB(t)
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	if code, _, errs := ctl(t, "settings", "set", "idle_seconds", "75", "--db", db); code != 2 || !strings.Contains(errs, "--as") {
		t.Errorf("settings set without --as: exit %d %q", code, errs)
	}
	if code, _, errs := ctl(t, "settings", "set", "idle_seconds", "75", "--db", db, "--as", "Ada"); code != 0 {
		t.Fatalf("set: %s", errs)
	}
	code, out, _ := ctl(t, "settings", "get", "idle_seconds", "--db", db)
	if code != 0 || strings.TrimSpace(out) != "75" {
		t.Errorf("get = %d %q", code, out)
	}
	_, out, _ = ctl(t, "settings", "get", "--db", db)
	if !strings.Contains(out, "staff_lock_seconds") || !strings.Contains(out, "120") {
		t.Errorf("settings get lists: %q", out)
	}
}

func TestInstrumentsValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"id":"stress","version":"1","order":70,"title":{"en":"Stress"},"short_title":{"en":"Stress"},
		"attribution":"Clinic's own","items":[{"id":"q","kind":"single","text":{"en":"Stressed?"},
		"options":[{"value":"no","label":{"en":"No"}},{"value":"yes","label":{"en":"Yes"},"points":1}]}],
		"flags":[{"id":"pregnant_and_stressed","label":{"en":"x"},"when":{"all":[
			{"item":"q","op":"eq","values":["yes"]},{"instrument":"kratom","item":"pregnant","op":"eq","values":["yes"]}]}}]}`), 0o600)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"id":"x","version":"1","title":{"en":"X"},"short_title":{"en":"X"},"attribution":"a",
		"items":[{"id":"q","kind":"single","text":{"en":"Q"},"options":[{"value":"a","label":{"en":"A"}},{"value":"b","label":{"en":"B"}}]}],
		"flags":[{"id":"f","label":{"en":"F"},"when":{"instrument":"kratom","item":"no_such_item","op":"answered"}}]}`), 0o600)
	code, out, errs := ctl(t, "instruments", "validate", good)
	if code != 0 || !strings.Contains(out, "good.json: ok") {
		t.Errorf("good file: exit %d, %q %q", code, out, errs)
	}
	code, _, errs = ctl(t, "instruments", "validate", good, bad)
	if code != 1 || !strings.Contains(errs, "bad.json") || !strings.Contains(errs, "no_such_item") || !strings.Contains(errs, "flags[0]") {
		t.Errorf("bad file: exit %d, %q", code, errs)
	}
	code, _, _ = ctl(t, "instruments", "validate")
	if code != 2 {
		t.Errorf("no files: exit %d, want 2", code)
	}
	// a copy of a built-in instrument is refused, as the kiosk refuses it
	copyFile := filepath.Join(dir, "phq9-copy.json")
	data, _ := os.ReadFile("../../assets/instruments/phq9.json")
	os.WriteFile(copyFile, data, 0o600)
	code, _, errs = ctl(t, "instruments", "validate", copyFile)
	if code != 1 || !strings.Contains(errs, "already defined") {
		t.Errorf("copy of phq9: exit %d, %q", code, errs)
	}
}

func TestInstrumentsList(t *testing.T) {
	code, out, errs := ctl(t, "instruments", "list", "--json", "--db", filepath.Join(t.TempDir(), "k.db"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, id := range []string{"kratom", "sows", "phq9", "gad7", "dast10", "auditc"} {
		if !strings.Contains(out, `"id":"`+id+`"`) {
			t.Errorf("%s not listed", id)
		}
	}
}

func TestInitAndStaff(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new.db")
	t.Setenv("KIOSK_NEW_PASSPHRASE", "first admin passphrase")
	code, out, errs := ctl(t, "init", "--admin", "Ada", "--db", db)
	if code != 0 || !strings.Contains(out, "AGE-SECRET-KEY-1") {
		t.Fatalf("init: exit %d, %q %q", code, out, errs)
	}
	out0 := out
	if code, _, errs := ctl(t, "init", "--admin", "Bea", "--db", db); code != 1 || !strings.Contains(errs, "already set up") {
		t.Errorf("second init: exit %d, %q", code, errs)
	}
	if code, _, _ := ctl(t, "init", "--db", db); code != 2 {
		t.Errorf("init without --admin: exit %d, want 2", code)
	}

	t.Setenv("KIOSK_PASSPHRASE", "first admin passphrase")
	t.Setenv("KIOSK_NEW_PASSPHRASE", "counselor passphrase")
	if code, _, errs := ctl(t, "staff", "add", "Cy", "--role", "counselor", "--as", "Ada", "--db", db); code != 0 {
		t.Fatalf("add Cy: exit %d, %q", code, errs)
	}
	t.Setenv("KIOSK_PASSPHRASE", "counselor passphrase")
	if code, _, errs := ctl(t, "staff", "add", "Di", "--role", "counselor", "--as", "Cy", "--db", db); code != 1 || !strings.Contains(errs, "only an admin") {
		t.Errorf("counselor adding staff: exit %d, %q", code, errs)
	}
	t.Setenv("KIOSK_PASSPHRASE", "wrong passphrase!")
	if code, _, errs := ctl(t, "staff", "disable", "Cy", "--as", "Ada", "--db", db); code != 1 || !strings.Contains(errs, "wrong name or passphrase") {
		t.Errorf("wrong passphrase: exit %d, %q", code, errs)
	}
	if code, _, errs := ctl(t, "staff", "disable", "Cy", "--db", db); code != 2 || !strings.Contains(errs, "--as") {
		t.Errorf("no --as: exit %d, %q", code, errs)
	}
	t.Setenv("KIOSK_PASSPHRASE", "first admin passphrase")
	if code, _, errs := ctl(t, "staff", "disable", "Cy", "--as", "Ada", "--db", db); code != 0 {
		t.Errorf("disable: exit %d, %q", code, errs)
	}
	_, out, _ = ctl(t, "staff", "list", "--db", db)
	if !strings.Contains(out, "Ada") || !strings.Contains(out, "disabled") {
		t.Errorf("staff list: %q", out)
	}
	// every admin forgot: the recovery key printed at init makes a new one
	recovery := out0[strings.Index(out0, "AGE-SECRET-KEY-1"):]
	recovery = strings.Fields(recovery)[0]
	t.Setenv("KIOSK_PASSPHRASE", recovery)
	t.Setenv("KIOSK_NEW_PASSPHRASE", "replacement admin pass")
	if code, _, errs := ctl(t, "staff", "add", "Eve", "--role", "admin", "--recovery-key", "--db", db); code != 0 {
		t.Errorf("add with the recovery key: exit %d %q", code, errs)
	}
}

func TestVerifyAndPurge(t *testing.T) {
	db := newDB(t)
	code, out, errs := ctl(t, "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "chain intact") {
		t.Fatalf("verify: exit %d %q %q", code, out, errs)
	}
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	code, out, errs = ctl(t, "verify", "--as", "Ada", "--db", db)
	if code != 0 || !strings.Contains(out, "2 sessions, 0 records, 0 returning patients, all open") {
		t.Fatalf("verify with unlock: exit %d %q %q", code, out, errs)
	}
	for _, bad := range []string{"", "ninety", "-5d", "1.5d"} {
		if code, _, errs := ctl(t, "purge", "--older-than", bad, "--as", "Ada", "--db", db); code != 2 {
			t.Errorf("--older-than %q: exit %d %q", bad, code, errs)
		}
	}
	code, out, errs = ctl(t, "purge", "--older-than", "1d", "--as", "Ada", "--db", db)
	if code != 0 || !strings.Contains(out, "deleted 1 sessions") { // the completed one; the one in progress stays
		t.Errorf("purge: exit %d %q %q", code, out, errs)
	}
	// tamper with the audit log: verify names the entry and fails
	sdb, _ := sql.Open("sqlite3", db)
	sdb.Exec("UPDATE audit SET actor = 'Mallory' WHERE seq = 2")
	sdb.Close()
	code, _, errs = ctl(t, "verify", "--db", db)
	if code != 1 || !strings.Contains(errs, "entry 2 was changed") {
		t.Errorf("verify after tampering: exit %d %q", code, errs)
	}
}

// A session cut short, or dropped whole, by someone with write access to
// the file: verify names it, with and without a sign-in, and fails.
func TestVerifyNamesASessionCutShort(t *testing.T) {
	db := newDB(t)
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	if code, _, errs := ctl(t, "demo", "--patients", "6", "--seed", "3", "--as", "Ada", "--db", db); code != 0 {
		t.Fatalf("demo: exit %d %q", code, errs)
	}
	sdb, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	var cut, gone string
	sdb.QueryRow("SELECT session_id FROM records GROUP BY session_id HAVING count(*) > 3 ORDER BY session_id LIMIT 1").Scan(&cut)
	sdb.QueryRow("SELECT id FROM sessions WHERE status != 'in_progress' AND id != ? ORDER BY id DESC LIMIT 1", cut).Scan(&gone)
	for _, q := range []string{
		"DELETE FROM records WHERE id = (SELECT max(id) FROM records WHERE session_id = '" + cut + "')",
		"DELETE FROM sessions WHERE id = '" + gone + "'",
	} {
		if _, err := sdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	sdb.Close()
	for _, as := range [][]string{nil, {"--as", "Ada"}} {
		code, out, errs := ctl(t, append([]string{"verify", "--db", db}, as...)...)
		if code != 1 || !strings.Contains(out, "session "+cut+" is missing its last 1 record") ||
			!strings.Contains(out, "session "+gone+" is missing altogether") || !strings.Contains(errs, "restore the newest backup") {
			t.Errorf("verify %v after cutting %s short and dropping %s: exit %d\n%s\n%s", as, cut, gone, code, out, errs)
		}
	}
}

// A satellite site is set up with the main clinic's public key: sessions
// there open with either clinic's key.
func TestSatelliteSetUp(t *testing.T) {
	dir := t.TempDir()
	main, sat, keyFile := filepath.Join(dir, "main.db"), filepath.Join(dir, "sat.db"), filepath.Join(dir, "main.key")
	t.Setenv("KIOSK_NEW_PASSPHRASE", "main clinic passphrase")
	if code, _, errs := ctl(t, "init", "--admin", "Ada", "--db", main); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := ctl(t, "clinic-key", "--out", keyFile, "--db", main); code != 0 {
		t.Fatal(errs)
	}
	t.Setenv("KIOSK_NEW_PASSPHRASE", "satellite passphrase")
	if code, _, errs := ctl(t, "init", "--admin", "Sat", "--clinic-key", keyFile, "--db", sat); code != 0 {
		t.Fatal(errs)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sat, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.CreateSession(ctx, "s", intakekiosk.Screening, time.Now())
	st.Append(ctx, "s", time.Now(), intakekiosk.Payload{Event: intakekiosk.Event{Help: true}})
	mainStore, _ := sqlite.Open(ctx, main, sqlite.Options{})
	mainKey, _, err := mainStore.Unlock(ctx, "Ada", "main clinic passphrase", time.Now())
	mainStore.Close()
	if err != nil {
		t.Fatal(err)
	}
	if recs, err := st.Records(ctx, "s", mainKey); err != nil || len(recs) != 1 {
		t.Errorf("the main clinic's key does not open the satellite's session: %v", err)
	}
}

// finishedSession adds a submitted session to the database at db: the
// patient José Núñez, a few answers, PHQ-9 item 1 "Several days".
func finishedSession(t *testing.T, db, id string) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)
	steps := []error{
		st.CreateSession(ctx, id, intakekiosk.Screening, now),
		st.Append(ctx, id, now, intakekiosk.Payload{Identity: &screening.Identity{First: "José", Last: "Núñez", Birth: "1985-03-07"}}),
	}
	for i, choice := range []string{"several_days", "not_at_all", "more_than_half"} {
		a := screening.Answer{Instrument: "phq9", Item: strconv.Itoa(i + 1), Choice: choice, At: now}
		steps = append(steps, st.Append(ctx, id, now, intakekiosk.Payload{Answer: &a}))
	}
	steps = append(steps, st.Complete(ctx, id, now.Add(10*time.Minute)))
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
}

// sessionState reads a session's status and the audit log back.
func sessionState(t *testing.T, db, id string) (intakekiosk.Session, []sqlite.Entry) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, db)
	defer st.Close()
	ss, err := st.Session(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	log, err := st.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ss, log
}

// kioskctl report unlocks, reads the sealed session back and writes its
// PDF summary, readable by the user only; the PDF names the patient and
// carries the 42 CFR notice, and the save marks the session printed in
// the audit log, as the kiosk's Save PDF does.
func TestReport(t *testing.T) {
	db := newDB(t)
	id := "0190c0de-0000-7000-8000-0000000000aa"
	finishedSession(t, db, id)
	dir := t.TempDir()
	out := filepath.Join(dir, "summary.pdf")
	wide := filepath.Join(dir, "was-readable.pdf") // an existing file is made private too
	if err := os.WriteFile(wide, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	for _, f := range []string{out, wide} {
		if code, _, errs := ctl(t, "report", id, "--out", f, "--as", "Ada", "--db", db); code != 0 {
			t.Fatalf("report: exit %d %q", code, errs)
		}
		if fi, err := os.Stat(f); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("summary file %s: %v %v", f, fi, err)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", "-layout", out, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"José Núñez", "42 CFR Part 2", "Several days"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
	}
	ss, log := sessionState(t, db, id)
	if ss.Printed.IsZero() || !ss.Reviewed.IsZero() {
		t.Errorf("after report: printed %v, reviewed %v; want printed and not reviewed (a print is not a review)", ss.Printed, ss.Reviewed)
	}
	last := log[len(log)-1]
	if last.Action != sqlite.ActPrint || last.Target != id || last.Actor != "Ada" || last.Detail != "saved as PDF" {
		t.Errorf("last audit entry = %+v", last)
	}
	if n := countActions(log, sqlite.ActReport); n != 0 {
		t.Errorf("%d separate report entries beside the print entry", n)
	}

	inProgress := "0190c0de-0000-7000-8000-000000000001" // newDB's, never submitted
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown session", []string{"report", "no-such-session", "--out", out}, 1, "no such session"},
		{"patient still answering", []string{"report", inProgress, "--out", filepath.Join(dir, "x.pdf")}, 1, "not finished"},
		{"no --out", []string{"report", id}, 2, "--out"},
		{"no session id", []string{"report", "--out", out}, 2, "accepts 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := ctl(t, append(tt.args, "--as", "Ada", "--db", db)...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d %q; want %d with %q", code, errs, tt.code, tt.msg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); !os.IsNotExist(err) {
		t.Errorf("a summary of a session in progress was written: %v", err)
	}
}

// countActions counts the audit entries of one action.
func countActions(log []sqlite.Entry, action string) int {
	n := 0
	for _, e := range log {
		if e.Action == action {
			n++
		}
	}
	return n
}

// staff list names the staff names that differ only in case (a database
// from before names had to differ so), for an admin to fix.
func TestStaffListNamesCaseTwins(t *testing.T) {
	db := newDB(t)
	sdb, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec("INSERT INTO staff (name, role, created) SELECT 'ADA', role, created FROM staff WHERE name = 'Ada'"); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	code, out, errs := ctl(t, "staff", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "names that differ only in case: ADA, Ada") {
		t.Errorf("staff list: exit %d, %q, %q", code, out, errs)
	}
	if _, out, _ := ctl(t, "staff", "list", "--db", newDB(t)); strings.Contains(out, "differ only in case") {
		t.Errorf("staff list of distinct names warns: %q", out)
	}
}

// --since and the table's times are the clinic's (time_zone), not the
// machine's.
func TestSessionsListClinicZone(t *testing.T) {
	db := newDB(t)
	st, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// UTC+14: 10:00 UTC on Nov 20 is midnight of Nov 21 there
	if err := st.SetSetting(context.Background(), "time_zone", "Pacific/Kiritimati", "test", time.Now()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, errs := ctl(t, "--db", db, "sessions", "list", "--since", "2026-11-21")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, "2026-11-21 00:00") {
		t.Errorf("exit %d, %q, %s; want the one session of Nov 21 in the clinic's zone", code, out, errs)
	}
}
