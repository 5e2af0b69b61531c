package patient

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// The crisis screens: what a patient in crisis sees, and what happens
// next. Each is shown over the screen the patient was on (held), built
// anew at each showing; the kiosk calls staff (ui.Kiosk.CallStaff: a
// sound where there is a player, and "staff called" in the top bar until
// a signed-in staff member answers it).

// showCrisis shows the crisis information over the current screen and
// calls staff; the patient can then say they feel physically unwell,
// wait here for staff, or continue where they were.
func (k *flow) showCrisis() {
	if k.Screen() == ui.ScreenCrisis {
		return
	}
	items := []fyne.CanvasObject{touch.Heading(k.T("crisis.title")), k.callLine()}
	for _, key := range []string{"crisis.2", "crisis.3", "crisis.4"} {
		l := k.T(key)
		p := touch.Para(l)
		p.TextStyle = fyne.TextStyle{Bold: strings.Contains(l, "988") || strings.Contains(l, "911")}
		items = append(items, p)
	}
	unwell := k.Kit().NewButton(k.T("crisis.unwell"), nil, touch.OptionHeight, k.settled(k.feelUnwell))
	unwell.Importance = widget.DangerImportance
	items = append(items, unwell, k.Kit().NewButton(k.T("crisis.wait"), nil, touch.OptionHeight, k.settled(k.waitForStaff)))
	k.holdCrisis(ui.ScreenCrisis, touch.Page(touch.NavBar(k.continueButton()), items...))
}

// callLine calls staff and says what the kiosk did: staff called with a
// sound, or (no sound here, or it failed) that the patient must tell a
// staff member; once a desk has answered, who is on the way.
func (k *flow) callLine() fyne.CanvasObject {
	// said before the call goes out: a sound that fails at once takes it
	// back after
	p := touch.Para(k.T("crisis.called"))
	p.TextStyle = fyne.TextStyle{Bold: true}
	k.calling = p
	tell := func() {
		if k.CallAnsweredBy() == "" {
			p.SetText(k.T("crisis.1"))
		}
	}
	if !k.CallStaff(tell) {
		tell()
	}
	if by := k.CallAnsweredBy(); by != "" {
		p.SetText(k.T("crisis.on_the_way", by))
	}
	return p
}

// CallAnswered says on the crisis screen shown that by, a staff member,
// is on the way: a desk answered the alert (ui.Kiosk.Changed).
func (k *flow) CallAnswered(by string) {
	switch k.Screen() {
	case ui.ScreenCrisis, ui.ScreenUnwell, ui.ScreenWaiting:
		if k.calling != nil {
			k.calling.SetText(k.T("crisis.on_the_way", by))
		}
	}
}

// feelUnwell puts "I feel physically unwell" on record (urgent) and says
// what to do: tell staff now, 911 in an emergency.
func (k *flow) feelUnwell() {
	v, err := k.ensureVisit()
	if err == nil {
		err = v.Unwell(context.Background())
	}
	if err != nil {
		k.Config().Log.Error("could not record feeling unwell", "err", err)
	}
	items := []fyne.CanvasObject{touch.Heading(k.T("unwell.title")), k.callLine(), touch.Para(k.T("unwell.1"))}
	emergency := touch.Para(k.T("unwell.2"))
	emergency.TextStyle = fyne.TextStyle{Bold: true}
	items = append(items, emergency, k.Kit().NewButton(k.T("crisis.wait"), nil, touch.OptionHeight, k.settled(k.waitForStaff)))
	k.holdCrisis(ui.ScreenUnwell, touch.Page(touch.NavBar(k.continueButton()), items...))
}

// waitForStaff shows the patient they may wait here: staff are coming.
// Going back to the questions stays possible.
func (k *flow) waitForStaff() {
	back := k.NextButton(k.T("waiting.back"), k.leaveCrisis)
	// staff are coming only where the kiosk could call them, or a desk
	// answered
	p := touch.Para(k.T("waiting.tell"))
	switch by := k.CallAnsweredBy(); {
	case by != "":
		p.SetText(k.T("crisis.on_the_way", by))
	case k.Config().Alert != nil:
		p.SetText(k.T("waiting.1"))
	}
	k.calling = p
	k.holdCrisis(ui.ScreenWaiting, touch.Page(touch.NavBar(back), touch.Heading(k.T("waiting.title")), p))
}

// holdCrisis shows a crisis screen over the screen the patient was on:
// held over it the first time, in place of the crisis screen after.
func (k *flow) holdCrisis(name string, obj fyne.CanvasObject) {
	switch k.Screen() {
	case ui.ScreenCrisis, ui.ScreenUnwell, ui.ScreenWaiting:
		k.Show(name, obj)
	default:
		k.Hold(name, obj)
	}
}

// continueButton goes back to where the patient was. The crisis screens
// put it at the left of their nav bar: never where the Next or the answer
// that brought the screen up was, nor where the question's "Prefer not to
// answer" is when the patient comes back to it.
func (k *flow) continueButton() *touch.Button {
	return k.NextButton(k.T("nav.continue"), k.leaveCrisis)
}

// leaveCrisis returns to the screen under the crisis screens. Help asked
// for on the welcome screen is a session of its own: whoever taps Start
// next must not inherit it.
func (k *flow) leaveCrisis() {
	if k.HeldUnder() == ui.ScreenWelcome {
		k.Reset("help from the welcome screen")
		return
	}
	k.Release()
}

// settled makes a button of a crisis screen take a tap only once the
// screen has been up for the tap guard (ui.Kiosk.Settled): a shaking
// hand's second tap on the screen before chooses nothing here.
func (k *flow) settled(f func()) func() {
	return func() {
		if k.Settled() {
			f()
		}
	}
}
