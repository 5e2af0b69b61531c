package fhir

import (
	"intakekiosk/screening"
)

// How an item's skip_if becomes enableWhen: the item is enabled when the
// rule does not hold, so the rule is negated and written as one level of
// enableWhen tests joined by enableBehavior (all, any). A test says
//
//	eq, ne, in, includes, excludes   =, != with the option's answerCoding
//	                                 (in, includes: one test per value)
//	answered                         exists true
//	gt, ge, lt, le on a number       >, >=, <, <= with answerDecimal
//	gt, ge, lt, le on a choice       = each option whose points compare so
//	                                 (the points are not in the answer)
//	a comparison of "total"          the same on the calculated total item
//
// and negated, each the opposite (!= for =, <= for >, exists false). FHIR
// holds != where a question has no answer; the kiosk's ne and excludes do
// not, so a rule of these on an item left unanswered (not declined, which
// the patient chose) reads differently: the kiosk asks in order, and an
// item it branches on is one answered before it. Not expressed (the item
// exported always enabled): a rule on another instrument, on a subscore,
// on a declined answer, on a when item's hours ago, and all of any (or any
// of all).

// condition is a rule as enableWhen tests: any joins them with "any",
// else "all" (a single test either).
type condition struct {
	tests []enableWhen
	any   bool
}

// enabling is the enableWhen of an item skipped when rule holds, with its
// enableBehavior; false (and no tests) when FHIR cannot say it.
func (w *Writer) enabling(in *screening.Instrument, rule *screening.Rule) ([]enableWhen, string, bool) {
	c, ok := w.condition(in, rule, true)
	if !ok || len(c.tests) == 0 {
		return nil, "", false
	}
	if len(c.tests) == 1 {
		return c.tests, "", true
	}
	if c.any {
		return c.tests, "any", true
	}
	return c.tests, "all", true
}

// condition is rule, negated when neg, as enableWhen tests.
func (w *Writer) condition(in *screening.Instrument, r *screening.Rule, neg bool) (condition, bool) {
	switch {
	case len(r.All) > 0:
		return w.join(in, r.All, neg, neg) // not all: any not
	case len(r.Any) > 0:
		return w.join(in, r.Any, neg, !neg) // not any: all not
	case r.Not != nil:
		return w.condition(in, r.Not, !neg)
	}
	return w.test(in, r, neg)
}

// join is the rules joined by any (or all), each negated when neg: each
// must be a single test or tests joined the same way.
func (w *Writer) join(in *screening.Instrument, rules []screening.Rule, neg, any bool) (condition, bool) {
	out := condition{any: any}
	for i := range rules {
		c, ok := w.condition(in, &rules[i], neg)
		if !ok || len(c.tests) > 1 && c.any != any {
			return condition{}, false
		}
		out.tests = append(out.tests, c.tests...)
	}
	return out, true
}

// opposite is the enableWhen operator of a comparison's negation.
var opposite = map[string]string{"=": "!=", "!=": "=", ">": "<=", "<=": ">", "<": ">=", ">=": "<"}

// comparisons are the rule's comparison operators as enableWhen's.
var comparisons = map[string]string{"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "="}

// test is one test of a rule (an item or the total), negated when neg.
func (w *Writer) test(in *screening.Instrument, r *screening.Rule, neg bool) (condition, bool) {
	if r.Instrument != "" && r.Instrument != in.ID {
		return condition{}, false
	}
	op := func(o string) string {
		if neg {
			return opposite[o]
		}
		return o
	}
	if r.Score != "" {
		cmp, ok := comparisons[r.Op]
		if r.Score != "total" || !hasTotal(in) || !ok || r.Number == nil {
			return condition{}, false
		}
		n := *r.Number
		return condition{tests: []enableWhen{{Question: totalLinkID(in), Operator: op(cmp), AnswerDecimal: &n}}}, true
	}
	it, ok := in.Item(r.Item)
	if !ok {
		return condition{}, false
	}
	q := linkID(in, it)
	// codings: a test per value, joined by any (=) or, negated, all (!=)
	codings := func(eq bool, values []string) (condition, bool) {
		o := "!="
		if eq {
			o = "="
		}
		c := condition{any: eq != neg}
		for _, v := range values {
			c.tests = append(c.tests, enableWhen{Question: q, Operator: op(o), AnswerCoding: w.coding(in, it, v)})
		}
		return c, len(values) > 0
	}
	switch r.Op {
	case "eq":
		if len(r.Values) == 0 {
			return condition{}, false
		}
		return codings(true, r.Values[:1])
	case "ne":
		if len(r.Values) == 0 {
			return condition{}, false
		}
		return codings(false, r.Values[:1])
	case "in", "includes":
		return codings(true, r.Values)
	case "excludes":
		return codings(false, r.Values)
	case "answered":
		yes := !neg
		return condition{tests: []enableWhen{{Question: q, Operator: "exists", AnswerBoolean: &yes}}}, true
	}
	cmp, ok := comparisons[r.Op]
	if !ok || r.Op == "eq" || r.Number == nil {
		return condition{}, false
	}
	n := *r.Number
	switch answerTypeOf(it.Kind).compares {
	case comparesValue:
		return condition{tests: []enableWhen{{Question: q, Operator: op(cmp), AnswerDecimal: &n}}}, true
	case comparesPoints:
		var values []string
		for _, o := range it.Options {
			if screening.Compare(r.Op, float64(o.Points), n) {
				values = append(values, o.Value)
			}
		}
		return codings(true, values)
	}
	return condition{}, false
}
