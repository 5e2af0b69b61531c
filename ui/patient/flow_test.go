package patient

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// begin taps through the welcome, the privacy notice and the identity
// screens: the first name on the on-screen keyboard's keys, the last name
// on a physical keyboard, the date of birth on the date keypad.
func (h *harness) begin(first, last string) {
	h.t.Helper()
	h.wantScreen(ui.ScreenWelcome)
	h.tap("Start")
	h.wantScreen(ui.ScreenConsent)
	if !h.shows("42 CFR Part 2") {
		h.t.Error("privacy notice does not name 42 CFR Part 2")
	}
	h.tap("I agree")
	h.wantScreen(ui.ScreenFirst)
	for _, r := range first {
		h.tap(string(r)) // the keys show capitals while shifted: at the start of a name
	}
	if e := find[*touch.Entry](h); e.Text != first {
		h.t.Fatalf("first name typed on keys = %q, want %q", e.Text, first)
	}
	h.tap("Next")
	h.wantScreen(ui.ScreenLast)
	test.Type(find[*touch.Entry](h), last)
	h.tap("Next")
	h.wantScreen(ui.ScreenBirth)
	de := find[*touch.DateEntry](h)
	test.Type(de, "03071985")
	de.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Return on a physical keyboard is Next
	h.wantScreen(ui.ScreenQuestion)
}

// answer answers the question on screen: choice picks a single choice
// option's label ("" for the first option).
func (h *harness) answer(choice string) screening.Step {
	h.t.Helper()
	h.wantScreen(ui.ScreenQuestion)
	st, ok := h.k.visit.Session().Step(h.k.visit.at, h.clock.Now())
	if !ok {
		h.t.Fatalf("no step for %v", h.k.visit.at)
	}
	switch st.Item.Kind {
	case screening.Single:
		if choice == "" {
			choice = st.Item.Options[0].Label.In("en")
		}
		h.tap(choice)
	case screening.Multi:
		label := st.Item.Options[0].Label.In("en")
		if bs := h.buttons(label); len(bs) > 0 && bs[0].Importance != widget.HighImportance {
			h.tap(label) // not chosen yet
		}
		h.tap("Next")
	case screening.Number:
		test.Type(find[*touch.NumberEntry](h), "4")
		h.tap("Next")
	case screening.When:
		h.tap("Hours ago")
		test.Type(find[*touch.NumberEntry](h), "20")
		h.tap("Next")
	case screening.Free:
		test.Type(find[*touch.Entry](h), "none")
		h.tap("Next")
	}
	return st
}

func TestWholeScreening(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.begin("Ana", "Núñez")
	ctx := context.Background()

	var asked []screening.Step
	progressSeen := false
	for h.asking() {
		st, _ := h.k.visit.Session().Step(h.k.visit.at, h.clock.Now())
		if st.Instrument.ID == "phq9" && st.Item.ID == "4" && h.shows("Part 3 of 6 — "+st.Instrument.ShortTitle.In("en")) {
			progressSeen = true
		}
		choice := ""
		if st.Instrument.ID == "phq9" && st.Item.ID == "9" {
			choice = "Several days"
		}
		if st.Instrument.ID == "phq9" && st.Item.ID == "3" {
			// the help button works mid-questionnaire and the patient goes on
			h.tap("I need help now")
			h.wantScreen(ui.ScreenCrisis)
			h.tap("Continue")
			h.wantScreen(ui.ScreenQuestion)
		}
		asked = append(asked, h.answer(choice))
		if st.Instrument.ID == "phq9" && st.Item.ID == "9" {
			h.wantScreen(ui.ScreenCrisis)
			for _, want := range []string{"988", "911", "741741", "press 2"} {
				if !h.shows(want) {
					t.Errorf("crisis screen does not show %q", want)
				}
			}
			h.tap("Continue")
		}
		h.clock.Advance(5 * time.Second)
		h.k.Tick() // a patient answering steadily never sees the idle prompt
		if h.k.Prompting() {
			t.Fatal("idle prompt while the patient is answering")
		}
	}
	if !progressSeen {
		t.Error(`progress "Part 3 of 6 — ..." not seen on PHQ-9 item 4`)
	}
	h.wantScreen(ui.ScreenReview)
	for _, id := range []string{"kratom", "sows", "phq9", "gad7", "dast10", "auditc"} {
		if !slices.ContainsFunc(asked, func(s screening.Step) bool { return s.Instrument.ID == id }) {
			t.Errorf("instrument %s never asked", id)
		}
	}

	// change an answer from the review screen: back to the review after it
	h.tap("Change")
	h.wantScreen(ui.ScreenQuestion)
	h.answer("")
	h.wantScreen(ui.ScreenReview)

	h.tap("Submit my answers")
	h.wantScreen(ui.ScreenFinish)
	id := h.k.visit.ID()
	h.clock.Advance(19 * time.Second)
	h.k.Tick()
	h.wantScreen(ui.ScreenFinish)
	h.clock.Advance(2 * time.Second)
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)

	ss, err := h.st.Session(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ss.Status != intakekiosk.New || !ss.Urgent || ss.Completed.IsZero() {
		t.Errorf("stored session = %+v", ss)
	}
	recs, err := h.st.Records(ctx, id, h.key)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[screening.Key]screening.Answer{}
	var identity screening.Identity
	helps := 0
	for _, r := range recs {
		switch {
		case r.Answer != nil:
			answers[r.Answer.Key()] = *r.Answer
		case r.Identity != nil:
			identity = *r.Identity
		case r.Event.Help:
			helps++
		}
	}
	if identity != (screening.Identity{First: "Ana", Last: "Núñez", Birth: "1985-03-07"}) {
		t.Errorf("stored identity = %+v", identity)
	}
	if helps != 1 {
		t.Errorf("help events = %d, want 1", helps)
	}
	for _, st := range asked {
		if _, ok := answers[st.Key()]; !ok {
			t.Errorf("answer to %v not stored", st.Key())
		}
	}
	if a := answers[screening.Key{Instrument: "phq9", Item: "9"}]; a.Choice != "several_days" {
		t.Errorf("PHQ-9 item 9 stored as %+v", a)
	}
}

func TestPreferNotToAnswerItem9(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"phq9"} })
	h.begin("Bo", "Li")
	for i := 0; i < 8; i++ {
		h.answer("Not at all")
	}
	h.tap("Prefer not to answer")
	h.wantScreen(ui.ScreenReview) // no crisis screen for a skipped item 9
	v := h.k.visit
	rs := v.Session().Results(h.clock.Now())
	if rs[0].Scored || !slices.ContainsFunc(rs[0].Flags, func(f *screening.Flag) bool { return f.ID == "item9_declined" }) {
		t.Errorf("PHQ-9 result = %+v", rs[0])
	}
	ss, _ := h.st.Session(context.Background(), v.ID())
	if ss.Urgent {
		t.Error("a skipped item 9 marked the session urgent")
	}
}

func TestBackKeepsAnswers(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"gad7"} })
	h.begin("Cy", "Ro")
	h.answer("Several days")
	h.wantScreen(ui.ScreenQuestion)
	h.tap("Back")
	// the earlier answer is shown as chosen
	bs := h.buttons("Several days")
	if len(bs) != 1 || bs[0].Importance != widget.HighImportance {
		t.Errorf("previous answer not highlighted after Back")
	}
	h.tap("Back")
	h.wantScreen(ui.ScreenBirth)
	if d, ok := find[*touch.DateEntry](h).Date(); !ok || d.Format("2006-01-02") != "1985-03-07" {
		t.Errorf("date of birth not kept: %v %v", d, ok)
	}
}

func TestIdleResetLeavesNothing(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.begin("Zelda", "Quixote")
	for i := 0; i < 4; i++ { // a choice, numbers and the time of the last dose
		h.answer("")
	}
	id := h.k.visit.ID()

	h.clock.Advance(59 * time.Second)
	h.k.Tick()
	if h.k.Prompting() {
		t.Fatal("idle prompt before 60 s")
	}
	h.clock.Advance(time.Second)
	h.k.Tick()
	if !h.shows("Are you still there?") || !h.shows("30 seconds") {
		t.Fatalf("no idle prompt with countdown at 60 s: %q", h.texts())
	}
	h.clock.Advance(10 * time.Second)
	h.k.Tick()
	if !h.shows("20 seconds") {
		t.Errorf("countdown not updated: %q", h.texts())
	}
	// "I'm still here" keeps the patient's place
	h.tap("I'm still here")
	h.wantScreen(ui.ScreenQuestion)
	if h.shows("Are you still there?") {
		t.Error("idle prompt still up after I'm still here")
	}
	// so does a tap anywhere on the shaded screen
	h.clock.Advance(65 * time.Second)
	h.k.Tick()
	test.Tap(find[*touch.Shade](h))
	if h.shows("Are you still there?") {
		t.Error("idle prompt still up after a tap on the shade")
	}

	h.clock.Advance(90 * time.Second)
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)
	// nothing on screen, and nothing in the screens kept for the next patient
	kept := append(textsOf(objectsIn(false, h.w.Content())), h.partsText(ui.ForPatient)...)
	for _, s := range []string{"Zelda", "Quixote", "1985", "March 7"} {
		for _, text := range kept {
			if strings.Contains(text, s) {
				t.Errorf("%q still in a widget after the reset: %q", s, text)
			}
		}
	}
	if h.k.Prompting() {
		t.Error("the idle prompt is still up after the reset")
	}
	ss, err := h.st.Session(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if ss.Status != intakekiosk.Incomplete {
		t.Errorf("status after idle reset = %s, want incomplete", ss.Status)
	}
	recs, _ := h.st.Records(context.Background(), id, h.key)
	if len(recs) < 4 {
		t.Errorf("only %d records kept after the reset", len(recs))
	}
}

func TestHelpFromWelcomeMarksUrgent(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("I need help now")
	h.wantScreen(ui.ScreenCrisis)
	h.tap("Continue")
	h.wantScreen(ui.ScreenWelcome)
	ss, err := h.st.Sessions(context.Background(), sqlite.Filter{})
	if err != nil || len(ss) != 1 || !ss[0].Urgent {
		t.Fatalf("sessions after help = %+v, %v", ss, err)
	}
}

// A full disk refuses the answer with a plain message; the patient's place
// and earlier answers are kept.
func TestFullDiskKeepsPlace(t *testing.T) {
	h := newHarness(t, sqlite.Options{MaxPages: 16}, func(c *ui.Config) { c.Settings.Enabled = []string{"phq9"} })
	h.begin("Ana", "Ortiz")
	h.answer("Several days")
	id := h.k.visit.ID()
	// fill the disk up to the cap
	ctx := context.Background()
	for _, size := range []int{2000, 200, 20, 1} {
		for i := 0; ; i++ {
			err := h.st.Append(ctx, id, h.clock.Now(), intakekiosk.Payload{Note: &intakekiosk.Note{By: "filler", Text: strings.Repeat("x", size)}})
			if errors.Is(err, sqlite.ErrFull) {
				break
			}
			if err != nil || i > 5000 {
				t.Fatalf("filling the disk: %v after %d records", err, i)
			}
		}
	}
	h.tap("More than half the days")
	h.wantScreen(ui.ScreenError)
	if !h.shows("not saved") || !h.shows(en("error.full")) {
		t.Errorf("error screen: %q; want the full-disk words (a kind of error, not its text)", h.texts())
	}
	for _, s := range h.texts() {
		if strings.Contains(s, "SQL") || strings.Contains(s, "database") || strings.Contains(s, "full") {
			t.Errorf("technical detail shown to the patient: %q", s)
		}
	}
	h.tap("Try again")
	h.wantScreen(ui.ScreenError) // still full: still not moving on
	recs, err := h.st.Records(ctx, id, h.key)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		found = found || r.Answer != nil && r.Answer.Item == "1" && r.Answer.Choice == "several_days"
	}
	if !found {
		t.Error("the answer saved before the disk filled is gone")
	}
}

func TestEveryTapReportsActivity(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.clock.Advance(time.Hour)
	h.tap("Start")
	if !h.k.LastTouch().Equal(h.clock.Now()) {
		t.Error("tap on Start did not report activity")
	}
}

func TestAnswerButtonsAreTall(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"phq9"} })
	h.begin("Al", "Bo")
	for _, label := range []string{"Not at all", "Several days", "Back", "Prefer not to answer", "I need help now"} {
		for _, b := range h.buttons(label) {
			if b.Size().Height < touch.OptionHeight {
				t.Errorf("%q is %v tall, want at least %d", label, b.Size().Height, touch.OptionHeight)
			}
		}
	}
}

// A shaky double tap on an answer answers one question, not two: the
// answer buttons stay in place, so the second tap would land on the next
// question's button.
func TestDoubleTapAnswersOnce(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"gad7"} })
	h.begin("Di", "Ng")
	h.tap("Several days")
	h.clock.Advance(100 * time.Millisecond)
	test.Tap(h.buttons("Several days")[0]) // the second tap of the double tap
	if got := h.k.visit.at.Item; got != "2" {
		t.Fatalf("on item %s after a double tap, want item 2", got)
	}
	if _, ok := h.k.visit.Session().Answer(screening.Key{Instrument: "gad7", Item: "2"}); ok {
		t.Error("the second tap of a double tap answered item 2")
	}
}

// After a reset no hidden widget keeps the keyboard focus, so typing on a
// physical keyboard reaches nothing of the last patient's.
func TestTypingAfterResetGoesNowhere(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.begin("Ed", "Fox")
	h.clock.Advance(2 * time.Minute)
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)
	if f := h.w.Canvas().Focused(); f != nil {
		t.Fatalf("%T still has the keyboard focus after the reset", f)
	}
	// the name entry, focused before, takes no more typing
	e := the[*nameScreen](h.k, ui.ScreenFirst).entry
	if e.Text != "" {
		t.Errorf("name entry holds %q after the reset", e.Text)
	}
}

// The consent screen times out like any other.
func TestConsentTimesOut(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("Start")
	h.clock.Advance(91 * time.Second)
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)
}

// Help asked for on the welcome screen is a session of its own; the next
// person to tap Start gets a new one.
func TestHelpAtWelcomeIsItsOwnSession(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("I need help now")
	h.tap("Continue")
	h.begin("Gu", "Ha")
	ss, err := h.st.Sessions(context.Background(), sqlite.Filter{})
	if err != nil || len(ss) != 2 {
		t.Fatalf("sessions = %+v, %v; want the help one and a new one", ss, err)
	}
	for _, s := range ss {
		if s.ID == h.k.visit.ID() && s.Urgent {
			t.Error("the new patient's session inherited the urgent flag")
		}
	}
}

// After a tap on an on-screen key the name entry still has the keyboard
// focus, so a physical keyboard goes on typing into it.
func TestKeyTapKeepsFocus(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("Start")
	h.tap("I agree")
	h.tap("A")
	if f := h.w.Canvas().Focused(); f != the[*nameScreen](h.k, ui.ScreenFirst).entry {
		t.Fatalf("focus after a key tap: %T, want the name entry", f)
	}
	test.Type(h.w.Canvas().Focused(), "na")
	if got := the[*nameScreen](h.k, ui.ScreenFirst).entry.Text; got != "Ana" {
		t.Errorf("entry = %q, want Ana", got)
	}
}

// A patient whose names and typed answer carry unique markers goes through
// the real screens; not one marker is in any byte of the database, its
// -wal and -shm files, or any file the program left in the temporary
// folder. After unlock the same data reads back exactly.
func TestNothingInClearOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"kratom"} })
	h.begin("Qzmarkerfirst", "Qzmarkerlast")
	for h.asking() {
		st, _ := h.k.visit.Session().Step(h.k.visit.at, h.clock.Now())
		if st.Item.Kind == screening.Free {
			test.Type(find[*touch.Entry](h), "Qzmarkermedicine")
			h.tap("Next")
			continue
		}
		h.answer("")
	}
	id := h.k.visit.ID()
	h.tap("Submit my answers")
	markers := []string{"Qzmarker", "first", "medicine", "1985-03-07", "Leaf powder", "leaf"}
	files := []string{h.path, h.path + "-wal", h.path + "-shm"}
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		files = append(files, filepath.Join(tmp, e.Name()))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue // a folder, or -shm gone after a checkpoint
		}
		for _, m := range markers {
			if bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(m))) {
				t.Errorf("%s holds %q in clear", filepath.Base(f), m)
			}
		}
	}
	recs, err := h.st.Records(context.Background(), id, h.key)
	if err != nil {
		t.Fatal(err)
	}
	var names, medicine bool
	for _, r := range recs {
		if r.Identity != nil && r.Identity.First == "Qzmarkerfirst" && r.Identity.Last == "Qzmarkerlast" && r.Identity.Birth == "1985-03-07" {
			names = true
		}
		if r.Answer != nil && r.Answer.Text == "Qzmarkermedicine" {
			medicine = true
		}
	}
	if !names || !medicine {
		t.Errorf("after unlock: identity read back %v, medicine %v", names, medicine)
	}
}

// Return on a physical keyboard answers a number or time question as Next
// does.
func TestReturnAnswersNumberAndTime(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"kratom"} })
	h.begin("Al", "Bo")
	h.answer("") // forms
	ne := find[*touch.NumberEntry](h)
	h.clock.Advance(ui.TapGuard)
	test.Type(ne, "4")
	ne.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.k.visit.at.Item != "grams_per_day" {
		t.Fatalf("after Return on doses: item %s", h.k.visit.at.Item)
	}
	h.answer("") // grams
	h.answer("") // duration
	we := find[*touch.WhenEntry](h)
	h.clock.Advance(ui.TapGuard)
	test.Type(we.Focusable(), "20")
	we.Focusable().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.k.visit.at.Item == "last_dose" {
		t.Fatal("Return did not answer the time question")
	}
}
