package ui

import (
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui/touch"
)

// A staff screen too long for one screen is paged, not scrolled: a
// finger drag does not scroll a desktop Fyne list on a touchscreen. Its
// content is a flow of blocks of known height, laid into columns, page
// by page.

// block is one piece of a flow and the height it takes.
type block struct {
	obj fyne.CanvasObject
	h   float32
	// keep holds the block with the next one (a heading with its
	// first line).
	keep bool
}

// Compact text metrics (compactTheme): label inner padding and the gap a
// VBox leaves between blocks.
const (
	compactInner = 4
	compactGap   = 3
)

// textSize is the theme's size for a label's size name.
func textSize(name fyne.ThemeSizeName) float32 {
	if name == "" {
		name = theme.SizeNameText
	}
	return (&touch.Theme{}).Size(name)
}

// labelHeight is the height a wrapped label of the compact theme takes in
// width w: its lines (measured with the real font, a little slack for
// breaking at spaces) times the line height, plus padding.
func labelHeight(l *widget.Label, w float32) float32 {
	size := textSize(l.SizeName)
	lineH := fyne.MeasureText("Ag", size, l.TextStyle).Height
	avail := w - 2*compactInner
	lines := 0
	for _, para := range strings.Split(l.Text, "\n") {
		tw := fyne.MeasureText(para, size, l.TextStyle).Width
		lines += max(1, int(math.Ceil(float64(tw*1.12/avail))))
	}
	return float32(lines)*lineH + 2*compactInner
}

// textBlock is a label as a block of a column of width w.
func textBlock(l *widget.Label, w float32) block {
	return block{obj: l, h: labelHeight(l, w)}
}

// flowPages lays blocks into pages, each at most budget high; a block
// taller than that gets a page of its own.
func flowPages(blocks []block, budget float32) []fyne.CanvasObject {
	var pages []fyne.CanvasObject
	var col []fyne.CanvasObject
	used := float32(0)
	flush := func() {
		pages = append(pages, compact(container.NewVBox(col...)))
		col, used = nil, 0
	}
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		need := b.h + compactGap
		if b.keep && i+1 < len(blocks) {
			need += blocks[i+1].h + compactGap
		}
		if len(col) > 0 && used+need > budget {
			flush()
		}
		col = append(col, b.obj)
		used += b.h + compactGap
	}
	if len(col) > 0 || len(pages) == 0 {
		flush()
	}
	return pages
}

// sideBySide lays several flows into columns of their own, each paged on
// its own: page i shows page i of every column (empty once a column has
// ended). A column keeps its place: the red flags stay on the right.
func sideBySide(budget float32, columns ...[]block) []fyne.CanvasObject {
	paged := make([][]fyne.CanvasObject, len(columns))
	n := 0
	for i, c := range columns {
		paged[i] = flowPages(c, budget)
		n = max(n, len(paged[i]))
	}
	pages := make([]fyne.CanvasObject, n)
	for p := range n {
		objs := make([]fyne.CanvasObject, len(columns))
		for i := range columns {
			objs[i] = container.NewVBox()
			if p < len(paged[i]) {
				objs[i] = paged[i][p]
			}
		}
		pages[p] = container.NewGridWithColumns(len(columns), objs...)
	}
	return pages
}
