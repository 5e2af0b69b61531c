package patient

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/vault"
)

// checkins are the check-in sessions on record.
func (h *harness) checkins() []intakekiosk.Session {
	h.t.Helper()
	list, err := h.st.Sessions(context.Background(), sqlite.Filter{Kind: intakekiosk.Checkin})
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

// typeCodeOnly taps a code and Check in: the date of birth is asked.
func (h *harness) typeCodeOnly(code string) {
	h.t.Helper()
	c := the[*codeScreen](h.k, ui.ScreenCode)
	for _, r := range code {
		h.clock.Advance(ui.TapGuard)
		h.tapButton(c.keys[strings.IndexRune(sqlite.CodeAlphabet, r)])
	}
	h.tap(h.k.T("code.go"))
	h.wantScreen(ui.ScreenCheckinBirth)
}

// tapButton taps a button without moving the clock.
func (h *harness) tapButton(b *touch.Button) {
	h.t.Helper()
	b.Tapped(&fyne.PointEvent{})
}

// After the code the kiosk asks the date of birth before any question,
// and starts the check-in only with the right one; a wrong date is said
// as a wrong code is, word for word, back on the code screen with
// nothing typed, no session started, and counted as a wrong code: after
// the same number of tries the kiosk waits, wrong codes and wrong dates
// mixed. The right code and date after the wait check in.
func TestCheckinBirthConfirms(t *testing.T) {
	for _, lang := range []string{"English", "Español"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t, sqlite.Options{}, nil)
			patient, code := h.returning()
			birth, _ := time.Parse(time.DateOnly, h.births[code])
			h.tap(lang)
			h.tap(h.k.T("welcome.checkin"))
			h.typeCodeOnly(code)
			if !h.shows(h.k.T("birth.title")) || !h.shows(h.k.T("code.birth_explain")) {
				t.Fatalf("the date of birth screen: %q", h.texts())
			}
			if len(h.checkins()) != 0 {
				t.Fatal("a check-in started before the date of birth")
			}
			// a wrong date: the wrong code's words, on the code screen
			h.typeBirth(birth.AddDate(0, 0, 1).Format(time.DateOnly))
			h.wantScreen(ui.ScreenCode)
			wrongDate := h.texts()
			if !h.shows(h.k.T("code.not_found")) {
				t.Errorf("after a wrong date: %q", wrongDate)
			}
			if got := string(the[*codeScreen](h.k, ui.ScreenCode).code); got != "" {
				t.Errorf("the code stays typed: %q", got)
			}
			// a wrong code: the same screen, word for word
			wrong := "22222222"
			if wrong == code {
				wrong = "33333333"
			}
			h.typeCodeOnly(wrong)
			h.typeBirth(birth.Format(time.DateOnly))
			h.wantScreen(ui.ScreenCode)
			if got := h.texts(); strings.Join(got, "\n") != strings.Join(wrongDate, "\n") {
				t.Errorf("a wrong code reads %q, a wrong date %q", got, wrongDate)
			}
			if len(h.checkins()) != 0 {
				t.Error("a wrong try started a check-in")
			}
			// the third wrong try, a date again: the kiosk waits
			h.typeCodeOnly(code)
			h.typeBirth(birth.AddDate(-1, 0, 0).Format(time.DateOnly))
			h.wantScreen(ui.ScreenCode)
			if !h.shows(h.k.T("code.wait", h.k.waitWords(5*time.Second))) {
				t.Errorf("after three wrong tries: %q", h.texts())
			}
			h.clock.Advance(6 * time.Second)
			h.typeCodeOnly(code)
			h.typeBirth(birth.Format(time.DateOnly))
			h.wantScreen(ui.ScreenQuestion)
			if list := h.checkins(); len(list) != 1 || list[0].PatientID != patient {
				t.Errorf("check-ins %+v", list)
			}
		})
	}
}

// A code issued before check-ins asked the date of birth sends the
// patient kindly to the front desk, and so does a plan whose check-ins
// ended; neither starts a check-in.
func TestCheckinBirthSeeTheDesk(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(h *harness, patient string, key *vault.ClinicKey)
		key  string
	}{
		{"a code issued before", func(h *harness, _ string, _ *vault.ClinicKey) { codeOfBefore(h.t, h.path) }, "code.reissue"},
		{"a plan ended yesterday", func(h *harness, patient string, key *vault.ClinicKey) {
			now := h.clock.Now()
			plan := &trend.Plan{Start: now.AddDate(0, 0, -20), StartDose: 20, Percent: 10, EveryDays: 3, Ends: trend.Day(now.AddDate(0, 0, -1), h.k.Location())}
			if err := h.st.SetPlan(context.Background(), patient, key, plan, testAdmin, now); err != nil {
				h.t.Fatal(err)
			}
		}, "code.plan_ended"},
	} {
		for _, lang := range []string{"English", "Español"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				h := newHarness(t, sqlite.Options{}, nil)
				patient, code := h.returning()
				tc.edit(h, patient, h.key)
				h.tap(lang)
				h.tap(h.k.T("welcome.checkin"))
				h.typeCode(code)
				h.wantScreen(ui.ScreenCode)
				if !h.shows(h.k.T(tc.key)) {
					t.Errorf("want %q: %q", h.k.T(tc.key), h.texts())
				}
				if len(h.checkins()) != 0 {
					t.Error("a check-in started")
				}
			})
		}
	}
	if en("code.plan_ended") != "Your check-in plan has ended. Please see the front desk." {
		t.Errorf("code.plan_ended reads %q", en("code.plan_ended"))
	}
}

// A tremor taps twice at the same place, 350 to 500 ms apart: on the
// date keypad and on the code keypad the second tap enters nothing,
// while a digit meant twice, tapped again after the guard, goes in.
func TestCheckinBirthDoubleTap(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	_, code := h.returning()
	h.tap(h.k.T("welcome.checkin"))
	c := the[*codeScreen](h.k, ui.ScreenCode)
	first := c.keys[strings.IndexRune(sqlite.CodeAlphabet, rune(code[0]))]
	h.clock.Advance(ui.TapGuard)
	h.tapButton(first)
	h.clock.Advance(400 * time.Millisecond)
	h.tapButton(first)
	if got := string(c.code); got != code[:1] {
		t.Errorf("a double tap on the code keypad typed %q", got)
	}
	c.Clear()
	h.typeCodeOnly(code)
	de := the[*checkinBirthScreen](h.k, ui.ScreenCheckinBirth).de
	for _, gap := range []time.Duration{350, 400, 450, 500} {
		de.Clear()
		h.clock.Advance(ui.TapGuard)
		h.tapDateKey(de, '1')
		h.clock.Advance(gap * time.Millisecond)
		h.tapDateKey(de, '1') // the tremor's: dropped
		h.tapDate("2251990")  // then December 25, 1990
		if d, ok := de.Date(); !ok || d.Format(time.DateOnly) != "1990-12-25" {
			t.Errorf("%v ms apart: the date reads %v %v, want 1990-12-25 (the second 1 dropped)", gap, d, ok)
		}
	}
	// November: 1, then 1 again after the guard
	de.Clear()
	h.clock.Advance(ui.TapGuard)
	h.tapDateKey(de, '1')
	h.clock.Advance(ui.TapGuard)
	h.tapDateKey(de, '1')
	h.tapDate("111990")
	if d, ok := de.Date(); !ok || d.Format(time.DateOnly) != "1990-11-11" {
		t.Errorf("1, 1, 1, 1, 1, 9, 9, 0 a guard apart: %v %v", d, ok)
	}
}

// A reset in the middle of the date of birth (the patient walks away)
// leaves nothing of the code nor of the date on any screen, and the
// next patient's Check in there types a code again.
func TestCheckinBirthResetLeavesNothing(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	_, code := h.returning()
	h.tap(h.k.T("welcome.checkin"))
	h.typeCodeOnly(code)
	h.tapDate("0704")
	if !h.shows("07") {
		t.Fatalf("the date typed is not shown: %q", h.texts())
	}
	h.clock.Advance(h.k.Config().Settings.Idle + 31*time.Second)
	h.k.Tick()
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)
	s := the[*checkinBirthScreen](h.k, ui.ScreenCheckinBirth)
	if s.code != "" {
		t.Error("the code is kept after the reset")
	}
	if _, ok := s.de.Date(); ok {
		t.Error("a date is kept")
	}
	for _, txt := range h.partsText(ui.ForPatient) {
		if strings.Contains(strings.ReplaceAll(txt, " ", ""), code[:4]) || strings.Contains(txt, "07") || strings.Contains(txt, "04") {
			t.Errorf("left after the reset: %q", txt)
		}
	}
	// the screen's Check in with no code goes back to the code
	h.k.showCheckinBirth("")
	h.tap(h.k.T("code.go"))
	h.wantScreen(ui.ScreenCode)
}

// The date of birth and every message the code screen says after it fit
// whole, at every text size, in English and Spanish: nothing cut short.
func TestCheckinBirthFits(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		for step := range touch.TextSteps {
			t.Run(fmt.Sprintf("%s/%v", lang, touch.TextScale(step)), func(t *testing.T) {
				h := newHarness(t, sqlite.Options{}, nil)
				k := h.k
				k.SetLang(lang)
				k.SetTextStep(step)
				check := h.fits(t, fyne.Size{})
				k.showCheckinBirth("K7QM2XPA")
				check("check-in date of birth")
				s := the[*checkinBirthScreen](k, ui.ScreenCheckinBirth)
				for _, key := range []string{"birth.incomplete", "birth.year", "code.busy"} {
					s.say(k.T(key))
					wholeNotice(t, h, s.msg, key)
				}
				for _, key := range []string{"code.not_found", "code.reissue", "code.plan_ended", "code.failed"} {
					k.showCodeSaying(k.T(key))
					check("code screen: " + key)
					wholeNotice(t, h, the[*codeScreen](k, ui.ScreenCode).msg, key)
				}
				k.showCodeSaying(k.T("code.wait", k.waitWords(4*time.Minute)))
				wholeNotice(t, h, the[*codeScreen](k, ui.ScreenCode).msg, "code.wait")
			})
		}
	}
}

// wholeNotice fails when a notice's text needs more room than it keeps
// (it would end in an ellipsis).
func wholeNotice(t *testing.T, h *harness, n touch.Notice, what string) {
	t.Helper()
	h.w.Content().Refresh()
	size := n.Size()
	l := widget.NewLabel(n.Text)
	l.Wrapping, l.TextStyle, l.SizeName = fyne.TextWrapWord, n.TextStyle, n.SizeName
	l.Resize(fyne.NewSize(size.Width, 1))
	if need := l.MinSize().Height; need > size.Height+0.5 {
		t.Errorf("%s: %q needs %.0f px, the notice keeps %.0f (%.0f wide): cut short", what, n.Text, need, size.Height, size.Width)
	}
}

// codeOfBefore makes the patients' codes in the database at path codes of
// a release before check-ins asked the date of birth: no check-in hash
// nor box, as that release left them.
func codeOfBefore(tb testing.TB, path string) {
	tb.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE patients SET birth_hash = NULL, checkin_sealed = NULL"); err != nil {
		tb.Fatal(err)
	}
}
