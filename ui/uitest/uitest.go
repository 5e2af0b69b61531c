// Package uitest reads what a Fyne test window shows, for the tests of
// the screens: every canvas object on it (walking into containers and
// widget renderers), the texts, the kiosk's buttons by label, the first
// object of a type. It drives nothing itself; the screens' tests tap with
// fyne.io/fyne/v2/test.
package uitest

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui/touch"
)

// Objects returns every visible canvas object of w: its content and its
// overlays.
func Objects(w fyne.Window) []fyne.CanvasObject {
	roots := []fyne.CanvasObject{w.Content()}
	roots = append(roots, w.Canvas().Overlays().List()...)
	return In(true, roots...)
}

// In walks the trees of roots, into containers and widget renderers
// (only the visible parts when visibleOnly).
func In(visibleOnly bool, roots ...fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || visibleOnly && !o.Visible() {
			return
		}
		out = append(out, o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// Texts returns the texts of objs: labels, entries, buttons, rich texts
// and canvas texts.
func Texts(objs []fyne.CanvasObject) []string {
	var ts []string
	for _, o := range objs {
		switch x := o.(type) {
		case *widget.Label:
			ts = append(ts, x.Text)
		case *widget.Entry:
			ts = append(ts, x.Text)
		case *touch.Entry:
			ts = append(ts, x.Text)
		case *touch.Button:
			ts = append(ts, x.Text)
		case *widget.RichText:
			ts = append(ts, x.String())
		case *canvas.Text:
			ts = append(ts, x.Text)
		}
	}
	return ts
}

// Shows says whether any text of objs contains s.
func Shows(objs []fyne.CanvasObject, s string) bool {
	for _, t := range Texts(objs) {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// Buttons returns the kiosk's buttons among objs labelled label (all of
// them when label is empty).
func Buttons(objs []fyne.CanvasObject, label string) []*touch.Button {
	var bs []*touch.Button
	for _, o := range objs {
		if b, ok := o.(*touch.Button); ok && (label == "" || b.Text == label) {
			bs = append(bs, b)
		}
	}
	return bs
}

// First returns the first object of objs of type T.
func First[T any](objs []fyne.CanvasObject) (T, bool) {
	for _, o := range objs {
		if x, ok := o.(T); ok {
			return x, true
		}
	}
	var zero T
	return zero, false
}
