package exchange_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/exchange"
)

// recs are records of the payloads given, each of writer "K" (the kiosk)
// unless it begins "W/" (writer W's), numbered in its writer's chain.
func recs(payloads ...string) []intakekiosk.SealedRecord {
	var out []intakekiosk.SealedRecord
	seq := map[string]int{}
	for i, p := range payloads {
		w := "K"
		if a, _, ok := strings.Cut(p, "/"); ok {
			w = a
		}
		seq[w]++
		out = append(out, intakekiosk.SealedRecord{Recorded: time.Unix(int64(i), 0).UTC().Format(time.RFC3339), Payload: []byte(p),
			Writer: w, Seq: seq[w]})
	}
	return out
}

// chainsOf are ours as a merge with theirs compares them (what the
// importer reads).
func chainsOf(ours, theirs []intakekiosk.SealedRecord) exchange.Chains {
	out := exchange.Chains{}
	for w, tail := range exchange.Tails(theirs) {
		var c exchange.Chain
		for _, r := range ours {
			if r.Writer == w {
				c.Count++
			}
		}
		for _, r := range ours {
			if r.Writer == w && r.Seq == exchange.ComparePlace(c.Count, tail) {
				c.Compare = r.Payload
			}
		}
		out[w] = c
	}
	return out
}

func payloads(rs []intakekiosk.SealedRecord) []string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r.Payload))
	}
	return out
}

func TestMerge(t *testing.T) {
	const start = "2026-11-25T15:00:00.000000000Z"
	there := func(st intakekiosk.Status, urgent bool, patient string, r ...string) intakekiosk.SealedSession {
		return intakekiosk.SealedSession{ID: "s", Started: start, Status: st, Urgent: urgent, PatientID: patient, Records: recs(r...)}
	}
	// ours keeps each held session's records, to find the one a merge
	// compares
	ours := map[*exchange.Held][]intakekiosk.SealedRecord{}
	held := func(st intakekiosk.Status, urgent bool, patient string, r ...string) *exchange.Held {
		h := &exchange.Held{Started: start, Status: st, Urgent: urgent, PatientID: patient}
		ours[h] = recs(r...)
		return h
	}
	compare := func(h *exchange.Held, there intakekiosk.SealedSession) {
		if h != nil {
			h.Chains = chainsOf(ours[h], there.Records)
		}
	}
	tests := []struct {
		name    string
		here    *exchange.Held
		there   intakekiosk.SealedSession
		outcome exchange.Outcome
		later   []string
		status  intakekiosk.Status
		urgent  bool
		patient string
	}{
		{"new here", nil, there(intakekiosk.New, true, "", "a", "b"), exchange.Added, []string{"a", "b"}, intakekiosk.New, true, ""},
		{"the same", held(intakekiosk.New, false, "", "a", "b"), there(intakekiosk.New, false, "", "a", "b"), exchange.Existing, nil, intakekiosk.New, false, ""},
		{"more here", held(intakekiosk.New, false, "", "a", "b", "note"), there(intakekiosk.New, false, "", "a", "b"), exchange.Existing, nil, intakekiosk.New, false, ""},
		{"a later note there", held(intakekiosk.New, false, "", "a"), there(intakekiosk.New, false, "", "a", "note"), exchange.Updated, []string{"note"}, intakekiosk.New, false, ""},
		{"no finished status is ahead of another", held(intakekiosk.Incomplete, false, "", "a"), there(intakekiosk.New, false, "", "a"), exchange.Existing, nil, intakekiosk.Incomplete, false, ""},
		{"urgency is never lost", held(intakekiosk.New, true, "", "a"), there(intakekiosk.New, false, "", "a"), exchange.Existing, nil, intakekiosk.New, true, ""},
		{"linked there", held(intakekiosk.New, false, "", "a"), there(intakekiosk.New, false, "p1", "a"), exchange.Updated, nil, intakekiosk.New, false, "p1"},
		{"each side its own note", held(intakekiosk.New, false, "", "a", "ours"), there(intakekiosk.New, true, "", "a", "theirs"),
			exchange.Differ, nil, intakekiosk.New, true, ""},
		{"two writers apart each add a note", held(intakekiosk.New, false, "", "a", "b", "D/note here"),
			there(intakekiosk.New, false, "", "a", "b", "S/note there", "S/second"), exchange.Updated, []string{"S/note there", "S/second"}, intakekiosk.New, false, ""},
		{"the same two writers", held(intakekiosk.New, false, "", "a", "D/n", "b"), there(intakekiosk.New, false, "", "a", "b", "D/n"),
			exchange.Existing, nil, intakekiosk.New, false, ""},
		{"one writer's chain differs", held(intakekiosk.New, false, "", "a", "D/n1"), there(intakekiosk.New, false, "", "a", "D/other", "S/x"),
			exchange.Differ, nil, intakekiosk.New, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			compare(tt.here, tt.there)
			p := exchange.Merge(tt.here, tt.there)
			if p.Outcome != tt.outcome || !slices.Equal(payloads(p.Later), tt.later) || p.Status != tt.status || p.Urgent != tt.urgent || p.PatientID != tt.patient {
				t.Errorf("Merge = %+v (later %q), want %v later %q status %s urgent %v patient %q",
					p, payloads(p.Later), tt.outcome, tt.later, tt.status, tt.urgent, tt.patient)
			}
		})
	}
	other := held(intakekiosk.New, false, "", "a")
	other.Started = "2026-11-24T15:00:00.000000000Z"
	compare(other, there(intakekiosk.New, true, "", "a", "b"))
	if p := exchange.Merge(other, there(intakekiosk.New, true, "", "a", "b")); p.Outcome != exchange.Conflict || p.Changes(other) || len(p.Later) > 0 {
		t.Errorf("another session with the id: %+v, want a conflict changing nothing", p)
	}
}

func TestMergePatient(t *testing.T) {
	p := intakekiosk.SealedPatient{ID: "p", Records: recs("code", "plan")}
	for _, tt := range []struct {
		name    string
		here    []string
		held    bool
		outcome exchange.Outcome
		later   []string
	}{
		{"new", nil, false, exchange.Added, []string{"code", "plan"}},
		{"a plan there", []string{"code"}, true, exchange.Updated, []string{"plan"}},
		{"the same", []string{"code", "plan"}, true, exchange.Existing, nil},
		{"a new code here", []string{"code", "code2"}, true, exchange.Differ, nil},
		{"a plan here by another writer", []string{"code", "D/plan2"}, true, exchange.Updated, []string{"plan"}},
	} {
		outcome, later := exchange.MergePatient(tt.held, chainsOf(recs(tt.here...), p.Records), p)
		if outcome != tt.outcome || !slices.Equal(payloads(later), tt.later) {
			t.Errorf("%s: %v %q, want %v %q", tt.name, outcome, payloads(later), tt.outcome, tt.later)
		}
	}
}

// source is a Source over a list, by destination.
type source struct {
	items []exchange.Item
	sent  map[string]map[string]bool
}

func (s *source) Unsent(_ context.Context, dest string, _ time.Time, fn func(exchange.Item) error) error {
	for _, it := range s.items {
		id := it.Session.ID
		if !s.sent[dest][id] {
			if err := fn(it); err != nil {
				return err
			}
		}
	}
	return nil
}

// sink keeps what it is given; it fails at the item named fail.
type sink struct {
	got  []string
	fail string
}

var errGone = errors.New("the server went away")

func (s *sink) Put(_ context.Context, it exchange.Item) error {
	if it.Session.ID == s.fail {
		return errGone
	}
	s.got = append(s.got, it.Session.ID)
	return nil
}

func TestCopyNamesWhatWentAndNothingOnFailure(t *testing.T) {
	at := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	src := &source{sent: map[string]map[string]bool{"bundle": {"a": true}}}
	for _, id := range []string{"a", "b", "c"} {
		src.items = append(src.items, exchange.Item{Session: &intakekiosk.SealedSession{ID: id}})
	}
	var usb sink
	sent, err := exchange.Copy(context.Background(), src, &usb, "bundle", time.Time{}, at)
	if err != nil || !slices.Equal(sent.Sessions, []string{"b", "c"}) || !slices.Equal(usb.got, sent.Sessions) || sent.Dest != "bundle" || !sent.At.Equal(at) {
		t.Errorf("to the bundle: %+v, %v (sink got %v)", sent, err, usb.got)
	}
	server := sink{fail: "b"}
	sent, err = exchange.Copy(context.Background(), src, &server, "server", time.Time{}, at)
	if !errors.Is(err, errGone) || !sent.Empty() {
		t.Errorf("a failed copy = %+v, %v; want nothing named as sent", sent, err)
	}
}

// Printed and reviewed each only move forward: a mark here stands, one
// only there is taken; attention, like urgency, is never lost.
func TestMergeMarks(t *testing.T) {
	const t1, t2 = "2026-11-25T10:00:00.000000000Z", "2026-11-25T11:00:00.000000000Z"
	tests := []struct {
		name        string
		here        exchange.Held
		there       intakekiosk.SealedSession
		want        exchange.Plan
		changesHere bool
	}{
		{"reviewed there", exchange.Held{}, intakekiosk.SealedSession{Reviewed: t1, ReviewedBy: "Sam"},
			exchange.Plan{Reviewed: t1, ReviewedBy: "Sam"}, true},
		{"reviewed here first", exchange.Held{Reviewed: t1, ReviewedBy: "Ada"}, intakekiosk.SealedSession{Reviewed: t2, ReviewedBy: "Sam"},
			exchange.Plan{Reviewed: t1, ReviewedBy: "Ada"}, false},
		{"printed there, reviewed here", exchange.Held{Reviewed: t1, ReviewedBy: "Ada"}, intakekiosk.SealedSession{Printed: t2},
			exchange.Plan{Reviewed: t1, ReviewedBy: "Ada", Printed: t2}, true},
		{"printed here", exchange.Held{Printed: t1}, intakekiosk.SealedSession{Printed: t2},
			exchange.Plan{Printed: t1}, false},
		{"attention there", exchange.Held{}, intakekiosk.SealedSession{Attention: true}, exchange.Plan{Attention: true}, true},
		{"attention here", exchange.Held{Attention: true}, intakekiosk.SealedSession{}, exchange.Plan{Attention: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			here := tt.here
			here.Status, here.Started = intakekiosk.New, t1
			tt.there.Status, tt.there.Started = intakekiosk.New, t1
			p := exchange.Merge(&here, tt.there)
			got := exchange.Plan{Printed: p.Printed, Reviewed: p.Reviewed, ReviewedBy: p.ReviewedBy, Attention: p.Attention}
			if got.Printed != tt.want.Printed || got.Reviewed != tt.want.Reviewed || got.ReviewedBy != tt.want.ReviewedBy ||
				got.Attention != tt.want.Attention || p.Changes(&here) != tt.changesHere {
				t.Errorf("Merge = %+v (changes %v), want %+v (changes %v)", got, p.Changes(&here), tt.want, tt.changesHere)
			}
		})
	}
}

// A copy's chains must run 1, 2, 3… writer by writer: a merge takes
// them apart by place.
func TestCheckChains(t *testing.T) {
	for _, tt := range []struct {
		name string
		recs []intakekiosk.SealedRecord
		bad  int
		ok   bool
	}{
		{"none", nil, 0, true},
		{"two writers interleaved", recs("a", "D/n", "b", "D/m"), 0, true},
		{"a place skipped", []intakekiosk.SealedRecord{{Writer: "K", Seq: 1}, {Writer: "K", Seq: 3}}, 1, false},
		{"out of order", []intakekiosk.SealedRecord{{Writer: "K", Seq: 2}, {Writer: "K", Seq: 1}}, 0, false},
		{"a place twice", []intakekiosk.SealedRecord{{Writer: "K", Seq: 1}, {Writer: "D", Seq: 1}, {Writer: "K", Seq: 1}}, 2, false},
		{"no place", []intakekiosk.SealedRecord{{Writer: "K"}}, 0, false},
	} {
		if bad, ok := exchange.CheckChains(tt.recs); bad != tt.bad || ok != tt.ok {
			t.Errorf("%s: CheckChains = %d, %v; want %d, %v", tt.name, bad, ok, tt.bad, tt.ok)
		}
	}
}

// A patient's days asked merge instrument by instrument, the later day
// winning whichever side holds it.
func TestMergeAsked(t *testing.T) {
	here := map[string]string{"bam": "2026-03-10", "phq9": "2026-03-01"}
	there := map[string]string{"bam": "2026-03-03", "phq9": "2026-03-15", "gad7": "2026-03-15"}
	got := exchange.MergeAsked(here, there)
	if want := map[string]string{"phq9": "2026-03-15", "gad7": "2026-03-15"}; !maps.Equal(got, want) {
		t.Errorf("merge %v, want %v", got, want)
	}
	if got := exchange.MergeAsked(here, here); got != nil {
		t.Errorf("the same days merge as %v", got)
	}
	if got := exchange.MergeAsked(nil, there); len(got) != 3 {
		t.Errorf("into none: %v", got)
	}
}
