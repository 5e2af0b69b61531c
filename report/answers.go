package report

import (
	"intakekiosk/screening"
)

// Answer table columns (x offsets from the left margin).
const (
	colNo       = 0.0
	colQuestion = 8.0
	colAnswer   = 104.0
	colPoints   = contW - 12
	rowLine     = 4.4
)

// answerPages lists every instrument's questions and answers.
func (d *doc) answerPages() {
	d.pdf.AddPage()
	y := d.pdf.GetY()
	if len(d.in.Notes) > 0 && !d.notesDone {
		y = d.notes(y) + 4
	}
	d.font("B", 14)
	d.color(ink)
	d.at(marginL, y, contW, 7, d.T("staff.pdf.questions_and_answers"), "L")
	y += 7
	d.font("", 8.5)
	d.color(grey)
	y = d.lines(marginL, y, contW, 4, d.T("staff.pdf.every_question_of_the_session_in_the_order_asked")+
		d.T("staff.pdf.points_are_shown_for_scored_items_shaded_rows_ra"))
	y += 3
	for _, r := range d.results {
		y = d.instrumentAnswers(y, r)
		y += 5
	}
}

// instrumentAnswers draws one instrument's items and answers.
func (d *doc) instrumentAnswers(y float64, r screening.Result) float64 {
	in := r.Instrument
	y = d.need(y, 30)
	title := d.Code(in)
	if long := d.LongName(in); long != title {
		title += ": " + long
	}
	total := d.Total(r)
	d.font("B", 9.5)
	totalW := d.pdf.GetStringWidth(total)
	d.color(ink)
	d.at(marginL, y, contW, 6, total, "R")
	d.font("B", 12)
	for i, l := range d.wrap(title, contW-totalW-5) {
		if i > 0 {
			y += 5.5
		}
		d.at(marginL, y, contW-totalW-5, 6, l, "L")
	}
	d.rule(y+6.8, 0.4, ink)
	y += 8.5
	// what the patient read before the questions: the published
	// instructions where the instrument has them, else its stem
	intro := in.Instructions.In(d.lang)
	if intro == "" {
		intro = in.Intro.In(d.lang)
	}
	if intro != "" {
		d.font("", 8.5)
		d.color(grey)
		y = d.lines(marginL, y, contW, 3.9, intro)
		y += 1.5
	}

	if r.Skipped {
		d.font("", 10)
		d.color(grey)
		d.at(marginL, y, contW, 5, d.T("staff.pdf.skipped_by_branching_no_questions_were_asked"), "L")
		y += 6
	} else {
		scored := in.Scoring != nil
		columns := func(y float64) float64 {
			d.font("", 7.5)
			d.color(grey)
			d.at(marginL+colQuestion, y, 50, 4, d.T("staff.pdf.question"), "L")
			d.at(marginL+colAnswer, y, 50, 4, d.T("staff.pdf.answer"), "L")
			if scored {
				d.at(marginL+colPoints, y, 12, 4, d.T("staff.pdf.points"), "R")
			}
			return y + 4.5
		}
		y = columns(y)
		d.cont = func(y float64) float64 {
			d.font("B", 10)
			d.color(ink)
			d.at(marginL, y, contW, 5, d.Code(in)+d.T("staff.pdf.continued"), "L")
			return columns(y + 5.5)
		}
		flagged := d.FlaggedItems(r)
		for i := range in.Items {
			y = d.itemRow(y, in, &in.Items[i], scored, flagged[in.Items[i].ID])
		}
		d.cont = nil
	}

	d.font("", 7)
	d.color(grey)
	src := in.Attribution
	if in.Licence != "" {
		src += " " + in.Licence
	}
	lines := d.wrap(src, contW)
	y = d.need(y+1, float64(len(lines))*3.2)
	return d.lines(marginL, y+1, contW, 3.2, src)
}

// itemRow draws one question and its answer.
func (d *doc) itemRow(y float64, in *screening.Instrument, it *screening.Item, scored, flagged bool) float64 {
	f := d.ItemFact(in, it, flagged)
	answer, asked := f.Answer, f.Asked
	style, c := "B", ink
	switch {
	case !asked:
		style, c = "", grey
	case !f.Answered:
		c = warnInk
	}
	points := f.Points
	answeredFlag := flagged && f.Answered

	d.font("", 9.5)
	qLines := d.wrap(f.Question, colAnswer-colQuestion-4)
	ansW := colPoints - colAnswer - 2
	if !scored {
		ansW = contW - colAnswer
	}
	d.font(style, 9.5)
	var aLines []string
	for _, l := range answer {
		aLines = append(aLines, d.wrap(l, ansW)...)
	}
	h := float64(max(len(qLines), len(aLines)))*rowLine + 1.6
	y = d.need(y, h)

	switch {
	case answeredFlag:
		d.box(marginL, y, contW, h, urgentBg)
		d.box(marginL, y, 1.2, h, urgentRed)
	case flagged:
		d.box(marginL, y, contW, h, rgb{253, 243, 225})
		d.box(marginL, y, 1.2, h, warnInk)
	}
	ty := y + 0.8
	d.font("", 9.5)
	d.color(grey)
	d.at(marginL+colNo+2, ty, colQuestion-2, rowLine, f.Number+".", "L")
	d.color(ink)
	if !asked {
		d.color(grey)
	}
	for i, l := range qLines {
		d.at(marginL+colQuestion, ty+float64(i)*rowLine, colAnswer-colQuestion-4, rowLine, l, "L")
	}
	d.font(style, 9.5)
	d.color(c)
	for i, l := range aLines {
		d.at(marginL+colAnswer, ty+float64(i)*rowLine, ansW, rowLine, l, "L")
	}
	if points != "" {
		d.font("", 9.5)
		d.color(ink)
		d.at(marginL+colPoints, ty, 12, rowLine, points, "R")
	}
	d.rule(y+h, 0.1, lightGrey)
	return y + h
}
