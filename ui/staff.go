package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/desk"
	"intakekiosk/sqlite"
	"intakekiosk/ui/touch"
)

// staffText holds every word of staff mode's home screen, from the
// catalog's staff.staff.* keys.
var staffText = staffWords[struct {
	Title, SignedIn, Admin, Counselor, Settings, AdminOnly, Lock, Close, LocksAfter string
}]("staff")

// staffLockDefault is how long staff mode waits for a touch when the
// settings say nothing (a zero StaffLock never means "never").
const staffLockDefault = 2 * time.Minute

// staffMode is staff mode: the desk its staff sign in to (nil without
// one), the staff member signed in (on; nil while it is locked), and what
// it does: sign in, the home screen and the queue, the staff screens,
// the lock.
type staffMode struct {
	k    *Kiosk
	desk *desk.Desk
	on   *staffSession
}

// staffSession is the staff member signed in: the desk's signed-in
// staff (which holds the clinic key their passphrase opened and the
// sessions opened since) and what staff mode keeps beside it.
type staffSession struct {
	desk *desk.Staff
	who  sqlite.Staff
	// ctx ends with staff mode: a search still opening sessions stops
	ctx    context.Context
	cancel context.CancelFunc
	// patientStep is the text size of the patient screen staff mode
	// opened over: staff screens are laid out at the first size, and the
	// patient's comes back at the lock
	patientStep int
}

// staffLockAfter is how long staff mode waits for a touch.
func (m *staffMode) staffLockAfter() time.Duration {
	k := m.k
	if d := k.cfg.Settings.StaffLock; d > 0 {
		return d
	}
	return staffLockDefault
}

// startStaff opens staff mode for the staff member signed in.
func (m *staffMode) startStaff(staff *desk.Staff) {
	k := m.k
	ctx, cancel := context.WithCancel(context.Background())
	who := staff.Who()
	m.on = &staffSession{desk: staff, who: who, ctx: ctx, cancel: cancel, patientStep: k.textStep}
	k.setTextStep(0)
	k.lastTouch = k.cfg.Now()
	k.stillHere()
	k.cfg.Log.Info("staff mode unlocked", "staff", who.Name, "role", who.Role)
	if u, ok := Built[*unlockScreen](k, ScreenUnlock); ok {
		u.Clear()
	}
	m.showStaffHome()
	m.queue().start()
}

// isAdmin says whether the staff member signed in is an administrator.
func (m *staffMode) isAdmin() bool { return m.on != nil && m.on.who.Role == sqlite.Admin }

// lock ends staff mode (the Lock button, or no touch for the staff lock
// time): the clinic key is dropped, every staff screen is cleared and the
// kiosk returns to the patient screen staff mode was opened over, or the
// welcome screen. The patient's idle timer starts again from now.
func (m *staffMode) lock(why string) {
	k := m.k
	if m.on == nil {
		return
	}
	name, step := m.on.who.Name, m.on.patientStep
	m.dropStaff()
	k.setTextStep(step)
	k.cfg.Log.Info("staff mode locked", "staff", name, "why", why)
	k.lastTouch = k.cfg.Now()
	if !k.release() {
		k.flow.showWelcome()
	}
}

// dropStaff forgets the staff member and the clinic key (best effort: Go
// cannot wipe memory, the garbage collector frees it in time) and clears
// every widget of the staff screens.
func (m *staffMode) dropStaff() {
	k := m.k
	if s := m.on; s != nil {
		s.cancel()
		s.desk.Lock()
		s.desk, s.who = nil, sqlite.Staff{}
		m.on = nil
	}
	k.clearFor(ForSignIn, ForStaff)
	// staff screens held over one another go with the staff member
	for len(k.held) > 0 && k.audienceOf(k.screen) == ForStaff && k.notForPatients(k.heldUnder()) {
		k.release()
	}
}

// closeKiosk ends staff mode and the patient's visit (on record as
// incomplete) and closes the program.
func (m *staffMode) closeKiosk() {
	k := m.k
	if m.on == nil {
		return
	}
	k.cfg.Log.Info("kiosk closed from staff mode", "staff", m.on.who.Name)
	if err := m.on.desk.Record(context.Background(), sqlite.ActClose, "", ""); err != nil {
		k.cfg.Log.Error("could not audit closing the kiosk", "err", err)
	}
	m.lock("closing the kiosk")
	k.reset("kiosk closed")
	if k.cfg.Quit != nil {
		k.cfg.Quit()
	}
}

// staffHome is staff mode's first screen: who is signed in, and what
// they may do.
type staffHome struct {
	k         *Kiosk
	obj       fyne.CanvasObject
	who       *widget.Label
	settings  *touch.Button
	adminOnly *widget.Label
	lockNote  *widget.Label
	queue     *queue
}

func newStaffHome(k *Kiosk) *staffHome {
	h := &staffHome{k: k, who: widget.NewLabel(""), adminOnly: widget.NewLabel(staffText.AdminOnly)}
	h.who.TextStyle = fyne.TextStyle{Bold: true}
	h.adminOnly.Importance = widget.LowImportance
	h.settings = k.t.NewButton(staffText.Settings, theme.SettingsIcon(), touch.OptionHeight, func() { k.staffing.showSettings(0) })
	h.settings.MinWidth = touch.NavWidth

	lock := k.t.NewButton(staffText.Lock, theme.LogoutIcon(), touch.OptionHeight, func() { k.staffing.lock("Lock button") })
	lock.Importance = widget.HighImportance
	lock.MinWidth = touch.NavWidth
	closeK := k.t.NewButton(staffText.Close, theme.WindowCloseIcon(), touch.OptionHeight, k.staffing.closeKiosk)
	closeK.MinWidth = touch.NavWidth
	lockNote := widget.NewLabel(fmt.Sprintf(staffText.LocksAfter, plainDuration(k.staffing.staffLockAfter())))
	lockNote.Alignment = fyne.TextAlignTrailing

	h.queue = newQueue(k)
	title := widget.NewLabel(staffText.Title)
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameSubHeadingText
	h.adminOnly.SizeName = theme.SizeNameCaptionText
	h.lockNote = lockNote
	h.lockNote.SizeName = theme.SizeNameCaptionText
	header := container.NewBorder(nil, nil, container.NewHBox(title, h.who), container.NewHBox(h.adminOnly, h.settings))
	// Close kiosk and Lock at opposite corners: one is never tapped for
	// the other; the queue's paging sits between them
	nav := container.NewVBox(widget.NewSeparator(),
		container.NewPadded(container.NewBorder(nil, nil, closeK, container.NewHBox(lockNote, lock), container.NewCenter(h.queue.pager))))
	h.obj = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nav, nil, nil, container.NewPadded(h.queue.obj))
	return h
}

// clear forgets who was signed in and every session listed.
func (h *staffHome) Clear() {
	h.who.SetText("")
	h.queue.Clear()
}

// showStaffHome shows staff mode's home screen.
func (m *staffMode) showStaffHome() {
	k := m.k
	if m.on == nil {
		return
	}
	h := Screen[*staffHome](k, ScreenStaff)
	who := m.on.who
	role := staffText.Counselor
	if who.Role == sqlite.Admin {
		role = staffText.Admin
	}
	h.who.SetText(fmt.Sprintf(staffText.SignedIn, who.Name, role))
	if m.isAdmin() {
		h.settings.Enable()
		h.adminOnly.Hide()
	} else {
		h.settings.Disable()
		h.adminOnly.Show()
	}
	k.show(ScreenStaff, h.obj)
}

// plainDuration says a duration in whole minutes when it is one, else in
// seconds: "2 minutes", "1 minute", "90 seconds".
func plainDuration(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		if m := int(d / time.Minute); m != 1 {
			return fmt.Sprintf("%d minutes", m)
		}
		return "1 minute"
	}
	if s := int(d.Round(time.Second) / time.Second); s != 1 {
		return fmt.Sprintf("%d seconds", s)
	}
	return "1 second"
}

// queue is the review queue of staff mode's home screen.
func (m *staffMode) queue() *queue { return Screen[*staffHome](m.k, ScreenStaff).queue }

func (h *staffHome) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{h.obj} }
