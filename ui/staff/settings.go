package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/fault"
	"intakekiosk/settings"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// settingsText holds every word of the settings screens, from the
// catalog's staff.settings.* keys.
var settingsText = staffWords[struct {
	Title, When, Now, Empty, Unread, Edit, Prev, Next, Page,
	Key, Cancel, Save, Saved, Invalid, Failed string
}]("settings")

// settingsPerPage is how many settings one page lists: the screen never
// scrolls.
const settingsPerPage = 4

// settingsValueWidth is the width of the list's value column; a longer
// value ends in an ellipsis (the edit view shows all of it).
const settingsValueWidth = 320

// settingsScreen is the administrator's settings editor: every setting
// with its meaning and value, a page at a time, and an edit view for one
// of them on the on-screen keyboard.
type settingsScreen struct {
	k    *mode
	defs []settings.Def
	page int

	list      fyne.CanvasObject
	rows      [settingsPerPage]settingRow
	status    *widget.Label
	pageLabel *widget.Label
	prev      *touch.Button
	next      *touch.Button

	edit     fyne.CanvasObject
	editing  int // index in defs of the setting in the edit view
	editHelp *widget.Label
	editKey  *widget.Label
	entry    *touch.Entry
	kb       *touch.Keyboard
	msg      touch.Notice
}

// settingRow is one setting in the list.
type settingRow struct {
	obj   fyne.CanvasObject
	help  *widget.Label
	value *widget.Label
	edit  *touch.Button
}

func newSettingsScreen(k *mode) *settingsScreen {
	s := &settingsScreen{k: k, defs: settings.Defs(), msg: touch.NewNoticeLines(2)}

	// the list: a note that says when changes apply (or, after a save,
	// that it was saved: one line either way, five rows fill the
	// screen), then each setting's meaning, its value in a column of its
	// own and its Edit button on one row
	s.status = touch.Para(settingsText.When)
	rows := []fyne.CanvasObject{touch.Heading(settingsText.Title), s.status}
	for i := range s.rows {
		r := &s.rows[i]
		r.help = touch.Para("")
		r.help.TextStyle = fyne.TextStyle{Bold: true}
		r.value = widget.NewLabel("")
		r.value.Truncation = fyne.TextTruncateEllipsis
		r.edit = k.Kit().NewButton(settingsText.Edit, theme.DocumentCreateIcon(), touch.OptionHeight, func() {
			s.showEdit(s.page*settingsPerPage + i)
		})
		r.edit.MinWidth = touch.NavWidth * 3 / 4
		value := container.New(layout.NewGridWrapLayout(fyne.NewSize(settingsValueWidth, touch.OptionHeight)),
			middle(r.value))
		r.obj = container.NewVBox(widget.NewSeparator(),
			container.NewBorder(nil, nil, nil, container.NewHBox(value, r.edit), middle(r.help)))
		rows = append(rows, r.obj)
	}
	s.pageLabel = widget.NewLabel("")
	s.prev = k.Kit().NewButton(settingsText.Prev, theme.NavigateBackIcon(), touch.OptionHeight, func() { s.showList(s.page - 1) })
	s.next = k.Kit().NewButton(settingsText.Next, theme.NavigateNextIcon(), touch.OptionHeight, func() { s.showList(s.page + 1) })
	s.next.IconPlacement = widget.ButtonIconTrailingText
	back := k.BackButton(k.showStaffHome)
	nav := touch.NavBar(back, middle(s.pageLabel), s.prev, s.next)
	s.list = container.NewBorder(nil, nav, nil, nil, container.NewPadded(container.NewVBox(rows...)))

	// the edit view
	s.editHelp = touch.Heading("")
	s.editHelp.SizeName = theme.SizeNameSubHeadingText // a long meaning still fits on one line
	s.editKey = touch.Para("")
	s.entry = k.Kit().NewEntry()
	s.kb = k.Kit().NewKeyboard(s.entry)
	s.entry.OnChanged = func(string) {
		k.Touch()
		s.kb.Refresh()
		k.Focus(s.entry) // back from the key just tapped
		s.msg.Say("")
	}
	s.entry.OnSubmitted = func(string) { s.save() }
	cancel := k.Kit().NewButton(settingsText.Cancel, nil, touch.OptionHeight, func() { s.showList(s.page) })
	cancel.MinWidth = touch.NavWidth
	save := k.NextButton(settingsText.Save, s.save)
	save.SetIcon(theme.DocumentSaveIcon())
	s.edit = touch.Page(touch.NavBar(cancel, save), s.editHelp, s.editKey, s.entry, s.msg, s.kb.Object())
	return s
}

// showSettings shows the settings list at page p, to administrators only.
func (k *mode) showSettings(p int) {
	if !k.isAdmin() {
		return
	}
	s := ui.Screen[*settingsScreen](k.Kiosk, ui.ScreenSettings)
	s.say(false)
	s.showList(p)
}

// say shows when changes apply, or (saved) that a change was saved.
func (s *settingsScreen) say(saved bool) {
	if saved {
		s.status.TextStyle = fyne.TextStyle{Bold: true}
		s.status.Importance = widget.SuccessImportance
		s.status.SetText(settingsText.Saved)
		return
	}
	s.status.TextStyle = fyne.TextStyle{}
	s.status.Importance = widget.MediumImportance
	s.status.SetText(settingsText.When)
}

// pages is the number of list pages.
func (s *settingsScreen) pages() int { return (len(s.defs) + settingsPerPage - 1) / settingsPerPage }

// showList shows page p of the list with the values read now.
func (s *settingsScreen) showList(p int) {
	k := s.k
	if !k.isAdmin() {
		return
	}
	p = max(0, min(p, s.pages()-1))
	if p != s.page {
		s.say(false)
	}
	s.page = p
	ctx, staff := context.Background(), k.on.desk
	for i := range s.rows {
		r := &s.rows[i]
		n := p*settingsPerPage + i
		if n >= len(s.defs) {
			r.obj.Hide()
			continue
		}
		d := s.defs[n]
		r.help.SetText(sentence(d.Help))
		v, err := staff.Setting(ctx, d.Key)
		switch {
		case err != nil:
			r.value.SetText(settingsText.Unread + err.Error())
		case v == "":
			r.value.SetText(settingsText.Now + settingsText.Empty)
		default:
			r.value.SetText(settingsText.Now + v)
		}
		r.obj.Show()
	}
	s.pageLabel.SetText(fmt.Sprintf(settingsText.Page, p+1, s.pages()))
	touch.Enable(s.prev, p > 0)
	touch.Enable(s.next, p < s.pages()-1)
	k.Show(ui.ScreenSettings, s.list)
}

// showEdit opens the edit view for setting n, with its stored value.
func (s *settingsScreen) showEdit(n int) {
	k := s.k
	if !k.isAdmin() || n < 0 || n >= len(s.defs) {
		return
	}
	d := s.defs[n]
	v, err := k.on.desk.Setting(context.Background(), d.Key)
	s.editing = n
	s.editHelp.SetText(sentence(d.Help))
	s.editKey.SetText(fmt.Sprintf(settingsText.Key, d.Key))
	setQuietly(s.entry, v)
	s.msg.Say("")
	if err != nil {
		s.msg.Say(settingsText.Unread + err.Error())
	}
	// names take capitals; numbers, days and instrument ids do not
	if strings.HasSuffix(d.Key, "_name") {
		s.kb.SetCapitalization(touch.CapitalizeWords)
	} else {
		s.kb.SetCapitalization(touch.CapitalizeNone)
	}
	s.kb.SetTarget(s.entry)
	k.Show(ui.ScreenSetting, s.edit)
	k.Focus(s.entry)
}

// save stores the value typed (the store checks it and writes the change
// to the audit log under the administrator's name) and returns to the
// list; a value refused stays on screen with the reason.
func (s *settingsScreen) save() {
	k := s.k
	if !k.isAdmin() || k.Screen() != ui.ScreenSetting {
		return
	}
	d := s.defs[s.editing]
	value := strings.TrimSpace(s.entry.Text)
	err := k.on.desk.SetSetting(context.Background(), d.Key, value)
	if err != nil {
		k.Config().Log.Warn("setting not saved", "key", d.Key, "err", err)
		s.msg.Say(settingError(err))
		k.Focus(s.entry)
		return
	}
	k.Config().Log.Info("setting changed", "key", d.Key, "staff", k.on.who.Name)
	setQuietly(s.entry, "")
	s.showList(s.page)
	s.say(true)
}

// settingError says in plain words why a value was not saved: the store
// says what a value it refuses must be.
func settingError(err error) string {
	if e, ok := errors.AsType[*fault.Error](err); ok && e.Kind == fault.Invalid && e.Op == "setting" {
		return fmt.Sprintf(settingsText.Invalid, e.Reason())
	}
	return settingsText.Failed + err.Error()
}

// clear forgets every value shown or typed.
func (s *settingsScreen) Clear() {
	for i := range s.rows {
		s.rows[i].value.SetText("")
	}
	s.say(false)
	setQuietly(s.entry, "")
	s.msg.Say("")
	s.page = 0
}

// sentence starts text with a capital letter.
func sentence(text string) string {
	r, n := utf8.DecodeRuneInString(text)
	if n == 0 {
		return text
	}
	return string(unicode.ToUpper(r)) + text[n:]
}

// middle centres o vertically in the height it is given.
func middle(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(layout.NewSpacer(), o, layout.NewSpacer())
}

func (s *settingsScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.list, s.edit} }
