package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"intakekiosk"
	"intakekiosk/fault"
)

// sqlExec changes a closed database behind the kiosk's back, as someone
// with write access to the file and the sqlite3 tool would.
func sqlExec(t *testing.T, path, q string) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// reopen opens path as the kiosk does.
func reopen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// verifyRO checks path as kioskctl verify does: read-only.
func verifyRO(t *testing.T, path string) (int64, *Store, error) {
	t.Helper()
	s, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		return 0, nil, err
	}
	t.Cleanup(func() { s.Close() })
	if err := s.IntegrityCheck(context.Background()); err != nil {
		return 0, s, err
	}
	n, err := s.VerifyAudit(context.Background())
	return n, s, err
}

// Entries cut off with the audit_head row set to match are not papered
// over by the next audited action: it refuses, the kiosk goes on saving
// patients' answers, and verify still says the log does not hold.
func TestTamperedAuditRefusesAppends(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{}) // 1 setup
	clinicKey(t, s)                   // 2 unlock
	s.SetSetting(ctx, "idle_seconds", "90", "Ada", t0)
	s.SetSetting(ctx, "idle_seconds", "120", "Ada", t0) // 4
	s.Close()
	sqlExec(t, path, "DELETE FROM audit WHERE seq > 2; UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit WHERE seq = 2)")

	s = reopen(t, path)
	dir := t.TempDir()
	if _, err := s.Backup(ctx, filepath.Join(dir, "b.db"), "Ada", t0); !errors.Is(err, ErrAuditBroken) || !fault.Is(fault.Corrupt, err) {
		t.Errorf("backup of a cut-off log: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.db")); err == nil {
		t.Error("a refused backup left a file")
	}
	if _, _, err := s.Unlock(ctx, "Ada", "correct horse battery", t0); !errors.Is(err, ErrAuditBroken) {
		t.Errorf("unlock over a cut-off log: %v", err)
	}
	if err := s.CheckAuditHead(ctx); !errors.Is(err, ErrAuditBroken) || !strings.Contains(err.Error(), "call IT") {
		t.Errorf("CheckAuditHead: %v", err)
	}
	// patients' answers are not audited one by one: still saved
	if err := s.CreateSession(ctx, "s1", intakekiosk.Screening, t0); err != nil {
		t.Fatalf("a patient's session refused: %v", err)
	}
	if err := s.Append(ctx, "s1", t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}); err != nil {
		t.Fatalf("a patient's answer refused: %v", err)
	}
	// nor is a patient turned away at the end: the session ends without
	// the entry that would count its records
	if err := s.Complete(ctx, "s1", t0); err != nil {
		t.Fatalf("a patient's submit refused: %v", err)
	}
	if ss, err := s.Session(ctx, "s1"); err != nil || ss.Status != intakekiosk.New {
		t.Errorf("the submitted session: %+v, %v", ss, err)
	}
	s.Close()
	for _, check := range []func() error{
		func() error { _, err := reopen(t, path).VerifyAudit(ctx); return err },
		func() error { _, _, err := verifyRO(t, path); return err },
	} {
		if err := check(); !errors.Is(err, ErrAuditBroken) || !strings.Contains(err.Error(), "cut off after entry 2") {
			t.Errorf("verify after the refused actions: %v", err)
		}
	}
}

// The head file never moves back: not to fewer entries, not to another
// entry of the same number.
func TestHeadFileOnlyMovesForward(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h")
	h := head{Seq: 5, Hash: strings.Repeat("a", 64), DB: 7}
	if err := writeHead(path, h); err != nil {
		t.Fatal(err)
	}
	for _, back := range []head{{Seq: 4, Hash: h.Hash, DB: 7}, {Seq: 5, Hash: strings.Repeat("b", 64), DB: 7}} {
		if err := writeHead(path, back); !errors.Is(err, ErrHeadBack) {
			t.Errorf("write %d %s…: %v", back.Seq, back.Hash[:4], err)
		}
	}
	if err := writeHead(path, head{Seq: 6, Hash: strings.Repeat("c", 64), DB: 7}); err != nil {
		t.Error(err)
	}
	// both formats read
	for text, want := range map[string]head{
		"3 " + strings.Repeat("d", 64) + "\n": {Seq: 3, Hash: strings.Repeat("d", 64)},
		string(head{Seq: 9, Hash: strings.Repeat("e", 64), DB: 0xabcdef01, WAL: walID{2, 3, 4}, HaveWAL: true}.encode()): {Seq: 9, Hash: strings.Repeat("e", 64), DB: 0xabcdef01, WAL: walID{2, 3, 4}, HaveWAL: true},
		string(head{Lost: true, DB: 5}.encode()): {Lost: true, DB: 5},
	} {
		if got, err := decodeHead([]byte(text)); err != nil || got != want {
			t.Errorf("decode %q = %+v, %v", text, got, err)
		}
	}
	for _, bad := range []string{"", "x y", "kiosk-audit-head 2\nseq 1\n", "kiosk-audit-head 2\nseq 1\nhash " + strings.Repeat("a", 64) + "\nseq 2\n"} {
		if _, err := decodeHead([]byte(bad)); err == nil {
			t.Errorf("decode %q: no error", bad)
		}
	}
}

// A head file one entry behind (a kill between a commit and the head
// file's rename) is recovered at the next open, not called tampering; two
// entries behind is.
func TestHeadFileOneBehind(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		behind  int64
		old     bool // the first format
		tampers bool
	}{{1, false, false}, {1, true, false}, {2, false, true}, {2, true, true}} {
		t.Run(fmt.Sprintf("%d behind old=%v", tt.behind, tt.old), func(t *testing.T) {
			s, path := openTemp(t, Options{})
			clinicKey(t, s)
			s.SetSetting(ctx, "idle_seconds", "90", "Ada", t0) // 3
			log, _ := s.AuditLog(ctx)
			n := int64(len(log))
			var hash string
			s.db.QueryRow("SELECT hash FROM audit WHERE seq = ?", n-tt.behind).Scan(&hash)
			s.Close()
			text := head{Seq: n - tt.behind, Hash: hash}.encode()
			if tt.old {
				text = fmt.Appendf(nil, "%d %s\n", n-tt.behind, hash)
			}
			if err := os.WriteFile(path+".audit-head", text, 0o600); err != nil {
				t.Fatal(err)
			}
			_, ro, err := verifyRO(t, path)
			if tt.tampers {
				if !errors.Is(err, ErrAuditBroken) {
					t.Fatalf("verify %d behind: %v", tt.behind, err)
				}
				return
			}
			if err != nil || !ro.HeadLags() {
				t.Fatalf("verify one behind: %v (lags %v)", err, ro.HeadLags())
			}
			reopen(t, path).Close()
			if f, _, err := readHead(path + ".audit-head"); err != nil || f.Seq != n {
				t.Errorf("head file after the open: entry %d, %v; want %d", f.Seq, err, n)
			}
			s = reopen(t, path)
			if _, _, err := s.Unlock(ctx, "Ada", "correct horse battery", t0); err != nil {
				t.Errorf("unlock after the recovery: %v", err)
			}
			if _, err := s.VerifyAudit(ctx); err != nil || s.HeadLags() {
				t.Errorf("verify after the recovery: %v", err)
			}
		})
	}
}

// fileHashes hashes the database and every file beside it.
func fileHashes(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	files, _ := filepath.Glob(path + "*")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	return out
}

// walOf copies the -wal of a store that is open (so holds its frames).
func walOf(t *testing.T, s *Store, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := parseWAL(b); !ok || len(b) < 1000 {
		t.Fatalf("no WAL to copy (%d bytes)", len(b))
	}
	return b
}

func addSessions(t *testing.T, s *Store, prefix string, n int) {
	t.Helper()
	for i := range n {
		if err := s.CreateSession(context.Background(), fmt.Sprintf("%s%d", prefix, i), intakekiosk.Screening, t0); err != nil {
			t.Fatal(err)
		}
	}
}

func countSessions(t *testing.T, s *Store) int {
	t.Helper()
	list, err := s.Sessions(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// Another database's -wal copied beside a kiosk database is not
// replayed: verify leaves it (and every file) as it is and reports it;
// the next open sets it aside, owner-only, and says so.
func TestForeignWALIsSetAside(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	addSessions(t, s, "mine", 3)
	s.Close()
	other, opath := openTemp(t, Options{})
	addSessions(t, other, "theirs", 5)
	foreign := walOf(t, other, opath)
	if err := os.WriteFile(path+"-wal", foreign, 0o600); err != nil {
		t.Fatal(err)
	}

	before := fileHashes(t, path)
	_, ro, err := verifyRO(t, path)
	if err != nil || len(ro.Warnings()) != 1 || !errors.Is(ro.Warnings()[0], ErrForeignWAL) {
		t.Fatalf("verify: %v, warnings %v", err, ro.Warnings())
	}
	if n := countSessions(t, ro); n != 3 {
		t.Errorf("verify read %d sessions, want 3", n)
	}
	ro.Close()
	if after := fileHashes(t, path); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("verify changed files:\n%v\n%v", before, after)
	}

	s = reopen(t, path)
	var fe *ForeignWALError
	if w := s.Warnings(); len(w) != 1 || !errors.As(w[0], &fe) {
		t.Fatalf("open: warnings %v", w)
	}
	if n := countSessions(t, s); n != 3 {
		t.Errorf("%d sessions after the open, want 3", n)
	}
	fi, err := os.Stat(fe.Moved)
	if err != nil || fi.Size() != int64(len(foreign)) || fi.Mode().Perm() != 0o600 || !strings.Contains(fe.Moved, "-wal.foreign-") {
		t.Errorf("set aside as %s: %v %v", fe.Moved, fi, err)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
}

// A backup restored by hand next to the -wal the database left (a kill)
// is not overlaid with it, with the backup's head file beside it or not.
func TestStaleWALBesideRestoredBackup(t *testing.T) {
	ctx := context.Background()
	for _, withHead := range []bool{true, false} {
		t.Run(fmt.Sprint("head file restored ", withHead), func(t *testing.T) {
			s, path := openTemp(t, Options{})
			addSessions(t, s, "a", 2)
			b := filepath.Join(t.TempDir(), "b.db")
			if _, err := s.Backup(ctx, b, "Ada", t0); err != nil {
				t.Fatal(err)
			}
			addSessions(t, s, "later", 4)
			stale := walOf(t, s, path)
			s.Close()
			copyFile(t, b, path)
			if withHead {
				copyFile(t, b+".audit-head", path+".audit-head")
			}
			os.WriteFile(path+"-wal", stale, 0o600)
			s = reopen(t, path)
			if w := s.Warnings(); len(w) != 1 || !errors.Is(w[0], ErrForeignWAL) {
				t.Fatalf("open: warnings %v", w)
			}
			if n := countSessions(t, s); n != 2 {
				t.Errorf("%d sessions, want the backup's 2", n)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The kiosk's own WAL, left by a kill and restarted any number of times
// before it, is replayed, and verify reads it without changing a byte of
// the database, its -wal or its -shm.
func TestOwnWALIsKept(t *testing.T) {
	s, path := openTemp(t, Options{})
	for round := range 3 {
		addSessions(t, s, fmt.Sprintf("r%d-", round), 5)
		if _, err := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			t.Fatal(err)
		}
	}
	addSessions(t, s, "last", 2) // in the WAL only
	before := fileHashes(t, path)
	n, ro, err := verifyRO(t, path)
	if err != nil || len(ro.Warnings()) != 0 || countSessions(t, ro) != 17 || n == 0 {
		t.Fatalf("verify beside a running kiosk: %v %v", err, ro.Warnings())
	}
	ro.Close()
	if after := fileHashes(t, path); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("verify changed files:\n%v\n%v", before, after)
	}
	// as a kill leaves it
	wal := walOf(t, s, path)
	s.Close()
	os.WriteFile(path+"-wal", wal, 0o600)
	s = reopen(t, path)
	if len(s.Warnings()) != 0 || countSessions(t, s) != 17 {
		t.Errorf("own WAL after a kill: %v, %d sessions", s.Warnings(), countSessions(t, s))
	}
}

// A WAL the kiosk began afresh at its open (SQLite draws new salts for
// it), killed before the head file knew them, is the kiosk's own: its id
// on page 1 says so. Before, it was set aside as foreign and its answers
// with it.
func TestFreshOwnWALIsKept(t *testing.T) {
	s, path := openTemp(t, Options{})
	addSessions(t, s, "a", 2)
	s.Close() // the WAL goes with the last connection
	before, err := os.ReadFile(path + ".audit-head")
	if err != nil {
		t.Fatal(err)
	}
	s = reopen(t, path)
	addSessions(t, s, "b", 3)
	wal := walOf(t, s, path)
	s.Close()
	os.WriteFile(path+"-wal", wal, 0o600)
	os.WriteFile(path+".audit-head", before, 0o600)
	_, ro, err := verifyRO(t, path)
	if err != nil || len(ro.Warnings()) != 0 || countSessions(t, ro) != 5 {
		t.Errorf("verify of a fresh WAL of its own: %v %v", err, ro.Warnings())
	}
	s = reopen(t, path)
	if len(s.Warnings()) != 0 || countSessions(t, s) != 5 {
		t.Errorf("a fresh WAL of its own after a kill: %v, %d sessions", s.Warnings(), countSessions(t, s))
	}
}

// Restore puts a backup in place: only one that verifies, never beside a
// running kiosk, the files it replaces kept, a stale WAL never replayed.
func TestRestore(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	addSessions(t, s, "a", 2)
	b := filepath.Join(t.TempDir(), "b.db")
	if _, err := s.Backup(ctx, b, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	addSessions(t, s, "later", 3)
	s.Close()
	kiosk, err := Open(ctx, path, Options{Exclusive: true, WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	addSessions(t, kiosk, "more", 1)
	if _, err := Restore(ctx, b, path, t0); !errors.Is(err, ErrLocked) {
		t.Errorf("restore beside a running kiosk: %v", err)
	}
	stale := walOf(t, kiosk, path)
	kiosk.Close()
	os.WriteFile(path+"-wal", stale, 0o600)
	before := fileHashes(t, path)

	// a backup that does not verify changes nothing
	bad := filepath.Join(t.TempDir(), "bad.db")
	copyFile(t, b, bad)
	copyFile(t, b+".audit-head", bad+".audit-head")
	sqlExec(t, bad, "DELETE FROM audit WHERE seq = 1")
	if _, err := Restore(ctx, bad, path, t0); !errors.Is(err, ErrAuditBroken) {
		t.Errorf("restore of a tampered backup: %v", err)
	}
	if after := fileHashes(t, path); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a refused restore changed files")
	}

	aside, err := Restore(ctx, b, path, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(aside) != 3 { // the database, its head file, the -wal (a closed kiosk leaves no -shm)
		t.Errorf("set aside %v", aside)
	}
	for _, p := range aside {
		name := strings.TrimSuffix(filepath.Base(p), ".replaced-20261125T143000Z")
		if before[name] == "" || fileHashes(t, p)[filepath.Base(p)] != before[name] {
			t.Errorf("%s is not the file it replaced", p)
		}
	}
	s = reopen(t, path)
	if n := countSessions(t, s); n != 2 || len(s.Warnings()) != 0 {
		t.Errorf("after the restore: %d sessions (want 2), warnings %v", n, s.Warnings())
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
	if _, _, err := s.Unlock(ctx, "Ada", "correct horse battery", t0); err != nil {
		t.Errorf("unlock after the restore: %v", err)
	}
}
