package screening_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"intakekiosk/screening"
)

// asked says whether the session asks an item, given its answers so far.
func asked(s *screening.Session, inst, item string) bool {
	_, ok := s.Step(key(inst, item), now)
	return ok
}

// offered are the values of the options a step offers.
func offered(st screening.Step) []string {
	vs := []string{}
	for _, o := range st.Item.Options {
		vs = append(vs, o.Value)
	}
	return vs
}

// useInstrument offers, in its follow-ups, only what was ticked first.
const useInstrument = `{
  "id": "use", "version": "1", "order": 100,
  "title": {"en": "Use"}, "short_title": {"en": "Use"},
  "attribution": "Written for the tests.", "allow_decline": true,
  "items": [
    {"id": "uses", "kind": "multi", "text": {"en": "Which do you drink?"}, "options": [
      {"value": "tea", "label": {"en": "Tea"}, "points": 0},
      {"value": "coffee", "label": {"en": "Coffee"}, "points": 0},
      {"value": "none", "label": {"en": "None"}, "points": 0, "exclusive": true}
    ]},
    {"id": "daily", "kind": "multi", "text": {"en": "Which every day?"}, "options": [
      {"value": "tea", "label": {"en": "Tea"}, "points": 0, "show_if": {"item": "uses", "op": "includes", "values": ["tea"]}},
      {"value": "coffee", "label": {"en": "Coffee"}, "points": 1, "show_if": {"item": "uses", "op": "includes", "values": ["coffee"]}},
      {"value": "neither", "label": {"en": "Neither every day"}, "points": 0, "exclusive": true}
    ]},
    {"id": "first", "kind": "single", "text": {"en": "Which first in the day?"}, "options": [
      {"value": "tea", "label": {"en": "Tea"}, "points": 0, "show_if": {"item": "uses", "op": "includes", "values": ["tea"]}},
      {"value": "coffee", "label": {"en": "Coffee"}, "points": 2, "show_if": {"item": "uses", "op": "includes", "values": ["coffee"]}}
    ]}
  ],
  "scoring": {"items": ["daily", "first"], "min": 0, "max": 3},
  "flags": [
    {"id": "daily_coffee", "label": {"en": "Coffee every day"}, "when": {"item": "daily", "op": "includes", "values": ["coffee"]}}
  ]
}`

// An option's show_if offers it only when its rule holds; a choice item
// left with no option is not asked and counts as skipped in a score.
func TestOptionShowIf(t *testing.T) {
	c, errs := screening.Load(screening.Source{Name: "clinic", FS: mapFS("use.json", useInstrument)})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		uses         *screening.Answer
		daily, first []string // the options offered; nil: not asked
	}{
		{nil, []string{"neither"}, nil},
		{ptr(picks("use", "uses", "tea")), []string{"tea", "neither"}, []string{"tea"}},
		{ptr(picks("use", "uses", "coffee", "tea")), []string{"tea", "coffee", "neither"}, []string{"tea", "coffee"}},
		{ptr(picks("use", "uses", "none")), []string{"neither"}, nil},
		{ptr(decline("use", "uses")), []string{"neither"}, nil},
	}
	for _, tt := range tests {
		s := screening.NewSession(c, nil)
		if tt.uses != nil {
			set(t, s, *tt.uses)
		}
		for item, want := range map[string][]string{"daily": tt.daily, "first": tt.first} {
			st, ok := s.Step(key("use", item), now)
			switch {
			case ok != (want != nil):
				t.Errorf("uses %s: %s asked %v, want %v", describeAnswer(tt.uses), item, ok, want != nil)
			case ok && !slices.Equal(offered(st), want):
				t.Errorf("uses %s: %s offers %v, want %v", describeAnswer(tt.uses), item, offered(st), want)
			}
		}
		// the item itself keeps every option
		if in := instrument(t, c, "use"); len(in.Items[1].Options) != 3 || len(in.Items[2].Options) != 2 {
			t.Errorf("the instrument's items lost options: %v %v", in.Items[1].Options, in.Items[2].Options)
		}
	}

	// "first" not asked is skipped, not missing: the score stands.
	s := screening.NewSession(c, nil)
	set(t, s, picks("use", "uses", "none"), picks("use", "daily", "neither"))
	if r := s.Results(now)[0]; !r.Scored || r.Total != 0 || len(r.Missing) != 0 {
		t.Errorf("first not asked: scored %v total %d missing %v, want scored 0", r.Scored, r.Total, r.Missing)
	}

	// Answers choosing options no longer offered count for nothing: no
	// flag, no points, asked again; a declined one still counts.
	s = screening.NewSession(c, nil)
	set(t, s, picks("use", "uses", "coffee"), picks("use", "daily", "coffee"), pick("use", "first", "coffee"))
	if r := s.Results(now)[0]; !r.Scored || r.Total != 3 || !slices.Equal(flagIDs(r), []string{"daily_coffee"}) {
		t.Fatalf("coffee: scored %v total %d flags %v", r.Scored, r.Total, flagIDs(r))
	}
	set(t, s, picks("use", "uses", "tea"))
	if r := s.Results(now)[0]; r.Scored || len(flagIDs(r)) != 0 || !slices.Equal(r.Missing, []string{"daily", "first"}) {
		t.Errorf("changed to tea: scored %v flags %v missing %v, want not scored, no flag, daily and first missing", r.Scored, flagIDs(r), r.Missing)
	}
	if n := s.Answered(now); n != 1 {
		t.Errorf("Answered %d, want 1 (uses)", n)
	}
	if st, ok := s.NextUnanswered(key("use", "uses"), now); !ok || st.Key() != key("use", "daily") {
		t.Errorf("next unanswered %s (%v), want use/daily", st.Key(), ok)
	}
	if a, ok := s.Answer(key("use", "daily")); !ok || !slices.Equal(a.Choices, []string{"coffee"}) {
		t.Errorf("the answer given is kept as given: %+v %v", a, ok)
	}
	set(t, s, decline("use", "daily"))
	if n := s.Answered(now); n != 2 {
		t.Errorf("after declining daily: Answered %d, want 2", n)
	}
}

// A show_if naming another instrument must name an earlier one that has
// the item, as a skip_if must.
func TestLoadCrossInstrumentShowIf(t *testing.T) {
	other := func(order int, rule string) string {
		return `{
  "id": "other", "version": "1", "order": ` + strconv.Itoa(order) + `,
  "title": {"en": "Other"}, "short_title": {"en": "Other"},
  "attribution": "Written for the tests.",
  "items": [
    {"id": "q", "kind": "single", "text": {"en": "Q?"}, "options": [
      {"value": "x", "label": {"en": "X"}, "points": 0},
      {"value": "y", "label": {"en": "Y"}, "points": 0, "show_if": ` + rule + `}
    ]}
  ]
}`
	}
	tests := []struct {
		name   string
		order  int
		rule   string
		field  string
		errHas string
	}{
		{"later instrument", 50, `{"instrument": "use", "item": "uses", "op": "answered"}`, "options[1].show_if.instrument", `instrument "use" does not come before "other"`},
		{"missing instrument", 200, `{"instrument": "ghost", "item": "uses", "op": "answered"}`, "options[1].show_if.instrument", `no instrument "ghost" is loaded`},
		{"missing item", 200, `{"instrument": "use", "item": "zz", "op": "answered"}`, "options[1].show_if.item", `instrument "use" has no item "zz"`},
		{"value that is not an option", 200, `{"not": {"instrument": "use", "item": "uses", "op": "includes", "values": ["milk"]}}`, "options[1].show_if.not.values[0]", `"milk" is not an option of item "uses"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, errs := screening.Load(
				screening.Source{Name: "built-in", FS: mapFS("use.json", useInstrument)},
				screening.Source{Name: "clinic", FS: mapFS("other.json", other(tt.order, tt.rule))},
			)
			if len(errs) != 1 {
				t.Fatalf("errors %v, want one", errs)
			}
			fe := fileError(t, errs[0])
			if fe.File != "clinic/other.json" || fe.Item != "q" || fe.Field != tt.field || !strings.Contains(fe.Error(), tt.errHas) {
				t.Errorf("got %q (file %q item %q field %q), want item q field %s and %q", fe.Error(), fe.File, fe.Item, fe.Field, tt.field, tt.errHas)
			}
			if _, ok := c.Instrument("other"); ok {
				t.Error("the bad file was kept")
			}
			// Check refuses it the same way
			if err := screening.Check("clinic/other.json", []byte(other(tt.order, tt.rule)), c); err == nil || fileError(t, err).Field != tt.field {
				t.Errorf("Check: %v", err)
			}
		})
	}
	// a valid one loads and is evaluated
	c, errs := screening.Load(screening.Source{Name: "x", FS: mapFS("use.json", useInstrument,
		"other.json", other(200, `{"instrument": "use", "item": "uses", "op": "includes", "values": ["coffee"]}`))})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := screening.NewSession(c, nil)
	for _, tt := range []struct {
		uses string
		want []string
	}{{"tea", []string{"x"}}, {"coffee", []string{"x", "y"}}} {
		set(t, s, picks("use", "uses", tt.uses))
		if st, ok := s.Step(key("other", "q"), now); !ok || !slices.Equal(offered(st), tt.want) {
			t.Errorf("uses %s: other/q offers %v (%v), want %v", tt.uses, offered(st), ok, tt.want)
		}
	}
}
