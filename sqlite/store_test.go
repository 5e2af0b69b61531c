package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/vault"
)

var t0 = time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)

// testWorkFactor keeps passphrase wrapping quick in tests.
const testWorkFactor = 10

// openTemp opens a new database in a temporary folder and sets it up with
// an admin "Ada" (passphrase "correct horse battery").
func openTemp(t testing.TB, opt Options) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	opt.WorkFactor = testWorkFactor
	s, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.SetUp(context.Background(), "Ada", "correct horse battery", t0); err != nil {
		t.Fatal(err)
	}
	return s, path
}

// clinicKey unlocks the clinic key as Ada.
func clinicKey(t testing.TB, s *Store) *vault.ClinicKey {
	t.Helper()
	k, _, err := s.Unlock(context.Background(), "Ada", "correct horse battery", t0)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSessionRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	if err := s.CreateSession(ctx, "s1", intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	n := 2.5
	payloads := []intakekiosk.Payload{
		{Identity: &screening.Identity{First: "José", Last: "Núñez", Birth: "1985-03-07"}},
		{Answer: &screening.Answer{Instrument: "phq9", Item: "1", Choice: "2", At: t0}},
		{Answer: &screening.Answer{Instrument: "kratom", Item: "grams_per_day", Number: &n, At: t0}},
		{Event: intakekiosk.Event{Help: true}},
	}
	for i, p := range payloads {
		if err := s.Append(ctx, "s1", t0.Add(time.Duration(i)*time.Second), p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Raise(ctx, "s1", intakekiosk.Urgent); err != nil {
		t.Fatal(err)
	}
	if err := s.Complete(ctx, "s1", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	recs, err := s2.Records(ctx, "s1", clinicKey(t, s2))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(payloads) {
		t.Fatalf("got %d records, want %d", len(recs), len(payloads))
	}
	if got := recs[0].Identity.Last; got != "Núñez" {
		t.Errorf("identity last = %q", got)
	}
	if got := *recs[2].Answer.Number; got != 2.5 {
		t.Errorf("number = %v", got)
	}
	if !recs[3].Event.Help || !recs[3].Recorded.Equal(t0.Add(3*time.Second)) {
		t.Errorf("event record = %+v", recs[3])
	}
	ss, err := s2.Session(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if ss.Status != intakekiosk.New || !ss.Urgent || !ss.Completed.Equal(t0.Add(time.Minute)) || ss.Kind != intakekiosk.Screening {
		t.Errorf("session = %+v", ss)
	}
}

func TestUnknownSession(t *testing.T) {
	s, _ := openTemp(t, Options{})
	ctx := context.Background()
	for name, err := range map[string]error{
		"urgent":    s.Raise(ctx, "nope", intakekiosk.Urgent),
		"attention": s.Raise(ctx, "nope", intakekiosk.NeedsAttention),
		"complete":  s.Complete(ctx, "nope", t0),
		"abandon":   s.Abandon(ctx, "nope", t0),
	} {
		if !errors.Is(err, ErrNoSession) {
			t.Errorf("%s: err = %v, want ErrNoSession", name, err)
		}
	}
	if _, err := s.Session(ctx, "nope"); !errors.Is(err, ErrNoSession) {
		t.Errorf("Session: %v", err)
	}
	if err := s.Append(ctx, "nope", t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}); err == nil {
		t.Error("Append to a missing session succeeded (foreign keys off?)")
	}
}

func TestRecoverInterrupted(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	for _, id := range []string{"a", "b", "c"} {
		if err := s.CreateSession(ctx, id, intakekiosk.Screening, t0); err != nil {
			t.Fatal(err)
		}
	}
	s.Append(ctx, "a", t0.Add(5*time.Minute), intakekiosk.Payload{Event: intakekiosk.Event{Help: true}})
	s.Complete(ctx, "c", t0.Add(time.Hour))
	n, err := s.RecoverInterrupted(ctx)
	if err != nil || n != 2 {
		t.Fatalf("recovered %d, %v; want 2", n, err)
	}
	a, _ := s.Session(ctx, "a")
	b, _ := s.Session(ctx, "b")
	c, _ := s.Session(ctx, "c")
	if a.Status != intakekiosk.Incomplete || !a.Ended.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("a = %+v", a)
	}
	if b.Status != intakekiosk.Incomplete || !b.Ended.Equal(t0) {
		t.Errorf("b = %+v", b)
	}
	if c.Status != intakekiosk.New {
		t.Errorf("c = %+v", c)
	}
	list, err := s.Sessions(ctx, Filter{Standing: intakekiosk.StandingIncomplete})
	if err != nil || len(list) != 2 {
		t.Errorf("incomplete list = %v, %v", list, err)
	}
}

func TestSessionsFilterAndOrder(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	for i, id := range []string{"old", "mid", "new"} {
		if err := s.CreateSession(ctx, id, intakekiosk.Screening, t0.Add(time.Duration(i)*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		f    Filter
		want []string
	}{
		{Filter{}, []string{"new", "mid", "old"}},
		{Filter{Since: t0.Add(24 * time.Hour)}, []string{"new", "mid"}},
		{Filter{Until: t0.Add(24 * time.Hour)}, []string{"old"}},
		{Filter{Standing: intakekiosk.StandingNew}, nil},
		{Filter{Standing: intakekiosk.StandingInProgress}, []string{"new", "mid", "old"}},
		{Filter{Kind: intakekiosk.Checkin}, nil},
	}
	for _, tt := range tests {
		got, err := s.Sessions(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, g := range got {
			ids = append(ids, g.ID)
		}
		if len(ids) != len(tt.want) || (len(ids) > 0 && ids[0] != tt.want[0]) {
			t.Errorf("filter %+v: got %v want %v", tt.f, ids, tt.want)
		}
	}
}

// A file that is not a kiosk database is refused and left byte for byte.
func TestOpenRefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 500), 0o600)

	foreign := filepath.Join(dir, "foreign.db")
	db, _ := sql.Open("sqlite3", foreign)
	db.Exec("CREATE TABLE invoices (id INTEGER)")
	db.Close()

	newer := filepath.Join(dir, "newer.db")
	s, err := Open(ctx, newer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec("PRAGMA user_version = 99")
	s.Close()

	damaged := filepath.Join(dir, "damaged.db")
	s, _ = Open(ctx, damaged, Options{WorkFactor: testWorkFactor})
	s.SetUp(ctx, "Ada", "correct horse battery", t0)
	for i := 0; i < 200; i++ {
		s.CreateSession(ctx, string(rune('a'+i%26))+time.Duration(i).String(), intakekiosk.Screening, t0)
	}
	s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	s.Close()
	data, _ := os.ReadFile(damaged)
	for i := 4096 + 100; i < len(data) && i < 4096*3; i++ {
		data[i] ^= 0x5A
	}
	os.WriteFile(damaged, data, 0o600)

	tests := []struct {
		path string
		want error
	}{
		{garbage, ErrCorrupt},
		{foreign, ErrCorrupt},
		{newer, ErrTooNew},
		{damaged, ErrCorrupt},
	}
	for _, tt := range tests {
		before, _ := os.ReadFile(tt.path)
		_, err := Open(ctx, tt.path, Options{})
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", filepath.Base(tt.path), err, tt.want)
			continue
		}
		if !bytes.Contains([]byte(err.Error()), []byte(tt.path)) {
			t.Errorf("%s: error does not name the file: %v", tt.path, err)
		}
		after, _ := os.ReadFile(tt.path)
		if !bytes.Equal(before, after) {
			t.Errorf("%s: file changed after a refused open", filepath.Base(tt.path))
		}
	}
}

func TestSecondKioskIsRefused(t *testing.T) {
	s, path := openTemp(t, Options{Exclusive: true})
	_, err := Open(context.Background(), path, Options{Exclusive: true})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second kiosk: err = %v, want ErrLocked", err)
	}
	// kioskctl (not exclusive) may still read while the kiosk runs.
	ro, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("admin open while kiosk runs: %v", err)
	}
	ro.Close()
	s.Close()
	again, err := Open(context.Background(), path, Options{Exclusive: true})
	if err != nil {
		t.Fatalf("reopen after close: %v", err)
	}
	again.Close()
}

// A full disk fails the write with ErrFull and loses nothing already saved.
func TestFullDisk(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{MaxPages: 12})
	if err := s.CreateSession(ctx, "s", intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	big := string(bytes.Repeat([]byte("x"), 3000))
	saved := 0
	var err error
	for i := 0; i < 100; i++ {
		err = s.Append(ctx, "s", t0, intakekiosk.Payload{Answer: &screening.Answer{Instrument: "kratom", Item: "medicines", Text: big}})
		if err != nil {
			break
		}
		saved++
	}
	if !errors.Is(err, ErrFull) {
		t.Fatalf("err = %v, want ErrFull", err)
	}
	s.Close()
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	recs, err := s2.Records(ctx, "s", clinicKey(t, s2))
	if err != nil || len(recs) != saved {
		t.Fatalf("after full disk: %d records, %v; want %d", len(recs), err, saved)
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	if v, _ := s.Setting(ctx, "idle_seconds"); v != "60" {
		t.Errorf("default idle_seconds = %q", v)
	}
	bad := []struct{ k, v string }{
		{"idle_seconds", "0"}, {"idle_seconds", "ten"}, {"staff_lock_seconds", "5"}, {"retention_days", "-1"},
		{"clinic_name", "two\nlines"}, {"enabled_instruments", "phq9,Bad Id"}, {"no_such", "1"},
		{"printer", "Front Desk"}, {"printer", "a/b"}, {"printer", "q#1"},
	}
	for _, b := range bad {
		if err := s.SetSetting(ctx, b.k, b.v, "Ada", t0); err == nil {
			t.Errorf("SetSetting(%s, %q) accepted", b.k, b.v)
		}
	}
	for k, v := range map[string]string{"idle_seconds": "90", "idle_countdown_seconds": "15", "staff_lock_seconds": "300", "retention_days": "730",
		"enabled_instruments": "phq9, gad7", "clinic_name": "Clínica Esperanza", "printer": "Front_Desk-HP"} {
		if err := s.SetSetting(ctx, k, v, "Ada", t0); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Idle != 90*time.Second || got.IdleCountdown != 15*time.Second || got.StaffLock != 5*time.Minute || got.Retention != 730*24*time.Hour ||
		len(got.Enabled) != 2 || got.Enabled[1] != "gad7" || got.ClinicName != "Clínica Esperanza" || got.Printer != "Front_Desk-HP" {
		t.Errorf("settings = %+v", got)
	}
}

// The database and its -wal and -shm files (which hold patient records
// until a checkpoint) are readable by their owner only, whatever the umask.
func TestDatabaseFilesArePrivate(t *testing.T) {
	s, path := openTemp(t, Options{})
	if err := s.CreateSession(context.Background(), "s", intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v: readable by others", filepath.Base(p), fi.Mode().Perm())
		}
	}
}

// Instants sort as text in time order, down to the nanosecond, so that
// the newest session is first even within one second.
func TestOrderWithinASecond(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for i, off := range []time.Duration{0, 100 * time.Millisecond, 90 * time.Millisecond, time.Nanosecond} {
		if err := s.CreateSession(ctx, string(rune('a'+i)), intakekiosk.Screening, base.Add(off)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Sessions(ctx, Filter{Since: base.Add(time.Nanosecond)})
	if err != nil {
		t.Fatal(err)
	}
	var ids string
	for _, g := range got {
		ids += g.ID
	}
	if ids != "bcd" {
		t.Errorf("order = %q, want bcd", ids)
	}
}

// A concern is only raised: attention and urgent are each kept, and
// raising attention after urgent keeps both.
func TestRaise(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	s.CreateSession(ctx, "s", intakekiosk.Screening, t0)
	for _, c := range []intakekiosk.Concern{intakekiosk.NeedsAttention, intakekiosk.Calm, intakekiosk.Urgent, intakekiosk.NeedsAttention} {
		if err := s.Raise(ctx, "s", c); err != nil {
			t.Fatal(err)
		}
	}
	if ss, _ := s.Session(ctx, "s"); !ss.Urgent || !ss.Attention || ss.Concern() != intakekiosk.Urgent {
		t.Errorf("urgent %v, attention %v", ss.Urgent, ss.Attention)
	}
}
