package touch

import (
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk/i18n"
	"intakekiosk/internal/testkit"
)

// englishWords are the widgets' words in English, from the built-in
// catalog as the kiosk reads them: field F of section S (Keyboard,
// Keypad, Date, When) is the key "s.f" (i18n.FieldKey), the months
// "month.1" to "month.12". A field without its key fails the test.
func englishWords(t testing.TB) *Words {
	t.Helper()
	c := testkit.Messages(t)
	text := func(key string) string {
		t.Helper()
		if !c.Has(i18n.Default, key) {
			t.Fatalf("no catalog text for %s", key)
		}
		return c.T(i18n.Default, key)
	}
	w := &Words{}
	sections := reflect.ValueOf(w).Elem()
	for i := range sections.NumField() {
		section := i18n.FieldKey(sections.Type().Field(i).Name)
		fields := sections.Field(i)
		for j := range fields.NumField() {
			if f := fields.Field(j); f.Kind() == reflect.String {
				f.SetString(text(section + "." + i18n.FieldKey(fields.Type().Field(j).Name)))
			}
		}
	}
	for i := range w.Date.Months {
		w.Date.Months[i] = text("month." + strconv.Itoa(i+1))
	}
	return w
}

// inpApp starts a test app with the kiosk theme.
func inpApp(t *testing.T) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(&Theme{})
}

// inpTouch is a kit with the English words that counts the activity it
// hears.
func inpTouch(t testing.TB) (*Kit, *int) {
	n := new(int)
	return &Kit{Words: englishWords(t), Activity: func() { *n++ }}, n
}

// inpButtons lists every Button under o, visible or not.
func inpButtons(o fyne.CanvasObject) []*Button {
	switch o := o.(type) {
	case *Button:
		return []*Button{o}
	case *fyne.Container:
		var bs []*Button
		for _, c := range o.Objects {
			bs = append(bs, inpButtons(c)...)
		}
		return bs
	case fyne.Widget:
		var bs []*Button
		for _, c := range test.WidgetRenderer(o).Objects() {
			bs = append(bs, inpButtons(c)...)
		}
		return bs
	}
	return nil
}

// inpShot writes the window as a PNG into $KIOSK_SHOTS, when set, to look
// at.
func inpShot(t *testing.T, w fyne.Window, name string) {
	dir := os.Getenv("KIOSK_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
