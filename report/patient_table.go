package report

import (
	"math"
	"strings"

	"intakekiosk/summary"
	"intakekiosk/trend"
	"strconv"
)

// column is one column of the check-in table.
type column struct {
	title string
	w     float64
	align string
}

// Check-in table text.
const (
	tableSize = 8.0
	tableLine = 3.6
	tablePad  = 1.2
	notGiven  = "—"
	colGap    = 1.6 // after each column
)

// tableColumns are the check-in table's columns; the planned dose only
// when there is a plan, the note taking the width left.
func (p *patientDoc) tableColumns() []column {
	cols := []column{
		{p.T("staff.pdf.date"), 18, "L"},
		{p.T("staff.pdf.since_dose"), 10, "L"},
		{p.T("staff.pdf.sows"), 8, "R"},
		{p.T("staff.pdf.craving"), 9.5, "R"},
		{p.T("staff.pdf.sleep_h"), 8, "R"},
		{p.T("staff.pdf.dose_g"), 8, "R"},
	}
	if p.pin.Plan != nil {
		cols = append(cols, column{p.T("staff.pdf.plan_g"), 8, "R"})
	}
	cols = append(cols,
		column{p.T("staff.pdf.doses"), 8, "R"},
		column{p.T("staff.pdf.mood"), 13, "L"},
		column{p.T("staff.pdf.triggers"), 18.5, "L"},
		column{p.T("staff.pdf.what_helped"), 18.5, "L"},
	)
	used := 0.0
	for _, c := range cols {
		used += c.w + colGap
	}
	return append(cols, column{p.T("staff.pdf.note"), contW - used, "L"})
}

// tablePages lists every check-in, oldest first, with a row for each
// missed check-in between them; rows a flag is about are shaded. It starts
// on page two, or below y when page one already ran over onto it.
func (p *patientDoc) tablePages(y float64) {
	d := p.doc
	if len(p.points) == 0 && len(p.flags) == 0 {
		return // page one says there are none
	}
	if d.pdf.PageNo() == 1 {
		d.pdf.AddPage()
		y = d.pdf.GetY()
	} else {
		y += 6
	}
	y = p.allFlags(y)
	y = d.need(y, 30) // the title, the column titles and a row or two together
	y = d.heading(y, p.T("staff.pdf.every_check_in_oldest_first"), p.tableAside())
	cols := p.tableColumns()
	y = p.tableHead(y, cols)
	d.continueTable(p.T("staff.pdf.every_check_in_continued"), func(y float64) float64 { return p.tableHead(y, cols) })
	defer func() { d.cont = nil }()
	var missed []trend.Flag
	for _, f := range p.flags {
		if f.Kind == trend.Missed {
			missed = append(missed, f)
		}
	}
	for _, pt := range p.points {
		for len(missed) > 0 && missed[0].At.Before(pt.At) {
			y = p.missedRow(y, missed[0])
			missed = missed[1:]
		}
		y = p.row(y, cols, pt)
	}
	for _, f := range missed {
		y = p.missedRow(y, f)
	}
}

// tableHead draws the column titles and returns the y below them.
func (p *patientDoc) tableHead(y float64, cols []column) float64 {
	d := p.doc
	d.font("B", 7)
	d.color(grey)
	x, h := marginL, 0.0
	for _, c := range cols {
		ls := d.wrap(c.title, c.w)
		for i, l := range ls {
			d.at(x, y+float64(i)*3, c.w, 3, l, c.align)
		}
		h = max(h, float64(len(ls))*3)
		x += c.w + colGap
	}
	d.rule(y+h+0.8, 0.4, ink)
	return y + h + 1.2
}

// cells are one check-in's cell texts, column by column, and which cells
// to draw in red bold (a value a flag is about).
func (p *patientDoc) cells(pt trend.Point) ([][]string, map[int]bool) {
	num := func(v int) string {
		if v < 0 {
			return notGiven
		}
		return strconv.Itoa(v)
	}
	dec := func(v float64) string {
		if v < 0 || math.IsNaN(v) {
			return notGiven
		}
		return summary.Grams(v)
	}
	since := []string{notGiven}
	if s := p.Since(pt); s != "" {
		day, hours, _ := strings.Cut(s, ", ")
		since = []string{day, hours}
	}
	sows := notGiven
	if pt.Scored {
		sows = strconv.Itoa(pt.Withdrawal)
	}
	out := [][]string{
		{p.When(pt.At, "Mon Jan 2"), p.When(pt.At, "3:04 PM")},
		since,
		{sows},
		{num(pt.Craving)},
		{dec(pt.Sleep)},
		{dec(pt.Grams)},
	}
	red := map[int]bool{}
	for _, f := range p.flagged[pt.At.UnixNano()] {
		switch f.Kind {
		case trend.Rising:
			red[2] = true
		case trend.OverPlan:
			red[5] = true
		}
	}
	if pl := p.pin.Plan; pl != nil {
		planned := notGiven
		if g, ok := pl.DoseOn(pt.At, p.loc); ok {
			planned = summary.Grams(g)
		}
		out = append(out, []string{planned})
	}
	return append(out,
		[]string{num(pt.Doses)},
		[]string{pt.Mood},
		[]string{strings.Join(pt.Triggers, ", ")},
		[]string{strings.Join(pt.Helped, ", ")},
		[]string{pt.Note},
	), red
}

// row draws one check-in and returns the y below it.
func (p *patientDoc) row(y float64, cols []column, pt trend.Point) float64 {
	d := p.doc
	texts, red := p.cells(pt)
	d.font("", tableSize)
	wrapped := make([][]string, len(cols))
	n := 1
	for i, c := range cols {
		for _, t := range texts[i] {
			wrapped[i] = append(wrapped[i], d.wrap(t, c.w)...)
		}
		n = max(n, len(wrapped[i]))
	}
	h := float64(n)*tableLine + 2*tablePad
	y = d.need(y, h)
	if len(p.flagged[pt.At.UnixNano()]) > 0 {
		d.box(marginL, y, contW, h, urgentBg)
		d.box(marginL, y, 1.2, h, urgentRed)
	}
	x := marginL
	for i, c := range cols {
		for j, l := range wrapped[i] {
			style, colour := "", ink
			switch {
			case red[i]:
				style, colour = "B", urgentRed
			case i == 0 && j == 0, i == 2:
				style = "B"
			case l == notGiven, i == 1 && j == 1:
				colour = grey
			}
			d.font(style, tableSize)
			d.color(colour)
			cx := x
			if i == 0 {
				cx += 2 // clear of the flag bar
			}
			d.at(cx, y+tablePad+float64(j)*tableLine, c.w, tableLine, l, c.align)
		}
		x += c.w + colGap
	}
	d.rule(y+h, 0.1, lightGrey)
	return y + h
}

// missedRow draws a missed check-in as a shaded row across the table.
func (p *patientDoc) missedRow(y float64, f trend.Flag) float64 {
	d := p.doc
	h := tableLine + 2*tablePad
	y = d.need(y, h)
	d.box(marginL, y, contW, h, urgentBg)
	d.box(marginL, y, 1.2, h, urgentRed)
	d.font("B", tableSize)
	d.color(urgentRed)
	d.at(marginL+2, y+tablePad, 50, tableLine, d.When(f.At, "Mon Jan 2"), "L")
	d.at(marginL+2+18+colGap, y+tablePad, contW-21, tableLine, d.Flag(f), "L")
	d.rule(y+h, 0.1, lightGrey)
	return y + h
}

// tableAside is the note beside the table's title.
func (p *patientDoc) tableAside() string {
	where := p.T("staff.pdf.listed_on_page_1")
	if p.manyFlags() {
		where = p.T("staff.pdf.listed_above")
	}
	return p.T("staff.pdf.shaded_rows_raised_a_flag") + where + "); " + notGiven + p.T("staff.pdf.not_given")
}
