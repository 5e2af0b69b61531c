package touch

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// PadUnits is how many units a SignaturePad's drawing is across, however
// wide the pad is shown: a point is kept in whole units, x from 0 to
// PadUnits, y from 0 to the drawing's height in the same units.
const PadUnits = 1000

// Drawing is what a SignaturePad holds: the strokes of a finger, in pad
// units W across and H down, each stroke its points x0, y0, x1, y1, … (one
// point for a dot).
type Drawing struct {
	W, H    int
	Strokes [][]int
}

// IsZero says nothing was drawn.
func (d Drawing) IsZero() bool { return len(d.Strokes) == 0 }

// Points counts the drawing's points.
func (d Drawing) Points() int {
	n := 0
	for _, s := range d.Strokes {
		n += len(s) / 2
	}
	return n
}

// SignaturePad takes a signature drawn with a finger: each drag, from the
// finger's touch to its lift, is one stroke, and a tap a dot. It draws the
// strokes as they come and reports each touch to the kit (the idle timer);
// it waits for no tap guard, so a shaky start is ink like any other. A
// read-only pad (NewSignatureView) only shows a drawing, scaled to its
// size.
type SignaturePad struct {
	widget.BaseWidget
	// OnChanged is called after a stroke ends, and after Clear.
	OnChanged func()
	// MaxStrokes and MaxPoints bound what the pad keeps (0: no bound): a
	// stroke past them is not drawn.
	MaxStrokes, MaxPoints int

	t        *Kit
	readOnly bool
	minSize  fyne.Size
	d        Drawing
	// drawing says a stroke is under way (a drag not yet ended)
	drawing bool
}

// NewSignaturePad makes an empty pad at least minSize big.
func (t *Kit) NewSignaturePad(minSize fyne.Size) *SignaturePad {
	p := &SignaturePad{t: t, minSize: minSize}
	p.ExtendBaseWidget(p)
	return p
}

// NewSignatureView makes a pad that shows a drawing (SetDrawing), scaled
// to fit, and takes no touch, at least minSize big: the signature drawn
// small, for the patient to see what they signed.
func (t *Kit) NewSignatureView(minSize fyne.Size) *SignaturePad {
	p := t.NewSignaturePad(minSize)
	p.readOnly = true
	return p
}

// Drawing is what was drawn; its strokes are the pad's own copy.
func (p *SignaturePad) Drawing() Drawing {
	d := Drawing{W: p.d.W, H: p.d.H, Strokes: make([][]int, len(p.d.Strokes))}
	for i, s := range p.d.Strokes {
		d.Strokes[i] = append([]int(nil), s...)
	}
	return d
}

// SetDrawing shows d in place of what the pad holds.
func (p *SignaturePad) SetDrawing(d Drawing) {
	p.d = Drawing{W: d.W, H: d.H}
	for _, s := range d.Strokes {
		p.d.Strokes = append(p.d.Strokes, append([]int(nil), s...))
	}
	p.drawing = false
	p.Refresh()
}

// Clear forgets every stroke.
func (p *SignaturePad) Clear() {
	p.d = Drawing{}
	p.drawing = false
	p.Refresh()
	if p.OnChanged != nil && !p.readOnly {
		p.OnChanged()
	}
}

// Dragged draws: the first drag of a stroke starts it where the finger
// came from, each drag adds where it is now.
func (p *SignaturePad) Dragged(e *fyne.DragEvent) {
	if p.readOnly {
		return
	}
	p.t.touched()
	if !p.drawing {
		if !p.room(2, true) {
			return
		}
		p.drawing = true
		p.d.Strokes = append(p.d.Strokes, nil)
		p.add(e.Position.Subtract(e.Dragged))
	}
	if p.room(1, false) {
		p.add(e.Position)
	}
	p.Refresh()
}

// DragEnd ends the stroke.
func (p *SignaturePad) DragEnd() {
	if p.readOnly || !p.drawing {
		return
	}
	p.drawing = false
	if p.OnChanged != nil {
		p.OnChanged()
	}
}

// Tapped puts a dot where the finger touched.
func (p *SignaturePad) Tapped(e *fyne.PointEvent) {
	if p.readOnly {
		return
	}
	p.t.touched()
	if p.drawing || !p.room(1, true) {
		return
	}
	p.d.Strokes = append(p.d.Strokes, nil)
	p.add(e.Position)
	p.Refresh()
	if p.OnChanged != nil {
		p.OnChanged()
	}
}

// room says whether the pad keeps n more points, in a new stroke when
// stroke is set.
func (p *SignaturePad) room(n int, stroke bool) bool {
	if p.MaxPoints > 0 && p.d.Points()+n > p.MaxPoints {
		return false
	}
	return !stroke || p.MaxStrokes == 0 || len(p.d.Strokes) < p.MaxStrokes
}

// add puts a point, in the pad's coordinates, at the end of the last
// stroke, in pad units: the drawing's height is fixed by the pad's shape
// at its first point, and a point off the pad is kept at its edge. A
// point within a unit of the one before adds nothing.
func (p *SignaturePad) add(at fyne.Position) {
	size := p.Size()
	if size.Width <= 0 || size.Height <= 0 {
		size = p.MinSize()
	}
	if p.d.W == 0 {
		p.d.W = PadUnits
		p.d.H = max(1, int(math.Round(float64(PadUnits*size.Height/size.Width))))
	}
	scale := float32(p.d.W) / size.Width
	x := clampUnit(at.X*scale, p.d.W)
	y := clampUnit(at.Y*scale, p.d.H)
	s := &p.d.Strokes[len(p.d.Strokes)-1]
	if n := len(*s); n >= 2 && abs((*s)[n-2]-x) <= 1 && abs((*s)[n-1]-y) <= 1 {
		return
	}
	*s = append(*s, x, y)
}

func clampUnit(v float32, most int) int {
	return min(max(int(math.Round(float64(v))), 0), most)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// MinSize is the size the pad was made with.
func (p *SignaturePad) MinSize() fyne.Size { return p.minSize }

// Cursor hides the pointer in kiosk mode; a pen's cross elsewhere.
func (p *SignaturePad) Cursor() desktop.Cursor { return p.t.Cursor(desktop.CrosshairCursor) }

// CreateRenderer draws the pad: a box with a line to sign on, and the ink.
func (p *SignaturePad) CreateRenderer() fyne.WidgetRenderer {
	r := &padRenderer{p: p, box: canvas.NewRectangle(color.Transparent), base: canvas.NewLine(color.Transparent)}
	r.Refresh()
	return r
}

type padRenderer struct {
	p    *SignaturePad
	box  *canvas.Rectangle
	base *canvas.Line
	// ink are the segments and dots drawn, pooled from one refresh to the
	// next
	ink  []fyne.CanvasObject
	dots []*canvas.Circle
	segs []*canvas.Line
}

// inkWidth is the width of a stroke, in pad units: a view shown small
// draws thinner, never under 1.5 of the screen's.
const inkWidth = 4

func (r *padRenderer) Layout(size fyne.Size) {
	r.box.Resize(size)
	if r.p.readOnly {
		r.base.Hide()
	} else {
		r.base.Show()
		y := size.Height * 0.75
		r.base.Position1 = fyne.NewPos(size.Width*0.05, y)
		r.base.Position2 = fyne.NewPos(size.Width*0.95, y)
	}
	r.place(size)
}

// place puts the ink where the drawing says, scaled to size: a view fits
// the whole drawing in its box, a pad draws at its own scale.
func (r *padRenderer) place(size fyne.Size) {
	d := r.p.d
	if d.W == 0 || size.Width <= 0 {
		return
	}
	scale := size.Width / float32(d.W)
	if r.p.readOnly && d.H > 0 {
		scale = min(scale, size.Height/float32(d.H))
	}
	off := fyne.NewPos((size.Width-scale*float32(d.W))/2, (size.Height-scale*float32(d.H))/2)
	if !r.p.readOnly {
		off = fyne.Position{}
	}
	width := max(1.5, inkWidth*scale)
	pt := func(s []int, i int) fyne.Position {
		return fyne.NewPos(off.X+float32(s[i])*scale, off.Y+float32(s[i+1])*scale)
	}
	si, di := 0, 0
	for _, s := range d.Strokes {
		if len(s) == 2 {
			c := r.dots[di]
			di++
			c.Position1 = pt(s, 0).SubtractXY(width, width)
			c.Position2 = pt(s, 0).AddXY(width, width)
			continue
		}
		for i := 0; i+3 < len(s); i += 2 {
			l := r.segs[si]
			si++
			l.StrokeWidth = width
			l.Position1, l.Position2 = pt(s, i), pt(s, i+2)
		}
	}
}

func (r *padRenderer) MinSize() fyne.Size { return r.p.MinSize() }

// Refresh draws the box in the theme's colours and readies one line per
// segment and one dot per tap.
func (r *padRenderer) Refresh() {
	th := r.p.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	ink := th.Color(theme.ColorNameForeground, v)
	r.box.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.box.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	r.box.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	r.box.CornerRadius = th.Size(theme.SizeNameInputRadius)
	if r.p.readOnly {
		r.box.StrokeWidth = 1
	}
	r.base.StrokeColor = th.Color(theme.ColorNameSeparator, v)
	r.base.StrokeWidth = th.Size(theme.SizeNameSeparatorThickness)
	segs, dots := 0, 0
	for _, s := range r.p.d.Strokes {
		if len(s) == 2 {
			dots++
		} else {
			segs += len(s)/2 - 1
		}
	}
	for len(r.segs) < segs {
		r.segs = append(r.segs, canvas.NewLine(ink))
	}
	for len(r.dots) < dots {
		r.dots = append(r.dots, canvas.NewCircle(ink))
	}
	r.ink = r.ink[:0]
	for _, l := range r.segs[:segs] {
		l.StrokeColor = ink
		r.ink = append(r.ink, l)
	}
	for _, c := range r.dots[:dots] {
		c.FillColor = ink
		r.ink = append(r.ink, c)
	}
	r.Layout(r.p.Size())
	canvas.Refresh(r.p)
}

func (r *padRenderer) Objects() []fyne.CanvasObject {
	return append([]fyne.CanvasObject{r.box, r.base}, r.ink...)
}

func (r *padRenderer) Destroy() {}
