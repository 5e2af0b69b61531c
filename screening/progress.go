package screening

import (
	"slices"
	"time"
)

// Progress is where a question stands in the whole visit, branching
// counted ahead: a question counts while some answers still to come could
// ask it, so neither total grows as the patient answers (the parts and the
// questions fall as branches close, down to those asked).
type Progress struct {
	// Part is the question's instrument among the instruments that may
	// still ask something (1-based), of Parts.
	Part, Parts int
	// Done is how many questions are asked before it, and Total how many
	// the visit may ask in all: asked, and not yet ruled out.
	Done, Total int
}

// Progress is where the question at stands in the session, given the
// answers so far.
//
// A question is ruled out when its instrument's or its own skip rule is
// true whatever the answers still to come (a rule read three ways: true,
// false, or not known yet). An answer not yet given, one whose question
// may still be skipped, and a score with such an answer in it are not
// known; a question ruled out has no answer. Answering only settles what
// was not known, so a total never grows; changing an answer given may
// open a branch again.
func (s *Session) Progress(at Key, now time.Time) Progress {
	r := reach{s: s, now: now, asked: map[Key]tri{}}
	var p Progress
	for _, in := range s.instruments {
		n := 0
		for i := range in.Items {
			if r.isAsked(in, &in.Items[i]) != no {
				n++
			}
		}
		if n == 0 {
			continue
		}
		p.Parts++
		p.Total += n
		if in.ID == at.Instrument {
			p.Part = p.Parts
		}
	}
	o := s.ordinal(at)
	for _, st := range s.Steps(now) {
		if s.ordinal(st.Key()) < o {
			p.Done++
		}
	}
	return p
}

// tri is a rule's value while answers are still to come.
type tri int8

const (
	no tri = iota
	yes
	unknown
)

func triOf(b bool) tri {
	if b {
		return yes
	}
	return no
}

func (t tri) not() tri {
	switch t {
	case yes:
		return no
	case no:
		return yes
	}
	return unknown
}

// reach works out which questions the answers to come may still ask.
type reach struct {
	s     *Session
	now   time.Time
	asked map[Key]tri // whether an item is asked; unknown while working it out
}

// isAsked is whether the item will be asked: yes, no, or not known yet.
func (r *reach) isAsked(in *Instrument, it *Item) tri {
	k := Key{in.ID, it.ID}
	if t, ok := r.asked[k]; ok {
		return t
	}
	r.asked[k] = unknown // a rule that leads back here is not known
	t := no
	if slices.Contains(r.s.instruments, in) {
		t = yes
		for _, rule := range []*Rule{in.SkipIf, it.SkipIf} {
			if rule == nil {
				continue
			}
			switch r.eval(in, rule).not() {
			case no:
				t = no
			case unknown:
				if t == yes {
					t = unknown
				}
			}
			if t == no {
				break
			}
		}
	}
	r.asked[k] = t
	return t
}

// known is whether the item's part in a rule is settled: its answer given
// to a question that is asked, or a question ruled out.
func (r *reach) known(in *Instrument, it *Item) bool {
	switch r.isAsked(in, it) {
	case no:
		return true
	case yes:
		_, ok := r.s.answers.Get(in.ID, it.ID)
		return ok
	}
	return false
}

// eval is a rule of self's read three ways: where every answer it tests
// is known it is what the session's rule evaluation says (evalContext).
func (r *reach) eval(self *Instrument, rule *Rule) tri {
	switch {
	case len(rule.All) > 0:
		t := yes
		for i := range rule.All {
			switch r.eval(self, &rule.All[i]) {
			case no:
				return no
			case unknown:
				t = unknown
			}
		}
		return t
	case len(rule.Any) > 0:
		t := no
		for i := range rule.Any {
			switch r.eval(self, &rule.Any[i]) {
			case yes:
				return yes
			case unknown:
				t = unknown
			}
		}
		return t
	case rule.Not != nil:
		return r.eval(self, rule.Not).not()
	}
	ctx := evalContext{cat: r.s.cat, self: self, answers: r.s.answers, now: r.now}
	in := self
	if rule.Instrument != "" && rule.Instrument != self.ID {
		var ok bool
		if in, ok = r.s.cat.Instrument(rule.Instrument); !ok {
			return no
		}
	}
	var items []string
	switch {
	case rule.Score != "" && in.Scoring == nil:
	case rule.Score == "total":
		items = in.Scoring.Items
	case rule.Score != "":
		if sub, ok := in.subscore(rule.Score); ok {
			items = sub.Items
		}
	default:
		items = []string{rule.Item}
	}
	for _, id := range items {
		if it, ok := in.Item(id); ok && !r.known(in, it) {
			return unknown
		}
	}
	return triOf(ctx.eval(rule))
}
