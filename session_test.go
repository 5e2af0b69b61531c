package intakekiosk_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// A database or bundle of an older release holds reviewed and printed as
// statuses: they read as two facts, and a print is not a review.
func TestLegacyStatus(t *testing.T) {
	tests := []struct {
		in                intakekiosk.Status
		completed         bool
		want              intakekiosk.Status
		reviewed, printed bool
	}{
		{"reviewed", true, intakekiosk.New, true, false},
		{"printed", true, intakekiosk.New, false, true},
		{"reviewed", false, intakekiosk.Incomplete, true, false},
		{"printed", false, intakekiosk.Incomplete, false, true},
		{intakekiosk.New, true, intakekiosk.New, false, false},
		{intakekiosk.Incomplete, false, intakekiosk.Incomplete, false, false},
	}
	for _, tt := range tests {
		st, r, p := intakekiosk.Legacy(tt.in, tt.completed)
		if st != tt.want || r != tt.reviewed || p != tt.printed {
			t.Errorf("Legacy(%s, %v) = %s, %v, %v; want %s, %v, %v", tt.in, tt.completed, st, r, p, tt.want, tt.reviewed, tt.printed)
		}
	}
	if intakekiosk.Incomplete.Ahead(intakekiosk.New) || !intakekiosk.New.Ahead(intakekiosk.InProgress) {
		t.Error("Ahead: finished is ahead of in progress, and no finished status of another")
	}
}

// Printed and reviewed are two facts: a printed urgent session stays
// pinned until someone marks it reviewed.
func TestStandingAndPinned(t *testing.T) {
	at := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		s        intakekiosk.Session
		standing intakekiosk.Standing
		pinned   bool
		selected []intakekiosk.Standing
	}{
		{"at the kiosk", intakekiosk.Session{Status: intakekiosk.InProgress, Urgent: true}, intakekiosk.StandingInProgress, true,
			[]intakekiosk.Standing{intakekiosk.StandingInProgress}},
		{"new", intakekiosk.Session{Status: intakekiosk.New, Completed: at}, intakekiosk.StandingNew, false,
			[]intakekiosk.Standing{intakekiosk.StandingNew, intakekiosk.StandingUnreviewed}},
		{"urgent, printed", intakekiosk.Session{Status: intakekiosk.New, Completed: at, Urgent: true, Printed: at}, intakekiosk.StandingNew, true,
			[]intakekiosk.Standing{intakekiosk.StandingNew, intakekiosk.StandingUnreviewed, intakekiosk.StandingPrinted}},
		{"attention", intakekiosk.Session{Status: intakekiosk.New, Completed: at, Attention: true}, intakekiosk.StandingNew, true,
			[]intakekiosk.Standing{intakekiosk.StandingNew, intakekiosk.StandingUnreviewed}},
		{"urgent, reviewed", intakekiosk.Session{Status: intakekiosk.New, Completed: at, Urgent: true, Reviewed: at, ReviewedBy: "Sam"},
			intakekiosk.StandingReviewed, false, []intakekiosk.Standing{intakekiosk.StandingReviewed}},
		{"incomplete", intakekiosk.Session{Status: intakekiosk.Incomplete}, intakekiosk.StandingIncomplete, false,
			[]intakekiosk.Standing{intakekiosk.StandingIncomplete, intakekiosk.StandingUnreviewed}},
	}
	all := []intakekiosk.Standing{intakekiosk.StandingInProgress, intakekiosk.StandingNew, intakekiosk.StandingIncomplete,
		intakekiosk.StandingReviewed, intakekiosk.StandingPrinted, intakekiosk.StandingUnreviewed}
	for _, tt := range tests {
		if got := tt.s.Standing(); got != tt.standing {
			t.Errorf("%s: standing %s, want %s", tt.name, got, tt.standing)
		}
		if got := tt.s.Pinned(); got != tt.pinned {
			t.Errorf("%s: pinned %v, want %v", tt.name, got, tt.pinned)
		}
		for _, st := range all {
			if got, want := st.Selects(tt.s), slices.Contains(tt.selected, st); got != want {
				t.Errorf("%s: --status %s selects it: %v, want %v", tt.name, st, got, want)
			}
		}
	}
	if _, err := intakekiosk.ParseStanding("done"); !fault.Is(fault.Invalid, err) {
		t.Errorf("ParseStanding(done) = %v, want an invalid status", err)
	}
	for _, st := range all {
		if got, err := intakekiosk.ParseStanding(string(st)); got != st || err != nil {
			t.Errorf("ParseStanding(%s) = %s, %v", st, got, err)
		}
	}
}

// An urgent session alerts until someone says they are on it or reviews
// it; a calm one never does.
func TestAlerting(t *testing.T) {
	at := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name string
		s    intakekiosk.Session
		want bool
	}{
		{"urgent at the kiosk", intakekiosk.Session{Status: intakekiosk.InProgress, Urgent: true}, true},
		{"urgent, finished", intakekiosk.Session{Status: intakekiosk.New, Completed: at, Urgent: true}, true},
		{"urgent, answered", intakekiosk.Session{Status: intakekiosk.InProgress, Urgent: true, Acked: at, AckedBy: "Sam"}, false},
		{"urgent, reviewed", intakekiosk.Session{Status: intakekiosk.New, Urgent: true, Reviewed: at}, false},
		{"needs attention", intakekiosk.Session{Status: intakekiosk.New, Attention: true}, false},
		{"calm", intakekiosk.Session{Status: intakekiosk.New}, false},
	} {
		if got := tt.s.Alerting(); got != tt.want {
			t.Errorf("%s: alerting %v, want %v", tt.name, got, tt.want)
		}
	}
}

// The sealed form of a payload is the one every release so far wrote:
// older databases and bundles read the same, and older kiosks read ours.
func TestPayloadSealedForm(t *testing.T) {
	tests := []struct {
		name string
		p    intakekiosk.Payload
		json string
	}{
		{"help", intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}, `{"event":"help"}`},
		{"unwell", intakekiosk.Payload{Event: intakekiosk.Event{Unwell: true}}, `{"event":"unwell"}`},
		{"language", intakekiosk.Payload{Event: intakekiosk.Event{Lang: "es"}}, `{"event":"lang:es"}`},
		{"what a check-in asks", intakekiosk.Payload{Event: intakekiosk.Event{Asks: []string{"checkin_use", "sows", "bam"}}}, `{"event":"asks:checkin_use,sows,bam"}`},
		{"a check-in asking nothing", intakekiosk.Payload{Event: intakekiosk.Event{Asks: []string{}}}, `{"event":"asks:"}`},
		{"paper form", intakekiosk.Payload{Event: intakekiosk.Event{Paper: true}}, `{"event":"paper"}`},
		{"note", intakekiosk.Payload{Note: &intakekiosk.Note{By: "Sam", Text: "called"}}, `{"note":{"by":"Sam","text":"called"}}`},
		{"identity", intakekiosk.Payload{Identity: &screening.Identity{First: "Ana"}}, `{"identity":{"first":"Ana","last":"","birth":""}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.p)
			if err != nil || string(b) != tt.json {
				t.Errorf("Marshal = %s, %v; want %s", b, err, tt.json)
			}
			var back intakekiosk.Payload
			if err := json.Unmarshal([]byte(tt.json), &back); err != nil {
				t.Fatal(err)
			}
			again, _ := json.Marshal(back)
			if string(again) != tt.json {
				t.Errorf("read back as %s", again)
			}
		})
	}
	var p intakekiosk.Payload
	if err := json.Unmarshal([]byte(`{"event":"something-newer"}`), &p); err != nil || !p.Event.IsZero() {
		t.Errorf("an event of a newer release: %+v, %v; want it read and left out", p, err)
	}
}

// A check-in replays over the instruments it asked (its record of them),
// an older one over every check-in instrument as before.
func TestReplayAsks(t *testing.T) {
	cat := testkit.Catalog(t)
	ids := func(v intakekiosk.Visit) []string {
		var out []string
		for _, in := range v.Session.Instruments() {
			out = append(out, in.ID)
		}
		return out
	}
	asks := intakekiosk.Record{Payload: intakekiosk.Payload{Event: intakekiosk.Event{Asks: []string{"checkin_use", "bam", "phq9"}}}}
	lang := intakekiosk.Record{Payload: intakekiosk.Payload{Event: intakekiosk.Event{Lang: "es"}}}
	v := intakekiosk.Replay([]intakekiosk.Record{lang, asks}, cat, intakekiosk.Checkin)
	if got := ids(v); !slices.Equal(got, []string{"checkin_use", "phq9", "bam"}) || v.Lang != "es" {
		t.Errorf("scheduled check-in replays over %v in %q", got, v.Lang)
	}
	old := intakekiosk.Replay([]intakekiosk.Record{lang}, cat, intakekiosk.Checkin)
	if got := ids(old); !slices.Equal(got, []string{"checkin_use", "sows", "checkin_day", "checkin_safety"}) {
		t.Errorf("older check-in replays over %v", got)
	}
}
