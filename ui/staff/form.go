package staff

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui/touch"
)

// formField describes one field of a fieldForm.
type formField struct {
	label, placeholder string
	password           bool
	caps               touch.Capitalization
}

// fieldForm is a few text fields typed on ONE on-screen keyboard whose
// target follows the field chosen: a tap on a field, Return in the field
// before it, or typing in it on a physical keyboard (which may have moved
// there with Tab) chooses it. The chosen field's label is lit: the
// Entry's own focus ring goes at every tap on a key.
type fieldForm struct {
	k      *mode
	fields []*touch.Entry
	labels []*widget.Label
	caps   []touch.Capitalization
	kb     *touch.Keyboard
	at     int // the field the keyboard types into

	// onFollow, when set, is called after the keyboard moved to field i.
	onFollow func(i int)
	// onChange, when set, is called after typing in field i.
	onChange func(i int)
	// onSubmit, when set, is called on Return in field i (after choosing it).
	onSubmit func(i int)

	// msg is the form's message line; afterSay, when set, runs after it
	// changes (to lay out a row that does not change height).
	msg      touch.Notice
	afterSay func()
}

// fail chooses field i and says what to fix in it.
func (f *fieldForm) fail(i int, msg string) {
	f.selectField(i)
	f.say(msg, true)
}

// say shows a message under the form: an error in red, or (err false) a
// plain status line.
func (f *fieldForm) say(text string, err bool) {
	f.msg.Importance = widget.MediumImportance
	if err {
		f.msg.Importance = widget.DangerImportance
	}
	f.msg.Say(text)
	if f.afterSay != nil {
		f.afterSay()
	}
}

func newFieldForm(k *mode, specs ...formField) *fieldForm {
	f := &fieldForm{k: k, msg: touch.NewNavNotice()}
	for i, sp := range specs {
		// a field's own touch: a tap on it both counts as activity and
		// points the keyboard at it
		field := &touch.Kit{HideCursor: k.Kit().HideCursor, Words: k.Kit().Words, Location: k.Kit().Location, Activity: func() {
			k.Touch()
			f.selectField(i)
		}}
		e := field.NewEntry()
		e.Password = sp.password
		e.PlaceHolder = sp.placeholder
		e.OnChanged = func(string) { f.changed(i) }
		e.OnSubmitted = func(string) {
			f.selectField(i)
			if f.onSubmit != nil {
				f.onSubmit(i)
			}
		}
		l := widget.NewLabel(sp.label)
		l.TextStyle = fyne.TextStyle{Bold: true}
		f.fields = append(f.fields, e)
		f.labels = append(f.labels, l)
		f.caps = append(f.caps, sp.caps)
	}
	f.kb = k.Kit().NewKeyboard(f.fields[0])
	return f
}

// grid lays the labels and fields out as a form, one field a row.
func (f *fieldForm) grid() fyne.CanvasObject {
	form := container.New(layout.NewFormLayout())
	for i := range f.fields {
		form.Add(f.labels[i])
		form.Add(f.fields[i])
	}
	return form
}

// selectField points the keyboard at field i and focuses it (for a
// physical keyboard).
func (f *fieldForm) selectField(i int) {
	e := f.fields[i]
	if f.at != i || f.kb.Target() != e {
		f.at = i
		f.follow(i)
	}
	f.k.Focus(e)
}

// follow points the keyboard at field i and lights its label.
func (f *fieldForm) follow(i int) {
	for j, l := range f.labels {
		if touch.Choose(&l.Importance, j == i) {
			l.Refresh()
		}
	}
	f.kb.SetCapitalization(f.caps[i])
	f.kb.SetTarget(f.fields[i])
	if f.onFollow != nil {
		f.onFollow(i)
	}
}

// changed follows typing in field i, on either keyboard.
func (f *fieldForm) changed(i int) {
	f.k.Touch()
	if f.at != i {
		f.at = i
		f.follow(i)
	}
	f.kb.Refresh()
	f.k.Focus(f.fields[i]) // back from the key just tapped
	if f.onChange != nil {
		f.onChange(i)
	}
}

// setEnabled enables or disables every field.
func (f *fieldForm) enable(on bool) {
	for _, e := range f.fields {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
}

// setText sets field i's text without counting as typing (no activity,
// no focus change).
func (f *fieldForm) setText(i int, text string) {
	setQuietly(f.fields[i], text)
	f.kb.Refresh()
}

// setQuietly sets an entry's text without calling its OnChanged: the
// program set it, nobody typed it.
func setQuietly(e *touch.Entry, text string) {
	cb := e.OnChanged
	e.OnChanged = nil
	e.SetText(text)
	e.OnChanged = cb
}

// page lays out a form screen of staff mode: title and explanation beside
// the fields, the keyboard under them, and a nav bar with a Cancel button
// at the left, the action at the right and the form's message between.
// extra goes under the fields.
func (f *fieldForm) page(title, explain, cancelLabel string, cancel func(), action *touch.Button, extra ...fyne.CanvasObject) fyne.CanvasObject {
	c := f.k.Kit().NewButton(cancelLabel, nil, touch.OptionHeight, cancel)
	c.MinWidth = touch.NavWidth
	top := container.NewGridWithColumns(2, container.NewVBox(touch.Heading(title), touch.Para(explain)), container.NewVBox(append([]fyne.CanvasObject{f.grid()}, extra...)...))
	nav := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewBorder(nil, nil, c, action, f.msg)))
	return container.NewBorder(nil, nav, nil, nil, container.NewPadded(container.NewVBox(top, f.kb.Object())))
}
