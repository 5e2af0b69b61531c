package patient

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// englishOnly is what a Spanish screen must not show: English words that
// are not Spanish ones too ("no", "a", "me", "he", "son", "con", "sin",
// "once" and "ten" are left out), matched as whole words, any case.
var englishOnly = strings.Fields(`
	the and you your yours are is was were be been this that these those with without for from
	of to at in on or if it its what when how many much who which there here
	next back prefer answer answers ago hour hours day days week weeks month months year years
	minute minutes second seconds today yesterday tomorrow morning evening night
	yes not none never often always sometimes several nearly every more less than
	mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday
	january february march april june july august september october november december
	am pm help need now start done submit review change continue tap please name first last
	date birth question questions check code thank thanks welcome agree listen text size
	space shift delete clear enter cancel try again wait about desk counselor keep saved
	other something anything nothing drink drinks use used feel feeling felt little bit
	mild moderate severe page`)

// allowedOnScreens are the proper nouns and codes a Spanish screen may show
// as they are: the test clinic, the patient, the Crisis Text Line.
var allowedOnScreens = []string{"Test Clinic", "Ana", "Ruiz", "Crisis Text Line"}

var wordRE = regexp.MustCompile(`\p{L}+`)

// patientTexts is every text on screen: labels, buttons, entries and their
// placeholders, rich and canvas texts (the on-screen keys are buttons).
func (h *harness) patientTexts() []string {
	objs := h.Objects()
	ts := textsOf(objs)
	for _, o := range objs {
		switch x := o.(type) {
		case *widget.Entry:
			ts = append(ts, x.PlaceHolder)
		case *touch.Entry:
			ts = append(ts, x.PlaceHolder)
		}
	}
	return ts
}

// englishOn returns a check that fails on any English word shown, naming
// the screen (and a step) and the text; each screen is looked at once.
func (h *harness) englishOn(t *testing.T) func(where string) {
	seen := map[string]bool{}
	return func(where string) {
		t.Helper()
		name := h.k.Screen() + " " + where
		for _, text := range h.patientTexts() {
			clean := text
			for _, a := range allowedOnScreens {
				clean = strings.ReplaceAll(clean, a, "")
			}
			for code := range h.births {
				// a check-in code typed is letters, not words ("K7AT…")
				clean = strings.ReplaceAll(strings.ReplaceAll(clean, sqlite.GroupCode(code), ""), code, "")
			}
			for _, w := range wordRE.FindAllString(clean, -1) {
				if slices.Contains(englishOnly, strings.ToLower(w)) && !seen[name+"\x00"+text] {
					seen[name+"\x00"+text] = true
					t.Errorf("%s: English %q in %q", name, w, text)
				}
			}
		}
	}
}

// typeKeys taps the letters of s on the on-screen keyboard, in the case
// its keys show (it shifts by itself at the start of a sentence).
func (h *harness) typeKeys(s string) {
	h.t.Helper()
	for _, r := range s {
		key := string(r)
		if len(h.buttons(key)) == 0 {
			key = strings.ToUpper(key)
		}
		h.tap(key)
	}
}

// answerSpanish answers the question on screen in Spanish through its
// buttons and keypads: decline the first item that can be declined, an
// "hours ago" time, the first option otherwise.
func (h *harness) answerSpanish(check func(string), declined *bool) {
	h.t.Helper()
	st, ok := h.k.visit.Session().Step(h.k.visit.at, h.clock.Now())
	if !ok {
		h.t.Fatalf("no step for %v", h.k.visit.at)
	}
	where := st.Instrument.ID + "/" + st.Item.ID
	check(where)
	next := h.k.T("nav.next")
	typeDigits := func(s string) {
		for _, r := range s {
			h.tap(string(r))
		}
	}
	switch it := st.Item; {
	case it.Kind == screening.When:
		h.tap(h.k.Kit().Words.When.HoursAgo)
		check(where + " hours ago")
		typeDigits("20")
		h.tap(next)
	case !*declined && len(h.buttons(h.k.T("question.decline"))) > 0:
		*declined = true
		h.tap(h.k.T("question.decline"))
	case it.Kind == screening.Single:
		h.tap(it.Options[0].Label.In("es"))
	case it.Kind == screening.Multi:
		h.tap(it.Options[0].Label.In("es"))
		check(where + " chosen")
		h.tap(next)
	case it.Kind == screening.Number:
		typeDigits("4")
		h.tap(next)
	default:
		h.typeKeys("nada")
		h.tap(next)
	}
	if h.k.Screen() == ui.ScreenCrisis {
		check("after " + where)
		h.tap(h.k.T("nav.continue"))
	}
}

// Every patient screen of a whole screening and of a check-in, in Spanish
// and driven through the buttons, shows no English word.
func TestSpanishScreensHaveNoEnglish(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.playSpanish(t, h.englishOn(t))
}

// playSpanish plays a whole screening and then a check-in in Spanish, on
// the buttons, calling check on every screen.
func (h *harness) playSpanish(t *testing.T, check func(where string)) {
	t.Helper()
	_, code := h.returning()

	h.wantScreen(ui.ScreenWelcome)
	h.tap("Español")
	check("")
	h.tap(h.k.T("welcome.start"))
	h.wantScreen(ui.ScreenConsent)
	check("")
	h.tap(h.k.T("consent.agree"))
	h.wantScreen(ui.ScreenFirst)
	check("")
	h.typeKeys("Ana")
	check("typed")
	h.tap(h.k.T("nav.next"))
	h.wantScreen(ui.ScreenLast)
	h.typeKeys("Ruiz")
	check("typed")
	h.tap(h.k.T("nav.next"))
	h.wantScreen(ui.ScreenBirth)
	check("")
	for _, r := range "03071985" {
		h.tap(string(r))
	}
	check("typed")
	h.tap(h.k.T("nav.next"))

	declined := false
	enabled := map[string]bool{}
	for n := 0; h.asking(); n++ {
		if n > 200 {
			t.Fatal("the questions do not end")
		}
		st, _ := h.k.visit.Session().Step(h.k.visit.at, h.clock.Now())
		enabled[st.Instrument.ID] = true
		h.answerSpanish(check, &declined)
	}
	if !declined {
		t.Error("no item was declined")
	}
	h.wantScreen(ui.ScreenReview)
	var review []string
	for p := 0; ; p++ {
		check(fmt.Sprintf("page %d", p+1))
		review = append(review, h.patientTexts()...)
		more := h.buttons(h.k.T("review.more"))
		if len(more) == 0 || more[0].Disabled() || !more[0].Visible() {
			break
		}
		h.tap(h.k.T("review.more"))
	}
	all := strings.Join(review, "\n")
	for _, want := range []string{h.k.T("review.declined"), "20 horas atrás ("} {
		if !strings.Contains(all, want) {
			t.Errorf("the review does not show %q: %q", want, review)
		}
	}
	h.tap(h.k.T("review.submit"))
	h.wait()
	h.wantScreen(ui.ScreenFinish)
	check("screening")
	h.tap(h.k.T("finish.done"))
	h.wantScreen(ui.ScreenWelcome)
	t.Logf("instruments asked: %v", enabled)

	// the check-in, with the code on the code keypad
	h.tap("Español")
	h.tap(h.k.T("welcome.checkin"))
	h.wantScreen(ui.ScreenCode)
	check("")
	c := the[*codeScreen](h.k, ui.ScreenCode)
	for _, r := range code {
		h.clock.Advance(ui.TapGuard)
		test.Tap(c.keys[strings.IndexRune(sqlite.CodeAlphabet, r)])
	}
	check("typed")
	h.tap(h.k.T("code.go"))
	// then the date of birth, on its keypad
	h.wantScreen(ui.ScreenCheckinBirth)
	check("")
	birth, _ := time.Parse(time.DateOnly, h.births[code])
	h.tapDate(birth.Format("01022006"))
	check("typed")
	h.tap(h.k.T("code.go"))
	h.wait()
	h.wantScreen(ui.ScreenQuestion)
	for n := 0; h.asking(); n++ {
		if n > 60 {
			t.Fatal("the check-in questions do not end")
		}
		h.answerSpanish(check, &declined)
	}
	h.wantScreen(ui.ScreenReview)
	check("check-in")
	h.tap(h.k.T("review.submit"))
	h.wait()
	h.wantScreen(ui.ScreenFinish)
	check("check-in")
}
