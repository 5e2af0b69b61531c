package screening

import (
	"slices"
	"time"
)

// Rule is a condition on answers and scores, used for branching (SkipIf,
// an option's ShowIf), flags and band sets. A rule is either a combination (All, Any, Not) or a
// test of one item or score with an operator:
//
//	eq, ne, in        the chosen option's value (single choice) equals / is in Values
//	includes          a multiple choice answer includes any of Values
//	excludes          a multiple choice answer includes none of Values
//	gt, ge, lt, le    compares with Number: a single choice's points, a
//	                  number, a score, or for a when item the hours from
//	                  that instant to when the patient answered
//	answered          the item has an answer that is not declined
//	declined          the item was answered "Prefer not to answer"
//
// Item names an item of Instrument (default: the instrument holding the
// rule); Score names "total" or a subscore id of Instrument instead.
// A test of an item without an answer is false (except for its Not).
type Rule struct {
	All []Rule `json:"all,omitempty"`
	Any []Rule `json:"any,omitempty"`
	Not *Rule  `json:"not,omitempty"`

	Instrument string   `json:"instrument,omitempty"`
	Item       string   `json:"item,omitempty"`
	Score      string   `json:"score,omitempty"`
	Op         string   `json:"op,omitempty"`
	Number     *float64 `json:"number,omitempty"`
	Values     []string `json:"values,omitempty"`
}

// Tests visits the rule's tests (the parts with an operator) in order;
// negated is true for a test under an odd number of Nots.
func (r *Rule) Tests(visit func(test *Rule, negated bool)) {
	r.tests(visit, false)
}

func (r *Rule) tests(visit func(*Rule, bool), negated bool) {
	for i := range r.All {
		r.All[i].tests(visit, negated)
	}
	for i := range r.Any {
		r.Any[i].tests(visit, negated)
	}
	if r.Not != nil {
		r.Not.tests(visit, !negated)
	}
	if r.Op != "" {
		visit(r, negated)
	}
}

// evalContext is what a rule is evaluated against.
type evalContext struct {
	cat     *Catalog
	self    *Instrument
	answers Answers
	now     time.Time
	// written counts every answer as written (a paper form): an answer
	// given is never dropped by branching.
	written bool
}

// skips says whether the instrument's own rule skips it: never, as
// written, once an item of it has an answer.
func (c evalContext) skips(in *Instrument) bool {
	if in.SkipIf == nil || c.written && c.answers.Has(in.ID) {
		return false
	}
	oc := c
	oc.self = in
	return oc.eval(in.SkipIf)
}

func (c evalContext) eval(r *Rule) bool {
	switch {
	case len(r.All) > 0:
		for i := range r.All {
			if !c.eval(&r.All[i]) {
				return false
			}
		}
		return true
	case len(r.Any) > 0:
		for i := range r.Any {
			if c.eval(&r.Any[i]) {
				return true
			}
		}
		return false
	case r.Not != nil:
		return !c.eval(r.Not)
	}
	inst := c.self
	if r.Instrument != "" && r.Instrument != c.self.ID {
		var ok bool
		if inst, ok = c.cat.Instrument(r.Instrument); !ok {
			return false
		}
	}
	if r.Score != "" {
		v, ok := partialScore(inst, r.Score, c)
		return ok && compare(r.Op, v, deref(r.Number))
	}
	it, ok := inst.Item(r.Item)
	if !ok {
		return false
	}
	a, ok := c.answer(inst, it)
	if !ok {
		return false
	}
	switch r.Op {
	case "answered":
		return !a.Declined
	case "declined":
		return a.Declined
	}
	if a.Declined {
		return false
	}
	switch r.Op {
	case "eq":
		return len(r.Values) > 0 && a.Choice == r.Values[0]
	case "ne":
		return len(r.Values) > 0 && a.Choice != r.Values[0]
	case "in":
		return slices.Contains(r.Values, a.Choice)
	case "includes":
		for _, v := range r.Values {
			if slices.Contains(a.Choices, v) {
				return true
			}
		}
		return false
	case "excludes":
		for _, v := range r.Values {
			if slices.Contains(a.Choices, v) {
				return false
			}
		}
		return true
	}
	v, ok := numericValue(it, a, c.now)
	return ok && compare(r.Op, v, deref(r.Number))
}

// answer returns the answer to an item unless branching skips the item
// (or its instrument) or no longer offers an option it chose: a stale
// answer to a question no longer asked as it was counts for nothing.
func (c evalContext) answer(in *Instrument, it *Item) (Answer, bool) {
	a, ok := c.answers.Get(in.ID, it.ID)
	if !ok {
		return Answer{}, false
	}
	if c.skips(in) {
		return Answer{}, false
	}
	if c.written {
		return a, true
	}
	oc := c
	oc.self = in
	asked, ok := oc.asked(it)
	if !ok || asked.filtersOptions() && !asked.offers(a) {
		return Answer{}, false
	}
	return a, true
}

// asked is the item of c.self as it is asked: itself, or, when its
// options have a ShowIf, a copy offering only the options whose rule
// holds. false when its SkipIf holds or no option is offered. As
// written, an item with an answer is asked as printed, whole.
func (c evalContext) asked(it *Item) (*Item, bool) {
	if c.written {
		if _, ok := c.answers.Get(c.self.ID, it.ID); ok {
			return it, true
		}
	}
	if it.SkipIf != nil && c.eval(it.SkipIf) {
		return nil, false
	}
	if !it.filtersOptions() {
		return it, true
	}
	var offered []Option
	for _, o := range it.Options {
		if o.ShowIf == nil || c.eval(o.ShowIf) {
			offered = append(offered, o)
		}
	}
	if len(offered) == 0 {
		return nil, false
	}
	cp := *it
	cp.Options = offered
	return &cp, true
}

// numericValue is what gt/ge/lt/le compare for an answer.
func numericValue(it *Item, a Answer, now time.Time) (float64, bool) {
	if v := it.spec().value; v != nil {
		return v(it, a, now)
	}
	return 0, false
}

// Compare says whether v compares with n as a rule's operator says (gt,
// ge, lt, le, eq): what an exporter that writes rules out tests.
func Compare(op string, v, n float64) bool { return compare(op, v, n) }

func compare(op string, v, n float64) bool {
	switch op {
	case "gt":
		return v > n
	case "ge":
		return v >= n
	case "lt":
		return v < n
	case "le":
		return v <= n
	case "eq":
		return v == n
	}
	return false
}

// partialScore is the points so far of a score ("total" or a subscore),
// counting declined and unanswered items as 0. Branching uses it (for
// example PHQ-9's tenth question is asked only when a problem was checked).
func partialScore(in *Instrument, score string, c evalContext) (float64, bool) {
	if in.Scoring == nil {
		return 0, false
	}
	items := in.Scoring.Items
	if score != "total" {
		sub, ok := in.subscore(score)
		if !ok {
			return 0, false
		}
		items = sub.Items
	}
	total := 0
	for _, id := range items {
		if p, ok := in.itemPoints(id, c); ok {
			total += p
		}
	}
	return float64(total), true
}

func (in *Instrument) subscore(id string) (*Subscore, bool) {
	for i := range in.Scoring.Subscores {
		if in.Scoring.Subscores[i].ID == id {
			return &in.Scoring.Subscores[i], true
		}
	}
	return nil, false
}
