package report

import (
	"math"
	"slices"
	"strings"
	"time"

	"intakekiosk/summary"
	"intakekiosk/trend"
	"strconv"
)

// Series colours: apart in hue and in darkness, so the lines stay apart on
// a black-and-white printer too.
var (
	scoreInk   = rgb{20, 20, 20}
	cravingInk = rgb{178, 24, 24}
	sleepInk   = rgb{40, 100, 180}
	planInk    = rgb{60, 140, 90}
	doseInk    = rgb{20, 20, 20}
	cowsInk    = rgb{190, 80, 16}
)

// chartTitle draws a chart's title in width w from x, with an aside after
// it or, where it does not fit, under it; it returns the y below.
func (p *patientDoc) chartTitle(x, y, w float64, title, aside string) float64 {
	d := p.doc
	d.font("B", 10.5)
	d.color(ink)
	d.at(x, y, w, 5, title, "L")
	if aside == "" {
		return y + 5.5
	}
	tw := d.pdf.GetStringWidth(title) + 2.5
	d.font("", 8)
	d.color(grey)
	if d.pdf.GetStringWidth(aside) <= w-tw {
		d.at(x+tw, y+0.3, w-tw, 5, aside, "L")
		return y + 5.5
	}
	return d.lines(x, y+5, w, 3.6, aside) + 0.5
}

// withdrawalChart draws the withdrawal score by day since the last dose
// with the usual course shaded behind it or, under a taper plan, by day of
// the plan; it returns the y below the chart.
func (p *patientDoc) withdrawalChart(y float64) float64 {
	d := p.doc
	plan := p.pin.Plan
	var day0 time.Time
	if plan != nil {
		day0 = trend.Day(plan.Start, p.loc)
	}
	var pts []xy
	var unscored, unknown, restarts int
	prev := math.Inf(-1)
	for _, pt := range p.points {
		if !pt.Scored {
			unscored++
			continue
		}
		var x float64
		if plan != nil {
			x = daysFrom(day0, pt.At, p.loc)
		} else {
			h, ok := pt.HoursSinceDose()
			if !ok || h < 0 {
				unknown++
				continue
			}
			x = h / 24
		}
		// a new last dose (a dose taken again) starts the line again
		pts = append(pts, xy{x, float64(min(max(pt.Withdrawal, 0), 64)), x < prev})
		if x < prev {
			restarts++
		}
		prev = x
	}
	cows, unplaced := p.cowsPoints(day0)
	lo, hi := 0.0, 10.0
	for _, q := range append(slices.Clone(pts), cows...) {
		lo, hi = min(lo, math.Floor(q.x)), max(hi, math.Ceil(q.x+1e-9))
	}

	const plotH = 36.0
	y = d.need(y, plotH+28)
	var caption string
	withCOWS := len(p.pin.COWS) > 0
	titled := func(sows, both string) string {
		if withCOWS {
			return p.T(both)
		}
		return p.T(sows)
	}
	if plan != nil {
		y = p.chartTitle(marginL, y, contW, titled("staff.pdf.withdrawal_score_sows_0_64_by_day_of_the_taper_p", "staff.pdf.sows_and_cows_by_day_of_the_taper_plan"),
			p.T("staff.pdf.day_one_is")+p.When(plan.Start, "Mon, Jan 2")+p.T("staff.pdf.the_plan_s_start_not_shaded_a_taper_has_no_singl"))
		caption = p.T("staff.pdf.day_of_the_taper_plan")
	} else {
		y = p.chartTitle(marginL, y, contW, titled("staff.pdf.withdrawal_score_sows_0_64_by_day_since_the_last", "staff.pdf.sows_and_cows_by_day_since_the_last_dose"),
			p.T("staff.pdf.the_usual_course_of_kratom_withdrawal_shaded_beh"))
		caption = p.T("staff.pdf.day_since_the_last_dose_the_patient_reported_day")
	}
	top := y + 5.5
	if plan == nil {
		top = y + 7.5 // room for the course's phase names
	}
	right := 2.0 // room at the right for the COWS scale, when there is one
	if len(p.pin.COWS) > 0 {
		right = 11
	}
	pl := plot{d: d, x: marginL + 11, y: top, w: contW - 11 - right, h: plotH, x0: lo, x1: hi, y0: 0, y1: 64}
	if plan == nil {
		p.courseShade(pl)
	}
	pl.yGrid(10, p.T("staff.pdf.sows"))
	pl.columns(4, plan != nil, func(k int) []string { return []string{strconv.Itoa(k + 1)} })
	pl.frame()
	pl.line(pts, scoreInk, 0.6, nil)
	pl.dots(pts, 1.05, markCircle, scoreInk)
	pl.values(pts, func(v float64) string { return strconv.Itoa(int(v)) })
	if len(p.pin.COWS) > 0 {
		p.cowsSeries(pl, cows)
	}
	y = pl.bottom() + 4.5
	d.font("", 7)
	d.color(grey)
	d.at(pl.x, y, pl.w, 3.2, caption, "C")
	y += 3.4
	if len(p.pin.COWS) > 0 {
		y = p.seriesKey(pl, y)
	}
	var missing []string
	if unscored > 0 {
		missing = append(missing, summary.Plural(unscored, p.T("staff.pdf.check_in_has"), p.T("staff.pdf.check_ins_have"))+p.T("staff.pdf.no_withdrawal_score_items_left_unanswered"))
	}
	if unknown > 0 {
		missing = append(missing, summary.Plural(unknown, p.T("staff.pdf.check_in_gives"), p.T("staff.pdf.check_ins_give"))+p.T("staff.pdf.no_usable_time_of_the_last_dose"))
	}
	if len(pts) == 0 {
		missing = append(missing, p.T("staff.pdf.no_scored_check_in_to_plot"))
	}
	if unplaced > 0 {
		why := p.T("staff.pdf.no_last_dose_before_it")
		if plan != nil {
			why = p.T("staff.pdf.a_time_before_the_plan")
		}
		missing = append(missing, summary.Plural(unplaced, p.T("staff.pdf.cows_rating_has"), p.T("staff.pdf.cows_ratings_have"))+why)
	}
	if len(missing) > 0 {
		d.font("", 7.5)
		d.color(warnInk)
		y = d.lines(marginL, y, contW, 3.4, p.T("staff.pdf.not_plotted")+strings.Join(missing, "; ")+".")
	}
	if restarts > 0 {
		d.font("", 7.5)
		d.color(warnInk)
		y = d.lines(marginL, y, contW, 3.4, p.T("staff.pdf.at")+summary.Plural(restarts, p.T("staff.pdf.check_in"), p.T("staff.pdf.check_ins"))+
			p.T("staff.pdf.the_patient_reported_a_later_last_dose_kratom_ta"))
	}
	if plan == nil {
		d.font("", 7)
		d.color(grey)
		y = d.lines(marginL, y, contW, 3.2, p.T("staff.pdf.shading_the_usual_course_in_published_reports_on"))
	}
	return y
}

// courseShade shades the usual withdrawal course behind a plot whose x is
// days since the last dose (paler, so the line reads over it), with a
// strip above the plot in the summary's shades naming each phase.
func (p *patientDoc) courseShade(pl plot) {
	d := p.doc
	const stripH = 6.0
	sy := pl.y - stripH - 0.4
	leftFree := pl.x // labels may reach left into an unnamed phase
	course := d.shadedCourse()
	for i, ph := range course {
		from, to := ph.From/24, ph.To/24
		if i == len(course)-1 {
			to = pl.x1 // the last phase is open-ended
		}
		from, to = max(from, pl.x0), min(to, pl.x1)
		if to <= from {
			continue
		}
		x0, x1 := pl.px(from), pl.px(to)
		d.box(x0, pl.y, x1-x0, pl.h, pale(ph.shade))
		d.box(x0, sy, x1-x0, stripH, ph.shade)
		if i == 0 {
			continue // "before onset": the unshaded start, unnamed
		}
		lines := []string{ph.Label}
		d.font("", 6.5)
		if d.pdf.GetStringWidth(ph.Label)+1 > x1-x0 {
			head, tail, _ := strings.Cut(ph.Label, " ")
			lines = []string{head, tail}
			d.font("", 6)
		}
		w := 0.0
		for _, l := range lines {
			w = max(w, d.pdf.GetStringWidth(l)+0.8)
		}
		lx := (x0+x1)/2 - w/2
		if w > x1-x0 {
			lx = max(x1-w, leftFree)
		}
		d.color(ink)
		lh := stripH / float64(len(lines))
		for j, l := range lines {
			d.at(lx, sy+float64(j)*lh, w, lh, l, "C")
		}
		leftFree = max(x1, lx+w)
	}
	d.draw(grey)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Rect(pl.x, sy, pl.w, stripH, "D")
}

// pale mixes a shade half-way to white.
func pale(c rgb) rgb {
	mix := func(v int) int { return v + (255-v)*11/20 }
	return rgb{mix(c.r), mix(c.g), mix(c.b)}
}

// cowsPoints are the COWS ratings as points of the withdrawal chart,
// oldest first: by day of the plan (from day0), or by day since the last
// dose before each (trend.DoseBefore); unplaced counts those with no
// place (before the plan, no dose reported before them).
func (p *patientDoc) cowsPoints(day0 time.Time) (pts []xy, unplaced int) {
	rs := slices.Clone(p.pin.COWS)
	trend.SortRatings(rs)
	prev := math.Inf(-1)
	for _, r := range rs {
		var x float64
		if p.pin.Plan != nil {
			x = daysFrom(day0, r.At, p.loc)
		} else {
			dose, ok := trend.DoseBefore(p.pin.Doses, r.At)
			h := r.At.Sub(dose.At).Hours()
			if !ok || h < 0 {
				unplaced++
				continue
			}
			x = h / 24
		}
		if x < 0 {
			unplaced++
			continue
		}
		pts = append(pts, xy{x, float64(min(max(r.Total, 0), 48)), x < prev})
		prev = x
	}
	return pts, unplaced
}

// cowsSeries draws the COWS ratings on the withdrawal chart on a scale of
// their own, 0-48 at the right (its ticks in the series' colour), dashed
// with square markers.
func (p *patientDoc) cowsSeries(pl plot, pts []xy) {
	d := p.doc
	c := pl
	c.y0, c.y1 = 0, 48
	d.font("", 6.5)
	d.color(cowsInk)
	d.draw(cowsInk)
	d.pdf.SetLineWidth(0.2)
	right := pl.x + pl.w
	for v := 0.0; v <= 48; v += 12 {
		y := c.py(v)
		d.pdf.Line(right, y, right+1, y)
		d.at(right+1.3, y-1.5, 9, 3, strconv.Itoa(int(v)), "L")
	}
	d.font("B", 6.5)
	d.at(right+1.3, pl.y-1.5-3.2, 9, 3, p.T("staff.pdf.cows"), "L")
	c.line(pts, cowsInk, 0.6, []float64{1.2, 0.8})
	c.dots(pts, 1.05, markSquare, cowsInk)
	c.values(pts, func(v float64) string { return strconv.Itoa(int(v)) })
}

// seriesKey is the legend of the withdrawal chart's two series, each on
// its own scale, centred under the caption at y; it returns the y below.
func (p *patientDoc) seriesKey(pl plot, y float64) float64 {
	d := p.doc
	sows, cows := p.T("staff.pdf.sows_key"), p.T("staff.pdf.cows_key")
	d.font("", 7.5)
	w := 8.5 + d.pdf.GetStringWidth(sows) + 5 + 8.5 + d.pdf.GetStringWidth(cows)
	x := pl.x + (pl.w-w)/2
	x = pl.key(x, y+2, scoreInk, nil, markCircle, sows)
	pl.key(x, y+2, cowsInk, []float64{1.2, 0.8}, markSquare, cows)
	return y + 4.4
}
