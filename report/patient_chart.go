package report

import (
	"math"
	"strings"
	"time"

	"intakekiosk/trend"
)

// Series colours: apart in hue and in darkness, so the lines stay apart on
// a black-and-white printer too.
var (
	scoreInk   = rgb{20, 20, 20}
	cravingInk = rgb{178, 24, 24}
	sleepInk   = rgb{40, 100, 180}
	planInk    = rgb{60, 140, 90}
	doseInk    = rgb{20, 20, 20}
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
	lo, hi := 0.0, 10.0
	for _, q := range pts {
		lo, hi = min(lo, math.Floor(q.x)), max(hi, math.Ceil(q.x+1e-9))
	}

	const plotH = 36.0
	y = d.need(y, plotH+28)
	var caption string
	if plan != nil {
		y = p.chartTitle(marginL, y, contW, "Withdrawal score (SOWS 0-64) by day of the taper plan",
			"day 1 = "+p.when(plan.Start, "Mon, Jan 2")+", the plan's start; not shaded: a taper has no single last dose")
		caption = "day of the taper plan"
	} else {
		y = p.chartTitle(marginL, y, contW, "Withdrawal score (SOWS 0-64) by day since the last dose",
			"the usual course of kratom withdrawal shaded behind")
		caption = "day since the last dose the patient reported (day 1 = the first 24 hours)"
	}
	top := y + 5.5
	if plan == nil {
		top = y + 7.5 // room for the course's phase names
	}
	pl := plot{d: d, x: marginL + 11, y: top, w: contW - 13, h: plotH, x0: lo, x1: hi, y0: 0, y1: 64}
	if plan == nil {
		p.courseShade(pl)
	}
	pl.yGrid(10, "SOWS")
	pl.columns(4, plan != nil, func(k int) []string { return []string{itoa(k + 1)} })
	pl.frame()
	pl.line(pts, scoreInk, 0.6, nil)
	pl.dots(pts, 1.05, markCircle, scoreInk)
	pl.values(pts, func(v float64) string { return itoa(int(v)) })
	y = pl.bottom() + 4.5
	d.font("", 7)
	d.color(grey)
	d.at(pl.x, y, pl.w, 3.2, caption, "C")
	y += 3.4
	var missing []string
	if unscored > 0 {
		missing = append(missing, plural(unscored, "check-in has", "check-ins have")+" no withdrawal score (items left unanswered)")
	}
	if unknown > 0 {
		missing = append(missing, plural(unknown, "check-in gives", "check-ins give")+" no usable time of the last dose")
	}
	if len(pts) == 0 {
		missing = append(missing, "no scored check-in to plot")
	}
	if len(missing) > 0 {
		d.font("", 7.5)
		d.color(warnInk)
		y = d.lines(marginL, y, contW, 3.4, "Not plotted: "+strings.Join(missing, "; ")+".")
	}
	if restarts > 0 {
		d.font("", 7.5)
		d.color(warnInk)
		y = d.lines(marginL, y, contW, 3.4, "At "+plural(restarts, "check-in", "check-ins")+
			" the patient reported a later last dose (kratom taken again): the line starts again there.")
	}
	if plan == nil {
		d.font("", 7)
		d.color(grey)
		y = d.lines(marginL, y, contW, 3.2, "Shading: the usual course in published reports (onset 12-24 h, peak days 2-3, easing by days 5-10); individual courses vary, and low mood, cravings and poor sleep can last longer.")
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
	for i, ph := range course {
		from, to := ph.from/24, ph.to/24
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
		lines := []string{ph.label}
		d.font("", 6.5)
		if d.pdf.GetStringWidth(ph.label)+1 > x1-x0 {
			head, tail, _ := strings.Cut(ph.label, " ")
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
