package report

import (
	"fmt"
	"slices"

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
	d.at(marginL, y, contW, 7, "Questions and answers", "L")
	y += 7
	d.font("", 8.5)
	d.color(grey)
	y = d.lines(marginL, y, contW, 4, "Every question of the session in the order asked, with the patient's answer in their words. "+
		"Points are shown for scored items. Shaded rows raised a flag.")
	y += 3
	for _, r := range d.results {
		y = d.instrumentAnswers(y, r)
		y += 5
	}
}

// flaggedItems returns the items whose answers raised a flag.
func (d *doc) flaggedItems(r screening.Result) map[string]bool {
	items := map[string]bool{}
	for _, f := range r.Flags {
		f.When.Tests(func(rule *screening.Rule, negated bool) {
			if !negated && rule.Item != "" && (rule.Instrument == "" || rule.Instrument == r.Instrument.ID) {
				items[rule.Item] = true
			}
		})
	}
	return items
}

// instrumentAnswers draws one instrument's items and answers.
func (d *doc) instrumentAnswers(y float64, r screening.Result) float64 {
	in := r.Instrument
	y = d.need(y, 30)
	title := d.code(in)
	if long := d.longName(in); long != title {
		title += ": " + long
	}
	total := d.totalWords(r)
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
	if intro := in.Intro.In(d.lang); intro != "" {
		d.font("", 8.5)
		d.color(grey)
		y = d.lines(marginL, y, contW, 3.9, intro)
		y += 1.5
	}

	if r.Skipped {
		d.font("", 10)
		d.color(grey)
		d.at(marginL, y, contW, 5, "Skipped by branching: no questions were asked.", "L")
		y += 6
	} else {
		scored := in.Scoring != nil
		columns := func(y float64) float64 {
			d.font("", 7.5)
			d.color(grey)
			d.at(marginL+colQuestion, y, 50, 4, "Question", "L")
			d.at(marginL+colAnswer, y, 50, 4, "Answer", "L")
			if scored {
				d.at(marginL+colPoints, y, 12, 4, "Points", "R")
			}
			return y + 4.5
		}
		y = columns(y)
		d.cont = func(y float64) float64 {
			d.font("B", 10)
			d.color(ink)
			d.at(marginL, y, contW, 5, d.code(in)+" (continued)", "L")
			return columns(y + 5.5)
		}
		flagged := d.flaggedItems(r)
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

// totalWords is the score line beside an instrument's title.
func (d *doc) totalWords(r screening.Result) string {
	in := r.Instrument
	switch {
	case r.Skipped:
		return "Skipped by branching"
	case in.Scoring == nil:
		return "Not scored"
	case !r.Scored:
		m := []rune(d.missingWords(r))
		m[0] = 'N'
		return string(m)
	}
	s := fmt.Sprintf("Total %d of %d", r.Total, in.Scoring.Max)
	if r.Band != nil {
		s += ": " + r.Band.Label.In(d.lang)
	}
	return s
}

// itemRow draws one question and its answer.
func (d *doc) itemRow(y float64, in *screening.Instrument, it *screening.Item, scored, flagged bool) float64 {
	f := d.itemFact(in, it, flagged)
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
	d.at(marginL+colNo+2, ty, colQuestion-2, rowLine, itoa(f.Number)+".", "L")
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

// itemPoints is what an answer scores, reverse-scored where the instrument
// says so (as screening scores it).
func itemPoints(in *screening.Instrument, it *screening.Item, a screening.Answer) (int, bool) {
	p := 0
	switch it.Kind {
	case screening.Single:
		o, ok := it.Option(a.Choice)
		if !ok {
			return 0, false
		}
		p = o.Points
	case screening.Multi:
		for _, c := range a.Choices {
			o, _ := it.Option(c)
			p += o.Points
		}
	default:
		return 0, false
	}
	if slices.Contains(in.Scoring.Reverse, it.ID) && len(it.Options) > 0 {
		lo, hi := it.Options[0].Points, it.Options[0].Points
		for _, o := range it.Options {
			lo, hi = min(lo, o.Points), max(hi, o.Points)
		}
		p = lo + hi - p
	}
	return p, true
}
