package intake_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/intake"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

type kiosk struct {
	st  *sqlite.Store
	key *vault.ClinicKey
	in  *intake.Intake
	now time.Time
}

func newKiosk(t *testing.T, wrap func(*sqlite.Store) intake.Store) *kiosk {
	t.Helper()
	st, key := testkit.Store(t, sqlite.Options{})
	cat := testkit.Catalog(t)
	k := &kiosk{st: st, key: key, now: time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)}
	n := 0
	newID := func() (string, error) {
		n++
		return fmt.Sprintf("0190c0de-0000-7000-8000-%012d", n), nil
	}
	var port intake.Store = st
	if wrap != nil {
		port = wrap(st)
	}
	k.in = intake.New(port, cat, []string{"phq9"}, func() time.Time { return k.now }, newID, nil)
	return k
}

// records are what the session holds, read back with the clinic key.
func (k *kiosk) records(t *testing.T, id string) []intakekiosk.Record {
	t.Helper()
	recs, err := k.st.Records(context.Background(), id, k.key)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func step(t *testing.T, v *intake.Visit, item string) screening.Step {
	t.Helper()
	st, ok := v.Session().Step(screening.Key{Instrument: "phq9", Item: item}, time.Now())
	if !ok {
		t.Fatalf("no PHQ-9 item %s", item)
	}
	return st
}

// An answer is checked, then committed, then applied, and the urgency it
// raises is on record when Answer returns.
func TestAnswerCommitsThenApplies(t *testing.T) {
	k := newKiosk(t, nil)
	ctx := context.Background()
	v, err := k.in.Screening("es")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Answer(ctx, step(t, v, "1"), screening.Answer{Choice: "no such option"}, false); !fault.Is(fault.Invalid, err) {
		t.Fatalf("an answer that does not fit: %v", err)
	}
	if v.Started() {
		t.Fatal("a refused answer started the session")
	}
	next, err := v.Answer(ctx, step(t, v, "1"), screening.Answer{Choice: "several_days"}, false)
	if err != nil || !next.Ok || next.Step.Item.ID != "2" || next.Crisis {
		t.Fatalf("after item 1: %+v, %v", next, err)
	}
	next, err = v.Answer(ctx, step(t, v, "9"), screening.Answer{Choice: "several_days"}, false)
	if err != nil || !next.Crisis {
		t.Fatalf("item 9 several days: %+v, %v; want the crisis screen", next, err)
	}
	ss, err := k.st.Session(ctx, v.ID())
	if err != nil || !ss.Urgent || !v.Urgent() {
		t.Errorf("session after item 9 = %+v, %v; want urgent", ss, err)
	}
	recs := k.records(t, v.ID())
	if len(recs) != 3 || recs[0].Event.Lang != "es" || recs[1].Answer.Item != "1" || recs[2].Answer.Item != "9" {
		t.Errorf("records = %+v; want the language, then the two answers", recs)
	}
	if err := v.Submit(ctx); err != nil || !v.Done() {
		t.Fatal(err)
	}
	if ss, _ := k.st.Session(ctx, v.ID()); ss.Status != intakekiosk.New {
		t.Errorf("status after submit = %s", ss.Status)
	}
	if err := v.Abandon(ctx, "test"); err != nil {
		t.Fatal(err)
	}
	if ss, _ := k.st.Session(ctx, v.ID()); ss.Status != intakekiosk.New {
		t.Errorf("abandoning a submitted visit changed it to %s", ss.Status)
	}
}

// urgentFails is a store whose Raise fails until fixed.
type urgentFails struct {
	*sqlite.Store
	broken bool
}

func (u *urgentFails) Raise(ctx context.Context, id string, c intakekiosk.Concern) error {
	if u.broken {
		return sqlite.ErrFull
	}
	return u.Store.Raise(ctx, id, c)
}

// A failed urgency mark does not lose the answer, and Submit marks the
// session urgent before it completes it.
func TestUrgencyRetriedAtSubmit(t *testing.T) {
	var u *urgentFails
	k := newKiosk(t, func(st *sqlite.Store) intake.Store { u = &urgentFails{Store: st, broken: true}; return u })
	ctx := context.Background()
	v, _ := k.in.Screening("en")
	if _, err := v.Answer(ctx, step(t, v, "9"), screening.Answer{Choice: "nearly_every_day"}, false); err != nil {
		t.Fatalf("the answer must be kept when marking urgent fails: %v", err)
	}
	if v.Urgent() {
		t.Fatal("marked urgent though the store refused")
	}
	if err := v.Submit(ctx); !errors.Is(err, sqlite.ErrFull) {
		t.Fatalf("Submit with urgency unmarked = %v; want the store's failure", err)
	}
	u.broken = false
	if err := v.Submit(ctx); err != nil {
		t.Fatal(err)
	}
	if ss, _ := k.st.Session(ctx, v.ID()); !ss.Urgent || ss.Status != intakekiosk.New {
		t.Errorf("session = %+v; want urgent and submitted", ss)
	}
}

func TestHelpAndAbandon(t *testing.T) {
	k := newKiosk(t, nil)
	ctx := context.Background()
	quiet, _ := k.in.Screening("en")
	if err := quiet.Abandon(ctx, "walked away"); err != nil {
		t.Fatal(err)
	}
	if ss, _ := k.st.Sessions(ctx, sqlite.Filter{}); len(ss) != 0 {
		t.Fatalf("a visit never started left %d sessions", len(ss))
	}
	v, _ := k.in.Screening("en")
	if err := v.Help(ctx); err != nil {
		t.Fatal(err)
	}
	if recs := k.records(t, v.ID()); len(recs) != 1 || !recs[0].Event.Help {
		t.Errorf("records after help = %+v", recs)
	}
	if err := v.Abandon(ctx, "walked away"); err != nil {
		t.Fatal(err)
	}
	ss, err := k.st.Session(ctx, v.ID())
	if err != nil || !ss.Urgent || ss.Status != intakekiosk.Incomplete {
		t.Errorf("session after help and a walk-away = %+v, %v; want urgent, incomplete", ss, err)
	}
}

// Who answered a visit's alert reads from its session's row, also once
// the visit is over (the call for staff outlives it).
func TestAnswered(t *testing.T) {
	k := newKiosk(t, nil)
	ctx := context.Background()
	v, _ := k.in.Screening("en")
	if err := v.Help(ctx); err != nil {
		t.Fatal(err)
	}
	if by, at, err := k.in.Answered(ctx, v.ID()); by != "" || !at.IsZero() || err != nil {
		t.Errorf("Answered before anyone did = %q, %v, %v", by, at, err)
	}
	if err := v.Abandon(ctx, "walked away"); err != nil {
		t.Fatal(err)
	}
	when := k.now.Add(time.Minute)
	if err := k.st.Acknowledge(ctx, v.ID(), "Sam", when, sqlite.Entry{At: when, Actor: "Sam", Action: sqlite.ActAcknowledged, Target: v.ID()}); err != nil {
		t.Fatal(err)
	}
	if by, at, err := k.in.Answered(ctx, v.ID()); by != "Sam" || !at.Equal(when) || err != nil {
		t.Errorf("Answered = %q, %v, %v; want Sam at %v", by, at, err, when)
	}
	if _, _, err := k.in.Answered(ctx, "no such session"); !fault.Is(fault.NotFound, err) {
		t.Errorf("Answered(no such session) = %v, want NotFound", err)
	}
}

// A check-in asks the check-in's own questions and what the schedule has
// due for its patient, puts on record what it asks (its records read back
// over those instruments) and, when submitted, the day they were asked: a
// check-in the next day asks no BAM or PHQ-9, one a week on the BAM again.
// Days are the clinic's: 23:30 in New York is the day before in UTC.
func TestCheckinOnSchedule(t *testing.T) {
	k := newKiosk(t, nil)
	ctx := context.Background()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	s, err := k.in.Screening("")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(ctx); err != nil {
		t.Fatal(err)
	}
	patient, _, err := k.st.IssueCode(ctx, s.ID(), "1990-02-01", "Ada", k.now)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := screening.ParseSchedule("sows, checkin_safety, bam:7, phq9:14, gad7:14")
	if err != nil {
		t.Fatal(err)
	}
	n := 100
	in := intake.New(k.st, testkit.Catalog(t), nil, func() time.Time { return k.now }, func() (string, error) {
		n++
		return fmt.Sprintf("0190c0de-0000-7000-8000-%012d", n), nil
	}, nil, intake.OnSchedule(sched, ny))
	checkin := func(at time.Time, want ...string) *intake.Visit {
		t.Helper()
		k.now = at
		v, err := in.Checkin(ctx, patient, "es")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, i := range v.Session().Instruments() {
			ids = append(ids, i.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Fatalf("check-in at %s asks %v, want %v", at.In(ny).Format(time.DateTime), ids, want)
		}
		for {
			st, ok := v.Session().NextUnanswered(screening.Key{}, k.now)
			if !ok {
				break
			}
			if _, err := v.Answer(ctx, st, screening.Answer{Declined: true}, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := v.Submit(ctx); err != nil {
			t.Fatal(err)
		}
		return v
	}
	own := []string{"checkin_use", "sows", "checkin_day", "checkin_safety"}
	sun := time.Date(2026, 11, 30, 4, 30, 0, 0, time.UTC) // Sunday 23:30 in New York
	v := checkin(sun, "checkin_use", "sows", "checkin_day", "phq9", "checkin_safety", "gad7", "bam")
	asked, err := k.st.Asked(ctx, patient)
	if err != nil || asked["bam"] != "2026-11-29" || asked["phq9"] != "2026-11-29" || asked["checkin_use"] != "2026-11-29" {
		t.Fatalf("asked after the first check-in: %v, %v", asked, err)
	}
	recs := k.records(t, v.ID())
	if len(recs) == 0 || fmt.Sprint(recs[0].Event.Asks) != "[checkin_use sows checkin_day phq9 checkin_safety gad7 bam]" || recs[1].Event.Lang != "es" {
		t.Fatalf("the check-in's first records: %+v", recs[:min(2, len(recs))])
	}
	replayed := intakekiosk.Replay(recs, testkit.Catalog(t), intakekiosk.Checkin)
	if len(replayed.Session.Instruments()) != 7 {
		t.Errorf("replayed over %d instruments", len(replayed.Session.Instruments()))
	}
	// a check-in left part way puts nothing on record as asked
	k.now = sun.Add(20 * time.Hour)
	left, err := in.Checkin(ctx, patient, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := left.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := left.Abandon(ctx, "walked away"); err != nil {
		t.Fatal(err)
	}
	if again, _ := k.st.Asked(ctx, patient); fmt.Sprint(again) != fmt.Sprint(asked) {
		t.Errorf("an abandoned check-in moved the days asked: %v", again)
	}
	checkin(sun.Add(24*time.Hour), own...)
	checkin(sun.Add(6*24*time.Hour), own...)
	checkin(sun.Add(7*24*time.Hour), "checkin_use", "sows", "checkin_day", "checkin_safety", "bam")
	checkin(sun.Add(14*24*time.Hour), "checkin_use", "sows", "checkin_day", "phq9", "checkin_safety", "gad7", "bam")
	// another patient's check-in starts from nothing
	if _, err := in.Checkin(ctx, "no-such-patient", ""); err != nil {
		t.Fatalf("a patient never asked: %v", err)
	}
}
