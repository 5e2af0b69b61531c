package touch

import (
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// A staff screen too long for one screen is paged, not scrolled: a
// finger drag does not scroll a desktop Fyne list on a touchscreen. Its
// content is a flow of blocks of known height, laid into columns, page
// by page.

// Block is one piece of a flow and the height it takes.
type Block struct {
	Obj fyne.CanvasObject
	H   float32
	// Keep holds the block with the next one (a heading with its
	// first line).
	Keep bool
}

// The compact text metrics (compactTheme): label inner padding and the gap a
// VBox leaves between blocks.
const (
	compactInner = 4
	CompactGap   = 3
)

// textSize is the theme's size for a label's size name.
func textSize(name fyne.ThemeSizeName) float32 {
	if name == "" {
		name = theme.SizeNameText
	}
	return (&Theme{}).Size(name)
}

// LabelHeight is the height a wrapped label of the compact theme takes in
// width w: its lines (measured with the real font, a little slack for
// breaking at spaces) times the line height, plus padding.
func LabelHeight(l *widget.Label, w float32) float32 {
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

// TextBlock is a label as a block of a column of width w.
func TextBlock(l *widget.Label, w float32) Block {
	return Block{Obj: l, H: LabelHeight(l, w)}
}

// FlowPages lays blocks into pages, each at most budget high; a block
// taller than that gets a page of its own.
func FlowPages(blocks []Block, budget float32) []fyne.CanvasObject {
	var pages []fyne.CanvasObject
	var col []fyne.CanvasObject
	used := float32(0)
	flush := func() {
		pages = append(pages, Compact(container.NewVBox(col...)))
		col, used = nil, 0
	}
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		need := b.H + CompactGap
		if b.Keep && i+1 < len(blocks) {
			need += blocks[i+1].H + CompactGap
		}
		if len(col) > 0 && used+need > budget {
			flush()
		}
		col = append(col, b.Obj)
		used += b.H + CompactGap
	}
	if len(col) > 0 || len(pages) == 0 {
		flush()
	}
	return pages
}

// SideBySide lays several flows into columns of their own, each paged on
// its own: page i shows page i of every column (empty once a column has
// ended). A column keeps its place: the red flags stay on the right.
func SideBySide(budget float32, columns ...[]Block) []fyne.CanvasObject {
	paged := make([][]fyne.CanvasObject, len(columns))
	n := 0
	for i, c := range columns {
		paged[i] = FlowPages(c, budget)
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

// compactTheme is the current theme with tighter padding, for the dense
// lists of staff mode (queue rows, answers): the type stays large.
type compactTheme struct{ fyne.Theme }

// Compact draws obj with tighter padding.
func Compact(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(obj, compactTheme{fyne.CurrentApp().Settings().Theme()})
}

// Size tightens the padding.
func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNamePadding:
		return 3
	case theme.SizeNameInnerPadding:
		return 4
	}
	return t.Theme.Size(n)
}

// Tight draws obj in the current theme (following a change of it: the
// patient's text size) with less padding inside its labels, the type as
// large: more wrapped rows to a page.
func Tight(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(obj, tightTheme{})
}

// tightTheme is the current theme with a label's inner padding that of
// the compact theme.
type tightTheme struct{ appTheme }

// Size tightens the inner padding.
func (th tightTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameInnerPadding {
		return compactInner
	}
	return th.current().Size(n)
}

// Heading is a large wrapped label.
func Heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameHeadingText
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// Para is a wrapped label in body size.
func Para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// Small is a wrapped caption-size label.
func Small(text string) *widget.Label {
	l := Para(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// NavBar is the row at the bottom of a screen: Back on the left, the
// screen's other actions on the right.
func NavBar(back *Button, right ...fyne.CanvasObject) fyne.CanvasObject {
	var left fyne.CanvasObject = layout.NewSpacer()
	if back != nil {
		left = back
	}
	return container.NewVBox(widget.NewSeparator(),
		container.NewPadded(container.NewBorder(nil, nil, left, container.NewHBox(right...))))
}

// Page lays out a screen: content at the top, the nav bar at the bottom.
func Page(nav fyne.CanvasObject, content ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nav, nil, nil, container.NewPadded(container.NewVBox(content...)))
}

// NewNotice is an empty notice in bold danger colours that takes no room
// while it has nothing to say, and the lines its message wraps to when it
// does: what is below it moves when it appears. A screen whose keypad,
// keyboard or buttons must stay put keeps the room with NewNoticeLines.
func NewNotice() Notice { return newNotice(0) }

// NewNoticeLines is an empty notice that keeps the room of n lines,
// whether it says anything or not; a message too long for them wraps
// within them and ends in an ellipsis.
func NewNoticeLines(n int) Notice { return newNotice(max(1, n)) }

// NewNavNotice is a notice for a nav bar, beside its buttons ("Saved to
// …"): it keeps the room of two lines of caption text, about a button's
// height.
func NewNavNotice() Notice {
	n := NewNoticeLines(2)
	n.SizeName = theme.SizeNameCaptionText
	return n
}

// newNotice is a notice of n lines (0: as many as it says, none when
// empty).
func newNotice(n int) Notice {
	l := &noticeLabel{lines: n}
	l.ExtendBaseWidget(l)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.TextStyle = fyne.TextStyle{Bold: true}
	if n == 0 {
		l.Hide()
	} else {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	return Notice{l, l}
}

// Notice is a line that tells the patient (or staff) what to fix, or
// what was done. One that keeps its room (NewNoticeLines) never moves
// what is around it nor grows the window, whatever it says (a window
// grown to a long message stays grown, and everything on it moved).
type Notice struct {
	*noticeLabel
	// Label is the notice itself, for a screen that places it by that
	// name (it was a plain label once).
	Label fyne.CanvasObject
}

// noticeLabel is a label lines high (0: as high as its text).
type noticeLabel struct {
	widget.Label
	lines int
}

// MinSize is the room of the notice's lines in its text size (the
// patient's text size steps included), with the least width of a label
// that ends in an ellipsis; a notice of no set lines is a label.
func (l *noticeLabel) MinSize() fyne.Size {
	l.ExtendBaseWidget(l)
	m := l.Label.MinSize()
	if l.lines == 0 {
		return m
	}
	th := l.Theme()
	name := l.SizeName
	if name == "" {
		name = theme.SizeNameText
	}
	lineH := fyne.MeasureText("Ag", th.Size(name), l.TextStyle).Height
	h := float32(l.lines)*lineH + 2*th.Size(theme.SizeNameInnerPadding)
	return fyne.NewSize(m.Width, float32(math.Ceil(float64(h))))
}

// Resize never makes a notice of set lines lower than its room: Fyne
// 2.8's wrapping with an ellipsis fails on a label lower than one line.
func (l *noticeLabel) Resize(size fyne.Size) {
	if l.lines > 0 {
		size.Height = max(size.Height, l.MinSize().Height)
	}
	l.Label.Resize(size)
}

// Say shows text; "" leaves the room empty (or, for a notice that does
// not keep its room, hides it).
func (n Notice) Say(text string) {
	n.SetText(text)
	if n.lines == 0 {
		n.Hidden = text == ""
		n.Refresh()
	}
}

// NavWidth is the least width of a nav bar button: a wide target at the
// screen's edge.
const NavWidth = 200
