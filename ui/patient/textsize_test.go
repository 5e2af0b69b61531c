package patient

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"

	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// At every text size, in English and in Spanish, every patient screen
// fits 1280x800: larger text takes fewer answers a page, nothing scrolls.
func TestTextSizesFit(t *testing.T) {
	for _, lang := range []string{"English", "Español"} {
		for step := range touch.TextSteps {
			t.Run(fmt.Sprintf("%s/%v", lang, touch.TextScale(step)), func(t *testing.T) {
				h := newHarness(t, sqlite.Options{}, nil)
				k := h.k
				h.tap(lang)
				k.SetTextStep(step)
				check := h.fits(t, fyne.Size{})
				check("welcome")
				k.showConsent()
				check("consent")
				v, err := k.Intake().Screening("en")
				if err != nil {
					t.Fatal(err)
				}
				k.visit = &visit{Visit: v}
				k.showName(true)
				check("first name")
				k.showBirth()
				check("date of birth")
				k.showCode()
				check("check-in code")
				h.eachQuestion(check)
				k.showReview(0)
				check("review")
				k.showFinish()
				check("finish")
				checkin, err := k.Intake().Checkin(context.Background(), "p", "en")
				if err != nil {
					t.Fatal(err)
				}
				screeningVisit := k.visit
				k.visit = &visit{Visit: checkin}
				k.showFinish()
				the[*finishScreen](k, ui.ScreenFinish).course.SetText(k.course(50))
				check("finish of a check-in, with the course and the tips")
				k.visit = screeningVisit
				k.showCrisis()
				check("crisis")
			})
		}
	}
}

func TestTextSizeButtons(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("A+")
	h.tap("A+")
	if h.k.TextStep() != 2 || !h.buttons("A+")[0].Disabled() {
		t.Errorf("text step %d after A+ twice", h.k.TextStep())
	}
	th := fyne.CurrentApp().Settings().Theme().(*touch.Theme)
	if th.TextScale != touch.TextScale(2) {
		t.Errorf("theme text scale %v", th.TextScale)
	}
	h.tap("A–")
	if h.k.TextStep() != 1 {
		t.Errorf("text step %d after A–", h.k.TextStep())
	}
	h.k.Reset("test")
	if h.k.TextStep() != 0 || fyne.CurrentApp().Settings().Theme().(*touch.Theme).TextScale != 1 {
		t.Error("the next patient inherits the text size")
	}
}

// The top bar keeps its size at every text size: A+ stays where it was,
// so a patient's second tap lands on it again (not on Listen).
func TestTextSizeBarStays(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Speaker = &fakeSpeaker{} })
	h.tap("Español") // the longer words
	d := fyne.CurrentApp().Driver()
	where := func() (fyne.Position, fyne.Size) {
		b := h.buttons("A+")[0]
		return d.AbsolutePositionForObject(b), b.Size()
	}
	p0, s0 := where()
	h.tap("A+")
	p1, s1 := where()
	if p0 != p1 || s0 != s1 {
		t.Errorf("A+ moved from %v %v to %v %v", p0, s0, p1, s1)
	}
}
