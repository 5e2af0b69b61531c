package fhir

import (
	"fmt"
	"strings"
	"testing"

	"intakekiosk/screening"
)

// said is enableWhen in short: "question op answer" joined by the
// behavior, "" when there is none.
func said(tests []enableWhen, behavior string) string {
	var parts []string
	for _, e := range tests {
		var a string
		switch {
		case e.AnswerCoding != nil:
			a = e.AnswerCoding.Code
		case e.AnswerDecimal != nil:
			a = fmt.Sprint(*e.AnswerDecimal)
		case e.AnswerBoolean != nil:
			a = fmt.Sprint(*e.AnswerBoolean)
		}
		parts = append(parts, e.Question+" "+e.Operator+" "+a)
	}
	return strings.Join(parts, " "+behavior+" ")
}

// The branching of the instrument files, as each Questionnaire says it:
// an item is enabled when its skip_if does not hold; what FHIR cannot say
// leaves the item always enabled.
func TestEnableWhenOfTheInstruments(t *testing.T) {
	cat := catalog(t)
	w := writer(t, cat)
	tests := []struct{ inst, item, want string }{
		{"auditc", "2", "/68518-0 != LA6270-8"},
		{"auditc", "3", "/68518-0 != LA6270-8"},
		{"kratom", "pregnant", "sex != male"},
		{"kratom", "past_severe_withdrawal", "quit_attempts != never"},
		{"kratom", "daily_co_use", "other_substances = alcohol any other_substances = benzodiazepines any other_substances = opioids"},
		{"checkin_day", "trigger_other", "triggers = other"},
		// PHQ-9's difficulty question follows the calculated total
		{"phq9", "10", "/44261-6 != 0"},
		// hours since the last dose: not in enableWhen
		{"checkin_use", "grams", ""},
		{"checkin_use", "doses", ""},
		{"phq9", "1", ""},
	}
	for _, tc := range tests {
		in, _ := cat.Instrument(tc.inst)
		it, ok := in.Item(tc.item)
		if !ok {
			t.Fatalf("%s has no item %s", tc.inst, tc.item)
		}
		q := w.question(in, it)
		if got := said(q.EnableWhen, q.EnableBehavior); got != tc.want {
			t.Errorf("%s/%s: enableWhen %q, want %q", tc.inst, tc.item, got, tc.want)
		}
	}
	// SOWS is skipped on other instruments' answers: no Questionnaire
	// item says it
	sows, _ := cat.Instrument("sows")
	for _, qi := range w.define(questionnaireID(sows), sows).Item {
		if len(qi.EnableWhen) > 0 {
			t.Errorf("sows/%s: enableWhen %v", qi.LinkID, qi.EnableWhen)
		}
	}
}

// Every form of rule, negated into enableWhen, or not expressed.
func TestEnableWhenRules(t *testing.T) {
	cat := catalog(t)
	w := writer(t, cat)
	phq9, _ := cat.Instrument("phq9")
	kratom, _ := cat.Instrument("kratom")
	n := func(v float64) *float64 { return &v }
	item9 := func(op string, v float64) screening.Rule { return screening.Rule{Item: "9", Op: op, Number: n(v)} }
	const some = "LA6569-3"
	tests := []struct {
		name string
		in   *screening.Instrument
		skip screening.Rule
		want string // "" when not expressed
	}{
		{"points above: every option that scores so", phq9, item9("gt", 0), "/44260-8 != LA6569-3 all /44260-8 != LA6570-1 all /44260-8 != LA6571-9"},
		{"not points above", phq9, screening.Rule{Not: ptr(item9("gt", 0))}, "/44260-8 = LA6569-3 any /44260-8 = LA6570-1 any /44260-8 = LA6571-9"},
		{"points at most", phq9, item9("le", 1), "/44260-8 != LA6568-5 all /44260-8 != LA6569-3"},
		{"points no option scores", phq9, item9("gt", 3), ""},
		{"eq", phq9, screening.Rule{Item: "1", Op: "eq", Values: []string{"several_days"}}, "/44250-9 != " + some},
		{"ne", phq9, screening.Rule{Item: "1", Op: "ne", Values: []string{"several_days"}}, "/44250-9 = " + some},
		{"in", phq9, screening.Rule{Item: "1", Op: "in", Values: []string{"several_days", "not_at_all"}}, "/44250-9 != LA6569-3 all /44250-9 != LA6568-5"},
		{"excludes", kratom, screening.Rule{Item: "forms", Op: "excludes", Values: []string{"leaf"}}, "forms = leaf"},
		{"answered", phq9, screening.Rule{Item: "2", Op: "answered"}, "/44255-8 exists false"},
		{"not answered", phq9, screening.Rule{Not: &screening.Rule{Item: "2", Op: "answered"}}, "/44255-8 exists true"},
		{"a number", kratom, screening.Rule{Item: "grams_per_day", Op: "ge", Number: n(10)}, "grams_per_day < 10"},
		{"all: any not", phq9, screening.Rule{All: []screening.Rule{
			{Item: "1", Op: "eq", Values: []string{"not_at_all"}}, {Item: "2", Op: "eq", Values: []string{"not_at_all"}}}},
			"/44250-9 != LA6568-5 any /44255-8 != LA6568-5"},
		{"any: all not", phq9, screening.Rule{Any: []screening.Rule{
			{Item: "1", Op: "eq", Values: []string{"not_at_all"}}, item9("gt", 2)}},
			"/44250-9 != LA6568-5 all /44260-8 != LA6571-9"},
		{"any of all: one level only", phq9, screening.Rule{Any: []screening.Rule{
			{All: []screening.Rule{{Item: "1", Op: "eq", Values: []string{"not_at_all"}}, {Item: "2", Op: "eq", Values: []string{"not_at_all"}}}},
			{Item: "3", Op: "eq", Values: []string{"not_at_all"}}}}, ""},
		{"the total", phq9, screening.Rule{Score: "total", Op: "lt", Number: n(5)}, "/44261-6 >= 5"},
		{"a subscore", phq9, screening.Rule{Score: "phq2", Op: "lt", Number: n(3)}, ""},
		{"declined", phq9, screening.Rule{Item: "9", Op: "declined"}, ""},
		{"another instrument", phq9, screening.Rule{Instrument: "gad7", Item: "1", Op: "eq", Values: []string{"not_at_all"}}, ""},
		{"hours ago", kratom, screening.Rule{Item: "last_dose", Op: "gt", Number: n(24)}, ""},
		{"no such item", phq9, screening.Rule{Item: "99", Op: "eq", Values: []string{"x"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tests, behavior, ok := w.enabling(tc.in, &tc.skip)
			if got := said(tests, behavior); got != tc.want || ok != (tc.want != "") {
				t.Errorf("enableWhen %q (%v), want %q", got, ok, tc.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
