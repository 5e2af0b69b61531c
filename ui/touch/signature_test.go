package touch

import (
	"image"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// padWindow shows a pad alone in a test window, 600x200 at the window's
// corner, and returns it with the count of touches its kit heard.
func padWindow(t *testing.T) (*SignaturePad, fyne.Window, *int) {
	t.Helper()
	inpApp(t)
	k, touches := inpTouch(t)
	p := k.NewSignaturePad(fyne.NewSize(600, 200))
	w := test.NewTempWindow(t, container.NewWithoutLayout(p))
	w.SetPadded(false)
	w.Resize(fyne.NewSize(700, 300))
	p.Resize(p.MinSize())
	return p, w, touches
}

// stroke draws one stroke through points, in the pad's coordinates: one
// drag to each point after the first, then the lift.
func stroke(p *SignaturePad, points ...fyne.Position) {
	for i := 1; i < len(points); i++ {
		d := points[i].Subtract(points[i-1])
		p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: points[i]}, Dragged: fyne.NewDelta(d.X, d.Y)})
	}
	p.DragEnd()
}

func TestSignaturePadStrokes(t *testing.T) {
	p, w, touches := padWindow(t)
	changed := 0
	p.OnChanged = func() { changed++ }
	if !p.Drawing().IsZero() {
		t.Fatal("a new pad holds a drawing")
	}

	// a stroke is a series of drags, ended by the lift
	stroke(p, fyne.NewPos(30, 150), fyne.NewPos(90, 60), fyne.NewPos(150, 150), fyne.NewPos(300, 100))
	// a drag through the window's canvas reaches the pad where it is: one
	// more stroke
	test.Drag(w.Canvas(), fyne.NewPos(450, 120), 60, -40)
	// and a tap is a dot
	test.Tap(p)

	d := p.Drawing()
	if d.W != PadUnits || d.H != PadUnits/3 {
		t.Errorf("drawing is %dx%d units, want %dx%d (the pad's shape)", d.W, d.H, PadUnits, PadUnits/3)
	}
	if len(d.Strokes) != 3 {
		t.Fatalf("strokes = %v, want 3", d.Strokes)
	}
	// the pad is 600 wide: a pixel is 5/3 of a unit
	if want := []int{50, 250, 150, 100, 250, 250, 500, 167}; !equalInts(d.Strokes[0], want) {
		t.Errorf("first stroke = %v, want %v", d.Strokes[0], want)
	}
	// the drag's position is where the finger is, its delta how it came
	if want := []int{650, 267, 750, 200}; !equalInts(d.Strokes[1], want) {
		t.Errorf("the dragged stroke = %v, want %v", d.Strokes[1], want)
	}
	if len(d.Strokes[2]) != 2 {
		t.Errorf("a tap drew %v, want a dot", d.Strokes[2])
	}
	if d.Points() != 4+2+1 {
		t.Errorf("points = %d, want 7", d.Points())
	}
	if changed != 3 {
		t.Errorf("OnChanged called %d times, want once a stroke", changed)
	}
	if *touches < 5 {
		t.Errorf("the kit heard %d touches, want every drag and tap", *touches)
	}
	// the ink is drawn: dark pixels in the box
	if n := darkPixels(w.Canvas().Capture(), image.Rect(0, 0, 600, 200)); n < 200 {
		t.Errorf("%d dark pixels in the pad, want the strokes drawn", n)
	}

	// a drag off the pad stays at its edge
	stroke(p, fyne.NewPos(590, 190), fyne.NewPos(640, 260))
	if last := p.Drawing().Strokes[3]; last[2] != PadUnits || last[3] != PadUnits/3 {
		t.Errorf("a stroke off the pad = %v, want it kept at the edge", last)
	}

	p.Clear()
	if !p.Drawing().IsZero() {
		t.Errorf("Clear left %v", p.Drawing())
	}
	if n := darkPixels(w.Canvas().Capture(), image.Rect(0, 0, 600, 200)); n > 0 {
		t.Errorf("%d dark pixels left after Clear", n)
	}
	inpShot(t, w, "signature-pad")
}

func TestSignaturePadBounds(t *testing.T) {
	p, _, _ := padWindow(t)
	p.MaxStrokes, p.MaxPoints = 2, 5
	for i := range 4 {
		y := float32(20 + 40*i)
		stroke(p, fyne.NewPos(10, y), fyne.NewPos(100, y), fyne.NewPos(200, y))
	}
	d := p.Drawing()
	if len(d.Strokes) != 2 || d.Points() > 5 {
		t.Errorf("drawing = %v: %d strokes, %d points; want at most 2 and 5", d.Strokes, len(d.Strokes), d.Points())
	}
	// the drawing handed out is a copy
	d.Strokes[0][0] = 999
	if p.Drawing().Strokes[0][0] == 999 {
		t.Error("Drawing shares the pad's strokes")
	}
}

func TestSignatureViewShowsAndTakesNoTouch(t *testing.T) {
	inpApp(t)
	k, _ := inpTouch(t)
	v := k.NewSignatureView(fyne.NewSize(300, 100))
	w := test.NewTempWindow(t, container.NewWithoutLayout(v))
	w.SetPadded(false)
	w.Resize(fyne.NewSize(320, 120))
	v.Resize(v.MinSize())
	v.SetDrawing(Drawing{W: 1000, H: 333, Strokes: [][]int{{100, 100, 900, 250}}})
	stroke(v, fyne.NewPos(10, 10), fyne.NewPos(200, 90))
	test.Tap(v)
	if d := v.Drawing(); len(d.Strokes) != 1 {
		t.Errorf("a view took a touch: %v", d.Strokes)
	}
	if n := darkPixels(w.Canvas().Capture(), image.Rect(0, 0, 300, 100)); n < 50 {
		t.Errorf("%d dark pixels in the view, want the stroke drawn", n)
	}
}

// darkPixels counts the pixels of img within r darker than mid-grey.
func darkPixels(img image.Image, r image.Rectangle) int {
	r = r.Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr+cg+cb)/3 < 0x6000 {
				n++
			}
		}
	}
	return n
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
