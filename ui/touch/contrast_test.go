package touch

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is WCAG 2's relative luminance of a colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).(color.NRGBA).RGBA()
	lin := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Every text colour of every theme meets WCAG AA (4.5:1) against what it
// is drawn on; the high-contrast theme meets AAA (7:1).
func TestThemeContrast(t *testing.T) {
	light, dark := theme.VariantLight, theme.VariantDark
	themes := []struct {
		name string
		th   *Theme
		v    fyne.ThemeVariant
		min  float64
	}{
		{"light", &Theme{Variant: &light}, light, 4.5},
		{"dark", &Theme{Variant: &dark}, dark, 4.5},
		{"high contrast", &Theme{Variant: &light, HighContrast: true}, light, 7},
	}
	pairs := []struct{ text, on fyne.ThemeColorName }{
		{theme.ColorNameForeground, theme.ColorNameBackground},
		{theme.ColorNameForeground, theme.ColorNameButton},
		{theme.ColorNameForeground, theme.ColorNameInputBackground},
		{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		{theme.ColorNameForegroundOnError, theme.ColorNameError},
		{theme.ColorNamePrimary, theme.ColorNameBackground}, // primary text (progress, links)
		{theme.ColorNameError, theme.ColorNameBackground},   // messages
		{theme.ColorNameSuccess, theme.ColorNameBackground},
		{theme.ColorNameDisabled, theme.ColorNameBackground}, // disabled buttons' text
		{theme.ColorNamePlaceHolder, theme.ColorNameInputBackground},
	}
	for _, tc := range themes {
		for _, p := range pairs {
			r := contrast(tc.th.Color(p.text, tc.v), tc.th.Color(p.on, tc.v))
			if r < tc.min {
				t.Errorf("%s: %s on %s: %.2f:1, want %.1f:1", tc.name, p.text, p.on, r, tc.min)
			}
		}
	}
	if r := contrast(color.White, color.Black); fmt.Sprintf("%.0f", r) != "21" {
		t.Errorf("white on black %.2f, want 21", r)
	}
}
