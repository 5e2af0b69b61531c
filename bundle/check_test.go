package bundle

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/vault"
)

// sealedParts is a data key sealed as the vault seals one and a payload
// sealed with it.
func sealedParts(t testing.TB) (key, payload []byte) {
	t.Helper()
	ck, err := vault.NewClinicKey()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := vault.ParseRecipients(ck.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	sk, key, err := vault.NewSessionKey(rand.Reader, rs)
	if err != nil {
		t.Fatal(err)
	}
	payload, err = sk.Seal("s#0", []byte(`{"lang":"en"}`))
	if err != nil {
		t.Fatal(err)
	}
	return key, payload
}

// scryptKey is a data key sealed to a passphrase: an age file, but not
// one the vault seals a data key as.
func scryptKey(t testing.TB) []byte {
	t.Helper()
	r, err := age.NewScryptRecipient("passphrase")
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(10)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(make([]byte, 32))
	w.Close()
	return buf.Bytes()
}

// A malformed session or patient: what each case does to a well-formed
// one, and the field the refusal names.
type malformedCase struct {
	name    string
	session func(*intakekiosk.SealedSession)
	patient func(*intakekiosk.SealedPatient)
	field   string
}

func malformedCases(t testing.TB) []malformedCase {
	key, payload := sealedParts(t)
	ss := func(f func(*intakekiosk.SealedSession)) func(*intakekiosk.SealedSession) { return f }
	return []malformedCase{
		{"empty id", ss(func(s *intakekiosk.SealedSession) { s.ID = "" }), nil, "id"},
		{"NUL id", ss(func(s *intakekiosk.SealedSession) { s.ID = "\x00" }), nil, "id"},
		{"v4 session id", ss(func(s *intakekiosk.SealedSession) { s.ID = "6f1c1f8e-3c1a-4d57-9c63-2b1b5a0f8a11" }), nil, "id"},
		{"upper-case id", ss(func(s *intakekiosk.SealedSession) { s.ID = strings.ToUpper(s.ID) }), nil, "id"},
		{"braced id", ss(func(s *intakekiosk.SealedSession) { s.ID = "{" + s.ID + "}" }), nil, "id"},
		{"unknown kind", ss(func(s *intakekiosk.SealedSession) { s.Kind = "intake" }), nil, "kind"},
		{"unknown status", ss(func(s *intakekiosk.SealedSession) { s.Status = "deleted" }), nil, "status"},
		{"legacy status in version 2", ss(func(s *intakekiosk.SealedSession) { s.Status = "reviewed" }), nil, "status"},
		{"started missing", ss(func(s *intakekiosk.SealedSession) { s.Started = "" }), nil, "started"},
		{"started not the stored layout", ss(func(s *intakekiosk.SealedSession) { s.Started = "2026-11-25T10:00:00Z" }), nil, "started"},
		{"ended not a time", ss(func(s *intakekiosk.SealedSession) { s.Ended = "yesterday" }), nil, "ended"},
		{"reviewed by with NUL", ss(func(s *intakekiosk.SealedSession) { s.ReviewedBy = "Ada\x00" }), nil, "reviewed_by"},
		{"patient id not a UUID", ss(func(s *intakekiosk.SealedSession) { s.PatientID = "p1" }), nil, "patient_id"},
		{"sealed key not age", ss(func(s *intakekiosk.SealedSession) { s.SealedKey = []byte("key") }), nil, "sealed_key"},
		{"sealed key empty", ss(func(s *intakekiosk.SealedSession) { s.SealedKey = nil }), nil, "sealed_key"},
		{"sealed key cut short", ss(func(s *intakekiosk.SealedSession) { s.SealedKey = key[:len(key)-1] }), nil, "sealed_key"},
		{"sealed key to a passphrase", ss(func(s *intakekiosk.SealedSession) { s.SealedKey = scryptKey(t) }), nil, "sealed_key"},
		{"sealed key too large", ss(func(s *intakekiosk.SealedSession) {
			s.SealedKey = append(bytes.Clone(key), make([]byte, maxSealedKey)...)
		}), nil, "sealed_key"},
		{"payload of 1 MiB", ss(func(s *intakekiosk.SealedSession) { s.Records[0].Payload = append([]byte{1}, make([]byte, 1<<20)...) }), nil, "records[0].payload"},
		{"payload empty", ss(func(s *intakekiosk.SealedSession) { s.Records[0].Payload = nil }), nil, "records[0].payload"},
		{"payload shorter than nonce and tag", ss(func(s *intakekiosk.SealedSession) { s.Records[0].Payload = payload[:40] }), nil, "records[0].payload"},
		{"payload of another version", ss(func(s *intakekiosk.SealedSession) { p := bytes.Clone(payload); p[0] = 2; s.Records[0].Payload = p }), nil, "records[0].payload"},
		{"record time missing", ss(func(s *intakekiosk.SealedSession) { s.Records[0].Recorded = "" }), nil, "records[0].recorded"},
		{"writer not an id", ss(func(s *intakekiosk.SealedSession) { s.Records[0].Writer = "kiosk\x00" }), nil, "records[0].writer"},
		{"a place of the chain skipped", ss(func(s *intakekiosk.SealedSession) { s.Records[0].Seq = 2 }), nil, "records[0].seq"},
		{"too many records", ss(func(s *intakekiosk.SealedSession) {
			for len(s.Records) <= maxRecords {
				s.Records = append(s.Records, s.Records[0])
			}
		}), nil, "records"},
		{"patient id empty", nil, func(p *intakekiosk.SealedPatient) { p.ID = "" }, "id"},
		{"patient code hash short", nil, func(p *intakekiosk.SealedPatient) { p.CodeHash = []byte{9} }, "code_hash"},
		{"patient created not a time", nil, func(p *intakekiosk.SealedPatient) { p.Created = "2026-11-25" }, "created"},
		{"patient sealed key not age", nil, func(p *intakekiosk.SealedPatient) { p.SealedKey = []byte("k") }, "sealed_key"},
		{"patient asked a day that is not one", nil, func(p *intakekiosk.SealedPatient) { p.Asked = map[string]string{"bam": "2026-13-01"} }, "asked"},
		{"patient asked an instrument that is not an id", nil, func(p *intakekiosk.SealedPatient) { p.Asked = map[string]string{"BAM 7": "2026-03-01"} }, "asked"},
		{"patient payload over 64 KiB", nil, func(p *intakekiosk.SealedPatient) {
			p.Records = []intakekiosk.SealedRecord{{Recorded: p.Created, Payload: append([]byte{1}, make([]byte, maxPayload)...), Seq: 1}}
		}, "records[0].payload"},
	}
}

// wellFormed is a session and a patient as a kiosk writes them.
func wellFormed(t testing.TB) (intakekiosk.SealedSession, intakekiosk.SealedPatient) {
	key, payload := sealedParts(t)
	const at = "2026-11-25T09:00:00.000000000Z"
	return intakekiosk.SealedSession{ID: "0190c0de-0000-7000-8000-000000000001", Kind: intakekiosk.Screening, Status: intakekiosk.New,
			Started: at, Completed: at, Ended: at, Reviewed: at, ReviewedBy: "Ada", PatientID: "6f1c1f8e-3c1a-4d57-9c63-2b1b5a0f8a11",
			SealedKey: key, Records: []intakekiosk.SealedRecord{{Recorded: at, Payload: payload, Writer: "9b2f6c1e-5a4d-4e8f-8c3b-1d2e3f4a5b6c", Seq: 1}}},
		intakekiosk.SealedPatient{ID: "6f1c1f8e-3c1a-4d57-9c63-2b1b5a0f8a11", CodeHash: make([]byte, 32), SealedKey: key, Created: at,
			Asked: map[string]string{"bam": "2026-11-25", "phq9": "2026-11-18"}}
}

// Each malformed session or patient is refused naming it and its field;
// the well-formed ones (with one recipient or two) pass.
func TestCheckSealed(t *testing.T) {
	ss, p := wellFormed(t)
	if err := checkSession(&ss); err != nil {
		t.Fatalf("a well-formed session: %v", err)
	}
	if err := checkPatient(&p); err != nil {
		t.Fatalf("a well-formed patient: %v", err)
	}
	twoKeys := func() []byte { // two recipients: still well formed
		a, _ := vault.NewClinicKey()
		b, _ := vault.NewClinicKey()
		rs, _ := vault.ParseRecipients(a.PublicKey(), b.PublicKey())
		_, k, err := vault.NewSessionKey(rand.Reader, rs)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}()
	ss.SealedKey = twoKeys
	if err := checkSession(&ss); err != nil {
		t.Fatalf("a session sealed to two recipients: %v", err)
	}
	for _, tc := range malformedCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			s, p := wellFormed(t)
			var err error
			what, id := "", ""
			if tc.session != nil {
				tc.session(&s)
				err, what, id = checkSession(&s), "session", s.ID
			} else {
				tc.patient(&p)
				err, what, id = checkPatient(&p), "patient", p.ID
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v, want ErrMalformed", err)
			}
			if want := fmt.Sprintf("%s %s: field %s: ", what, quote(id), tc.field); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
			if len(err.Error()) > 300 {
				t.Errorf("error is %d bytes long", len(err.Error()))
			}
		})
	}
}

// A bundle signed by a registered site and holding a malformed session or
// patient (its last: those before it are well formed) is refused whole,
// naming the session or patient and the field, and the database is as it
// was, byte for byte.
func TestImportRefusesMalformed(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	sat := newClinic(t, "North", main)
	sat.fill(t, 6, 3)
	register(t, main, sat, "North")
	path, _ := sat.export(t, time.Time{})
	var sessions []intakekiosk.SealedSession
	var patients []intakekiosk.SealedPatient
	head, _, err := Read(mustOpen(t, path), nil, func(ss *intakekiosk.SealedSession, p *intakekiosk.SealedPatient) error {
		if ss != nil {
			sessions = append(sessions, *ss)
		} else {
			patients = append(patients, *p)
		}
		return nil
	})
	if err != nil || len(sessions) < 2 || len(patients) == 0 {
		t.Fatalf("the satellite's bundle: %d sessions, %d patients, %v", len(sessions), len(patients), err)
	}
	priv, err := sat.st.SigningKey(ctx, sat.key, now)
	if err != nil {
		t.Fatal(err)
	}
	files := func() string { // the database's files, hashed
		h := sha256.New()
		for _, f := range []string{main.path, main.path + "-wal"} {
			b, _ := os.ReadFile(f)
			h.Write(b)
		}
		return fmt.Sprintf("%x", h.Sum(nil))
	}
	for _, tc := range malformedCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			// the last one changed, its records its own
			ss, ps := slices.Clone(sessions), slices.Clone(patients)
			what, id := "session", ""
			if s := &ss[len(ss)-1]; tc.session != nil {
				s.Records = slices.Clone(s.Records)
				tc.session(s)
				id = s.ID
			} else {
				p := &ps[len(ps)-1]
				p.Records = slices.Clone(p.Records)
				tc.patient(p)
				what, id = "patient", p.ID
			}
			bad := filepath.Join(t.TempDir(), "bad.bundle")
			f, err := os.Create(bad)
			if err != nil {
				t.Fatal(err)
			}
			bw, err := NewWriter(f, Header{Site: head.Site, Recipients: head.Recipients, Created: now}, priv)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range ss {
				bw.Session(s)
			}
			for _, p := range ps {
				bw.Patient(p)
			}
			if err := bw.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			rows, bytesBefore := fingerprint(t, main.path), files()
			_, err = Import(ctx, opener(bad), main.st, "Ada", now)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Import = %v, want ErrMalformed", err)
			}
			if want := fmt.Sprintf("%s %s: field %s: ", what, quote(id), tc.field); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
			if fingerprint(t, main.path) != rows || files() != bytesBefore {
				t.Error("a refused bundle changed the database")
			}
		})
	}
	// the bundle as the satellite wrote it goes in
	if _, err := Import(ctx, opener(path), main.st, "Ada", now); err != nil {
		t.Fatalf("the well-formed bundle: %v", err)
	}
}

// A header whose words an error or the site check would repeat is
// refused first when they are not short text.
func TestCheckHeader(t *testing.T) {
	for name, h := range map[string]Header{
		"site of 1 MB":        {Site: strings.Repeat("N", 1<<20)},
		"site with NUL":       {Site: "North\x00"},
		"17 recipients":       {Site: "North", Recipients: make([]string, maxRecipients+1)},
		"a recipient of 1 MB": {Site: "North", Recipients: []string{strings.Repeat("a", 1<<20)}},
	} {
		if err := checkHeader(&h); !errors.Is(err, ErrMalformed) || len(err.Error()) > 200 {
			t.Errorf("%s: %.200v", name, err)
		}
	}
	if err := checkHeader(&Header{Site: "North clinic", Recipients: []string{"age1" + strings.Repeat("q", 58)}}); err != nil {
		t.Error(err)
	}
}

// The demo's session ids are of the form the kiosk makes, so a demo
// clinic's bundle reads.
func TestDemoSessionIDs(t *testing.T) {
	if err := checkUUID(demo.SessionID(now, "x"), 7); err != nil {
		t.Error(err)
	}
}

func mustOpen(t testing.TB, path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
