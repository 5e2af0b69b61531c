package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"intakekiosk/internal/pgtest"
	"intakekiosk/privfile"
)

// The crash loop runs kioskctl commands as real processes (this test
// binary, re-executed as kioskctl) on a demo database, kills each with
// SIGKILL after a random delay, then checks that verify passes, that
// SQLite's integrity check does, and that no readable part of an export
// is left once the folder is swept. `make test` runs 20 kills; `make
// soak` runs CRASH_KILLS=300. A failure prints the seed: -crash.seed N
// (or CRASH_SEED=N) replays it.
var (
	crashSeed  = flag.Uint64("crash.seed", 0, "the crash loop's seed (0: CRASH_SEED, else from the clock)")
	crashKills = flag.Int("crash.kills", 0, "how many kills (0: CRASH_KILLS, else 20)")
	crashOps   = flag.String("crash.ops", "", "the operations to kill, comma separated (default: those enabled; all: every one)")
)

// childEnv makes this test binary run as kioskctl; childNamed makes it
// write files through named part files (privfile's fallback).
const (
	childEnv   = "KIOSKCTL_TEST_CHILD"
	childNamed = "named"
)

func TestMain(m *testing.M) {
	if how, ok := os.LookupEnv(childEnv); ok {
		os.Exit(runWith(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, privfile.Options{Named: how == childNamed}))
	}
	flag.Parse()
	os.Exit(pgtest.Main(m, &pg))
}

// crashOp is one operation the loop kills.
type crashOp struct {
	name string
	// args are its command line in folder dir (the database is --db)
	args func(dir string) []string
	// named runs it with privfile's fallback (a FAT stick)
	named bool
	// export marks an op that writes a file of patient data: what it
	// leaves is checked for plaintext
	export bool
	// leaves is a database file the op writes in its folder: when a kill
	// leaves it there, it must verify
	leaves string
	// enabled: in the default loop; off while it is known to fail (see
	// the comment beside it), run with -crash.ops all
	enabled bool
}

func crashOpsTable(fhirFile string) []crashOp {
	return []crashOp{
		{name: "export-csv", export: true, enabled: true,
			args: func(dir string) []string {
				return []string{"export", "--to", "program", "--format", "csv", "--out", filepath.Join(dir, "out.csv")}
			}},
		{name: "export-fhir-named", export: true, named: true, enabled: true,
			args: func(dir string) []string {
				return []string{"export", "--to", "program", "--format", "fhir", "--out", filepath.Join(dir, "out.json")}
			}},
		{name: "export-csv-named", export: true, named: true, enabled: true,
			args: func(dir string) []string {
				return []string{"export", "--to", "program", "--format", "csv", "--out", filepath.Join(dir, "out.csv")}
			}},
		{name: "import", enabled: true,
			args: func(string) []string { return []string{"import", fhirFile} }},
		{name: "purge", enabled: true,
			args: func(string) []string { return []string{"purge", "--older-than", "1h"} }},
		{name: "backup", enabled: true,
			args: func(dir string) []string { return []string{"backup", "--out", filepath.Join(dir, "backup.db")} }},
		// what a killed backup leaves at its target: nothing, or a
		// backup that verifies
		{name: "backup-file", leaves: "backup.db", enabled: true,
			args: func(dir string) []string { return []string{"backup", "--out", filepath.Join(dir, "backup.db")} }},
	}
}

// child runs kioskctl (this binary) on db with args; the caller starts
// and waits.
func child(t *testing.T, db string, named bool, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"--db", db, "--as", "Ada"}, args...)...)
	how := "unnamed"
	if named {
		how = childNamed
	}
	cmd.Env = append(os.Environ(), childEnv+"="+how, "KIOSK_PASSPHRASE=correct horse battery")
	return cmd
}

// copyFile copies a file, if it is there.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func crashSettings(t *testing.T) (seed uint64, kills int, ops string) {
	seed, kills, ops = *crashSeed, *crashKills, *crashOps
	if seed == 0 {
		seed, _ = strconv.ParseUint(os.Getenv("CRASH_SEED"), 10, 64)
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	if kills == 0 {
		kills, _ = strconv.Atoi(os.Getenv("CRASH_KILLS"))
	}
	if kills == 0 {
		kills = 20
	}
	if ops == "" {
		ops = os.Getenv("CRASH_OPS")
	}
	return seed, kills, ops
}

func TestCrashLoop(t *testing.T) {
	seed, kills, only := crashSettings(t)
	t.Logf("crash loop: seed %d, %d kills (replay: go test ./cmd/kioskctl -run TestCrashLoop -crash.seed %d)", seed, kills, seed)
	rnd := rand.New(rand.NewPCG(seed, 0x5eed))
	base, _ := demoDB(t)
	setup := t.TempDir()
	fhirFile := filepath.Join(setup, "import.json")
	if code, _, errs := ctl(t, "--db", base, "--as", "Ada", "export", "--to", "program", "--format", "fhir", "--out", fhirFile); code != 0 {
		t.Fatalf("the FHIR file to import: %s", errs)
	}
	var ops []crashOp
	for _, op := range crashOpsTable(fhirFile) {
		if (only == "" && op.enabled) || only == "all" || slices.Contains(strings.Split(only, ","), op.name) {
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 {
		t.Fatalf("no operation named in %q", only)
	}
	// each op once, whole: it works, and how long it takes bounds the
	// kill's delay
	took := map[string]time.Duration{}
	for _, op := range ops {
		dir := t.TempDir()
		db := filepath.Join(dir, "kiosk.db")
		copyFile(t, base, db)
		copyFile(t, base+".audit-head", db+".audit-head")
		start := time.Now()
		if out, err := child(t, db, op.named, op.args(dir)...).CombinedOutput(); err != nil {
			t.Fatalf("%s, not killed: %v: %s", op.name, err, out)
		}
		took[op.name] = time.Since(start)
	}
	t.Logf("whole runs: %v", took)
	for i := range kills {
		op := ops[rnd.IntN(len(ops))]
		// a fraction of the op's whole run, so that a seed replays the
		// same ops killed at the same points of their work
		delay := time.Duration(rnd.Float64() * 1.25 * float64(took[op.name]))
		dir := t.TempDir()
		db := filepath.Join(dir, "kiosk.db")
		copyFile(t, base, db)
		copyFile(t, base+".audit-head", db+".audit-head")
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("kill %d (%s after %v; replay with -crash.seed %d): %s", i, op.name, delay, seed, fmt.Sprintf(format, args...))
		}
		cmd := child(t, db, op.named, op.args(dir)...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if v, err := child(t, db, false, "verify").CombinedOutput(); err != nil {
			fail("verify: %v: %s", err, v)
		}
		if res := integrity(t, db); res != "ok" {
			fail("integrity check: %s", res)
		}
		if op.leaves != "" {
			if _, err := os.Stat(filepath.Join(dir, op.leaves)); err == nil {
				if v, err := child(t, filepath.Join(dir, op.leaves), false, "verify").CombinedOutput(); err != nil {
					fail("verify of the %s it left: %v: %s", op.leaves, err, v)
				}
			}
		}
		if op.export {
			if err := noPlaintext(dir, op.named); err != nil {
				fail("%v", err)
			}
		}
	}
}

// integrity is SQLite's integrity check of the database at path.
func integrity(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(context.Background(), "PRAGMA integrity_check").Scan(&res); err != nil {
		return err.Error()
	}
	return res
}

// noPlaintext checks the folder an export was killed writing: beside the
// database only a whole export may be there, and (named) part files of
// ours, which a sweep then removes.
func noPlaintext(dir string, named bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	parts := 0
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "kiosk.db"), strings.HasPrefix(name, "backup.db"):
		case name == "out.csv" || name == "out.json":
			if err := whole(filepath.Join(dir, name)); err != nil {
				return err
			}
		case named && strings.HasPrefix(name, privfile.PartPrefix):
			parts++
		default:
			return fmt.Errorf("%s left beside the export", name)
		}
	}
	if n, err := privfile.Sweep(dir); err != nil || n != parts {
		return fmt.Errorf("the sweep removed %d of %d part files: %v", n, parts, err)
	}
	return nil
}

// whole checks that an export file is complete: a CSV ends with a line
// break, a FHIR Bundle with its closing brace.
func whole(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	end := bytes.TrimRight(data, "\n")
	if strings.HasSuffix(path, ".csv") && !bytes.HasSuffix(data, []byte("\n")) ||
		strings.HasSuffix(path, ".json") && !bytes.HasSuffix(end, []byte("}")) {
		return fmt.Errorf("%s is cut short (%d bytes)", filepath.Base(path), len(data))
	}
	return nil
}
