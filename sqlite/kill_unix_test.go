//go:build unix

package sqlite

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests that kill child processes or run one as another user.

// child runs fn instead of the test when the test binary is re-run as a
// child with KIOSK_TEST_CHILD=name.
func child(name string, fn func()) {
	if os.Getenv("KIOSK_TEST_CHILD") == name {
		fn()
		os.Exit(0)
	}
}

// killLoop runs the test binary as child name, args in KIOSK_TEST_ARGS,
// and SIGKILLs it after a random wait up to max; then check.
func killChild(t *testing.T, name, args string, wait time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "KIOSK_TEST_CHILD="+name, "KIOSK_TEST_ARGS="+args)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(wait)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

func TestMain(m *testing.M) {
	args := strings.Split(os.Getenv("KIOSK_TEST_ARGS"), "\n")
	child("backup", func() {
		s, err := Open(context.Background(), args[0], Options{WorkFactor: testWorkFactor})
		if err != nil {
			os.Exit(2)
		}
		s.Backup(context.Background(), args[1], "Ada", t0)
		time.Sleep(time.Hour) // the kill comes
	})
	child("audit", func() {
		s, err := Open(context.Background(), args[0], Options{WorkFactor: testWorkFactor})
		if err != nil {
			os.Exit(2)
		}
		for i := 0; ; i++ {
			if err := s.SetSetting(context.Background(), "idle_seconds", fmt.Sprint(60+i%100), "Ada", t0); err != nil {
				os.Exit(3)
			}
		}
	})
	child("open", func() {
		s, err := Open(context.Background(), args[0], Options{WorkFactor: testWorkFactor})
		if err != nil {
			fmt.Print(err)
			os.Exit(1)
		}
		s.Close()
		fmt.Print("opened")
	})
	os.Exit(m.Run())
}

// seed is the random seed of a kill loop, printed; KIOSK_SEED replays one.
func seed(t *testing.T) *rand.Rand {
	sd := uint64(time.Now().UnixNano())
	if v := os.Getenv("KIOSK_SEED"); v != "" {
		fmt.Sscan(v, &sd)
	}
	t.Logf("seed %d (KIOSK_SEED=%d replays it)", sd, sd)
	return rand.New(rand.NewPCG(sd, 0))
}

// A backup killed at any moment leaves nothing at its target, or a whole
// backup that verifies, never a part that verify misjudges.
func TestBackupKilled(t *testing.T) {
	s, path := openTemp(t, Options{})
	addSessions(t, s, "s", 1500)
	s.Close()
	r := seed(t)
	dir := t.TempDir()
	whole := 0
	for i := range 12 {
		target := filepath.Join(dir, fmt.Sprintf("b%d.db", i))
		killChild(t, "backup", path+"\n"+target, time.Duration(r.IntN(120))*time.Millisecond)
		if _, err := os.Stat(target); err != nil {
			continue
		}
		whole++
		if _, _, err := verifyRO(t, target); err != nil {
			t.Errorf("kill %d: the backup left at %s does not verify: %v", i, target, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	t.Logf("%d of 12 killed backups finished; files left: %d", whole, len(left))
	// the next backup to a name clears what a killed one left
	s = reopen(t, path)
	if _, err := s.Backup(context.Background(), filepath.Join(dir, "b0.db.again"), "Ada", t0); err != nil {
		t.Fatal(err)
	}
}

// Audited writes killed at random moments leave a database whose audit
// log verifies (the head file at most one entry behind, mended at the
// next open), never "tampered".
func TestAuditedWritesKilled(t *testing.T) {
	_, path := openTemp(t, Options{})
	r := seed(t)
	lagged := 0
	for i := range 10 {
		killChild(t, "audit", path, time.Duration(50+r.IntN(150))*time.Millisecond)
		_, ro, err := verifyRO(t, path)
		if err != nil {
			t.Fatalf("kill %d: verify: %v", i, err)
		}
		if ro.HeadLags() {
			lagged++
		}
		s := reopen(t, path)
		if _, err := s.VerifyAudit(context.Background()); err != nil || len(s.Warnings()) != 0 {
			t.Fatalf("kill %d: after the open: %v %v", i, err, s.Warnings())
		}
		s.Close()
	}
	t.Logf("%d of 10 kills left the head file one entry behind", lagged)
}

// A read-only database is refused before SQLite makes -wal and -shm files
// of its mode, in words that say how to fix it; a read-only folder is
// named. (As root, the checks run in a child as nobody.)
func TestReadOnlyFiles(t *testing.T) {
	s, path := openTemp(t, Options{})
	s.Close()
	dir := filepath.Dir(path)
	for _, tt := range []struct {
		name      string
		fileMode  os.FileMode
		dirMode   os.FileMode
		wantWords []string
	}{
		{"file", 0o400, 0o700, []string{"is read-only (mode 0400)", "chmod 600 " + path}},
		{"folder", 0o600, 0o500, []string{"the folder " + dir + " cannot be written", "chmod 700 " + dir}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.Chmod(path, tt.fileMode)
			os.Chmod(dir, tt.dirMode)
			defer os.Chmod(dir, 0o700)
			out := openAsUser(t, path)
			for _, w := range tt.wantWords {
				if !strings.Contains(out, w) {
					t.Errorf("open: %q, want %q", out, w)
				}
			}
			for _, p := range []string{path + "-wal", path + "-shm"} {
				if _, err := os.Stat(p); err == nil {
					t.Errorf("%s was made", filepath.Base(p))
				}
			}
			os.Chmod(dir, 0o700)
			os.Chmod(path, 0o600)
			// verify reads a read-only file
			os.Chmod(path, 0o400)
			if _, _, err := verifyRO(t, path); err != nil {
				t.Errorf("verify of a read-only file: %v", err)
			}
			os.Chmod(path, 0o600)
		})
	}
}

// openAsUser opens path in a child process as a user the file modes bind
// (nobody when the test runs as root) and returns what Open said.
func openAsUser(t *testing.T, path string) string {
	t.Helper()
	bin := os.Args[0]
	cmd := exec.Command(bin, "-test.run=^$")
	if os.Geteuid() == 0 {
		// nobody must reach the binary and the database's folder
		exe := filepath.Join(t.TempDir(), "sqlite.test")
		copyFile(t, bin, exe)
		os.Chmod(exe, 0o755)
		for d := filepath.Dir(exe); d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
			os.Chmod(d, 0o755)
		}
		for d := filepath.Dir(filepath.Dir(path)); d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
			os.Chmod(d, 0o755)
		}
		const nobody = 65534
		os.Chown(filepath.Dir(path), nobody, nobody)
		os.Chown(path, nobody, nobody)
		os.Chown(path+".audit-head", nobody, nobody)
		defer os.Chown(filepath.Dir(path), 0, 0)
		cmd = exec.Command(exe, "-test.run=^$")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	cmd.Env = append(os.Environ(), "KIOSK_TEST_CHILD=open", "KIOSK_TEST_ARGS="+path)
	out, _ := cmd.CombinedOutput()
	return string(out)
}
