package report

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"intakekiosk/summary"
	"intakekiosk/takehome"
	"intakekiosk/trend"
)

// TakeHomeInput is what a take-home sheet shows: its words, in the
// patient's language, and the patient's days. It names no one and holds
// no score nor diagnosis: a sheet may be lost on the way home.
type TakeHomeInput struct {
	// Clinic is the clinic's name, at the top and the foot of each page.
	Clinic string
	// Words are the sheet's words in the patient's language.
	Words *takehome.Sheet
	// LastDose is when the patient last took kratom, as they said at
	// the visit (zero: not known): the phases of the usual course are
	// then dated from it, and the one they are in marked.
	LastDose time.Time
	// Taper says a taper plan is in force: there is no one last dose to
	// count the days from, so the phases are not dated.
	Taper bool
	// Next is the day of the next check-in (zero: none planned: ask the
	// front desk).
	Next time.Time
	// Generated is the instant the sheet is made (the caller's clock):
	// where the patient is on the course, and the PDF's creation date.
	Generated time.Time
	// Location is the clinic's time zone, the days are counted in (nil:
	// UTC).
	Location *time.Location
}

// takeDoc is a take-home sheet being drawn: the house's drawing helpers,
// its own words.
type takeDoc struct {
	*doc
	w  *takehome.Sheet
	in TakeHomeInput
}

// The phases of the usual course a sheet tells, in order, with their
// words.
func (t *takeDoc) phases() []struct {
	phase trend.Phase
	words takehome.Phase
} {
	e := t.w.Expect
	return []struct {
		phase trend.Phase
		words takehome.Phase
	}{{trend.Onset, e.Onset}, {trend.Peak, e.Peak}, {trend.Easing, e.Easing}, {trend.After, e.After}}
}

// TakeHome writes the take-home sheet of in as a PDF: the clinic, the
// title and a word on what the sheet is; the next check-in (or to ask
// the front desk), boxed; what to expect over the next days (each phase
// of the usual course, trend.Course, with its days when the last dose is
// known and no taper is under way, the patient's phase marked); three
// coping steps; the crisis numbers in a box. Every page carries the clinic, its number and the 42 CFR
// Part 2 notice at its foot, as the other PDFs do. The same input always
// gives the same bytes.
func TakeHome(in TakeHomeInput) ([]byte, error) {
	switch {
	case in.Words == nil:
		return nil, errors.New("report: a take-home sheet needs its words")
	case in.Generated.IsZero():
		return nil, errors.New("report: no generation time given (the caller's clock)")
	}
	if in.Location == nil {
		in.Location = time.UTC
	}
	t := &takeDoc{doc: sheetDoc(summary.New(summary.Input{Clinic: in.Clinic, Generated: in.Generated, Location: in.Location})),
		w: in.Words, in: in}
	t.pdf = startPDF(in.Words.Title, in.Clinic, in.Generated, func() { t.pdf.SetY(marginT) }, t.footer)
	t.pdf.AddPage()
	y := t.headLine(t.clinic(), 11, "")
	t.font("B", 19)
	t.color(ink)
	y = t.lines(marginL, y, contW, 8.5, in.Words.Title) + 0.5
	t.font("", body)
	y = t.lines(marginL, y, contW, lh, in.Words.Intro) + 4
	y = t.next(y)
	y = t.expect(y)
	y = t.coping(y)
	t.crisis(y)
	if t.pdf.Err() {
		return nil, fmt.Errorf("report: drawing the take-home sheet: %w", t.pdf.Error())
	}
	var b bytes.Buffer
	if err := t.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("report: writing the take-home sheet: %w", err)
	}
	return b.Bytes(), nil
}

// The sheet's body text: larger than the staff's PDFs, to be read at
// home by a patient in withdrawal.
const (
	body = 11.0 // points
	lh   = 5.2  // its line height, mm
)

// section draws a section's heading, on a new page when it and need
// millimetres below it do not fit, and returns the y below it.
func (t *takeDoc) section(y float64, title string, need float64) float64 {
	y = t.need(y, 9+need)
	t.font("B", 13)
	t.color(ink)
	t.at(marginL, y, contW, 6.5, title, "L")
	t.rule(y+7.3, 0.3, lightGrey)
	return y + 9.5
}

// whenW is the width of the phases' column of days.
const whenW = 62.0

// expect draws what to expect: the taper's word first when a plan is in
// force, then each phase, dated from the last dose when it is known.
func (t *takeDoc) expect(y float64) float64 {
	y = t.section(y, t.w.Expect.Heading, 20)
	dated := !t.in.LastDose.IsZero() && !t.in.Taper
	loc := t.in.Location
	current := trend.Phase(-1)
	if dated {
		current, _ = trend.Where(t.in.Generated.Sub(t.in.LastDose).Hours())
	}
	if t.in.Taper {
		t.font("B", body)
		ls := t.wrap(t.w.Expect.Taper, contW-10)
		h := float64(len(ls))*lh + 5
		y = t.need(y, h)
		t.box(marginL, y, contW, h, paleGrey)
		t.box(marginL, y, 1.5, h, grey)
		t.color(ink)
		for i, l := range ls {
			t.at(marginL+6, y+2.5+float64(i)*lh, contW-10, lh, l, "L")
		}
		y += h + 4
	}
	course := trend.Course()
	for _, ph := range t.phases() {
		var from, to float64
		for _, c := range course {
			if c.Phase == ph.phase {
				from, to = c.From, c.To
			}
		}
		when, under := ph.words.When, ""
		if dated {
			a := trend.Day(t.in.LastDose.Add(time.Duration(from*float64(time.Hour))), loc)
			var b time.Time
			if ph.phase != trend.After {
				b = trend.Day(t.in.LastDose.Add(time.Duration(to*float64(time.Hour))-time.Second), loc)
			}
			when, under = t.w.Span(a, b), ph.words.When
		}
		t.font("B", body)
		whenLines := t.wrap(when, whenW-9)
		t.font("", body)
		textLines := t.wrap(ph.words.Text, contW-whenW-4)
		t.font("", 9)
		underLines := []string{}
		if under != "" {
			underLines = t.wrap(under, whenW-9)
		}
		here := ph.phase == current
		h := max(float64(len(whenLines))*lh+float64(len(underLines))*4.3, float64(len(textLines))*lh)
		if here {
			h += 5.5
		}
		h += 2
		y = t.need(y, h)
		if here {
			t.box(marginL, y-1, contW, h, warnBg)
			t.box(marginL, y-1, 1.5, h, warnInk)
		}
		ly := y
		if here {
			t.font("B", 10)
			t.color(warnInk)
			t.at(marginL+4, ly, whenW, 5, t.w.Expect.Now, "L")
			ly += 5.5
		}
		ty := ly
		t.font("B", body)
		t.color(ink)
		for _, l := range whenLines {
			t.at(marginL+4, ly, whenW-4, lh, l, "L")
			ly += lh
		}
		t.font("", 9)
		t.color(grey)
		for _, l := range underLines {
			t.at(marginL+4, ly, whenW-4, 4.3, l, "L")
			ly += 4.3
		}
		t.font("", body)
		t.color(ink)
		for _, l := range textLines {
			t.at(marginL+whenW, ty, contW-whenW-4, lh, l, "L")
			ty += lh
		}
		y += h + 1
	}
	return y + 3
}

// coping draws the three coping steps, numbered.
func (t *takeDoc) coping(y float64) float64 {
	y = t.section(y, t.w.Coping.Heading, 20)
	for i, s := range t.w.Coping.Steps {
		t.font("", body)
		ls := t.wrap(s, contW-14)
		h := max(float64(len(ls))*lh, 8) + 2
		y = t.need(y, h)
		t.fill(paleGrey)
		t.pdf.Circle(marginL+4, y+3.2, 4, "F")
		t.font("B", 12)
		t.color(ink)
		t.at(marginL, y+0.4, 8, 5.6, strconv.Itoa(i+1), "C")
		t.font("", body)
		for j, l := range ls {
			t.at(marginL+12, y+0.4+float64(j)*lh, contW-14, lh, l, "L")
		}
		y += h
	}
	return y + 3
}

// crisis draws the crisis numbers, boxed as on the code slip.
func (t *takeDoc) crisis(y float64) float64 {
	t.font("B", 12)
	var ls []string
	for _, l := range t.w.Crisis.Lines {
		ls = append(ls, t.wrap(l, contW-14)...)
	}
	h := float64(len(ls))*5.6 + 12
	y = t.need(y, h)
	t.box(marginL, y, contW, h, urgentBg)
	t.box(marginL, y, 3, h, urgentRed)
	t.font("B", 12)
	t.color(urgentRed)
	t.at(marginL+8, y+2.5, contW-12, 6, t.w.Crisis.Heading, "L")
	t.color(ink)
	ly := y + 8.5
	for _, l := range ls {
		t.at(marginL+8, ly, contW-14, 5.6, l, "L")
		ly += 5.6
	}
	return y + h + 5
}

// next draws the next check-in, or where to ask for it, boxed near the
// top: what the patient does next.
func (t *takeDoc) next(y float64) float64 {
	text := t.w.Next.None
	if !t.in.Next.IsZero() {
		text = t.w.NextOn(t.in.Next.In(t.in.Location))
	}
	t.font("B", 12)
	ls := t.wrap(text, contW-12)
	h := float64(len(ls))*5.8 + 11
	y = t.need(y, h)
	t.box(marginL, y, contW, h, paleGrey)
	t.box(marginL, y, 3, h, ink)
	t.font("B", 10.5)
	t.color(grey)
	t.at(marginL+8, y+2.5, contW-12, 5, t.w.Next.Heading, "L")
	t.font("B", 12)
	t.color(ink)
	ly := y + 8
	for _, l := range ls {
		t.at(marginL+8, ly, contW-12, 5.8, l, "L")
		ly += 5.8
	}
	return y + h + 4
}

// footer draws the clinic, the page in the sheet's words and the 42 CFR
// Part 2 notice on every page.
func (t *takeDoc) footer() {
	y := footerY
	t.rule(y, 0.3, grey)
	y += 1.5
	t.font("B", 8)
	t.color(ink)
	t.at(marginL, y, 100, 4, t.clinic(), "L")
	// "{nb}" is wider than the number it becomes: placed by the width
	// of the widest page number, as the house's footer is
	t.font("", 8)
	t.color(grey)
	x := pageW - marginR - t.pdf.GetStringWidth(t.w.PageOf("99", "99"))
	t.at(x, y, pageW-marginR-x+10, 4, t.w.PageOf(strconv.Itoa(t.pdf.PageNo()), "{nb}"), "L")
	y += 5
	t.font("", 7.5)
	t.color(ink)
	for _, l := range t.wrap(Notice, contW) {
		t.at(marginL, y, contW, 3.3, l, "L")
		y += 3.3
	}
}
