package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui/touch"
)

// LongPress is how long the logo must be held to open the staff sign-in.
const LongPress = 3 * time.Second

// topBar is on every screen: the clinic's logo (a long press opens the
// staff sign-in), its name, and the "I need help now" button (on patient
// screens only).
type topBar struct {
	obj  fyne.CanvasObject
	logo *Logo
	help *touch.Button
	// listen reads the screen aloud; speaks says whether there is a
	// voice for the patient's language (the button is hidden without)
	listen *touch.Button
	speaks bool
	// smaller and larger change the patient's text size
	smaller, larger *touch.Button
	// name is the clinic's name, or the staff call waiting; shownCall,
	// callLang and callBy are the call it shows, in which language, and
	// who is on the way
	name             *widget.Label
	shownCall        time.Time
	callLang, callBy string
}

// sizeButtons lights the text size buttons for a size.
func (tb *topBar) sizeButtons(step int) {
	touch.Enable(tb.smaller, step > 0)
	touch.Enable(tb.larger, step < touch.TextSteps-1)
}

func newTopBar(k *Kiosk) *topBar {
	tb := &topBar{}
	tb.logo = newLogo(k, k.cfg.Settings.ClinicName)
	tb.help = k.t.NewButton(k.T("help.button"), theme.WarningIcon(), touch.OptionHeight, k.flow.Help)
	tb.help.Importance = widget.DangerImportance
	name := widget.NewLabel(k.cfg.Settings.ClinicName)
	name.TextStyle = fyne.TextStyle{Bold: true}
	name.Truncation = fyne.TextTruncateEllipsis
	tb.name = name
	tb.listen = k.t.NewButton(k.T("speech.listen"), theme.VolumeUpIcon(), touch.OptionHeight, k.readAloud)
	tb.speaks = k.speaks()
	if !tb.speaks {
		tb.listen.Hide()
	}
	tb.smaller = k.t.NewButton("A–", nil, touch.OptionHeight, func() { k.SetTextStep(k.textStep - 1) })
	tb.larger = k.t.NewButton("A+", nil, touch.OptionHeight, func() { k.SetTextStep(k.textStep + 1) })
	tb.smaller.MinWidth, tb.larger.MinWidth = touch.OptionHeight, touch.OptionHeight
	tb.sizeButtons(0)
	// the bar keeps its size at every text size: its buttons stay where
	// they are, so a second tap on A+ lands on A+
	bar := touch.Unscaled(container.NewBorder(nil, nil, tb.logo, container.NewHBox(tb.smaller, tb.larger, tb.listen, tb.help), name))
	tb.obj = container.NewVBox(container.NewPadded(bar), widget.NewSeparator())
	return tb
}

// helpOn shows the "I need help now" button on the patient's screens and
// hides it on the staff and setup screens.
//
// Staff mode's working screens (after sign-in) have no top bar at all:
// nothing there is for them (the long press opens the sign-in, the help
// button is the patient's), and their queue and answers need the room.
func (tb *topBar) helpOn(a Audience) {
	if a != ForPatient {
		tb.help.Hide()
		tb.listen.Hide()
		tb.smaller.Hide()
		tb.larger.Hide()
	} else {
		tb.help.Show()
		tb.smaller.Show()
		tb.larger.Show()
		if tb.speaks {
			tb.listen.Show()
		} else {
			tb.listen.Hide()
		}
	}
	if a == ForStaff {
		tb.obj.Hide()
	} else {
		tb.obj.Show()
	}
}

// Logo is the clinic's mark in the top corner. Desktop Fyne has no long
// press, so it is built from mouse down and up and the kiosk's clock.
type Logo struct {
	widget.BaseWidget
	k       *Kiosk
	initial string
	down    time.Time
}

var _ desktop.Mouseable = (*Logo)(nil)

func newLogo(k *Kiosk, clinic string) *Logo {
	l := &Logo{k: k, initial: "+"}
	if f := strings.Fields(clinic); len(f) > 0 {
		l.initial = strings.ToUpper(string([]rune(f[0])[:1]))
	}
	l.ExtendBaseWidget(l)
	return l
}

// MouseDown starts the press.
func (l *Logo) MouseDown(*desktop.MouseEvent) {
	l.k.Touch()
	l.down = l.k.cfg.Now()
}

// MouseUp ends it: held long enough, it opens the staff sign-in.
func (l *Logo) MouseUp(*desktop.MouseEvent) {
	l.k.Touch()
	if !l.down.IsZero() && l.k.cfg.Now().Sub(l.down) >= LongPress {
		// After MouseUp the driver drops the keyboard focus (the logo is
		// not focusable), so the sign-in opens once this event is over
		// and its name field keeps the focus for a physical keyboard.
		fyne.Do(l.k.staffing.SignIn)
	}
	l.down = time.Time{}
}

// Cursor hides the pointer in kiosk mode.
func (l *Logo) Cursor() desktop.Cursor { return l.k.t.Cursor(desktop.DefaultCursor) }

// CreateRenderer draws a filled circle with the clinic's initial.
func (l *Logo) CreateRenderer() fyne.WidgetRenderer {
	th := l.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	circle := canvas.NewCircle(th.Color(theme.ColorNamePrimary, v))
	txt := canvas.NewText(l.initial, th.Color(theme.ColorNameForegroundOnPrimary, v))
	txt.TextSize = th.Size(theme.SizeNameSubHeadingText)
	txt.TextStyle = fyne.TextStyle{Bold: true}
	txt.Alignment = fyne.TextAlignCenter
	return &logoRenderer{l: l, circle: circle, txt: txt}
}

type logoRenderer struct {
	l      *Logo
	circle *canvas.Circle
	txt    *canvas.Text
}

func (r *logoRenderer) Layout(s fyne.Size) {
	d := fyne.Min(s.Width, s.Height)
	r.circle.Resize(fyne.NewSquareSize(d))
	r.circle.Move(fyne.NewPos((s.Width-d)/2, (s.Height-d)/2))
	ts := r.txt.MinSize()
	r.txt.Resize(fyne.NewSize(s.Width, ts.Height))
	r.txt.Move(fyne.NewPos(0, (s.Height-ts.Height)/2))
}

func (r *logoRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(touch.OptionHeight) }

func (r *logoRenderer) Refresh() {
	th := r.l.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.circle.FillColor = th.Color(theme.ColorNamePrimary, v)
	r.txt.Color = th.Color(theme.ColorNameForegroundOnPrimary, v)
	r.circle.Refresh()
	r.txt.Refresh()
}

func (r *logoRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.circle, r.txt} }

func (r *logoRenderer) Destroy() {}
