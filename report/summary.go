package report

import (
	"fmt"
	"math"

	"intakekiosk/screening"
	"intakekiosk/summary"
	"strconv"
)

// summaryPage draws page one: what a clinician reads in 30 seconds.
func (d *doc) summaryPage() {
	p := d.pdf
	p.AddPage()
	y := marginT

	d.font("B", 9)
	d.color(ink)
	d.at(marginL, y, contW, 5, d.clinic(), "L")
	d.font("", 9)
	d.color(grey)
	d.at(marginL, y, contW, 5, d.T("staff.pdf.screening_summary_for_the_clinician"), "R")
	d.rule(y+6.5, 0.3, lightGrey)
	y += 9

	y = d.banner(y, d.Urgent(), "staff.pdf.urgent", "staff.pdf.raised_at_the_kiosk", urgentRed, urgentBg)
	y = d.banner(y, d.Attention(), "staff.pdf.attention", "staff.pdf.pinned_until_reviewed", warnInk, warnBg)
	y = d.identity(y)
	y = d.scores(y + 2)
	y = d.flags(y + 3)
	y = d.kratom(y + 3)
	// the notes go on page one when they fit there, else at the head of
	// the answers: never alone on a page
	if len(d.in.Notes) > 0 && y+3+d.notesHeight() <= bottom {
		d.notes(y + 3)
		d.notesDone = true
	} else if n := len(d.in.Notes); n > 0 && y+9 <= bottom {
		d.font("B", 10)
		d.color(ink)
		d.at(marginL, y+3, contW, 5, summary.Plural(n, d.T("staff.pdf.counselor_note_follows"), d.T("staff.pdf.counselor_notes_follow"))+d.T("staff.pdf.on_page", d.pdf.PageNo()+1), "L")
	}
}

// notesHeight is the height the notes take.
func (d *doc) notesHeight() float64 {
	h := 16.0
	d.font("", 9.5)
	for _, n := range d.in.Notes {
		h += 4.8 + float64(len(d.wrap(n.Text, contW-4)))*4.6 + 1.5
	}
	return h
}

// notes lists the counselors' notes: who wrote each and when.
func (d *doc) notes(y float64) float64 {
	if len(d.in.Notes) == 0 {
		return y
	}
	y = d.heading(y, d.T("staff.pdf.counselor_notes"), d.T("staff.pdf.added_by_staff_after_the_visit_not_the_patient_s"))
	for _, n := range d.in.Notes {
		d.font("", 9.5)
		lines := d.wrap(n.Text, contW-6)
		y = d.need(y, 5+float64(len(lines))*4.6)
		d.font("B", 9)
		d.color(grey)
		d.at(marginL, y, contW, 4.5, n.By+", "+d.When(n.At, "Jan 2, 2006 3:04 PM"), "L")
		y += 4.8
		d.font("", 9.5)
		d.color(ink)
		y = d.lines(marginL+4, y, contW-4, 4.6, n.Text) + 1.5
	}
	return y
}

// banner draws a concern's banner (urgent, ask in person: its title and
// aside keys, its colours) with its lines, and returns the y below it.
func (d *doc) banner(y float64, lines []string, title, aside string, ink0, bg rgb) float64 {
	if len(lines) == 0 {
		return y
	}
	d.font("B", 11)
	var wrapped []string
	for _, l := range lines {
		wrapped = append(wrapped, d.wrap(l, contW-16)...)
	}
	h := 11 + float64(len(wrapped))*5.2 + 1.5
	d.box(marginL, y, contW, h, bg)
	d.box(marginL, y, 4, h, ink0)
	d.draw(ink0)
	d.pdf.SetLineWidth(0.8)
	d.pdf.Rect(marginL, y, contW, h, "D")
	d.font("B", 18)
	d.color(ink0)
	d.at(marginL+9, y+1.8, 60, 8, d.T(title), "L")
	tw := d.pdf.GetStringWidth(d.T(title))
	d.font("", 9)
	d.at(marginL+13+tw, y+1.8, contW-17-tw, 8, d.T(aside), "L")
	d.font("B", 11)
	d.color(ink)
	ly := y + 10.5
	for _, l := range wrapped {
		d.at(marginL+9, ly, contW-16, 5.2, l, "L")
		ly += 5.2
	}
	return y + h + 3
}

// identity draws who and when.
func (d *doc) identity(y float64) float64 {
	d.font("B", 22)
	d.color(ink)
	for _, l := range d.wrap(d.Name(), contW) {
		d.at(marginL, y, contW, 9.5, l, "L")
		y += 9.5
	}
	d.font("B", 12)
	d.at(marginL, y, contW, 6, d.Birth(), "L")
	y += 6.5
	d.font("", 10.5)
	d.at(marginL, y, contW, 5.5, d.T("staff.pdf.visit_heading")+d.Visit(), "L")
	if d.in.SessionID != "" {
		d.font("", 7.5)
		d.color(grey)
		d.at(marginL, y+0.5, contW, 5.5, d.T("staff.pdf.session")+d.in.SessionID, "R")
	}
	y += 5.5
	if d.in.Completed.IsZero() {
		d.font("B", 10.5)
		d.color(warnInk)
		d.at(marginL, y, contW, 5.5, d.T("staff.pdf.not_submitted_the_patient_did_not_finish_these_a"), "L")
		y += 5.5
	}
	return y + 1
}

// heading draws a section heading with a rule under it.
func (d *doc) heading(y float64, title, aside string) float64 {
	y = d.need(y, 16)
	d.font("B", 12)
	d.color(ink)
	d.at(marginL, y, contW, 6, title, "L")
	if aside != "" {
		w := d.pdf.GetStringWidth(title)
		d.font("", 8.5)
		d.color(grey)
		d.at(marginL+w+3, y+0.4, contW-w-3, 6, aside, "L")
	}
	d.rule(y+6.8, 0.4, ink)
	return y + 8.5
}

// Score table columns (x offsets from the left margin).
const (
	colScore = 58.0
	colBand  = 82.0
	colBar   = 122.0
	barW     = contW - colBar
)

// scores draws each scored instrument: score, band and a bar of its range.
func (d *doc) scores(y float64) float64 {
	y = d.heading(y, d.T("staff.pdf.scores"), d.T("staff.pdf.each_bar_spans_the_instrument_s_range_shaded_by"))
	for _, r := range d.results {
		in := r.Instrument
		if in.Scoring == nil {
			continue
		}
		notes := d.ScoreNotes(r)
		d.font("", 7.5)
		var noteLines []string
		for _, n := range notes {
			noteLines = append(noteLines, d.wrap(n, contW-colScore)...)
		}
		y = d.need(y, 12+float64(len(noteLines))*3.3)

		d.font("B", 11.5)
		d.color(ink)
		d.at(marginL, y, colScore-2, 5.5, d.Code(in), "L")
		d.font("", 7)
		d.color(grey)
		ny := y + 5.5
		for i, l := range d.wrap(d.LongName(in), colScore-4) {
			if i == 2 {
				break
			}
			d.at(marginL, ny, colScore-4, 3, l, "L")
			ny += 3
		}

		switch {
		case r.Skipped:
			d.font("", 9.5)
			d.color(grey)
			d.at(marginL+colScore, y, contW-colScore, 6, d.T("staff.pdf.skipped_by_branching"), "L")
		case in.Scoring.NoTotal:
			y = d.subscoreRows(y, r)
		case !r.Scored:
			d.font("B", 9.5)
			d.color(warnInk)
			d.at(marginL+colScore, y, colBar-colScore-2, 6, d.Missing(r), "L")
			d.bar(marginL+colBar, y+0.5, in.Scoring.Min, in.Scoring.Max, r.Total, false, bandsOf(r))
		default:
			d.font("B", 15)
			d.color(ink)
			s := strconv.Itoa(r.Total)
			d.at(marginL+colScore, y-0.5, 20, 7, s, "L")
			w := d.pdf.GetStringWidth(s)
			d.font("", 9)
			d.color(grey)
			d.at(marginL+colScore+w+1, y+0.6, 16, 6, fmt.Sprintf("/ %d", in.Scoring.Max), "L")
			if r.Band != nil {
				d.chip(marginL+colBand, y, colBar-colBand-3, r.Band.Label.In(d.lang), r.Band.Level)
			}
			d.bar(marginL+colBar, y+0.5, in.Scoring.Min, in.Scoring.Max, r.Total, true, bandsOf(r))
		}
		// notes sit under the score, below the bar's range labels
		noteY := y + 8.6
		d.font("", 7.5)
		d.color(grey)
		for _, l := range noteLines {
			d.at(marginL+colScore, noteY, contW-colScore, 3.3, l, "L")
			noteY += 3.3
		}
		y = max(ny, noteY, y+9) + 0.8
		d.rule(y, 0.15, lightGrey)
		y += 1.5
	}
	return y
}

// bandsOf returns the band set a result was banded with (or, when it was
// not scored, the default set).
func bandsOf(r screening.Result) []screening.Band {
	s := r.Instrument.Scoring
	if len(s.Bands) > 0 {
		return s.Bands
	}
	for i := range s.BandSets {
		bs := &s.BandSets[i]
		for j := range bs.Bands {
			if r.Band == &bs.Bands[j] {
				return bs.Bands
			}
		}
	}
	for i := range s.BandSets {
		if s.BandSets[i].When == nil {
			return s.BandSets[i].Bands
		}
	}
	return nil
}

// chip draws a band label on its band's shade.
func (d *doc) chip(x, y, w float64, label string, level int) {
	d.font("B", 9.5)
	tw := min(d.pdf.GetStringWidth(label)+4, w)
	d.fill(levelColour(level))
	d.pdf.RoundedRect(x, y, tw, 6, 1.2, "1234", "F")
	d.color(levelInk(level))
	d.at(x, y, tw, 6, label, "C")
}

// bar draws a score's range lo to hi with its bands shaded and a mark at
// total (no mark when not scored). Each whole score owns an equal slice.
func (d *doc) bar(x, y float64, lo, hi, total int, scored bool, bands []screening.Band) {
	n := float64(hi - lo + 1)
	pos := func(v float64) float64 { return x + (v-float64(lo))/n*barW }
	const h = 4.5
	if !scored {
		// the range without a score, faded so it does not read as one
		d.pdf.SetAlpha(0.35, "Normal")
		defer d.pdf.SetAlpha(1, "Normal")
	}
	d.box(x, y, barW, h, paleGrey)
	for _, b := range bands {
		d.box(pos(float64(b.Min)), y, pos(float64(b.Max+1))-pos(float64(b.Min)), h, levelColour(b.Level))
	}
	d.draw(grey)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Rect(x, y, barW, h, "D")
	d.font("", 6.5)
	d.color(grey)
	d.at(x, y+h+0.3, 10, 3, strconv.Itoa(lo), "L")
	d.at(x+barW-10, y+h+0.3, 10, 3, strconv.Itoa(hi), "R")
	if !scored {
		return
	}
	mx := pos(float64(total) + 0.5)
	d.draw(ink)
	d.fill(ink)
	d.pdf.SetLineWidth(0.7)
	d.pdf.Line(mx, y-1, mx, y+h+1)
	d.mark(mx, y-2.6, y-0.6, 1.6)
}

// subscoreRows draws the scores of an instrument without a total (the
// BAM's Use, Risk and Protective), a row each in the score columns with
// its label before it: score, band and a bar of its range. It returns the
// y of the last row, where the notes follow.
func (d *doc) subscoreRows(y float64, r screening.Result) float64 {
	for i, s := range r.Subscores {
		if i > 0 {
			y += 9.5
		}
		lo, hi := r.Instrument.SubscoreRange(s.Subscore)
		label := s.Subscore.Label.In(d.lang)
		d.font("", 8.5)
		d.color(ink)
		d.at(marginL+colScore, y+0.4, colBand-colScore-2, 5.5, label, "L")
		lw := d.pdf.GetStringWidth(label) + 1.5
		d.font("B", 12)
		if s.Scored {
			d.at(marginL+colScore+lw, y-0.2, colBand-colScore-lw-1, 6.5, strconv.Itoa(s.Total), "L")
			if s.Band != nil {
				d.chip(marginL+colBand, y, colBar-colBand-3, s.Band.Label.In(d.lang), s.Band.Level)
			}
		} else {
			d.font("B", 9.5)
			d.color(warnInk)
			d.at(marginL+colBand, y, colBar-colBand-3, 6, d.T("staff.summary.subscore_not_scored"), "L")
		}
		d.bar(marginL+colBar, y+0.5, lo, hi, s.Total, s.Scored, s.Subscore.Bands)
	}
	return y
}

// flags lists the red flags and the other flags raised, in words.
func (d *doc) flags(y float64) float64 {
	y = d.heading(y, d.T("staff.pdf.red_flags_for_medical_supervision"), d.T("staff.pdf.for_the_clinician_to_review_flags_not_a_diagnosi"))
	red, other := d.FlagFacts()
	const lh, gap = 5.0, 3.0
	draw := func(es []summary.FlagFact, bullet string, c rgb) {
		for _, e := range es {
			ev := e.Evidence
			d.font("B", 10.5)
			lines := d.wrap(e.Label, contW-6)
			lastW := d.pdf.GetStringWidth(lines[len(lines)-1])
			d.font("", 8.5)
			evW := d.pdf.GetStringWidth(ev)
			// the evidence follows the label on its line when it fits
			inline := ev == "" || lastW+gap+evW <= contW-6
			var evLines []string
			if !inline {
				evLines = d.wrap(ev, contW-6)
			}
			y = d.need(y, float64(len(lines)+len(evLines))*lh)
			d.font("B", 10.5)
			d.color(c)
			d.at(marginL, y, 5, lh, bullet, "L")
			d.color(ink)
			for _, l := range lines {
				d.at(marginL+6, y, contW-6, lh, l, "L")
				y += lh
			}
			d.font("", 8.5)
			d.color(grey)
			if inline && ev != "" {
				d.at(marginL+6+lastW+gap, y-lh+0.3, evW+1, lh, ev, "L")
			}
			for _, l := range evLines {
				d.at(marginL+6, y, contW-6, 4, l, "L")
				y += 4
			}
			y += 0.6
		}
	}
	if len(red) == 0 {
		d.font("", 10.5)
		d.color(ink)
		d.at(marginL, y, contW, 5, d.T("staff.pdf.none_raised_by_the_answers_given"), "L")
		y += 6
	}
	draw(red, "•", urgentRed)
	if len(other) > 0 {
		y += 1
		d.font("B", 9)
		d.color(grey)
		d.at(marginL, y, contW, 4.5, d.T("staff.pdf.also_flagged"), "L")
		y += 5
		draw(other, "•", warnInk)
	}
	return y
}

// kratom summarises the kratom use profile in words and places the last
// dose on the usual withdrawal course.
func (d *doc) kratom(y float64) float64 {
	lines, last := d.Kratom()
	if lines == nil {
		return y
	}
	y = d.heading(y, d.T("staff.pdf.kratom_use"), d.T("staff.pdf.the_clinic_s_own_questionnaire_not_a_validated_i"))
	d.font("", 10.5)
	d.color(ink)
	for i, l := range lines {
		lh := 4.6
		if i == 0 {
			d.font("B", 10.5)
			lh = 5
		} else {
			d.font("", 9.5)
		}
		ls := d.wrap(l, contW)
		y = d.need(y, float64(len(ls))*lh)
		y = d.lines(marginL, y, contW, lh, l)
		y += 0.6
	}
	if last == nil {
		return y
	}
	return d.course(y+2, d.HoursBefore(*last))
}

// course draws the usual withdrawal course with a mark at the hours since
// the last dose.
func (d *doc) course(y, h float64) float64 {
	d.font("B", 9.5)
	text := d.T("staff.pdf.withdrawal_course_since_the_last_dose", d.Hours(h), d.CourseWords(h))
	ls := d.wrap(text, contW)
	y = d.need(y, float64(len(ls))*4.6+21)
	d.color(ink)
	y = d.lines(marginL, y, contW, 4.6, text)
	y += 4.5 // room for the mark and its label

	course := d.shadedCourse()
	weights := []float64{0.13, 0.14, 0.25, 0.30, 0.18}
	x := marginL
	segX := make([]float64, len(course)+1)
	const bh = 7.0
	for i, ph := range course {
		w := weights[i] * contW
		segX[i] = x
		d.box(x, y, w, bh, ph.shade)
		d.font("", 7.5)
		d.color(ink)
		d.at(x, y, w, bh, ph.Label, "C")
		x += w
	}
	segX[len(course)] = x
	d.draw(grey)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Rect(marginL, y, contW, bh, "D")
	for i := 1; i < len(course); i++ {
		d.pdf.Line(segX[i], y, segX[i], y+bh)
	}
	ticks := []string{"0", "12 h", "24 h", d.T("staff.pdf.tick_day_3"), d.T("staff.pdf.tick_day_10")} // the last phase is open-ended
	d.font("", 6.5)
	d.color(grey)
	for i, t := range ticks {
		align := "C"
		tx := segX[i] - 8
		if i == 0 {
			align, tx = "L", segX[i]
		}
		d.at(tx, y+bh+0.5, 16, 3, t, align)
	}

	// the mark
	mx := segX[len(course)]
	for i, ph := range course {
		if h < ph.To || i == len(course)-1 {
			f := math.Min(math.Max((h-ph.From)/(ph.To-ph.From), 0), 1)
			mx = segX[i] + f*(segX[i+1]-segX[i])
			break
		}
	}
	// a triangle above the bar and one below, so the mark never hides a
	// phase's label
	d.fill(ink)
	d.mark(mx, y-3.2, y-0.2, 2)
	d.mark(mx, y+bh+3.2, y+bh+0.2, 2)
	label := d.Hours(h) + d.T("staff.pdf.since_the_last_dose")
	d.font("B", 8.5)
	d.color(ink)
	lw := d.pdf.GetStringWidth(label)
	lx := mx + 3
	if lx+lw > pageW-marginR {
		lx = mx - 3 - lw
	}
	d.at(lx, y-4, lw+1, 3.6, label, "L")

	y += bh + 4.5
	d.font("", 7)
	d.color(grey)
	y = d.lines(marginL, y, contW, 3.2, d.T("staff.pdf.the_usual_course_of_kratom_withdrawal_in_publish"))
	return y
}
