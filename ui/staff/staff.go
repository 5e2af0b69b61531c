package staff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/desk"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// staffText holds every word of staff mode's home screen, from the
// catalog's staff.staff.* keys.
var staffText = staffWords[struct {
	Title, SignedIn, Admin, Counselor, Settings, AdminOnly, Lock, Close, LocksAfter string
	// the call for staff a patient made at this kiosk
	Called, Answer string
	// the audit log does not match its head file (sqlite.ErrAuditBroken)
	AuditBroken string
	// an urgent session's alert (alerts.go): what it is, where, and who
	// answered it
	AlertUrgent, AlertStarted, AlertSite, AlertTake, AlertOnIt, AlertMore, AlertFailed string
}]("staff")

// staffLockDefault is how long staff mode waits for a touch when the
// settings say nothing (a zero StaffLock never means "never").
const staffLockDefault = 2 * time.Minute

// mode is staff mode: the desk its staff sign in to (nil without
// one), the staff member signed in (on; nil while it is locked), and what
// it does: sign in, the home screen and the queue, the staff screens,
// the lock.
type mode struct {
	*ui.Kiosk
	desk *desk.Desk
	on   *staffSession
	// chimed are the urgent sessions whose alert has sounded at this
	// desk: each sounds once (ids only, clear metadata: kept past a lock)
	chimed map[string]bool
}

// New builds staff mode for k (ui.Config.Staffing): its desk over the
// kiosk's staff store, its screens, the lock.
func New(k *ui.Kiosk) ui.StaffMode {
	m := &mode{Kiosk: k, chimed: map[string]bool{}}
	if cfg := k.Config(); cfg.Staff != nil {
		m.desk = desk.New(cfg.Staff, cfg.Catalog, cfg.Now)
	}
	return m
}

// Rows are staff mode's screens: the setup, the sign-in and the screens
// of a signed-in staff member.
func (k *mode) Rows() []ui.Row {
	return []ui.Row{
		{Names: []string{ui.ScreenSetup, ui.ScreenRecovery}, Audience: ui.ForSetup, Build: func(*ui.Kiosk) ui.Part { return newSetupScreen(k) }},
		{Names: []string{ui.ScreenUnlock}, Audience: ui.ForSignIn, Build: func(*ui.Kiosk) ui.Part { return newUnlockScreen(k) }},
		{Names: []string{ui.ScreenStaff}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newStaffHome(k) }},
		{Names: []string{ui.ScreenSettings, ui.ScreenSetting}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newSettingsScreen(k) }},
		{Names: []string{ui.ScreenSession}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newSessionView(k) }},
		{Names: []string{ui.ScreenNote}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newNoteScreen(k) }},
		{Names: []string{ui.ScreenRevoke}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newRevokeScreen(k) }},
		{Names: []string{ui.ScreenDisclose}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newDiscloseScreen(k) }},
		{Names: []string{ui.ScreenSave}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newSaveScreen(k) }},
		{Names: []string{ui.ScreenSearch}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newSearchScreen(k) }},
		{Names: []string{ui.ScreenDay}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newDayScreen(k) }},
		{Names: []string{ui.ScreenPlan}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newPlanScreen(k) }},
		{Names: []string{ui.ScreenCOWS}, Audience: ui.ForStaff, Build: func(*ui.Kiosk) ui.Part { return newCOWSScreen(k) }},
	}
}

// SignedIn says whether a staff member is signed in.
func (k *mode) SignedIn() bool { return k.on != nil }

// LockAfter is how long staff mode waits for a touch.
func (k *mode) LockAfter() time.Duration { return k.staffLockAfter() }

// Lock ends staff mode for why.
func (k *mode) Lock(why string) { k.lock(why) }

// Forget forgets the staff member signed in and clears staff mode's
// screens.
func (k *mode) Forget() { k.dropStaff() }

// SignIn shows the staff sign-in.
func (k *mode) SignIn() { k.showUnlock() }

// Setup shows the first-run setup.
func (k *mode) Setup() { k.showSetup() }

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
func (k *mode) staffLockAfter() time.Duration {
	if d := k.Config().Settings.StaffLock; d > 0 {
		return d
	}
	return staffLockDefault
}

// startStaff opens staff mode for the staff member signed in.
func (k *mode) startStaff(staff *desk.Staff) {
	ctx, cancel := context.WithCancel(context.Background())
	who := staff.Who()
	k.on = &staffSession{desk: staff, who: who, ctx: ctx, cancel: cancel, patientStep: k.TextStep()}
	k.SetTextStep(0)
	k.Touch()
	k.StillHere()
	k.Config().Log.Info("staff mode unlocked", "staff", who.Name, "role", who.Role)
	if u, ok := ui.Built[*unlockScreen](k.Kiosk, ui.ScreenUnlock); ok {
		u.Clear()
	}
	k.showStaffHome()
	k.queue().start()
}

// isAdmin says whether the staff member signed in is an administrator.
func (k *mode) isAdmin() bool { return k.on != nil && k.on.who.Role == sqlite.Admin }

// lock ends staff mode (the Lock button, or no touch for the staff lock
// time): the clinic key is dropped, every staff screen is cleared and the
// kiosk returns to the patient screen staff mode was opened over, or the
// welcome screen. The patient's idle timer starts again from now.
func (k *mode) lock(why string) {
	if k.on == nil {
		return
	}
	name, step := k.on.who.Name, k.on.patientStep
	k.dropStaff()
	k.SetTextStep(step)
	k.Config().Log.Info("staff mode locked", "staff", name, "why", why)
	k.Touch()
	if k.Config().Station || !k.Release() {
		k.ShowStart()
	}
}

// dropStaff forgets the staff member and the clinic key (best effort: Go
// cannot wipe memory, the garbage collector frees it in time) and clears
// every widget of the staff screens.
func (k *mode) dropStaff() {
	if s := k.on; s != nil {
		s.cancel()
		s.desk.Lock()
		s.desk, s.who = nil, sqlite.Staff{}
		k.on = nil
	}
	k.ClearFor(ui.ForSignIn, ui.ForStaff)
	// staff screens held over one another go with the staff member
	k.ReleaseAll(ui.ForStaff)
}

// closeKiosk ends staff mode and the patient's visit (on record as
// incomplete) and closes the program.
func (k *mode) closeKiosk() {
	if k.on == nil {
		return
	}
	k.Config().Log.Info("kiosk closed from staff mode", "staff", k.on.who.Name)
	if err := k.on.desk.Record(context.Background(), sqlite.ActClose, "", ""); err != nil {
		k.Config().Log.Error("could not audit closing the kiosk", "err", err)
	}
	k.lock("closing the kiosk")
	k.Reset("kiosk closed")
	if k.Config().Quit != nil {
		k.Config().Quit()
	}
}

// staffHome is staff mode's first screen: who is signed in, and what
// they may do.
type staffHome struct {
	k         *mode
	obj       fyne.CanvasObject
	who       *widget.Label
	settings  *touch.Button
	adminOnly *widget.Label
	lockNote  *widget.Label
	queue     *queue
	// alerts are the banners of the clinic's urgent sessions
	alerts *alertBanners
	// call is the banner of a call for staff waiting (hidden when none):
	// its words and the button that answers it
	call      *fyne.Container
	callWords *widget.Label
	// audit is the banner of an audit log that does not hold (hidden
	// when it does)
	audit *fyne.Container
}

func newStaffHome(k *mode) *staffHome {
	h := &staffHome{k: k, who: widget.NewLabel(""), adminOnly: widget.NewLabel(staffText.AdminOnly)}
	h.who.TextStyle = fyne.TextStyle{Bold: true}
	h.adminOnly.Importance = widget.LowImportance
	h.settings = k.Kit().NewButton(staffText.Settings, theme.SettingsIcon(), touch.OptionHeight, func() { k.showSettings(0) })
	h.settings.MinWidth = touch.NavWidth

	lock := k.Kit().NewButton(staffText.Lock, theme.LogoutIcon(), touch.OptionHeight, func() { k.lock("Lock button") })
	lock.Importance = widget.HighImportance
	lock.MinWidth = touch.NavWidth
	closeK := k.Kit().NewButton(staffText.Close, theme.WindowCloseIcon(), touch.OptionHeight, k.closeKiosk)
	closeK.MinWidth = touch.NavWidth
	lockNote := widget.NewLabel(fmt.Sprintf(staffText.LocksAfter, plainDuration(k.staffLockAfter())))
	lockNote.Alignment = fyne.TextAlignTrailing

	h.queue = newQueue(k)
	title := widget.NewLabel(staffText.Title)
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameSubHeadingText
	h.adminOnly.SizeName = theme.SizeNameCaptionText
	h.lockNote = lockNote
	h.lockNote.SizeName = theme.SizeNameCaptionText
	header := container.NewBorder(nil, nil, container.NewHBox(title, h.who), container.NewHBox(h.adminOnly, h.settings))
	h.callWords = widget.NewLabel("")
	h.callWords.TextStyle = fyne.TextStyle{Bold: true}
	h.callWords.Importance = widget.DangerImportance
	answer := k.Kit().NewButton(staffText.Answer, theme.ConfirmIcon(), touch.OptionHeight, k.answerCall)
	answer.Importance = widget.DangerImportance
	h.call = container.NewStack(canvas.NewRectangle(tint(theme.Color(theme.ColorNameError))),
		container.NewPadded(container.NewBorder(nil, nil, nil, answer, h.callWords)))
	h.call.Hide()
	auditWords := widget.NewLabel(staffText.AuditBroken)
	auditWords.Wrapping = fyne.TextWrapWord
	auditWords.TextStyle = fyne.TextStyle{Bold: true}
	auditWords.Importance = widget.DangerImportance
	h.audit = container.NewStack(canvas.NewRectangle(tint(theme.Color(theme.ColorNameError))), container.NewPadded(auditWords))
	h.audit.Hide()
	h.alerts = newAlertBanners(k)
	header = container.NewVBox(header, h.audit, h.call, h.alerts.obj)
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
	h.alerts.Clear()
}

// showStaffHome shows staff mode's home screen.
func (k *mode) showStaffHome() {
	if k.on == nil {
		return
	}
	h := ui.Screen[*staffHome](k.Kiosk, ui.ScreenStaff)
	who := k.on.who
	role := staffText.Counselor
	if who.Role == sqlite.Admin {
		role = staffText.Admin
	}
	h.who.SetText(fmt.Sprintf(staffText.SignedIn, who.Name, role))
	// every audited action checks the log first and refuses when it does
	// not hold; staff hear it here before they try one
	if err := k.Config().Staff.CheckAuditHead(context.Background()); errors.Is(err, sqlite.ErrAuditBroken) {
		h.audit.Show()
	} else {
		h.audit.Hide()
	}
	if at, ok := k.Called(); ok {
		h.callWords.SetText(fmt.Sprintf(staffText.Called, at.In(k.Location()).Format("3:04 PM")))
		h.call.Show()
	} else {
		h.call.Hide()
	}
	if k.isAdmin() {
		h.settings.Enable()
		h.adminOnly.Hide()
	} else {
		h.settings.Disable()
		h.adminOnly.Show()
	}
	k.showAlerts()
	k.Show(ui.ScreenStaff, h.obj)
}

// answerCall answers the call for staff a patient made: the staff member
// signed in is with them. It is audited under their name, and answers the
// session's alert for the other desks of the clinic (unless one did
// first).
func (k *mode) answerCall() {
	if k.on == nil {
		return
	}
	if err := k.on.desk.Record(context.Background(), sqlite.ActCallAnswered, "", ""); err != nil {
		k.Config().Log.Error("could not put the answered call on record", "err", err)
	}
	if id := k.CalledFor(); id != "" {
		if err := k.on.desk.Acknowledge(context.Background(), id); err != nil && !errors.Is(err, sqlite.ErrNotUrgent) {
			k.Config().Log.Error("could not answer the alert of the call", "session", id, "err", err)
		}
	}
	k.AnswerCall()
	k.showStaffHome()
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
func (k *mode) queue() *queue { return ui.Screen[*staffHome](k.Kiosk, ui.ScreenStaff).queue }

func (h *staffHome) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{h.obj} }
