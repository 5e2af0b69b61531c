package touch

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// Theme is the kiosk's look: the default Fyne theme with large type, big
// touch targets and calm, high-contrast colours, in a light and a dark
// variant. Variant forces one of them; nil follows the system.
type Theme struct {
	Variant *fyne.ThemeVariant
	// TextScale enlarges the text (the patient's A+); 0 means 1.
	TextScale float32
	// HighContrast draws black on white with the strongest colours
	// (kiosk --theme high-contrast): every text meets WCAG AAA's 7:1
	// against what it is drawn on.
	HighContrast bool
}

// TextSteps is how many text sizes a patient can choose from with A and
// A+: steps 0 to TextSteps-1.
const TextSteps = 3

// TextScale is the text scale of a step (clamped to the steps there are):
// 1, 1.15, 1.3.
func TextScale(step int) float32 {
	return [TextSteps]float32{1, 1.15, 1.3}[min(max(step, 0), TextSteps-1)]
}

// scale multiplies a text size by the theme's text scale.
func (t *Theme) scale(size float32) float32 {
	if t.TextScale > 0 {
		return size * t.TextScale
	}
	return size
}

var _ fyne.Theme = (*Theme)(nil)

// Sizes in Fyne units at scale 1.
const (
	// OptionHeight is the least height of an answer button.
	OptionHeight = 64
	// KeyHeight is the least height of an on-screen key.
	KeyHeight = 56
)

type palette struct {
	background, foreground, button, primary, hover, pressed, disabled, inputBg, separator, errorc, success, shadow color.Color
}

var (
	light = palette{
		background: color.NRGBA{0xF5, 0xF7, 0xF6, 0xFF},
		foreground: color.NRGBA{0x14, 0x1C, 0x22, 0xFF},
		button:     color.NRGBA{0xDD, 0xE7, 0xEA, 0xFF},
		primary:    color.NRGBA{0x1B, 0x5E, 0x78, 0xFF},
		hover:      color.NRGBA{0x1B, 0x5E, 0x78, 0x22},
		pressed:    color.NRGBA{0x1B, 0x5E, 0x78, 0x55},
		disabled:   color.NRGBA{0x5F, 0x6B, 0x72, 0xFF},
		inputBg:    color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF},
		separator:  color.NRGBA{0xC5, 0xD0, 0xD4, 0xFF},
		errorc:     color.NRGBA{0xB0, 0x24, 0x1E, 0xFF},
		success:    color.NRGBA{0x2E, 0x6B, 0x3A, 0xFF},
		shadow:     color.NRGBA{0, 0, 0, 0x33},
	}
	highContrast = palette{
		background: color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF},
		foreground: color.NRGBA{0x00, 0x00, 0x00, 0xFF},
		button:     color.NRGBA{0xE6, 0xE6, 0xE6, 0xFF},
		primary:    color.NRGBA{0x00, 0x2B, 0x5C, 0xFF},
		hover:      color.NRGBA{0x00, 0x2B, 0x5C, 0x33},
		pressed:    color.NRGBA{0x00, 0x2B, 0x5C, 0x66},
		disabled:   color.NRGBA{0x40, 0x40, 0x40, 0xFF},
		inputBg:    color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF},
		separator:  color.NRGBA{0x00, 0x00, 0x00, 0xFF},
		errorc:     color.NRGBA{0x8B, 0x00, 0x00, 0xFF},
		success:    color.NRGBA{0x00, 0x4D, 0x00, 0xFF},
		shadow:     color.NRGBA{0, 0, 0, 0x66},
	}
	dark = palette{
		background: color.NRGBA{0x12, 0x19, 0x1D, 0xFF},
		foreground: color.NRGBA{0xEE, 0xF3, 0xF4, 0xFF},
		button:     color.NRGBA{0x26, 0x33, 0x3A, 0xFF},
		primary:    color.NRGBA{0x4F, 0xA8, 0xC6, 0xFF},
		hover:      color.NRGBA{0x4F, 0xA8, 0xC6, 0x33},
		pressed:    color.NRGBA{0x4F, 0xA8, 0xC6, 0x66},
		disabled:   color.NRGBA{0x9A, 0xA6, 0xAC, 0xFF},
		inputBg:    color.NRGBA{0x1C, 0x26, 0x2C, 0xFF},
		separator:  color.NRGBA{0x3A, 0x48, 0x50, 0xFF},
		errorc:     color.NRGBA{0xE5, 0x6B, 0x5E, 0xFF},
		success:    color.NRGBA{0x6F, 0xBF, 0x7E, 0xFF},
		shadow:     color.NRGBA{0, 0, 0, 0x66},
	}
)

// Color returns the kiosk's colour for name.
func (t *Theme) Color(name fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.Variant != nil {
		v = *t.Variant
	}
	p := light
	switch {
	case t.HighContrast:
		p = highContrast
	case v == theme.VariantDark:
		p = dark
	}
	switch name {
	case theme.ColorNameBackground, theme.ColorNameMenuBackground, theme.ColorNameOverlayBackground:
		return p.background
	case theme.ColorNameForeground:
		return p.foreground
	case theme.ColorNameButton:
		return p.button
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return p.primary
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess:
		if v == theme.VariantDark {
			return color.NRGBA{0x0B, 0x11, 0x14, 0xFF}
		}
		return color.White
	case theme.ColorNameHover:
		return p.hover
	case theme.ColorNamePressed, theme.ColorNameSelection:
		return p.pressed
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		return p.disabled
	case theme.ColorNameInputBackground:
		return p.inputBg
	case theme.ColorNameInputBorder, theme.ColorNameSeparator:
		return p.separator
	case theme.ColorNameError:
		return p.errorc
	case theme.ColorNameSuccess:
		return p.success
	case theme.ColorNameShadow:
		return p.shadow
	}
	return theme.DefaultTheme().Color(name, v)
}

// Font returns the default font.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon returns the default icon.
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size returns the kiosk's large sizes.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return t.scale(24)
	case theme.SizeNameHeadingText:
		return t.scale(34)
	case theme.SizeNameSubHeadingText:
		return t.scale(28)
	case theme.SizeNameCaptionText:
		return t.scale(18)
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNameInlineIcon:
		return 30
	case theme.SizeNameInputBorder:
		return 2
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 8
	case theme.SizeNameSeparatorThickness:
		return 2
	case theme.SizeNameScrollBar:
		return 20
	}
	return theme.DefaultTheme().Size(n)
}

// appTheme is the app's current theme, looked up at every call, for the
// themes that change one thing of it over an area (the keys, the top bar)
// and follow a change of theme at run time.
type appTheme struct{}

func (appTheme) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

// Color is the current theme's.
func (th appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return th.current().Color(n, v)
}

// Font is the current theme's.
func (th appTheme) Font(s fyne.TextStyle) fyne.Resource { return th.current().Font(s) }

// Icon is the current theme's.
func (th appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return th.current().Icon(n) }

// Size is the current theme's.
func (th appTheme) Size(n fyne.ThemeSizeName) float32 { return th.current().Size(n) }

// Unscaled draws obj in the current theme at text scale 1, whatever size
// the patient chose: the top bar keeps its size, so its buttons stay where
// they are and a second tap on A+ lands on A+.
func Unscaled(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(obj, unscaledTheme{})
}

// unscaledTheme is the current theme at text scale 1.
type unscaledTheme struct{ appTheme }

// Size is the current theme's at text scale 1.
func (th unscaledTheme) Size(n fyne.ThemeSizeName) float32 {
	if t, ok := th.current().(*Theme); ok && t.TextScale > 1 {
		base := *t
		base.TextScale = 1
		return base.Size(n)
	}
	return th.current().Size(n)
}
