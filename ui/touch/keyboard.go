package touch

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

const (
	kbShift = "\x01"
	kbBack  = "\x02"
	kbPage  = "\x03"
	kbSpace = "\x04"
	kbGap   = "\x05"
)

type kbKey struct {
	key   string
	width float32
}

func kbChars(s string) []kbKey {
	ks := make([]kbKey, 0, len(s))
	for _, r := range s {
		ks = append(ks, kbKey{string(r), 1})
	}
	return ks
}

func kbJoin(parts ...[]kbKey) []kbKey {
	var ks []kbKey
	for _, p := range parts {
		ks = append(ks, p...)
	}
	return ks
}

var (
	kbBottom = []kbKey{{kbPage, 2}, {kbSpace, 5}, {"'", 1}, {"-", 1}, {".", 1}}

	kbLetterRows = [][]kbKey{
		kbChars("1234567890"),
		kbChars("qwertyuiop"),
		// ñ on the letters: Spanish names (Muñoz, Peña) need it
		kbChars("asdfghjklñ"),
		kbJoin([]kbKey{{kbShift, 1.5}}, kbChars("zxcvbnm"), []kbKey{{kbBack, 1.5}}),
		kbBottom,
	}
	kbSymbolRows = [][]kbKey{
		kbChars("1234567890"),
		kbChars("@#$%&*()_+"),
		// the accented vowels of Spanish names and answers
		kbChars(`áéíóúü!?:;`),
		kbJoin([]kbKey{{kbGap, 1.5}}, kbChars(`/=,"[]~`), []kbKey{{kbBack, 1.5}}),
		kbBottom,
	}
)

// backspaceIcon is Material Design's "backspace" icon (Apache 2.0, as
// Fyne's own icons); Fyne has none.
var backspaceIcon = theme.NewThemedResource(&fyne.StaticResource{
	StaticName: "backspace.svg",
	StaticContent: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">` +
		`<path fill="#000000" d="M22 3H7c-.69 0-1.23.35-1.59.88L0 12l5.41 8.11c.36.53.9.89 1.59.89h15c1.1 0 2-.9 2-2V5c0-1.1-.9-2-2-2zm0 16H7.07L2.4 12l4.66-7H22v14zm-11.59-2L14 13.41 17.59 17 19 15.59 15.41 12 19 8.41 17.59 7 14 10.59 10.41 7 9 8.41 12.59 12 9 15.59z"/></svg>`),
})

// BackspaceIcon is the icon of the keys that take a character back.
func BackspaceIcon() fyne.Resource { return backspaceIcon }

// kbMinUnit is the least width of a one-wide key: a fingertip.
const kbMinUnit = 64

// Capitalization says when the keyboard shifts by itself.
type Capitalization int

const (
	// CapitalizeWords shifts at the start and after a space or hyphen, for
	// names. It is the default.
	CapitalizeWords Capitalization = iota
	// CapitalizeSentences shifts at the start and after ". ", "! " or "? ".
	CapitalizeSentences
	// CapitalizeNone never shifts by itself.
	CapitalizeNone
)

// Keyboard is the kiosk's on-screen keyboard. It types into its target
// Entry directly (TypedRune, TypedKey) and gives the focus back to the
// target after each key, so the Entry keeps its cursor and a physical
// keyboard keeps working: a tap on any button unfocuses the Entry first
// (both Fyne's driver and widget.Button do that), the keyboard undoes it.
//
// Shift is one-shot: it changes the case of the next letter only. The
// keyboard shifts by itself when the text before the cursor is empty or
// ends in a space or hyphen (see Capitalization), never for a password
// Entry; a tap on Shift then gives a lower-case letter instead.
type Keyboard struct {
	widget.BaseWidget

	t          *Kit
	target     *Entry
	capitalize Capitalization
	// toggled inverts the automatic shift until the next key.
	toggled bool
	symbols bool

	letters   []*Button // the letter keys of the letter page
	keys      []*Button // every key of both pages
	shiftKey  *Button
	pageKeys  [2]*Button
	letterPg  *fyne.Container
	symbolPg  *fyne.Container
	content   fyne.CanvasObject
	lastShift bool
}

// NewKeyboard makes a keyboard that types into target (which may be nil
// until SetTarget), at the end of its text.
func (t *Kit) NewKeyboard(target *Entry) *Keyboard {
	k := &Keyboard{t: t, target: target}
	k.letterPg = k.page(kbLetterRows, 0)
	k.symbolPg = k.page(kbSymbolRows, 1)
	k.symbolPg.Hide()
	k.content = container.NewThemeOverride(container.NewStack(k.letterPg, k.symbolPg), kbTheme{appTheme{}})
	k.ExtendBaseWidget(k)
	kbCursorToEnd(target)
	k.update()
	return k
}

// kbCursorToEnd puts the entry's cursor after its text: the keyboard has
// no arrow keys, and Entry.SetText leaves the cursor at the start.
func kbCursorToEnd(e *Entry) {
	if e == nil {
		return
	}
	lines := strings.Split(e.Text, "\n")
	row, col := len(lines)-1, len([]rune(lines[len(lines)-1]))
	if e.CursorRow != row || e.CursorColumn != col {
		e.CursorRow, e.CursorColumn = row, col
		e.Refresh()
	}
}

func (k *Keyboard) page(rows [][]kbKey, n int) *fyne.Container {
	objs := make([]fyne.CanvasObject, 0, len(rows))
	for _, row := range rows {
		widths := make([]float32, 0, len(row))
		keys := make([]fyne.CanvasObject, 0, len(row))
		for _, kk := range row {
			widths = append(widths, kk.width)
			keys = append(keys, k.key(kk.key, n))
		}
		objs = append(objs, kbRow(widths, kbMinUnit, KeyHeight, keys...))
	}
	return container.NewVBox(objs...)
}

func (k *Keyboard) key(s string, page int) fyne.CanvasObject {
	var b *Button
	switch s {
	case kbGap:
		return layout.NewSpacer()
	case kbShift:
		b = k.t.NewButton(k.t.Words.Keyboard.Shift, theme.MoveUpIcon(), KeyHeight, k.tapShift)
		k.shiftKey = b
	case kbBack:
		b = k.t.NewButton("", backspaceIcon, KeyHeight, k.tapBack)
	case kbPage:
		label := k.t.Words.Keyboard.Symbols
		if page == 1 {
			label = k.t.Words.Keyboard.Letters
		}
		b = k.t.NewButton(label, nil, KeyHeight, k.tapPage)
		k.pageKeys[page] = b
	case kbSpace:
		b = k.t.NewButton(k.t.Words.Keyboard.Space, nil, KeyHeight, func() { k.typeRune(' ') })
	default:
		r := []rune(s)[0]
		b = k.t.NewButton(s, nil, KeyHeight, func() { k.typeRune(r) })
		if unicode.IsLetter(r) && page == 0 {
			k.letters = append(k.letters, b)
		}
	}
	k.keys = append(k.keys, b)
	return b
}

// CreateRenderer draws the keys.
func (k *Keyboard) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(k.content)
}

// Object is the keyboard as a canvas object.
func (k *Keyboard) Object() fyne.CanvasObject { return k }

// SetTarget makes the keyboard type into e, at the end of its text, back
// on the letter page.
func (k *Keyboard) SetTarget(e *Entry) {
	k.target = e
	kbCursorToEnd(e)
	k.toggled = false
	k.symbols = false
	k.update()
}

// Target is the entry the keyboard types into; nil for none.
func (k *Keyboard) Target() *Entry { return k.target }

// SetCapitalization sets when the keyboard shifts by itself.
func (k *Keyboard) SetCapitalization(c Capitalization) {
	k.capitalize = c
	k.toggled = false
	k.update()
}

// Refresh looks at the target's text again (it may have changed
// elsewhere) and redraws.
func (k *Keyboard) Refresh() {
	k.update()
	k.BaseWidget.Refresh()
}

// Cursor hides the pointer between keys in kiosk mode.
func (k *Keyboard) Cursor() desktop.Cursor { return k.t.Cursor(desktop.DefaultCursor) }

// shifted says whether the next letter is upper case.
func (k *Keyboard) shifted() bool {
	return k.autoShift() != k.toggled
}

// autoShift says whether the text before the cursor asks for a capital.
func (k *Keyboard) autoShift() bool {
	e := k.target
	if e == nil || e.Password || k.capitalize == CapitalizeNone {
		return false
	}
	before := []rune(e.Text)
	if pos := e.CursorTextOffset(); pos >= 0 && pos < len(before) {
		before = before[:pos]
	}
	s := string(before)
	switch k.capitalize {
	case CapitalizeSentences:
		t := strings.TrimRight(s, " ")
		return t == "" || t != s && strings.ContainsAny(t[len(t)-1:], ".!?")
	default:
		return s == "" || strings.HasSuffix(s, " ") || strings.HasSuffix(s, "-")
	}
}

// update shows the letters in the case the next tap gives, the shift key
// lit when shifted and the page chosen.
func (k *Keyboard) update() {
	sh := k.shifted()
	if sh != k.lastShift {
		for _, b := range k.letters {
			if sh {
				b.Text = strings.ToUpper(b.Text)
			} else {
				b.Text = strings.ToLower(b.Text)
			}
			b.Refresh()
		}
		k.shiftKey.Importance = widget.MediumImportance
		if sh {
			k.shiftKey.Importance = widget.HighImportance
		}
		k.shiftKey.Refresh()
		k.lastShift = sh
	}
	if k.symbols != k.symbolPg.Visible() {
		if k.symbols {
			k.letterPg.Hide()
			k.symbolPg.Show()
		} else {
			k.symbolPg.Hide()
			k.letterPg.Show()
		}
	}
}

func (k *Keyboard) typeRune(r rune) {
	if k.target == nil {
		return
	}
	if k.shifted() {
		r = unicode.ToUpper(r)
	}
	k.target.TypedRune(r)
	k.toggled = false
	k.done()
}

func (k *Keyboard) tapBack() {
	if k.target == nil {
		return
	}
	k.target.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	k.toggled = false
	k.done()
}

func (k *Keyboard) tapShift() {
	k.toggled = !k.toggled
	k.done()
}

func (k *Keyboard) tapPage() {
	k.symbols = !k.symbols
	k.done()
}

// done redraws the keys and gives the focus back to the target.
func (k *Keyboard) done() {
	k.update()
	if k.target == nil {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(k.target); c != nil {
		c.Focus(k.target)
	}
}

// kbTheme is the app's theme with larger text, for the key labels.
type kbTheme struct{ appTheme }

// Size keeps the key labels large and, at the largest text, the keys
// closer together.
func (th kbTheme) Size(n fyne.ThemeSizeName) float32 {
	s := th.current().Size(n)
	if n == theme.SizeNameText {
		// keys keep their size at every text size: already large, they
		// would not fit the screen larger
		s = kbTextSize
	}
	if t, ok := th.current().(*Theme); ok && t.TextScale >= TextScale(TextSteps-1) && n == theme.SizeNamePadding {
		// the largest text: the keys closer together, so the keyboard
		// leaves the question its room
		s = 2
	}
	return s
}

// kbTextSize is the least size of a key's label.
const kbTextSize = 30

// kbRow lays keys out side by side, each as wide as its share of
// widths, at least minUnit per width. The row is height units tall (a key
// label fits in it even where a Button's own least height, which counts
// generous padding, is a few units more), or as tall as its tallest key
// when height is 0.
func kbRow(widths []float32, minUnit, height float32, keys ...fyne.CanvasObject) *fyne.Container {
	return container.New(&kbRowLayout{widths: widths, minUnit: minUnit, height: height}, keys...)
}

type kbRowLayout struct {
	widths          []float32
	minUnit, height float32
}

func (l *kbRowLayout) width(i int) float32 {
	if i < len(l.widths) && l.widths[i] > 0 {
		return l.widths[i]
	}
	return 1
}

func (l *kbRowLayout) total(n int) float32 {
	var sum float32
	for i := 0; i < n; i++ {
		sum += l.width(i)
	}
	return sum
}

// MinSize is the keys side by side at their least unit, padded between.
func (l *kbRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	unit, h := l.minUnit, l.height
	for i, o := range objs {
		m := o.MinSize()
		unit = max(unit, m.Width/l.width(i))
		if l.height == 0 {
			h = max(h, m.Height)
		}
	}
	n := len(objs)
	if n == 0 {
		return fyne.NewSize(0, h)
	}
	return fyne.NewSize(unit*l.total(n)+pad*float32(n-1), h)
}

// Layout shares the width out by the keys' widths.
func (l *kbRowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(objs)
	if n == 0 {
		return
	}
	pad := theme.Padding()
	unit := (size.Width - pad*float32(n-1)) / l.total(n)
	x := float32(0)
	for i, o := range objs {
		w := unit * l.width(i)
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}
