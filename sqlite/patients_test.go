package sqlite

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/report"
	"intakekiosk/trend"
)

func TestCheckinCodes(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	key := clinicKey(t, s)
	id := finished(t, s, "s1")
	patient, code, err := s.IssueCode(ctx, id, testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := NormalizeCode(code); !ok || got != code {
		t.Fatalf("issued code %q is not a code", code)
	}
	// typed in lower case, with a space: still the code
	typed := strings.ToLower(code[:4] + " " + code[4:])
	if got, err := s.MatchCheckin(ctx, typed, testBirth, t0, time.UTC); err != nil || got != patient {
		t.Fatalf("MatchCheckin(right code) = %q, %v; want %q", got, err, patient)
	}
	ss, _ := s.Session(ctx, id)
	if ss.PatientID != patient {
		t.Errorf("the screening names patient %q, want %q", ss.PatientID, patient)
	}
	if _, _, err := s.IssueCode(ctx, id, testBirth, "Ada", t0); !errors.Is(err, ErrLinked) {
		t.Errorf("second code for one screening: %v", err)
	}
	// the code is sealed: not in the database in clear, but staff read it
	recs, err := s.PatientRecords(ctx, patient, key)
	if err != nil || len(recs) != 1 || recs[0].Code != code || recs[0].Screening != id || recs[0].By != "Ada" {
		t.Fatalf("patient records %+v, %v", recs, err)
	}
	// a check-in names the patient; the patient's sessions are one query
	if err := s.CreateCheckin(ctx, "c1", patient, t0.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	list, err := s.Sessions(ctx, Filter{Patient: patient})
	if err != nil || len(list) != 2 || list[0].ID != "c1" || list[0].Kind != intakekiosk.Checkin || list[1].ID != id {
		t.Errorf("patient's sessions %+v, %v", list, err)
	}
	// a lost slip: a new code; the old one no longer matches
	code2, err := s.ReplaceCode(ctx, patient, testBirth, key, "Ada", t0.Add(time.Hour))
	if err != nil || code2 == code {
		t.Fatalf("ReplaceCode = %q, %v", code2, err)
	}
	if _, err := s.MatchCheckin(ctx, code, testBirth, t0, time.UTC); !errors.Is(err, ErrCodeNotFound) {
		t.Errorf("the replaced code still matches: %v", err)
	}
	if got, err := s.MatchCheckin(ctx, code2, testBirth, t0, time.UTC); err != nil || got != patient {
		t.Errorf("the new code: %q, %v", got, err)
	}
	s.Close()
	for _, f := range []string{path, path + "-wal"} {
		data, _ := os.ReadFile(f)
		for _, c := range append([]string{code, code2}, birthForms...) {
			if bytes.Contains(data, []byte(c)) {
				t.Errorf("%s holds %q in clear", f, c)
			}
		}
	}
}

func TestIssueCodeRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	finished(t, s, "s1")
	s.CreateSession(ctx, "open", intakekiosk.Screening, t0)
	patient, _, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	s.CreateCheckin(ctx, "c1", patient, t0)
	s.Abandon(ctx, "c1", t0)
	for _, tc := range []struct {
		id   string
		want string
	}{
		{"nope", "no such session"},
		{"open", "not finished"},
		{"c1", "linked to a screening, not a check-in"},
	} {
		if _, _, err := s.IssueCode(ctx, tc.id, testBirth, "Ada", t0); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("IssueCode(%s) = %v, want %q", tc.id, err, tc.want)
		}
	}
	if err := s.CreateCheckin(ctx, "c2", "no-such-patient", t0); err == nil {
		t.Error("a check-in of an unknown patient was created")
	}
}

// Wrong codes slow the kiosk down: three free tries, then a wait that
// doubles; waiting out the time allows a try; a right code resets it.
func TestCodeSlowDown(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	finished(t, s, "s1")
	patient, code, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	wrong := "22222222"
	if wrong == code {
		wrong = "33333333"
	}
	now := t0
	try := func(c string) error {
		_, err := s.MatchCheckin(ctx, c, testBirth, now, time.UTC)
		return err
	}
	for i := range 2 {
		if err := try(wrong); !errors.Is(err, ErrCodeNotFound) || errors.As(err, new(*CodeWaitError)) {
			t.Fatalf("wrong code %d: %v", i+1, err)
		}
	}
	var wait *CodeWaitError
	if err := try(wrong); !errors.Is(err, ErrCodeNotFound) || !errors.As(err, &wait) || !wait.Until.Equal(now.Add(5*time.Second)) {
		t.Fatalf("third wrong code: %v", err)
	}
	// during the wait even the right code is not tried
	now = now.Add(4 * time.Second)
	if err := try(code); !errors.As(err, &wait) || errors.Is(err, ErrCodeNotFound) {
		t.Fatalf("a try during the wait: %v", err)
	}
	now = now.Add(2 * time.Second)
	if err := try(wrong); !errors.As(err, &wait) || !wait.Until.Equal(now.Add(10*time.Second)) {
		t.Fatalf("fourth wrong code: want a 10 s wait, got %v", err)
	}
	// the count survives a restart of the kiosk (it is in the database)
	now = now.Add(11 * time.Second)
	if got, err := s.MatchCheckin(ctx, code, testBirth, now, time.UTC); err != nil || got != patient {
		t.Fatalf("right code after the wait: %q, %v", got, err)
	}
	if err := try(wrong); errors.As(err, new(*CodeWaitError)) {
		t.Errorf("the count was not reset by a right code: %v", err)
	}
	for _, bad := range []string{"", "ABC", "0000OOOO", "ABCDEFGHI"} {
		if err := try(bad); !errors.Is(err, ErrCodeFormat) {
			t.Errorf("MatchCheckin(%q) = %v, want ErrCodeFormat", bad, err)
		}
	}
}

// Wrong codes are forgotten after a quiet while, and a staff look-up
// neither counts nor waits.
func TestCodeSlowDownForgets(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	finished(t, s, "s1")
	patient, code, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	wrong := "22222222"
	if wrong == code {
		wrong = "33333333"
	}
	now := t0
	// two typos in the morning
	for range 2 {
		if _, err := s.MatchCheckin(ctx, wrong, testBirth, now, time.UTC); !errors.Is(err, ErrCodeNotFound) {
			t.Fatal(err)
		}
	}
	// the next patient's typo an hour later brings no wait
	now = now.Add(time.Hour)
	if _, err := s.MatchCheckin(ctx, wrong, testBirth, now, time.UTC); errors.As(err, new(*CodeWaitError)) {
		t.Errorf("a typo an hour later waits: %v", err)
	}
	// a wait, then quiet: the count starts again
	for range 3 {
		s.MatchCheckin(ctx, wrong, testBirth, now, time.UTC)
	}
	if _, err := s.MatchCheckin(ctx, code, testBirth, now, time.UTC); !errors.As(err, new(*CodeWaitError)) {
		t.Fatalf("no wait after wrong codes: %v", err)
	}
	// staff look up a code during the kiosk's wait, typos included
	if _, err := s.LookupCode(ctx, wrong); !errors.Is(err, ErrCodeNotFound) {
		t.Errorf("staff look-up of a wrong code: %v", err)
	}
	if got, err := s.LookupCode(ctx, strings.ToLower(code)); err != nil || got != patient {
		t.Errorf("staff look-up during the kiosk's wait: %q, %v", got, err)
	}
	now = now.Add(codeMaxWait + codeForget + time.Second)
	for i := range codeFreeTries - 1 {
		if _, err := s.MatchCheckin(ctx, wrong, testBirth, now, time.UTC); errors.As(err, new(*CodeWaitError)) {
			t.Errorf("wrong code %d after a quiet while waits: %v", i+1, err)
		}
	}
}

func TestTaperPlan(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	finished(t, s, "s1")
	patient, _, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	plan := &trend.Plan{Start: t0, StartDose: 20, Percent: 10, EveryDays: 3}
	if err := s.SetPlan(ctx, patient, key, plan, "Ada", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPlan(ctx, patient, key, &trend.Plan{Start: t0}, "Ada", t0); err == nil {
		t.Error("an invalid plan was stored")
	}
	if err := s.SetPlan(ctx, patient, key, nil, "Ada", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	recs, err := s.PatientRecords(ctx, patient, key)
	if err != nil || len(recs) != 3 || recs[1].Plan == nil || recs[1].Plan.StartDose != 20 || !recs[2].EndPlan {
		t.Errorf("records %+v, %v", recs, err)
	}
	if err := s.SetPlan(ctx, "nope", key, plan, "Ada", t0); !errors.Is(err, ErrNoPatient) {
		t.Errorf("plan for no patient: %v", err)
	}
	log, _ := s.AuditLog(ctx)
	acts := map[string]int{}
	for _, e := range log {
		acts[e.Action]++
	}
	if acts[ActCode] != 1 || acts[ActPlan] != 2 {
		t.Errorf("audit %v", acts)
	}
}

// BenchmarkMatchCheckin is the kiosk's look-up of a typed code and date
// of birth: two memory-hard hashes, an indexed query and the check-in
// box opened.
func BenchmarkMatchCheckin(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b, Options{})
	if err := s.CreateSession(ctx, "s1", intakekiosk.Screening, t0); err != nil {
		b.Fatal(err)
	}
	s.Complete(ctx, "s1", t0)
	_, code, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.MatchCheckin(ctx, code, testBirth, t0, time.UTC); err != nil {
			b.Fatal(err)
		}
	}
}

// A purge that deletes all of a patient's sessions deletes the patient
// too: their code no longer matches and their sealed records go.
func TestPurgePatients(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	finished(t, s, "s1")
	_, code, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Purge(ctx, t0.Add(time.Hour), "Ada", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MatchCheckin(ctx, code, testBirth, t0, time.UTC); !errors.Is(err, ErrCodeNotFound) {
		t.Errorf("a purged patient's code: %v", err)
	}
	var n int
	s.db.QueryRow("SELECT count(*) FROM patient_records").Scan(&n)
	if n != 0 {
		t.Errorf("%d patient records left", n)
	}
}

// The slip the patient is given prints codes from the same alphabet the
// kiosk matches.
func TestCodeAlphabetMatchesSlip(t *testing.T) {
	if CodeAlphabet != report.CodeAlphabet {
		t.Errorf("store %q, report %q", CodeAlphabet, report.CodeAlphabet)
	}
	for range 100 {
		c, err := newCode(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := NormalizeCode(c); !ok {
			t.Fatalf("drew %q", c)
		}
	}
}

func TestGroupCode(t *testing.T) {
	for in, want := range map[string]string{
		"K7QM2XPA": "K7QM 2XPA",
		"K···":     "K···",
		"K7Q·····": "K7Q· ····",
		"":         "",
	} {
		if got := GroupCode(in); got != want {
			t.Errorf("GroupCode(%q) = %q, want %q", in, got, want)
		}
	}
}
