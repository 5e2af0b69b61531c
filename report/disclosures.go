package report

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"intakekiosk/consent"
	"intakekiosk/screening"
	"intakekiosk/summary"
)

// AccountingInput is what the accounting of disclosures for one patient
// shows (42 CFR 2.24 and 2.25).
type AccountingInput struct {
	// Clinic is the clinic's name, printed on every page.
	Clinic string
	// Identity is who the patient is.
	Identity screening.Identity
	// Histories are the consent side of each of the patient's sessions,
	// in any order: their disclosures and the consents they were made
	// under.
	Histories []consent.History
	// From and To are the period (the caller passes the last three
	// years): disclosures recorded outside it, ends included, are left
	// out. To zero is Generated.
	From, To time.Time
	// Generated is the instant the accounting is made (the caller's
	// clock): printed on every page and used as the PDF's creation date.
	Generated time.Time
	// Location is the clinic's time zone, the times are shown in (nil:
	// UTC).
	Location *time.Location
	// Words is the catalog the labels come from (nil: the built-in one).
	Words summary.Words
}

// Disclosures draws the accounting of disclosures of in as a PDF: the
// clinic, the patient's name and date of birth, the period and when it
// was made; a table of the disclosures in the period, newest first, one
// row each (its date and time, the recipient, what was disclosed, by
// whom, and the basis: the consent it was made under, by date, version
// and the start of its hash, or a medical emergency under §2.51 with its
// reason), its heading repeated on each page it flows over; then the
// patient's own copies, apart, since they are the patient's access and
// not disclosures. Every page has the 42 CFR Part 2 notice and "Page N of
// M" at its foot. The same input always gives the same bytes.
func Disclosures(in AccountingInput) ([]byte, error) {
	to := in.To
	if to.IsZero() {
		to = in.Generated
	}
	switch {
	case in.From.IsZero():
		return nil, errors.New("report: the accounting of disclosures has no start of its period")
	case to.Before(in.From):
		return nil, fmt.Errorf("report: the accounting's period ends (%s) before it starts (%s)",
			to.Format(time.RFC3339), in.From.Format(time.RFC3339))
	}
	p, err := newPartDoc(partInput{clinic: in.Clinic, identity: in.Identity, at: in.Generated,
		generated: in.Generated, loc: in.Location, words: in.Words, title: "staff.pdf.accounting_of_disclosures"})
	if err != nil {
		return nil, err
	}
	period := p.T("staff.pdf.period_from_to", p.When(in.From, "Jan 2, 2006"), p.When(to, "Jan 2, 2006"))
	p.head = p.T("staff.pdf.head_disclosures") + period
	a := &accountingDoc{partDoc: p}
	a.rows, a.copies = a.collect(in.Histories, in.From, to)
	a.pdf.AddPage()
	y := a.titleBlock(p.T("staff.pdf.42_cfr_2_24_accounting"), p.T("staff.pdf.accounting_of_disclosures"),
		p.T("staff.pdf.every_disclosure_of_this_patient_s_records"))
	y = a.facts(y, [][2]string{
		{p.T("staff.pdf.period"), period},
		{strings.TrimSpace(p.T("staff.pdf.generated")), p.When(in.Generated, "Jan 2, 2006, 3:04 PM MST")},
	}) + 3
	y = a.table(y)
	y = a.ownCopies(y)
	a.notesNever(y)
	return a.output("accounting of disclosures")
}

// accountingDoc is an accounting of disclosures being drawn.
type accountingDoc struct {
	*partDoc
	// rows are the disclosures in the period, newest first; copies the
	// patient's own, the same way.
	rows, copies []disclosureRow
}

// disclosureRow is one disclosure in words.
type disclosureRow struct {
	at                 time.Time
	when, to, what, by string
	basis              string
}

// collect words the disclosures of the period, newest first, the
// patient's own copies apart.
func (a *accountingDoc) collect(hs []consent.History, from, to time.Time) (rows, copies []disclosureRow) {
	var signed []*consent.Signed
	for i := range hs {
		signed = append(signed, hs[i].Consent)
	}
	for i := range hs {
		h := &hs[i]
		for _, d := range h.Disclosures {
			if d.At.Before(from) || d.At.After(to) {
				continue
			}
			r := disclosureRow{at: d.At, when: a.When(d.At, "Jan 2, 2006, 3:04 PM MST"), what: d.What, by: d.By}
			if d.Basis == consent.Access || d.To.Kind == consent.Patient {
				copies = append(copies, r)
				continue
			}
			r.when = a.When(d.At, "Jan 2, 2006") + "\n" + a.When(d.At, "3:04 PM MST") // the date on a line of its own
			r.to = recipientName(d.To, append([]*consent.Signed{h.Consent}, signed...)...)
			r.basis = a.basis(d.Disclosure, h, hs)
			rows = append(rows, r)
		}
	}
	newest := func(x, y disclosureRow) int { return y.at.Compare(x.at) }
	slices.SortStableFunc(rows, newest)
	slices.SortStableFunc(copies, newest)
	return rows, copies
}

// basis words why a disclosure was allowed: the consent it was made
// under (its session's, else another session's of the same hash and
// version), or the medical emergency and its reason.
func (a *accountingDoc) basis(d consent.Disclosure, h *consent.History, hs []consent.History) string {
	switch d.Basis {
	case consent.Emergency:
		return a.T("staff.pdf.medical_emergency_2_51", d.Reason)
	case consent.ByConsent:
		short := strings.ToLower(d.Hash)
		if len(short) > 12 {
			short = short[:12]
		}
		same := func(h *consent.History) bool {
			return h.Consent != nil && strings.EqualFold(h.Consent.Hash, d.Hash) && h.Consent.Version == d.Version
		}
		if !same(h) {
			h = nil
			for i := range hs {
				if same(&hs[i]) {
					h = &hs[i]
					break
				}
			}
		}
		if h == nil {
			return a.T("staff.pdf.under_the_consent_version", d.Version, short)
		}
		return a.T("staff.pdf.under_the_consent_of", a.When(h.SignedAt, "Jan 2, 2006"), d.Version, short)
	}
	return string(d.Basis)
}

// discColumn is one column of the table: its heading, its share of the
// width and what of a row it shows.
type discColumn struct {
	head string
	w    float64
	cell func(disclosureRow) string
}

// Table of disclosures, in millimetres and points.
const (
	discLH   = 3.9 // a line of a cell
	discPad  = 1.4 // above and below a row's text
	discGap  = 2.5 // between columns
	discSize = 8.5
)

// columns are the table's columns, their widths summing to the column
// of text.
func (a *accountingDoc) columns() []discColumn {
	return []discColumn{
		{a.T("staff.pdf.date_and_time"), 30, func(r disclosureRow) string { return r.when }},
		{a.T("staff.pdf.recipient"), 38, func(r disclosureRow) string { return r.to }},
		{a.T("staff.pdf.what_was_disclosed"), 42, func(r disclosureRow) string { return r.what }},
		{a.T("staff.pdf.by"), 26, func(r disclosureRow) string { return r.by }},
		{a.T("staff.pdf.basis"), contW - 30 - 38 - 42 - 26, func(r disclosureRow) string { return r.basis }},
	}
}

// table draws the disclosures, newest first, its heading on each page
// it flows over, or that there were none; it returns the y below.
func (a *accountingDoc) table(y float64) float64 {
	if len(a.rows) == 0 {
		y = a.section(y, a.T("staff.pdf.disclosures"), 6)
		a.font("B", 10)
		a.color(ink)
		return a.para(y, marginL, contW, 5, a.T("staff.pdf.no_disclosures_in_this_period")) + 5
	}
	cols := a.columns()
	y = a.section(y, a.T("staff.pdf.disclosures_newest_first", len(a.rows)), 20)
	y = a.tableHead(y, cols)
	a.continueTable(a.T("staff.pdf.disclosures_continued"), func(y float64) float64 { return a.tableHead(y, cols) })
	for i, r := range a.rows {
		cells := make([][]string, len(cols))
		n := 1
		a.font("", discSize)
		for c, col := range cols {
			cells[c] = a.wrap(col.cell(r), col.w-discGap)
			n = max(n, len(cells[c]))
		}
		h := float64(n)*discLH + 2*discPad
		y = a.need(y, h)
		if i%2 == 1 {
			a.box(marginL, y, contW, h, rgb{246, 246, 246})
		}
		a.font("", discSize)
		a.color(ink)
		x := marginL
		for c, col := range cols {
			ly := y + discPad
			for _, l := range cells[c] {
				a.at(x, ly, col.w-discGap, discLH, l, "L")
				ly += discLH
			}
			x += col.w
		}
		y += h
		a.rule(y, 0.2, lightGrey)
	}
	a.cont = nil
	return y + 6
}

// tableHead draws the table's heading row and returns the y below it.
func (a *accountingDoc) tableHead(y float64, cols []discColumn) float64 {
	const h = 6.0
	a.box(marginL, y, contW, h, paleGrey)
	a.font("B", 8)
	a.color(ink)
	x := marginL
	for _, c := range cols {
		a.at(x, y, c.w-discGap, h, c.head, "L")
		x += c.w
	}
	return y + h + 0.5
}

// ownCopies lists the patient's own copies in the period (their access,
// not disclosures), newest first, and returns the y below.
func (a *accountingDoc) ownCopies(y float64) float64 {
	y = a.section(y, a.T("staff.pdf.the_patient_s_own_copies"), 6)
	a.font("", 9.5)
	a.color(ink)
	if len(a.copies) == 0 {
		return a.para(y, marginL, contW, 4.6, a.T("staff.pdf.none_in_this_period")) + 4
	}
	for _, r := range a.copies {
		y = a.para(y, marginL, contW, 4.6, a.T("staff.pdf.own_copy_given_by", r.when, r.what, r.by)) + 0.8
	}
	return y + 4
}
