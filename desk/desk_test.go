package desk_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

// clinic is a real database with an admin and a counselor, and one
// finished screening and one still in progress.
type clinic struct {
	st   *sqlite.Store
	desk *desk.Desk
	now  time.Time
}

const (
	done    = "0190c0de-0000-7000-8000-000000000001"
	ongoing = "0190c0de-0000-7000-8000-000000000002"
)

func newClinic(t *testing.T) *clinic {
	t.Helper()
	ctx := context.Background()
	st, key := testkit.Store(t, sqlite.Options{})
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	if err := st.AddStaff(ctx, "Cy Counselor", sqlite.Counselor, "another long one", key, testkit.Admin, now); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{done, ongoing} {
		if err := st.CreateSession(ctx, id, intakekiosk.Screening, now); err != nil {
			t.Fatal(err)
		}
		if err := st.Append(ctx, id, now, intakekiosk.Payload{Identity: &screening.Identity{First: "Maria", Last: "Lopez", Birth: "1990-04-02"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Complete(ctx, done, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	c := &clinic{st: st, now: now.Add(time.Hour)}
	c.desk = desk.New(st, testkit.Catalog(t), func() time.Time { return c.now })
	return c
}

// audit is the audit log's actions since entry n, as "action target detail".
func (c *clinic) audit(t *testing.T, n int) []string {
	t.Helper()
	log, err := c.st.AuditLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range log[n:] {
		out = append(out, strings.TrimSpace(e.Actor+" "+e.Action+" "+e.Target+" "+e.Detail))
	}
	return out
}

func (c *clinic) auditLen(t *testing.T) int { return len(c.audit(t, 0)) }

func TestSignInNeverSaysWhichWasWrong(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	for _, tt := range []struct{ name, pass string }{{"Nobody", testkit.Passphrase}, {testkit.Admin, "wrong passphrase"}} {
		_, err := c.desk.Unlock(ctx, tt.name, tt.pass)
		if !errors.Is(err, desk.ErrWrongSignIn) || !fault.Is(fault.Permission, err) {
			t.Errorf("Unlock(%q) = %v, want ErrWrongSignIn", tt.name, err)
		}
	}
	if s, err := c.desk.Unlock(ctx, "Cy Counselor", "another long one"); err != nil || s.Who().Name != "Cy Counselor" || s.Admin() {
		t.Fatalf("counselor sign-in: %v", err)
	}
}

// One policy for the staff screens and kioskctl: each view and each
// print on record under the staff member's name, the status only
// forward, and nothing after the lock.
func TestStaffPolicy(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	s, err := c.desk.Unlock(ctx, "Cy Counselor", "another long one")
	if err != nil {
		t.Fatal(err)
	}
	n := c.auditLen(t)
	d, err := s.Open(ctx, done)
	if err != nil || d.Identity.Last != "Lopez" {
		t.Fatalf("Open = %+v, %v", d.Identity, err)
	}
	var pdf bytes.Buffer
	if err := s.Summary(&pdf, d, "Test Clinic", time.UTC); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Fatalf("Summary: %v", err)
	}
	if err := s.Printed(ctx, done, "printed on KioskPDF, job 7"); err != nil {
		t.Fatal(err)
	}
	if err := s.Reviewed(ctx, done); err != nil {
		t.Fatal(err)
	}
	if row, err := s.Row(ctx, done); err != nil || row.Status != intakekiosk.Printed {
		t.Errorf("status after print then review = %v, %v; want printed (never back)", row.Status, err)
	}
	want := []string{
		"Cy Counselor view_session " + done,
		"Cy Counselor print " + done + " printed on KioskPDF, job 7",
		"Cy Counselor mark_reviewed " + done,
	}
	if got := c.audit(t, n); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	for _, tt := range []struct {
		text string
		want error
	}{{"  \n", desk.ErrEmptyNote}, {strings.Repeat("x", sqlite.MaxNoteLen+1), desk.ErrLongNote}} {
		if err := s.Note(ctx, done, tt.text); !errors.Is(err, tt.want) || !fault.Is(fault.Invalid, err) {
			t.Errorf("Note(%d characters) = %v, want %v", len(tt.text), err, tt.want)
		}
	}
	if err := s.Note(ctx, done, "called her sister"); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Read(ctx, done); err != nil || len(d.Notes) != 1 || d.Notes[0].By != "Cy Counselor" {
		t.Errorf("notes read back = %+v, %v", d.Notes, err)
	}

	ongoingDetail, err := s.Open(ctx, ongoing)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Summary(&pdf, ongoingDetail, "Test Clinic", time.UTC); !errors.Is(err, intakekiosk.ErrInProgress) {
		t.Errorf("summary of a session in progress: %v", err)
	}
	if err := s.SetSetting(ctx, "clinic_name", "Elsewhere"); !errors.Is(err, desk.ErrAdminOnly) {
		t.Errorf("a counselor changing a setting: %v", err)
	}

	s.Lock()
	n = c.auditLen(t)
	if _, err := s.Open(ctx, done); !errors.Is(err, desk.ErrSignedOut) {
		t.Errorf("Open after Lock = %v", err)
	}
	if err := s.Printed(ctx, done, "printed"); !errors.Is(err, desk.ErrSignedOut) {
		t.Errorf("Printed after Lock = %v", err)
	}
	if got := c.audit(t, n); len(got) != 0 {
		t.Errorf("on record after the lock: %q", got)
	}
}
