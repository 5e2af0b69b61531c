package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"intakekiosk/consent"
	"intakekiosk/screening"
	"intakekiosk/summary"
)

// ConsentInput is what the printed copy of a signed consent shows.
type ConsentInput struct {
	// Clinic is the clinic's name, printed on every page.
	Clinic string
	// Identity is who the patient said they are at the session that
	// holds the consent.
	Identity screening.Identity
	// History is the consent side of that session: the consent
	// (History.Consent, which must be set), when it was signed
	// (History.SignedAt) and its revocations. Its disclosures are the
	// accounting's (Disclosures), not printed here.
	History consent.History
	// Generated is the instant the copy is made (the caller's clock):
	// printed in the footer and used as the PDF's creation date.
	Generated time.Time
	// Location is the clinic's time zone, the times are shown in (nil:
	// UTC).
	Location *time.Location
	// Words is the catalog the labels come from (nil: the built-in one).
	// The consent's own words come from the record, never the catalog.
	Words summary.Words
}

// Errors of a consent that cannot be printed, matched with errors.Is.
var (
	// ErrNoConsent is a ConsentInput whose History holds no consent.
	ErrNoConsent = errors.New("report: no consent given")
	// ErrTextAltered is a consent whose text does not hash to the hash
	// it was signed with: what would print is not what was signed.
	ErrTextAltered = errors.New("report: the consent's text does not match its hash")
)

// Consent draws the signed consent of in as a PDF: a frozen copy of what
// the patient was shown and chose (REDCap e-Consent's model). Page one
// has the clinic, the patient's name and date of birth, when it was
// signed in the clinic's zone, the form's id and version, the SHA-256 of
// the text in full, the choices marked (the consent for treatment,
// payment and health care operations with its recipients, the people the
// patient named, or "I do not consent") and the signature drawn from its
// strokes in a bordered box. Then every line of the text as shown, the
// revocations recorded, and that counselors' notes are never disclosed;
// the 42 CFR Part 2 notice is at the foot of every page. The same input
// always gives the same bytes.
func Consent(in ConsentInput) ([]byte, error) {
	b, _, err := drawConsent(in)
	return b, err
}

// rect is a rectangle on a page, in millimetres.
type rect struct{ x, y, w, h float64 }

// consentLayout is where drawConsent put the signature box (for the
// tests, which count its ink).
type consentLayout struct {
	page int
	box  rect
}

// Signature box, in millimetres.
const (
	sigBoxW = 100.0
	sigBoxH = 34.0
	sigPad  = 2.5 // between the box and the strokes' room
	sigPen  = 0.5 // the pen's width
)

// sigInk is the colour of the signature: a pen's dark blue, which reads
// as signed on a colour print and stays dark on a black-and-white one.
var sigInk = rgb{20, 40, 125}

// drawConsent draws the consent and says where the signature box is.
func drawConsent(in ConsentInput) ([]byte, consentLayout, error) {
	c := in.History.Consent
	if c == nil {
		return nil, consentLayout{}, ErrNoConsent
	}
	if err := c.Check(); err != nil {
		return nil, consentLayout{}, fmt.Errorf("report: the consent of form %s version %d: %w", c.Form, c.Version, err)
	}
	if sum := sha256.Sum256([]byte(c.Text)); hex.EncodeToString(sum[:]) != strings.ToLower(c.Hash) {
		return nil, consentLayout{}, fmt.Errorf("form %s version %d: %w", c.Form, c.Version, ErrTextAltered)
	}
	if in.History.SignedAt.IsZero() {
		return nil, consentLayout{}, errors.New("report: the consent has no time it was signed")
	}
	p, err := newPartDoc(partInput{clinic: in.Clinic, identity: in.Identity, at: in.History.SignedAt,
		generated: in.Generated, loc: in.Location, words: in.Words, title: "staff.pdf.signed_consent"})
	if err != nil {
		return nil, consentLayout{}, err
	}
	p.head = p.T("staff.pdf.head_signed_consent") + p.When(in.History.SignedAt, "Jan 2, 2006")
	cd := &consentDoc{partDoc: p, c: c, h: &in.History}
	cd.pdf.AddPage()
	y := cd.identity()
	y = cd.choices(y)
	y = cd.signature(y)
	y = cd.text(y)
	y = cd.revocations(y)
	cd.notesNever(y)
	b, err := cd.output("signed consent")
	return b, cd.layout, err
}

// consentDoc is a signed consent being drawn.
type consentDoc struct {
	*partDoc
	c      *consent.Signed
	h      *consent.History
	layout consentLayout
}

// identity draws who signed what and when, and returns the y below.
func (d *consentDoc) identity() float64 {
	y := d.titleBlock(d.T("staff.pdf.42_cfr_part_2_consent"), d.T("staff.pdf.signed_consent"),
		d.T("staff.pdf.a_frozen_copy_of_what_the_patient_was_shown"))
	when := d.T("staff.pdf.signed")
	if d.c.Declined {
		when = d.T("staff.pdf.answered")
	}
	form := d.T("staff.pdf.form_version", d.c.Form, d.c.Version)
	if d.c.Lang != "" {
		form += d.T("staff.pdf.in_language", d.c.Lang)
	}
	return d.facts(y, [][2]string{
		{when, d.When(d.h.SignedAt, "Monday, January 2, 2006, 3:04 PM MST")},
		{d.T("staff.pdf.form"), form},
		{d.T("staff.pdf.sha_256_of_the_text"), strings.ToLower(d.c.Hash)},
	}) + 3
}

// choices draws each choice with a box marked or not, and returns the y
// below.
func (d *consentDoc) choices(y float64) float64 {
	y = d.section(y, d.T("staff.pdf.the_patient_s_choices"), 20)
	var rs []string
	for _, r := range d.c.Recipients {
		rs = append(rs, r.Name+": "+r.Purpose)
	}
	named := d.c.Named
	if len(named) == 0 {
		named = []string{d.T("staff.pdf.none_named")}
	}
	for _, ch := range []struct {
		on    bool
		label string
		items []string
	}{
		{d.c.TPO, d.T("staff.pdf.consent_for_treatment_payment_and_health_care"), rs},
		{len(d.c.Named) > 0, d.T("staff.pdf.consent_to_the_people_the_patient_named"), named},
		{d.c.Declined, d.T("staff.pdf.i_do_not_consent"), nil},
	} {
		y = d.choice(y, ch.on, ch.label, ch.items)
	}
	return y + 2
}

// choice draws one choice: a box (crossed when chosen), Yes or No, the
// choice's words and the recipients it names. It returns the y below.
func (d *consentDoc) choice(y float64, on bool, label string, items []string) float64 {
	const lh, box = 4.8, 3.6
	const textX = marginL + 18
	d.font("B", 10)
	ls := d.wrap(label, contW-18)
	y = d.need(y, float64(len(ls))*lh+float64(min(len(items), 2))*lh)
	bx, by := marginL+0.5, y+(lh-box)/2
	d.draw(ink)
	d.pdf.SetLineWidth(0.35)
	d.pdf.Rect(bx, by, box, box, "D")
	yes := d.T("staff.pdf.no")
	if on {
		yes = d.T("staff.pdf.yes")
		d.pdf.SetLineWidth(0.5)
		d.pdf.Line(bx+0.7, by+0.7, bx+box-0.7, by+box-0.7)
		d.pdf.Line(bx+box-0.7, by+0.7, bx+0.7, by+box-0.7)
	}
	d.color(ink)
	d.at(marginL+6, y, 11, lh, yes, "L")
	d.font("", 10)
	if !on {
		d.color(grey)
	}
	for _, l := range ls {
		d.at(textX, y, contW-18, lh, l, "L")
		y += lh
	}
	d.font("", 9.5)
	for _, it := range items {
		for i, l := range d.wrap(it, contW-24) {
			y = d.need(y, lh)
			if i == 0 {
				d.at(textX+1, y, 4, lh, "–", "L")
			}
			d.at(textX+5, y, contW-24, lh, l, "L")
			y += lh
		}
	}
	return y + 1.5
}

// signature draws the bordered signature box with the strokes drawn in
// it, scaled to fit keeping their aspect, and beside it how and when it
// was signed (or that nothing was). It returns the y below.
func (d *consentDoc) signature(y float64) float64 {
	y = d.section(y, d.T("staff.pdf.signature"), sigBoxH+2)
	b := rect{marginL, y, sigBoxW, sigBoxH}
	d.layout = consentLayout{page: d.pdf.PageNo(), box: b}
	d.fill(white)
	d.draw(grey)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Rect(b.x, b.y, b.w, b.h, "FD")
	d.strokes(d.c.Signature, b)

	x := b.x + b.w + 6
	w := contW - b.w - 6
	d.font("", 9.5)
	d.color(ink)
	ty := y + 1
	if d.c.Signature.IsZero() {
		d.lines(x, ty, w, 4.6, d.T("staff.pdf.not_signed_the_patient_did_not_consent"))
	} else {
		ty = d.lines(x, ty, w, 4.6, d.T("staff.pdf.drawn_with_a_finger_on_the_kiosk_s_signature_pad"))
		d.font("B", 9.5)
		d.lines(x, ty+1, w, 4.6, d.When(d.h.SignedAt, "Jan 2, 2006, 3:04 PM MST"))
	}
	return y + b.h + 6
}

// strokes draws a signature's strokes into the box b: the pad's W by H
// scaled to the box less its padding, keeping the aspect, centred; a
// one-point stroke is a dot.
func (d *consentDoc) strokes(s consent.Signature, b rect) {
	if s.IsZero() || s.W < 1 || s.H < 1 {
		return
	}
	rw, rh := b.w-2*sigPad, b.h-2*sigPad
	scale := min(rw/float64(s.W), rh/float64(s.H))
	ox := b.x + sigPad + (rw-scale*float64(s.W))/2
	oy := b.y + sigPad + (rh-scale*float64(s.H))/2
	pt := func(st consent.Stroke, i int) (float64, float64) {
		return ox + scale*float64(st[2*i]), oy + scale*float64(st[2*i+1])
	}
	pdf := d.pdf
	d.draw(sigInk)
	d.fill(sigInk)
	pdf.SetLineWidth(sigPen)
	pdf.SetLineCapStyle("round")
	pdf.SetLineJoinStyle("round")
	for _, st := range s.Strokes {
		n := len(st) / 2
		if n == 0 {
			continue
		}
		x, y := pt(st, 0)
		if n == 1 {
			pdf.Circle(x, y, sigPen/2, "F")
			continue
		}
		pdf.MoveTo(x, y)
		for i := 1; i < n; i++ {
			pdf.LineTo(pt(st, i))
		}
		pdf.DrawPath("D")
	}
	pdf.SetLineCapStyle("butt")
	pdf.SetLineJoinStyle("miter")
}

// text draws every line of the text signed, as it was shown and in its
// order: the first, the form's title, as a heading. A line wraps to the
// column as a paragraph kept on one page (one taller than a page flows
// over), a gap parting it from the next, so the lines read back in order
// whole. It returns the y below.
func (d *consentDoc) text(y float64) float64 {
	y = d.section(y, d.T("staff.pdf.the_text_shown_to_the_patient"), 15)
	d.font("", 8.5)
	d.color(grey)
	y = d.lines(marginL, y, contW, 4, d.T("staff.pdf.every_line_as_shown_in_order")) + 2.5
	for i, line := range strings.Split(d.c.Text, "\n") {
		d.color(ink)
		if i == 0 {
			d.font("B", 12)
			y = d.para(y, marginL, contW, 5.6, line) + 4
			continue
		}
		d.font("", 10)
		y = d.need(y, min(float64(len(d.wrap(line, contW)))*4.7, bottom-marginT-20))
		y = d.para(y, marginL, contW, 4.7, line) + 3
	}
	return y + 2
}

// revocations draws the revocations recorded, oldest first (the order
// recorded), and returns the y below.
func (d *consentDoc) revocations(y float64) float64 {
	y = d.section(y, d.T("staff.pdf.revocations"), 10)
	d.font("", 10)
	d.color(ink)
	if len(d.h.Revocations) == 0 {
		return d.para(y, marginL, contW, 4.8, d.T("staff.pdf.none_recorded_the_consent_stands_as_signed")) + 4
	}
	for _, r := range d.h.Revocations {
		what := d.T("staff.pdf.the_whole_consent")
		if !r.All {
			what = d.T("staff.pdf.only", recipientName(r.To, d.c))
		}
		s := d.T("staff.pdf.revocation_asked_recorded_by", what, d.When(r.Asked, "Jan 2, 2006"),
			d.When(r.At, "Jan 2, 2006, 3:04 PM MST"), r.By)
		y = d.para(y, marginL, contW, 4.8, s) + 1.5
	}
	return y + 3
}
