package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"intakekiosk/screening"
	"intakekiosk/trend"
)

// periodWords says how many check-ins the report covers and over which
// days: "14 check-ins from Mon, Nov 2 to Wed, Nov 11, 2026 (10 days)".
func (p *patientDoc) periodWords() string {
	n := len(p.points)
	switch n {
	case 0:
		return "No check-ins yet."
	case 1:
		return "1 check-in, on " + p.when(p.points[0].At, "Monday, Jan 2, 2006, 3:04 PM MST") + "."
	}
	first, last := p.points[0].At, p.points[n-1].At
	span := trend.Days(first, last, p.loc) + 1
	from := "Mon, Jan 2"
	if first.In(p.loc).Year() != last.In(p.loc).Year() {
		from += ", 2006"
	}
	return fmt.Sprintf("%d check-ins from %s to %s (%s).", n, p.when(first, from),
		p.when(last, "Mon, Jan 2, 2006"), plural(span, "day", "days"))
}

// span is the dates covered, for the page header: "Nov 2 to Nov 11, 2026".
func (p *patientDoc) span() string {
	n := len(p.points)
	if n == 0 {
		return ""
	}
	first, last := p.points[0].At, p.points[n-1].At
	switch {
	case trend.Days(first, last, p.loc) == 0:
		return p.when(first, "Jan 2, 2006")
	case first.In(p.loc).Year() != last.In(p.loc).Year():
		return p.when(first, "Jan 2, 2006") + " to " + p.when(last, "Jan 2, 2006")
	}
	return p.when(first, "Jan 2") + " to " + p.when(last, "Jan 2, 2006")
}

// planLine is the taper plan in words with the dose planned for the day
// the report is made.
func (p *patientDoc) planLine() string {
	pl := p.pin.Plan
	s := PlanWords(pl, p.loc)
	if g, ok := pl.DoseOn(p.pin.Generated, p.loc); ok {
		s += fmt.Sprintf(" (planned for %s: %s g a day)", p.when(p.pin.Generated, "Jan 2"), gramsText(g))
	}
	return s
}

// PlanWords writes a taper plan, the same on the staff screens and in the
// PDF: "20 g a day from Nov 2, down 10% every 3 days; quit date Dec 1".
func PlanWords(pl *trend.Plan, loc *time.Location) string {
	if pl == nil {
		return "No taper plan"
	}
	date := func(t time.Time) string { return t.In(loc).Format("Jan 2") }
	s := gramsText(pl.StartDose) + " g a day from " + date(pl.Start)
	if len(pl.Steps) > 0 {
		var steps []string
		for _, st := range pl.Steps {
			steps = append(steps, gramsText(st.Grams)+" g from "+date(st.From))
		}
		s += ", then " + strings.Join(steps, ", ")
	} else {
		every := "every day"
		if pl.EveryDays > 1 {
			every = fmt.Sprintf("every %d days", pl.EveryDays)
		}
		s += ", down " + strconv.FormatFloat(pl.Percent, 'f', -1, 64) + "% " + every
	}
	if !pl.Quit.IsZero() {
		s += "; quit date " + date(pl.Quit)
	}
	if pl.CheckinDays > 1 {
		s += fmt.Sprintf("; check in every %d days", pl.CheckinDays)
	}
	return s
}

// gramsText writes a dose in grams: "12", "7.5".
func gramsText(g float64) string { return screening.FormatNumber(g, 1) }

// hoursText writes hours slept: "6", "5.5".
func hoursText(h float64) string { return gramsText(h) }

// daysFrom is the time from the start of day0 to t in days, counting each
// calendar day as one whatever its length.
func daysFrom(day0, t time.Time, loc *time.Location) float64 {
	n := trend.Days(day0, t, loc)
	d := trend.Day(t, loc)
	next := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	return float64(n) + t.Sub(d).Hours()/next.Sub(d).Hours()
}

// tally is how often a word came up.
type tally struct {
	word string
	n    int
}

// tallies counts words across lists, case and spacing aside (the first
// spelling seen is kept), most frequent first, then alphabetically.
func tallies(lists [][]string) []tally {
	var out []tally
	at := map[string]int{}
	for _, l := range lists {
		for _, w := range l {
			w = strings.TrimSpace(w)
			if w == "" {
				continue
			}
			k := strings.ToLower(strings.Join(strings.Fields(w), " "))
			if i, ok := at[k]; ok {
				out[i].n++
				continue
			}
			at[k] = len(out)
			out = append(out, tally{w, 1})
		}
	}
	slices.SortStableFunc(out, func(a, b tally) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(strings.ToLower(a.word), strings.ToLower(b.word)))
	})
	return out
}

// talliesText writes tallies: "stress ×4, boredom ×2, pain ×1".
func talliesText(ts []tally) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.word + " ×" + itoa(t.n)
	}
	return strings.Join(parts, ", ")
}

// sinceText is where a check-in falls after the last dose: "day 3, 52 h";
// "" when the last dose is not known.
func sinceText(pt trend.Point) string {
	h, ok := pt.HoursSinceDose()
	day, dok := pt.DaySinceDose()
	if !ok || !dok {
		return ""
	}
	return fmt.Sprintf("day %d, %d h", day, int(math.Round(h)))
}
