package touch

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// padTestTap taps keys of a number entry: digits, "." , "<" (backspace)
// and "C" (Clear).
func padTestTap(t *testing.T, n *NumberEntry, keys string) {
	t.Helper()
	for _, r := range keys {
		var b *Button
		switch r {
		case '.':
			b = n.point
		case '<':
			b = n.backspace
		case 'C':
			b = n.clear
		default:
			for _, k := range n.keys {
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

func TestNumberEntryTaps(t *testing.T) {
	keypadText := englishWords(t).Keypad
	tests := []struct {
		decimals int
		keys     string
		text     string
		want     float64
		ok       bool
		note     string
	}{
		{0, "", "", 0, false, ""},
		{0, "12", "12", 12, true, ""},
		{0, "007", "7", 7, true, ""},
		{0, "0", "0", 0, true, ""},
		{0, "1234567", "123456", 123456, true, keypadText.TooLong},
		{0, "12<", "1", 1, true, ""},
		{0, "12<<<", "", 0, false, ""},
		{0, "12C3", "3", 3, true, ""},
		{1, "1.5", "1.5", 1.5, true, ""},
		{1, "1.55", "1.5", 1.5, true, keypadText.TooPreciseOne},
		{2, "1.234", "1.23", 1.23, true, fmt.Sprintf(keypadText.TooPrecise, 2)},
		{1, ".5", "0.5", 0.5, true, ""},
		{1, "1..5", "1.5", 1.5, true, ""},
		{1, "2.<", "2", 2, true, ""},
		{1, ".<", "", 0, false, ""},
		{1, "3.", "3.", 3, true, ""},
		{2, "0.25", "0.25", 0.25, true, ""},
		{2, "123456.78", "123456.78", 123456.78, true, ""},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d %q", tc.decimals, tc.keys), func(t *testing.T) {
			inpApp(t)
			tt, n := inpTouch(t)
			ne := tt.NewNumberEntry(tc.decimals, "grams")
			changed := 0
			ne.OnChanged = func() { changed++ }
			test.NewTempWindow(t, ne)
			padTestTap(t, ne, tc.keys)
			if ne.text != tc.text {
				t.Errorf("shows %q, want %q", ne.text, tc.text)
			}
			v, ok := ne.Value()
			if v != tc.want || ok != tc.ok {
				t.Errorf("Value() = %v, %v; want %v, %v", v, ok, tc.want, tc.ok)
			}
			if ne.note.Text != tc.note {
				t.Errorf("note %q, want %q", ne.note.Text, tc.note)
			}
			if *n != len(tc.keys) {
				t.Errorf("%d taps reported, want %d", *n, len(tc.keys))
			}
			if tc.keys != "" && changed == 0 {
				t.Error("OnChanged never called")
			}
		})
	}
}

func TestNumberEntryNoPointForWholeNumbers(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	ne := tt.NewNumberEntry(0, "doses")
	for _, b := range inpButtons(ne) {
		if b.Text == "." {
			t.Error("a point key on a whole-number keypad")
		}
	}
	ne.TypedRune('.')
	if ne.text != "" {
		t.Errorf("typed point gave %q", ne.text)
	}
}

func TestNumberEntryPhysicalKeys(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	ne := tt.NewNumberEntry(1, "grams")
	changed := 0
	ne.OnChanged = func() { changed++ }
	w := test.NewTempWindow(t, ne)
	w.Canvas().Focus(ne)
	if !ne.focused {
		t.Fatal("not focused")
	}
	f := w.Canvas().Focused()
	for _, r := range "12,5x" {
		f.TypedRune(r)
	}
	if v, ok := ne.Value(); v != 12.5 || !ok {
		t.Errorf("typed 12,5: %v %v", v, ok)
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	if ne.text != "12" {
		t.Errorf("after two backspaces %q", ne.text)
	}
	if changed != 6 {
		t.Errorf("OnChanged called %d times, want 6", changed)
	}
	// A keypad tap leaves the focus on the entry.
	padTestTap(t, ne, "3")
	if w.Canvas().Focused() != ne || ne.text != "123" {
		t.Errorf("after a tap: focus on %T, text %q", w.Canvas().Focused(), ne.text)
	}
	test.Type(ne, "4")
	if ne.text != "1234" {
		t.Errorf("test.Type gave %q", ne.text)
	}
}

func TestNumberEntrySetValue(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	tests := []struct {
		decimals int
		set      float64
		text     string
	}{
		{0, 3, "3"},
		{0, 3.7, "4"},
		{1, 2.5, "2.5"},
		{2, 2.50, "2.5"},
		{1, 0, "0"},
		{1, -1, ""},
	}
	for _, tc := range tests {
		ne := tt.NewNumberEntry(tc.decimals, "mg")
		called := false
		ne.OnChanged = func() { called = true }
		ne.SetValue(tc.set)
		if ne.text != tc.text {
			t.Errorf("SetValue(%v) with %d decimals shows %q, want %q", tc.set, tc.decimals, ne.text, tc.text)
		}
		ne.Clear()
		if _, ok := ne.Value(); ok || called {
			t.Errorf("after Clear: ok %v, OnChanged called %v", ok, called)
		}
	}
}

func TestNumberEntryMax(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	ne := tt.NewNumberEntry(0, "days ago")
	ne.max = 3650
	test.NewTempWindow(t, ne)
	padTestTap(t, ne, "4000")
	if v, ok := ne.Value(); v != 400 || !ok {
		t.Errorf("4000 with max 3650 gave %v %v", v, ok)
	}
	if ne.note.Text != fmt.Sprintf(tt.Words.Keypad.TooBig, "3650") {
		t.Errorf("note %q", ne.note.Text)
	}
	padTestTap(t, ne, "<")
	if ne.note.Text != "" {
		t.Errorf("note stays: %q", ne.note.Text)
	}
}

func TestNumberEntryKeysAndFit(t *testing.T) {
	for _, decimals := range []int{0, 1} {
		inpApp(t)
		tt, _ := inpTouch(t)
		ne := tt.NewNumberEntry(decimals, "grams a day")
		ne.SetValue(123456.5)
		w := test.NewTempWindow(t, ne)
		w.Resize(fyne.NewSize(1280, 800))
		keys := inpButtons(ne)
		if want := 12 + decimals; len(keys) != want {
			t.Errorf("%d buttons, want %d", len(keys), want)
		}
		for _, b := range keys {
			if b.MinSize().Height < KeyHeight || b.Size().Height < KeyHeight {
				t.Errorf("key %q: least %v, laid out %v", b.Text, b.MinSize(), b.Size())
			}
		}
		if m := ne.MinSize(); m.Width > 1240 || m.Height > 330 {
			t.Errorf("number entry needs %v", m)
		}
		inpShot(t, w, fmt.Sprintf("number-%d", decimals))
	}
}
