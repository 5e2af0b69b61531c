package sqlite

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
)

// The day each instrument was last asked of a patient: a later day
// replaces an earlier one, never the other way; a bad day or id, or no
// such patient, is refused and changes nothing.
func TestMarkAsked(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	patient, _, err := s.IssueCode(ctx, finished(t, s, "s1"), "1990-02-01", "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	asked := func() map[string]string {
		t.Helper()
		m, err := s.Asked(ctx, patient)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := asked(); len(m) != 0 {
		t.Fatalf("a new patient was asked %v", m)
	}
	for _, step := range []struct {
		day string
		ids []string
	}{{"2026-03-01", []string{"phq9", "gad7"}}, {"2026-02-20", []string{"phq9"}}, {"2026-03-15", []string{"gad7", "bam"}}} {
		if err := s.MarkAsked(ctx, patient, step.day, step.ids); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{"phq9": "2026-03-01", "gad7": "2026-03-15", "bam": "2026-03-15"}
	if m := asked(); !maps.Equal(m, want) {
		t.Errorf("asked %v, want %v", m, want)
	}
	for _, bad := range []struct {
		patient, day string
		ids          []string
		err          error
	}{
		{patient, "2026-3-15", []string{"bam"}, intakekiosk.ErrBadAsked},
		{patient, "2026-03-32", []string{"bam"}, intakekiosk.ErrBadAsked},
		{patient, "2026-03-20", []string{"Not An Id"}, intakekiosk.ErrBadAsked},
		{"no-such-patient", "2026-03-20", []string{"bam"}, ErrNoPatient},
	} {
		err := s.MarkAsked(ctx, bad.patient, bad.day, bad.ids)
		if !errors.Is(err, bad.err) {
			t.Errorf("MarkAsked(%q, %q, %v) = %v, want %v", bad.patient, bad.day, bad.ids, err, bad.err)
		}
		if bad.err == intakekiosk.ErrBadAsked && fault.KindOf(err) != fault.Invalid {
			t.Errorf("%v is not Invalid", err)
		}
	}
	if m := asked(); !maps.Equal(m, want) {
		t.Errorf("after the refusals: %v", m)
	}
}

// A check-in submitted puts its instruments on record as asked that day
// in the same commit; a screening is not a check-in; the patient's copy
// carries the days to the clinic network and bundles, and a copy merged
// in keeps each instrument's later day.
func TestCompleteCheckinAsked(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	patient, _, err := s.IssueCode(ctx, finished(t, s, "s1"), "1990-02-01", "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkAsked(ctx, patient, "2026-11-20", []string{"phq9"}); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(24 * time.Hour)
	if err := s.CreateCheckin(ctx, "c1", patient, at); err != nil {
		t.Fatal(err)
	}
	cur, err := s.Hub(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteCheckin(ctx, "c1", at.Add(5*time.Minute), "2026-11-26", []string{"sows", "bam"}); err != nil {
		t.Fatal(err)
	}
	ss, err := s.Session(ctx, "c1")
	if err != nil || ss.Status != intakekiosk.New || !ss.Completed.Equal(at.Add(5*time.Minute)) {
		t.Errorf("check-in after submit: %+v, %v", ss, err)
	}
	want := map[string]string{"phq9": "2026-11-20", "sows": "2026-11-26", "bam": "2026-11-26"}
	if m, _ := s.Asked(ctx, patient); !maps.Equal(m, want) {
		t.Errorf("asked %v, want %v", m, want)
	}
	if err := s.CreateSession(ctx, "s2", intakekiosk.Screening, at); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteCheckin(ctx, "s2", at, "2026-11-26", []string{"bam"}); err == nil {
		t.Error("a screening completed as a check-in")
	}
	if ss, _ := s.Session(ctx, "s2"); ss.Status != intakekiosk.InProgress {
		t.Errorf("the screening refused is %s", ss.Status)
	}
	// the change log has the patient with its days, for the server
	var copy *intakekiosk.SealedPatient
	if _, err := s.Changes(ctx, cur.Pushed, 100, func(c Change) error {
		if c.Item.Patient != nil && c.Item.Patient.ID == patient {
			copy = c.Item.Patient
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if copy == nil || !maps.Equal(copy.Asked, want) {
		t.Fatalf("the patient's copy in the change log: %+v", copy)
	}
	// another database with that patient asked the BAM later and the
	// PHQ-9 earlier takes only the later day
	other, _ := openTemp(t, Options{})
	clinicKey(t, other)
	there := *copy
	there.Asked = map[string]string{"phq9": "2026-11-01", "bam": "2026-12-03", "gad7": "2026-12-03"}
	for i, p := range []intakekiosk.SealedPatient{*copy, there} {
		im, err := other.Import(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Patient(ctx, p); err != nil {
			t.Fatalf("import %d: %v", i, err)
		}
		if err := im.Commit(ctx, Entry{At: t0, Actor: "Ada", Action: ActImport}); err != nil {
			t.Fatal(err)
		}
	}
	want = map[string]string{"phq9": "2026-11-20", "sows": "2026-11-26", "bam": "2026-12-03", "gad7": "2026-12-03"}
	if m, _ := other.Asked(ctx, patient); !maps.Equal(m, want) {
		t.Errorf("merged: %v, want %v", m, want)
	}
	// a copy whose days are not days is refused
	bad := *copy
	bad.Asked = map[string]string{"bam": "yesterday"}
	im, err := other.Import(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := im.Patient(ctx, bad); !errors.Is(err, intakekiosk.ErrBadAsked) {
		t.Errorf("a bad copy: %v", err)
	}
}
