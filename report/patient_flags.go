package report

import (
	"strings"

	"intakekiosk/trend"
)

// pageOneFlags is how many flags page one lists in full; past it, page
// one counts them by kind and shows the latest, and every flag is listed
// before the table.
const (
	pageOneFlags = 8
	latestFlags  = 5
)

// manyFlags says the flags are too many to list on page one.
func (p *patientDoc) manyFlags() bool { return len(p.flags) > pageOneFlags }

// flagBox lists the flags in a red box like the summary's urgent banner
// (or says there are none in a quiet one), and returns the y below it.
func (p *patientDoc) flagBox(y float64) float64 {
	d := p.doc
	if len(p.flags) == 0 {
		d.box(marginL, y, contW, 9, paleGrey)
		d.font("B", 11)
		d.color(ink)
		d.at(marginL+5, y, 30, 9, "No flags", "L")
		d.font("", 9)
		d.color(grey)
		d.at(marginL+27, y, contW-30, 9, "no withdrawal score rising two check-ins in a row, no dose above the plan, no check-in missed", "L")
		return y + 11
	}
	const dateW, lh, textX = 24.0, 4.8, marginL + 9
	textW := contW - 12 - dateW
	shown := p.flags
	var summary []string
	if p.manyFlags() {
		shown = p.flags[len(p.flags)-latestFlags:]
		d.font("B", 10)
		summary = d.wrap(kindCounts(p.flags)+". The latest "+itoa(latestFlags)+" are below; all "+itoa(len(p.flags))+
			" are listed before the check-in table.", contW-12)
	}
	d.font("B", 10)
	var rows [][]string
	n := len(summary)
	for _, f := range shown {
		rows = append(rows, d.wrap(f.Text, textW))
		n += len(rows[len(rows)-1])
	}
	h := 10.5 + float64(n)*lh + 1.5
	if summary != nil {
		h += 1.5
	}
	y = d.need(y, h)
	d.box(marginL, y, contW, h, urgentBg)
	d.box(marginL, y, 4, h, urgentRed)
	d.draw(urgentRed)
	d.pdf.SetLineWidth(0.8)
	d.pdf.Rect(marginL, y, contW, h, "D")
	d.font("B", 14)
	d.color(urgentRed)
	d.at(textX, y+1.8, 30, 7, "FLAGS", "L")
	tw := d.pdf.GetStringWidth("FLAGS")
	d.font("", 9)
	d.at(textX+tw+3, y+2.2, contW-tw-20, 7, plural(len(p.flags), "flag", "flags")+
		" for the counselor to review: scores rising, doses above the plan, check-ins missed", "L")
	ly := y + 10
	d.font("B", 10)
	d.color(ink)
	for _, l := range summary {
		d.at(textX, ly, contW-12, lh, l, "L")
		ly += lh
	}
	if summary != nil {
		ly += 1.5
	}
	for i, f := range shown {
		d.font("B", 9)
		d.color(urgentRed)
		d.at(textX, ly, dateW, lh, d.when(f.At, "Mon Jan 2"), "L")
		d.font("B", 10)
		d.color(ink)
		for _, l := range rows[i] {
			d.at(textX+dateW, ly, textW, lh, l, "L")
			ly += lh
		}
	}
	return y + h
}

// kindCounts counts the flags by kind: "42 rising scores, 10 doses above
// the plan and 3 check-ins missed".
func kindCounts(fs []trend.Flag) string {
	var rising, over, missed, other int
	for _, f := range fs {
		switch f.Kind {
		case trend.Rising:
			rising++
		case trend.OverPlan:
			over++
		case trend.Missed:
			missed++
		default:
			other++
		}
	}
	var parts []string
	for _, c := range []struct {
		n         int
		one, many string
	}{
		{rising, "rising score", "rising scores"},
		{over, "dose above the plan", "doses above the plan"},
		{missed, "missed check-in", "missed check-ins"},
		{other, "other flag", "other flags"},
	} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.one, c.many))
		}
	}
	s := joinAnd(parts)
	return strings.ToUpper(s[:1]) + s[1:]
}

// allFlags lists every flag, oldest first, before the table when page one
// could show only the latest; it returns the y below the list.
func (p *patientDoc) allFlags(y float64) float64 {
	if !p.manyFlags() {
		return y
	}
	d := p.doc
	y = d.heading(y, "All flags, oldest first", plural(len(p.flags), "flag", "flags")+" for the counselor to review")
	d.cont = func(y float64) float64 {
		d.font("B", 10)
		d.color(ink)
		d.at(marginL, y, contW, 5, "All flags (continued)", "L")
		return y + 6.5
	}
	defer func() { d.cont = nil }()
	const dateW, lh = 34.0, 4.2
	for _, f := range p.flags {
		d.font("", 9)
		ls := d.wrap(f.Text, contW-dateW)
		y = d.need(y, float64(len(ls))*lh+0.8)
		d.font("B", 8.5)
		d.color(urgentRed)
		layout := "Mon Jan 2, 3:04 PM"
		if f.Kind == trend.Missed {
			layout = "Mon Jan 2" // about a day, not a check-in
		}
		d.at(marginL, y, dateW, lh, d.when(f.At, layout), "L")
		d.font("", 9)
		d.color(ink)
		for _, l := range ls {
			d.at(marginL+dateW, y, contW-dateW, lh, l, "L")
			y += lh
		}
		y += 0.8
	}
	return y + 4
}
