package screening

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Schedule is how often a returning patient's check-in asks instruments:
// the clinic's checkin_schedule setting, in its order. A check-in asks
// each instrument the schedule names when it is due for the patient, and
// every other instrument whose file says it is for check-ins at every
// check-in (the check-in's own questions).
type Schedule []Timing

// Timing is how often a check-in asks one instrument: at every check-in
// (Days 0), or once Days or more days have passed since the day the
// patient last answered it.
type Timing struct {
	Instrument string
	Days       int
}

// MaxScheduleDays is the longest a schedule may wait between two askings.
const MaxScheduleDays = 365

// ParseSchedule reads a schedule written as the setting holds it:
// instrument ids separated by commas, each alone (every check-in) or
// followed by a colon and whole days ("sows, bam:7, phq9:14").
func ParseSchedule(v string) (Schedule, error) {
	var s Schedule
	for f := range strings.SplitSeq(v, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		id, days, timed := strings.Cut(f, ":")
		id, days = strings.TrimSpace(id), strings.TrimSpace(days)
		t := Timing{Instrument: id}
		if !IsID(id) {
			return nil, fmt.Errorf("%s is not an instrument id", quote(id))
		}
		if timed {
			n, err := strconv.Atoi(days)
			if err != nil || n < 1 || n > MaxScheduleDays {
				return nil, fmt.Errorf("%s: the days must be a whole number from 1 to %d", id, MaxScheduleDays)
			}
			t.Days = n
		}
		if slices.ContainsFunc(s, func(o Timing) bool { return o.Instrument == id }) {
			return nil, fmt.Errorf("%s is named twice", id)
		}
		s = append(s, t)
	}
	return s, nil
}

// String writes the schedule as ParseSchedule reads it.
func (s Schedule) String() string {
	parts := make([]string, len(s))
	for i, t := range s {
		parts[i] = t.Instrument
		if t.Days > 0 {
			parts[i] += ":" + strconv.Itoa(t.Days)
		}
	}
	return strings.Join(parts, ", ")
}

// Timing returns how often the schedule asks an instrument.
func (s Schedule) Timing(id string) (Timing, bool) {
	i := slices.IndexFunc(s, func(t Timing) bool { return t.Instrument == id })
	if i < 0 {
		return Timing{}, false
	}
	return s[i], true
}

// Due says whether a timed instrument is due on day today, given the day
// it was last asked of the patient ("" for never). Days are calendar
// days written YYYY-MM-DD; a last day that does not read as one is as
// never, and one after today (a clock ahead elsewhere) is counted from.
func (t Timing) Due(last, today string) bool {
	if t.Days == 0 || last == "" {
		return true
	}
	n, err := DaysBetween(last, today)
	if err != nil {
		return true
	}
	return n >= t.Days
}

// Plan lists the instruments a check-in asks, in session order: each
// instrument the schedule names when due (last holds, by instrument id,
// the day it was last asked of the patient; today is the check-in's day),
// and each other instrument asked at check-ins (AskedAt ForCheckin).
// Instruments the schedule names that the catalog lacks, or that staff
// rate (the COWS), are left out.
func (s Schedule) Plan(cat *Catalog, last map[string]string, today string) []string {
	var ids []string
	for _, in := range cat.Instruments() {
		if in.RatedByStaff() {
			continue // staff rate it at the desk, never a patient's visit
		}
		if t, ok := s.Timing(in.ID); ok {
			if t.Due(last[in.ID], today) {
				ids = append(ids, in.ID)
			}
			continue
		}
		if in.AskedAt(ForCheckin) {
			ids = append(ids, in.ID)
		}
	}
	return ids
}

// AtScreening lists the instruments the schedule times (every so many
// days, not every check-in) that a screening asks (the catalog's
// screening instruments among enabled, nil: all): a screening counts as
// their first asking, so that the first check-in does not ask them again
// at once.
func (s Schedule) AtScreening(cat *Catalog, enabled []string) []string {
	var ids []string
	for _, in := range NewSession(cat, enabled).Instruments() {
		if t, ok := s.Timing(in.ID); ok && t.Days > 0 {
			ids = append(ids, in.ID)
		}
	}
	return ids
}

// Day is the calendar day of t in loc, as a schedule counts days
// (YYYY-MM-DD).
func Day(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format(time.DateOnly)
}

// ErrNotADay: a day is not written YYYY-MM-DD.
var ErrNotADay = errors.New("not a day written YYYY-MM-DD")

// DaysBetween counts the calendar days from one day to a later one (a
// negative count when to is before from).
func DaysBetween(from, to string) (int, error) {
	a, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return 0, ErrNotADay
	}
	b, err := time.Parse(time.DateOnly, to)
	if err != nil {
		return 0, ErrNotADay
	}
	return int(b.Sub(a).Hours() / 24), nil
}

// IsDay says whether s is a calendar day written YYYY-MM-DD.
func IsDay(s string) bool {
	d, err := time.Parse(time.DateOnly, s)
	return err == nil && d.Format(time.DateOnly) == s
}
