package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/vault"
)

// Every name and answer carries a unique marker; not one marker may be
// found in any byte of the database or its -wal and -shm files, and after
// unlock every record reads back exactly.
func TestNothingInClear(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	var markers []string
	for i := range 20 {
		id := fmt.Sprintf("0190c0de-0000-7000-8000-%012d", i)
		if err := s.CreateSession(ctx, id, intakekiosk.Screening, t0); err != nil {
			t.Fatal(err)
		}
		m := fmt.Sprintf("MARKER%04dQ", i)
		markers = append(markers, m)
		n := float64(i)
		for _, p := range []intakekiosk.Payload{
			{Identity: &screening.Identity{First: m + "first", Last: m + "last", Birth: "1985-03-07"}},
			{Answer: &screening.Answer{Instrument: "kratom", Item: "medicines", Text: m + "medicine"}},
			{Answer: &screening.Answer{Instrument: "kratom", Item: "doses_per_day", Number: &n}},
		} {
			if err := s.Append(ctx, id, t0, p); err != nil {
				t.Fatal(err)
			}
		}
		if i%2 == 0 {
			s.Complete(ctx, id, t0)
		}
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range append(markers, "MARKER", "medicine", "1985-03-07") {
			if bytes.Contains(data, []byte(m)) {
				t.Errorf("%s holds %q in clear", filepath.Base(f), m)
			}
		}
	}
	key := clinicKey(t, s)
	for i, m := range markers {
		recs, err := s.Records(ctx, fmt.Sprintf("0190c0de-0000-7000-8000-%012d", i), key)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 3 || recs[0].Identity.First != m+"first" || recs[1].Answer.Text != m+"medicine" || *recs[2].Answer.Number != float64(i) {
			t.Errorf("session %d read back as %+v", i, recs)
		}
	}
}

// The kiosk cannot read back what it wrote: after a session ends its key
// is gone, and nothing can be appended or read without the clinic key.
func TestKioskCannotReadBack(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	if err := s.CreateSession(ctx, "s", intakekiosk.Screening, t0); err != nil {
		t.Fatalf("set-up: create the session: %v", err)
	}
	if err := s.Append(ctx, "s", t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}); err != nil {
		t.Fatalf("set-up: append a record: %v", err)
	}
	if err := s.Complete(ctx, "s", t0); err != nil {
		t.Fatalf("set-up: complete the session: %v", err)
	}
	if err := s.Append(ctx, "s", t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("append after the end: %v", err)
	}
	other, err := vault.NewClinicKey()
	if err != nil {
		t.Fatalf("set-up: another clinic's key: %v", err)
	}
	if _, err := s.Records(ctx, "s", other); !errors.Is(err, vault.ErrNotForThisKey) {
		t.Errorf("read with another clinic's key: %v", err)
	}
}

func TestNotSetUp(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"), Options{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.IsSetUp() {
		t.Fatal("a new database is set up")
	}
	if err := s.CreateSession(ctx, "s", intakekiosk.Screening, t0); !errors.Is(err, ErrNotSetUp) {
		t.Errorf("session before setup: %v", err)
	}
	for _, tt := range []struct{ name, pass string }{{"", "long enough pass"}, {"Ada", "short"}, {" Ada", "long enough pass"}} {
		if _, err := s.SetUp(ctx, tt.name, tt.pass, t0); err == nil {
			t.Errorf("SetUp(%q, %q) accepted", tt.name, tt.pass)
		}
	}
	rec, err := s.SetUp(ctx, "Ada", "long enough pass", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetUp(ctx, "Bea", "long enough pass", t0); !errors.Is(err, ErrAlreadySetUp) {
		t.Errorf("second setup: %v", err)
	}
	// the recovery key opens what a session seals
	s.CreateSession(ctx, "s", intakekiosk.Screening, t0)
	s.Append(ctx, "s", t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}})
	key, err := vault.ParseRecoveryKey(rec)
	if err != nil {
		t.Fatal(err)
	}
	if recs, err := s.Records(ctx, "s", key); err != nil || len(recs) != 1 {
		t.Errorf("records with the recovery key: %v %v", recs, err)
	}
}

// A database written before sealing (schema 1, with sessions in clear) is
// refused and left as it was.
func TestRefusesUnsealedDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := migrationFiles.ReadFile("migrations/0001_init.sql")
	for _, q := range []string{string(body), "PRAGMA user_version = 1",
		`INSERT INTO sessions (id, kind, status, started) VALUES ('s', 'screening', 'new', '2026-01-01T00:00:00Z')`,
		`INSERT INTO records (session_id, recorded, payload) VALUES ('s', '2026-01-01T00:00:00Z', CAST('{"identity":{"first":"Ana"}}' AS BLOB))`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(ctx, path, Options{})
	if !errors.Is(err, ErrBeforeSealing) {
		t.Fatalf("err = %v, want ErrBeforeSealing", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the unsealed database was changed")
	}
}

func TestStaffAccounts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	if err := s.AddStaff(ctx, "Cy", Counselor, "another long one", key, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStaff(ctx, "Cy", Admin, "another long one", key, "Ada", t0); err == nil {
		t.Error("a taken name was accepted")
	}
	if err := s.AddStaff(ctx, "Di", Counselor, "too short", key, "Ada", t0); !errors.Is(err, ErrWeakPassphrase) {
		t.Errorf("short passphrase: %v", err)
	}
	k2, st, err := s.Unlock(ctx, "Cy", "another long one", t0)
	if err != nil || st.Role != Counselor || k2.PublicKey() != key.PublicKey() {
		t.Fatalf("unlock as Cy: %v %+v", err, st)
	}
	if err := s.DisableStaff(ctx, "Cy", "Ada", t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Unlock(ctx, "Cy", "another long one", t0); !errors.Is(err, ErrDisabled) {
		t.Errorf("disabled account unlocked: %v", err)
	}
	if _, _, err := s.Unlock(ctx, "Nobody", "another long one", t0); !errors.Is(err, ErrNoStaff) {
		t.Errorf("unknown name: %v", err)
	}
	list, _ := s.StaffList(ctx)
	if len(list) != 2 || list[0].Name != "Ada" || !list[1].Disabled {
		t.Errorf("staff list = %+v", list)
	}
}

// Five wrong passphrases lock the account for 5 minutes, the next lockout
// for 10; a good unlock resets the count.
func TestLockout(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	now := t0
	wrong := func(n int) {
		t.Helper()
		for range n {
			if _, _, err := s.Unlock(ctx, "Ada", "not the passphrase", now); !errors.Is(err, vault.ErrWrongPassphrase) {
				t.Fatalf("wrong passphrase: %v", err)
			}
		}
	}
	wrong(4)
	// the fifth wrong passphrase says at once that the account is locked
	_, _, err := s.Unlock(ctx, "Ada", "not the passphrase", now)
	var le *LockedError
	if !errors.Is(err, vault.ErrWrongPassphrase) || !errors.As(err, &le) || !le.Until.Equal(now.Add(5*time.Minute)) {
		t.Fatalf("fifth wrong passphrase: %v", err)
	}
	if _, _, err := s.Unlock(ctx, "Ada", "correct horse battery", now.Add(4*time.Minute)); !errors.Is(err, ErrLockedOut) {
		t.Fatalf("locked account opened with the right passphrase: %v", err)
	}
	now = now.Add(5 * time.Minute)
	wrong(4)
	s.Unlock(ctx, "Ada", "not the passphrase", now)
	if _, _, err := s.Unlock(ctx, "Ada", "correct horse battery", now.Add(9*time.Minute)); !errors.Is(err, ErrLockedOut) {
		t.Fatalf("second lockout shorter than 10 minutes: %v", err)
	}
	now = now.Add(10 * time.Minute)
	if _, _, err := s.Unlock(ctx, "Ada", "correct horse battery", now); err != nil {
		t.Fatalf("right passphrase after the lockout: %v", err)
	}
	wrong(4) // the count started over
	if _, _, err := s.Unlock(ctx, "Ada", "correct horse battery", now); err != nil {
		t.Fatalf("four wrong then right: %v", err)
	}
}

// Editing, deleting or cutting off audit entries with sqlite3 is found,
// and the check says where.
func TestAuditChain(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		tamper string
		want   string
	}{
		{"intact", "", ""},
		{"edited", "UPDATE audit SET actor = 'Mallory' WHERE seq = 3", "entry 3 was changed"},
		{"deleted", "DELETE FROM audit WHERE seq = 2", "entry 2 is missing"},
		{"cut off", "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)", "cut off after entry 4"},
		{"re-chained tail", "UPDATE audit SET detail = 'x', hash = 'y' WHERE seq = 5", "entry 5 was changed"},
		{"cut off with the head moved back", "DELETE FROM audit WHERE seq > 2; UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit WHERE seq = 2)",
			"cut off after entry 2"},
		{"wiped", "DELETE FROM audit; DELETE FROM audit_head", "cut off after entry 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := openTemp(t, Options{}) // entry 1: setup
			key := clinicKey(t, s)            // entry 2: unlock
			s.SetSetting(ctx, "idle_seconds", "90", "Ada", t0)
			s.AddStaff(ctx, "Cy", Counselor, "another long one", key, "Ada", t0)
			s.Unlock(ctx, "Cy", "wrong passphrase!", t0) // entry 5: failed unlock
			s.Close()
			if tt.tamper != "" {
				db, err := sql.Open("sqlite3", path)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Exec(tt.tamper); err != nil {
					t.Fatal(err)
				}
				db.Close()
			}
			s2, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			n, err := s2.VerifyAudit(ctx)
			if tt.want == "" {
				if err != nil || n != 5 {
					t.Fatalf("intact log: %d entries, %v", n, err)
				}
				log, _ := s2.AuditLog(ctx)
				actions := ""
				for _, e := range log {
					actions += e.Action + " "
				}
				if actions != "setup unlock setting_change staff_add unlock_failed " {
					t.Errorf("actions = %q", actions)
				}
				return
			}
			if !errors.Is(err, ErrAuditBroken) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// Purge deletes only what is old, overwrites it (secure_delete) and
// leaves no copy in the WAL; the audit log keeps everything and gains an
// entry.
func TestPurge(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	day := 24 * time.Hour
	for i, age := range []time.Duration{100 * day, 50 * day, 1 * day} {
		id := fmt.Sprintf("s%d", i)
		s.CreateSession(ctx, id, intakekiosk.Screening, t0.Add(-age))
		s.Append(ctx, id, t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}})
		s.Complete(ctx, id, t0)
	}
	s.CreateSession(ctx, "running", intakekiosk.Screening, t0.Add(-200*day)) // in progress: kept
	var oldKey []byte
	if err := s.db.QueryRow("SELECT sealed_key FROM sessions WHERE id = 's0'").Scan(&oldKey); err != nil {
		t.Fatal(err)
	}
	var secure int
	if err := s.db.QueryRow("PRAGMA secure_delete").Scan(&secure); err != nil || secure != 1 {
		t.Errorf("secure_delete = %d, %v; want on", secure, err)
	}
	auditBefore, _ := s.VerifyAudit(ctx)
	n, err := s.Purge(ctx, t0.Add(-60*day), "Ada", t0)
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	left, _ := s.Sessions(ctx, Filter{})
	if len(left) != 3 {
		t.Errorf("%d sessions left, want 3", len(left))
	}
	for _, f := range []string{path, path + "-wal"} {
		data, _ := os.ReadFile(f)
		if bytes.Contains(data, oldKey[len(oldKey)-48:]) {
			t.Errorf("%s still holds the purged session's sealed key", filepath.Base(f))
		}
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("WAL is %d bytes after the purge, want truncated", fi.Size())
	}
	if after, err := s.VerifyAudit(ctx); err != nil || after != auditBefore+1 {
		t.Errorf("audit after purge: %d entries (%v), want %d", after, err, auditBefore+1)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// A sealed record dropped or moved within its session is found.
func TestDroppedRecordDetected(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	s.CreateSession(ctx, "s", intakekiosk.Screening, t0)
	for range 3 {
		s.Append(ctx, "s", t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}})
	}
	if _, err := s.db.Exec("DELETE FROM records WHERE id = (SELECT min(id) + 1 FROM records)"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Records(ctx, "s", clinicKey(t, s)); !errors.Is(err, vault.ErrDamaged) || !strings.Contains(err.Error(), "record 2 of writer") {
		t.Errorf("a dropped record went unnoticed: %v", err)
	}
	// its place taken by the next one, renumbered in clear: it does not
	// open where it was not sealed
	if _, err := s.db.Exec("UPDATE records SET seq = 2 WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Records(ctx, "s", clinicKey(t, s)); !errors.Is(err, vault.ErrDamaged) || !strings.Contains(err.Error(), "record 2 is damaged") {
		t.Errorf("a record renumbered into a gap went unnoticed: %v", err)
	}
}

func TestRecoveryAndLastAdmin(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"), Options{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rec, err := s.SetUp(ctx, "Ada", "correct horse battery", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DisableStaff(ctx, "Ada", "Ada", t0); !errors.Is(err, ErrLastAdmin) {
		t.Errorf("disabling the last admin: %v", err)
	}
	other, _ := vault.NewClinicKey()
	if _, err := s.Recover(ctx, other.RecoveryKey(), "Bea", t0); !errors.Is(err, vault.ErrNotForThisKey) {
		t.Errorf("another clinic's recovery key: %v", err)
	}
	key, err := s.Recover(ctx, rec, "Bea", t0)
	if err != nil {
		t.Fatal(err)
	}
	// every admin forgot: a new admin is made with the recovery key
	if err := s.AddStaff(ctx, "Bea", Admin, "a new long passphrase", key, "Bea", t0); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Unlock(ctx, "Bea", "a new long passphrase", t0); err != nil {
		t.Errorf("new admin cannot unlock: %v", err)
	}
	log, _ := s.AuditLog(ctx)
	found := false
	for _, e := range log {
		found = found || e.Action == ActRecover
	}
	if !found {
		t.Error("use of the recovery key not audited")
	}
}

// Staff names match without regard to case, are unique so, and a
// database holding two names that differ only in case still signs each
// in as typed exactly.
func TestStaffNamesIgnoreCase(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	if err := s.AddStaff(ctx, "Begoña Ruiz", Counselor, "another long one", key, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{"Begoña Ruiz", "begoña ruiz", "BEGOÑA RUIZ"} {
		if _, st, err := s.Unlock(ctx, typed, "another long one", t0); err != nil || st.Name != "Begoña Ruiz" {
			t.Errorf("unlock as %q: %v, %+v; want the stored name", typed, err, st)
		}
	}
	if err := s.AddStaff(ctx, "begoña RUIZ", Admin, "another long one", key, "Ada", t0); !errors.Is(err, ErrNameTaken) {
		t.Errorf("a name differing only in case was added: %v", err)
	}
	if _, _, err := s.Unlock(ctx, "begona ruiz", "another long one", t0); !errors.Is(err, ErrNoStaff) {
		t.Errorf("a different name signed in: %v", err)
	}

	// two names that differ only in case, from before they had to differ
	wrapped, err := key.Wrap("yet another long one", 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO staff (name, role, wrapped_key, created) VALUES (?, ?, ?, ?)",
		"BEGOÑA RUIZ", Counselor, wrapped, ts(t0)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		typed, pass string
		want        string // the name signed in as; "" for refused
	}{
		{"Begoña Ruiz", "another long one", "Begoña Ruiz"},
		{"BEGOÑA RUIZ", "yet another long one", "BEGOÑA RUIZ"},
		{"begoña ruiz", "another long one", ""}, // which one is not guessed
	} {
		_, st, err := s.Unlock(ctx, tc.typed, tc.pass, t0)
		if tc.want == "" && err == nil || tc.want != "" && (err != nil || st.Name != tc.want) {
			t.Errorf("unlock as %q: %v, %q; want %q", tc.typed, err, st.Name, tc.want)
		}
	}
	list, err := s.StaffList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if twins := CaseTwins(list); len(twins) != 1 || len(twins[0]) != 2 {
		t.Errorf("names differing only in case: %q; want the two Begoñas", twins)
	}
}
