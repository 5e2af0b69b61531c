package report

import (
	"time"

	"intakekiosk/summary"
	"intakekiosk/trend"
)

// periodWords says how many check-ins the report covers and over which
// days: "14 check-ins from Mon, Nov 2 to Wed, Nov 11, 2026 (10 days)".
func (p *patientDoc) periodWords() string {
	n := len(p.points)
	switch n {
	case 0:
		return p.T("staff.pdf.no_check_ins_yet")
	case 1:
		return p.T("staff.pdf.1_check_in_on") + p.When(p.points[0].At, "Monday, Jan 2, 2006, 3:04 PM MST") + "."
	}
	first, last := p.points[0].At, p.points[n-1].At
	span := trend.Days(first, last, p.loc) + 1
	from := "Mon, Jan 2"
	if first.In(p.loc).Year() != last.In(p.loc).Year() {
		from += ", 2006"
	}
	return p.T("staff.pdf.check_ins_from_to", n, p.When(first, from),
		p.When(last, "Mon, Jan 2, 2006"), summary.Plural(span, p.T("staff.pdf.day"), p.T("staff.pdf.days")))
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
		return p.When(first, "Jan 2, 2006")
	case first.In(p.loc).Year() != last.In(p.loc).Year():
		return p.When(first, "Jan 2, 2006") + p.T("staff.pdf.to") + p.When(last, "Jan 2, 2006")
	}
	return p.When(first, "Jan 2") + p.T("staff.pdf.to") + p.When(last, "Jan 2, 2006")
}

// planLine is the taper plan in words with the dose planned for the day
// the report is made.
func (p *patientDoc) planLine() string {
	pl := p.pin.Plan
	s := p.Plan(pl)
	if g, ok := pl.DoseOn(p.pin.Generated, p.loc); ok {
		s += p.T("staff.pdf.planned_for_g_a_day", p.When(p.pin.Generated, "Jan 2"), summary.Grams(g))
	}
	return s
}

// daysFrom is the time from the start of day0 to t in days, counting each
// calendar day as one whatever its length.
func daysFrom(day0, t time.Time, loc *time.Location) float64 {
	n := trend.Days(day0, t, loc)
	d := trend.Day(t, loc)
	next := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	return float64(n) + t.Sub(d).Hours()/next.Sub(d).Hours()
}
