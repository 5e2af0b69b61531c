package patient

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// codeScreen takes a check-in code on a keypad of the code's letters and
// digits only, then asks the date of birth (checkinBirthScreen), which
// looks the two up together. The code leaves the screen as soon as Check
// in is tapped: nobody who comes after sees it.
type codeScreen struct {
	k       *flow
	obj     fyne.CanvasObject
	code    []rune
	display *widget.Label
	// msg keeps its room (empty when there is nothing to say), so a
	// message never moves the keypad
	msg    touch.Notice
	keys   []*touch.Button
	back   *touch.Button
	submit *touch.Button
	// steady drops a tremor's second tap on a key
	steady touch.RepeatGuard
}

// codeColumns is how many keys a row of the code keypad holds.
const codeColumns = 11

func newCodeScreen(k *flow) *codeScreen {
	c := &codeScreen{k: k, display: widget.NewLabel(""), msg: touch.NewNoticeLines(2)}
	c.msg.Alignment = fyne.TextAlignCenter
	c.display.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	c.display.SizeName = theme.SizeNameHeadingText
	c.display.Alignment = fyne.TextAlignCenter
	var rows [][]fyne.CanvasObject
	var row []fyne.CanvasObject
	for _, r := range sqlite.CodeAlphabet {
		b := k.Kit().NewButton(string(r), nil, touch.OptionHeight, func() { c.tapRune(r) })
		c.keys = append(c.keys, b)
		row = append(row, b)
		if len(row) == codeColumns {
			rows = append(rows, row)
			row = nil
		}
	}
	backspace := k.Kit().NewButton("", touch.BackspaceIcon(), touch.OptionHeight, func() {
		if c.steady.Take('\b') {
			c.backspace()
		} else {
			c.k.Touch()
		}
	})
	// an icon alone: the row of keys keeps its width in every language
	clearKey := k.Kit().NewButton("", theme.ContentClearIcon(), touch.OptionHeight, c.Clear)
	rows = append(rows, append(row, backspace, clearKey))
	pad := touch.KeyGrid(rows...)

	c.back = k.BackButton(func() {
		c.Clear()
		k.Reset("check-in cancelled")
	})
	c.submit = k.NextButton(k.T("code.go"), c.check)
	intro := touch.Para(k.T("code.explain"))
	intro.Alignment = fyne.TextAlignCenter
	display := container.NewStack(container.NewPadded(c.display))
	c.obj = touch.Page(touch.NavBar(c.back, c.submit), touch.Heading(k.T("code.title")), intro, display, c.msg,
		container.NewCenter(pad), layout.NewSpacer())
	c.update()
	return c
}

// showCode opens the check-in: the code screen, empty.
func (k *flow) showCode() { k.showCodeSaying("") }

// showCodeSaying shows the code screen, empty, with a message under the
// code (a try that did not match, a wait).
func (k *flow) showCodeSaying(msg string) {
	c := ui.Screen[*codeScreen](k.Kiosk, ui.ScreenCode)
	c.Clear()
	c.steady = touch.RepeatGuard{Guard: k.Guard(), Now: k.Config().Now}
	c.say(msg)
	k.Show(ui.ScreenCode, c.obj)
}

// typingFor sends typing on a physical keyboard to the code screen when
// it is shown (it has no focusable entry: the code is on a label), and
// nowhere otherwise.
func (k *flow) typingFor(screen string) {
	cv := k.Window().Canvas()
	if cv == nil {
		return
	}
	if c, ok := ui.Built[*codeScreen](k.Kiosk, ui.ScreenCode); ok && screen == ui.ScreenCode {
		cv.SetOnTypedRune(c.typed)
		cv.SetOnTypedKey(c.typedKey)
		return
	}
	cv.SetOnTypedRune(nil)
	cv.SetOnTypedKey(nil)
}

// typed takes a code character from a physical keyboard, in either case;
// others are ignored.
func (c *codeScreen) typed(r rune) {
	r = []rune(strings.ToUpper(string(r)))[0]
	if strings.ContainsRune(sqlite.CodeAlphabet, r) {
		c.typeRune(r)
	}
}

// typedKey takes Backspace, and Return or Enter to check the code.
func (c *codeScreen) typedKey(e *fyne.KeyEvent) {
	c.k.Touch() // a key counts as a touch, Return too
	switch e.Name {
	case fyne.KeyBackspace:
		c.backspace()
	case fyne.KeyReturn, fyne.KeyEnter:
		c.check()
	}
}

// tapRune takes a tap on a key of the keypad: a tremor's second tap on
// the same key enters nothing.
func (c *codeScreen) tapRune(r rune) {
	if !c.steady.Take(r) {
		c.k.Touch()
		return
	}
	c.typeRune(r)
}

func (c *codeScreen) typeRune(r rune) {
	c.k.Touch()
	if len(c.code) >= sqlite.CodeLen {
		return
	}
	c.code = append(c.code, r)
	c.say("")
	c.update()
}

func (c *codeScreen) backspace() {
	c.k.Touch()
	if len(c.code) == 0 {
		return
	}
	c.code = c.code[:len(c.code)-1]
	c.update()
}

// Clear empties the code and its messages.
func (c *codeScreen) Clear() {
	clear(c.code)
	c.code = c.code[:0]
	c.steady.Forget()
	c.say("")
	c.update()
}

// update shows the code typed so far in two groups of four, with
// placeholders for the rest.
func (c *codeScreen) update() {
	if len(c.code) == 0 {
		c.display.SetText(c.k.T("code.empty"))
		c.display.TextStyle = fyne.TextStyle{}
		c.display.SizeName = theme.SizeNameSubHeadingText
	} else {
		s := string(c.code) + strings.Repeat("·", sqlite.CodeLen-len(c.code))
		c.display.SetText(sqlite.GroupCode(s))
		c.display.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
		c.display.SizeName = theme.SizeNameHeadingText
	}
	c.display.Refresh()
	for _, b := range c.keys {
		touch.Enable(b, len(c.code) < sqlite.CodeLen)
	}
}

// check takes the code typed to the date of birth, which looks the two
// up; the code leaves this screen at once.
func (c *codeScreen) check() {
	if len(c.code) < sqlite.CodeLen {
		c.say(c.k.T("code.short"))
		return
	}
	code := string(c.code)
	c.Clear()
	c.k.showCheckinBirth(code)
}

// say shows what to fix under the code ("" for nothing).
func (c *codeScreen) say(text string) {
	c.msg.Importance = widget.DangerImportance
	c.msg.Say(text)
}

// waitWords says a wait in whole seconds or minutes, in the patient's
// language: "about 10 seconds".
func (k *flow) waitWords(d time.Duration) string {
	if d <= time.Minute {
		return k.T("wait.seconds", max(1, int(d.Round(time.Second)/time.Second)))
	}
	return k.T("wait.minutes", int((d+time.Minute-1)/time.Minute))
}

// startCheckin starts a returning patient's check-in: its session is
// created now, named after the patient, and the first question shown.
func (k *flow) startCheckin(patient string) {
	// help asked for on the code screen made a session of its own: its
	// urgency moves to the check-in, and it is closed
	urgent := false
	if prev := k.visit; prev != nil && prev.Patient() == "" && !prev.Done() {
		urgent = prev.Urgent()
		if err := prev.Abandon(context.Background(), "help request before a check-in"); err != nil {
			k.Config().Log.Error("could not close the session of a help request", "session", prev.ID(), "err", err)
		}
		k.visit = nil
	}
	k.beginCheckin(patient, urgent)
}

// beginCheckin creates the check-in's session (once: a retry after a
// failed write goes on with the same visit) and shows the first question;
// urgent carries a help request made before the code was typed.
func (k *flow) beginCheckin(patient string, urgent bool) {
	retry := func() { k.beginCheckin(patient, urgent) }
	ctx := context.Background()
	if k.visit == nil || k.visit.Patient() != patient {
		if v := k.visit; v != nil {
			// another code's check-in that never got past its start
			if err := v.Abandon(ctx, "another code typed"); err != nil {
				k.Config().Log.Error("could not close a check-in that did not start", "session", v.ID(), "err", err)
			}
		}
		v, err := k.Intake().Checkin(ctx, patient, k.Lang())
		if err != nil {
			k.failed(err, retry)
			return
		}
		k.visit = &visit{Visit: v}
	}
	v := k.visit
	if err := v.Start(ctx); err != nil {
		k.failed(err, retry)
		return
	}
	if urgent && !v.Urgent() {
		if err := v.MarkUrgent(ctx); err != nil {
			k.failed(err, retry)
			return
		}
		if err := v.Help(ctx); err != nil {
			k.Config().Log.Error("could not record a help request", "err", err)
		}
	}
	k.firstQuestion()
}

func (s *codeScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
