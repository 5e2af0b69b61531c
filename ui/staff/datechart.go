package staff

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/trend"
)

// series is one line of a date chart: its values by day from the chart's
// first day (negative values are gaps), and how it is drawn.
type series struct {
	label  string
	values map[int]float64
	colour color.Color
	// step draws the values as a step line (a plan) rather than points
	// joined by lines
	step bool
}

// dateChart draws lines by calendar date over a fixed value range, with a
// legend: craving and sleep, or the planned against the reported dose.
type dateChart struct {
	widget.BaseWidget
	title  string
	first  time.Time // the first day
	days   int       // how many days the x axis spans
	top    float64   // the y axis runs 0..top
	lines  []series
	height float32
}

// date chart sizes.
const (
	dateChartHeight = 200
	dateChartLeft   = 34
	dateChartBottom = 24
	dateChartTop    = 24 // room for the title and legend
)

// newDateCharts builds the check-ins tab's charts by date: craving (0-10)
// and hours slept; and, with a plan, the planned dose as a step line
// against the grams reported.
func newDateCharts(points []trend.Point, plan *trend.Plan, loc *time.Location) []*dateChart {
	if len(points) == 0 {
		return nil
	}
	day := func(t time.Time) time.Time { return trend.Day(t, loc) }
	first, last := day(points[0].At), day(points[0].At)
	for _, p := range points {
		d := day(p.At)
		if d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	if plan != nil && day(plan.Start).Before(first) {
		first = day(plan.Start)
	}
	index := func(t time.Time) int { return int(math.Round(day(t).Sub(first).Hours() / 24)) }
	days := max(index(last), 6)
	craving, sleep, grams := map[int]float64{}, map[int]float64{}, map[int]float64{}
	top := 10.0
	for _, p := range points {
		i := index(p.At)
		if p.Craving >= 0 {
			craving[i] = float64(p.Craving)
		}
		if p.Sleep >= 0 {
			sleep[i] = math.Min(p.Sleep, 12)
		}
		if p.Grams >= 0 {
			grams[i] = p.Grams
			top = math.Max(top, p.Grams)
		}
	}
	red := theme.Color(theme.ColorNameError)
	blue := theme.Color(theme.ColorNamePrimary)
	green := theme.Color(theme.ColorNameSuccess)
	charts := []*dateChart{newDateChart(checkinText.ChartCravingSleep, first, days, 12,
		series{label: checkinText.Craving, values: craving, colour: red},
		series{label: checkinText.Sleep, values: sleep, colour: blue})}
	if plan != nil {
		planned := map[int]float64{}
		for i := 0; i <= days; i++ {
			if g, ok := plan.DoseOn(first.AddDate(0, 0, i).Add(12*time.Hour), loc); ok {
				planned[i] = g
				top = math.Max(top, g)
			}
		}
		charts = append(charts, newDateChart(checkinText.ChartDoseByDate, first, days, math.Ceil(top/5)*5,
			series{label: checkinText.Planned, values: planned, colour: green, step: true},
			series{label: checkinText.Reported, values: grams, colour: blue}))
	}
	return charts
}

func newDateChart(title string, first time.Time, days int, top float64, lines ...series) *dateChart {
	c := &dateChart{title: title, first: first, days: days, top: top, lines: lines, height: dateChartHeight}
	c.ExtendBaseWidget(c)
	return c
}

// MinSize is a fixed height, any width.
func (c *dateChart) MinSize() fyne.Size { return fyne.NewSize(300, c.height) }

// CreateRenderer builds the chart's objects; Layout places them.
func (c *dateChart) CreateRenderer() fyne.WidgetRenderer {
	r := &dateChartRenderer{c: c}
	fg, grey := theme.Color(theme.ColorNameForeground), theme.Color(theme.ColorNameDisabled)
	text := func(s string, col color.Color, size float32) *canvas.Text {
		t := canvas.NewText(s, col)
		t.TextSize = size
		r.objs = append(r.objs, t)
		return t
	}
	r.title = text(c.title, fg, 15)
	r.title.TextStyle = fyne.TextStyle{Bold: true}
	for _, v := range []float64{0, c.top / 2, c.top} {
		l := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
		r.objs = append(r.objs, l)
		r.grid = append(r.grid, l)
		r.yText = append(r.yText, text(fmt.Sprint(int(v)), grey, 13))
	}
	step := max(1, int(math.Ceil(float64(c.days)/7)))
	for d := 0; d <= c.days; d += step {
		r.xDays = append(r.xDays, d)
		r.xText = append(r.xText, text(c.first.AddDate(0, 0, d).Format("Jan 2"), grey, 13))
	}
	for _, s := range c.lines {
		key := text("— "+s.label, s.colour, 13)
		key.TextStyle = fyne.TextStyle{Bold: true}
		r.keys = append(r.keys, key)
		var pts [][2]float64
		for d := 0; d <= c.days; d++ {
			if v, ok := s.values[d]; ok {
				pts = append(pts, [2]float64{float64(d), v})
			}
		}
		sr := seriesObjs{pts: pts, step: s.step}
		for i := range pts {
			if i > 0 {
				n := 1
				if s.step {
					n = 2
				}
				for range n {
					l := canvas.NewLine(s.colour)
					l.StrokeWidth = 2.5
					sr.segs = append(sr.segs, l)
					r.objs = append(r.objs, l)
				}
			}
			if !s.step {
				dot := canvas.NewCircle(s.colour)
				sr.dots = append(sr.dots, dot)
				r.objs = append(r.objs, dot)
			}
		}
		r.series = append(r.series, sr)
	}
	return r
}

// seriesObjs are the drawn pieces of one series.
type seriesObjs struct {
	pts  [][2]float64
	step bool
	segs []*canvas.Line
	dots []*canvas.Circle
}

type dateChartRenderer struct {
	c            *dateChart
	objs         []fyne.CanvasObject
	title        *canvas.Text
	grid         []*canvas.Line
	yText, xText []*canvas.Text
	xDays        []int
	keys         []*canvas.Text
	series       []seriesObjs
}

func (r *dateChartRenderer) Layout(size fyne.Size) {
	c := r.c
	w := float64(size.Width - dateChartLeft - 10)
	h := float64(size.Height - dateChartBottom - dateChartTop)
	px := func(d float64) float32 { return dateChartLeft + float32(d/float64(max(c.days, 1))*w) }
	py := func(v float64) float32 { return dateChartTop + float32(h-math.Min(v, c.top)/c.top*h) }
	r.title.Move(fyne.NewPos(0, 0))
	x := r.title.MinSize().Width + 12
	for _, k := range r.keys {
		k.Move(fyne.NewPos(x, 1))
		x += k.MinSize().Width + 10
	}
	for i, l := range r.grid {
		y := py(c.top * float64(i) / 2)
		l.Position1, l.Position2 = fyne.NewPos(dateChartLeft, y), fyne.NewPos(size.Width-10, y)
		r.yText[i].Move(fyne.NewPos(0, y-8))
	}
	for i, t := range r.xText {
		xp := min(px(float64(r.xDays[i]))-14, size.Width-t.MinSize().Width-2)
		t.Move(fyne.NewPos(max(xp, dateChartLeft-10), dateChartTop+float32(h)+4))
	}
	for _, s := range r.series {
		seg := 0
		for i, p := range s.pts {
			if i > 0 {
				prev := s.pts[i-1]
				if s.step {
					// along at the old value, then down to the new one
					s.segs[seg].Position1 = fyne.NewPos(px(prev[0]), py(prev[1]))
					s.segs[seg].Position2 = fyne.NewPos(px(p[0]), py(prev[1]))
					s.segs[seg+1].Position1 = fyne.NewPos(px(p[0]), py(prev[1]))
					s.segs[seg+1].Position2 = fyne.NewPos(px(p[0]), py(p[1]))
					seg += 2
				} else {
					s.segs[seg].Position1 = fyne.NewPos(px(prev[0]), py(prev[1]))
					s.segs[seg].Position2 = fyne.NewPos(px(p[0]), py(p[1]))
					seg++
				}
			}
			if !s.step {
				s.dots[i].Move(fyne.NewPos(px(p[0])-5, py(p[1])-5))
				s.dots[i].Resize(fyne.NewSize(10, 10))
			}
		}
	}
}

func (r *dateChartRenderer) MinSize() fyne.Size           { return r.c.MinSize() }
func (r *dateChartRenderer) Refresh()                     { r.Layout(r.c.Size()); canvas.Refresh(r.c) }
func (r *dateChartRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *dateChartRenderer) Destroy()                     {}
