package desk_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/assets"
	"intakekiosk/desk"
	"intakekiosk/internal/testtool"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/takehome"
	"intakekiosk/trend"
)

// pdfText reads a PDF's text back with pdftotext -raw, runs of white
// space as one.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := testtool.Need(t, "pdftotext", "Debian: apt-get install poppler-utils")
	file := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-raw", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// The take-home sheet of a check-in made in Spanish is in Spanish: the
// course dated from the last dose given at the check-in, the next
// check-in of the patient's plan; the screening's (in English, before a
// plan) says to ask the front desk. Each print is on record as a print,
// the session's summary left unprinted.
func TestTakeHome(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	s := c.signIn(t, false)
	set, errs := takehome.Load([]string{"en", "es"}, takehome.Source{Name: "built-in", FS: assets.TakeHome()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	d, err := s.Open(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := s.TakeHome(ctx, d, set, "Test Clinic", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, pdf); !strings.Contains(text, "Please ask the front desk when to come back.") || strings.Contains(text, "Lopez") {
		t.Errorf("the screening's sheet: %s", text)
	}

	patient, _, err := s.GiveCode(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	plan := &trend.Plan{Start: c.now.AddDate(0, 0, -3), StartDose: 20, Percent: 10, EveryDays: 3, CheckinDays: 2}
	if err := s.SetPlan(ctx, patient, plan); err != nil {
		t.Fatal(err)
	}
	const checkin = "0190c0de-0000-7000-8000-0000000000c1"
	if err := c.st.CreateCheckin(ctx, checkin, patient, c.now); err != nil {
		t.Fatal(err)
	}
	last := c.now.Add(-30 * time.Hour)
	for _, p := range []intakekiosk.Payload{
		{Event: intakekiosk.Event{Lang: "es"}},
		{Answer: &screening.Answer{Instrument: "checkin_use", Item: "last_dose", Time: &last, At: c.now}},
	} {
		if err := c.st.Append(ctx, checkin, c.now, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.TakeHome(ctx, mustRead(t, s, checkin), set, "Test Clinic", time.UTC); !errors.Is(err, intakekiosk.ErrInProgress) {
		t.Errorf("a sheet of a check-in in progress: %v", err)
	}
	if err := c.st.Complete(ctx, checkin, c.now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	n := c.auditLen(t)
	pdf, err = s.TakeHome(ctx, mustRead(t, s, checkin), set, "Test Clinic", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	// the check-in is on Wed Nov 25 at 4 p.m.; every 2 days: Fri Nov 27.
	// A taper is under way: the days are not counted from the last dose
	for _, want := range []string{"De vuelta a casa", "Por favor, regrese el viernes 27 de noviembre", "Usted está bajando su dosis", "988", "741741", "911"} {
		if !strings.Contains(text, want) {
			t.Errorf("the check-in's sheet does not say %q: %s", want, text)
		}
	}
	if strings.Contains(text, "Usted está aquí") {
		t.Errorf("a taper's sheet is dated: %s", text)
	}
	if err := s.TakeHomePrinted(ctx, checkin, "printed on KioskPDF"); err != nil {
		t.Fatal(err)
	}
	if got := c.audit(t, n); len(got) != 1 || got[0] != "Cy Counselor "+sqlite.ActPrint+" "+checkin+" take-home sheet: printed on KioskPDF" {
		t.Errorf("audit %q", got)
	}
	if row, err := s.Row(ctx, checkin); err != nil || !row.Printed.IsZero() {
		t.Errorf("the check-in's summary counts as printed: %v, %v", row.Printed, err)
	}
	// the plan ended: no taper, the days dated, no next check-in
	plan.Ends = c.now.AddDate(0, 0, -1)
	if err := s.SetPlan(ctx, patient, plan); err != nil {
		t.Fatal(err)
	}
	pdf, err = s.TakeHome(ctx, mustRead(t, s, checkin), set, "Test Clinic", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, pdf)
	for _, want := range []string{"Usted está aquí", "Por favor, pregunte en la recepción cuándo regresar."} {
		if !strings.Contains(text, want) {
			t.Errorf("after the plan's end the sheet does not say %q: %s", want, text)
		}
	}
	s.Lock()
	if _, err := s.TakeHome(ctx, d, set, "Test Clinic", time.UTC); !errors.Is(err, desk.ErrSignedOut) {
		t.Errorf("a sheet after the lock: %v", err)
	}
	if _, err := c.signIn(t, false).TakeHome(ctx, d, &takehome.Set{}, "Test Clinic", time.UTC); !errors.Is(err, desk.ErrNoTakeHome) {
		t.Errorf("no sheet at all: %v", err)
	}
}

// mustRead reads a session back.
func mustRead(t *testing.T, s *desk.Staff, id string) review.Detail {
	t.Helper()
	d, err := s.Read(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
