package touch

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk/screening"
)

var (
	whenTestNow = time.Date(2026, 3, 10, 15, 30, 0, 0, time.UTC)
	whenTestLoc = time.FixedZone("clinic", -5*3600)
)

func whenTestEntry(t *testing.T) (*WhenEntry, fyne.Window, *int) {
	t.Helper()
	inpApp(t)
	tt, n := inpTouch(t)
	tt.Location = whenTestLoc // the clinic's zone, not the system's
	w := tt.NewWhenEntry(func() time.Time { return whenTestNow })
	win := test.NewTempWindow(t, w)
	return w, win, n
}

// whenTestTap taps, in order: a mode ("hours", "days", "datetime"), an
// hour ("8pm", "12am"), or keypad keys of the current mode ("12<").
func whenTestTap(t *testing.T, w *WhenEntry, taps ...string) {
	t.Helper()
	for _, tap := range taps {
		switch {
		case tap == givenHours || tap == givenDays || tap == givenDateTime:
			for i, m := range whenModes {
				if m == tap {
					test.Tap(w.modes[i])
				}
			}
		case strings.HasSuffix(tap, "am") || strings.HasSuffix(tap, "pm"):
			var h int
			for i := range 24 {
				name := strings.ToLower(strings.ReplaceAll(w.t.Words.When.HourName(i), " ", ""))
				if strings.HasPrefix(name, tap) {
					h = i
				}
			}
			test.Tap(w.hourKeys[h])
		case w.mode == 2:
			dateTestTap(t, w.date, tap)
		case w.mode == 1:
			padTestTap(t, w.days, tap)
		default:
			padTestTap(t, w.hours, tap)
		}
	}
}

func TestWhenEntryValues(t *testing.T) {
	tests := []struct {
		name   string
		taps   []string
		at     time.Time
		given  string
		amount float64
		ok     bool
	}{
		{name: "nothing yet"},
		{name: "hours ago", taps: []string{"5"}, at: whenTestNow.Add(-5 * time.Hour), given: "hours", amount: 5, ok: true},
		{name: "zero hours", taps: []string{"0"}, at: whenTestNow, given: "hours", amount: 0, ok: true},
		{name: "999 hours at most", taps: []string{"9999"}, at: whenTestNow.Add(-999 * time.Hour), given: "hours", amount: 999, ok: true},
		{name: "days ago", taps: []string{"days", "2"}, at: whenTestNow.Add(-48 * time.Hour), given: "days", amount: 2, ok: true},
		{name: "3650 days at most", taps: []string{"days", "3651"}, at: whenTestNow.Add(-365 * 24 * time.Hour), given: "days", amount: 365, ok: true},
		{name: "days empty", taps: []string{"5", "days"}},
		{name: "back to hours keeps them", taps: []string{"5", "days", "3", "hours"}, at: whenTestNow.Add(-5 * time.Hour), given: "hours", amount: 5, ok: true},
		{name: "date and time", taps: []string{"datetime", "03092026", "8pm"},
			at: time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC), given: "datetime", ok: true},
		{name: "hour first", taps: []string{"datetime", "12am", "03102026"},
			at: time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC), given: "datetime", ok: true},
		{name: "noon", taps: []string{"datetime", "3102026", "12pm"},
			at: time.Date(2026, 3, 10, 17, 0, 0, 0, time.UTC), given: "datetime", ok: true},
		{name: "no hour", taps: []string{"datetime", "03092026"}},
		{name: "no year", taps: []string{"datetime", "0309202", "8am"}},
		{name: "not a date", taps: []string{"datetime", "0231", "8am"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, _, _ := whenTestEntry(t)
			changed := 0
			w.OnChanged = func() { changed++ }
			whenTestTap(t, w, tc.taps...)
			at, given, amount, ok := w.Value()
			if ok != tc.ok || !at.Equal(tc.at) || given != tc.given || amount != tc.amount {
				t.Errorf("Value() = %v %q %v %v; want %v %q %v %v", at, given, amount, ok, tc.at, tc.given, tc.amount, tc.ok)
			}
			if ok && at.Location() != time.UTC {
				t.Errorf("at in %v, not UTC", at.Location())
			}
			if len(tc.taps) > 0 && changed == 0 {
				t.Error("OnChanged never called")
			}
		})
	}
}

func TestWhenEntryReadsBack(t *testing.T) {
	w, _, _ := whenTestEntry(t)
	whenTestTap(t, w, "datetime", "0309")
	if w.date.line.Text != w.t.Words.Date.HintYear {
		t.Errorf("line %q", w.date.line.Text)
	}
	whenTestTap(t, w, "2026")
	if want := "March 9, 2026. Now tap the hour."; w.date.line.Text != want {
		t.Errorf("line %q, want %q", w.date.line.Text, want)
	}
	whenTestTap(t, w, "8pm")
	if want := "March 9, 2026 at 8 PM"; w.date.line.Text != want {
		t.Errorf("line %q, want %q", w.date.line.Text, want)
	}
	whenTestTap(t, w, "12am")
	if want := "March 9, 2026 at 12 AM (midnight)"; w.date.line.Text != want {
		t.Errorf("line %q, want %q", w.date.line.Text, want)
	}
	whenTestTap(t, w, "hours", "1")
	if got := w.hours.display.String(); got != "1 hour ago" {
		t.Errorf("hours display %q", got)
	}
}

func TestWhenEntrySet(t *testing.T) {
	at := func(d time.Duration) *time.Time { v := whenTestNow.Add(-d); return &v }
	dt := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC) // 8 PM on March 9 in the clinic
	tests := []struct {
		name  string
		a     screening.Answer
		mode  int
		shown string
	}{
		{"hours", screening.Answer{Time: at(7 * time.Hour), Given: "hours", Amount: 7}, 0, "7"},
		{"days", screening.Answer{Time: at(72 * time.Hour), Given: "days", Amount: 3}, 1, "3"},
		{"datetime", screening.Answer{Time: &dt, Given: "datetime"}, 2, "March 9, 2026 at 8 PM"},
		{"a time given no way", screening.Answer{Time: &dt}, 2, "March 9, 2026 at 8 PM"},
		{"nothing", screening.Answer{Declined: true}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, _, _ := whenTestEntry(t)
			// Something typed before is replaced.
			whenTestTap(t, w, "days", "9", "datetime", "8am")
			called := false
			w.OnChanged = func() { called = true }
			w.Set(tc.a)
			if called {
				t.Error("Set called OnChanged")
			}
			if w.mode != tc.mode || !w.panels[tc.mode].Visible() {
				t.Errorf("mode %d, want %d", w.mode, tc.mode)
			}
			var shown string
			switch tc.mode {
			case 0:
				shown = w.hours.text
			case 1:
				shown = w.days.text
			case 2:
				shown = w.date.line.Text
			}
			if shown != tc.shown {
				t.Errorf("shows %q, want %q", shown, tc.shown)
			}
			at, given, amount, ok := w.Value()
			if tc.shown == "" {
				if ok {
					t.Errorf("Value() = %v, want none", at)
				}
				return
			}
			want := tc.a.Given
			if want == "" {
				want = "datetime"
			}
			if !ok || !at.Equal(*tc.a.Time) || given != want || amount != tc.a.Amount {
				t.Errorf("Value() = %v %q %v %v, want %v %q %v", at, given, amount, ok, *tc.a.Time, want, tc.a.Amount)
			}
			w.Clear()
			if _, _, _, ok := w.Value(); ok || w.mode != 0 || w.hour != -1 || w.days.text != "" {
				t.Errorf("after Clear: ok %v, mode %d, hour %d", ok, w.mode, w.hour)
			}
		})
	}
}

func TestWhenEntryTapsAndFocus(t *testing.T) {
	w, win, n := whenTestEntry(t)
	whenTestTap(t, w, "5")
	if win.Canvas().Focused() != w.hours {
		t.Errorf("focus on %T after a keypad tap", win.Canvas().Focused())
	}
	whenTestTap(t, w, "days")
	if win.Canvas().Focused() != w.days {
		t.Errorf("focus on %T after the days mode", win.Canvas().Focused())
	}
	win.Canvas().Focused().TypedRune('4')
	whenTestTap(t, w, "datetime", "8pm")
	if win.Canvas().Focused() != w.date {
		t.Errorf("focus on %T after an hour", win.Canvas().Focused())
	}
	for _, r := range "3/9/2026" {
		win.Canvas().Focused().TypedRune(r)
	}
	if _, given, _, ok := w.Value(); !ok || given != "datetime" {
		t.Errorf("typed date: %q %v", given, ok)
	}
	if *n < 5 {
		t.Errorf("%d activity reports", *n)
	}
	if v, _ := w.days.Value(); v != 4 {
		t.Errorf("days typed %v", v)
	}
}

func TestWhenEntryEveryTapReported(t *testing.T) {
	w, _, n := whenTestEntry(t)
	buttons := inpButtons(w)
	for _, b := range buttons {
		test.Tap(b)
	}
	if *n != len(buttons) {
		t.Errorf("%d of %d taps reported", *n, len(buttons))
	}
}

func TestWhenEntryKeysAndFit(t *testing.T) {
	w, win, _ := whenTestEntry(t)
	win.Resize(fyne.NewSize(1280, 800))
	keys := inpButtons(w)
	// 3 modes, 2 number keypads of 12, a date keypad of 12, 24 hours.
	if len(keys) != 3+12+12+12+24 {
		t.Errorf("%d buttons", len(keys))
	}
	for _, b := range keys {
		if b.MinSize().Height < KeyHeight {
			t.Errorf("key %q is %v tall", b.Text, b.MinSize().Height)
		}
	}
	for mode, name := range whenModes {
		whenTestTap(t, w, name)
		if mode == 2 {
			whenTestTap(t, w, "03092026", "8pm")
		}
		if m := w.MinSize(); m.Width > 1240 || m.Height > 420 {
			t.Errorf("%s: when entry needs %v, more than 1240x420", name, m)
		}
		win.Content().Refresh()
		for _, b := range inpButtons(w.panels[mode]) {
			if s := b.Size(); s.Height < KeyHeight || s.Width < KeyHeight {
				t.Errorf("%s: key %q laid out at %v", name, b.Text, s)
			}
		}
		inpShot(t, win, "when-"+name)
	}
}
