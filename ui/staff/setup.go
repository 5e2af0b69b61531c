package staff

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// setupText holds every word of the first-run setup screens, from the
// catalog's staff.setup.* keys.
var setupText = staffWords[struct {
	Title, Explain, Name, Pass, Again, Hint, Same, Next, Create, Busy,
	NoName, LongName, BadName, NoPass, ShortPass, Differ, Failed,
	KeyTitle, KeyExplain, KeyGroups, NoLetterO, Stored string
	Print, Printing, Printed, NoPrinter string
}]("setup")

// Limits of the first administrator's name and passphrase (the store
// checks them again).
const (
	setupNameMax = 40
	setupPassMin = 10
)

// The setup screen's fields, in order.
const (
	fieldName = iota
	fieldPass
	fieldAgain
)

// setupScreen is the first-run setup: the first administrator's name and
// passphrase, typed on one on-screen keyboard whose target follows the
// field chosen; then the recovery key, shown once. It exists only until
// the administrator confirms the key is stored.
type setupScreen struct {
	*fieldForm
	k    *mode
	obj  fyne.CanvasObject
	next *touch.Button
	busy bool // cfg.Setup is running

	recovery fyne.CanvasObject
	keyText  string // the key, for printing; cleared on leaving
	printMsg touch.Notice
	key      *widget.Label
	groups   *widget.Label // how to copy the key
	shownAt  time.Time     // when the recovery key appeared (see tapGuard)
}

// showSetup opens the first-run setup screen. The "I need help now"
// button is hidden on the setup screens (its audience in screenRows): no patient
// uses the kiosk yet, and nothing can be recorded before the clinic keys
// exist.
func (k *mode) showSetup() {
	s := ui.Screen[*setupScreen](k.Kiosk, ui.ScreenSetup)
	k.Show(ui.ScreenSetup, s.obj)
	s.selectField(s.at)
}

func newSetupScreen(k *mode) *setupScreen {
	s := &setupScreen{k: k}
	s.fieldForm = newFieldForm(k,
		formField{label: setupText.Name, caps: touch.CapitalizeWords},
		formField{label: setupText.Pass, placeholder: setupText.Hint, password: true, caps: touch.CapitalizeNone},
		formField{label: setupText.Again, placeholder: setupText.Same, password: true, caps: touch.CapitalizeNone})
	s.next = k.NextButton(setupText.Next, s.advance)
	// the button creates from the last field
	s.onFollow = func(i int) {
		if i == fieldAgain {
			s.next.SetText(setupText.Create)
			s.next.SetIcon(theme.ConfirmIcon())
		} else {
			s.next.SetText(setupText.Next)
			s.next.SetIcon(theme.NavigateNextIcon())
		}
	}
	s.onChange = func(int) { s.msg.Say("") }
	s.onSubmit = func(int) { s.advance() }

	// the explanation beside the form, not above it: the keyboard needs
	// the height
	top := container.NewGridWithColumns(2,
		container.NewVBox(touch.Heading(setupText.Title), touch.Para(setupText.Explain)),
		container.NewVBox(s.grid()))
	// messages sit beside the button they answer
	nav := container.NewVBox(widget.NewSeparator(),
		container.NewPadded(container.NewBorder(nil, nil, nil, s.next, s.msg)))
	s.obj = container.NewBorder(nil, nav, nil, nil,
		container.NewPadded(container.NewVBox(top, s.kb.Object())))
	s.follow(fieldName)
	return s
}

// setupName tidies a typed name: no space at either end, one between
// words.
func setupName(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkSetupName says what is wrong with a tidied name, or "".
func checkSetupName(name string) string {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return setupText.NoName
	case n > setupNameMax:
		return setupText.LongName
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" .-'", r) {
			return setupText.BadName
		}
	}
	return ""
}

// checkSetupPass says what is wrong with a passphrase, or "".
func checkSetupPass(p string) string {
	switch n := utf8.RuneCountInString(p); {
	case n == 0:
		return setupText.NoPass
	case n < setupPassMin:
		return setupText.ShortPass
	}
	return ""
}

// advance checks the field chosen and moves to the next one; from the
// last field it creates the administrator.
func (s *setupScreen) advance() {
	if s.busy {
		return
	}
	switch s.at {
	case fieldName:
		if msg := checkSetupName(setupName(s.fields[fieldName].Text)); msg != "" {
			s.fail(fieldName, msg)
			return
		}
		s.selectField(fieldPass)
	case fieldPass:
		if msg := checkSetupPass(s.fields[fieldPass].Text); msg != "" {
			s.fail(fieldPass, msg)
			return
		}
		s.selectField(fieldAgain)
	default:
		s.create()
	}
}

// create checks every field, then runs cfg.Setup away from the Fyne
// thread (its key derivation takes up to a second) with the form
// disabled.
func (s *setupScreen) create() {
	name := setupName(s.fields[fieldName].Text)
	pass := s.fields[fieldPass].Text
	if msg := checkSetupName(name); msg != "" {
		s.fail(fieldName, msg)
		return
	}
	if msg := checkSetupPass(pass); msg != "" {
		s.fail(fieldPass, msg)
		return
	}
	if s.fields[fieldAgain].Text != pass {
		s.clearPass()
		s.fail(fieldPass, setupText.Differ)
		return
	}
	s.setBusy(true)
	s.say(setupText.Busy, false)
	setup := s.k.Config().Setup
	s.k.Config().Go(func() {
		key, err := setup(name, pass)
		fyne.Do(func() { s.created(name, key, err) })
	})
}

// created takes cfg.Setup's answer on the Fyne thread.
func (s *setupScreen) created(name, key string, err error) {
	k := s.k
	s.setBusy(false)
	if errors.Is(err, sqlite.ErrAlreadySetUp) {
		// set up meanwhile (kioskctl init, or an attempt whose answer was
		// lost): nothing to create, open for patients
		k.Config().Log.Info("kiosk already set up")
		s.leave()
		return
	}
	if err != nil {
		k.Config().Log.Error("setup failed", "err", err)
		s.clearPass()
		s.fail(fieldPass, setupText.Failed+err.Error())
		return
	}
	k.Config().Log.Info("kiosk set up", "admin", name)
	s.clearPass()
	s.msg.Say("")
	s.showRecovery(key)
}

// setBusy disables the form while cfg.Setup runs.
func (s *setupScreen) setBusy(busy bool) {
	s.busy = busy
	s.enable(!busy)
	if busy {
		s.next.Disable()
	} else {
		s.next.Enable()
	}
}

// clearPass empties both passphrase fields and hides them again if they
// were revealed.
func (s *setupScreen) clearPass() {
	for _, f := range s.fields[fieldPass:] {
		f.Password = true
		f.SetText("")
	}
}

// showRecovery shows the recovery key, once.
func (s *setupScreen) showRecovery(key string) {
	k := s.k
	if s.recovery == nil {
		s.key = widget.NewLabel("")
		s.key.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
		s.key.SizeName = theme.SizeNameHeadingText
		s.key.Alignment = fyne.TextAlignCenter
		s.groups = touch.Para("")
		stored := k.NextButton(setupText.Stored, s.stored)
		stored.SetIcon(theme.ConfirmIcon())
		var right []fyne.CanvasObject
		if k.Config().Print != nil {
			p := k.Kit().NewButton(setupText.Print, theme.DocumentPrintIcon(), touch.OptionHeight, s.print)
			p.MinWidth = touch.NavWidth
			right = append(right, p)
		}
		s.printMsg = touch.NewNotice()
		s.recovery = touch.Page(touch.NavBar(nil, append(right, stored)...), touch.Heading(setupText.KeyTitle), touch.Para(setupText.KeyExplain),
			widget.NewSeparator(), s.key, widget.NewSeparator(), s.groups, s.printMsg)
	}
	s.keyText = key
	s.printMsg.Say("")
	s.key.SetText(recoveryLines(key))
	how := setupText.KeyGroups
	if strings.ContainsRune(key, '0') && !strings.ContainsAny(key, "Oo") { // as in every age key (Bech32)
		how += setupText.NoLetterO
	}
	s.groups.SetText(how)
	s.shownAt = k.Config().Now()
	k.Show(ui.ScreenRecovery, s.recovery)
}

// print sends the recovery key to the printer, away from the Fyne thread.
func (s *setupScreen) print() {
	k, key := s.k, s.keyText
	if key == "" {
		return
	}
	s.printMsg.Importance = widget.MediumImportance
	s.printMsg.Say(setupText.Printing)
	s.k.Config().Go(func() {
		err := k.Config().Print("Intake Kiosk recovery key", strings.NewReader(recoveryPage(k.Config().Settings.ClinicName, key)))
		fyne.Do(func() {
			if s.keyText == "" { // left the screen meanwhile
				return
			}
			if err != nil {
				k.Config().Log.Error("could not print the recovery key", "err", err)
				s.printMsg.Importance = widget.DangerImportance
				s.printMsg.Say(setupText.NoPrinter)
				return
			}
			s.printMsg.Importance = widget.SuccessImportance
			s.printMsg.Say(setupText.Printed)
		})
	})
}

// recoveryPage is the printed page: what the key is for, and the key.
func recoveryPage(clinic, key string) string {
	return fmt.Sprintf(`%s - Intake Kiosk recovery key

Keep this page in a safe, away from the kiosk. If every administrator
forgets their passphrase, this key is the only way to read the records:

    kioskctl staff add NAME --role admin --recovery-key

%s

(Spaces and line breaks are not part of the key. Every round character
is a zero.)
`, clinic, recoveryLines(key))
}

// stored ends setup: the recovery key leaves the screen and every widget,
// and the kiosk opens for patients. A tap that lands as the key appears
// (a double tap on Create) is ignored.
func (s *setupScreen) stored() {
	k := s.k
	if k.Config().Now().Sub(s.shownAt) < k.Guard() {
		return
	}
	s.leave()
}

// leave clears every setup widget and opens the kiosk for patients.
func (s *setupScreen) leave() {
	k := s.k
	s.Clear()
	k.Config().Setup = nil
	k.Drop(ui.ScreenSetup)
	k.ShowStart()
}

// clear forgets the recovery key and what was typed.
func (s *setupScreen) Clear() {
	if s.key != nil { // built with the recovery screen
		s.key.SetText("")
		s.printMsg.Say("")
	}
	s.keyText = ""
	for _, f := range s.fields {
		f.Password = f != s.fields[fieldName]
		f.SetText("")
	}
	s.kb.SetTarget(nil)
}

func (s *setupScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj, s.recovery} }

// recoveryLines lays a key out to copy by hand: its prefix (up to the
// Bech32 separator "1" of an age key) on a line of its own, then groups
// of four characters, five groups a line.
func recoveryLines(key string) string {
	const group, perLine = 4, 5
	var lines []string
	rest := key
	if i := strings.LastIndex(key, "1"); i > 0 && strings.Trim(key[:i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ-") == "" {
		lines = append(lines, key[:i+1])
		rest = key[i+1:]
	}
	r := []rune(rest)
	var line []string
	for i := 0; i < len(r); i += group {
		line = append(line, string(r[i:min(i+group, len(r))]))
		if len(line) == perLine || i+group >= len(r) {
			lines = append(lines, strings.Join(line, " "))
			line = nil
		}
	}
	return strings.Join(lines, "\n")
}
