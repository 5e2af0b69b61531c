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

	"intakekiosk/screening"
)

// Notice is the 42 CFR Part 2 notice printed at the foot of every page.
const Notice = "This record is protected by federal confidentiality rules (42 CFR Part 2). " +
	"Federal law prohibits redisclosure without the patient's written consent or as otherwise permitted."

// Input is everything a summary shows. It holds values only.
type Input struct {
	// Clinic is the clinic's name, printed on every page.
	Clinic string
	// Identity is who the patient said they are.
	Identity screening.Identity
	// SessionID is the session's id, printed small for look-up.
	SessionID string
	// Started and Completed are when the session began and was submitted
	// (Completed zero: the patient did not finish, and the summary says
	// so). "Hours ago" answers are read as of Completed, else Started.
	Started, Completed time.Time
	// Urgent is the session's urgent mark in the staff queue. A summary
	// opens with the urgent banner when it is set, when HelpRequested, or
	// when any urgent or crisis flag is raised.
	Urgent bool
	// HelpRequested says the patient pressed "I need help now".
	HelpRequested bool
	// Session holds the instruments and answers; it is only read.
	Session *screening.Session
	// Notes are the counselors' notes, oldest first: printed after the
	// summary, never mixed with what the patient entered.
	Notes []Note
	// Generated is the instant the summary is made (the caller's clock):
	// printed in the footer and used as the PDF's creation date.
	Generated time.Time
	// Location is the time zone times are shown in (nil: UTC).
	Location *time.Location
	// Lang is the language the patient answered in (empty: "en"). The
	// summary is for staff: its words and the questions are in English;
	// a patient's choices are printed in their language with the English
	// after them, "Varios días (Several days)".
	Lang string
}

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
func Summary(w io.Writer, in Input) error {
	if in.Session == nil {
		return errors.New("report: no session given")
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

// doc is one summary being drawn.
type doc struct {
	pdf  *gofpdf.Fpdf
	in   Input
	loc  *time.Location
	lang string
	// answerLang is the language the patient answered in
	answerLang string
	// visit is the instant answers are read at (Completed, else Started,
	// else Generated).
	visit   time.Time
	results []screening.Result
	// asked holds the items asked, given branching.
	asked map[screening.Key]screening.Step
	// notesDone says the notes were drawn on page one.
	notesDone bool
	// cont, when set, heads a page that continues a table and returns the
	// y below its heading.
	cont func(y float64) float64
}

// newDoc prepares a PDF document for in.
func newDoc(in Input) *doc {
	d := newWords(in)
	d.pdf = newPDF(in, d)
	return d
}

// newWords prepares the words of a summary of in, without a PDF.
func newWords(in Input) *doc {
	d := &doc{in: in, loc: in.Location, lang: "en", answerLang: in.Lang}
	if d.loc == nil {
		d.loc = time.UTC
	}
	if d.lang == "" {
		d.lang = "en"
	}
	switch {
	case !in.Completed.IsZero():
		d.visit = in.Completed
	case !in.Started.IsZero():
		d.visit = in.Started
	default:
		d.visit = in.Generated
	}
	d.results = in.Session.Results(d.visit)
	d.asked = map[screening.Key]screening.Step{}
	for _, st := range in.Session.Steps(d.visit) {
		d.asked[st.Key()] = st
	}
	return d
}

// newPDF starts the PDF of d: page, fonts, metadata, header and footer.
func newPDF(in Input, d *doc) *gofpdf.Fpdf {
	return startPDF("Screening summary", in.Clinic, in.Generated, d.header, d.footer)
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
	d.runningHead(d.birthLine() + "  ·  visit " + d.when(d.visitStart(), "Jan 2, 2006"))
}

// runningHead draws the patient's name, and right on the same line what
// the document is, at the top of every page after the first.
func (d *doc) runningHead(right string) {
	if d.pdf.PageNo() == 1 {
		d.pdf.SetY(marginT)
		return
	}
	y := marginT
	d.font("B", 10)
	d.color(ink)
	d.at(marginL, y, contW, 5, d.name(), "L")
	d.font("", 8.5)
	d.color(grey)
	d.at(marginL, y, contW, 5, right, "R")
	d.rule(y+6.5, 0.3, lightGrey)
	d.pdf.SetY(y + 10)
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
	d.at(marginL, y, contW, 4, "Generated "+d.when(d.in.Generated, "Jan 2, 2006 3:04 PM MST"), "C")
	// "{nb}" is wider than the number it becomes, so place the text by the
	// width of the widest page number rather than right-aligning it.
	d.font("B", 8)
	d.color(ink)
	page := fmt.Sprintf("Page %d of {nb}", p.PageNo())
	x := pageW - marginR - p.GetStringWidth("Page 99 of 99")
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
