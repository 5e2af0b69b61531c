package patient

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
)

// returning stores one finished screening and gives its patient a
// check-in code, made with the screening's date of birth (typeCode then
// types it after the code).
func (h *harness) returning() (patient, code string) {
	h.t.Helper()
	h.seed(1)
	return h.giveCode("s00")
}

// giveCode gives the patient of a stored screening a check-in code, as
// staff do: with the date of birth the screening holds, which typeCode
// then types after the code.
func (h *harness) giveCode(screeningID string) (patient, code string) {
	h.t.Helper()
	ctx := context.Background()
	recs, err := h.st.Records(ctx, screeningID, h.key)
	if err != nil {
		h.t.Fatal(err)
	}
	birth := ""
	for _, r := range recs {
		if r.Identity != nil {
			birth = r.Identity.Birth
		}
	}
	patient, code, err = h.st.IssueCode(ctx, screeningID, birth, testAdmin, h.clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	if h.births == nil {
		h.births = map[string]string{}
	}
	h.births[code] = birth
	return patient, code
}

// typeCode taps a code on the code keypad and taps Check in, then, on
// the date of birth, the date the code was given with (a code not given
// here: Jan 1, 1970) and Check in, and waits for the look-up.
func (h *harness) typeCode(code string) {
	h.t.Helper()
	c := the[*codeScreen](h.k, ui.ScreenCode)
	for _, r := range code {
		i := strings.IndexRune(sqlite.CodeAlphabet, r)
		if i < 0 {
			h.t.Fatalf("%q is not on the code keypad", r)
		}
		h.clock.Advance(ui.TapGuard) // a person's taps are this far apart at least
		test.Tap(c.keys[i])
	}
	h.tap(h.k.T("code.go"))
	if h.k.Screen() != ui.ScreenCheckinBirth {
		return // a code too short
	}
	birth, ok := h.births[code]
	if !ok {
		birth = "1970-01-01"
	}
	h.typeBirth(birth)
}

// typeBirth taps a date of birth (YYYY-MM-DD) on the date keypad of the
// check-in and taps Check in, then waits for the look-up.
func (h *harness) typeBirth(birth string) {
	h.t.Helper()
	h.wantScreen(ui.ScreenCheckinBirth)
	d, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		h.t.Fatal(err)
	}
	h.tapDate(d.Format("01022006"))
	h.tap(h.k.T("code.go"))
	h.wait()
}

// tapDate taps digits on the check-in's date keypad, each a tap guard
// after the one before.
func (h *harness) tapDate(digits string) {
	h.t.Helper()
	de := the[*checkinBirthScreen](h.k, ui.ScreenCheckinBirth).de
	for _, r := range digits {
		h.clock.Advance(ui.TapGuard)
		h.tapDateKey(de, r)
	}
}

// tapDateKey taps one key of a date entry's keypad ('<' is Backspace)
// without moving the clock.
func (h *harness) tapDateKey(de *touch.DateEntry, r rune) {
	h.t.Helper()
	label := string(r)
	var hit *touch.Button
	for _, b := range uitest.Buttons(uitest.In(false, de), "") {
		if (r == '<' && b.Text == "" && b.Icon != nil) || (r != '<' && b.Text == label) {
			hit = b
		}
	}
	if hit == nil {
		h.t.Fatalf("no key %q on the date keypad", r)
	}
	test.Tap(hit)
}

// Back from the first check-in question leaves the check-in: the session
// is on record as incomplete, the kiosk is on the welcome screen.
func TestCheckinBackLeaves(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	_, code := h.returning()
	h.tap("Coming back? Daily check-in with your code")
	h.typeCode(code)
	h.wantScreen(ui.ScreenQuestion)
	h.tap("Back")
	h.wantScreen(ui.ScreenWelcome)
	list, _ := h.st.Sessions(context.Background(), sqlite.Filter{Kind: intakekiosk.Checkin})
	if len(list) != 1 || list[0].Status != intakekiosk.Incomplete {
		t.Errorf("check-ins %+v", list)
	}
}

// Wrong codes in a row make the kiosk wait, and say for how long.
func TestCheckinSlowsDown(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("Coming back? Daily check-in with your code")
	for range 3 {
		h.typeCode("22222222")
	}
	if !h.shows("Too many tries. Please wait about 5 seconds, or ask the front desk.") {
		t.Errorf("after 3 wrong codes: %q", h.texts())
	}
	h.clock.Advance(6 * time.Second)
	h.typeCode("22222222")
	if !h.shows("Too many tries. Please wait about 10 seconds, or ask the front desk.") {
		t.Errorf("after 4 wrong codes: %q", h.texts())
	}
}

// Help asked for on the code screen is carried to the check-in that
// follows: one session, urgent, with the help request on record.
func TestCheckinHelpOnCodeScreen(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	patient, code := h.returning()
	h.tap("Coming back? Daily check-in with your code")
	h.tap("I need help now")
	h.wantScreen(ui.ScreenCrisis)
	h.tap("Continue")
	h.wantScreen(ui.ScreenCode)
	h.typeCode(code)
	h.wantScreen(ui.ScreenQuestion)
	ctx := context.Background()
	list, err := h.st.Sessions(ctx, sqlite.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, s := range list {
		if s.Status == intakekiosk.InProgress {
			open++
		}
	}
	checkins, _ := h.st.Sessions(ctx, sqlite.Filter{Patient: patient, Kind: intakekiosk.Checkin})
	if len(checkins) != 1 || !checkins[0].Urgent || open != 1 {
		t.Fatalf("sessions %+v", list)
	}
	recs, err := h.st.Records(ctx, checkins[0].ID, h.key)
	if err != nil {
		t.Fatal(err)
	}
	helps := 0
	for _, r := range recs {
		if r.Event.Help {
			helps++
		}
	}
	if helps != 1 {
		t.Errorf("%d help events on the check-in", helps)
	}
}

// failOnce is the store with one failing CreateCheckin (a disk full, an
// import holding the write lock).
type failOnce struct {
	*sqlite.Store
	failed bool
}

func (f *failOnce) CreateCheckin(ctx context.Context, id, patientID string, started time.Time) error {
	if !f.failed {
		f.failed = true
		return sqlite.ErrFull
	}
	return f.Store.CreateCheckin(ctx, id, patientID, started)
}

// A help request before the code survives a failed start of the
// check-in: after Try again the check-in is urgent, with one session.
func TestCheckinHelpSurvivesRetry(t *testing.T) {
	var fs *failOnce
	h := newHarness(t, sqlite.Options{}, nil)
	fs = &failOnce{Store: h.st}
	h.useStore(fs)
	patient, code := h.returning()
	h.tap("Coming back? Daily check-in with your code")
	h.tap("I need help now")
	h.tap("Continue")
	h.typeCode(code)
	h.wantScreen(ui.ScreenError)
	h.tap(en("error.retry"))
	h.wantScreen(ui.ScreenQuestion)
	checkins, _ := h.st.Sessions(context.Background(), sqlite.Filter{Patient: patient, Kind: intakekiosk.Checkin})
	if len(checkins) != 1 || !checkins[0].Urgent {
		t.Errorf("check-ins after a retry: %+v", checkins)
	}
}

// A physical keyboard types the code too (lower case counts), Backspace
// takes a character back and Return checks it; on other screens typing
// goes nowhere.
func TestCheckinCodeTyped(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	_, code := h.returning()
	cv := h.w.Canvas()
	if cv.OnTypedRune() != nil {
		t.Error("typing on the welcome screen goes somewhere")
	}
	h.tap("Coming back? Daily check-in with your code")
	test.TypeOnCanvas(cv, strings.ToLower(code[:5])+"1!")
	if got := string(the[*codeScreen](h.k, ui.ScreenCode).code); got != code[:5] {
		t.Errorf("typed %q, want %q (1 and ! are not code characters)", got, code[:5])
	}
	cv.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	test.TypeOnCanvas(cv, code[4:])
	cv.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.wantScreen(ui.ScreenCheckinBirth)
	if cv.OnTypedRune() != nil {
		t.Error("typing on the date of birth goes to the code screen")
	}
	// the date typed on the keyboard too, Return checks it
	birth, _ := time.Parse(time.DateOnly, h.births[code])
	h.clock.Advance(ui.TapGuard)
	test.Type(cv.Focused(), birth.Format("01022006"))
	cv.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.wait()
	h.wantScreen(ui.ScreenQuestion)
	if cv.OnTypedRune() != nil {
		t.Error("typing on a question screen goes to the code screen")
	}
}

// Return pressed on the idle prompt over the code screen counts as a
// touch: the prompt goes and the check-in starts.
func TestCheckinReturnAfterIdlePrompt(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	_, code := h.returning()
	h.tap("Coming back? Daily check-in with your code")
	cv := h.w.Canvas()
	test.TypeOnCanvas(cv, code)
	h.clock.Advance(60 * time.Second)
	h.k.Tick()
	if !h.k.Prompting() {
		t.Fatal("no idle prompt after 60 s")
	}
	cv.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.k.Prompting() {
		t.Error("the idle prompt stays after Return")
	}
	h.typeBirth(h.births[code])
	h.wantScreen(ui.ScreenQuestion)
}

// A key of the code pad that took the focus (Tab on a physical keyboard)
// hands typing on to the code.
func TestCheckinCodeAfterTab(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.tap("Coming back? Daily check-in with your code")
	cv := h.w.Canvas()
	cv.Focus(the[*codeScreen](h.k, ui.ScreenCode).keys[0])
	cv.Focused().TypedRune('k')
	if got := string(the[*codeScreen](h.k, ui.ScreenCode).code); got != "K" {
		t.Errorf("typed %q after Tab, want \"K\"", got)
	}
	if cv.Focused() != nil {
		t.Error("the key keeps the focus")
	}
}

// Every check-in asks the two safety questions; a Yes shows the crisis
// screen and puts the check-in on record as urgent, as PHQ-9 item 9 does
// at screening (issue 12, item 4).
func TestCheckinSafetyQuestion(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	_, code := h.returning()
	h.tap("Coming back? Daily check-in with your code")
	h.typeCode(code)
	asked := false
	for range 60 {
		h.wantScreen(ui.ScreenQuestion)
		st, _ := h.k.Question()
		if st.Instrument.ID == "checkin_safety" {
			asked = true
			if !h.shows("Since your last visit, have you wished you were dead") {
				t.Errorf("the first safety question: %q", h.texts())
			}
			h.tap("Yes")
			break
		}
		h.tap(en("question.decline"))
		h.wait()
	}
	if !asked {
		t.Fatal("the check-in never asked the safety questions")
	}
	h.wait()
	h.wantScreen(ui.ScreenCrisis)
	list, _ := h.st.Sessions(context.Background(), sqlite.Filter{Kind: intakekiosk.Checkin})
	if len(list) != 1 || !list[0].Urgent || !list[0].Pinned() {
		t.Errorf("check-ins %+v, want the one urgent", list)
	}
}

// A check-in at the kiosk asks what the clinic's schedule has due: on the
// default schedule a first check-in asks the BAM, and the session names
// what it asked; once submitted, the next check-in the same day does not
// ask it again.
func TestCheckinOnSchedule(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Settings.Schedule, _ = screening.ParseSchedule(settings.DefaultSchedule)
	})
	patient, code := h.returning()
	ctx := context.Background()
	asks := func() []string {
		t.Helper()
		h.tap("Coming back? Daily check-in with your code")
		h.typeCode(code)
		h.wantScreen(ui.ScreenQuestion)
		var ids []string
		for _, in := range h.k.visit.Session().Instruments() {
			ids = append(ids, in.ID)
		}
		return ids
	}
	first := asks()
	if !slices.Contains(first, "bam") || !slices.Contains(first, "sows") || !slices.Contains(first, "checkin_use") {
		t.Fatalf("a first check-in asks %v", first)
	}
	if err := h.k.visit.Submit(ctx); err != nil {
		t.Fatal(err)
	}
	h.k.Reset("test: the next patient")
	asked, err := h.st.Asked(ctx, patient)
	if err != nil || asked["bam"] == "" {
		t.Fatalf("asked after the check-in: %v, %v", asked, err)
	}
	if again := asks(); slices.Contains(again, "bam") || !slices.Contains(again, "sows") {
		t.Errorf("the next check-in the same day asks %v", again)
	}
}
