package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/jung-kurt/gofpdf"

	"intakekiosk/screening"
	"intakekiosk/summary"
	"intakekiosk/trend"
)

// PatientInput is everything a patient's check-in report shows.
type PatientInput struct {
	// Clinic is the clinic's name, printed on every page.
	Clinic string
	// Identity is from the screening the check-in code is linked to.
	Identity screening.Identity
	// Points are the check-ins, in any order.
	Points []trend.Point
	// Plan is the taper plan (nil: no taper plan).
	Plan *trend.Plan
	// Flags are computed by the caller with trend.Flags.
	Flags []trend.Flag
	// COWS are the clinicians' COWS ratings (0-48), any order, charted
	// beside the SOWS on a scale of their own; Doses the last doses the
	// patient reported, which place each rating by day since the dose.
	COWS  []trend.Rating
	Doses []trend.Dose
	// Triggers are what the patient said at screening triggers their use
	// (may be empty).
	Triggers []string
	// Coping are the coping steps they planned at screening (may be
	// empty).
	Coping []string
	// Measures are the PHQ-9s (the screening's and the check-ins') and
	// BAMs, in any order, charted over time (patient_measures.go).
	Measures []Measure
	// Generated is the instant the report is made (the caller's clock):
	// printed in the footer and used as the PDF's creation date.
	Generated time.Time
	// Location is the time zone times are shown in (nil: UTC).
	Location *time.Location
	// Words is the catalog the phrases come from (nil: the built-in one).
	Words summary.Words
}

// Patient writes a patient's check-in report as a PDF to w: page one
// shows who, the period, the taper plan, the flags and the trends (the
// withdrawal score by day, craving, sleep and dose by date, the triggers
// and coping planned at screening next to those met since); the following
// pages list every check-in. The same input always gives the same bytes.
func Patient(w io.Writer, in PatientInput) error {
	if in.Generated.IsZero() {
		return errors.New("report: no generation time given (the caller's clock)")
	}
	p := newPatientDoc(in)
	y := p.firstPage()
	p.tablePages(p.measures(y))
	if p.pdf.Err() {
		return fmt.Errorf("report: drawing the check-in report: %w", p.pdf.Error())
	}
	if err := p.pdf.Output(w); err != nil {
		return fmt.Errorf("report: writing the check-in report: %w", err)
	}
	return nil
}

// patientDoc is one check-in report being drawn. It reuses the summary's
// drawing helpers and footer through doc.
type patientDoc struct {
	*doc
	pin PatientInput
	// points are the check-ins, oldest first; flags the flags by time.
	points []trend.Point
	flags  []trend.Flag
	// flagged holds the instants (Unix nanoseconds) of check-ins a flag is
	// about.
	flagged map[int64][]trend.Flag
}

// newPatientDoc prepares the report of in: sorted check-ins and the PDF.
func newPatientDoc(in PatientInput) *patientDoc {
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	d := sheetDoc(summary.New(summary.Input{Clinic: in.Clinic, Identity: in.Identity, Generated: in.Generated,
		Location: loc, Words: in.Words}))
	p := &patientDoc{doc: d, pin: in, flagged: map[int64][]trend.Flag{}}
	p.points = slices.Clone(in.Points)
	slices.SortStableFunc(p.points, func(a, b trend.Point) int { return a.At.Compare(b.At) })
	p.flags = slices.Clone(in.Flags)
	slices.SortStableFunc(p.flags, func(a, b trend.Flag) int { return a.At.Compare(b.At) })
	for _, f := range p.flags {
		if f.Kind != trend.Missed {
			p.flagged[f.At.UnixNano()] = append(p.flagged[f.At.UnixNano()], f)
		}
	}
	d.pdf = p.newPDF()
	return p
}

// newPDF starts the report's PDF: page, fonts, metadata, header and
// footer, as the summary's.
func (p *patientDoc) newPDF() *gofpdf.Fpdf {
	return startPDF(p.T("staff.pdf.withdrawal_check_ins"), p.pin.Clinic, p.pin.Generated, p.header, p.footer)
}

// header repeats who the report is about at the top of every page after
// the first, so a loose page is never anonymous.
func (p *patientDoc) header() {
	right := p.doc.Birth() + p.T("staff.pdf.head_check_ins")
	if s := p.span(); s != "" {
		right += " " + s
	}
	p.doc.runningHead(right)
}

// firstPage draws page one: what a counselor reads in 30 seconds. It
// returns the y below it (on page two when the block of triggers and
// coping steps did not fit).
func (p *patientDoc) firstPage() float64 {
	d := p.doc
	d.pdf.AddPage()
	y := marginT

	d.font("B", 15)
	d.color(ink)
	d.at(marginL, y, contW, 7, p.T("staff.pdf.withdrawal_check_ins"), "L")
	d.font("B", 9)
	d.at(marginL, y, contW, 4, d.clinic(), "R")
	d.font("", 8)
	d.color(grey)
	d.at(marginL, y+3.6, contW, 4, p.T("staff.pdf.for_the_clinician_trends_not_a_diagnosis"), "R")
	d.rule(y+8.5, 0.3, lightGrey)
	y += 10.5

	y = p.identity(y)
	y = p.flagBox(y + 2)
	if len(p.points) == 0 {
		d.font("B", 11)
		d.color(ink)
		d.at(marginL, y+2, contW, 6, p.T("staff.pdf.no_check_ins_yet_there_is_nothing_to_chart"), "L")
		y += 10
	} else {
		y = p.withdrawalChart(y + 3)
		y = p.dailyCharts(y + 4)
	}
	return p.copingBlock(y + 3)
}

// identity draws the patient, the period covered and the taper plan, and
// returns the y below them.
func (p *patientDoc) identity(y float64) float64 {
	d := p.doc
	d.font("B", 20)
	d.color(ink)
	for _, l := range d.wrap(d.Name(), contW) {
		d.at(marginL, y, contW, 8.5, l, "L")
		y += 8.5
	}
	d.font("B", 11)
	d.at(marginL, y, contW, 5.5, d.Birth(), "L")
	y += 6
	d.font("", 10)
	y = d.lines(marginL, y, contW, 5, p.periodWords())
	if p.pin.Plan == nil {
		d.color(grey)
		d.at(marginL, y, contW, 5, p.T("staff.pdf.no_taper_plan_recorded"), "L")
		return y + 5.5
	}
	d.font("B", 10)
	lead := p.T("staff.pdf.taper_plan")
	lw := d.pdf.GetStringWidth(lead)
	d.at(marginL, y, lw+1, 5, lead, "L")
	d.font("", 10)
	for _, l := range d.wrap(p.planLine(), contW-lw) {
		d.at(marginL+lw, y, contW-lw, 5, l, "L")
		y += 5
	}
	return y + 0.5
}
