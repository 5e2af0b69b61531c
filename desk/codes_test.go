package desk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
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
	testkit.LegacyCode(t, c.st.Path(), c.key, patient)
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
