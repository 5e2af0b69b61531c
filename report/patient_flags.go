package report

import (
	"strings"

	"intakekiosk/summary"
	"intakekiosk/trend"
	"strconv"
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
		d.at(marginL+5, y, 30, 9, p.T("staff.pdf.no_flags"), "L")
		d.font("", 9)
		d.color(grey)
		d.at(marginL+27, y, contW-30, 9, p.T("staff.pdf.no_withdrawal_score_rising_two_check_ins_in_a_ro"), "L")
		return y + 11
	}
	const dateW, lh, textX = 24.0, 4.8, marginL + 9
	textW := contW - 12 - dateW
	shown := p.flags
	var overview []string
	if p.manyFlags() {
		shown = p.flags[len(p.flags)-latestFlags:]
		d.font("B", 10)
		overview = d.wrap(d.kindCounts(p.flags)+p.T("staff.pdf.the_latest")+strconv.Itoa(latestFlags)+p.T("staff.pdf.are_below_all")+strconv.Itoa(len(p.flags))+
			p.T("staff.pdf.are_listed_before_the_check_in_table"), contW-12)
	}
	d.font("B", 10)
	var rows [][]string
	n := len(overview)
	for _, f := range shown {
		rows = append(rows, d.wrap(d.Flag(f), textW))
		n += len(rows[len(rows)-1])
	}
	h := 10.5 + float64(n)*lh + 1.5
	if overview != nil {
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
	d.at(textX, y+1.8, 30, 7, p.T("staff.pdf.flags_banner"), "L")
	tw := d.pdf.GetStringWidth(p.T("staff.pdf.flags_banner"))
	d.font("", 9)
	d.at(textX+tw+3, y+2.2, contW-tw-20, 7, summary.Plural(len(p.flags), p.T("staff.pdf.flag"), p.T("staff.pdf.flags_lower"))+
		p.T("staff.pdf.for_the_counselor_to_review_scores_rising_doses"), "L")
	ly := y + 10
	d.font("B", 10)
	d.color(ink)
	for _, l := range overview {
		d.at(textX, ly, contW-12, lh, l, "L")
		ly += lh
	}
	if overview != nil {
		ly += 1.5
	}
	for i, f := range shown {
		d.font("B", 9)
		d.color(urgentRed)
		d.at(textX, ly, dateW, lh, d.When(f.At, "Mon Jan 2"), "L")
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
func (d *doc) kindCounts(fs []trend.Flag) string {
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
		{rising, d.T("staff.pdf.rising_score"), d.T("staff.pdf.rising_scores")},
		{over, d.T("staff.pdf.dose_above_the_plan"), d.T("staff.pdf.doses_above_the_plan")},
		{missed, d.T("staff.pdf.missed_check_in"), d.T("staff.pdf.missed_check_ins")},
		{other, d.T("staff.pdf.other_flag"), d.T("staff.pdf.other_flags")},
	} {
		if c.n > 0 {
			parts = append(parts, summary.Plural(c.n, c.one, c.many))
		}
	}
	s := d.JoinAnd(parts)
	return strings.ToUpper(s[:1]) + s[1:]
}

// allFlags lists every flag, oldest first, before the table when page one
// could show only the latest; it returns the y below the list.
func (p *patientDoc) allFlags(y float64) float64 {
	if !p.manyFlags() {
		return y
	}
	d := p.doc
	y = d.heading(y, p.T("staff.pdf.all_flags_oldest_first"), summary.Plural(len(p.flags), p.T("staff.pdf.flag"), p.T("staff.pdf.flags_lower"))+p.T("staff.pdf.for_the_counselor_to_review"))
	d.cont = func(y float64) float64 {
		d.font("B", 10)
		d.color(ink)
		d.at(marginL, y, contW, 5, p.T("staff.pdf.all_flags_continued"), "L")
		return y + 6.5
	}
	defer func() { d.cont = nil }()
	const dateW, lh = 34.0, 4.2
	for _, f := range p.flags {
		d.font("", 9)
		ls := d.wrap(d.Flag(f), contW-dateW)
		y = d.need(y, float64(len(ls))*lh+0.8)
		d.font("B", 8.5)
		d.color(urgentRed)
		layout := "Mon Jan 2, 3:04 PM"
		if f.Kind == trend.Missed {
			layout = "Mon Jan 2" // about a day, not a check-in
		}
		d.at(marginL, y, dateW, lh, d.When(f.At, layout), "L")
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
