// Package pgtest is for tests only: it starts a real PostgreSQL server
// for a test package (Debian's postgresql package; no mock), once per
// package, and stops it at the end. As root (CI) the server runs as the
// postgres user through runuser, since initdb refuses root: its folder
// under /tmp is that user's, the socket is in it (-k) and it listens on
// 127.0.0.1 on a free port. Only _test.go files import it.
package pgtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"intakekiosk/internal/testtool"
)

// Superuser and its password: the cluster's own, for the tests' setup.
const (
	Superuser = "postgres"
	Password  = "pgtest-superuser"
)

// Server is a running PostgreSQL cluster of the tests.
type Server struct {
	// Dir holds the cluster: data/ (its data directory, with pg_wal),
	// the socket and log/server.log.
	Dir  string
	Data string
	Log  string
	Port int
	bin  string
	// runAs is the user the server runs as ("" the current one)
	runAs string
	// missing says why no server could start (the tests then skip, or
	// fail under CI)
	missing string
	started bool
}

// Main runs a package's tests with a server started first (when it can
// be) and stopped after: call it from TestMain as
// os.Exit(pgtest.Main(m, &srv)).
func Main(m *testing.M, srv **Server) int {
	s, err := start()
	if err != nil {
		s = &Server{missing: err.Error()}
	}
	*srv = s
	code := m.Run()
	s.Stop()
	if s.Dir != "" {
		if os.Getenv("PGTEST_KEEP") == "" {
			os.RemoveAll(s.Dir)
		}
	}
	return code
}

// Need returns the server, or stops the test (failing under CI) saying
// why there is none.
func (s *Server) Need(tb testing.TB) *Server {
	tb.Helper()
	if s == nil || !s.started {
		why := "no PostgreSQL server"
		if s != nil && s.missing != "" {
			why = s.missing
		}
		testtool.Missing(tb, why+" (install Debian's postgresql package; make test installs it)")
	}
	return s
}

// URL is a connection URL for role and password on database db over
// TCP to 127.0.0.1, without TLS.
func (s *Server) URL(role, password, db string) string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", role, password, s.Port, db)
}

// Admin is the superuser's URL on database db.
func (s *Server) Admin(db string) string { return s.URL(Superuser, Password, db) }

// CreateDB makes a new database named name (a test's own).
func (s *Server) CreateDB(tb testing.TB, name string) {
	tb.Helper()
	if out, err := s.run("psql", "-h", "127.0.0.1", "-p", strconv.Itoa(s.Port), "-U", Superuser, "-d", "postgres",
		"-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database %s: %v: %s", name, err, out)
	}
}

// SQL runs statements as the superuser on database db with psql.
func (s *Server) SQL(tb testing.TB, db, statements string) string {
	tb.Helper()
	out, err := s.run("psql", "-h", "127.0.0.1", "-p", strconv.Itoa(s.Port), "-U", Superuser, "-d", db,
		"-v", "ON_ERROR_STOP=1", "-At", "-c", statements)
	if err != nil {
		tb.Fatalf("psql: %v: %s", err, out)
	}
	return strings.TrimSpace(out)
}

// Kill stops the server at once (SIGKILL to the postmaster, as a power
// cut would), leaving its files as they are.
func (s *Server) Kill(tb testing.TB) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(s.Data, "postmaster.pid"))
	if err != nil {
		tb.Fatalf("kill: %v", err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err != nil {
		tb.Fatalf("kill: %v", err)
	}
	children := childrenOf(pid)
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
	// the backends go when they find the postmaster gone; a start after
	// must wait for them
	deadline := time.Now().Add(20 * time.Second)
	for _, c := range append(children, pid) {
		for time.Now().Before(deadline) {
			if _, err := os.Stat(fmt.Sprintf("/proc/%d", c)); err != nil {
				break
			}
			if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c)); err == nil && strings.Contains(string(b), ") Z ") {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// a killed postmaster no one reaps stays a zombie, which a new one
	// takes for a server still running: the lock file goes, as an
	// administrator would remove it after a crash
	os.Remove(filepath.Join(s.Data, "postmaster.pid"))
	sock := filepath.Join(s.Dir, fmt.Sprintf(".s.PGSQL.%d", s.Port))
	os.Remove(sock)
	os.Remove(sock + ".lock")
	s.started = false
}

// Restart starts a stopped or killed server again on the same port.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	if err := s.pgctl("start"); err != nil {
		tb.Fatalf("restart: %v", err)
	}
	s.started = true
}

// Stop shuts the server down cleanly (a checkpoint first), leaving its
// files for a test to read.
func (s *Server) Stop() {
	if s == nil || !s.started {
		return
	}
	s.pgctl("stop", "-m", "fast")
	s.started = false
}

// Files are the paths of every file under the cluster's folder: its
// data directory, its WAL and its log.
func (s *Server) Files() ([]string, error) {
	var files []string
	err := filepath.WalkDir(s.Dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// childrenOf are the processes whose parent is pid.
func childrenOf(pid int) []int {
	var out []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		rest := string(b)
		if i := strings.LastIndexByte(rest, ')'); i >= 0 {
			rest = rest[i+1:]
		}
		fields := strings.Fields(rest)
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			if n, err := strconv.Atoi(filepath.Base(filepath.Dir(f))); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, errors.New("no postgres user to run the server as")
		}
		if _, err := exec.LookPath("runuser"); err != nil {
			return nil, errors.New("no runuser")
		}
		s.runAs = "postgres"
	}
	if s.Dir, err = os.MkdirTemp("", "kiosk-pg-"); err != nil {
		return nil, err
	}
	s.Data, s.Log = filepath.Join(s.Dir, "data"), filepath.Join(s.Dir, "log", "server.log")
	if err := os.MkdirAll(filepath.Dir(s.Log), 0o700); err != nil {
		return s, err
	}
	pwfile := filepath.Join(s.Dir, "pw")
	if err := os.WriteFile(pwfile, []byte(Password+"\n"), 0o600); err != nil {
		return s, err
	}
	if s.runAs != "" {
		if out, err := exec.Command("chown", "-R", s.runAs+":", s.Dir).CombinedOutput(); err != nil {
			return s, fmt.Errorf("chown: %v: %s", err, out)
		}
	}
	if out, err := s.run(filepath.Join(bin, "initdb"), "-D", s.Data, "-U", Superuser, "--pwfile", pwfile,
		"--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		return s, fmt.Errorf("initdb: %v: %s", err, out)
	}
	os.Remove(pwfile)
	if s.Port, err = freePort(); err != nil {
		return s, err
	}
	if err := s.pgctl("start"); err != nil {
		return s, err
	}
	s.started = true
	return s, nil
}

func (s *Server) pgctl(verb string, more ...string) error {
	args := []string{verb, "-D", s.Data, "-w", "-t", "60", "-l", s.Log}
	if verb == "start" {
		args = append(args, "-o", fmt.Sprintf("-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=on -c log_statement=all", s.Dir, s.Port))
	}
	args = append(args, more...)
	if out, err := s.run(filepath.Join(s.bin, "pg_ctl"), args...); err != nil {
		return fmt.Errorf("pg_ctl %s: %v: %s", verb, err, out)
	}
	return nil
}

// run runs a command as the server's user, with the superuser's
// password for psql.
func (s *Server) run(name string, args ...string) (string, error) {
	if s.runAs != "" {
		args = append([]string{"-u", s.runAs, "--", name}, args...)
		name = "runuser"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+Password)
	cmd.Dir = os.TempDir()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// binDir is where the server's programs are: pg_config's bindir, else
// the newest /usr/lib/postgresql/N/bin (Debian keeps them off PATH).
func binDir() (string, error) {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a > b
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// TLS turns TLS on with a certificate for 127.0.0.1 signed by a new CA
// of the test's, and returns the CA's certificate file (for
// sslmode=verify-full&sslrootcert=…). The server then takes TLS and
// plain connections alike, as pg_hba.conf's host lines allow.
func (s *Server) TLS(tb testing.TB) string {
	tb.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test clinic CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		tb.Fatal(err)
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	caFile := filepath.Join(tb.TempDir(), "ca.crt")
	for _, f := range []struct {
		path, kind string
		der        []byte
	}{{caFile, "CERTIFICATE", caDER}, {filepath.Join(s.Data, "server.crt"), "CERTIFICATE", leafDER}, {filepath.Join(s.Data, "server.key"), "EC PRIVATE KEY", keyDER}} {
		if err := os.WriteFile(f.path, pem.EncodeToMemory(&pem.Block{Type: f.kind, Bytes: f.der}), 0o600); err != nil {
			tb.Fatal(err)
		}
		if s.runAs != "" && f.path != caFile {
			if out, err := exec.Command("chown", s.runAs+":", f.path).CombinedOutput(); err != nil {
				tb.Fatalf("chown: %v: %s", err, out)
			}
		}
	}
	s.SQL(tb, "postgres", "ALTER SYSTEM SET ssl = on")
	s.SQL(tb, "postgres", "SELECT pg_reload_conf()")
	return caFile
}
