package report

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"intakekiosk/consent"
	"intakekiosk/screening"
	"intakekiosk/summary"
)

// partDoc is one of the 42 CFR Part 2 documents being drawn (the signed
// consent, the accounting of disclosures): the summary's drawing helpers
// and footer, a running head of its own on the pages after the first.
type partDoc struct {
	*doc
	// head is what the running head says right of the patient's name.
	head string
}

// partInput is what both Part 2 documents start from.
type partInput struct {
	clinic    string
	identity  screening.Identity
	at        time.Time // the instant the age is worked out at
	generated time.Time
	loc       *time.Location
	words     summary.Words
	title     string // the PDF's title, a catalog key
}

// newPartDoc starts a Part 2 document: the words of who it is about, and
// the PDF with its header and footer.
func newPartDoc(in partInput) (*partDoc, error) {
	if in.generated.IsZero() {
		return nil, errors.New("report: no generation time given (the caller's clock)")
	}
	loc := in.loc
	if loc == nil {
		loc = time.UTC
	}
	d := sheetDoc(summary.New(summary.Input{Clinic: in.clinic, Identity: in.identity, Started: in.at,
		Generated: in.generated, Location: loc, Words: in.words}))
	p := &partDoc{doc: d}
	d.pdf = startPDF(d.T(in.title), in.clinic, in.generated, p.header, d.footer)
	return p, nil
}

// header repeats who the document is about on every page after the first.
func (p *partDoc) header() { p.runningHead(p.Birth() + p.head) }

// output is the document's bytes, or the error gofpdf met, named by what.
func (p *partDoc) output(what string) ([]byte, error) {
	if p.pdf.Err() {
		return nil, fmt.Errorf("report: drawing the %s: %w", what, p.pdf.Error())
	}
	var b bytes.Buffer
	if err := p.pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("report: writing the %s: %w", what, err)
	}
	return b.Bytes(), nil
}

// titleBlock draws the top of page one: the clinic and what the
// document is under 42 CFR Part 2, its title and what it is, the
// patient's name and date of birth. It returns the y below.
func (p *partDoc) titleBlock(rule, title, sub string) float64 {
	y := p.headLine(p.clinic(), 11, rule)
	p.font("B", 17)
	p.color(ink)
	p.at(marginL, y, contW, 8, title, "L")
	y += 8.5
	p.font("", 9.5)
	p.color(grey)
	y = p.lines(marginL, y, contW, 4.4, sub) + 3
	p.font("B", 13)
	p.color(ink)
	p.at(marginL, y, contW, 6, p.Name(), "L")
	y += 6
	p.font("", 10)
	p.at(marginL, y, contW, 5, p.Birth(), "L")
	return y + 7
}

// factsLabelW is the width of the labels of a facts block.
const factsLabelW = 42.0

// facts draws label and value rows, the values wrapped, and returns the y
// below.
func (p *partDoc) facts(y float64, rows [][2]string) float64 {
	const lh = 4.8
	for _, r := range rows {
		p.font("", 9)
		p.color(grey)
		p.at(marginL, y, factsLabelW, lh, r[0], "L")
		p.font("", 10)
		p.color(ink)
		y = p.lines(marginL+factsLabelW, y, contW-factsLabelW, lh, r[1]) + 0.8
	}
	return y
}

// section draws a section's heading, on a new page when it and need
// millimetres below it do not fit, and returns the y below it.
func (p *partDoc) section(y float64, title string, need float64) float64 {
	y = p.need(y, 9+need)
	p.font("B", 12)
	p.color(ink)
	p.at(marginL, y, contW, 6, title, "L")
	p.rule(y+6.8, 0.3, lightGrey)
	return y + 9
}

// para draws wrapped text that may flow over pages, line by line, and
// returns the y below it.
func (p *partDoc) para(y, x, w, lh float64, s string) float64 {
	for _, l := range p.wrap(s, w) {
		y = p.need(y, lh)
		p.at(x, y, w, lh, l, "L")
		y += lh
	}
	return y
}

// notesNever draws the statement that counselors' notes are never
// disclosed, in a shaded box, and returns the y below it.
func (p *partDoc) notesNever(y float64) float64 {
	s := p.T("staff.pdf.counselors_notes_are_never_disclosed")
	p.font("B", 10)
	ls := p.wrap(s, contW-10)
	h := float64(len(ls))*4.8 + 5
	y = p.need(y, h)
	p.box(marginL, y, contW, h, paleGrey)
	p.box(marginL, y, 1.5, h, grey)
	p.color(ink)
	ly := y + 2.5
	for _, l := range ls {
		p.at(marginL+6, ly, contW-10, 4.8, l, "L")
		ly += 4.8
	}
	return y + h + 4
}

// recipientName names a recipient as staff read it (consent.To.String),
// a clinic recipient kept by id alone named from the consents that list
// it.
func recipientName(to consent.To, signed ...*consent.Signed) string {
	if to.Kind == consent.Clinic && to.Name == "" {
		for _, c := range signed {
			if c == nil {
				continue
			}
			for _, r := range c.Recipients {
				if r.ID == to.ID {
					to.Name = r.Name
					return to.String()
				}
			}
		}
	}
	return to.String()
}
