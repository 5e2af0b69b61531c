package patient

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// screenAll plays a whole screening in the language chosen on the welcome
// screen (its name on the button), every questionnaire to its longest:
// the last option of a single choice (its branches open), the first of a
// multiple choice, a number, an "hours ago" time, typed text; the crisis
// screen is left with Continue. It stops on the review screen.
func (h *harness) screenAll(lang string) {
	h.t.Helper()
	k := h.k
	h.beginIn(lang, "Ana", "Núñez")
	for h.asking() {
		h.answerIn(-1)
		if k.Screen() == ui.ScreenCrisis {
			h.tap(k.T("nav.continue"))
		}
	}
	h.wantScreen(ui.ScreenReview)
}

// beginIn starts a screening in the language chosen on the welcome screen
// (its name on the button), up to the first question.
func (h *harness) beginIn(lang, first, last string) {
	h.t.Helper()
	k := h.k
	h.tap(lang)
	h.tap(k.T("welcome.start"))
	h.tap(k.T("consent.agree"))
	test.Type(find[*touch.Entry](h), first)
	h.tap(k.T("nav.next"))
	test.Type(find[*touch.Entry](h), last)
	h.tap(k.T("nav.next"))
	test.Type(find[*touch.DateEntry](h), "03071985")
	h.tap(k.T("nav.next"))
}

// answerIn answers the question on screen in the patient's language: a
// single choice with its option i (from the end when negative).
func (h *harness) answerIn(i int) {
	h.t.Helper()
	k := h.k
	st, ok := k.visit.Session().Step(k.visit.at, h.clock.Now())
	if !ok {
		h.t.Fatalf("no step for %v", k.visit.at)
	}
	opts := st.Item.Options
	switch st.Item.Kind {
	case screening.Single:
		if i < 0 {
			i += len(opts)
		}
		h.tap(opts[i].Label.In(k.Lang()))
	case screening.Multi:
		label := opts[0].Label.In(k.Lang())
		if bs := h.buttons(label); len(bs) > 0 && bs[0].Importance != widget.HighImportance {
			h.tap(label)
		}
		h.tap(k.T("nav.next"))
	case screening.Number:
		test.Type(find[*touch.NumberEntry](h), "4")
		h.tap(k.T("nav.next"))
	case screening.When:
		h.tap(k.T("when.hours_ago"))
		test.Type(find[*touch.NumberEntry](h), "20")
		h.tap(k.T("nav.next"))
	case screening.Free:
		test.Type(find[*touch.Entry](h), "I have been taking it with coffee every morning before work and again at night")
		h.tap(k.T("nav.next"))
	}
}

// reviewPage is what one page of the review shows, in order: the
// questionnaires' headings and the questions (each the step it asks).
type reviewPage struct {
	heads []string
	// group is the heading each question shown sits under ("" for none)
	group map[int]string
}

// readReview reads the page shown: a heading is a label set as a
// subheading, a question a label holding an item's words.
func (h *harness) readReview(steps []screening.Step) reviewPage {
	p := reviewPage{group: map[int]string{}}
	r := the[*reviewScreen](h.k, ui.ScreenReview)
	last := ""
	for _, o := range objectsIn(true, r.obj) {
		l, ok := o.(*widget.Label)
		if !ok {
			continue
		}
		if l.SizeName == theme.SizeNameSubHeadingText {
			last = l.Text
			p.heads = append(p.heads, l.Text)
			continue
		}
		for i, st := range steps {
			if !l.TextStyle.Bold && strings.HasSuffix(l.Text, st.Item.Text.In(h.k.Lang())) {
				p.group[i] = last
			}
		}
	}
	return p
}

// checkShown fails on any text of the review cut off or drawn outside
// the screen: every label shows its whole text (no "…", no truncation;
// the questions, answers and headings wrap, any other label is as wide as
// its one line), each as tall as its lines, every line inside 1280x800.
func (h *harness) checkShown(t *testing.T, where string) {
	t.Helper()
	h.fits(t, fyne.Size{})(where)
	r := the[*reviewScreen](h.k, ui.ScreenReview)
	d := fyne.CurrentApp().Driver()
	screen := fyne.NewSize(1280, 800)
	inside := func(o fyne.CanvasObject) bool {
		p, s := d.AbsolutePositionForObject(o), o.Size()
		return p.X >= 0 && p.Y >= 0 && p.X+s.Width <= screen.Width+0.5 && p.Y+s.Height <= screen.Height+0.5
	}
	questions := 0
	for _, o := range objectsIn(true, r.obj) {
		switch x := o.(type) {
		case *widget.Label:
			if strings.Contains(x.Text, "…") || x.Truncation != fyne.TextTruncateOff {
				t.Errorf("%s: %q cut off (truncation %v)", where, x.Text, x.Truncation)
			}
			wraps := x.Wrapping == fyne.TextWrapWord
			if !wraps && x.MinSize().Width > x.Size().Width+0.5 {
				t.Errorf("%s: %q needs %.0f wide, has %.0f", where, x.Text, x.MinSize().Width, x.Size().Width)
			}
			if x != r.pageLabel && !wraps {
				t.Errorf("%s: %q does not wrap", where, x.Text)
			}
			if m := x.MinSize().Height; m > x.Size().Height+0.5 {
				t.Errorf("%s: %q needs %.0f high, has %.0f", where, x.Text, m, x.Size().Height)
			}
			if !inside(x) {
				t.Errorf("%s: %q at %v %v is off the screen", where, x.Text, d.AbsolutePositionForObject(x), x.Size())
			}
			if x.Text != "" && !x.TextStyle.Bold && x.SizeName == "" {
				questions++
			}
		case *canvas.Text:
			if strings.Contains(x.Text, "…") {
				t.Errorf("%s: line %q drawn cut off", where, x.Text)
			}
			if x.Text != "" && !inside(x) {
				t.Errorf("%s: line %q at %v %v is off the screen", where, x.Text, d.AbsolutePositionForObject(x), x.Size())
			}
		case *touch.Button:
			if !inside(x) {
				t.Errorf("%s: button %q is off the screen", where, x.Text)
			}
		}
	}
	if questions == 0 {
		t.Errorf("%s: no question shown", where)
	}
}

// firstPage turns the review back to its first page.
func (h *harness) firstPage() {
	h.t.Helper()
	for range 100 {
		if prev := h.buttons(h.k.T("review.prev")); len(prev) == 0 || prev[0].Disabled() {
			return
		}
		h.tap(h.k.T("review.prev"))
	}
}

// turnPages reads every page of the review from the first, checking each
// with check, and returns them.
func (h *harness) turnPages(check func(page int)) []reviewPage {
	h.t.Helper()
	h.firstPage()
	steps := h.k.visit.Session().Steps(h.clock.Now())
	var pages []reviewPage
	for p := 0; p < 100; p++ {
		check(p)
		pages = append(pages, h.readReview(steps))
		more := h.buttons(h.k.T("review.more"))
		if len(more) == 0 || more[0].Disabled() {
			break
		}
		h.tap(h.k.T("review.more"))
	}
	return pages
}

// A whole screening reviewed, in English and in Spanish, at every text
// size (changed on the review screen): every question and answer shown
// whole, wrapped, inside the screen, grouped under its questionnaire's
// short title, each questionnaire's heading in the order asked, and every
// question on some page once.
func TestReviewFitsAndGroups(t *testing.T) {
	for _, lang := range []string{"English", "Español"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, sqlite.Options{}, nil)
			h.screenAll(lang)
			steps := h.k.visit.Session().Steps(h.clock.Now())
			var order []string
			for i, st := range steps {
				if i == 0 || st.Instrument != steps[i-1].Instrument {
					order = append(order, st.Instrument.ShortTitle.In(h.k.Lang()))
				}
			}
			for step := range touch.TextSteps {
				h.k.SetTextStep(step) // on the review screen: its pages cut again
				pages := h.turnPages(func(p int) { h.checkShown(t, fmt.Sprintf("text %v page %d", touch.TextScale(step), p+1)) })
				t.Logf("%s at text size %v: %d questions on %d pages", lang, touch.TextScale(step), len(steps), len(pages))
				var heads []string
				seen := map[int]int{}
				for n, p := range pages {
					if len(p.heads) == 0 {
						t.Errorf("text %v page %d: no questionnaire named", touch.TextScale(step), n+1)
					}
					for _, hd := range p.heads {
						if len(heads) == 0 || heads[len(heads)-1] != hd {
							heads = append(heads, hd)
						}
					}
					for i, g := range p.group {
						seen[i]++
						if want := steps[i].Instrument.ShortTitle.In(h.k.Lang()); g != want {
							t.Errorf("text %v page %d: %q under %q, want %q", touch.TextScale(step), n+1, steps[i].Item.Text.In(h.k.Lang()), g, want)
						}
					}
				}
				if strings.Join(heads, " | ") != strings.Join(order, " | ") {
					t.Errorf("text %v: headings %q, want %q", touch.TextScale(step), heads, order)
				}
				for i, st := range steps {
					if seen[i] != 1 {
						t.Errorf("text %v: %s %s shown on %d pages", touch.TextScale(step), st.Instrument.ID, st.Item.ID, seen[i])
					}
				}
			}
		})
	}
}

// Change on an answer of page N, answered again (or left with Back),
// comes back to page N, the answer shown, at every text size; so does a
// larger text size and back.
func TestReviewChangeKeepsPage(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.screenAll("English")
	k := h.k
	for step := range touch.TextSteps {
		k.SetTextStep(step)
		pages := len(h.turnPages(func(int) {}))
		if pages < 3 {
			t.Fatalf("text %v: %d review pages, want a screening's many", touch.TextScale(step), pages)
		}
		for _, target := range []int{1, pages / 2, pages - 1} {
			h.firstPage()
			for range target {
				h.tap(k.T("review.more"))
			}
			page := k.T("question.page", target+1, pages)
			if !h.shows(page) {
				t.Fatalf("text %v: not at %q: %q", touch.TextScale(step), page, h.texts())
			}
			// a larger text size and back: the same page again, not one
			// that drifted back a row at each cut
			for up := step + 1; up < touch.TextSteps; up++ {
				k.SetTextStep(up)
			}
			for down := touch.TextSteps - 2; down >= step; down-- {
				k.SetTextStep(down)
			}
			if got := the[*reviewScreen](k, ui.ScreenReview).pageLabel.Text; got != page {
				t.Errorf("text %v: on %q, a larger size and back shows %q", touch.TextScale(step), page, got)
			}
			for _, how := range []string{"answer", "back"} {
				changes := h.buttons(k.T("review.change"))
				h.clock.Advance(ui.TapGuard)
				test.Tap(changes[len(changes)-1]) // the page's last answer
				h.wantScreen(ui.ScreenQuestion)
				st, _ := k.Question()
				if how == "back" {
					h.tap(k.T("nav.back"))
				} else {
					for h.asking() {
						h.answerIn(0)
						if k.Screen() == ui.ScreenCrisis {
							h.tap(k.T("nav.continue"))
						}
					}
				}
				h.wantScreen(ui.ScreenReview)
				var at int
				fmt.Sscanf(the[*reviewScreen](k, ui.ScreenReview).pageLabel.Text, "Page %d of %d", &at, &pages)
				page = k.T("question.page", target+1, pages)
				if !h.shows(page) || !h.shows(st.Item.Text.In("en")) {
					t.Errorf("text %v: Change (%s) on page %d of %d came back to %q", touch.TextScale(step), how, target+1, pages,
						the[*reviewScreen](k, ui.ScreenReview).pageLabel.Text)
				}
			}
		}
	}
}
