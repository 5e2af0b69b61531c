package ui

import (
	"image/png"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestZZExplore(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(&Theme{})
	tt := &touch{}
	e := widget.NewEntry()
	objs := map[string]fyne.CanvasObject{
		"kbd": tt.newKeyboard(e), "num": tt.newNumberEntry(1, "grams"), "date": tt.newDateEntry(),
		"when": tt.newWhenEntry(time.Now),
	}
	b := tt.newButton("q", nil, KeyHeight, nil)
	t.Logf("button min %v", b.MinSize())
	for name, o := range objs {
		t.Logf("%s min %v", name, o.MinSize())
		w := test.NewTempWindow(t, o)
		w.Resize(fyne.NewSize(1280, 800))
		f, _ := os.Create("/tmp/shots/" + name + ".png")
		png.Encode(f, w.Canvas().Capture())
		f.Close()
	}
}
