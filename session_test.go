package intakekiosk_test

import (
	"encoding/json"
	"errors"
	"testing"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/screening"
)

func TestStatusAdvanceOnlyForward(t *testing.T) {
	tests := []struct {
		from, to, want intakekiosk.Status
		err            error
	}{
		{intakekiosk.New, intakekiosk.Reviewed, intakekiosk.Reviewed, nil},
		{intakekiosk.Incomplete, intakekiosk.Printed, intakekiosk.Printed, nil},
		{intakekiosk.Reviewed, intakekiosk.Printed, intakekiosk.Printed, nil},
		{intakekiosk.Printed, intakekiosk.Reviewed, intakekiosk.Printed, nil}, // never back
		{intakekiosk.Reviewed, intakekiosk.New, intakekiosk.Reviewed, nil},
		{intakekiosk.InProgress, intakekiosk.Reviewed, intakekiosk.InProgress, intakekiosk.ErrInProgress},
	}
	for _, tt := range tests {
		got, err := tt.from.Advance(tt.to)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%s.Advance(%s) = %s, %v; want %s, %v", tt.from, tt.to, got, err, tt.want, tt.err)
		}
	}
	if !intakekiosk.Printed.Ahead(intakekiosk.Reviewed) || intakekiosk.Incomplete.Ahead(intakekiosk.New) {
		t.Error("Ahead does not follow the ladder")
	}
	if _, err := intakekiosk.ParseStatus("done"); !fault.Is(fault.Invalid, err) {
		t.Errorf("ParseStatus(done) = %v, want an invalid status", err)
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
		{"language", intakekiosk.Payload{Event: intakekiosk.Event{Lang: "es"}}, `{"event":"lang:es"}`},
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
