package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/hub"
	"intakekiosk/internal/pgtest"
	"intakekiosk/sqlite"
)

// pg is the package's PostgreSQL server (TestMain starts it).
var pg *pgtest.Server

// clinics numbers the tests' clinic databases.
var clinics atomic.Int64

// ownerPassword is the password of each test clinic's owner role.
const ownerPassword = "owner pass"

// clinicServer makes a clinic's database on the test server as the
// README does: an owner role that may create roles, owning a database of
// its own. It returns the owner's URL.
func clinicServer(t *testing.T) string {
	t.Helper()
	s := pg.Need(t)
	n := clinics.Add(1)
	owner, db := fmt.Sprintf("ctl%d_owner", n), fmt.Sprintf("ctl%d", n)
	s.SQL(t, "postgres", fmt.Sprintf("CREATE ROLE %s LOGIN CREATEROLE PASSWORD '%s'", owner, ownerPassword))
	s.SQL(t, "postgres", fmt.Sprintf("CREATE DATABASE %s OWNER %s", db, owner))
	return s.URL(owner, strings.ReplaceAll(ownerPassword, " ", "%20"), db)
}

// From a bare server to a working network with kioskctl alone: setup,
// a desk and a kiosk joined (the kiosk from a backup of the desk's
// database), a session at the kiosk reaching the desk through sync, the
// status of both, and the kiosk revoked and shut out.
func TestNetworkCommands(t *testing.T) {
	owner := clinicServer(t)
	t.Setenv("KIOSK_PASSPHRASE", "correct horse battery")
	for range 2 { // a second setup changes nothing
		if code, out, errs := ctl(t, "network", "setup", "--server", owner); code != 0 || !strings.Contains(out, "the server is ready") {
			t.Fatalf("setup: exit %d, %q %q", code, out, errs)
		}
	}
	deskDB := newDB(t)
	code, out, errs := ctl(t, "--db", deskDB, "--as", "Ada", "network", "join", "desk-1", "--role", "desk", "--server", owner)
	if code != 0 || !strings.Contains(out, "joined the clinic network as desk-1 (desk)") {
		t.Fatalf("join the desk: exit %d, %q %q", code, out, errs)
	}
	if strings.Contains(out+errs, ownerPassword) {
		t.Error("join printed the owner's password")
	}
	fi, err := os.Stat(hub.ConfigPath(deskDB))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the desk's configuration: %v, %v", fi, err)
	}
	if b, _ := os.ReadFile(hub.ConfigPath(deskDB)); strings.Contains(string(b), ownerPassword) {
		t.Error("the owner's password is kept in the node's configuration")
	}
	if code, _, errs := ctl(t, "--db", deskDB, "--as", "Ada", "network", "join", "desk-2", "--role", "desk", "--server", owner); code != 1 || !strings.Contains(errs, "joined the clinic network already as desk-1") {
		t.Errorf("a second join without --force: exit %d, %q", code, errs)
	}

	// a kiosk set up from the desk's backup, as the README says
	backup := filepath.Join(t.TempDir(), "backup.db")
	if code, _, errs := ctl(t, "--db", deskDB, "--as", "Ada", "backup", "--out", backup); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	kioskDB := filepath.Join(t.TempDir(), "kiosk.db")
	if code, _, errs := ctl(t, "--db", kioskDB, "restore", "--from", backup); code != 0 {
		t.Fatalf("restore: %s", errs)
	}
	if _, err := os.Stat(hub.ConfigPath(kioskDB)); !os.IsNotExist(err) {
		t.Fatalf("a restored database came with a network configuration: %v", err)
	}
	if code, _, errs := ctl(t, "--db", kioskDB, "network", "sync"); code != 1 || !strings.Contains(errs, "has not joined a clinic network") {
		t.Errorf("sync before a join: exit %d, %q", code, errs)
	}
	if code, out, errs := ctl(t, "--db", kioskDB, "--as", "Ada", "network", "join", "kiosk-1", "--role", "kiosk", "--server", owner); code != 0 {
		t.Fatalf("join the kiosk: exit %d, %q %q", code, out, errs)
	}

	// a patient at the kiosk
	st := openStore(t, kioskDB)
	ctx := context.Background()
	const id = "0190c0de-0000-7000-8000-00000000beef"
	if err := st.CreateSession(ctx, id, intakekiosk.Screening, time.Now()); err != nil {
		t.Fatal(err)
	}
	st.Raise(ctx, id, intakekiosk.Urgent)
	st.Complete(ctx, id, time.Now())
	st.Close()
	if code, out, errs := ctl(t, "--db", kioskDB, "network", "sync"); code != 0 || !strings.Contains(out, "pushed 3 sessions") {
		t.Fatalf("sync at the kiosk: exit %d, %q %q", code, out, errs)
	}
	if code, out, errs := ctl(t, "--db", deskDB, "network", "sync"); code != 0 || !strings.Contains(out, "pulled 1 sessions (1 urgent)") {
		t.Fatalf("sync at the desk: exit %d, %q %q", code, out, errs)
	}
	if _, out, _ := ctl(t, "sessions", "list", "--json", "--db", deskDB); !strings.Contains(out, id) {
		t.Errorf("the kiosk's session is not at the desk: %s", out)
	}

	// status: at the desk through its own connection; at a kiosk its own
	// cursor (its role may not count the others' items); with the owner's
	// URL from anywhere
	code, out, errs = ctl(t, "--db", deskDB, "network", "status")
	t.Logf("status at the desk:\n%s", out)
	if code != 0 || !strings.Contains(out, "this node: desk-1 (desk)") || !strings.Contains(out, "desk-1 (here)") || !strings.Contains(out, "kiosk-1") {
		t.Errorf("status at the desk: exit %d, %q %q", code, out, errs)
	}
	code, out, errs = ctl(t, "--db", kioskDB, "network", "status")
	if code != 0 || !strings.Contains(out, "this node: kiosk-1 (kiosk), 0 changes not yet pushed") || !strings.Contains(errs, "read at a desk, or here with --server") {
		t.Errorf("status at the kiosk: exit %d, %q %q", code, out, errs)
	}
	code, out, errs = ctl(t, "--db", filepath.Join(t.TempDir(), "none.db"), "network", "status", "--json", "--server", owner)
	if code != 0 {
		t.Fatalf("status --json: exit %d, %q", code, errs)
	}
	nodes := map[string]nodeJSON{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var n nodeJSON
		if err := json.Unmarshal([]byte(line), &n); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		nodes[n.Name] = n
	}
	if k := nodes["kiosk-1"]; k.Role != "kiosk" || k.LastContact == nil || k.Pushed == 0 || k.Revoked != nil || k.Pending != 0 || k.Behind != 0 {
		t.Errorf("kiosk-1 in status: %+v", k)
	}
	if d := nodes["desk-1"]; d.Role != "desk" || d.Behind != 0 || d.Pushed != 0 {
		t.Errorf("desk-1 in status: %+v", d)
	}

	// revoked: shut out at once, on record at the desk that did it
	if code, out, errs := ctl(t, "--db", deskDB, "--as", "Ada", "network", "revoke", "kiosk-1", "--server", owner); code != 0 || !strings.Contains(out, "kiosk-1 is shut out") {
		t.Fatalf("revoke: exit %d, %q %q", code, out, errs)
	}
	if code, _, errs := ctl(t, "--db", deskDB, "--as", "Ada", "network", "revoke", "kiosk-9", "--server", owner); code != 1 || !strings.Contains(errs, `no node named "kiosk-9"`) {
		t.Errorf("revoke of no node: exit %d, %q", code, errs)
	}
	st = openStore(t, kioskDB)
	st.CreateSession(ctx, "0190c0de-0000-7000-8000-00000000f00d", intakekiosk.Screening, time.Now())
	st.Close()
	if code, _, errs := ctl(t, "--db", kioskDB, "network", "sync"); code != 1 || !strings.Contains(errs, "refused") {
		t.Errorf("sync of a revoked kiosk: exit %d, %q", code, errs)
	}
	if _, out, _ := ctl(t, "--db", deskDB, "network", "status"); !strings.Contains(out, "REVOKED") {
		t.Errorf("status does not show the revocation: %s", out)
	}
	var revoked bool
	for _, e := range auditLog(t, deskDB) {
		revoked = revoked || e.Action == sqlite.ActRevoke && e.Actor == "Ada" && e.Target == "kiosk-1"
	}
	if !revoked {
		t.Error("the revocation is not on record at the desk")
	}
	for _, db := range []string{deskDB, kioskDB} {
		if code, out, errs := ctl(t, "--db", db, "--as", "Ada", "verify"); code != 0 || !strings.Contains(out, "chain intact") {
			t.Errorf("verify %s: exit %d, %q %q", filepath.Base(db), code, out, errs)
		}
	}
}

// A join that cannot finish leaves no configuration: a wrong passphrase
// here, a server that is not there, a wrong owner password, a bad name or
// role.
func TestNetworkJoinRefused(t *testing.T) {
	owner := clinicServer(t)
	if code, _, errs := ctl(t, "network", "setup", "--server", owner); code != 0 {
		t.Fatalf("setup: %s", errs)
	}
	db := newDB(t)
	for _, tc := range []struct {
		name, pass, server string
		args               []string
		code               int
		msg                string
	}{
		{"wrong passphrase", "wrong", owner, nil, 1, "unlock as Ada"},
		{"no server", "correct horse battery", "postgres://x:y@127.0.0.1:1/none?sslmode=disable", nil, 1, "connect"},
		{"wrong owner password", "correct horse battery", strings.Replace(owner, "owner%20pass", "nope", 1), nil, 1, "the server refused"},
		{"bad name", "correct horse battery", owner, []string{"Kiosk 1"}, 2, "cannot name a node"},
		{"bad role", "correct horse battery", owner, []string{"kiosk-1", "--role", "printer"}, 2, `--role "printer": kiosk or desk`},
		{"no server flag", "correct horse battery", "", nil, 2, "--server URL is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KIOSK_PASSPHRASE", tc.pass)
			args := tc.args
			if args == nil {
				args = []string{"kiosk-1", "--role", "kiosk"}
			}
			args = append([]string{"--db", db, "--as", "Ada", "network", "join"}, args...)
			if tc.server != "" {
				args = append(args, "--server", tc.server)
			}
			code, _, errs := ctl(t, args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("exit %d, %q; want %d with %q", code, errs, tc.code, tc.msg)
			}
			if strings.Contains(errs, "owner pass") || strings.Contains(errs, "nope") {
				t.Errorf("the error shows a password: %q", errs)
			}
			if _, err := os.Stat(hub.ConfigPath(db)); !os.IsNotExist(err) {
				t.Errorf("a refused join left a configuration: %v", err)
			}
		})
	}
}
