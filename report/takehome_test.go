package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk/assets"
	"intakekiosk/takehome"
)

// sheetWords is the built-in take-home sheet in lang.
func sheetWords(t *testing.T, lang string) *takehome.Sheet {
	t.Helper()
	set, errs := takehome.Load([]string{"en", "es"}, takehome.Source{Name: "built-in", FS: assets.TakeHome()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s, ok := set.Sheet(lang)
	if !ok {
		t.Fatalf("no sheet in %s", lang)
	}
	return s
}

// takeHomeAt is a sheet given on Tue Nov 24, 2026 at 4 p.m. in Chicago,
// the last dose 30 hours before (day 2: the peak), the next check-in on
// Wed Nov 25.
func takeHomeAt(t *testing.T, lang string) TakeHomeInput {
	t.Helper()
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	given := time.Date(2026, 11, 24, 16, 0, 0, 0, chicago)
	return TakeHomeInput{Clinic: "Riverside Recovery", Words: sheetWords(t, lang), LastDose: given.Add(-30 * time.Hour),
		Next: time.Date(2026, 11, 25, 0, 0, 0, 0, chicago), Generated: given, Location: chicago}
}

func renderTakeHome(t *testing.T, in TakeHomeInput) []byte {
	t.Helper()
	pdf, err := TakeHome(in)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// The sheet read back with pdftotext, in English and Spanish: the course
// dated from the last dose with the patient's phase marked, the three
// coping steps, the crisis numbers, the next check-in's day, the 42 CFR
// Part 2 notice and the page on every page; no name, no score.
func TestTakeHomeReadsBack(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"Going home: the next few days", "What to expect",
			"Monday, November 23 to Tuesday, November 24", "12 to 24 hours after your last dose",
			"You are here", "Tuesday, November 24 to Thursday, November 26", "Days 2 and 3",
			"Thursday, November 26 to Thursday, December 3", "From Thursday, December 3",
			"Three things that help", "1 Drink water or electrolyte drinks",
			"Help at any hour", "call 911", "Call or text 988", "press 2", "Or text HOME to 741741",
			"Your next check-in", "Please come back on Wednesday, November 25 and check in at the kiosk with your code.",
			"Riverside Recovery", "Page 1 of 1"}},
		{"es", []string{"De vuelta a casa: los próximos días", "Qué esperar",
			"del lunes 23 de noviembre al martes 24 de noviembre", "Usted está aquí", "Tres cosas que ayudan",
			"Ayuda a cualquier hora", "llame al 911", "al 988", "marque 2", "741741",
			"Su próximo registro", "Por favor, regrese el miércoles 25 de noviembre y regístrese en el quiosco con su código.",
			"Página 1 de 1"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			pdf := renderTakeHome(t, takeHomeAt(t, tc.lang))
			pages := pdfPages(t, pdf)
			// in the order drawn: a phase's days, then its words
			all := flat(pdfText(t, pdf, "-raw"))
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("the sheet does not say %q:\n%s", w, all)
				}
			}
			for i, p := range pages {
				if !strings.Contains(flat(p), flat(Notice)[:120]) {
					t.Errorf("page %d lacks the 42 CFR Part 2 notice", i+1)
				}
			}
			for _, never := range []string{"SOWS", "score", "PHQ", "diagnos", "puntaje"} {
				if strings.Contains(strings.ToLower(all), strings.ToLower(never)) {
					t.Errorf("the sheet says %q", never)
				}
			}
			// the patient's phase is the peak: "You are here" comes just
			// before its days
			now := map[string]string{"en": "You are here Tuesday, November 24", "es": "Usted está aquí del martes 24"}[tc.lang]
			if raw := flat(pdfText(t, pdf, "-raw")); !strings.Contains(raw, now) {
				t.Errorf("the mark is not on the peak (%q):\n%s", now, raw)
			}
		})
	}
}

// Without a last dose the phases are said by their hours and days alone,
// a taper is said first, and with no next check-in the sheet says to ask
// the front desk.
func TestTakeHomeUndated(t *testing.T) {
	in := takeHomeAt(t, "en")
	in.LastDose, in.Next, in.Taper = time.Time{}, time.Time{}, true
	all := flat(pdfText(t, renderTakeHome(t, in), "-raw"))
	for _, w := range []string{"You are lowering your dose step by step", "12 to 24 hours after your last dose Withdrawal usually starts",
		"Please ask the front desk when to come back."} {
		if !strings.Contains(all, w) {
			t.Errorf("the sheet does not say %q:\n%s", w, all)
		}
	}
	for _, never := range []string{"You are here", "November 2", "Please come back on"} {
		if strings.Contains(all, never) {
			t.Errorf("the sheet says %q", never)
		}
	}
	// a taper with a known last dose is not dated either
	in = takeHomeAt(t, "en")
	in.Taper = true
	if all := flat(strings.Join(pdfPages(t, renderTakeHome(t, in)), " ")); strings.Contains(all, "You are here") || strings.Contains(all, "November 23") {
		t.Errorf("a taper's sheet is dated: %s", all)
	}
	if _, err := TakeHome(TakeHomeInput{Words: sheetWords(t, "en")}); err == nil {
		t.Error("a sheet without its time was drawn")
	}
}

// The same input gives the same bytes; the text is the golden's
// (testdata/takehome.golden.txt, pdftotext -layout; -update after a
// deliberate change). Each page is rendered at 70 dpi with pdftoppm: a
// page of the letter's size, ink on it.
func TestTakeHomeGolden(t *testing.T) {
	in := takeHomeAt(t, "en")
	pdf := renderTakeHome(t, in)
	if again := renderTakeHome(t, in); !bytes.Equal(pdf, again) {
		t.Fatal("two renderings of the same sheet differ")
	}
	got := pdfText(t, pdf, "-layout")
	golden := filepath.Join("testdata", "takehome.golden.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(golden); err != nil {
		t.Fatalf("%v (make it with -update)", err)
	} else if got != string(want) {
		t.Errorf("the take-home sheet's text differs from %s (run with -update after a deliberate change):\n%s", golden, firstDiff(string(want), got))
	}
	if dir := *takeHomeShots; dir != "" {
		for _, lang := range []string{"en", "es"} {
			os.WriteFile(filepath.Join(dir, "takehome-"+lang+".pdf"), renderTakeHome(t, takeHomeAt(t, lang)), 0o644)
		}
	}
	for page := 1; page <= len(pdfPages(t, pdf)); page++ {
		img := renderPage(t, pdf, page, 70)
		b := img.Bounds()
		if b.Dx() != 595 || b.Dy() != 770 {
			t.Errorf("page %d renders %dx%d at 70 dpi, want a letter page", page, b.Dx(), b.Dy())
		}
		dark := 0
		for y := b.Min.Y; y < b.Max.Y; y += 2 {
			for x := b.Min.X; x < b.Max.X; x += 2 {
				if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
					dark++
				}
			}
		}
		if dark < 1000 {
			t.Errorf("page %d is nearly blank (%d dark pixels)", page, dark)
		}
	}
}

// takeHomeShots, when set, is a folder the golden test writes the English
// and Spanish sheets to, to look at (pdftoppm -png -r 70).
var takeHomeShots = flag.String("takehome-out", "", "write the take-home sheets to this folder")
