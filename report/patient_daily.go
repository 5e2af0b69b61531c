package report

import (
	"math"
	"time"

	"intakekiosk/summary"
	"intakekiosk/trend"
)

// daily are the check-ins placed on calendar days for the date charts.
type daily struct {
	day0                  time.Time // the first day shown, at midnight
	n                     int       // days shown
	craving, sleep, grams []xy
}

// dailyCharts draws craving and hours slept by calendar date and, beside
// them when there is a plan (or a dose was reported), the planned dose
// against the reported one on the same dates; it returns the y below them.
func (p *patientDoc) dailyCharts(y float64) float64 {
	d := p.doc
	plan := p.pin.Plan
	first, last := p.points[0].At, p.points[len(p.points)-1].At
	dy := daily{day0: trend.Day(first, p.loc)}
	if plan != nil && trend.Day(plan.Start, p.loc).Before(dy.day0) && trend.Days(plan.Start, first, p.loc) <= 14 {
		dy.day0 = trend.Day(plan.Start, p.loc)
	}
	dy.n = trend.Days(dy.day0, last, p.loc) + 1
	anyDose := false
	for _, pt := range p.points {
		x := daysFrom(dy.day0, pt.At, p.loc)
		if pt.Craving >= 0 {
			dy.craving = append(dy.craving, xy{x: x, y: float64(min(pt.Craving, 10))})
		}
		if pt.Sleep >= 0 {
			dy.sleep = append(dy.sleep, xy{x: x, y: min(pt.Sleep, 12)})
		}
		if pt.Grams >= 0 {
			dy.grams = append(dy.grams, xy{x: x, y: pt.Grams})
			anyDose = anyDose || pt.Grams > 0
		}
	}
	const plotH, gutter = 30.0, 8.0
	y = d.need(y, 5.5+5+plotH+8)
	if plan == nil && !anyDose {
		return p.cravingChart(marginL, y, contW, plotH, dy)
	}
	w := (contW - gutter) / 2
	return max(p.cravingChart(marginL, y, w, plotH, dy), p.doseChart(marginL+w+gutter, y, w, plotH, dy))
}

// dayLabel names the calendar columns of a date chart.
func (dy daily) dayLabel(k int) []string {
	t := dy.day0.AddDate(0, 0, k)
	return []string{t.Format("Jan 2"), t.Format("Mon")}
}

// cravingChart draws craving and hours slept by date in width w from x
// and returns the y below it.
func (p *patientDoc) cravingChart(x, y, w, h float64, dy daily) float64 {
	y = p.chartTitle(x, y, w, p.T("staff.pdf.craving_and_sleep_by_date"), "")
	pl := plot{d: p.doc, x: x + 11, y: y + 5, w: w - 11, h: h, x0: 0, x1: float64(dy.n), y0: 0, y1: 12}
	dash := []float64{1.2, 0.9}
	kx := pl.key(pl.x+1, y+1.6, cravingInk, nil, markCircle, p.T("staff.pdf.craving_0_10"))
	pl.key(kx, y+1.6, sleepInk, dash, markSquare, p.T("staff.pdf.hours_slept_0_12"))
	pl.yGrid(2, "")
	pl.columns(11, true, dy.dayLabel)
	pl.frame()
	pl.line(dy.sleep, sleepInk, 0.6, dash)
	pl.line(dy.craving, cravingInk, 0.6, nil)
	pl.dots(dy.sleep, 1, markSquare, sleepInk)
	pl.dots(dy.craving, 1, markCircle, cravingInk)
	if len(dy.craving)+len(dy.sleep) == 0 {
		p.empty(pl, p.T("staff.pdf.no_craving_or_sleep_given"))
	}
	return pl.bottom() + 8
}

// doseChart draws the reported dose by date, against the plan's when
// there is one, in width w from x, and returns the y below it.
func (p *patientDoc) doseChart(x, y, w, h float64, dy daily) float64 {
	plan := p.pin.Plan
	title := p.T("staff.pdf.dose_by_date")
	if plan != nil {
		title = p.T("staff.pdf.dose_by_date_reported_against_the_plan")
	}
	y = p.chartTitle(x, y, w, title, "")
	pl := plot{d: p.doc, x: x + 11, y: y + 5, w: w - 11, h: h, x0: 0, x1: float64(dy.n), y0: 0}
	var planned []xy
	high := 0.0
	if plan != nil {
		planned = p.plannedSteps(plan, dy.day0, dy.n)
		for _, q := range planned {
			high = max(high, q.y)
		}
	}
	for _, q := range dy.grams {
		high = max(high, q.y)
	}
	step := niceStep(high)
	pl.y1 = math.Max(step*math.Ceil(high*1.12/step), step*2)
	kx := pl.key(pl.x+1, y+1.6, doseInk, []float64{}, markCircle, p.T("staff.pdf.reported_g"))
	if plan != nil {
		kx = pl.key(kx, y+1.6, planInk, nil, -1, p.T("staff.pdf.planned_g_a_day"))
		pl.key(kx, y+1.6, urgentRed, []float64{}, markCircle, p.T("staff.pdf.above_plan"))
	}
	pl.yGrid(step, p.T("staff.pdf.g_a_day"))
	pl.columns(11, true, dy.dayLabel)
	pl.frame()
	pl.line(planned, planInk, 1.1, nil)
	for _, q := range dy.grams {
		c := doseInk
		if plan != nil {
			at := dy.day0.Add(time.Duration(q.x * 24 * float64(time.Hour)))
			if plan.Over(q.y, at, p.loc) {
				c = urgentRed
			}
		}
		pl.dot(pl.px(q.x), pl.py(q.y), 1.1, markCircle, c)
	}
	pl.values(dy.grams, summary.Grams)
	if len(dy.grams) == 0 {
		p.empty(pl, p.T("staff.pdf.no_dose_reported"))
	}
	return pl.bottom() + 8
}

// plannedSteps is the plan's dose day by day over n days from day0, as a
// step line: flat across each day, upright between days.
func (p *patientDoc) plannedSteps(plan *trend.Plan, day0 time.Time, n int) []xy {
	var out []xy
	brk := true
	for k := range n {
		t := time.Date(day0.Year(), day0.Month(), day0.Day()+k, 12, 0, 0, 0, p.loc)
		g, ok := plan.DoseOn(t, p.loc)
		if !ok {
			brk = true
			continue
		}
		out = append(out, xy{float64(k), g, brk}, xy{float64(k + 1), g, false})
		brk = false
	}
	return out
}

// empty says in the middle of a plot why it has nothing in it.
func (p *patientDoc) empty(pl plot, why string) {
	d := p.doc
	d.font("", 8)
	d.color(grey)
	d.at(pl.x, pl.y+pl.h/2-2, pl.w, 4, why, "C")
}

// niceStep is a grid step that splits 0..high into three to six parts:
// 1, 2 or 5 times a power of ten, about a fifth of high.
func niceStep(high float64) float64 {
	if high <= 0 {
		return 1
	}
	raw := high / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= raw {
			return m * pow
		}
	}
	return 10 * pow
}
