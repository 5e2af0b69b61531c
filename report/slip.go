package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
	"intakekiosk/summary"
)

// SlipInput is what a patient's check-in code slip shows.
type SlipInput struct {
	// Clinic is the clinic's name, at the top of the slip.
	Clinic string
	// Code is the 8-character check-in code (spaces and hyphens are
	// ignored, letters may be in either case).
	Code string
	// Generated is the instant the slip is made (the caller's clock): the
	// date it was given, and the PDF's creation date.
	Generated time.Time
	// Location is the time zone the date is shown in (nil: UTC).
	Location *time.Location
	// Words is the catalog the phrases come from (nil: the built-in one).
	Words summary.Words
}

// CodeAlphabet is the characters a check-in code is made of: no 0, 1, O,
// I, L or U, so that no two read alike.
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeLen is the length of a check-in code.
const codeLen = 8

// Slip page geometry, in millimetres (half letter, 5.5 x 8.5 in).
const (
	slipW     = 139.7
	slipH     = 215.9
	slipM     = 12.0
	slipContW = slipW - 2*slipM
	monoFont  = "gomono"
)

// CodeSlip writes the slip a patient takes home with their check-in code
// as a PDF to w: the clinic, the code in large type in two groups of four,
// how to use it, and the crisis line. It carries no name, since a slip may
// be lost.
func CodeSlip(w io.Writer, in SlipInput) error {
	if in.Generated.IsZero() {
		return errors.New("report: no generation time given (the caller's clock)")
	}
	code, err := normalCode(in.Code)
	if err != nil {
		return fmt.Errorf("report: code slip: %w", err)
	}
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	f := gofpdf.NewCustom(&gofpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "mm",
		Size:           gofpdf.SizeType{Wd: slipW, Ht: slipH},
	})
	f.SetMargins(slipM, slipM, slipM)
	f.SetAutoPageBreak(false, slipM)
	f.SetCellMargin(0)
	f.AddUTF8FontFromBytes(family, "", goregular.TTF)
	f.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	// gofpdf writes into the font bytes it is given while it subsets a
	// monospaced font (its hmtx reader appends to a slice of them), so it
	// gets a copy: the package's font stays intact and every slip starts
	// from the same bytes.
	f.AddUTF8FontFromBytes(monoFont, "B", bytes.Clone(gomonobold.TTF))
	f.SetCreationDate(in.Generated)
	f.SetModificationDate(in.Generated)
	f.SetCatalogSort(true)
	d := sheetDoc(summary.New(summary.Input{Clinic: in.Clinic, Location: loc, Words: in.Words}))
	d.pdf = f
	f.SetTitle(d.T("staff.pdf.your_check_in_code"), true)
	f.SetCreator("Intake Kiosk", true)
	f.AddPage()
	d.slip(code, in.Generated)
	if f.Err() {
		return fmt.Errorf("report: drawing the code slip: %w", f.Error())
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("report: writing the code slip: %w", err)
	}
	return nil
}

// normalCode checks a check-in code and returns it in capitals without
// spaces or hyphens.
func normalCode(code string) (string, error) {
	c := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(code))
	if n := utf8.RuneCountInString(c); n != codeLen {
		return "", fmt.Errorf("a check-in code has %d characters, not %d", codeLen, n)
	}
	for _, r := range c {
		if !strings.ContainsRune(CodeAlphabet, r) {
			return "", fmt.Errorf("%q is not a check-in code character (%s)", r, CodeAlphabet)
		}
	}
	return c, nil
}

// groupCode writes a code in groups of four: "K7QM 2XPA".
func groupCode(code string) string {
	return code[:4] + " " + code[4:]
}

// slip draws the slip's page.
func (d *doc) slip(code string, generated time.Time) {
	x, w := slipM, slipContW
	y := slipM + 2
	d.font("B", 13)
	d.color(ink)
	y = d.centred(x, y, w, 6, d.clinic())
	d.draw(lightGrey)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(x, y+2, x+w, y+2)
	y += 12

	d.font("B", 20)
	d.at(x, y, w, 9, d.T("staff.pdf.your_check_in_code"), "C")
	y += 14

	// the code in two boxed groups of four, in a monospaced face so every
	// character has the same room
	const boxW, gap, boxH = 50.0, 8.0, 24.0
	bx := x + (w-(2*boxW+gap))/2
	for i, group := range []string{code[:4], code[4:]} {
		gx := bx + float64(i)*(boxW+gap)
		d.fill(rgb{246, 246, 246})
		d.draw(ink)
		d.pdf.SetLineWidth(0.5)
		d.pdf.RoundedRect(gx, y, boxW, boxH, 2, "1234", d.T("staff.pdf.fd"))
		d.pdf.SetFont(monoFont, "B", 50)
		d.color(ink)
		d.at(gx, y+0.8, boxW, boxH, group, "C")
	}
	y += boxH + 3
	d.font("", 8.5)
	d.color(grey)
	d.at(x, y, w, 4.5, d.T("staff.pdf.8_characters_no_0_1_o_i_or_l"), "C")
	y += 13

	d.font("B", 12)
	d.color(ink)
	d.at(x, y, w, 6, d.T("staff.pdf.how_to_use_it"), "L")
	y += 7
	d.font("", 12)
	y = d.lines(x, y, w, 6, d.T("staff.pdf.at_the_kiosk_tap_daily_check_in_and_type_this_co"))
	y += 2
	d.font("B", 12)
	y = d.lines(x, y, w, 6, d.T("staff.pdf.keep_it_private_it_is_your_key_to_your_check_ins"))
	y += 2
	d.font("", 10)
	d.color(grey)
	y = d.lines(x, y, w, 5, d.T("staff.pdf.lost_it_ask_the_front_desk"))
	y += 12

	// the crisis line, boxed so it is found at a glance
	crisis := d.T("staff.pdf.if_you_are_thinking_about_harming_yourself_tell")
	d.font("B", 11)
	ls := d.wrap(crisis, w-12)
	h := float64(len(ls))*5.4 + 11
	d.box(x, y, w, h, urgentBg)
	d.box(x, y, 3, h, urgentRed)
	d.font("B", 10)
	d.color(urgentRed)
	d.at(x+7, y+2, w-10, 5, d.T("staff.pdf.need_help_now"), "L")
	d.font("B", 11)
	d.color(ink)
	ly := y + 7.5
	for _, l := range ls {
		d.at(x+7, ly, w-12, 5.4, l, "L")
		ly += 5.4
	}

	d.font("", 7.5)
	d.color(grey)
	d.at(x, slipH-slipM-4, w, 4, "Intake Kiosk", "L")
	d.at(x, slipH-slipM-4, w, 4, d.T("staff.pdf.given")+d.When(generated, "Jan 2, 2006"), "R")
}

// centred writes text centred in width w, wrapped, and returns the y
// below it.
func (d *doc) centred(x, y, w, lh float64, s string) float64 {
	for _, l := range d.wrap(s, w) {
		d.at(x, y, w, lh, l, "C")
		y += lh
	}
	return y
}
