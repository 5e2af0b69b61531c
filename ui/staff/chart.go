package staff

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/summary"
	"intakekiosk/trend"
)

// trendChart draws a patient's withdrawal score (SOWS, 0-64, the left
// scale) at each check-in and the clinicians' COWS ratings (0-48, the
// right scale) beside it: by day since the last dose the patient
// reported, with the usual course shaded behind (onset 12-24 h, peak days
// 2-3, easing by days 5-10); or, on a taper, by day of the plan.
type trendChart struct {
	widget.BaseWidget
	points []trend.Point
	plan   *trend.Plan
	// cows are the COWS ratings, placed by the last dose reported before
	// each (doses)
	cows  []trend.Rating
	doses []trend.Dose
	// bands are the phases shaded behind (without a plan); empty says
	// there is no score to plot
	bands []courseBand
	empty string
}

// chart sizes.
const (
	chartHeight = 190
	chartLeft   = 44 // room for the y labels
	chartRight  = 40 // room for the COWS labels
	chartBottom = 26 // room for the x labels
	chartTop    = 22 // room for the course labels
)

// newTrendChart builds the chart of points, by day of plan when there is
// one, else by day since the last dose with the usual course behind;
// empty is what it says when there is nothing to plot.
func newTrendChart(points []trend.Point, plan *trend.Plan, course []summary.Phase, empty string, cows []trend.Rating, doses []trend.Dose) *trendChart {
	c := &trendChart{points: points, plan: plan, bands: courseBands(course), empty: empty, cows: cows, doses: doses}
	c.ExtendBaseWidget(c)
	return c
}

// MinSize is a fixed height, any width.
func (c *trendChart) MinSize() fyne.Size { return fyne.NewSize(400, chartHeight) }

// x is where a point goes along the days axis, in days; false when it
// has no place (no last dose given, before the plan).
func (c *trendChart) x(p trend.Point) (float64, bool) {
	if c.plan != nil {
		d := p.At.Sub(c.plan.Start).Hours() / 24
		return d, d >= 0
	}
	h, ok := p.HoursSinceDose()
	return h / 24, ok && h >= 0
}

// rated is where a COWS rating goes along the days axis: from the plan's
// start, or from the last dose before it (trend.DoseBefore); false when
// it has no place.
func (c *trendChart) rated(r trend.Rating) (float64, bool) {
	if c.plan != nil {
		d := r.At.Sub(c.plan.Start).Hours() / 24
		return d, d >= 0
	}
	dose, ok := trend.DoseBefore(c.doses, r.At)
	h := r.At.Sub(dose.At).Hours()
	return h / 24, ok && h >= 0
}

// CreateRenderer builds the chart's objects; Layout places them.
func (c *trendChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.build()
	return r
}

type chartRenderer struct {
	c    *trendChart
	objs []fyne.CanvasObject
	// the pieces Layout places
	bands    []*canvas.Rectangle
	bandText []*canvas.Text
	grid     []*canvas.Line
	yText    []*canvas.Text
	xText    []*canvas.Text
	segs     []*canvas.Line
	dots     []fyne.CanvasObject
	vals     []*canvas.Text
	xs, ys   []float64 // the points' days and scores
	// the COWS ratings' days and totals, drawn on the right scale
	cx, cy              []float64
	cSegs               []*canvas.Line
	cDots               []fyne.CanvasObject
	cVals, cText        []*canvas.Text
	leftUnit, rightUnit *canvas.Text
	days                float64 // the days axis runs 0..days
	empty               *canvas.Text
}

// cowsInk is the COWS series' colour: apart in hue from the SOWS line
// (the theme's primary blue).
var cowsInk = color.NRGBA{0xC0, 0x50, 0x10, 0xFF}

// courseBand is a phase of the usual course (trend.Course) as the chart
// shades it: days from, to, a label, a tint.
type courseBand struct {
	from, to float64
	label    string
	tint     color.NRGBA
}

// bandTints are the phases the chart shades, and how.
var bandTints = map[trend.Phase]color.NRGBA{
	trend.Onset:  {0xF2, 0xC9, 0x4C, 0x44},
	trend.Peak:   {0xD9, 0x48, 0x3B, 0x33},
	trend.Easing: {0x3B, 0x8E, 0xA5, 0x22},
}

// courseBands are the phases of the usual course (summary's course table)
// the chart shades, by day.
func courseBands(course []summary.Phase) []courseBand {
	var out []courseBand
	for _, p := range course {
		if tint, ok := bandTints[p.Phase]; ok {
			out = append(out, courseBand{from: p.From / 24, to: p.To / 24, label: p.Short, tint: tint})
		}
	}
	return out
}

func (r *chartRenderer) build() {
	c := r.c
	fg := theme.Color(theme.ColorNameForeground)
	grey := theme.Color(theme.ColorNameDisabled)
	line := theme.Color(theme.ColorNamePrimary)
	for _, p := range c.points {
		if x, ok := c.x(p); ok && p.Scored {
			r.xs = append(r.xs, x)
			r.ys = append(r.ys, float64(p.Withdrawal))
		}
	}
	for _, rt := range c.cows {
		if x, ok := c.rated(rt); ok {
			r.cx = append(r.cx, x)
			r.cy = append(r.cy, float64(rt.Total))
		}
	}
	r.days = 10
	for _, x := range append(slices.Clone(r.xs), r.cx...) {
		r.days = max(r.days, math.Ceil(x))
	}
	if c.plan == nil {
		for _, b := range c.bands {
			rect := canvas.NewRectangle(b.tint)
			t := canvas.NewText(b.label, fg)
			t.TextSize = 14
			r.bands, r.bandText = append(r.bands, rect), append(r.bandText, t)
			r.objs = append(r.objs, rect, t)
		}
	}
	for _, v := range []int{0, 16, 32, 48, 64} {
		l := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
		l.StrokeWidth = 1
		t := canvas.NewText(fmt.Sprint(v), grey)
		t.TextSize = 14
		t.Alignment = fyne.TextAlignTrailing
		r.grid, r.yText = append(r.grid, l), append(r.yText, t)
		r.objs = append(r.objs, l, t)
	}
	if len(r.cx) > 0 {
		// the right scale, COWS 0-48, on the same four divisions
		for _, v := range []int{0, 12, 24, 36, 48} {
			t := canvas.NewText(fmt.Sprint(v), cowsInk)
			t.TextSize = 14
			r.cText = append(r.cText, t)
			r.objs = append(r.objs, t)
		}
		r.leftUnit, r.rightUnit = canvas.NewText("SOWS", line), canvas.NewText("COWS", cowsInk)
		for _, t := range []*canvas.Text{r.leftUnit, r.rightUnit} {
			t.TextSize = 13
			t.TextStyle = fyne.TextStyle{Bold: true}
			r.objs = append(r.objs, t)
		}
	}
	step := 1.0
	if r.days > 14 {
		step = math.Ceil(r.days / 14)
	}
	for d := 0.0; d < r.days; d += step {
		label := fmt.Sprint(int(d))
		if c.plan == nil {
			label = fmt.Sprint(int(d) + 1) // day 1 is the first 24 hours
		}
		t := canvas.NewText(label, grey)
		t.TextSize = 14
		r.xText = append(r.xText, t)
		r.objs = append(r.objs, t)
	}
	r.segs = r.segments(r.xs, line)
	for _, y := range r.ys {
		d := canvas.NewCircle(line)
		r.objs = append(r.objs, d)
		r.dots, r.vals = append(r.dots, d), append(r.vals, r.value(y, fg))
	}
	r.cSegs = r.segments(r.cx, cowsInk)
	for _, y := range r.cy {
		d := canvas.NewRectangle(cowsInk)
		r.objs = append(r.objs, d)
		r.cDots, r.cVals = append(r.cDots, d), append(r.cVals, r.value(y, cowsInk))
	}
	if len(r.xs) == 0 && len(r.cx) == 0 {
		r.empty = canvas.NewText(r.c.empty, grey)
		r.empty.TextSize = 18
		r.objs = append(r.objs, r.empty)
	}
}

// segments are the lines joining points at days xs, in ink; one going
// back in days (a later last dose: used again) is hidden, so the line
// starts again there.
func (r *chartRenderer) segments(xs []float64, ink color.Color) []*canvas.Line {
	var segs []*canvas.Line
	for i := 1; i < len(xs); i++ {
		l := canvas.NewLine(ink)
		l.StrokeWidth = 3
		if r.c.plan == nil && xs[i] < xs[i-1] {
			l.Hide()
		}
		segs = append(segs, l)
		r.objs = append(r.objs, l)
	}
	return segs
}

// value is a point's value written by it, in ink.
func (r *chartRenderer) value(y float64, ink color.Color) *canvas.Text {
	v := canvas.NewText(fmt.Sprint(int(y)), ink)
	v.TextSize = 14
	v.TextStyle = fyne.TextStyle{Bold: true}
	r.objs = append(r.objs, v)
	return v
}

func (r *chartRenderer) Layout(size fyne.Size) {
	w := float64(size.Width - chartLeft - chartRight)
	h := float64(size.Height - chartBottom - chartTop)
	px := func(day float64) float32 { return chartLeft + float32(day/r.days*w) }
	py := func(v float64) float32 { return chartTop + float32(h-v/64*h) }
	for i, b := range r.bands {
		cb := r.c.bands[i]
		x0, x1 := px(cb.from), px(min(cb.to, r.days))
		b.Move(fyne.NewPos(x0, chartTop))
		b.Resize(fyne.NewSize(x1-x0, float32(h)))
		r.bandText[i].Move(fyne.NewPos(x0+2, 2))
	}
	for i, l := range r.grid {
		y := py(float64(i * 16))
		l.Position1, l.Position2 = fyne.NewPos(chartLeft, y), fyne.NewPos(size.Width-chartRight, y)
		r.yText[i].Move(fyne.NewPos(0, y-9))
		r.yText[i].Resize(fyne.NewSize(chartLeft-6, 18))
		if i < len(r.cText) {
			r.cText[i].Move(fyne.NewPos(size.Width-chartRight+6, y-9))
		}
	}
	if r.leftUnit != nil {
		r.leftUnit.Move(fyne.NewPos(0, chartTop-20))
		r.rightUnit.Move(fyne.NewPos(size.Width-chartRight-8, chartTop-20))
	}
	step := 1.0
	if r.days > 14 {
		step = math.Ceil(r.days / 14)
	}
	// by day since the dose, "day N" sits in the middle of its 24 hours
	mid := 0.0
	if r.c.plan == nil {
		mid = 0.5
	}
	for i, t := range r.xText {
		x := min(px(float64(i)*step+mid)-4, size.Width-t.MinSize().Width-2)
		t.Move(fyne.NewPos(x, chartTop+float32(h)+4))
	}
	cy := func(v float64) float32 { return chartTop + float32(h-v/48*h) }
	// SOWS values above their dots, COWS values below at the right
	placeSeries(r.xs, r.ys, px, py, r.segs, r.dots, r.vals, fyne.NewPos(-6, -26))
	placeSeries(r.cx, r.cy, px, cy, r.cSegs, r.cDots, r.cVals, fyne.NewPos(6, 2))
	if r.empty != nil {
		r.empty.Move(fyne.NewPos(chartLeft+20, chartTop+float32(h)/2-10))
	}
}

// placeSeries places a series' segments, markers and values (at off from
// each point) by its scales px and py.
func placeSeries(xs, ys []float64, px, py func(float64) float32, segs []*canvas.Line, marks []fyne.CanvasObject, vals []*canvas.Text, off fyne.Position) {
	for i := range xs {
		x, y := px(xs[i]), py(ys[i])
		if i > 0 {
			segs[i-1].Position1 = fyne.NewPos(px(xs[i-1]), py(ys[i-1]))
			segs[i-1].Position2 = fyne.NewPos(x, y)
		}
		marks[i].Move(fyne.NewPos(x-6, y-6))
		marks[i].Resize(fyne.NewSize(12, 12))
		vals[i].Move(fyne.NewPos(x+off.X, y+off.Y))
	}
}

func (r *chartRenderer) MinSize() fyne.Size           { return r.c.MinSize() }
func (r *chartRenderer) Refresh()                     { r.Layout(r.c.Size()); canvas.Refresh(r.c) }
func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *chartRenderer) Destroy()                     {}
