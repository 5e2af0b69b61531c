package patient

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
)

// rect is where an object is in the window.
type rect struct{ at, end fyne.Position }

func rectOf(o fyne.CanvasObject) rect {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return rect{p, p.Add(o.Size())}
}

func (r rect) center() fyne.Position {
	return fyne.NewPos((r.at.X+r.end.X)/2, (r.at.Y+r.end.Y)/2)
}

func (r rect) has(p fyne.Position) bool {
	return p.X >= r.at.X && p.X < r.end.X && p.Y >= r.at.Y && p.Y < r.end.Y
}

// overlaps reports whether two rectangles share any point.
func (r rect) overlaps(o rect) bool {
	return r.at.X < o.end.X && o.at.X < r.end.X && r.at.Y < o.end.Y && o.at.Y < r.end.Y
}

func (r rect) String() string {
	return fmt.Sprintf("(%.0f,%.0f)-(%.0f,%.0f)", r.at.X, r.at.Y, r.end.X, r.end.Y)
}

// visibleButtons are the buttons shown, with where they are: a modal's
// last, as the topmost.
func (h *harness) visibleButtons() []*touch.Button {
	h.w.Content().Refresh()
	return uitest.Buttons(uitest.In(true, h.w.Content()), "")
}

// tapAt taps whatever button is at p, as a finger that lands there does,
// without moving the clock; it returns the label tapped, or "".
func (h *harness) tapAt(p fyne.Position) string {
	var hit *touch.Button
	for _, b := range h.visibleButtons() {
		if rectOf(b).has(p) {
			hit = b
		}
	}
	if hit == nil {
		return ""
	}
	test.Tap(hit)
	return hit.Text
}

// A shaky hand taps twice, 350 to 500 ms apart, at the same place: the
// second tap answers nothing the patient has not seen, whether the first
// answered a single choice (SOWS items 2 and 3 at once) or tapped Next,
// Continue or an answer that the next screen puts something else under,
// and the last Next's second tap does not send the answers.
func TestDoubleTapAnswersNothingUnseen(t *testing.T) {
	for _, gap := range []time.Duration{350, 400, 450, 500} {
		gap *= time.Millisecond
		t.Run(gap.String(), func(t *testing.T) {
			h := newHarness(t, sqlite.Options{}, nil)
			h.begin("Ana", "Núñez")
			for n := 0; h.asking(); n++ {
				if n > 100 {
					t.Fatal("no end to the questions")
				}
				was := h.k.visit.at
				h.answer("")
				first := rectOf(h.last).center()
				if h.k.Screen() == ui.ScreenQuestion && h.k.visit.at == was {
					t.Fatalf("%v: the first tap did not answer", was)
				}
				now, screen := h.k.visit.at, h.k.Screen()
				h.clock.Advance(gap)
				label := h.tapAt(first)
				if _, ok := h.k.visit.Session().Answer(now); ok && screen == ui.ScreenQuestion {
					t.Fatalf("after %v: a second tap %v after the first, on %q, answered %v", was, gap, label, now)
				}
				if h.k.Screen() != screen || h.k.visit.at != now {
					t.Fatalf("after %v: a second tap %v after the first, on %q, moved on to %s %v", was, gap, label, h.k.Screen(), h.k.visit.at)
				}
			}
			h.wantScreen(ui.ScreenReview)
		})
	}
}

// Nothing the patient may tap on one screen sits where the next screen
// puts "Prefer not to answer", Continue or (after an answer) Next: for
// every question of every kind, followed by a question of every kind, the
// crisis screen over it, the review, and from the privacy notice, the
// date of birth and the crisis screen to a question, at every text size.
func TestNewButtonsAwayFromTheLastTap(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	k := h.k
	h.begin("Ana", "Núñez")
	decline, cont, next := en("question.decline"), en("nav.continue"), en("nav.next")
	// one question of each kind, one that can be declined where there is one
	var kinds []screening.Step
	seen := map[screening.Kind]bool{}
	for _, in := range k.Config().Catalog.Instruments() {
		for i := range in.Items {
			it := &in.Items[i]
			if !seen[it.Kind] && in.CanDecline(it) {
				seen[it.Kind] = true
				kinds = append(kinds, screening.Step{Instrument: in, Item: it, N: i + 1, Of: len(in.Items)})
			}
		}
	}
	// where the patient may have tapped on the screen shown to move on:
	// an answer, Next, Continue, I agree or Change (a decline is tapped
	// where every question has it: the tap guard keeps its second tap)
	tappable := func() (moved, answers []rect) {
		var options []*touch.Button
		if q := the[*questionScreen](k, ui.ScreenQuestion); q != nil && k.Screen() == ui.ScreenQuestion {
			options = q.options
		}
		for _, b := range h.visibleButtons() {
			switch {
			case slices.Contains(options, b):
				answers = append(answers, rectOf(b))
				moved = append(moved, rectOf(b))
			case b.Text == next || b.Text == cont || b.Text == en("consent.agree") || b.Text == en("review.change"):
				moved = append(moved, rectOf(b))
			}
		}
		return moved, answers
	}
	// check: the new screen's decline and Continue are nowhere the patient
	// just tapped, and its Next (or Submit) not where an answer was
	check := func(name string, moved, answers []rect) {
		t.Helper()
		for _, b := range h.visibleButtons() {
			var near []rect
			switch b.Text {
			case decline, cont:
				near = moved
			case next, en("review.submit"):
				near = answers
			}
			for _, r := range near {
				if rectOf(b).overlaps(r) {
					t.Errorf("%s: %q at %v is where the patient just tapped %v", name, b.Text, rectOf(b), r)
				}
			}
		}
	}
	for step := range touch.TextSteps {
		k.SetTextStep(step)
		for _, in := range k.Config().Catalog.Instruments() {
			if in.RatedByStaff() {
				continue // never a patient's question
			}
			for i := range in.Items {
				it := &in.Items[i]
				a := screening.Step{Instrument: in, Item: it, N: i + 1, Of: len(in.Items)}
				for _, b := range kinds {
					k.showQuestion(a)
					moved, answers := tappable()
					k.showQuestion(b)
					check(fmt.Sprintf("text %d: %s/%s then %s/%s", step, in.ID, it.ID, b.Instrument.ID, b.Item.ID), moved, answers)
				}
				k.showQuestion(a)
				moved, answers := tappable()
				k.showCrisis()
				check(fmt.Sprintf("text %d: %s/%s then the crisis screen", step, in.ID, it.ID), moved, answers)
				k.Release()
				k.showReview(0)
				check(fmt.Sprintf("text %d: %s/%s then the review", step, in.ID, it.ID), moved, answers)
			}
		}
		for _, b := range kinds {
			for _, from := range []struct {
				name string
				show func()
			}{{"the privacy notice", k.showConsent}, {"the date of birth", k.showBirth}, {"the crisis screen", k.showCrisis}, {"the review", func() { k.showReview(0) }}} {
				from.show()
				moved, answers := tappable()
				if from.name == "the crisis screen" {
					k.Release()
				}
				k.showQuestion(b)
				check(fmt.Sprintf("text %d: %s then %s/%s", step, from.name, b.Instrument.ID, b.Item.ID), moved, answers)
			}
		}
	}
}

// The patient sees where they are in the whole visit, "Part 1 of 6" and
// one bar, and the parts and the bar's total never grow as they answer,
// whatever the branching opens or closes.
func TestProgressOverTheVisit(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.begin("Ana", "Núñez")
	parts := len(h.k.visit.Session().Instruments())
	lastPart, lastParts, lastOf := 0, parts+1, 2.0
	lastValue := -1.0
	for n := 0; h.asking(); n++ {
		if n > 100 {
			t.Fatal("no end to the questions")
		}
		var part, of int
		var title string
		line := strings.Join(h.texts(), "|")
		for _, s := range h.texts() {
			if _, err := fmt.Sscanf(s, "Part %d of %d", &part, &of); err == nil {
				title = s
				break
			}
		}
		if title == "" {
			t.Fatalf("%v: no \"Part n of m\" in %q", h.k.visit.at, line)
		}
		if part < lastPart || of > lastParts {
			t.Errorf("%v: %q after part %d of %d", h.k.visit.at, title, lastPart, lastParts)
		}
		bars := uitest.In(true, h.w.Content())
		var bar *widget.ProgressBar
		for _, o := range bars {
			if b, ok := o.(*widget.ProgressBar); ok {
				bar = b
			}
		}
		if bar == nil {
			t.Fatalf("%v: no progress bar", h.k.visit.at)
		}
		if bar.Value < lastValue || bar.Max > lastOf && lastValue >= 0 {
			t.Errorf("%v: the bar went from %.3f to %.3f of %.0f", h.k.visit.at, lastValue, bar.Value, bar.Max)
		}
		lastPart, lastParts, lastValue, lastOf = part, of, bar.Value, bar.Max
		// "Yes" and the most of each answer: the branches that ask more
		choice := ""
		if st, _ := h.k.visit.Session().Step(h.k.visit.at, h.clock.Now()); st.Item.Kind == screening.Single {
			choice = st.Item.Options[len(st.Item.Options)-1].Label.In("en")
			if st.Instrument.ID == "phq9" && st.Item.ID == "9" {
				choice = ""
			}
		}
		h.answer(choice)
		if h.k.Screen() == ui.ScreenCrisis {
			h.tap("Continue")
		}
	}
	if lastPart != lastParts {
		t.Errorf("the last question is in part %d of %d", lastPart, lastParts)
	}
}

// timers are the kiosk's Config.After on the test's clock: what is due
// runs when the clock is moved past it.
type timers struct {
	h       *harness
	pending []timer
}

type timer struct {
	at time.Time
	f  func()
}

func (ts *timers) after(d time.Duration, f func()) {
	ts.pending = append(ts.pending, timer{ts.h.clock.Now().Add(d), f})
}

// advance moves the clock on by d, running what falls due at its time.
func (ts *timers) advance(d time.Duration) {
	end := ts.h.clock.Now().Add(d)
	for {
		i := slices.IndexFunc(ts.pending, func(t timer) bool { return !t.at.After(end) })
		if i < 0 {
			ts.h.clock.Advance(end.Sub(ts.h.clock.Now()))
			return
		}
		t := ts.pending[i]
		ts.pending = slices.Delete(ts.pending, i, i+1)
		ts.h.clock.Advance(t.at.Sub(ts.h.clock.Now()))
		t.f()
	}
}

// newTimedHarness is a harness whose tapped answers wait ui.ChosenFor on
// the test's clock before the next screen.
func newTimedHarness(t *testing.T, enabled ...string) (*harness, *timers) {
	ts := &timers{}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.After = func(d time.Duration, f func()) { ts.after(d, f) }
		if len(enabled) > 0 {
			c.Settings.Enabled = enabled
		}
	})
	ts.h = h
	return h, ts
}

// A tapped answer shows as chosen for a moment, the question taking no
// other tap, before the next question; help asked for meanwhile forgets
// the tap.
func TestTappedAnswerShowsChosen(t *testing.T) {
	h, ts := newTimedHarness(t, "sows")
	h.begin("Ana", "Núñez")
	first := h.k.visit.at
	h.tap("Moderately")
	if h.k.visit.at != first || h.last.Importance != widget.HighImportance || h.last.Icon == nil {
		t.Fatalf("just after the tap: at %v, the answer's importance %v", h.k.visit.at, h.last.Importance)
	}
	ts.advance(ui.ChosenFor / 2)
	test.Tap(h.buttons("Extremely")[0])
	test.Tap(h.buttons(en("question.decline"))[0])
	if h.k.visit.at != first || h.buttons("Extremely")[0].Importance == widget.HighImportance {
		t.Fatal("a second answer was taken while the first showed as chosen")
	}
	ts.advance(ui.ChosenFor / 2)
	if h.k.visit.at == first {
		t.Fatalf("still on %v after %v", first, ui.ChosenFor)
	}
	if a, _ := h.k.visit.Session().Answer(first); a.Choice != "moderately" {
		t.Errorf("answer %+v, want moderately", a)
	}
	second := h.k.visit.at
	ts.advance(ui.TapGuard)
	h.tap("A little")
	h.tap("I need help now")
	h.wantScreen(ui.ScreenCrisis)
	ts.advance(ui.ChosenFor)
	h.wantScreen(ui.ScreenCrisis)
	ts.advance(ui.TapGuard)
	h.tap(en("nav.continue"))
	h.wantScreen(ui.ScreenQuestion)
	if _, ok := h.k.visit.Session().Answer(second); ok || h.k.visit.at != second || h.buttons("A little")[0].Importance == widget.HighImportance {
		t.Errorf("after help during the moment: at %v, want %v unanswered", h.k.visit.at, second)
	}
}

// The tap guard measured: a second tap at the same place as the first,
// for every gap from 100 ms to 1.5 s, 100 ms apart, on a single choice (SOWS 1, then SOWS
// 2 with the same answers in the same places) and on Next (the kratom
// forms, then a question with "Prefer not to answer"); the shortest gap
// that answers the next question is ChosenFor+TapGuard after an answer,
// and never after Next (nothing is there to tap).
func TestTapGuardMeasured(t *testing.T) {
	taken := func(enabled string, first func(h *harness)) time.Duration {
		for gap := 100 * time.Millisecond; gap <= 1500*time.Millisecond; gap += 100 * time.Millisecond {
			h, ts := newTimedHarness(t, enabled)
			h.begin("Ana", "Núñez")
			first(h)
			p := rectOf(h.last).center()
			ts.advance(gap)
			h.tapAt(p)
			ts.advance(2 * ui.ChosenFor) // whatever the taps did is done
			if n := h.k.visit.Session().Answered(h.clock.Now()); n > 1 {
				return gap
			}
		}
		return 0
	}
	answer := taken("sows", func(h *harness) { h.tap("Moderately") })
	next := taken("kratom", func(h *harness) { h.tap("Capsules"); h.tap(en("nav.next")) })
	t.Logf("a second tap answers the next question from %v after an answer, %v after Next (0: never)", answer, next)
	if answer != ui.ChosenFor+ui.TapGuard || next != 0 {
		t.Errorf("second tap taken %v after an answer, %v after Next; want %v and never", answer, next, ui.ChosenFor+ui.TapGuard)
	}
}
