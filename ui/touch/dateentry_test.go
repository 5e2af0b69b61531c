package touch

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// dateTestTap taps digits, "<" (backspace) and "C" (Clear) on a date
// entry's keypad.
func dateTestTap(t *testing.T, d *DateEntry, keys string) {
	t.Helper()
	for _, r := range keys {
		var b *Button
		switch r {
		case '<':
			b = d.keys[len(d.keys)-1]
		case 'C':
			b = d.clear
		default:
			for _, k := range d.keys {
				if k.Text == string(r) {
					b = k
				}
			}
		}
		if b == nil {
			t.Fatalf("no key %q", r)
		}
		test.Tap(b)
	}
}

func TestDateEntryTaps(t *testing.T) {
	dateText := englishWords(t).Date
	tests := []struct {
		keys   string
		digits [3]string
		date   string // YYYY-MM-DD when a valid date
		line   string
	}{
		{"", [3]string{}, "", dateText.HintMonth},
		{"03071985", [3]string{"03", "07", "1985"}, "1985-03-07", "March 7, 1985"},
		{"371985", [3]string{"03", "07", "1985"}, "1985-03-07", "March 7, 1985"},
		{"1225" + "2000", [3]string{"12", "25", "2000"}, "2000-12-25", "December 25, 2000"},
		{"10", [3]string{"10", "", ""}, "", dateText.HintDay},
		{"104", [3]string{"10", "04", ""}, "", dateText.HintYear},
		{"0230", [3]string{"02", "30", ""}, "", "There is no February 30"},
		{"02301", [3]string{"02", "30", ""}, "", "There is no February 30"}, // nothing goes in after a mistake
		{"0431", [3]string{"04", "31", ""}, "", "There is no April 31"},
		{"02291985", [3]string{"02", "29", "1985"}, "", "There is no February 29 in 1985"},
		{"02292000", [3]string{"02", "29", "2000"}, "2000-02-29", "February 29, 2000"},
		{"13", [3]string{"13", "", ""}, "", "There is no month 13"},
		{"00", [3]string{"00", "", ""}, "", "There is no month 0"},
		{"0100", [3]string{"01", "00", ""}, "", "There is no day 0"},
		{"0135", [3]string{"01", "35", ""}, "", "There is no day 35"},
		{"01010000", [3]string{"01", "01", "0000"}, "", "There is no year 0"},
		{"13<4", [3]string{"14", "", ""}, "", "There is no month 14"},
		{"13<2", [3]string{"12", "", ""}, "", dateText.HintDay},
		{"37<", [3]string{"03", "", ""}, "", dateText.HintDay},
		{"37<<", [3]string{}, "", dateText.HintMonth},
		{"1<", [3]string{}, "", dateText.HintMonth},
		{"031<", [3]string{"03", "", ""}, "", dateText.HintDay},
		{"0307198<", [3]string{"03", "07", "19"}, "", dateText.HintYear},
		{"030719855", [3]string{"03", "07", "1985"}, "1985-03-07", "March 7, 1985"},
		{"0307C", [3]string{}, "", dateText.HintMonth},
		{"<<<", [3]string{}, "", dateText.HintMonth},
	}
	for _, tc := range tests {
		t.Run(tc.keys, func(t *testing.T) {
			inpApp(t)
			tt, n := inpTouch(t)
			d := tt.NewDateEntry()
			test.NewTempWindow(t, d)
			dateTestTap(t, d, tc.keys)
			if d.digits != tc.digits {
				t.Errorf("slots %q, want %q", d.digits, tc.digits)
			}
			got, ok := d.Date()
			if tc.date == "" {
				if ok {
					t.Errorf("Date() = %v, want none", got)
				}
			} else if want, _ := time.Parse(time.DateOnly, tc.date); !ok || !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("Date() = %v %v, want %v", got, ok, want)
			}
			if d.line.Text != tc.line {
				t.Errorf("line %q, want %q", d.line.Text, tc.line)
			}
			if *n != len(tc.keys) {
				t.Errorf("%d taps reported, want %d", *n, len(tc.keys))
			}
		})
	}
}

func TestDateEntryShowsSlots(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	d := tt.NewDateEntry()
	test.NewTempWindow(t, d)
	dateTestTap(t, d, "1")
	text := func(i int) string {
		var s string
		for _, seg := range d.slots[i].Segments {
			s += seg.(*widget.TextSegment).Text
		}
		return s
	}
	if text(0) != "1M" || text(1) != "DD" || text(2) != "YYYY" {
		t.Errorf("slots show %q %q %q", text(0), text(1), text(2))
	}
	dateTestTap(t, d, "1")
	if text(0) != "11" {
		t.Errorf("month shows %q", text(0))
	}
}

func TestDateEntryPhysicalKeys(t *testing.T) {
	tests := []struct {
		typed string
		date  string
	}{
		{"3/7/1985", "1985-03-07"},
		{"1/5/2000", "2000-01-05"},
		{"12-25-2000", "2000-12-25"},
		{"03071985", "1985-03-07"},
		{"0/1/1/2000", "2000-01-01"}, // a slash after a lone 0 waits
	}
	for _, tc := range tests {
		t.Run(tc.typed, func(t *testing.T) {
			inpApp(t)
			tt, _ := inpTouch(t)
			d := tt.NewDateEntry()
			changed := 0
			d.OnChanged = func() { changed++ }
			w := test.NewTempWindow(t, d)
			w.Canvas().Focus(d)
			f := w.Canvas().Focused()
			if f != d {
				t.Fatal("not focused")
			}
			for _, r := range tc.typed {
				f.TypedRune(r)
			}
			want, _ := time.Parse(time.DateOnly, tc.date)
			if got, ok := d.Date(); !ok || !got.Equal(want) {
				t.Errorf("Date() = %v %v, want %v", got, ok, want)
			}
			if changed == 0 {
				t.Error("OnChanged not called")
			}
			// Backspace goes back across the slots.
			for range 5 {
				f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
			}
			if d.digits[2] != "" || d.current() != 1 && d.current() != 0 {
				t.Errorf("after 5 backspaces: %q", d.digits)
			}
		})
	}
}

func TestDateEntryKeepsFocus(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	d := tt.NewDateEntry()
	w := test.NewTempWindow(t, d)
	dateTestTap(t, d, "3")
	if w.Canvas().Focused() != d {
		t.Fatalf("focus on %T after a tap", w.Canvas().Focused())
	}
	w.Canvas().Focused().TypedRune('7')
	if d.digits[1] != "07" {
		t.Errorf("day %q", d.digits[1])
	}
}

func TestDateEntrySetDate(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	d := tt.NewDateEntry()
	called := false
	d.OnChanged = func() { called = true }
	loc := time.FixedZone("east", 10*3600)
	d.SetDate(time.Date(1990, 11, 2, 23, 0, 0, 0, loc))
	got, ok := d.Date()
	if !ok || got != time.Date(1990, 11, 2, 0, 0, 0, 0, time.UTC) {
		t.Errorf("Date() = %v %v", got, ok)
	}
	if d.line.Text != "November 2, 1990" {
		t.Errorf("line %q", d.line.Text)
	}
	d.Clear()
	if _, ok := d.Date(); ok || called || d.line.Text != tt.Words.Date.HintMonth {
		t.Errorf("after Clear: ok %v, OnChanged %v, line %q", ok, called, d.line.Text)
	}
}

func TestDateEntryKeysAndFit(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	d := tt.NewDateEntry()
	d.SetDate(time.Date(1985, 9, 27, 0, 0, 0, 0, time.UTC))
	w := test.NewTempWindow(t, d)
	w.Resize(fyne.NewSize(1280, 800))
	keys := inpButtons(d)
	if len(keys) != 12 {
		t.Errorf("%d buttons, want 12", len(keys))
	}
	for _, b := range keys {
		if b.MinSize().Height < KeyHeight || b.Size().Height < KeyHeight {
			t.Errorf("key %q: least %v, laid out %v", b.Text, b.MinSize(), b.Size())
		}
	}
	if m := d.MinSize(); m.Width > 1240 || m.Height > 330 {
		t.Errorf("date entry needs %v", m)
	}
	inpShot(t, w, "date-complete")
	d.Clear()
	dateTestTap(t, d, "0230")
	inpShot(t, w, "date-invalid")
}

// A tremor taps twice at the same place, 350 to 500 ms apart: with the
// guard on, the second tap of a digit or of Backspace enters nothing,
// while a digit tapped again after the guard, another digit at once, and
// the first tap after Clear all go in.
func TestDateEntrySteady(t *testing.T) {
	const guard = 700 * time.Millisecond
	type tap struct {
		key   rune
		after time.Duration // since the tap before
	}
	for _, tc := range []struct {
		name   string
		taps   []tap
		digits [3]string
	}{
		{"a double tap on 1 enters one 1", []tap{{'1', 0}, {'1', 400 * time.Millisecond}}, [3]string{"1", "", ""}},
		{"350 ms apart", []tap{{'1', 0}, {'1', 350 * time.Millisecond}}, [3]string{"1", "", ""}},
		{"500 ms apart", []tap{{'1', 0}, {'1', 500 * time.Millisecond}}, [3]string{"1", "", ""}},
		{"1 again after the guard is 11", []tap{{'1', 0}, {'1', 400 * time.Millisecond}, {'1', 700 * time.Millisecond}}, [3]string{"11", "", ""}},
		{"another digit at once goes in", []tap{{'1', 0}, {'2', 100 * time.Millisecond}}, [3]string{"12", "", ""}},
		{"a double tap on Backspace takes one digit", []tap{{'0', 0}, {'3', time.Second}, {'<', time.Second}, {'<', 400 * time.Millisecond}}, [3]string{"0", "", ""}},
		{"after Clear the same digit goes in", []tap{{'1', 0}, {'C', 100 * time.Millisecond}, {'1', 100 * time.Millisecond}}, [3]string{"1", "", ""}},
		{"a whole date with repeated digits, taps 700 ms apart", func() []tap {
			var ts []tap
			for _, r := range "11111988" {
				ts = append(ts, tap{r, guard})
			}
			return ts
		}(), [3]string{"11", "11", "1988"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inpApp(t)
			tt, _ := inpTouch(t)
			d := tt.NewDateEntry()
			now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
			d.Steady(guard, func() time.Time { return now })
			test.NewTempWindow(t, d)
			for _, k := range tc.taps {
				now = now.Add(k.after)
				dateTestTap(t, d, string(k.key))
			}
			if d.digits != tc.digits {
				t.Errorf("slots %q, want %q", d.digits, tc.digits)
			}
		})
	}
	// without the guard both taps go in, as a physical keyboard's do
	inpApp(t)
	tt, _ := inpTouch(t)
	d := tt.NewDateEntry()
	test.NewTempWindow(t, d)
	dateTestTap(t, d, "11")
	if d.digits[0] != "11" {
		t.Errorf("no guard: slots %q, want 11", d.digits)
	}
}
