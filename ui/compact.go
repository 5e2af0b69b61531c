package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// compactTheme is the current theme with tighter padding, for the dense
// lists of staff mode (queue rows, answers): the type stays large.
type compactTheme struct{ fyne.Theme }

// compact draws obj with tighter padding.
func compact(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(obj, compactTheme{fyne.CurrentApp().Settings().Theme()})
}

// Size tightens the padding.
func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNamePadding:
		return 3
	case theme.SizeNameInnerPadding:
		return 4
	}
	return t.Theme.Size(n)
}
