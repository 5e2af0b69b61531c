package touch

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// kbTestKey finds the key the patient sees on the keyboard's current page:
// "{shift}", "{back}", "{page}", "{space}" or a key's label.
func kbTestKey(t *testing.T, k *Keyboard, name string) *Button {
	t.Helper()
	page := k.letterPg
	if k.symbols {
		page = k.symbolPg
	}
	for _, b := range inpButtons(page) {
		switch {
		case name == "{shift}" && b == k.shiftKey,
			name == "{back}" && b.Icon == backspaceIcon,
			name == "{page}" && (b == k.pageKeys[0] || b == k.pageKeys[1]),
			name == "{space}" && b.Text == k.t.Words.Keyboard.Space,
			b.Text == name:
			return b
		}
	}
	t.Fatalf("no key %q on the page shown", name)
	return nil
}

// kbTestTaps splits "ab{shift}c" into taps.
func kbTestTaps(s string) []string {
	var taps []string
	for s != "" {
		if strings.HasPrefix(s, "{") {
			end := strings.Index(s, "}")
			taps = append(taps, s[:end+1])
			s = s[end+1:]
			continue
		}
		r := []rune(s)[0]
		taps = append(taps, string(r))
		s = s[len(string(r)):]
	}
	return taps
}

func TestKeyboardTyping(t *testing.T) {
	tests := []struct {
		name     string
		start    string
		password bool
		taps     string // lower-case letters tap the letter key whatever it shows
		want     string
	}{
		{name: "capitals after space and hyphen", taps: "mary-jane{space}smith", want: "Mary-Jane Smith"},
		{name: "one-shot shift", taps: "mc{shift}donald", want: "McDonald"},
		{name: "shift undoes the automatic capital", taps: "{shift}van{space}{shift}der{space}berg", want: "van der Berg"},
		{name: "apostrophe", taps: "o'{shift}brien", want: "O'Brien"},
		{name: "backspace", taps: "ann{back}{back}{back}jo", want: "Jo"},
		{name: "backspace on empty", taps: "a{back}{back}{back}b", want: "B"},
		{name: "backspace back to a space", taps: "ann{space}b{back}c", want: "Ann C"},
		{name: "starts from the text", start: "Ann", taps: "{space}lee", want: "Ann Lee"},
		{name: "digits row", taps: "room{space}12", want: "Room 12"},
		{name: "symbols page", taps: "{page}5@#{page}a", want: "5@#a"},
		{name: "passphrase", password: true, taps: "{shift}correct{page}!/({page}horse.", want: "Correct!/(horse."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inpApp(t)
			tt, _ := inpTouch(t)
			e := (&Kit{Words: tt.Words}).NewEntry()
			e.Password = tc.password
			e.SetText(tc.start)
			k := tt.NewKeyboard(e)
			w := test.NewTempWindow(t, kbTestColumn(e, k))
			w.Canvas().Focus(e)
			k.Refresh()
			for _, tap := range kbTestTaps(tc.taps) {
				label := tap
				if len([]rune(tap)) == 1 && strings.ToUpper(tap) != tap {
					// A letter: the key shows it in the case it will type.
					if k.shifted() {
						label = strings.ToUpper(tap)
					}
				}
				test.Tap(kbTestKey(t, k, label))
				if w.Canvas().Focused() != e {
					t.Fatalf("after %q the entry lost the focus", tap)
				}
			}
			if e.Text != tc.want {
				t.Errorf("typed %q, want %q", e.Text, tc.want)
			}
		})
	}
}

func kbTestColumn(a, b fyne.CanvasObject) fyne.CanvasObject {
	return &fyne.Container{Layout: &kbTestVBox{}, Objects: []fyne.CanvasObject{a, b}}
}

// kbTestVBox stacks objects without the theme's padding (keeps the test
// independent of container's layouts).
type kbTestVBox struct{}

func (kbTestVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
	}
	return s
}

func (kbTestVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
}

func TestKeyboardShowsShift(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	e := (&Kit{Words: tt.Words}).NewEntry()
	k := tt.NewKeyboard(e)
	test.NewTempWindow(t, kbTestColumn(e, k))
	shows := func(label string, lit bool) {
		t.Helper()
		kbTestKey(t, k, label)
		if got := k.shiftKey.Importance == widget.HighImportance; got != lit {
			t.Errorf("shift lit = %v, want %v", got, lit)
		}
	}
	shows("Q", true) // empty: shifted
	test.Tap(kbTestKey(t, k, "A"))
	shows("q", false)
	test.Tap(kbTestKey(t, k, "{shift}"))
	shows("Q", true)
	test.Tap(kbTestKey(t, k, "{shift}")) // a second tap takes it back
	shows("q", false)
	test.Tap(kbTestKey(t, k, "-"))
	shows("Q", true)

	// A text changed elsewhere shows on Refresh; SetTarget starts over.
	e.SetText("")
	k.Refresh()
	shows("Q", true)
	k.tapPage()
	other := (&Kit{Words: tt.Words}).NewEntry()
	other.SetText("x")
	k.SetTarget(other)
	if k.symbols {
		t.Error("SetTarget kept the symbols page")
	}
	shows("q", false)
	k.SetCapitalization(CapitalizeNone)
	other.SetText("")
	k.Refresh()
	shows("q", false)
}

func TestKeyboardSentences(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	e := (&Kit{Words: tt.Words}).NewEntry()
	k := tt.NewKeyboard(e)
	k.SetCapitalization(CapitalizeSentences)
	test.NewTempWindow(t, kbTestColumn(e, k))
	for _, tap := range kbTestTaps("i{space}am.{space}ok") {
		if len(tap) == 1 && k.shifted() {
			tap = strings.ToUpper(tap)
		}
		test.Tap(kbTestKey(t, k, tap))
	}
	if e.Text != "I am. Ok" {
		t.Errorf("typed %q", e.Text)
	}
}

func TestKeyboardReportsEveryTap(t *testing.T) {
	inpApp(t)
	tt, n := inpTouch(t)
	e := (&Kit{Words: tt.Words}).NewEntry()
	k := tt.NewKeyboard(e)
	test.NewTempWindow(t, kbTestColumn(e, k))
	taps := kbTestTaps("{shift}ab{page}1{page}{back}{space}")
	for _, tap := range taps {
		if len(tap) == 1 && k.shifted() {
			tap = strings.ToUpper(tap)
		}
		test.Tap(kbTestKey(t, k, tap))
	}
	if *n != len(taps) {
		t.Errorf("%d taps reported, want %d", *n, len(taps))
	}
	// A keyboard without a target still reports.
	k.SetTarget(nil)
	test.Tap(kbTestKey(t, k, "q"))
	if *n != len(taps)+1 {
		t.Errorf("a tap with no target not reported")
	}
}

func TestKeyboardKeepsFocusAndPhysicalTyping(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	e := (&Kit{Words: tt.Words}).NewEntry()
	k := tt.NewKeyboard(e)
	w := test.NewTempWindow(t, kbTestColumn(e, k))
	w.Canvas().Focus(e)
	test.Tap(kbTestKey(t, k, "J"))
	test.Tap(kbTestKey(t, k, "o"))
	if w.Canvas().Focused() != e {
		t.Fatalf("focus is on %T, not the entry", w.Canvas().Focused())
	}
	// A physical keyboard types into whatever has the focus.
	for _, r := range "e" {
		w.Canvas().Focused().TypedRune(r)
	}
	if e.Text != "Joe" {
		t.Errorf("text %q, want Joe", e.Text)
	}
	// The focus comes back even when something else had it.
	w.Canvas().Unfocus()
	test.Tap(kbTestKey(t, k, "{back}"))
	if w.Canvas().Focused() != e || e.Text != "Jo" {
		t.Errorf("after backspace: focus %v, text %q", w.Canvas().Focused(), e.Text)
	}
}

func TestKeyboardKeysAndFit(t *testing.T) {
	inpApp(t)
	tt, _ := inpTouch(t)
	k := tt.NewKeyboard((&Kit{Words: tt.Words}).NewEntry())
	w := test.NewTempWindow(t, k)
	keys := inpButtons(k)
	if len(keys) != len(k.keys) || len(keys) < 80 {
		t.Fatalf("%d buttons found, %d keys made", len(keys), len(k.keys))
	}
	for _, b := range keys {
		if h := b.MinSize().Height; h < KeyHeight {
			t.Errorf("key %q is %v tall", b.Text, h)
		}
	}
	for _, page := range []bool{false, true} {
		k.symbols = page
		k.update()
		m := k.MinSize()
		if m.Width > 1240 || m.Height > 330 {
			t.Errorf("symbols %v: keyboard needs %v, more than 1240x330", page, m)
		}
		w.Resize(fyne.NewSize(1280, 800))
		w.Content().Refresh()
		shown := k.letterPg
		if page {
			shown = k.symbolPg
		}
		for _, b := range inpButtons(shown) {
			if b.Size().Height < KeyHeight || b.Size().Width < kbMinUnit {
				t.Errorf("key %q laid out at %v", b.Text, b.Size())
			}
		}
		inpShot(t, w, map[bool]string{false: "keyboard-letters", true: "keyboard-symbols"}[page])
	}
	// Every symbol a passphrase may need is there.
	var all strings.Builder
	for _, b := range k.keys {
		all.WriteString(b.Text)
	}
	for _, r := range `.,@#$%&*!?/()_+=:;"'-0123456789` {
		if !strings.ContainsRune(all.String(), r) {
			t.Errorf("no key for %q", r)
		}
	}
}
