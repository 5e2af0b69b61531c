package intakekiosk_test

import (
	"slices"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// The concern table: each trigger gives its concern, and the reasons come
// most pressing first, the suicide item leading.
func TestConcerns(t *testing.T) {
	cat := testkit.Catalog(t)
	at := time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC)
	phq9 := func(item9 int) []screening.Answer {
		return testkit.ByPoints(t, cat, "phq9", at, 0, 0, 0, 0, 0, 0, 0, 0, item9)
	}
	declined := func() []screening.Answer {
		as := phq9(0)
		as[8] = screening.Answer{Instrument: "phq9", Item: as[8].Item, Declined: true, At: at}
		return as
	}
	kratom := func(item, choice string) []screening.Answer {
		return []screening.Answer{{Instrument: "kratom", Item: item, Choice: choice, At: at}}
	}
	// what a reason is, read back: the trigger and the flag's id
	name := func(r intakekiosk.Reason) string {
		if r.Flag != nil {
			return r.Instrument.ID + "." + r.Flag.ID
		}
		return string(r.Trigger)
	}
	tests := []struct {
		name         string
		answers      [][]screening.Answer
		help, unwell bool
		want         []string
		most         intakekiosk.Concern
	}{
		{"nothing", [][]screening.Answer{phq9(0)}, false, false, nil, intakekiosk.Calm},
		{"item 9 several days", [][]screening.Answer{phq9(1)}, false, false, []string{"phq9.suicidal_ideation"}, intakekiosk.Urgent},
		{"help", nil, true, false, []string{"help"}, intakekiosk.Urgent},
		{"unwell", nil, false, true, []string{"unwell"}, intakekiosk.Urgent},
		{"item 9 declined", [][]screening.Answer{declined()}, false, false, []string{"phq9.item9_declined"}, intakekiosk.NeedsAttention},
		{"pregnant", [][]screening.Answer{kratom("pregnant", "yes")}, false, false, []string{"kratom.pregnant"}, intakekiosk.NeedsAttention},
		{"seizures", [][]screening.Answer{kratom("seizures", "yes")}, false, false, []string{"kratom.seizures"}, intakekiosk.NeedsAttention},
		// a red flag the file does not mark pins nothing
		{"7-OH", [][]screening.Answer{{{Instrument: "kratom", Item: "forms", Choices: []string{"7oh"}, At: at}}}, false, false, nil, intakekiosk.Calm},
		// the kratom profile comes before PHQ-9 in the session; the
		// suicide item still comes first, then help, unwell, then what
		// needs attention
		{"all at once", [][]screening.Answer{kratom("pregnant", "yes"), kratom("seizures", "yes"), phq9(2)}, true, true,
			[]string{"phq9.suicidal_ideation", "help", "unwell", "kratom.pregnant", "kratom.seizures"}, intakekiosk.Urgent},
		{"declined and pregnant", [][]screening.Answer{kratom("pregnant", "yes"), declined()}, false, false,
			[]string{"phq9.item9_declined", "kratom.pregnant"}, intakekiosk.NeedsAttention},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testkit.Answered(t, cat, at, tt.answers...)
			rs := intakekiosk.Concerns(s, tt.help, tt.unwell, at)
			var got []string
			for _, r := range rs {
				got = append(got, name(r))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("reasons %v, want %v", got, tt.want)
			}
			if m := intakekiosk.Most(rs); m != tt.most {
				t.Errorf("most %d, want %d", m, tt.most)
			}
			urgent, attention := intakekiosk.Raised(rs)
			if urgent != (tt.most == intakekiosk.Urgent) || attention != slices.ContainsFunc(rs, func(r intakekiosk.Reason) bool { return r.Concern == intakekiosk.NeedsAttention }) {
				t.Errorf("raised urgent %v attention %v", urgent, attention)
			}
		})
	}
}

// A visit read back carries the unwell choice, and its concerns say so.
func TestReplayUnwell(t *testing.T) {
	cat := testkit.Catalog(t)
	v := intakekiosk.Replay([]intakekiosk.Record{{Payload: intakekiosk.Payload{Event: intakekiosk.Event{Unwell: true}}}}, cat, intakekiosk.Screening)
	rs := intakekiosk.Concerns(v.Session, v.HelpRequested, v.Unwell, time.Now())
	if !v.Unwell || intakekiosk.Most(rs) != intakekiosk.Urgent {
		t.Errorf("unwell %v, concerns %v", v.Unwell, rs)
	}
}
