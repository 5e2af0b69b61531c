package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"intakekiosk/assets"
	"intakekiosk/consent"
	"intakekiosk/internal/testtool"
	"intakekiosk/screening"
)

// signedAt is when the made-up patient signed, 9:12 AM in the clinic's
// zone.
var signedAt = time.Date(2026, 3, 2, 15, 12, 0, 0, time.UTC)

// builtinForm is the built-in consent form in lang.
func builtinForm(tb testing.TB, lang string) *consent.Form {
	tb.Helper()
	set, errs := consent.Load([]string{"en", "es"}, consent.Source{Name: "built-in", FS: assets.Consents()})
	if len(errs) > 0 {
		tb.Fatalf("the built-in consent forms: %v", errs)
	}
	f, ok := set.Form(consent.MainForm, lang)
	if !ok {
		tb.Fatalf("no built-in form %s in %s", consent.MainForm, lang)
	}
	return f
}

// testSignature is a signature drawn on a 600 by 200 pad: a looped
// capital, a wave of letters and an underline, as a finger draws them.
func testSignature() consent.Signature {
	var loop, wave, line consent.Stroke
	for i := 0; i <= 60; i++ {
		a := float64(i) / 60 * 2 * math.Pi
		loop = append(loop, 70+int(45*math.Sin(a)), 100-int(70*math.Cos(a)*0.9))
	}
	for i := 0; i <= 120; i++ {
		x := 130 + 3*i
		wave = append(wave, x, 110+int(35*math.Sin(float64(i)/6))-i/8)
	}
	for x := 60; x <= 540; x += 20 {
		line = append(line, x, 175-x/60)
	}
	return consent.Signature{W: 600, H: 200, Strokes: []consent.Stroke{loop, wave, line, {560, 120}}}
}

// signedBy is what a patient signed on form f: the consent for
// treatment, payment and health care operations when tpo, the people
// named, or a decline when neither.
func signedBy(f *consent.Form, tpo bool, named ...string) *consent.Signed {
	s := &consent.Signed{Form: f.ID, Version: f.Version, Lang: f.Language, Hash: f.Hash(), Text: f.Text(),
		TPO: tpo, Named: named}
	if tpo {
		s.Recipients = f.Recipients
	}
	if !tpo && len(named) == 0 {
		s.Declined = true
	} else {
		s.Signature = testSignature()
	}
	return s
}

// consentInput is the made-up patient's consent.
func consentInput(c *consent.Signed, revs ...consent.Revoked) ConsentInput {
	return ConsentInput{
		Clinic:    "Clínica Esperanza — Riverside",
		Identity:  screening.Identity{First: "José", Last: "Núñez", Birth: "1988-04-12"},
		History:   consent.History{Consent: c, SignedAt: signedAt, Revocations: revs},
		Generated: generated.Add(48 * time.Hour),
		Location:  zone,
	}
}

// renderConsent draws a consent and fails the test on error.
func renderConsent(tb testing.TB, in ConsentInput) ([]byte, consentLayout) {
	tb.Helper()
	pdf, layout, err := drawConsent(in)
	if err != nil {
		tb.Fatalf("Consent: %v", err)
	}
	return pdf, layout
}

func TestConsentText(t *testing.T) {
	en, es := builtinForm(t, "en"), builtinForm(t, "es")
	billing := consent.Revoked{At: signedAt.Add(9 * 24 * time.Hour), Revocation: consent.Revocation{
		To: consent.To{Kind: consent.Clinic, ID: "billing"}, Asked: time.Date(2026, 3, 11, 0, 0, 0, 0, zone), By: "Sam Lee"}}
	all := consent.Revoked{At: signedAt.Add(20 * 24 * time.Hour), Revocation: consent.Revocation{
		All: true, Asked: time.Date(2026, 3, 22, 0, 0, 0, 0, zone), By: "Ana Ruiz"}}
	for _, tc := range []struct {
		name string
		in   ConsentInput
		want []string // besides every line of the text, the hash and the names
		not  []string
	}{
		{"tpo and named", consentInput(signedBy(en, true, "Dr. Alice Park", "Rosa Núñez (sister)")),
			[]string{"Yes Consent for treatment, payment and health care operations, to the clinic's recipients:",
				"– Our billing service: to bill your insurance for your care",
				"Yes Consent to the people the patient named: – Dr. Alice Park – Rosa Núñez (sister)",
				"No I do not consent.", "Drawn with a finger on the kiosk's signature pad.", "Mar 2, 2026, 9:12 AM CST",
				"None recorded: the consent stands as signed."},
			[]string{"Not signed"}},
		{"tpo only, revoked in part then whole", consentInput(signedBy(en, true), billing, all),
			[]string{"Yes Consent for treatment", "No Consent to the people the patient named: – none named",
				"Our billing service only: the patient asked on Mar 11, 2026; recorded Mar 11, 2026, 9:12 AM CST by Sam Lee.",
				"The whole consent: the patient asked on Mar 22, 2026; recorded Mar 22, 2026, 9:12 AM CST by Ana Ruiz."},
			[]string{"None recorded"}},
		{"named only", consentInput(signedBy(en, false, "Dr. Alice Park")),
			[]string{"No Consent for treatment", "Yes Consent to the people the patient named: – Dr. Alice Park", "No I do not consent."},
			[]string{"– Our billing service"}},
		{"declined", consentInput(signedBy(en, false)),
			[]string{"No Consent for treatment", "Yes I do not consent.", "Answered Monday, March 2, 2026, 9:12 AM CST",
				"Not signed: the patient did not consent, so there was nothing to sign."},
			[]string{"Drawn with a finger"}},
		{"in Spanish", consentInput(signedBy(es, true)),
			[]string{"part2, version 1, language es", "Yes Consent for treatment"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.in.History.Consent
			pdf, _ := renderConsent(t, tc.in)
			pages := pdfPages(t, pdf)
			all := flat(strings.Join(bodyLines(pages), "\n"))
			want := append([]string{
				"Clínica Esperanza — Riverside", "Signed consent", "José Núñez", "Born Apr 12, 1988 (age 37)",
				"Monday, March 2, 2026, 9:12 AM CST", "Form part2, version 1",
				"SHA-256 of the text " + c.Hash,
				"Counselors' notes are never disclosed",
			}, tc.want...)
			for _, line := range strings.Split(c.Text, "\n") {
				want = append(want, flat(line))
			}
			for _, s := range want {
				if !strings.Contains(all, flat(s)) {
					t.Errorf("the consent lacks %q:\n%s", s, all)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(all, s) {
					t.Errorf("the consent shows %q", s)
				}
			}
			for i, p := range pages {
				if !strings.Contains(flat(p), flat(Notice)) || !strings.Contains(p, "Clínica Esperanza — Riverside") {
					t.Errorf("page %d lacks the Part 2 notice or the clinic in its footer", i+1)
				}
				if want := "Page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(pages)); !strings.Contains(p, want) {
					t.Errorf("page %d lacks %q", i+1, want)
				}
			}
			if again, _ := renderConsent(t, tc.in); string(again) != string(pdf) {
				t.Error("two renderings of the same consent differ")
			}
		})
	}
}

// TestConsentHashFromPDF reads the text signed back out of the PDF, from
// its heading to the revocations, each line of the text a paragraph
// (pdftotext -layout parts paragraphs with a blank line, and a page ends
// one: the consent keeps a paragraph on one page), and finds that
// its SHA-256 is the hash the consent was signed with, and the hash
// printed.
func TestConsentHashFromPDF(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			c := signedBy(builtinForm(t, lang), true, "Dr. Alice Park")
			pdf, _ := renderConsent(t, consentInput(c))
			text := strings.Join(bodyLines(pdfPages(t, pdf)), "\n")
			const from, to = "Every line as it was shown", "Revocations"
			i := strings.Index(text, from)
			j := strings.LastIndex(text, to)
			if i < 0 || j < i {
				t.Fatalf("no text section between %q and %q:\n%s", from, to, text)
			}
			section := text[i:j]
			section = section[strings.Index(section, "\n\n")+2:] // past the section's note
			var paras []string
			for _, p := range strings.Split(section, "\n\n") {
				if p = flat(p); p != "" {
					paras = append(paras, p)
				}
			}
			sum := sha256.Sum256([]byte(strings.Join(paras, "\n")))
			if got := hex.EncodeToString(sum[:]); got != c.Hash {
				t.Errorf("the text read back from the PDF hashes to %s, not %s; read:\n%s\nwant:\n%s",
					got, c.Hash, strings.Join(paras, "\n"), c.Text)
			}
			if n := strings.Count(flat(text), c.Hash); n != 1 {
				t.Errorf("the hash is printed %d times; want once", n)
			}
		})
	}
}

// bodyLines are the pages' lines without each page's running head and
// footer (the rule and what is under it), pages joined by a blank line.
func bodyLines(pages []string) []string {
	var out []string
	for i, p := range pages {
		ls := strings.Split(p, "\n")
		if i > 0 {
			ls = ls[1:] // the running head
			for len(ls) > 0 && strings.TrimSpace(ls[0]) == "" {
				ls = ls[1:]
			}
		}
		for _, l := range ls {
			if strings.Contains(l, "Generated ") && strings.Contains(l, "Page ") {
				break
			}
			out = append(out, strings.TrimRight(l, " "))
		}
		// the consent keeps a paragraph on one page: a page ends one
		for len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1]
		}
		out = append(out, "")
	}
	return out
}

// TestConsentSignatureDrawn renders the page holding the signature box
// and counts the dark pixels inside it: the strokes of a signed consent
// make many, the empty box of a declined one (the control) none.
func TestConsentSignatureDrawn(t *testing.T) {
	en := builtinForm(t, "en")
	for _, tc := range []struct {
		name     string
		c        *consent.Signed
		min, max int
	}{
		{"signed", signedBy(en, true), 400, 1 << 30},
		{"declined", signedBy(en, false), 0, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf, layout := renderConsent(t, consentInput(tc.c))
			if layout.page != 1 {
				t.Errorf("the signature is on page %d; want 1", layout.page)
			}
			const dpi = 100
			img := renderPage(t, pdf, layout.page, dpi)
			// the box less a millimetre each side, clear of its border
			px := func(mm float64) int { return int(math.Round(mm / 25.4 * dpi)) }
			b := layout.box
			in := image.Rect(px(b.x+1), px(b.y+1), px(b.x+b.w-1), px(b.y+b.h-1))
			dark := darkPixels(img, in)
			// the box's top border is where the geometry says: the count
			// looks at the box, not at some white part of the page
			top := image.Rect(px(b.x+1), px(b.y)-1, px(b.x+b.w-1), px(b.y)+2)
			if n := darkPixels(img, top); n < top.Dx()*8/10 {
				t.Errorf("the box's top border is not at %s: %d dark pixels there", top, n)
			}
			t.Logf("%d dark pixels of %d in the signature box at %d dpi (%s)", dark, in.Dx()*in.Dy(), dpi, in)
			if dark < tc.min || dark > tc.max {
				t.Errorf("%d dark pixels in the signature box; want %d to %d", dark, tc.min, tc.max)
			}
		})
	}
}

// renderPage renders one page of a PDF with pdftoppm as a PNG at dpi.
func renderPage(t *testing.T, pdf []byte, page, dpi int) image.Image {
	t.Helper()
	bin := testtool.Need(t, "pdftoppm", "Debian: apt-get install poppler-utils")
	dir := t.TempDir()
	file := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	n := strconv.Itoa(page)
	out := filepath.Join(dir, "page")
	if b, err := exec.Command(bin, "-png", "-r", strconv.Itoa(dpi), "-f", n, "-l", n, "-singlefile", file, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the rendered page: %v", err)
	}
	return img
}

// darkPixels counts the pixels in r darker than mid grey.
func darkPixels(img image.Image, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (299*cr+587*cg+114*cb)/1000 < 0x8000 {
				n++
			}
		}
	}
	return n
}

func TestConsentErrors(t *testing.T) {
	en := builtinForm(t, "en")
	for _, tc := range []struct {
		name string
		edit func(*ConsentInput)
		is   error
	}{
		{"no consent", func(in *ConsentInput) { in.History.Consent = nil }, ErrNoConsent},
		{"text altered", func(in *ConsentInput) { in.History.Consent.Text += " and more" }, ErrTextAltered},
		{"agreed, unsigned", func(in *ConsentInput) { in.History.Consent.Signature = consent.Signature{} }, consent.ErrUnsigned},
		{"no signing time", func(in *ConsentInput) { in.History.SignedAt = time.Time{} }, nil},
		{"no generation time", func(in *ConsentInput) { in.Generated = time.Time{} }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := consentInput(signedBy(en, true))
			tc.edit(&in)
			pdf, err := Consent(in)
			if err == nil || pdf != nil {
				t.Fatalf("drawn (%d bytes, %v)", len(pdf), err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v; want %v", err, tc.is)
			}
		})
	}
}

func BenchmarkConsentPDF(b *testing.B) {
	in := consentInput(signedBy(builtinForm(b, "en"), true, "Dr. Alice Park"))
	var size int
	for b.Loop() {
		pdf, err := Consent(in)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}
