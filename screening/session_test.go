package screening_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

func key(inst, item string) screening.Key { return screening.Key{Instrument: inst, Item: item} }

// set records answers that must be valid.
func set(t *testing.T, s *screening.Session, as ...screening.Answer) {
	t.Helper()
	for _, a := range as {
		if _, err := s.Set(a, now); err != nil {
			t.Fatalf("Set %s: %v", a.Key(), err)
		}
	}
}

func stepKeys(steps []screening.Step) []string {
	var ks []string
	for _, st := range steps {
		ks = append(ks, st.Key().String())
	}
	return ks
}

// kratomSteps are the kratom questions asked before any answer:
// daily_co_use waits for a substance to be ticked; pregnant is asked until
// sex at birth says male.
var kratomSteps = []string{"forms", "doses_per_day", "grams_per_day", "duration", "last_dose", "reasons",
	"other_substances", "triggers", "coping", "quit_attempts", "past_severe_withdrawal", "sex", "pregnant", "seizures", "medicines"}

func TestStepsOfANewSession(t *testing.T) {
	s := screening.NewSession(testkit.Catalog(t), nil)
	steps := s.Steps(now)
	// kratom 15 (daily_co_use skipped), SOWS 16, PHQ-9 9 (item 10 skipped
	// while the total is 0), GAD-7 7, DAST-10 10, AUDIT-C 3; none of the
	// check-in instruments.
	want := map[string]int{"kratom": 15, "sows": 16, "phq9": 9, "gad7": 7, "dast10": 10, "auditc": 3}
	if len(steps) != 60 {
		t.Fatalf("%d steps, want 60: %v", len(steps), stepKeys(steps))
	}
	per := map[string]int{}
	for i, st := range steps {
		per[st.Instrument.ID]++
		if st.N != per[st.Instrument.ID] {
			t.Errorf("step %d (%s): N %d, want %d", i, st.Key(), st.N, per[st.Instrument.ID])
		}
	}
	for _, st := range steps {
		if st.Of != want[st.Instrument.ID] {
			t.Errorf("%s: Of %d, want %d", st.Key(), st.Of, want[st.Instrument.ID])
		}
	}
	for i, id := range kratomSteps {
		if steps[i].Key() != key("kratom", id) {
			t.Errorf("step %d is %s, want kratom/%s", i, steps[i].Key(), id)
		}
	}
	if len(kratomSteps) != want["kratom"] {
		t.Errorf("kratomSteps lists %d questions, want %d", len(kratomSteps), want["kratom"])
	}
	if s.Answered(now) != 0 {
		t.Errorf("Answered %d", s.Answered(now))
	}
}

func TestEnabledInstruments(t *testing.T) {
	s := screening.NewSession(testkit.Catalog(t), []string{"auditc", "phq9"})
	var ids []string
	for _, in := range s.Instruments() {
		ids = append(ids, in.ID)
	}
	if !slices.Equal(ids, []string{"phq9", "auditc"}) {
		t.Errorf("instruments %v, want catalog order [phq9 auditc]", ids)
	}
	if n := len(s.Steps(now)); n != 12 {
		t.Errorf("%d steps, want 12", n)
	}
	// AUDIT-C falls back to the default cut-off when kratom is not enabled.
	set(t, s, pick("auditc", "1", "monthly_or_less"), pick("auditc", "2", "3_4"), pick("auditc", "3", "less_than_monthly"))
	r := s.Results(now)[1]
	if bandLabel(r) != "Positive screen" || !strings.HasPrefix(r.BandNote["en"], "Sex not given") {
		t.Errorf("AUDIT-C band %q note %q", bandLabel(r), r.BandNote["en"])
	}
}

func TestNextAndPrev(t *testing.T) {
	s := screening.NewSession(testkit.Catalog(t), nil)
	tests := []struct {
		name   string
		next   bool
		from   screening.Key
		want   screening.Key
		ok     bool
		n, of  int
		before []screening.Answer
	}{
		{name: "first question", next: true, from: screening.Key{}, want: key("kratom", "forms"), ok: true, n: 1, of: 15},
		{name: "within an instrument", next: true, from: key("kratom", "forms"), want: key("kratom", "doses_per_day"), ok: true, n: 2, of: 15},
		{name: "over a skipped item", next: true, from: key("kratom", "other_substances"), want: key("kratom", "triggers"), ok: true, n: 8, of: 15},
		{name: "into the next instrument", next: true, from: key("kratom", "medicines"), want: key("sows", "1"), ok: true, n: 1, of: 16},
		{name: "over PHQ-9 item 10", next: true, from: key("phq9", "9"), want: key("gad7", "1"), ok: true, n: 1, of: 7},
		{name: "after the last", next: true, from: key("auditc", "3"), ok: false},
		{name: "back into the previous instrument", from: key("sows", "1"), want: key("kratom", "medicines"), ok: true, n: 15, of: 15},
		{name: "back over a skipped item", from: key("kratom", "triggers"), want: key("kratom", "other_substances"), ok: true, n: 7, of: 15},
		{name: "back to the previous question", from: key("kratom", "quit_attempts"), want: key("kratom", "coping"), ok: true, n: 9, of: 15},
		{name: "back from the first", from: key("kratom", "forms"), ok: false},
		{name: "from an item branching skips", next: true, from: key("kratom", "daily_co_use"), want: key("kratom", "triggers"), ok: true, n: 8, of: 15},
		{name: "back from an item branching skips", from: key("kratom", "daily_co_use"), want: key("kratom", "other_substances"), ok: true, n: 7, of: 15},
		{name: "AUDIT-C never ends the session", next: true, from: key("auditc", "1"), ok: false,
			before: []screening.Answer{pick("auditc", "1", "never")}},
		{name: "a ticked substance opens daily co-use", next: true, from: key("kratom", "other_substances"), want: key("kratom", "daily_co_use"), ok: true, n: 8, of: 16,
			before: []screening.Answer{picks("kratom", "other_substances", "opioids")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := screening.NewSession(s.Catalog(), nil)
			set(t, s, tt.before...)
			move := s.Prev
			if tt.next {
				move = s.Next
			}
			st, ok := move(tt.from, now)
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v (got %s)", ok, tt.ok, st.Key())
			}
			if !ok {
				return
			}
			if st.Key() != tt.want || st.N != tt.n || st.Of != tt.of {
				t.Errorf("got %s %d/%d, want %s %d/%d", st.Key(), st.N, st.Of, tt.want, tt.n, tt.of)
			}
		})
	}
}

// Walking Next from the start visits exactly Steps, in order.
func TestNextWalksAllSteps(t *testing.T) {
	s := screening.NewSession(testkit.Catalog(t), nil)
	var walked []string
	for st, ok := s.Next(screening.Key{}, now); ok; st, ok = s.Next(st.Key(), now) {
		walked = append(walked, st.Key().String())
	}
	if want := stepKeys(s.Steps(now)); !slices.Equal(walked, want) {
		t.Errorf("walked %v\nwant %v", walked, want)
	}
	var back []string
	for st, ok := s.Prev(key("auditc", "3"), now); ok; st, ok = s.Prev(st.Key(), now) {
		back = append(back, st.Key().String())
	}
	slices.Reverse(back)
	if want := stepKeys(s.Steps(now)); !slices.Equal(back, want[:len(want)-1]) {
		t.Errorf("walked back %v", back)
	}
}

// The difficulty question that ends the PHQ-9 (item 10) and the GAD-7
// (item 8) is asked once any problem is checked, and never scored.
func TestDifficultyItemBranching(t *testing.T) {
	tests := []struct {
		inst, item, problem, before string
		scored                      int
	}{
		{inst: "phq9", item: "10", problem: "4", before: "9", scored: 9},
		{inst: "gad7", item: "8", problem: "4", before: "7", scored: 7},
	}
	for _, tt := range tests {
		t.Run(tt.inst, func(t *testing.T) {
			s := screening.NewSession(testkit.Catalog(t), []string{tt.inst})
			asked := func() bool {
				_, ok := s.Step(key(tt.inst, tt.item), now)
				return ok
			}
			if asked() {
				t.Fatal("asked before any problem was checked")
			}
			set(t, s, byPoints(t, instrument(t, s.Catalog(), tt.inst), make([]int, tt.scored))...)
			if asked() {
				t.Error("asked with a total of 0")
			}
			set(t, s, pick(tt.inst, tt.problem, "several_days"))
			all := tt.scored + 1
			st, ok := s.Step(key(tt.inst, tt.item), now)
			if !ok || st.N != all || st.Of != all {
				t.Fatalf("with a total of 1: %v %d/%d", ok, st.N, st.Of)
			}
			if first, _ := s.Step(key(tt.inst, "1"), now); first.Of != all {
				t.Errorf("item 1 Of %d, want %d", first.Of, all)
			}
			if next, ok := s.Next(key(tt.inst, tt.before), now); !ok || next.Key() != key(tt.inst, tt.item) {
				t.Errorf("Next after item %s: %s %v", tt.before, next.Key(), ok)
			}
			// not scored: the total stays 1 whatever the difficulty
			for _, v := range []string{"not_difficult", "extremely_difficult"} {
				set(t, s, pick(tt.inst, tt.item, v))
				if r := s.Results(now)[0]; !r.Scored || r.Total != 1 || slices.Contains(r.Missing, tt.item) {
					t.Errorf("%s: total %d scored %v missing %v, want 1", v, r.Total, r.Scored, r.Missing)
				}
			}
			// declined, it is not a missing scored item either
			set(t, s, decline(tt.inst, tt.item))
			if r := s.Results(now)[0]; !r.Scored || r.Total != 1 {
				t.Errorf("declined: total %d scored %v", r.Total, r.Scored)
			}
			// back to no problems: no longer asked
			set(t, s, pick(tt.inst, tt.problem, "not_at_all"))
			if asked() {
				t.Error("still asked after the total went back to 0")
			}
		})
	}
}

func TestDailyCoUseBranching(t *testing.T) {
	tests := []struct {
		substances []string
		asked      bool
	}{
		{[]string{"alcohol"}, true},
		{[]string{"benzodiazepines"}, true},
		{[]string{"opioids", "cannabis"}, true},
		{[]string{"stimulants", "cannabis"}, false},
		{[]string{"none"}, false},
	}
	for _, tt := range tests {
		s := screening.NewSession(testkit.Catalog(t), []string{"kratom"})
		set(t, s, picks("kratom", "other_substances", tt.substances...))
		_, ok := s.Step(key("kratom", "daily_co_use"), now)
		if ok != tt.asked {
			t.Errorf("%v: daily_co_use asked %v, want %v", tt.substances, ok, tt.asked)
		}
	}
	s := screening.NewSession(testkit.Catalog(t), []string{"kratom"})
	set(t, s, picks("kratom", "other_substances", "cannabis"))
	if st, _ := s.Next(key("kratom", "other_substances"), now); st.Key() != key("kratom", "triggers") {
		t.Errorf("Next %s", st.Key())
	}
	set(t, s, pick("kratom", "quit_attempts", "never"))
	if _, ok := s.Step(key("kratom", "past_severe_withdrawal"), now); ok {
		t.Error("past_severe_withdrawal asked after 'never tried'")
	}
}

func TestNextUnanswered(t *testing.T) {
	s := screening.NewSession(testkit.Catalog(t), nil)
	set(t, s, picks("kratom", "forms", "leaf"), num("kratom", "doses_per_day", 3))
	if st, ok := s.NextUnanswered(screening.Key{}, now); !ok || st.Key() != key("kratom", "grams_per_day") {
		t.Errorf("from the start: %s %v", st.Key(), ok)
	}
	// The patient answers the whole kratom profile, then goes back on the
	// review screen and ticks alcohol: the new question is next.
	set(t, s,
		num("kratom", "grams_per_day", 5),
		pick("kratom", "duration", "1_3y"),
		ago("kratom", "last_dose", 10),
		picks("kratom", "reasons", "pain"),
		picks("kratom", "other_substances", "none"),
		picks("kratom", "triggers", "stress"),
		picks("kratom", "coping", "none"),
		pick("kratom", "quit_attempts", "never"),
		pick("kratom", "sex", "female"),
		pick("kratom", "pregnant", "not_applicable"),
		pick("kratom", "seizures", "no"),
		text("kratom", "medicines", "none"),
	)
	if n := s.Answered(now); n != 14 {
		t.Errorf("Answered %d, want 14", n)
	}
	if st, ok := s.NextUnanswered(key("kratom", "forms"), now); !ok || st.Key() != key("sows", "1") {
		t.Errorf("after kratom: %s %v", st.Key(), ok)
	}
	set(t, s, picks("kratom", "other_substances", "alcohol"), pick("kratom", "quit_attempts", "once"))
	if st, ok := s.NextUnanswered(key("kratom", "other_substances"), now); !ok || st.Key() != key("kratom", "daily_co_use") {
		t.Errorf("after ticking alcohol: %s %v", st.Key(), ok)
	}
	if st, ok := s.NextUnanswered(key("kratom", "daily_co_use"), now); !ok || st.Key() != key("kratom", "past_severe_withdrawal") {
		t.Errorf("after daily_co_use: %s %v", st.Key(), ok)
	}
	// Nothing left unanswered after the last question.
	if st, ok := s.NextUnanswered(key("auditc", "3"), now); ok {
		t.Errorf("after the last: %s", st.Key())
	}
}

func TestSetRaisesCrisisOnce(t *testing.T) {
	s := screening.NewSession(testkit.Catalog(t), nil)
	steps := []struct {
		a      screening.Answer
		raised []string
	}{
		{pick("phq9", "1", "nearly_every_day"), nil},
		{pick("phq9", "9", "several_days"), []string{"suicidal_ideation"}},
		{pick("phq9", "9", "nearly_every_day"), nil}, // still raised: not again
		{pick("phq9", "2", "several_days"), nil},
		{pick("phq9", "9", "not_at_all"), nil},
		{pick("phq9", "9", "more_than_half"), []string{"suicidal_ideation"}}, // raised anew
		{decline("phq9", "9"), nil},                                          // not a crisis
		{picks("kratom", "forms", "7oh"), nil},                               // a red flag, not a crisis
	}
	for i, st := range steps {
		flags, err := s.Set(st.a, now)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		var got []string
		for _, f := range flags {
			got = append(got, f.ID)
		}
		if !slices.Equal(got, st.raised) {
			t.Errorf("step %d (%s): raised %v, want %v", i, st.a.Key(), got, st.raised)
		}
	}
	if s.Urgent(now) {
		t.Error("urgent after item 9 was declined")
	}
	set(t, s, pick("phq9", "9", "several_days"))
	if !s.Urgent(now) {
		t.Error("not urgent with item 9 > 0")
	}
}

func TestSetRefusesInvalidAnswers(t *testing.T) {
	c := testkit.Catalog(t)
	future := now.Add(time.Minute)
	longAgo := now.AddDate(-11, 0, 0)
	tests := []struct {
		name    string
		a       screening.Answer
		errHas  string
		enabled []string
	}{
		{"unknown instrument", pick("bdi", "1", "0"), "no instrument", nil},
		{"unknown item", pick("phq9", "11", "not_at_all"), "no item", nil},
		{"unknown option", pick("phq9", "1", "sometimes"), "not one of its options", nil},
		{"option of another item", pick("phq9", "1", "very_difficult"), "not one of its options", nil},
		{"no choice", pick("phq9", "1", ""), "not one of its options", nil},
		{"unknown multi option", picks("kratom", "forms", "leaf", "gum"), "not one of its options", nil},
		{"no multi option", picks("kratom", "forms"), "at least one", nil},
		{"option chosen twice", picks("kratom", "forms", "leaf", "leaf"), "chosen twice", nil},
		{"exclusive with others", picks("kratom", "other_substances", "alcohol", "none"), "cannot be combined", nil},
		{"number above max", num("kratom", "doses_per_day", 51), "outside 0 to 50", nil},
		{"number below min", num("kratom", "doses_per_day", -1), "outside 0 to 50", nil},
		{"grams above max", num("kratom", "grams_per_day", 300.5), "outside 0 to 300", nil},
		{"infinite number", num("kratom", "grams_per_day", math.Inf(1)), "outside", nil},
		{"half a dose of whole doses", num("kratom", "doses_per_day", 2.5), "not a whole number", nil},
		{"grams to two decimals", num("kratom", "grams_per_day", 12.34), "more than 1 decimals", nil},
		{"not a number", num("kratom", "grams_per_day", math.NaN()), "not a number", nil},
		{"no number", screening.Answer{Instrument: "kratom", Item: "doses_per_day"}, "no number", nil},
		{"future time", screening.Answer{Instrument: "kratom", Item: "last_dose", Time: &future}, "future", nil},
		{"time too long ago", screening.Answer{Instrument: "kratom", Item: "last_dose", Time: &longAgo}, "too long ago", nil},
		{"no time", screening.Answer{Instrument: "kratom", Item: "last_dose"}, "no time", nil},
		{"text too long", text("kratom", "medicines", strings.Repeat("é", 201)), "201 characters, at most 200", nil},
		{"blank text", text("kratom", "medicines", "   "), "no text", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := screening.NewSession(c, tt.enabled)
			flags, err := s.Set(tt.a, now)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err %v, want one containing %q", err, tt.errHas)
			}
			// an error may reach a log: it never repeats the answer
			for _, v := range append([]string{tt.a.Choice, "300.5", "51"}, tt.a.Choices...) {
				if v != "" && strings.Contains(err.Error(), v) {
					t.Errorf("err %v repeats the answer %q", err, v)
				}
			}
			if flags != nil {
				t.Errorf("flags %v with an error", flags)
			}
			if _, ok := s.Answer(tt.a.Key()); ok {
				t.Error("a refused answer was recorded")
			}
		})
	}
	// The edges of each range are accepted.
	s := screening.NewSession(c, nil)
	set(t, s,
		num("kratom", "doses_per_day", 0), num("kratom", "doses_per_day", 50),
		num("kratom", "grams_per_day", 300), num("kratom", "grams_per_day", 0.5),
		ago("kratom", "last_dose", 0),
		text("kratom", "medicines", strings.Repeat("é", 200)),
		picks("kratom", "other_substances", "none"),
		decline("phq9", "9"), decline("kratom", "medicines"),
	)
}

// A file that does not allow "Prefer not to answer" (the default) refuses
// a declined answer, unless an item allows it.
func TestSetRefusesDeclineWhereNotAllowed(t *testing.T) {
	data := mutate(t, baseInstrument, `"id": "b", "kind": "single",`, `"id": "b", "kind": "single", "allow_decline": true,`)
	c, errs := screening.Load(screening.Source{Name: "clinic", FS: fstest.MapFS{"test.json": {Data: []byte(data)}}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := screening.NewSession(c, nil)
	if _, err := s.Set(decline("test", "a"), now); err == nil || !strings.Contains(err.Error(), "cannot be declined") {
		t.Errorf("declining item a: %v", err)
	}
	if _, ok := s.Answer(key("test", "a")); ok {
		t.Error("the refused decline was recorded")
	}
	if _, err := s.Set(decline("test", "b"), now); err != nil {
		t.Errorf("declining item b, which allows it: %v", err)
	}
}

// Numbers the keypad gives fit their items, whatever binary floating
// point makes of them.
func TestNumberDecimalsFit(t *testing.T) {
	c := testkit.Catalog(t)
	for _, a := range []screening.Answer{
		num("kratom", "grams_per_day", 12.3), num("kratom", "grams_per_day", 0.1+0.2), num("kratom", "grams_per_day", 300),
		num("kratom", "doses_per_day", 2), num("kratom", "doses_per_day", 50),
	} {
		it, _ := instrument(t, c, a.Instrument).Item(a.Item)
		if err := it.Validate(a, now); err != nil {
			t.Errorf("%s %v: %v", a.Item, *a.Number, err)
		}
	}
}
