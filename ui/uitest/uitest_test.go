package uitest

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui/touch"
)

func TestWalk(t *testing.T) {
	test.NewTempApp(t)
	kit := &touch.Kit{Words: &touch.Words{}}
	hidden := widget.NewLabel("hidden")
	hidden.Hide()
	ok := kit.NewButton("OK", nil, touch.OptionHeight, func() {})
	w := test.NewTempWindow(t, container.NewVBox(widget.NewLabel("Hello"), hidden, container.NewHBox(ok)))
	objs := Objects(w)
	texts := Texts(objs)
	if !slices.Contains(texts, "Hello") || !slices.Contains(texts, "OK") || slices.Contains(texts, "hidden") {
		t.Errorf("texts %q; want Hello and OK, not the hidden label", texts)
	}
	if !Shows(objs, "ell") || Shows(objs, "hidden") {
		t.Error("Shows does not match what is visible")
	}
	if all := In(false, w.Content()); !Shows(all, "hidden") {
		t.Error("In(false) leaves out a hidden label")
	}
	if bs := Buttons(objs, "OK"); len(bs) != 1 || bs[0] != ok {
		t.Errorf("Buttons(OK) = %v", bs)
	}
	if bs := Buttons(objs, "Cancel"); len(bs) != 0 {
		t.Errorf("Buttons(Cancel) = %v", bs)
	}
	if l, found := First[*widget.Label](objs); !found || l.Text != "Hello" {
		t.Errorf("First label = %v, %v", l, found)
	}
	if _, found := First[*widget.Entry](objs); found {
		t.Error("First found an entry that is not there")
	}
}
