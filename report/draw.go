package report

import (
	"strings"

	"github.com/jung-kurt/gofpdf"
	"intakekiosk/summary"
	"intakekiosk/trend"
)

// rgb is a colour.
type rgb struct{ r, g, b int }

// Colours. Band shades darken with concern, so they stay apart on a
// black-and-white printer too.
var (
	ink       = rgb{20, 20, 20}
	grey      = rgb{95, 95, 95}
	lightGrey = rgb{190, 190, 190}
	paleGrey  = rgb{238, 238, 238}
	white     = rgb{255, 255, 255}
	urgentRed = rgb{178, 24, 24}
	urgentBg  = rgb{253, 234, 234}
	warnInk   = rgb{150, 60, 0}
	warnBg    = rgb{255, 243, 224}
	levels    = [...]rgb{
		{214, 236, 216}, // 0 none or minimal
		{250, 232, 160}, // 1 mild
		{245, 190, 110}, // 2 moderate
		{226, 128, 78},  // 3 moderately severe
		{196, 62, 52},   // 4 severe
	}
)

// levelColour is the shade of a band level.
func levelColour(level int) rgb {
	return levels[min(max(level, 0), len(levels)-1)]
}

// levelInk is the text colour that reads on a band level's shade.
func levelInk(level int) rgb {
	if level >= 4 {
		return white
	}
	return ink
}

func (d *doc) font(style string, size float64) { d.pdf.SetFont(family, style, size) }
func (d *doc) color(c rgb)                     { d.pdf.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fill(c rgb)                      { d.pdf.SetFillColor(c.r, c.g, c.b) }
func (d *doc) draw(c rgb)                      { d.pdf.SetDrawColor(c.r, c.g, c.b) }

// at writes one line of text in a box of width w and height h whose top
// left corner is (x, y), aligned "L", "C" or "R".
func (d *doc) at(x, y, w, h float64, s, align string) {
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, s, "", 0, align+"M", false, 0, "")
}

// mark fills a downward triangle pointing at x: its top at y0, tip at y1.
func (d *doc) mark(x, y0, y1, half float64) {
	d.pdf.Polygon([]gofpdf.PointType{{X: x - half, Y: y0}, {X: x + half, Y: y0}, {X: x, Y: y1}}, "F")
}

// rule draws a horizontal line across the text column.
func (d *doc) rule(y, width float64, c rgb) {
	d.draw(c)
	d.pdf.SetLineWidth(width)
	d.pdf.Line(marginL, y, pageW-marginR, y)
}

// box fills a rectangle.
func (d *doc) box(x, y, w, h float64, c rgb) {
	d.fill(c)
	d.pdf.Rect(x, y, w, h, "F")
}

// lines writes text wrapped to width w from (x, y), line height lh, and
// returns the y below it.
func (d *doc) lines(x, y, w, lh float64, s string) float64 {
	for _, l := range d.wrap(s, w) {
		d.at(x, y, w, lh, l, "L")
		y += lh
	}
	return y
}

// wrap breaks s into lines no wider than w in the current font, at spaces
// where it can and inside a word only when the word alone is too wide.
// Newlines in s start new lines.
func (d *doc) wrap(s string, w float64) []string {
	var out []string
	for para := range strings.SplitSeq(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if d.pdf.GetStringWidth(try) <= w {
				line = try
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			line = word
			for d.pdf.GetStringWidth(line) > w {
				head, rest := d.cut(line, w)
				out = append(out, head)
				line = rest
			}
		}
		out = append(out, line)
	}
	return out
}

// cut splits a word too wide for w after the most runes that fit (at least
// one).
func (d *doc) cut(word string, w float64) (string, string) {
	rs := []rune(word)
	n := 1
	for n < len(rs) && d.pdf.GetStringWidth(string(rs[:n+1])) <= w {
		n++
	}
	return string(rs[:n]), string(rs[n:])
}

// need starts a new page unless h millimetres fit above the footer, and
// returns the y to draw at.
func (d *doc) need(y, h float64) float64 {
	if y+h <= bottom {
		return y
	}
	d.pdf.AddPage()
	y = d.pdf.GetY()
	if d.cont != nil {
		y = d.cont(y)
	}
	return y
}

// continueTable heads each page a table flows on to with its title and
// the heading row head draws (at the y given, returning the y below).
func (d *doc) continueTable(title string, head func(y float64) float64) {
	d.cont = func(y float64) float64 {
		d.font("B", 10)
		d.color(ink)
		d.at(marginL, y, contW, 5, title, "L")
		return head(y + 6)
	}
}

// phaseShade is how the PDFs shade each phase of the usual withdrawal
// course.
var phaseShade = map[trend.Phase]rgb{
	trend.BeforeOnset: {240, 240, 240},
	trend.Onset:       {250, 226, 170},
	trend.Peak:        {236, 150, 100},
	trend.Easing:      {250, 220, 160},
	trend.After:       {226, 236, 228},
}

// shadedPhase is a phase of the usual course as the PDFs draw it.
type shadedPhase struct {
	summary.Phase
	shade rgb
}

// shadedCourse is the usual course (summary's one course table) with
// each phase's shade.
func (d *doc) shadedCourse() []shadedPhase {
	var out []shadedPhase
	for _, ph := range d.Course() {
		out = append(out, shadedPhase{ph, phaseShade[ph.Phase]})
	}
	return out
}
