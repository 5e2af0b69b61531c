package trend

import (
	"fmt"
	"math"
	"time"

	"intakekiosk/fault"
)

// Plan is a taper plan: a starting daily dose reduced by a percent every
// so many days, or explicit steps, and a quit date where there is one.
type Plan struct {
	// Start is the plan's first day; StartDose the grams a day then.
	Start     time.Time
	StartDose float64
	// Percent is the reduction each step (10 means 10%), every EveryDays
	// days; unused when Steps is set.
	Percent   float64
	EveryDays int
	// Steps, when set, are the planned daily doses from their days on.
	Steps []Step
	// Quit is the day the dose reaches zero (zero time: no quit date).
	Quit time.Time
	// CheckinDays is how many days may pass between check-ins before one
	// is missed (0 means 1: daily).
	CheckinDays int
	// Ends is the last day of check-ins under the plan (zero time: no
	// end). From the day after, the kiosk starts no check-in for the
	// patient and no check-in counts as missed.
	Ends time.Time
}

// Step is a planned daily dose from a day on.
type Step struct {
	From  time.Time
	Grams float64
}

// Validate checks a plan; what it refuses is an invalid taper plan
// (an *fault.Error of kind Invalid).
func (p Plan) Validate() error {
	bad := func(format string, args ...any) error {
		return &fault.Error{Op: "taper plan", Kind: fault.Invalid, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case p.Start.IsZero():
		return bad("no start date")
	case p.StartDose <= 0 || p.StartDose > 300:
		return bad("the starting dose must be more than 0 and at most 300 g a day")
	case len(p.Steps) == 0 && (p.Percent <= 0 || p.Percent > 100):
		return bad("the reduction must be more than 0%% and at most 100%%")
	case len(p.Steps) == 0 && (p.EveryDays < 1 || p.EveryDays > 60):
		return bad("reduce every 1 to 60 days")
	case !p.Quit.IsZero() && p.Quit.Before(p.Start):
		return bad("the quit date is before the start")
	case p.CheckinDays < 0 || p.CheckinDays > 30:
		return bad("check in every 1 to 30 days")
	case !p.Ends.IsZero() && p.Ends.Before(p.Start):
		return bad("the check-ins end before the start")
	}
	for i, s := range p.Steps {
		if s.Grams < 0 || s.Grams > 300 {
			return bad("step %d: the dose must be 0 to 300 g a day", i+1)
		}
		if s.From.Before(p.Start) || (i > 0 && !s.From.After(p.Steps[i-1].From)) {
			return bad("step %d: the steps must come after the start, each after the one before", i+1)
		}
	}
	return nil
}

// DoseOn is the planned grams a day on the day of t (in loc): the last
// step reached, or the starting dose less Percent for every EveryDays
// days gone by; zero from the quit date on. ok is false before the start.
func (p Plan) DoseOn(t time.Time, loc *time.Location) (float64, bool) {
	if Days(p.Start, t, loc) < 0 {
		return 0, false
	}
	if !p.Quit.IsZero() && Days(p.Quit, t, loc) >= 0 {
		return 0, true
	}
	if len(p.Steps) > 0 {
		dose := p.StartDose
		for _, s := range p.Steps {
			if Days(s.From, t, loc) >= 0 {
				dose = s.Grams
			}
		}
		return dose, true
	}
	n := Days(p.Start, t, loc) / p.EveryDays
	dose := p.StartDose * math.Pow(1-p.Percent/100, float64(n))
	return math.Round(dose*10) / 10, true
}

// Over tells whether grams reported at a check-in at t are above the
// plan. The grams are the last 24 hours': they span the check-in's day
// and the day before, so the higher plan of the two counts (a step down
// is not a flag the morning it starts). Before the plan's start nothing
// is over.
func (p Plan) Over(grams float64, t time.Time, loc *time.Location) bool {
	planned, ok := p.DoseOn(t, loc)
	if !ok {
		return false
	}
	if before, ok := p.DoseOn(dayBefore(t, loc), loc); ok {
		planned = max(planned, before)
	}
	return grams > planned+0.05
}

// interval is the days allowed between check-ins.
func (p *Plan) interval() int {
	if p == nil || p.CheckinDays < 1 {
		return 1
	}
	return p.CheckinDays
}

// Ended tells whether the plan's check-ins are over at now: its last day
// (Ends) is a calendar day before now's, in loc. A plan without an end
// never ends so.
func (p *Plan) Ended(now time.Time, loc *time.Location) bool {
	return p != nil && !p.Ends.IsZero() && Days(p.Ends, now, loc) > 0
}

// NextCheckin is the calendar day (midnight in loc) the plan asks the
// next check-in on, after the check-ins given (any order) and at now:
// the plan's interval after the day of the latest check-in, but never
// before the plan's start nor before today (a check-in missed is due
// today). false when there is no plan, or its check-ins are over by
// then (Ends).
func (p *Plan) NextCheckin(points []Point, now time.Time, loc *time.Location) (time.Time, bool) {
	if p == nil || p.Ended(now, loc) {
		return time.Time{}, false
	}
	next := Day(now, loc)
	var last time.Time
	for _, pt := range points {
		if d := Day(pt.At, loc); d.After(last) {
			last = d
		}
	}
	if !last.IsZero() {
		if due := last.AddDate(0, 0, p.interval()); due.After(next) {
			next = due
		}
	}
	if start := Day(p.Start, loc); start.After(next) {
		next = start
	}
	if !p.Ends.IsZero() && next.After(Day(p.Ends, loc)) {
		return time.Time{}, false
	}
	return next, true
}
