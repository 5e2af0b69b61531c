package intakekiosk

import (
	"cmp"
	"slices"
	"time"

	"intakekiosk/screening"
)

// Concern is how much a session needs a person now. A session of either
// concern above Calm is pinned at the top of the staff queue until a
// staff member marks it reviewed; only an Urgent one alerts staff.
type Concern int

// The concerns, least first.
const (
	// Calm: nothing raised.
	Calm Concern = iota
	// NeedsAttention: pinned, no alert ("ask in person").
	NeedsAttention
	// Urgent: pinned, and staff are alerted.
	Urgent
)

// Trigger is what raised a reason.
type Trigger string

// The triggers of the concern table (Concerns).
const (
	// ByFlag: an instrument's flag marked "urgent" or "attention" in its
	// file.
	ByFlag Trigger = "flag"
	// ByHelp: the patient pressed "I need help now".
	ByHelp Trigger = "help"
	// ByUnwell: the patient chose "I feel physically unwell" on the crisis
	// screen.
	ByUnwell Trigger = "unwell"
)

// Reason is one reason a session needs a person.
type Reason struct {
	Trigger Trigger
	Concern Concern
	// Instrument and Flag are the flag raised (ByFlag only); Result is
	// its instrument's result, whose answers raised it.
	Instrument *screening.Instrument
	Flag       *screening.Flag
	Result     screening.Result
}

// Safety says whether the reason is about the patient's safety from
// themselves (a suicide item, its decline, "I need help now"): such
// reasons are listed first.
func (r Reason) Safety() bool {
	return r.Trigger == ByHelp || (r.Flag != nil && r.Flag.Safety)
}

// Concerns is the one table of what makes a session urgent or in need of
// attention; the queue, the summaries, the exports and the alerts read
// it from here:
//
//	trigger                                              concern
//	an instrument flag its file marks "urgent"           Urgent
//	  (PHQ-9 item 9 above "Not at all"; a Yes to a
//	  check-in safety question)
//	"I need help now" pressed                            Urgent
//	"I feel physically unwell" on the crisis screen      Urgent
//	an instrument flag its file marks "attention"        NeedsAttention
//	  (PHQ-9 item 9 declined; pregnancy, seizures; the
//	  clinic may mark others)
//
// The reasons come most pressing first: urgent before attention, and
// within each the safety reasons (the suicide item first), then the
// others in session order.
func Concerns(sess *screening.Session, help, unwell bool, now time.Time) []Reason {
	var results []screening.Result
	if sess != nil {
		results = sess.Results(now)
	}
	return ConcernsOf(results, help, unwell)
}

// ConcernsOf is Concerns over a session's results already scored (a
// summary, an export, which have them), so they are not scored again.
func ConcernsOf(results []screening.Result, help, unwell bool) []Reason {
	var rs []Reason
	for _, r := range results {
		for _, f := range r.Flags {
			c := Calm
			switch {
			case f.Urgent:
				c = Urgent
			case f.Attention:
				c = NeedsAttention
			}
			if c != Calm {
				rs = append(rs, Reason{Trigger: ByFlag, Concern: c, Instrument: r.Instrument, Flag: f, Result: r})
			}
		}
	}
	if help {
		rs = append(rs, Reason{Trigger: ByHelp, Concern: Urgent})
	}
	if unwell {
		rs = append(rs, Reason{Trigger: ByUnwell, Concern: Urgent})
	}
	rank := func(r Reason) int {
		switch {
		case r.Flag != nil && r.Flag.Safety:
			return 0
		case r.Trigger == ByHelp:
			return 1
		case r.Trigger == ByUnwell:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(rs, func(a, b Reason) int {
		return cmp.Or(cmp.Compare(b.Concern, a.Concern), cmp.Compare(rank(a), rank(b)))
	})
	return rs
}

// Most is the highest concern of the reasons (Calm for none).
func Most(rs []Reason) Concern {
	c := Calm
	for _, r := range rs {
		c = max(c, r.Concern)
	}
	return c
}

// Raised gives the clear fields a session's reasons set: urgent when any
// is urgent, attention when any needs attention.
func Raised(rs []Reason) (urgent, attention bool) {
	for _, r := range rs {
		urgent = urgent || r.Concern == Urgent
		attention = attention || r.Concern == NeedsAttention
	}
	return urgent, attention
}
