package screening

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Step is one question as the patient meets it: the item, its instrument
// and its place among the instrument's questions that are asked.
type Step struct {
	Instrument *Instrument
	// Item is the item as it is asked: when its options have a ShowIf, a
	// copy whose Options are only those offered given the answers so far.
	Item *Item
	// N is the question's number within its instrument (1-based) and Of
	// how many of the instrument's questions are asked.
	N, Of int
}

// Key returns the step's item key.
func (s Step) Key() Key { return Key{s.Instrument.ID, s.Item.ID} }

// Session is one patient's pass through the enabled instruments: their
// answers and the branching that follows from them. It keeps no clock: the
// caller passes the instant "hours ago" answers are measured from.
type Session struct {
	cat         *Catalog
	instruments []*Instrument
	answers     Answers
	written     bool
}

// NewSession starts a screening session over the catalog's screening
// instruments whose ids are in enabled (nil: all of them), in catalog
// order.
func NewSession(cat *Catalog, enabled []string) *Session {
	return NewSessionFor(cat, ForScreening, enabled)
}

// NewSessionFor starts a session of a kind of visit (ForScreening,
// ForCheckin) over the catalog's instruments asked at it whose ids are in
// enabled (nil: all of them), in catalog order.
func NewSessionFor(cat *Catalog, kind string, enabled []string) *Session {
	s := &Session{cat: cat, answers: Answers{}}
	for _, in := range cat.Instruments() {
		if in.AskedAt(kind) && (enabled == nil || slices.Contains(enabled, in.ID)) {
			s.instruments = append(s.instruments, in)
		}
	}
	return s
}

// NewSessionOf starts a session that asks the catalog's instruments of
// the given ids, in session order (a check-in's Schedule.Plan); an id
// the catalog lacks is left out.
func NewSessionOf(cat *Catalog, ids []string) *Session {
	s := &Session{cat: cat, answers: Answers{}}
	for _, in := range cat.Instruments() {
		if slices.Contains(ids, in.ID) {
			s.instruments = append(s.instruments, in)
		}
	}
	return s
}

// AsWritten makes the session one of a paper form typed in: every answer
// given is asked and counts as written, whatever the branching says (the
// kiosk's own sessions follow it; see Catalog.ScoreAsWritten).
func (s *Session) AsWritten() { s.written = true }

// Written says whether the session counts its answers as written.
func (s *Session) Written() bool { return s.written }

// Catalog returns the catalog the session draws on.
func (s *Session) Catalog() *Catalog { return s.cat }

// Instruments returns the session's instruments in order.
func (s *Session) Instruments() []*Instrument { return s.instruments }

// Steps returns the questions asked, given the answers so far.
func (s *Session) Steps(now time.Time) []Step {
	var steps []Step
	for _, in := range s.instruments {
		ctx := evalContext{cat: s.cat, self: in, answers: s.answers, now: now, written: s.written}
		if ctx.skips(in) {
			continue
		}
		first := len(steps)
		for i := range in.Items {
			it, asked := ctx.asked(&in.Items[i])
			if !asked {
				continue
			}
			steps = append(steps, Step{Instrument: in, Item: it})
		}
		for j := first; j < len(steps); j++ {
			steps[j].N, steps[j].Of = j-first+1, len(steps)-first
		}
	}
	return steps
}

// ordinal places a key in the full order of the session's items, so that
// navigation works from an item that branching has since skipped.
func (s *Session) ordinal(k Key) int {
	n := 0
	for _, in := range s.instruments {
		if in.ID == k.Instrument {
			if i, ok := in.index[k.Item]; ok {
				return n + i
			}
			return -1
		}
		n += len(in.Items)
	}
	return -1
}

// Next returns the first asked question after from (the zero Key: the
// first question); false when from was the last.
func (s *Session) Next(from Key, now time.Time) (Step, bool) {
	o := -1
	if from != (Key{}) {
		o = s.ordinal(from)
	}
	for _, st := range s.Steps(now) {
		if s.ordinal(st.Key()) > o {
			return st, true
		}
	}
	return Step{}, false
}

// Prev returns the last asked question before from; false when from was
// the first.
func (s *Session) Prev(from Key, now time.Time) (Step, bool) {
	o := s.ordinal(from)
	steps := s.Steps(now)
	for i := len(steps) - 1; i >= 0; i-- {
		if s.ordinal(steps[i].Key()) < o {
			return steps[i], true
		}
	}
	return Step{}, false
}

// NextUnanswered returns the first asked question after from that has no
// answer yet, or one choosing an option no longer offered (after the
// patient changes an answer on the review screen, branching may have
// opened new questions or changed a follow-up's options).
func (s *Session) NextUnanswered(from Key, now time.Time) (Step, bool) {
	o := s.ordinal(from)
	for _, st := range s.Steps(now) {
		if !s.answered(st) && s.ordinal(st.Key()) > o {
			return st, true
		}
	}
	return Step{}, false
}

// answered says whether a question as it is asked has an answer that
// counts: one choosing an option no longer offered does not, and is asked
// again.
func (s *Session) answered(st Step) bool {
	a, ok := s.answers[st.Key()]
	return ok && (!st.Item.filtersOptions() || st.Item.offers(a))
}

// Step returns the step of an item as it is asked now.
func (s *Session) Step(k Key, now time.Time) (Step, bool) {
	for _, st := range s.Steps(now) {
		if st.Key() == k {
			return st, true
		}
	}
	return Step{}, false
}

// Set records an answer after checking it against its item, and returns
// the crisis flags that it raises and that were not raised before.
func (s *Session) Set(a Answer, now time.Time) ([]*Flag, error) {
	in, ok := s.cat.Instrument(a.Instrument)
	if !ok {
		return nil, fmt.Errorf("no instrument %q", a.Instrument)
	}
	it, ok := in.Item(a.Item)
	if !ok {
		return nil, fmt.Errorf("instrument %s has no item %q", a.Instrument, a.Item)
	}
	if a.Declined && !in.CanDecline(it) {
		return nil, &AnswerError{Item: in.ID + "/" + it.ID, Err: errors.New("cannot be declined")}
	}
	if err := it.Validate(a, now); err != nil {
		return nil, err
	}
	before := s.crisisFlags(now)
	s.answers[a.Key()] = a
	var raised []*Flag
	for _, f := range s.crisisFlags(now) {
		if !slices.Contains(before, f) {
			raised = append(raised, f)
		}
	}
	return raised, nil
}

// Restore puts back answers read from storage, without checks (they were
// checked when given; a later version of an instrument may differ).
func (s *Session) Restore(as ...Answer) {
	for _, a := range as {
		s.answers[a.Key()] = a
	}
}

// Answer returns the answer to an item, if any.
func (s *Session) Answer(k Key) (Answer, bool) {
	a, ok := s.answers[k]
	return a, ok
}

// Answered returns how many asked questions have an answer that counts.
func (s *Session) Answered(now time.Time) int {
	n := 0
	for _, st := range s.Steps(now) {
		if s.answered(st) {
			n++
		}
	}
	return n
}

// Results scores every instrument of the session.
func (s *Session) Results(now time.Time) []Result {
	rs := make([]Result, 0, len(s.instruments))
	score := s.cat.Score
	if s.written {
		score = s.cat.ScoreAsWritten
	}
	for _, in := range s.instruments {
		rs = append(rs, score(in, s.answers, now))
	}
	return rs
}

// Urgent reports whether any urgent flag is raised.
func (s *Session) Urgent(now time.Time) bool {
	return slices.ContainsFunc(s.Results(now), Result.Urgent)
}

func (s *Session) crisisFlags(now time.Time) []*Flag {
	var fs []*Flag
	for _, r := range s.Results(now) {
		for _, f := range r.Flags {
			if f.Crisis {
				fs = append(fs, f)
			}
		}
	}
	return fs
}
