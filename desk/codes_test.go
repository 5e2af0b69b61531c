package desk_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// A code is made with the date of birth the screening holds: it checks
// in with that date and no other. A screening without a date of birth
// gets no code, nor does one in progress.
func TestGiveCodeWithBirth(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	s := c.signIn(t, false)
	patient, code, err := s.GiveCode(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.st.MatchCheckin(ctx, code, "1990-04-02", c.now, time.UTC); err != nil || got != patient {
		t.Errorf("the code with the screening's date: %q, %v", got, err)
	}
	if _, err := c.st.MatchCheckin(ctx, code, "1990-04-03", c.now, time.UTC); !errors.Is(err, sqlite.ErrCodeNotFound) {
		t.Errorf("the code with another date: %v", err)
	}
	if _, _, err := s.GiveCode(ctx, ongoing); !errors.Is(err, intakekiosk.ErrInProgress) {
		t.Errorf("a code for a screening in progress: %v", err)
	}
	const nobirth = "0190c0de-0000-7000-8000-000000000003"
	if err := c.st.CreateSession(ctx, nobirth, intakekiosk.Screening, c.now); err != nil {
		t.Fatal(err)
	}
	if err := c.st.Append(ctx, nobirth, c.now, intakekiosk.Payload{Identity: &screening.Identity{First: "Noa", Last: "Paz"}}); err != nil {
		t.Fatal(err)
	}
	if err := c.st.Complete(ctx, nobirth, c.now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.GiveCode(ctx, nobirth); !errors.Is(err, desk.ErrNoBirth) {
		t.Errorf("a code for a screening without a date of birth: %v", err)
	}
}

// A code issued before check-ins asked the date of birth shows as one to
// reissue; New code makes one with the date of birth of the screening it
// was linked to, and the patient no longer needs one.
func TestReplaceLegacyCode(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	s := c.signIn(t, false)
	patient, old, err := s.GiveCode(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.Patient(ctx, patient); err != nil || p.Reissue {
		t.Fatalf("a code made with the date of birth: reissue %v, %v", p.Reissue, err)
	}
	codeOfBefore(t, c.st.Path())
	p, err := s.Patient(ctx, patient)
	if err != nil || !p.Reissue || p.Code != old {
		t.Fatalf("a code of before: reissue %v, code %q, %v", p.Reissue, p.Code, err)
	}
	if _, err := c.st.MatchCheckin(ctx, old, "1990-04-02", c.now, time.UTC); !errors.Is(err, sqlite.ErrCodeReissue) {
		t.Errorf("the code of before at the kiosk: %v", err)
	}
	code, err := s.ReplaceCode(ctx, patient)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.st.MatchCheckin(ctx, code, "1990-04-02", c.now, time.UTC); err != nil || got != patient {
		t.Errorf("the new code: %q, %v", got, err)
	}
	if p, err := s.Patient(ctx, patient); err != nil || p.Reissue || p.Code != code {
		t.Errorf("after New code: reissue %v, code %q, %v", p.Reissue, p.Code, err)
	}
	// a code replaced again keeps the date of birth of the one in force
	again, err := s.ReplaceCode(ctx, patient)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.st.MatchCheckin(ctx, again, "1990-04-02", c.now, time.UTC); err != nil || got != patient {
		t.Errorf("a code replaced twice: %q, %v", got, err)
	}
}

// codeOfBefore makes the patients' codes in the database at path codes of
// a release before check-ins asked the date of birth: no check-in hash
// nor box, as that release left them.
func codeOfBefore(tb testing.TB, path string) {
	tb.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE patients SET birth_hash = NULL, checkin_sealed = NULL"); err != nil {
		tb.Fatal(err)
	}
}

// A patient of a release before check-ins asked the date of birth (their
// code record holds none, as an older satellite's bundle brings it): New
// code takes the date of birth of the screening the code was linked to.
func TestReplaceCodeOfOlderRelease(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	recipients, err := c.st.Recipients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	to, err := vault.ParseRecipients(recipients...)
	if err != nil {
		t.Fatal(err)
	}
	dataKey, sealedKey, err := vault.NewSessionKey(rand.Reader, to)
	if err != nil {
		t.Fatal(err)
	}
	patient := uuid.NewString()
	// the record as that release sealed it: code and screening, no date
	// of birth; the legacy chain's binding
	plain, _ := json.Marshal(map[string]string{"code": "K7QM2XPA", "screening": done, "by": "Old Desk"})
	payload, err := dataKey.Seal("patient:"+patient+"#1", plain)
	if err != nil {
		t.Fatal(err)
	}
	recorded := c.now.UTC().Format("2006-01-02T15:04:05.000000000Z")
	im, err := c.st.Import(ctx, "North")
	if err != nil {
		t.Fatal(err)
	}
	code := make([]byte, 32)
	rand.Read(code)
	err = im.Patient(ctx, intakekiosk.SealedPatient{ID: patient, CodeHash: code, SealedKey: sealedKey, Created: recorded,
		Records: []intakekiosk.SealedRecord{{Recorded: recorded, Payload: payload, Writer: intakekiosk.LegacyWriter, Seq: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Commit(ctx, sqlite.Entry{At: c.now, Actor: testkit.Admin, Action: sqlite.ActImport, Detail: "older release"}); err != nil {
		t.Fatal(err)
	}
	s := c.signIn(t, false)
	if p, err := s.Patient(ctx, patient); err != nil || !p.Reissue || p.Code != "K7QM2XPA" {
		t.Fatalf("the older release's patient: reissue %v, code %q, %v", p.Reissue, p.Code, err)
	}
	newCode, err := s.ReplaceCode(ctx, patient)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.st.MatchCheckin(ctx, newCode, "1990-04-02", c.now, time.UTC); err != nil || got != patient {
		t.Errorf("the new code with the screening's date of birth: %q, %v", got, err)
	}
}
