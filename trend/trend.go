// Package trend follows a patient through detox or a taper: their
// check-ins as points (withdrawal score, craving, sleep, the dose they
// report, the last dose), the taper plan a counselor recorded and the dose
// it plans for each day, and the flags a counselor should see: scores
// rising two check-ins in a row, a dose above the plan, a check-in missed.
//
// It is plain arithmetic over values: no storage, no clock of its own.
package trend

import (
	"math"
	"slices"
	"time"
)

// Point is one check-in.
type Point struct {
	// Session is the check-in's session id.
	Session string
	// At is when the check-in was made.
	At time.Time
	// LastDose is when the patient last took kratom (zero: not given).
	LastDose time.Time
	// Withdrawal is the SOWS total (0-64), when Scored.
	Withdrawal int
	Scored     bool
	// Craving is 0-10, Sleep hours, Grams and Doses the day's amount and
	// number of doses; each is negative when not given.
	Craving, Doses int
	Sleep, Grams   float64
	// Mood is the patient's word for their mood ("" when not given).
	Mood string
	// Triggers and Helped are what the patient met and what helped, in
	// their words; Note is their note for the counselor.
	Triggers, Helped []string
	Note             string
}

// HoursSinceDose is the hours from the last dose to the check-in; false
// when the last dose is not known.
func (p Point) HoursSinceDose() (float64, bool) {
	if p.LastDose.IsZero() {
		return 0, false
	}
	return p.At.Sub(p.LastDose).Hours(), true
}

// DaySinceDose is the day of withdrawal the check-in falls on: day 1 is
// the first 24 hours after the last dose.
func (p Point) DaySinceDose() (int, bool) {
	h, ok := p.HoursSinceDose()
	if !ok || h < 0 {
		return 0, false
	}
	return int(h/24) + 1, true
}

// Phase is where hours since the last dose fall on the usual course of
// kratom withdrawal.
type Phase int

// The phases of the usual course.
const (
	// BeforeOnset: under 12 hours; withdrawal, if it comes, usually
	// starts 12-24 hours after the last dose.
	BeforeOnset Phase = iota
	// Onset: 12 to 24 hours.
	Onset
	// Peak: days 2 and 3.
	Peak
	// Easing: days 4 to 10; the worst is usually over.
	Easing
	// After: past day 10; the physical withdrawal is usually over.
	After
)

// CoursePhase is one phase of the usual course, in hours since the last
// dose: From inclusive, To exclusive.
type CoursePhase struct {
	Phase    Phase
	From, To float64
}

// Course is the usual course of kratom withdrawal (CLINICAL.md: onset
// 12-24 h after the last dose, the peak on days 2-3, the most intense
// symptoms easing by days 5-10), the one table the finish screen, the
// charts and the summary's words read. The last phase has no end; its To
// is where a chart stops shading it (day 14).
func Course() [5]CoursePhase {
	return [5]CoursePhase{
		{BeforeOnset, 0, 12},
		{Onset, 12, 24},
		{Peak, 24, 72},
		{Easing, 72, 240},
		{After, 240, 336},
	}
}

// Where places hours since the last dose on the usual course: the phase,
// and the number to say with it (the hours, before the first day ends;
// else the day, day 1 being the first 24 hours). The words are the
// caller's (a patient's language); no score is involved.
func Where(hours float64) (Phase, int) {
	phase := After
	for _, p := range Course() {
		if hours < p.To {
			phase = p.Phase
			break
		}
	}
	if phase <= Onset {
		return phase, int(math.Round(hours))
	}
	return phase, int(hours/24) + 1
}

// Day is the calendar day of t in loc, as midnight.
func Day(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// dayBefore is noon of the calendar day before t's (in loc): not t less
// 24 hours, which on a 25-hour day of a clock change is the same day.
func dayBefore(t time.Time, loc *time.Location) time.Time {
	return Day(t, loc).AddDate(0, 0, -1).Add(12 * time.Hour)
}

// Days counts the calendar days from a to b (b's day minus a's day).
func Days(a, b time.Time, loc *time.Location) int {
	da, db := Day(a, loc), Day(b, loc)
	// days are counted at noon so a daylight-saving change does not cut
	// one short
	return int(math.Round(db.Add(12*time.Hour).Sub(da.Add(12*time.Hour)).Hours() / 24))
}

// Flag is something a counselor should see in a patient's course.
type Flag struct {
	Kind FlagKind
	// At is the check-in (or, for a missed one, the day) it is about.
	At time.Time
	// Scores are the three withdrawal scores that rose (Rising).
	Scores [3]int
	// Grams is the dose reported for the last 24 hours, Planned the plan's
	// dose for the day of the check-in, and Before the plan's for the day
	// before when that one was higher (zero otherwise) (OverPlan).
	Grams, Planned, Before float64
	// Day is the check-in's day and DayBefore the day before (OverPlan).
	Day, DayBefore time.Time
	// To is the last day of a long run of missed check-ins from At, and
	// Count how many were missed (Missed; Count 1 for a single day).
	To    time.Time
	Count int
}

// FlagKind names a flag.
type FlagKind string

// The flags.
const (
	Rising   FlagKind = "rising"
	OverPlan FlagKind = "over_plan"
	Missed   FlagKind = "missed"
	// Relapse: the check-in's last dose is later than the previous
	// check-in's, the patient used again (outside a taper, whose doses
	// are planned).
	Relapse FlagKind = "relapse"
)

// Flags looks over the check-ins (any order) against the plan (nil: no
// plan) up to now: withdrawal scores that rose at two check-ins in a row,
// a reported dose (of the last 24 hours) above the plan's for the day of
// the check-in and the day before, whichever is higher, and days when a
// check-in was due and none came (from the first check-in, or the plan's
// start, until now).
func Flags(points []Point, plan *Plan, now time.Time, loc *time.Location) []Flag {
	ps := slices.Clone(points)
	slices.SortFunc(ps, func(a, b Point) int { return a.At.Compare(b.At) })
	var out []Flag
	var scored []Point
	for _, p := range ps {
		if p.Scored {
			scored = append(scored, p)
		}
	}
	for i := 2; i < len(scored); i++ {
		a, b, c := scored[i-2], scored[i-1], scored[i]
		if b.Withdrawal > a.Withdrawal && c.Withdrawal > b.Withdrawal {
			out = append(out, Flag{Kind: Rising, At: c.At, Scores: [3]int{a.Withdrawal, b.Withdrawal, c.Withdrawal}})
		}
	}
	if plan == nil {
		var prev time.Time
		for _, p := range ps {
			if p.LastDose.IsZero() {
				continue
			}
			if !prev.IsZero() && p.LastDose.After(prev) {
				out = append(out, Flag{Kind: Relapse, At: p.At})
			}
			prev = p.LastDose
		}
	}
	if plan != nil {
		for _, p := range ps {
			if p.Grams < 0 || !plan.Over(p.Grams, p.At, loc) {
				continue
			}
			planned, _ := plan.DoseOn(p.At, loc)
			yesterday := dayBefore(p.At, loc)
			f := Flag{Kind: OverPlan, At: p.At, Grams: p.Grams, Planned: planned, Day: Day(p.At, loc), DayBefore: Day(yesterday, loc)}
			if before, ok := plan.DoseOn(yesterday, loc); ok && before > planned {
				f.Before = before
			}
			out = append(out, f)
		}
	}
	out = append(out, missed(ps, plan, now, loc)...)
	slices.SortStableFunc(out, func(a, b Flag) int { return a.At.Compare(b.At) })
	return out
}

// nightHours is how far past midnight, on the clock, a check-in also
// counts for the day before (a patient up late in withdrawal checks in
// for "today"): before 3 a.m.
const nightHours = 3

// daysOf are the calendar days in loc a check-in at t counts for: its own
// day and, in the small hours (by the clock, so a daylight-saving change
// moves nothing), the day before too. A check-in always counts for the
// day it is listed on.
func daysOf(t time.Time, loc *time.Location) []time.Time {
	d := Day(t, loc)
	if t.In(loc).Hour() < nightHours {
		return []time.Time{d.AddDate(0, 0, -1), d}
	}
	return []time.Time{d}
}

// missed lists the check-ins that were due and did not come: calendar
// days in loc, from the plan's start or the first check-in, whichever is
// earlier, to the day before today (today's may still come; before 3 a.m.
// yesterday's too). A day with a check-in on it is never missed. A long
// gap is one flag, not one a day.
func missed(ps []Point, plan *Plan, now time.Time, loc *time.Location) []Flag {
	every := plan.interval()
	var days []time.Time
	for _, p := range ps {
		days = append(days, daysOf(p.At, loc)...)
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	days = slices.CompactFunc(days, func(a, b time.Time) bool { return a.Equal(b) })
	var start time.Time
	if plan != nil && !plan.Start.IsZero() {
		start = Day(plan.Start, loc)
	}
	if len(days) > 0 && (start.IsZero() || days[0].Before(start)) {
		start = days[0]
	}
	if start.IsZero() {
		return nil
	}
	var out []Flag
	last := start
	gap := func(next time.Time) {
		var due []time.Time
		for k := every; k < Days(last, next, loc); k += every {
			due = append(due, last.AddDate(0, 0, k))
		}
		switch {
		case len(due) > 3:
			out = append(out, Flag{Kind: Missed, At: due[0], To: due[len(due)-1], Count: len(due)})
		default:
			for _, d := range due {
				out = append(out, Flag{Kind: Missed, At: d, To: d, Count: 1})
			}
		}
	}
	for _, d := range days {
		gap(d)
		if d.After(last) {
			last = d
		}
	}
	open := Day(now, loc)
	if now.In(loc).Hour() < nightHours {
		open = open.AddDate(0, 0, -1)
	}
	// no check-in is due after the plan's check-ins end
	if plan != nil && !plan.Ends.IsZero() {
		if after := Day(plan.Ends, loc).AddDate(0, 0, 1); after.Before(open) {
			open = after
		}
	}
	gap(open)
	return out
}
