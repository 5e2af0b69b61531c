package privfile

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"intakekiosk/fault"
)

// both are the two ways Write writes, each test runs under.
var both = []struct {
	name string
	opt  Options
}{{"unnamed", Options{}}, {"named", Options{Named: true}}}

// listing is what dir holds, by name.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWrite(t *testing.T) {
	for _, w := range both {
		for _, tc := range []struct {
			name    string
			before  string // at the path already ("" none)
			replace bool
			fail    bool // the write fails
			want    string
			wantErr fault.Kind
		}{
			{name: "new file", want: "new"},
			{name: "refuses a file there", before: "old", want: "old", wantErr: fault.Exists},
			{name: "replaces when asked", before: "old", replace: true, want: "new"},
			{name: "failed write leaves nothing", fail: true},
			{name: "failed write keeps the old file", before: "old", replace: true, fail: true, want: "old"},
		} {
			t.Run(w.name+"/"+tc.name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "export.csv")
				if tc.before != "" {
					if err := os.WriteFile(path, []byte(tc.before), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				opt := w.opt
				opt.Replace = tc.replace
				boom := errors.New("disk full")
				err := Write(path, opt, func(f *os.File) error {
					f.WriteString("new")
					if tc.fail {
						return boom
					}
					return nil
				})
				switch {
				case tc.fail:
					if !errors.Is(err, boom) {
						t.Fatalf("Write = %v, want the write's error", err)
					}
				case tc.wantErr != fault.Other:
					if !fault.Is(tc.wantErr, err) {
						t.Fatalf("Write = %v, want %v", err, tc.wantErr)
					}
				case err != nil:
					t.Fatal(err)
				}
				got, rerr := os.ReadFile(path)
				if tc.want == "" {
					if rerr == nil {
						t.Fatalf("a file was left: %q", got)
					}
				} else if string(got) != tc.want {
					t.Fatalf("file holds %q, want %q", got, tc.want)
				}
				if names := listing(t, dir); len(names) > 1 || (len(names) == 1 && names[0] != "export.csv") {
					t.Fatalf("left beside it: %v", names)
				}
				if fi, err := os.Stat(path); err == nil && tc.want == "new" && fi.Mode().Perm() != 0o600 {
					t.Fatalf("mode %v, want 0600", fi.Mode().Perm())
				}
			})
		}
	}
}

// TestUnnamedHere says whether the test folder's file system has
// O_TMPFILE (TestKilled's unnamed runs fail where Write falls back).
func TestUnnamedHere(t *testing.T) {
	dir := t.TempDir()
	err := writeUnnamed(dir, filepath.Join(dir, "x"), false, func(*os.File) error { return nil })
	if errors.Is(err, errUnsupported) {
		t.Skipf("%s: no O_TMPFILE here; Write falls back to a part file", dir)
	}
	if err != nil {
		t.Fatal(err)
	}
}

func TestSweep(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ourPart := mk(PartPrefix + "123456")
	keep := []string{
		mk(PartPrefix + "12a"),     // not digits only
		mk(PartPrefix),             // no digits
		mk("x" + PartPrefix + "1"), // another prefix
		mk(".export.csv.part-123"), // the old part files are not matched by name
		mk("report.pdf"),
		mk(PartPrefix + "99.csv"), // a suffix
	}
	if err := os.Mkdir(filepath.Join(dir, PartPrefix+"7"), 0o700); err != nil { // a folder
		t.Fatal(err)
	}
	target := mk("target")
	if err := os.Symlink(target, filepath.Join(dir, PartPrefix+"8")); err != nil { // a link
		t.Fatal(err)
	}
	// a part file being written by a running Write
	held, err := os.Create(filepath.Join(dir, PartPrefix+"9"))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := hold(held); err != nil {
		t.Fatal(err)
	}
	n, err := Sweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("Sweep removed %d, want 1", n)
	}
	if _, err := os.Lstat(ourPart); err == nil {
		t.Error("our part file is still there")
	}
	for _, p := range append(keep, target, filepath.Join(dir, PartPrefix+"7"), filepath.Join(dir, PartPrefix+"8"), held.Name()) {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("Sweep removed %s", filepath.Base(p))
		}
	}
	if n, err := Sweep(filepath.Join(dir, "none")); n != 0 || err != nil {
		t.Errorf("Sweep of no folder = %d, %v", n, err)
	}
}

// The kill test's child: writes -privfile.child (slowly, a line at a
// time, every line marked) and is killed meanwhile.
var (
	childPath  = flag.String("privfile.child", "", "write this file slowly (the kill test's child)")
	childNamed = flag.Bool("privfile.named", false, "the child writes through a named part file")
)

// secret marks every line the child writes: no file left in the folder
// may hold it unless it is the whole target.
const secret = "DOE,JANE,1970-01-01"

func TestMain(m *testing.M) {
	flag.Parse()
	if *childPath != "" {
		err := Write(*childPath, Options{Named: *childNamed}, func(f *os.File) error {
			for i := range 400 {
				if _, err := fmt.Fprintf(f, "%06d,%s\n", i, secret); err != nil {
					return err
				}
				time.Sleep(100 * time.Microsecond)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestKilled kills a writing child with SIGKILL at random moments, both
// ways: the folder then holds the whole file or no readable copy of any
// of it, except (named) a part file that the next Write or Sweep
// removes.
func TestKilled(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 0))
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range both {
		t.Run(w.name, func(t *testing.T) {
			whole, partsLeft := 0, 0
			for i := range 12 {
				dir := t.TempDir()
				path := filepath.Join(dir, "export.csv")
				args := []string{"-test.run=^$", "-privfile.child=" + path}
				if w.opt.Named {
					args = append(args, "-privfile.named")
				}
				cmd := exec.Command(exe, args...)
				cmd.Stderr = os.Stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Duration(rnd.IntN(700)) * time.Millisecond)
				cmd.Process.Signal(syscall.SIGKILL)
				cmd.Wait()
				for _, name := range listing(t, dir) {
					data, err := os.ReadFile(filepath.Join(dir, name))
					if err != nil {
						t.Fatal(err)
					}
					switch {
					case name == "export.csv":
						if !bytes.HasSuffix(data, []byte(fmt.Sprintf("%06d,%s\n", 399, secret))) {
							t.Fatalf("kill %d: the target is cut short (%d bytes)", i, len(data))
						}
						whole++
					case isPart(name) && w.opt.Named:
						partsLeft++
					default:
						t.Fatalf("kill %d (%s): %s left beside the target (%d bytes)", i, w.name, name, len(data))
					}
				}
				// the next write to the folder sweeps what was left
				if err := Write(filepath.Join(dir, "next.csv"), w.opt, func(f *os.File) error { return nil }); err != nil {
					t.Fatal(err)
				}
				for _, name := range listing(t, dir) {
					if name != "export.csv" && name != "next.csv" {
						t.Fatalf("kill %d: %s left after the next write", i, name)
					}
				}
			}
			t.Logf("%s: %d of 12 kills came after the file was whole, %d left a part file (swept)", w.name, whole, partsLeft)
		})
	}
}
