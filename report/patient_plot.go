package report

import (
	"intakekiosk/summary"
	"math"
)

// plot maps data values onto a rectangle of the page: x0..x1 across,
// y0..y1 up.
type plot struct {
	d              *doc
	x, y, w, h     float64
	x0, x1, y0, y1 float64
}

// xy is a data point; brk starts a new line at it (the line is not joined
// from the point before).
type xy struct {
	x, y float64
	brk  bool
}

// px is the page x of a data x.
func (pl plot) px(v float64) float64 { return pl.x + (v-pl.x0)/(pl.x1-pl.x0)*pl.w }

// py is the page y of a data y.
func (pl plot) py(v float64) float64 { return pl.y + pl.h - (v-pl.y0)/(pl.y1-pl.y0)*pl.h }

// bottom is the page y of the x axis.
func (pl plot) bottom() float64 { return pl.y + pl.h }

// yGrid draws light horizontal lines every step with their values at the
// left, and the unit above them.
func (pl plot) yGrid(step float64, unit string) {
	d := pl.d
	d.draw(rgb{215, 215, 215})
	d.pdf.SetLineWidth(0.15)
	d.font("", 6.5)
	d.color(grey)
	for v := pl.y0; v <= pl.y1+1e-9; v += step {
		y := pl.py(v)
		d.pdf.Line(pl.x, y, pl.x+pl.w, y)
		d.at(pl.x-11, y-1.5, 10, 3, summary.Grams(v), "R")
	}
	if unit != "" {
		d.font("B", 6.5)
		d.at(pl.x-11, pl.y-1.5-3.2, 10, 3, unit, "R")
	}
}

// frame draws the axes: the left and bottom edges, and a faint box.
func (pl plot) frame() {
	d := pl.d
	d.draw(lightGrey)
	d.pdf.SetLineWidth(0.15)
	d.pdf.Rect(pl.x, pl.y, pl.w, pl.h, "D")
	d.draw(grey)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(pl.x, pl.y, pl.x, pl.bottom())
	d.pdf.Line(pl.x, pl.bottom(), pl.x+pl.w, pl.bottom())
}

// columns draws a tick at every whole x and a label for each unit column
// [k, k+1) under the axis, skipping labels where columns are narrower than
// minW; label returns one or two lines for the column starting at k.
func (pl plot) columns(minW float64, grid bool, label func(k int) []string) {
	d := pl.d
	colW := pl.w / (pl.x1 - pl.x0)
	every := max(1, int(math.Ceil(minW/colW)))
	for k := int(math.Round(pl.x0)); k <= int(math.Round(pl.x1)); k++ {
		x := pl.px(float64(k))
		if grid && k > int(math.Round(pl.x0)) && k < int(math.Round(pl.x1)) {
			d.draw(rgb{225, 225, 225})
			d.pdf.SetLineWidth(0.15)
			d.pdf.Line(x, pl.y, x, pl.bottom())
		}
		d.draw(grey)
		d.pdf.SetLineWidth(0.2)
		d.pdf.Line(x, pl.bottom(), x, pl.bottom()+1)
		if k >= int(math.Round(pl.x1)) || (k-int(math.Round(pl.x0)))%every != 0 {
			continue
		}
		w := colW * float64(every)
		for i, l := range label(k) {
			if i == 0 {
				d.font("B", 6.5)
				d.color(ink)
			} else {
				d.font("", 6)
				d.color(grey)
			}
			d.at(x+colW/2-w/2, pl.bottom()+1.2+float64(i)*2.8, w, 2.8, l, "C")
		}
	}
}

// line joins the points with straight lines (dashed when dash is set),
// starting again at every point marked brk.
func (pl plot) line(pts []xy, c rgb, width float64, dash []float64) {
	d := pl.d
	d.draw(c)
	d.pdf.SetLineWidth(width)
	d.pdf.SetLineJoinStyle("round")
	d.pdf.SetLineCapStyle("round")
	if dash != nil {
		d.pdf.SetDashPattern(dash, 0)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].brk {
			continue
		}
		d.pdf.Line(pl.px(pts[i-1].x), pl.py(pts[i-1].y), pl.px(pts[i].x), pl.py(pts[i].y))
	}
	if dash != nil {
		d.pdf.SetDashPattern(nil, 0)
	}
	d.pdf.SetLineCapStyle("butt")
	d.pdf.SetLineJoinStyle("miter")
}

// marker shapes.
const (
	markCircle = iota
	markSquare
)

// dot draws a marker of the given shape and half-size r at page (x, y),
// filled with c and ringed in white so it stands out from a line.
func (pl plot) dot(x, y, r float64, shape int, c rgb) {
	d := pl.d
	d.fill(c)
	d.draw(white)
	d.pdf.SetLineWidth(0.25)
	switch shape {
	case markSquare:
		d.pdf.Rect(x-r*0.9, y-r*0.9, 1.8*r, 1.8*r, "FD")
	default:
		d.pdf.Circle(x, y, r, "FD")
	}
}

// dots marks every point.
func (pl plot) dots(pts []xy, r float64, shape int, c rgb) {
	for _, q := range pts {
		pl.dot(pl.px(q.x), pl.py(q.y), r, shape, c)
	}
}

// key draws one legend entry (a line sample with its marker, then the
// words) at (x, y) and returns the x after it.
func (pl plot) key(x, y float64, c rgb, dash []float64, shape int, words string) float64 {
	d := pl.d
	d.draw(c)
	d.pdf.SetLineWidth(0.6)
	if dash != nil {
		d.pdf.SetDashPattern(dash, 0)
	}
	if dash == nil || len(dash) > 0 {
		d.pdf.Line(x, y, x+7, y)
	}
	d.pdf.SetDashPattern(nil, 0)
	if shape >= 0 {
		pl.dot(x+3.5, y, 1, shape, c)
	}
	d.font("", 7.5)
	d.color(ink)
	w := d.pdf.GetStringWidth(words)
	d.at(x+8.5, y-1.8, w+1, 3.6, words, "L")
	return x + 8.5 + w + 5
}

// values writes each point's value beside it where the points are far
// enough apart to read; where they are crowded, only the latest and the
// highest values (the latest first).
func (pl plot) values(pts []xy, format func(float64) string) {
	if len(pts) == 0 {
		return
	}
	lb := labels{pl: pl}
	if float64(len(pts))*4 <= pl.w {
		for _, q := range pts {
			lb.put(pl.px(q.x), pl.py(q.y), format(q.y))
		}
		return
	}
	last, high := pts[len(pts)-1], pts[0]
	for _, q := range pts {
		if q.y > high.y {
			high = q
		}
	}
	lb.put(pl.px(last.x), pl.py(last.y), format(last.y))
	lb.put(pl.px(high.x), pl.py(high.y), format(high.y))
}

// labels places small value labels near points without letting them
// overlap: above a point, else below it, else not at all.
type labels struct {
	pl   plot
	used [][4]float64
}

// put writes s near page point (x, y).
func (lb *labels) put(x, y float64, s string) {
	d := lb.pl.d
	d.font("B", 6.5)
	w := d.pdf.GetStringWidth(s) + 0.6
	const h = 2.8
	for _, ty := range []float64{y - 1.4 - h, y + 1.4} {
		r := [4]float64{x - w/2, ty, x + w/2, ty + h}
		if r[1] < lb.pl.y-3 || r[3] > lb.pl.bottom()+0.5 || lb.hits(r) {
			continue
		}
		lb.used = append(lb.used, r)
		d.color(ink)
		d.at(r[0], r[1], w, h, s, "C")
		return
	}
}

func (lb *labels) hits(r [4]float64) bool {
	for _, u := range lb.used {
		if r[0] < u[2] && u[0] < r[2] && r[1] < u[3] && u[1] < r[3] {
			return true
		}
	}
	return false
}
