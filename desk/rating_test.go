package desk_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
)

// A COWS rating is recorded at the desk for a screening's patient without
// a code (a record of the screening) and for a returning patient (a record
// of the patient), sealed, audited naming the instrument and never the
// score; the patient's timeline reads both, by when rated.
func TestRate(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	cat := testkit.Catalog(t)
	s := c.signIn(t, false)
	rated := c.now.Add(-20 * time.Minute)
	cows := func(at time.Time, points ...int) intakekiosk.Rating {
		return intakekiosk.Rating{Instrument: "cows", At: at, Answers: testkit.ByPoints(t, cat, "cows", at, points...)}
	}
	n := c.auditLen(t)
	r, err := s.Rate(ctx, desk.RatingOf{Session: done}, cows(rated, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)) // 10
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == "" || r.By != "Cy Counselor" || r.Version != "1" {
		t.Errorf("rating as recorded %+v", r)
	}
	if got := c.audit(t, n); !slices.Equal(got, []string{"Cy Counselor rating_recorded " + done + " instrument cows"}) {
		t.Errorf("audit %q", got)
	}
	d, err := s.Read(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Ratings) != 1 || d.Ratings[0].ID != r.ID || !d.Ratings[0].At.Equal(rated) {
		t.Fatalf("the screening's ratings %+v", d.Ratings)
	}
	if f := d.Induction(cat, defaultThresholds, c.now); f.COWS == nil || f.COWS.Total != 10 || !f.COWSMet {
		t.Errorf("induction facts of the screening %+v", f)
	}

	// the code: the screening's patient is now a returning patient, and a
	// rating of the screening's session goes under the patient
	patient, _, err := s.GiveCode(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	n = c.auditLen(t)
	if _, err := s.Rate(ctx, desk.RatingOf{Session: done}, cows(c.now.Add(-5*time.Minute), 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rate(ctx, desk.RatingOf{Patient: patient}, cows(c.now.Add(-10*time.Minute), 4, 4, 5, 5, 4, 4, 5, 4, 4, 4, 5)); err != nil {
		t.Fatal(err)
	}
	want := "Cy Counselor rating_recorded " + patient + " instrument cows"
	if got := c.audit(t, n); !slices.Equal(got, []string{want, want}) {
		t.Errorf("audit %q", got)
	}
	p, err := s.Patient(ctx, patient)
	if err != nil {
		t.Fatal(err)
	}
	var totals []int
	for _, x := range p.COWS {
		totals = append(totals, x.Total)
	}
	if !slices.Equal(totals, []int{10, 48, 1}) || len(p.Ratings) != 3 {
		t.Errorf("the patient's COWS by when rated %v, want 10, 48, 1 (%d ratings)", totals, len(p.Ratings))
	}
	if f := p.Induction(defaultThresholds, c.now); f.COWS == nil || f.COWS.Total != 1 || f.COWSMet {
		t.Errorf("induction facts: latest COWS %+v met %v, want 1, not met", f.COWS, f.COWSMet)
	}
	// sealed: no item of the rating in clear on the disk, and the queue
	// holds no session more
	var disk string
	for _, f := range []string{c.st.Path(), c.st.Path() + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		disk += string(b)
		for _, m := range []string{"gooseflesh", "restlessness", `"cows"`, "Rating"} {
			if strings.Contains(string(b), m) {
				t.Errorf("%s holds %q in clear", filepath.Base(f), m)
			}
		}
	}
	if !strings.Contains(disk, sqlite.ActRating) {
		t.Error("the scan reads nothing: the audit's action is not found in clear") // the positive control
	}
	if list, err := c.st.Sessions(ctx, sqlite.Filter{}); err != nil || len(list) != 2 {
		t.Errorf("%d sessions after the ratings, %v; want the 2 there were", len(list), err)
	}
	log, err := c.st.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if strings.ContainsAny(e.Detail, "0123456789") && e.Action == "rating_recorded" || strings.Contains(strings.ToLower(e.Detail), "severe") {
			t.Errorf("an audit entry holds a score: %+v", e)
		}
	}
}

var defaultThresholds = trend.Thresholds{COWS: 8, Hours: 12}

// A rating that does not hold is refused, Invalid, naming its field, and
// nothing is recorded: a time in the future or over a week back, an item
// not rated, an instrument patients answer, a session in progress.
func TestRateRefuses(t *testing.T) {
	c := newClinic(t)
	ctx := context.Background()
	cat := testkit.Catalog(t)
	s := c.signIn(t, false)
	all := func(at time.Time) []intakekiosk.Rating {
		return []intakekiosk.Rating{{Instrument: "cows", At: at, Answers: testkit.ByPoints(t, cat, "cows", at, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)}}
	}
	ok := all(c.now)[0]
	tests := []struct {
		name  string
		of    desk.RatingOf
		r     intakekiosk.Rating
		field string
		kind  fault.Kind
	}{
		{"in the future", desk.RatingOf{Session: done}, all(c.now.Add(time.Minute))[0], "at", fault.Invalid},
		{"over a week back", desk.RatingOf{Session: done}, all(c.now.Add(-intakekiosk.RatingLookback - time.Minute))[0], "at", fault.Invalid},
		{"no time", desk.RatingOf{Session: done}, intakekiosk.Rating{Instrument: "cows", Answers: ok.Answers}, "at", fault.Invalid},
		{"an item not rated", desk.RatingOf{Session: done}, intakekiosk.Rating{Instrument: "cows", At: c.now, Answers: ok.Answers[:10]}, "gooseflesh", fault.Invalid},
		{"a patient's instrument", desk.RatingOf{Session: done}, intakekiosk.Rating{Instrument: "sows", At: c.now, Answers: ok.Answers}, "instrument", fault.Invalid},
		{"nobody", desk.RatingOf{}, ok, "patient", fault.Invalid},
		{"in progress", desk.RatingOf{Session: ongoing}, ok, "", fault.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := c.auditLen(t)
			_, err := s.Rate(ctx, tt.of, tt.r)
			e, isFault := err.(*fault.Error)
			if err == nil || !fault.Is(tt.kind, err) || (tt.field != "" && (!isFault || e.Field != tt.field)) {
				t.Fatalf("error %v, want %s naming %q", err, tt.kind, tt.field)
			}
			if got := c.audit(t, n); len(got) != 0 {
				t.Errorf("refused, yet on record: %q", got)
			}
		})
	}
	d, err := s.Read(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Ratings) != 0 {
		t.Errorf("refused ratings recorded: %+v", d.Ratings)
	}
}
