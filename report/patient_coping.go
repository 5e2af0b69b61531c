package report

import (
	"intakekiosk/summary"
	"strings"
)

// copingBlock sets the triggers and coping steps the patient named at
// screening next to the triggers met and what helped since, counted over
// the check-ins: the plan next to how it is going. It draws nothing when
// there is nothing on either side, and returns the y below it.
func (p *patientDoc) copingBlock(y float64) float64 {
	d := p.doc
	var met, helped [][]string
	for _, pt := range p.points {
		met = append(met, pt.Triggers)
		helped = append(helped, pt.Helped)
	}
	metT, helpedT := summary.Tallies(met), summary.Tallies(helped)
	if len(p.pin.Triggers)+len(p.pin.Coping)+len(metT)+len(helpedT) == 0 {
		return y
	}
	type cell struct{ title, text, none string }
	rows := [][2]cell{
		{
			{p.T("staff.pdf.triggers_the_patient_named_at_screening"), joinWords(p.pin.Triggers), p.T("staff.pdf.none_recorded_at_screening")},
			{p.T("staff.pdf.triggers_met_since"), summary.TalliesText(metT), p.T("staff.pdf.none_reported_at_the_check_ins")},
		},
		{
			{p.T("staff.pdf.coping_steps_planned"), joinWords(p.pin.Coping), p.T("staff.pdf.none_recorded_at_screening")},
			{p.T("staff.pdf.what_helped"), summary.TalliesText(helpedT), p.T("staff.pdf.nothing_reported_at_the_check_ins")},
		},
	}
	const gutter, lh = 8.0, 4.3
	colW := (contW - gutter) / 2
	wrapped := func(c cell) []string {
		if c.text == "" {
			return []string{c.none}
		}
		d.font("", 9)
		return d.wrap(c.text, colW)
	}
	h := 8.5
	for _, r := range rows {
		h += 5 + float64(max(len(wrapped(r[0])), len(wrapped(r[1]))))*lh + 2
	}
	y = d.need(y, h)
	y = d.heading(y, p.T("staff.pdf.screening_plan_and_the_check_ins_since"), p.T("staff.pdf.at_screening_on_the_left_counted_over_the_check"))
	for _, r := range rows {
		rowH := 0.0
		for i, c := range r {
			x := marginL + float64(i)*(colW+gutter)
			d.font("B", 8.5)
			d.color(grey)
			d.at(x, y, colW, 4.5, c.title, "L")
			ls := wrapped(c)
			d.font("", 9)
			d.color(ink)
			if c.text == "" {
				d.color(grey)
			}
			for j, l := range ls {
				d.at(x, y+5+float64(j)*lh, colW, lh, l, "L")
			}
			rowH = max(rowH, 5+float64(len(ls))*lh)
		}
		y += rowH + 2
	}
	return y
}

// joinWords lists the patient's own phrases: "my cousin's house; payday".
func joinWords(ws []string) string {
	var out []string
	for _, w := range ws {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return strings.Join(out, "; ")
}
