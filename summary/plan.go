package summary

import (
	"cmp"
	"intakekiosk/screening"
	"intakekiosk/trend"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Tally is how often a word came up.
type Tally struct {
	Word string
	N    int
}

// Plan writes a taper plan, the same on the staff screens and in the
// PDF: "20 g a day from Nov 2, down 10% every 3 days; quit date Dec 1".
func (sh *Sheet) Plan(pl *trend.Plan) string {
	if pl == nil {
		return sh.T("staff.summary.no_taper_plan")
	}
	date := func(t time.Time) string { return sh.When(t, "Jan 2") }
	s := Grams(pl.StartDose) + sh.T("staff.summary.g_a_day_from") + date(pl.Start)
	if len(pl.Steps) > 0 {
		var steps []string
		for _, st := range pl.Steps {
			steps = append(steps, Grams(st.Grams)+sh.T("staff.summary.g_from")+date(st.From))
		}
		s += sh.T("staff.summary.then") + strings.Join(steps, ", ")
	} else {
		every := sh.T("staff.summary.every_day")
		if pl.EveryDays > 1 {
			every = sh.T("staff.summary.every_days", pl.EveryDays)
		}
		s += sh.T("staff.summary.down") + strconv.FormatFloat(pl.Percent, 'f', -1, 64) + "% " + every
	}
	if !pl.Quit.IsZero() {
		s += sh.T("staff.summary.quit_date") + date(pl.Quit)
	}
	if pl.CheckinDays > 1 {
		s += sh.T("staff.summary.check_in_every_days", pl.CheckinDays)
	}
	if !pl.Ends.IsZero() {
		s += sh.T("staff.summary.check_ins_end") + date(pl.Ends)
	}
	return s
}

// Grams writes a dose in grams: "12", "7.5".
func Grams(g float64) string { return screening.FormatNumber(g, 1) }

// HoursSlept writes hours slept: "6", "5.5".
func HoursSlept(h float64) string { return Grams(h) }

// Tallies counts words across lists, case and spacing aside (the first
// spelling seen is kept), most frequent first, then alphabetically.
func Tallies(lists [][]string) []Tally {
	var out []Tally
	at := map[string]int{}
	for _, l := range lists {
		for _, w := range l {
			w = strings.TrimSpace(w)
			if w == "" {
				continue
			}
			k := strings.ToLower(strings.Join(strings.Fields(w), " "))
			if i, ok := at[k]; ok {
				out[i].N++
				continue
			}
			at[k] = len(out)
			out = append(out, Tally{w, 1})
		}
	}
	slices.SortStableFunc(out, func(a, b Tally) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(strings.ToLower(a.Word), strings.ToLower(b.Word)))
	})
	return out
}

// TalliesText writes tallies: "stress ×4, boredom ×2, pain ×1".
func TalliesText(ts []Tally) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.Word + " ×" + itoa(t.N)
	}
	return strings.Join(parts, ", ")
}

// Since is where a check-in falls after the last dose: "day 3, 52 h";
// "" when the last dose is not known.
func (sh *Sheet) Since(pt trend.Point) string {
	h, ok := pt.HoursSinceDose()
	day, dok := pt.DaySinceDose()
	if !ok || !dok {
		return ""
	}
	return sh.T("staff.summary.day_h", day, int(math.Round(h)))
}

// Flag says a check-in flag in words: "Withdrawal score rose two
// check-ins in a row: 9, 17, 21", "No check-in on Sat, Nov 7".
func (sh *Sheet) Flag(f trend.Flag) string {
	switch f.Kind {
	case trend.Rising:
		return sh.T("staff.summary.flag.rising", f.Scores[0], f.Scores[1], f.Scores[2])
	case trend.OverPlan:
		if f.Before > 0 {
			return sh.T("staff.summary.flag.over_plan_two", Grams(f.Grams), Grams(f.Before), f.DayBefore.Format("Jan 2"),
				Grams(f.Planned), f.Day.Format("Jan 2"))
		}
		return sh.T("staff.summary.flag.over_plan", Grams(f.Grams), Grams(f.Planned))
	case trend.Relapse:
		return sh.T("staff.summary.flag.relapse")
	case trend.Missed:
		if f.Count > 1 {
			return sh.T("staff.summary.flag.missed_run", f.At.Format("Mon, Jan 2"), f.To.Format("Mon, Jan 2"), f.Count)
		}
		return sh.T("staff.summary.flag.missed", f.At.Format("Mon, Jan 2"))
	}
	return string(f.Kind)
}
