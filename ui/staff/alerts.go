package staff

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// The alerts of staff mode's home screen: each urgent session of the
// clinic not yet reviewed (desk.Staff.Alerts), at this kiosk or any other
// of the clinic network, as a banner over the queue with its clear fields
// only (the kind, the site, when it started: nothing opened) and a button
// "I'm on it" that answers it for every desk (desk.Staff.Acknowledge);
// once answered, by whom and when instead. A new alert nobody has
// answered sounds the chime once at this desk.

// maxAlerts is how many alert banners the home screen shows; more are
// counted on the last (they are pinned in the queue). Each banner takes
// the room of a queue row: the home screen keeps its height.
const maxAlerts = 2

// alertBanners are the home screen's alert banners.
type alertBanners struct {
	k    *mode
	obj  *fyne.Container
	rows []*alertRow
}

// alertRow is one urgent session's banner.
type alertRow struct {
	obj   *fyne.Container
	words *widget.Label
	onIt  *widget.Label
	take  *touch.Button
	id    string
}

func newAlertBanners(k *mode) *alertBanners {
	a := &alertBanners{k: k}
	a.obj = container.NewVBox()
	for range maxAlerts {
		r := &alertRow{words: widget.NewLabel(""), onIt: widget.NewLabel("")}
		r.words.TextStyle = fyne.TextStyle{Bold: true}
		r.words.Importance = widget.DangerImportance
		r.words.Truncation = fyne.TextTruncateEllipsis
		r.onIt.TextStyle = fyne.TextStyle{Bold: true}
		r.onIt.Importance = widget.SuccessImportance
		r.take = k.Kit().NewButton(staffText.AlertTake, theme.ConfirmIcon(), touch.OptionHeight, func() { k.acknowledge(r.id) })
		r.take.Importance = widget.DangerImportance
		// the banner keeps the button's height once answered: nothing
		// under it moves
		tall := canvas.NewRectangle(color.Transparent)
		tall.SetMinSize(fyne.NewSize(0, touch.OptionHeight))
		middle := func(o fyne.CanvasObject) fyne.CanvasObject {
			return container.NewVBox(layout.NewSpacer(), o, layout.NewSpacer())
		}
		r.obj = container.NewStack(canvas.NewRectangle(tint(theme.Color(theme.ColorNameError))),
			container.NewPadded(container.NewBorder(nil, nil, nil, container.NewHBox(middle(r.onIt), r.take, tall), middle(r.words))))
		r.obj.Hide()
		a.rows = append(a.rows, r)
		a.obj.Add(r.obj)
	}
	return a
}

// show puts the alerts on their banners, the ones nobody answered first
// (a patient still at a kiosk before one whose session has ended, then
// the longest waiting), and says how many queue rows' room they take.
func (a *alertBanners) show(list []intakekiosk.Session) (room int) {
	var live, waiting, answered []intakekiosk.Session
	for _, s := range list {
		switch {
		case !s.Acked.IsZero():
			answered = append(answered, s)
		case s.Status == intakekiosk.InProgress:
			live = append(live, s)
		default:
			waiting = append(waiting, s)
		}
	}
	list = append(append(live, waiting...), answered...)
	more := ""
	if n := len(list) - len(a.rows); n > 0 {
		more = fmt.Sprintf(staffText.AlertMore, n)
	}
	for i, r := range a.rows {
		if i >= len(list) {
			r.id = ""
			r.words.SetText("")
			r.onIt.SetText("")
			r.obj.Hide()
			continue
		}
		s := list[i]
		r.id = s.ID
		w := alertWords(s, a.k.Location())
		if i == len(a.rows)-1 {
			w += more
		}
		r.words.SetText(w)
		if s.Acked.IsZero() {
			r.onIt.Hide()
			r.take.Show()
		} else {
			r.onIt.SetText(onItWords(s, a.k.Location()))
			r.onIt.Show()
			r.take.Hide()
		}
		r.obj.Show()
	}
	a.obj.Refresh()
	return min(len(list), len(a.rows))
}

// Clear empties every banner (the lock).
func (a *alertBanners) Clear() { a.show(nil) }

// alertWords says what an alert is from its clear fields: "URGENT ·
// Screening started 2:15 PM at Front kiosk".
func alertWords(s intakekiosk.Session, loc *time.Location) string {
	w := staffText.AlertUrgent + " · " + fmt.Sprintf(staffText.AlertStarted, kindWords(s.Kind), s.Started.In(loc).Format("3:04 PM"))
	if s.Site != "" {
		w += fmt.Sprintf(staffText.AlertSite, s.Site)
	}
	return w
}

// onItWords says who answered an alert, and when: "Sam is on it, 2:17 PM".
func onItWords(s intakekiosk.Session, loc *time.Location) string {
	return fmt.Sprintf(staffText.AlertOnIt, s.AckedBy, s.Acked.In(loc).Format("3:04 PM"))
}

// showAlerts reads the alerts again and shows them; one nobody has
// answered that this desk has not sounded yet sounds the chime (once for
// all that are new). The session whose call for staff waits at this very
// kiosk has its own banner (the call) and sounded when the patient
// called.
func (k *mode) showAlerts() {
	s := k.on
	if s == nil {
		return
	}
	list, err := s.desk.Alerts(s.ctx)
	if err != nil {
		k.Config().Log.Error("could not read the alerts", "err", err)
		return
	}
	called := k.CalledFor()
	shown := list[:0]
	chime := false
	for _, a := range list {
		if a.ID == called {
			continue
		}
		shown = append(shown, a)
		if a.Alerting() && !k.chimed[a.ID] {
			k.chimed[a.ID] = true
			chime = true
		}
	}
	h := ui.Screen[*staffHome](k.Kiosk, ui.ScreenStaff)
	h.queue.giveRoom(h.alerts.show(shown))
	if chime {
		k.Config().Log.Info("an urgent session's alert sounded at this desk")
		k.Chime()
	}
}

// acknowledge answers session id's alert under the staff member signed
// in, then shows every alert and the queue again.
func (k *mode) acknowledge(id string) {
	if k.on == nil || id == "" {
		return
	}
	if err := k.on.desk.Acknowledge(context.Background(), id); err != nil {
		k.Config().Log.Error("could not answer an alert", "session", id, "err", err)
		k.queue().warn(staffText.AlertFailed + err.Error())
		return
	}
	k.showAlerts()
	k.queue().refresh()
}

// Changed reads again what staff mode's home screen shows (the alerts and
// the queue, keeping its period, page and search) after a pull from the
// clinic's server. The screen shown stays as it is: a session open, a
// note being typed.
func (k *mode) Changed(sessions []string) {
	if k.on == nil {
		return
	}
	// a session in progress at a kiosk took more answers: summarized anew
	for _, id := range sessions {
		k.on.desk.Index().Forget(id)
	}
	k.showAlerts()
	k.queue().refresh()
}
