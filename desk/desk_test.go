package desk_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/fhir"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// clinic is a real database with an admin and a counselor, and one
// finished screening and one still in progress.
type clinic struct {
	st   *sqlite.Store
	key  *vault.ClinicKey
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
	c := &clinic{st: st, key: key, now: now.Add(time.Hour)}
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
	if row, err := s.Row(ctx, done); err != nil || row.Printed.IsZero() || row.Reviewed.IsZero() || row.ReviewedBy != "Cy Counselor" {
		t.Errorf("after print then review: printed %v, reviewed %v by %q, %v; want both, by Cy", row.Printed, row.Reviewed, row.ReviewedBy, err)
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

// signIn signs a staff member of newClinic in (the admin or Cy).
func (c *clinic) signIn(t *testing.T, admin bool) *desk.Staff {
	t.Helper()
	name, pass := "Cy Counselor", "another long one"
	if admin {
		name, pass = testkit.Admin, testkit.Passphrase
	}
	s, err := c.desk.Unlock(context.Background(), name, pass)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// What only an administrator may do is refused to a counselor, the
// refusal on record under the counselor's name and naming what was
// asked (the same for kioskctl and staff mode), and done on record under
// the administrator's name.
func TestAdminOnly(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	gen := demo.Generator{Catalog: testkit.Catalog(t), Rand: rand.New(rand.NewPCG(1, 2))}
	tests := []struct {
		name string
		do   func(*desk.Staff) error
		// want opens the last audit entry after the administrator's
		want string
	}{
		{"change setting idle_seconds", func(s *desk.Staff) error { return s.SetSetting(ctx, "idle_seconds", "90") },
			testkit.Admin + " setting_change idle_seconds"},
		{"add staff", func(s *desk.Staff) error { return s.AddStaff(ctx, "Dee Doe", sqlite.Counselor, "a long passphrase") },
			testkit.Admin + " staff_add Dee Doe counselor"},
		{"disable staff", func(s *desk.Staff) error { return s.DisableStaff(ctx, "Dee Doe") },
			testkit.Admin + " staff_disable Dee Doe"},
		{"register a site", func(s *desk.Staff) error { return s.AddSite(ctx, "North", pub) },
			testkit.Admin + " site_add North"},
		{"demo", func(s *desk.Staff) error {
			codes, err := s.Demo(ctx, gen, 8)
			if err == nil && len(codes) == 0 {
				err = errors.New("no returning patients")
			}
			return err
		}, testkit.Admin + " demo_data  8 synthetic screenings"},
		{"purge", func(s *desk.Staff) error {
			_, err := s.Purge(ctx, c.now.AddDate(0, 0, -3))
			return err
		}, testkit.Admin + " purge  "},
	}
	counselor, admin := c.signIn(t, false), c.signIn(t, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := c.auditLen(t)
			if err := tt.do(counselor); !errors.Is(err, desk.ErrAdminOnly) || !fault.Is(fault.Permission, err) {
				t.Errorf("a counselor: %v, want ErrAdminOnly", err)
			}
			if got, want := c.audit(t, n), "Cy Counselor refused  "+tt.name; len(got) != 1 || got[0] != want {
				t.Errorf("on record after a refusal: %q, want [%q]", got, want)
			}
			n = c.auditLen(t)
			if err := tt.do(admin); err != nil {
				t.Fatalf("the administrator: %v", err)
			}
			if got := c.audit(t, n); len(got) == 0 || !strings.HasPrefix(got[len(got)-1], tt.want) {
				t.Errorf("audit after the administrator's: %q, want the last to open %q", got, tt.want)
			}
		})
	}
	admin.Lock()
	if err := admin.AddStaff(ctx, "Eve Late", sqlite.Counselor, "a long passphrase"); !errors.Is(err, desk.ErrSignedOut) {
		t.Errorf("AddStaff after Lock = %v", err)
	}
}

// The recovery key signs in as an administrator of the name given; text
// that is no key, or another clinic's key, does not.
func TestRecover(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	_, other := testkit.Store(t, sqlite.Options{})
	// as printed at setup: in groups
	grouped := func(key string) string {
		var b strings.Builder
		for i, r := range key {
			if i > 0 && i%8 == 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	tests := []struct {
		name string
		key  string
		kind fault.Kind
		is   error
	}{
		{"not a key", "AGE-SECRET-KEY-1XYZ", fault.Invalid, nil},
		{"another clinic's", other.RecoveryKey(), fault.Permission, vault.ErrNotForThisKey},
		{"this clinic's, in groups", grouped(c.key.RecoveryKey()), fault.Other, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := c.auditLen(t)
			s, err := c.desk.Recover(ctx, tt.key, "Eve Admin")
			if tt.kind != fault.Other {
				if fault.KindOf(err) != tt.kind || (tt.is != nil && !errors.Is(err, tt.is)) {
					t.Errorf("Recover = %v, want a %v error", err, tt.kind)
				}
				if got := c.audit(t, n); len(got) != 0 {
					t.Errorf("on record after a refusal: %q", got)
				}
				return
			}
			if err != nil || !s.Admin() || s.Who().Name != "Eve Admin" {
				t.Fatalf("Recover = %+v, %v", s, err)
			}
			if err := s.AddStaff(ctx, "Eve Admin", sqlite.Admin, "a new long passphrase"); err != nil {
				t.Fatal(err)
			}
			want := []string{"Eve Admin recovery_key_used", "Eve Admin staff_add Eve Admin admin"}
			if got := c.audit(t, n); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("audit %q, want %q", got, want)
			}
		})
	}
}

// Each format writes what it holds, its start on record before it
// writes, its end only when the caller says the file is in place (or
// that it failed); a bundle's sessions are then sent.
func TestExport(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		format desk.Format
		o      desk.ExportOptions
		is     error  // the refusal, else nil
		field  string // the refusal's field
		detail string // the audit entry's, after Exported
		head   string // how the file begins
	}{
		{"csv", desk.CSV, desk.ExportOptions{To: program}, nil, "", "csv, 1 sessions", "\ufeff"},
		{"identified csv, no recipient", desk.CSV, desk.ExportOptions{}, desk.ErrNoExportRecipient, "to", "", ""},
		{"fhir, no recipient", desk.FHIR, desk.ExportOptions{}, desk.ErrNoExportRecipient, "to", "", ""},
		{"csv de-identified", desk.CSV, desk.ExportOptions{Deidentified: true, Location: time.UTC}, nil, "", "csv, 1 sessions, de-identified", "\ufeff"},
		{"fhir", desk.FHIR, desk.ExportOptions{To: program}, nil, "", "fhir, 1 sessions", `{"resourceType":"Bundle"`},
		{"fhir de-identified", desk.FHIR, desk.ExportOptions{Deidentified: true}, desk.ErrOnlyCSV, "deidentified", "", ""},
		{"bundle", desk.Bundle, desk.ExportOptions{}, nil, "", "bundle, 1 sessions", `{"header"`},
		{"bundle again: nothing new", desk.Bundle, desk.ExportOptions{}, nil, "", "bundle, 0 sessions", `{"header"`},
		{"bundle since a date: sent or not", desk.Bundle, desk.ExportOptions{Since: c.now.AddDate(0, 0, -1)}, nil, "", "bundle, 1 sessions", `{"header"`},
		{"bundle de-identified", desk.Bundle, desk.ExportOptions{Deidentified: true}, desk.ErrBundleSealed, "deidentified", "", ""},
		{"no such format", desk.Format("xml"), desk.ExportOptions{}, nil, "format", "", ""},
	}
	s := c.signIn(t, false)
	// no FHIR export while the clinic has no canonical base: refused,
	// naming the setting, before anything is on record or written
	n := c.auditLen(t)
	var none bytes.Buffer
	_, err := s.Export(ctx, &none, desk.FHIR, desk.ExportOptions{To: program})
	if e, ok := errors.AsType[*fault.Error](err); !ok || e.Field != fhir.BaseSetting || !fault.Is(fault.Invalid, err) || !errors.Is(err, fhir.ErrNoBase) {
		t.Errorf("Export without fhir_base = %v, want fhir.ErrNoBase, Invalid, its field fhir_base", err)
	}
	if got := c.audit(t, n); len(got) != 0 || none.Len() > 0 {
		t.Errorf("a refused export put %q on record and wrote %d bytes", got, none.Len())
	}
	if err := c.st.SetSetting(ctx, fhir.BaseSetting, demo.FHIRBase, testkit.Admin, c.now); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := c.auditLen(t)
			var out bytes.Buffer
			x, err := s.Export(ctx, &out, tt.format, tt.o)
			if tt.field != "" {
				e, ok := errors.AsType[*fault.Error](err)
				if !ok || e.Field != tt.field || !fault.Is(fault.Invalid, err) || (tt.is != nil && !errors.Is(err, tt.is)) {
					t.Errorf("Export = %v, want an Invalid %s", err, tt.field)
				}
				return
			}
			if err != nil || !strings.HasPrefix(out.String(), tt.head) {
				t.Fatalf("Export = %v; the file opens %.30q, want %q", err, out.String(), tt.head)
			}
			started := "Cy Counselor export  " + string(tt.format) + " started" // no target
			if tt.o.Deidentified {
				started = "Cy Counselor export  " + string(tt.format) + ", de-identified, started"
			}
			if got := c.audit(t, n); len(got) != 1 || got[0] != started {
				t.Errorf("on record before Exported: %q, want %q", got, started)
			}
			if err := s.Exported(ctx, x); err != nil {
				t.Fatal(err)
			}
			want := []string{started, "Cy Counselor export  " + tt.detail}
			if got := c.audit(t, n); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("audit %q, want %q", got, want)
			}
		})
	}
	n = c.auditLen(t)
	if err := s.ExportFailed(ctx, desk.CSV, true, &fault.Error{Kind: fault.Full, Err: errors.New("no space left")}); err != nil {
		t.Fatal(err)
	}
	if got := c.audit(t, n); len(got) != 1 || got[0] != "Cy Counselor export  csv, de-identified, failed (full)" {
		t.Errorf("ExportFailed put %q on record", got)
	}
	s.Lock()
	if _, err := s.Export(ctx, &bytes.Buffer{}, desk.CSV, desk.ExportOptions{}); !errors.Is(err, desk.ErrSignedOut) {
		t.Errorf("Export after Lock = %v", err)
	}
}

// Verify opens every sealed record, sessions' and patients', and puts
// the check on record.
func TestVerify(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	s := c.signIn(t, false)
	tests := []struct {
		name  string
		setUp func() error
		want  desk.Verified
	}{
		{"two sessions", func() error { return nil }, desk.Verified{Sessions: 2, Records: 2}},
		{"a returning patient", func() error {
			_, _, err := s.GiveCode(ctx, done)
			return err
		}, desk.Verified{Sessions: 2, Records: 2, Patients: 1}},
		{"a note", func() error { return s.Note(ctx, done, "called back") }, desk.Verified{Sessions: 2, Records: 3, Patients: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.setUp(); err != nil {
				t.Fatal(err)
			}
			n := c.auditLen(t)
			v, err := s.Verify(ctx)
			if err != nil || !reflect.DeepEqual(v, tt.want) || !v.OK() {
				t.Errorf("Verify = %+v, %v; want %+v", v, err, tt.want)
			}
			if got := c.audit(t, n); len(got) != 1 || got[0] != "Cy Counselor verify_records  2 sessions opened" {
				t.Errorf("audit %q", got)
			}
		})
	}
}

// The site's signing key is made once; a read of codes is on record
// once, each patient's code read once.
func TestSiteKeyAndCodes(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	s := c.signIn(t, false)
	first, err := s.SiteKey(ctx)
	if err != nil || len(first) != ed25519.PublicKeySize {
		t.Fatalf("SiteKey = %x, %v", first, err)
	}
	if again, err := s.SiteKey(ctx); err != nil || !bytes.Equal(again, first) {
		t.Errorf("SiteKey again = %x, %v; want %x", again, err, first)
	}
	// the clinic's day: 15:00 UTC on the 25th is the 26th at Kiritimati
	if err := c.st.SetSetting(ctx, "time_zone", "Pacific/Kiritimati", testkit.Admin, c.now); err != nil {
		t.Fatal(err)
	}
	patient, code, err := s.GiveCode(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	// the screening's instruments the schedule times count as asked on
	// its day in the clinic's zone; the ones of every check-in and the
	// BAM, which no screening asks, do not
	if asked, err := c.st.Asked(ctx, patient); err != nil || fmt.Sprint(asked) != "map[gad7:2026-11-26 phq9:2026-11-26]" {
		t.Errorf("asked at the screening: %v, %v", asked, err)
	}
	n := c.auditLen(t)
	codes, err := s.Codes(ctx, "session list with check-in codes")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, patient, want string
		fails               bool
	}{
		{"the patient", patient, code, false},
		{"the patient again", patient, code, false},
		{"no such patient", "no-such-patient", "", true},
		{"no such patient again: said once", "no-such-patient", "", false},
	}
	for _, tt := range tests {
		got, err := codes.Of(ctx, tt.patient)
		if got != tt.want || (err != nil) != tt.fails {
			t.Errorf("%s: Of = %q, %v; want %q (failing: %v)", tt.name, got, err, tt.want, tt.fails)
		}
	}
	if got := c.audit(t, n); len(got) != 1 || got[0] != "Cy Counselor queue_read  session list with check-in codes" {
		t.Errorf("audit %q", got)
	}
	s.Lock()
	if _, err := s.Codes(ctx, "after the lock"); !errors.Is(err, desk.ErrSignedOut) {
		t.Errorf("Codes after Lock = %v", err)
	}
}

// signInTries are a staff member's name with a wrong passphrase, a name
// that is no staff member's and a disabled account, each tried again and
// again (the case of the name changing, as a guesser may type it).
var signInTries = []struct {
	what  string
	names [2]string
	pass  string
}{
	{"wrong passphrase", [2]string{"Cy Counselor", "cy counselor"}, "not the passphrase"},
	{"unknown name", [2]string{"Zed Nobody", "ZED NOBODY"}, "not the passphrase"},
	{"disabled account", [2]string{"Dee Doe", "dee doe"}, "another long one"},
}

// At every try, 1 to 7 (the fifth locks), a wrong passphrase, a name that
// is no staff member's and a disabled account get the same error, in
// kind and in words.
func TestSignInNamesLookAlike(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	if err := c.st.AddStaff(ctx, "Dee Doe", sqlite.Counselor, "another long one", c.key, testkit.Admin, c.now); err != nil {
		t.Fatal(err)
	}
	if err := c.st.DisableStaff(ctx, "Dee Doe", testkit.Admin, c.now); err != nil {
		t.Fatal(err)
	}
	for try := 1; try <= 7; try++ {
		var words []string
		for _, g := range signInTries {
			_, err := c.desk.Unlock(ctx, g.names[try%2], g.pass)
			if err == nil {
				t.Fatalf("try %d, %s: signed in", try, g.what)
			}
			locked := errors.Is(err, sqlite.ErrLockedOut)
			if want := try >= 5; locked != want || !locked && !errors.Is(err, desk.ErrWrongSignIn) || !fault.Is(fault.Permission, err) {
				t.Errorf("try %d, %s: %v (kind %v), want locked %v", try, g.what, err, fault.KindOf(err), want)
			}
			words = append(words, err.Error())
		}
		for i, w := range words[1:] {
			if w != words[0] {
				t.Errorf("try %d: %s says %q, %s says %q", try, signInTries[i+1].what, w, signInTries[0].what, words[0])
			}
		}
	}
}

// With the real work factor, the reply to a name that is no staff
// member's and to a staff member's name with a wrong passphrase each take
// at least a key derivation's time at every try, locked out (from the
// fifth) or not: a try that skips it (7 ms instead of 0.4 s) tells the
// two apart. (A busy machine makes replies slower, never faster, so the
// bound is the quickest derivation measured here; that each try spends
// exactly one is sqlite's TestNamesLookAlikeAtEveryTry.)
func TestSignInNamesTakeAlike(t *testing.T) {
	if testing.Short() {
		t.Skip("real scrypt work factor: about 5 s")
	}
	st, _ := testkit.Store(t, sqlite.Options{WorkFactor: vault.WorkFactor})
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	d := desk.New(st, nil, func() time.Time { return now })
	ctx := context.Background()
	// one bare derivation measured beside each try: the quickest of
	// them is the bound, taken at the machine's least busy moment
	derivation := time.Hour
	stretch := func() {
		start := time.Now()
		if _, err := vault.Stretch("Zed Nobody", make([]byte, 32), vault.WorkFactor); err != nil {
			t.Fatal(err)
		}
		derivation = min(derivation, time.Since(start))
	}
	var took [8][2]time.Duration
	for try := 1; try <= 7; try++ {
		stretch()
		for i, name := range []string{testkit.Admin, "Zed Nobody"} {
			start := time.Now()
			if _, err := d.Unlock(ctx, name, "not the passphrase"); err == nil {
				t.Fatal("signed in")
			}
			took[try][i] = time.Since(start)
		}
	}
	for try := 1; try <= 7; try++ {
		staff, unknown := took[try][0], took[try][1]
		t.Logf("try %d: staff name %v, unknown name %v (one derivation: %v)", try,
			staff.Round(time.Millisecond), unknown.Round(time.Millisecond), derivation.Round(time.Millisecond))
		if min(staff, unknown) < derivation/4 {
			t.Errorf("try %d: staff name %v, unknown name %v, a derivation %v: told apart by time", try, staff, unknown, derivation)
		}
	}
}

// Any staff member signed in answers an urgent session's alert, at the
// desk's time and under their name, once; the alerts are the urgent
// sessions not yet reviewed of the last AlertWindow.
func TestAcknowledgeAndAlerts(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	for _, id := range []string{ongoing, done} {
		if err := c.st.Raise(ctx, id, intakekiosk.Urgent); err != nil {
			t.Fatal(err)
		}
	}
	cy, admin := c.signIn(t, false), c.signIn(t, true)
	ids := func(list []intakekiosk.Session) []string {
		var out []string
		for _, s := range list {
			out = append(out, s.ID+" "+s.AckedBy)
		}
		return out
	}
	alerts, err := cy.Alerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(alerts), []string{done + " ", ongoing + " "}; !reflect.DeepEqual(got, want) {
		t.Errorf("alerts %q, want %q", got, want)
	}
	n := c.auditLen(t)
	at := c.now
	if err := cy.Acknowledge(ctx, ongoing); err != nil {
		t.Fatal(err)
	}
	c.now = c.now.Add(time.Minute)
	if err := admin.Acknowledge(ctx, ongoing); err != nil {
		t.Fatal(err)
	}
	if err := admin.Reviewed(ctx, done); err != nil {
		t.Fatal(err)
	}
	alerts, err = admin.Alerts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(alerts), []string{ongoing + " Cy Counselor"}; !reflect.DeepEqual(got, want) || !alerts[0].Acked.Equal(at) {
		t.Errorf("alerts after an answer and a review %q (acked %v), want %q at %v", got, alerts[0].Acked, want, at)
	}
	want := []string{"Cy Counselor alert_acknowledged " + ongoing, testkit.Admin + " mark_reviewed " + done}
	if got := c.audit(t, n); !reflect.DeepEqual(got, want) {
		t.Errorf("audit %q, want %q", got, want)
	}
	c.now = c.now.Add(desk.AlertWindow)
	if alerts, err := admin.Alerts(ctx); err != nil || len(alerts) != 0 {
		t.Errorf("alerts a day later: %q, %v; want none", ids(alerts), err)
	}
	cy.Lock()
	if err := cy.Acknowledge(ctx, ongoing); !errors.Is(err, desk.ErrSignedOut) {
		t.Errorf("Acknowledge after Lock = %v", err)
	}
	if _, err := cy.Alerts(ctx); !errors.Is(err, desk.ErrSignedOut) {
		t.Errorf("Alerts after Lock = %v", err)
	}
}
