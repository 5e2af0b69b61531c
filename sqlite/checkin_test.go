package sqlite

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"intakekiosk/trend"
)

// testBirth is the date of birth finished() gives a screening, which the
// tests issue codes with.
const testBirth = "1990-02-01"

// birthForms are the ways testBirth could be written on disk.
var birthForms = []string{testBirth, "19900201", "02/01/1990", "2/1/1990", "1990-2-1"}

// A check-in matches the code and the date of birth together: the right
// date gives the patient; a wrong one is ErrCodeNotFound, exactly as a
// wrong code, counted the same, so after codeFreeTries of them, wrong
// codes and wrong dates mixed, the kiosk waits; a match resets the count.
func TestMatchCheckinBirth(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	finished(t, s, "s1")
	patient, code, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	wrongCode := "22222222"
	if wrongCode == code {
		wrongCode = "33333333"
	}
	if got, err := s.MatchCheckin(ctx, code, testBirth, t0, time.UTC); err != nil || got != patient {
		t.Fatalf("right code and date: %q, %v", got, err)
	}
	now := t0
	wrongs := []struct{ code, birth string }{
		{code, "1990-02-02"},   // the day after
		{wrongCode, testBirth}, // a wrong code
		{code, "1990-01-02"},   // day and month swapped
	}
	for i, w := range wrongs {
		got, err := s.MatchCheckin(ctx, w.code, w.birth, now, time.UTC)
		if got != "" || !errors.Is(err, ErrCodeNotFound) {
			t.Fatalf("wrong try %d (%s, %s): %q, %v; want ErrCodeNotFound", i+1, w.code, w.birth, got, err)
		}
		if wait := errors.As(err, new(*CodeWaitError)); wait != (i+1 >= codeFreeTries) {
			t.Errorf("wrong try %d: a wait %v, want %v", i+1, wait, i+1 >= codeFreeTries)
		}
	}
	// the wait holds for the right code and date too
	if _, err := s.MatchCheckin(ctx, code, testBirth, now.Add(time.Second), time.UTC); !errors.As(err, new(*CodeWaitError)) || errors.Is(err, ErrCodeNotFound) {
		t.Fatalf("a try during the wait: %v", err)
	}
	// a wrong date after the wait doubles it, as a wrong code does
	now = now.Add(codeFirstWait + time.Second)
	var wait *CodeWaitError
	if _, err := s.MatchCheckin(ctx, code, "1991-02-01", now, time.UTC); !errors.As(err, &wait) || !wait.Until.Equal(now.Add(2*codeFirstWait)) {
		t.Fatalf("a fourth wrong try: %v, want a wait of %v", err, 2*codeFirstWait)
	}
	now = now.Add(2*codeFirstWait + time.Second)
	if got, err := s.MatchCheckin(ctx, code, testBirth, now, time.UTC); err != nil || got != patient {
		t.Fatalf("right code and date after the wait: %q, %v", got, err)
	}
	if _, err := s.MatchCheckin(ctx, code, "1990-02-02", now, time.UTC); errors.As(err, new(*CodeWaitError)) {
		t.Errorf("the count was not reset by a match: %v", err)
	}
	for _, bad := range []string{"", "1990-2-1", "02/01/1990", "1990-02-30"} {
		if _, err := s.MatchCheckin(ctx, code, bad, now, time.UTC); !errors.Is(err, ErrBirthFormat) {
			t.Errorf("date of birth %q: %v, want ErrBirthFormat", bad, err)
		}
	}
}

// A code issued before check-ins asked the date of birth (no check-in
// hash) asks for a new code, whatever date is typed, and counts no wrong
// try; once staff replace it, the new code matches with the date.
func TestMatchCheckinReissue(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	finished(t, s, "s1")
	patient, code, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	// as a code of a release before them: no check-in hash nor box
	if _, err := s.db.Exec("UPDATE patients SET birth_hash = NULL, checkin_sealed = NULL"); err != nil {
		t.Fatal(err)
	}
	for i := range codeFreeTries + 1 {
		if _, err := s.MatchCheckin(ctx, code, "1970-01-01", t0, time.UTC); !errors.Is(err, ErrCodeReissue) {
			t.Fatalf("try %d of a code issued before: %v, want ErrCodeReissue", i+1, err)
		}
	}
	// a plan set meanwhile gives it no box
	if err := s.SetPlan(ctx, patient, key, &trend.Plan{Start: t0, StartDose: 20, Percent: 10, EveryDays: 3}, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MatchCheckin(ctx, code, testBirth, t0, time.UTC); !errors.Is(err, ErrCodeReissue) {
		t.Fatalf("after a plan: %v, want ErrCodeReissue", err)
	}
	code2, err := s.ReplaceCode(ctx, patient, testBirth, key, "Ada", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.MatchCheckin(ctx, code2, testBirth, t0, time.UTC); err != nil || got != patient {
		t.Errorf("the new code: %q, %v", got, err)
	}
	if _, err := s.MatchCheckin(ctx, code, testBirth, t0, time.UTC); !errors.Is(err, ErrCodeNotFound) {
		t.Errorf("the old code: %v", err)
	}
	recs, err := s.PatientRecords(ctx, patient, key)
	if err != nil || recs[len(recs)-1].Birth != testBirth {
		t.Errorf("the new code's record %+v, %v", recs, err)
	}
}

// A plan whose check-ins end: the kiosk matches through the last day (in
// the clinic's zone), then says the plan ended; a new plan without an end
// and a new code keep what the plan says.
func TestMatchCheckinPlanEnded(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	finished(t, s, "s1")
	patient, code, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, la)
	ends := time.Date(2026, 11, 30, 0, 0, 0, 0, la)
	plan := &trend.Plan{Start: start, StartDose: 20, Percent: 10, EveryDays: 3, Ends: ends}
	if err := s.SetPlan(ctx, patient, key, plan, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	lastEvening := time.Date(2026, 11, 30, 23, 30, 0, 0, la) // Dec 1 in UTC
	nextMorning := time.Date(2026, 12, 1, 0, 30, 0, 0, la)
	for _, tc := range []struct {
		name string
		now  time.Time
		want error
	}{
		{"before the end", t0, nil},
		{"the last evening, already the next day in UTC", lastEvening, nil},
		{"the next morning", nextMorning, ErrPlanEnded},
	} {
		got, err := s.MatchCheckin(ctx, code, testBirth, tc.now, la)
		if !errors.Is(err, tc.want) || (tc.want == nil && got != patient) {
			t.Errorf("%s: %q, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	// an ended plan is a right code and date: no wrong try is counted
	var failures int
	s.db.QueryRow("SELECT failures FROM code_guard").Scan(&failures)
	if failures != 0 {
		t.Errorf("%d wrong tries counted", failures)
	}
	// a new code keeps the plan's end
	code2, err := s.ReplaceCode(ctx, patient, testBirth, key, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MatchCheckin(ctx, code2, testBirth, nextMorning, la); !errors.Is(err, ErrPlanEnded) {
		t.Errorf("the new code after the end: %v, want ErrPlanEnded", err)
	}
	// a plan without an end opens the check-ins again
	open := *plan
	open.Ends = time.Time{}
	if err := s.SetPlan(ctx, patient, key, &open, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MatchCheckin(ctx, code2, testBirth, nextMorning, la); err != nil || got != patient {
		t.Errorf("a plan without an end: %q, %v", got, err)
	}
	// and so does ending the plan
	if err := s.SetPlan(ctx, patient, key, plan, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPlan(ctx, patient, key, nil, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MatchCheckin(ctx, code2, testBirth, nextMorning, la); err != nil || got != patient {
		t.Errorf("no plan: %q, %v", got, err)
	}
}

// Neither the date of birth nor a plan's end reaches the disk in clear:
// the check-in hash is a hash, the box sealed and always the same size.
func TestCheckinNothingInClear(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	key := clinicKey(t, s)
	finished(t, s, "s1")
	finished(t, s, "s2")
	p1, _, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	p2, _, err := s.IssueCode(ctx, "s2", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	ends := time.Date(2027, 3, 9, 0, 0, 0, 0, time.UTC)
	if err := s.SetPlan(ctx, p2, key, &trend.Plan{Start: t0, StartDose: 20, Percent: 10, EveryDays: 3, Ends: ends}, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, id := range []string{p1, p2} {
		var birthHash, box []byte
		if err := s.db.QueryRow("SELECT birth_hash, checkin_sealed FROM patients WHERE id = ?", id).Scan(&birthHash, &box); err != nil {
			t.Fatal(err)
		}
		if len(birthHash) != 32 {
			t.Errorf("check-in hash of %d bytes", len(birthHash))
		}
		sizes = append(sizes, len(box))
	}
	if sizes[0] != sizes[1] {
		t.Errorf("a box with a plan's end is %d bytes, without %d: its size tells", sizes[1], sizes[0])
	}
	s.Close()
	files, _ := filepath.Glob(path + "*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range append(birthForms, "2027-03-09", "20270309") {
			if bytes.Contains(data, []byte(m)) {
				t.Errorf("%s holds %q in clear", filepath.Base(f), m)
			}
		}
	}
}
