package screening_test

import (
	"fmt"
	"slices"
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

func TestAskedAt(t *testing.T) {
	tests := []struct {
		for_               []string
		screening, checkin bool
	}{
		{for_: nil, screening: true},        // no "for": screening only
		{for_: []string{}, screening: true}, // an empty list too
		{for_: []string{"screening"}, screening: true},
		{for_: []string{"checkin"}, checkin: true},
		{for_: []string{"screening", "checkin"}, screening: true, checkin: true},
		{for_: []string{"checkin", "screening"}, screening: true, checkin: true},
	}
	for _, tt := range tests {
		in := &screening.Instrument{ID: "x", For: tt.for_}
		for kind, want := range map[string]bool{
			screening.ForScreening: tt.screening,
			screening.ForCheckin:   tt.checkin,
			"":                     false,
			"daily":                false,
			"Screening":            false,
		} {
			if got := in.AskedAt(kind); got != want {
				t.Errorf("for %q: AskedAt(%q) %v, want %v", tt.for_, kind, got, want)
			}
		}
	}
	if screening.ForScreening != "screening" || screening.ForCheckin != "checkin" {
		t.Errorf("kinds %q %q: the instrument files spell them screening, checkin", screening.ForScreening, screening.ForCheckin)
	}
}

func instrumentIDs(ins []*screening.Instrument) []string {
	ids := []string{}
	for _, in := range ins {
		ids = append(ids, in.ID)
	}
	return ids
}

// Each kind of visit asks its own built-in instruments, in catalog order.
func TestSessionKinds(t *testing.T) {
	c := testkit.Catalog(t)
	tests := []struct {
		kind    string
		enabled []string
		want    []string
	}{
		{kind: screening.ForScreening, want: []string{"kratom", "sows", "phq9", "gad7", "dast10", "auditc"}},
		{kind: screening.ForCheckin, want: []string{"checkin_use", "sows", "checkin_day", "checkin_safety"}},
		{kind: "daily", want: []string{}},
		// enabled narrows the kind's instruments, it never adds another kind's
		{kind: screening.ForCheckin, enabled: []string{"checkin_day", "kratom", "sows"}, want: []string{"sows", "checkin_day"}},
		{kind: screening.ForScreening, enabled: []string{"checkin_use", "auditc", "sows"}, want: []string{"sows", "auditc"}},
		{kind: screening.ForCheckin, enabled: []string{}, want: []string{}},
	}
	for _, tt := range tests {
		name := tt.kind
		if tt.enabled != nil {
			name += fmt.Sprint(tt.enabled)
		}
		t.Run(name, func(t *testing.T) {
			s := screening.NewSessionFor(c, tt.kind, tt.enabled)
			if got := instrumentIDs(s.Instruments()); !slices.Equal(got, tt.want) {
				t.Errorf("session instruments %v, want %v", got, tt.want)
			}
			if tt.enabled == nil {
				var asked []*screening.Instrument
				for _, in := range c.Instruments() {
					if in.AskedAt(tt.kind) {
						asked = append(asked, in)
					}
				}
				if got := instrumentIDs(asked); !slices.Equal(got, tt.want) {
					t.Errorf("AskedAt picks %v, want %v", got, tt.want)
				}
			}
			if len(tt.want) == 0 && len(s.Steps(now)) != 0 {
				t.Errorf("steps %v in a session without instruments", stepKeys(s.Steps(now)))
			}
		})
	}
	// NewSession is the screening kind.
	for _, enabled := range [][]string{nil, {"sows", "checkin_day"}} {
		got := instrumentIDs(screening.NewSession(c, enabled).Instruments())
		want := instrumentIDs(screening.NewSessionFor(c, screening.ForScreening, enabled).Instruments())
		if !slices.Equal(got, want) {
			t.Errorf("NewSession(%v) %v, NewSessionFor screening %v", enabled, got, want)
		}
	}
}

// A clinic file's "for" is read, and a file with a bad one is rejected by
// Load while the others load.
func TestLoadKindsOfVisit(t *testing.T) {
	good := mutate(t, baseInstrument, `"order": 100,`, `"order": 100, "for": ["checkin"],`)
	bad := mutate(t, mutate(t, baseInstrument, `"order": 100,`, `"order": 100, "for": ["daily"],`), `"id": "test",`, `"id": "bad",`)
	c, errs := screening.Load(screening.Source{Name: "clinic", FS: mapFS("test.json", good, "bad.json", bad)})
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	fe := fileError(t, errs[0])
	if fe.File != "clinic/bad.json" || fe.Item != "" || fe.Field != "for[0]" {
		t.Errorf("got %q (file %q item %q field %q), want clinic/bad.json field for[0]", fe.Error(), fe.File, fe.Item, fe.Field)
	}
	if _, ok := c.Instrument("bad"); ok {
		t.Error("the file with a bad kind of visit was kept")
	}
	in := instrument(t, c, "test")
	if !slices.Equal(in.For, []string{"checkin"}) || in.AskedAt(screening.ForScreening) || !in.AskedAt(screening.ForCheckin) {
		t.Errorf("for %q", in.For)
	}
	if got := instrumentIDs(screening.NewSession(c, nil).Instruments()); len(got) != 0 {
		t.Errorf("screening session over a check-in file: %v", got)
	}
	// Check refuses the bad file the same way.
	err := screening.Check("clinic/bad.json", []byte(bad), c)
	if err == nil || fileError(t, err).Field != "for[0]" {
		t.Errorf("Check: %v", err)
	}
}

// validAnswer answers a step with the override for its item, else with a
// valid answer of its kind: the first option, the minimum, a day ago.
func validAnswer(st screening.Step, overrides map[screening.Key]screening.Answer) screening.Answer {
	if a, ok := overrides[st.Key()]; ok {
		return a
	}
	in, it := st.Instrument.ID, st.Item
	switch it.Kind {
	case screening.Single:
		return pick(in, it.ID, it.Options[0].Value)
	case screening.Multi:
		return picks(in, it.ID, it.Options[0].Value)
	case screening.Number:
		min := 0.0
		if it.Min != nil {
			min = *it.Min
		}
		return num(in, it.ID, min)
	case screening.When:
		return ago(in, it.ID, 24)
	default:
		return text(in, it.ID, "fine")
	}
}

// walk answers every question of the session as the kiosk meets them
// (NextUnanswered from the start), and returns the questions answered.
func walk(t *testing.T, s *screening.Session, overrides map[screening.Key]screening.Answer) []string {
	t.Helper()
	var walked []string
	for st, ok := s.NextUnanswered(screening.Key{}, now); ok; st, ok = s.NextUnanswered(st.Key(), now) {
		if len(walked) > 100 {
			t.Fatalf("walk does not end: %v", walked)
		}
		set(t, s, validAnswer(st, overrides))
		walked = append(walked, st.Key().String())
	}
	return walked
}

func sowsKeys() []string {
	var ks []string
	for i := 1; i <= 16; i++ {
		ks = append(ks, fmt.Sprintf("sows/%d", i))
	}
	return ks
}

// A complete daily check-in: the kratom-use questions, SOWS (scored), and
// the day's questions, with their branching.
func TestCheckinSession(t *testing.T) {
	c := testkit.Catalog(t)
	sows := instrument(t, c, "sows")
	tests := []struct {
		name      string
		answers   []screening.Answer
		sows      []int
		use, day  []string // the check-in questions asked, SOWS between
		sowsTotal int
		sowsBand  string
		sowsFlags []string
	}{
		{
			// over a day since the last dose: no amount of the last 24 hours asked
			name:      "none taken, another trigger",
			answers:   []screening.Answer{ago("checkin_use", "last_dose", 60), picks("checkin_day", "triggers", "stress", "other"), text("checkin_day", "trigger_other", "a party")},
			sows:      []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
			use:       []string{"last_dose"},
			day:       []string{"sleep", "craving", "mood", "triggers", "trigger_other", "helped", "note"},
			sowsTotal: 16, sowsBand: "Moderate", sowsFlags: []string{},
		},
		{
			name:      "none taken within the day",
			answers:   []screening.Answer{ago("checkin_use", "last_dose", 23), num("checkin_use", "grams", 0), picks("checkin_day", "triggers", "stress", "other"), text("checkin_day", "trigger_other", "a party")},
			sows:      []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
			use:       []string{"last_dose", "grams"},
			day:       []string{"sleep", "craving", "mood", "triggers", "trigger_other", "helped", "note"},
			sowsTotal: 16, sowsBand: "Moderate", sowsFlags: []string{},
		},
		{
			name:      "some taken, no other trigger",
			answers:   []screening.Answer{num("checkin_use", "grams", 4.5), num("checkin_use", "doses", 2), picks("checkin_day", "triggers", "stress", "people")},
			sows:      []int{2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1},
			use:       []string{"last_dose", "grams", "doses"},
			day:       []string{"sleep", "craving", "mood", "triggers", "helped", "note"},
			sowsTotal: 24, sowsBand: "Severe", sowsFlags: []string{"severe_withdrawal"},
		},
		{
			// a declined amount is not 0: the doses are still asked
			name:      "amount declined, no triggers",
			answers:   []screening.Answer{decline("checkin_use", "grams"), picks("checkin_day", "triggers", "none")},
			sows:      make([]int, 16),
			use:       []string{"last_dose", "grams", "doses"},
			day:       []string{"sleep", "craving", "mood", "triggers", "helped", "note"},
			sowsTotal: 0, sowsBand: "None", sowsFlags: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			overrides := map[screening.Key]screening.Answer{}
			for _, a := range append(tt.answers, byPoints(t, sows, tt.sows)...) {
				overrides[a.Key()] = a
			}
			s := screening.NewSessionFor(c, screening.ForCheckin, nil)
			walked := walk(t, s, overrides)
			var want []string
			for _, id := range tt.use {
				want = append(want, "checkin_use/"+id)
			}
			want = append(want, sowsKeys()...)
			for _, id := range tt.day {
				want = append(want, "checkin_day/"+id)
			}
			// every check-in asks the two safety questions last
			want = append(want, "checkin_safety/wish_dead", "checkin_safety/thoughts")
			if !slices.Equal(walked, want) {
				t.Errorf("walked %v\nwant   %v", walked, want)
			}
			steps := s.Steps(now)
			if got := stepKeys(steps); !slices.Equal(got, want) {
				t.Errorf("steps %v", got)
			}
			if n := s.Answered(now); n != len(steps) {
				t.Errorf("%d of %d questions answered", n, len(steps))
			}
			if st, ok := s.Step(key("checkin_use", "grams"), now); ok != (len(tt.use) > 1) || ok && (st.N != 2 || st.Of != len(tt.use)) {
				t.Errorf("grams is question %d/%d (asked %v), want 2/%d", st.N, st.Of, ok, len(tt.use))
			}
			rs := s.Results(now)
			var got []string
			for _, r := range rs {
				got = append(got, r.Instrument.ID)
			}
			if !slices.Equal(got, []string{"checkin_use", "sows", "checkin_day", "checkin_safety"}) {
				t.Fatalf("results for %v", got)
			}
			r := rs[1]
			if r.Skipped || !r.Scored || r.Total != tt.sowsTotal || bandLabel(r) != tt.sowsBand || !slices.Equal(flagIDs(r), tt.sowsFlags) {
				t.Errorf("SOWS skipped %v scored %v total %d band %q flags %v, want %d %q %v",
					r.Skipped, r.Scored, r.Total, bandLabel(r), flagIDs(r), tt.sowsTotal, tt.sowsBand, tt.sowsFlags)
			}
			for _, r := range []screening.Result{rs[0], rs[2]} {
				if r.Skipped || r.Scored || len(r.Flags) != 0 {
					t.Errorf("%s: skipped %v scored %v flags %v (not scored, no flags)", r.Instrument.ID, r.Skipped, r.Scored, flagIDs(r))
				}
			}
			if s.Urgent(now) {
				t.Error("a check-in is urgent")
			}
		})
	}
}

// The check-in's two branches, answer by answer.
func TestCheckinBranching(t *testing.T) {
	c := testkit.Catalog(t)
	asked := func(s *screening.Session, inst, item string) bool {
		_, ok := s.Step(key(inst, item), now)
		return ok
	}
	doses := []struct {
		grams *screening.Answer
		asked bool
	}{
		{nil, true}, // no answer yet: asked (a test of an unanswered item is false)
		{ptr(num("checkin_use", "grams", 0)), false},
		{ptr(num("checkin_use", "grams", 0.5)), true},
		{ptr(num("checkin_use", "grams", 300)), true},
		{ptr(decline("checkin_use", "grams")), true},
	}
	for _, tt := range doses {
		s := screening.NewSessionFor(c, screening.ForCheckin, nil)
		if tt.grams != nil {
			set(t, s, *tt.grams)
		}
		if got := asked(s, "checkin_use", "doses"); got != tt.asked {
			t.Errorf("grams %s: doses asked %v, want %v", describeAnswer(tt.grams), got, tt.asked)
		}
	}
	other := []struct {
		triggers *screening.Answer
		asked    bool
	}{
		{nil, false},
		{ptr(picks("checkin_day", "triggers", "other")), true},
		{ptr(picks("checkin_day", "triggers", "people", "other")), true},
		{ptr(picks("checkin_day", "triggers", "stress", "boredom")), false},
		{ptr(picks("checkin_day", "triggers", "none")), false},
		{ptr(decline("checkin_day", "triggers")), false},
	}
	for _, tt := range other {
		s := screening.NewSessionFor(c, screening.ForCheckin, nil)
		if tt.triggers != nil {
			set(t, s, *tt.triggers)
		}
		if got := asked(s, "checkin_day", "trigger_other"); got != tt.asked {
			t.Errorf("triggers %s: trigger_other asked %v, want %v", describeAnswer(tt.triggers), got, tt.asked)
		}
	}

	// Changing an answer on the review screen opens or closes a question.
	s := screening.NewSessionFor(c, screening.ForCheckin, nil)
	walk(t, s, map[screening.Key]screening.Answer{
		key("checkin_use", "grams"):    num("checkin_use", "grams", 0),
		key("checkin_day", "triggers"): picks("checkin_day", "triggers", "other"),
	})
	if _, ok := s.Answer(key("checkin_use", "doses")); ok {
		t.Error("doses answered although 0 g were taken")
	}
	set(t, s, num("checkin_use", "grams", 3))
	if st, ok := s.NextUnanswered(key("checkin_use", "grams"), now); !ok || st.Key() != key("checkin_use", "doses") || st.N != 3 || st.Of != 3 {
		t.Errorf("after changing grams to 3: %s %d/%d %v", st.Key(), st.N, st.Of, ok)
	}
	set(t, s, num("checkin_use", "doses", 1))
	before := s.Answered(now)
	set(t, s, picks("checkin_day", "triggers", "stress"))
	if asked(s, "checkin_day", "trigger_other") {
		t.Error("trigger_other still asked without \"other\"")
	}
	// the stale answer to trigger_other counts no more
	if n, steps := s.Answered(now), len(s.Steps(now)); n != before-1 || n != steps {
		t.Errorf("Answered %d (before %d) of %d steps", n, before, steps)
	}
	if st, ok := s.NextUnanswered(screening.Key{}, now); ok {
		t.Errorf("%s unanswered", st.Key())
	}
}

func ptr[T any](v T) *T { return &v }

func describeAnswer(a *screening.Answer) string {
	switch {
	case a == nil:
		return "unanswered"
	case a.Declined:
		return "declined"
	case a.Number != nil:
		return screening.FormatNumber(*a.Number, 1)
	default:
		return fmt.Sprint(a.Choices)
	}
}
