// Package report draws the PDF summaries a counselor prints for a
// clinician: page one is the 30-second summary of a screening session
// (urgent banner, identity, scores with their bands, red flags, the kratom
// use profile and where the last dose falls on the usual withdrawal
// course); the following pages list every question and answer. Every page
// carries the clinic's name, the page number, the time it was generated and
// the 42 CFR Part 2 redisclosure notice.
//
// The package draws from values only: it takes a screening session and the
// plain facts around it (Input), never a store, a window or a clock of its
// own, so the same Input always gives the same bytes.
package report

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"intakekiosk/consent"
	"intakekiosk/screening"
	"intakekiosk/summary"
)

// Notice is the 42 CFR Part 2 notice printed at the foot of every page:
// consent.Notice, the one text of it.
const Notice = consent.Notice

// Page geometry, in millimetres (US Letter).
const (
	pageW   = 215.9
	pageH   = 279.4
	marginL = 15.0
	marginR = 15.0
	marginT = 13.0
	contW   = pageW - marginL - marginR
	footerY = pageH - 25.0 // the footer's rule
	bottom  = footerY - 3  // content stops here
)

// Font family names registered in every document.
const (
	family = "go"
)

// Summary writes the screening summary of in as a PDF to w.
func Summary(w io.Writer, in summary.Input) error {
	if in.Session == nil {
		return summary.ErrNoSession
	}
	if in.Generated.IsZero() {
		return errors.New("report: no generation time given (the caller's clock)")
	}
	d := newDoc(in)
	d.summaryPage()
	d.answerPages()
	if d.pdf.Err() {
		err := d.pdf.Error()
		return fmt.Errorf("report: drawing the summary of session %s: %w", in.SessionID, err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("report: writing the summary of session %s: %w", in.SessionID, err)
	}
	return nil
}

// doc is one document being drawn: the words of its sheet and the PDF.
type doc struct {
	*summary.Sheet
	pdf *gofpdf.Fpdf
	in  summary.Input
	loc *time.Location
	// lang is the language the document is written in (the staff's).
	lang    string
	results []screening.Result
	// notesDone says the notes were drawn on page one.
	notesDone bool
	// cont, when set, heads a page that continues a table and returns the
	// y below its heading.
	cont func(y float64) float64
}

// newDoc prepares a PDF document for in.
func newDoc(in summary.Input) *doc {
	d := sheetDoc(summary.New(in))
	d.pdf = startPDF(d.T("staff.pdf.screening_summary"), in.Clinic, in.Generated, d.header, d.footer)
	return d
}

// sheetDoc is a document drawing the words of sh.
func sheetDoc(sh *summary.Sheet) *doc {
	return &doc{Sheet: sh, in: sh.Input(), loc: sh.Location(), lang: sh.Lang(), results: sh.Results()}
}

// startPDF starts a document of ours: US Letter, the margins, the
// embedded Go fonts (UTF-8), fixed dates and a sorted catalog (the same
// input gives the same bytes), the metadata, and the header and footer
// drawn on every page.
func startPDF(title, clinic string, generated time.Time, header, footer func()) *gofpdf.Fpdf {
	p := gofpdf.New("P", "mm", "Letter", "")
	p.SetMargins(marginL, marginT, marginR)
	p.SetAutoPageBreak(false, pageH-bottom)
	p.SetCellMargin(0)
	p.AddUTF8FontFromBytes(family, "", goregular.TTF)
	p.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	p.SetCreationDate(generated)
	p.SetModificationDate(generated)
	p.SetCatalogSort(true)
	p.SetTitle(title, true)
	p.SetCreator("Intake Kiosk", true)
	if clinic != "" {
		p.SetAuthor(clinic, true)
	}
	p.AliasNbPages("{nb}")
	p.SetHeaderFunc(header)
	p.SetFooterFunc(footer)
	return p
}

// header repeats who the record is about at the top of every page after
// the first, so a loose page is never anonymous.
func (d *doc) header() {
	d.runningHead(d.Birth() + d.T("staff.pdf.head_visit") + d.When(d.VisitStart(), "Jan 2, 2006"))
}

// runningHead draws the patient's name, and right on the same line what
// the document is, at the top of every page after the first.
func (d *doc) runningHead(right string) {
	if d.pdf.PageNo() == 1 {
		d.pdf.SetY(marginT)
		return
	}
	d.pdf.SetY(d.headLine(d.Name(), 10, right))
}

// headLine draws left in bold of size and right in grey on one line at
// the top of the page, a rule under them, and returns the y below.
func (d *doc) headLine(left string, size float64, right string) float64 {
	y := marginT
	d.font("B", size)
	d.color(ink)
	d.at(marginL, y, contW, 5, left, "L")
	d.font("", 8.5)
	d.color(grey)
	d.at(marginL, y, contW, 5, right, "R")
	d.rule(y+6.5, 0.3, lightGrey)
	return y + 10
}

// footer draws the clinic, page number, generation time and the 42 CFR
// Part 2 notice on every page.
func (d *doc) footer() {
	p := d.pdf
	y := footerY
	d.rule(y, 0.3, grey)
	y += 1.5
	d.font("B", 8)
	d.color(ink)
	d.at(marginL, y, 70, 4, d.clinic(), "L")
	d.font("", 8)
	d.color(grey)
	d.at(marginL, y, contW, 4, d.T("staff.pdf.generated")+d.When(d.in.Generated, "Jan 2, 2006 3:04 PM MST"), "C")
	// "{nb}" is wider than the number it becomes, so place the text by the
	// width of the widest page number rather than right-aligning it.
	d.font("B", 8)
	d.color(ink)
	page := d.T("staff.pdf.page_of_nb", p.PageNo())
	x := pageW - marginR - p.GetStringWidth(d.T("staff.pdf.page_99_of_99"))
	d.at(x, y, 40, 4, page, "L")
	y += 5
	d.font("", 7.5)
	d.color(ink)
	for _, l := range d.wrap(Notice, contW) {
		d.at(marginL, y, contW, 3.3, l, "L")
		y += 3.3
	}
}

func (d *doc) clinic() string {
	if d.in.Clinic == "" {
		return "Intake Kiosk"
	}
	return d.in.Clinic
}
