package patient

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/fault"
	"intakekiosk/screening"
	"intakekiosk/trend"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// showWelcome shows the first screen: what this is, how long it takes,
// that it is private, and one big Start button.
func (k *flow) showWelcome() {
	k.Show(ui.ScreenWelcome, ui.Screen[still](k.Kiosk, ui.ScreenWelcome).obj)
}

func (k *flow) welcomeScreen() fyne.CanvasObject {
	title := touch.Heading(k.T("welcome.title", k.Config().Settings.ClinicName))
	title.Alignment = fyne.TextAlignCenter
	lines := []string{k.T("welcome.line1"), k.T("welcome.line2"), k.T("welcome.line3")}
	var body []fyne.CanvasObject
	for _, l := range lines {
		p := touch.Para(l)
		p.Alignment = fyne.TextAlignCenter
		body = append(body, p)
	}
	start := k.Kit().NewButton(k.T("welcome.start"), theme.NavigateNextIcon(), 2*touch.OptionHeight, k.showConsent)
	start.Importance = widget.HighImportance
	start.IconPlacement = widget.ButtonIconTrailingText
	checkin := k.Kit().NewButton(k.T("welcome.checkin"), theme.HistoryIcon(), touch.OptionHeight, k.showCode)
	// the language, for this patient: two big buttons, each in its own
	// language
	var langs []fyne.CanvasObject
	for _, l := range k.Messages().Languages() {
		b := k.Kit().NewButton(k.Messages().T(l, "lang."+l), nil, touch.OptionHeight, func() { k.SetLang(l) })
		b.MinWidth = touch.NavWidth
		touch.Choose(&b.Importance, l == k.Lang())
		langs = append(langs, b)
	}
	items := append(append([]fyne.CanvasObject{container.NewCenter(container.NewHBox(langs...)), layout.NewSpacer(), title}, body...),
		container.NewPadded(start), container.NewCenter(checkin), layout.NewSpacer())
	if k.Config().Notice != "" {
		n := touch.Para(k.Config().Notice)
		n.Alignment = fyne.TextAlignCenter
		n.SizeName = theme.SizeNameCaptionText
		items = append(items, n)
	}
	return container.NewPadded(container.NewVBox(items...))
}

// showConsent shows the privacy notice.
func (k *flow) showConsent() {
	k.Show(ui.ScreenConsent, ui.Screen[still](k.Kiosk, ui.ScreenConsent).obj)
}

func (k *flow) consentScreen() fyne.CanvasObject {
	items := []fyne.CanvasObject{touch.Heading(k.T("consent.title"))}
	var bullets []fyne.CanvasObject
	// where the answers go: this device, or sealed to the clinic's own
	// server once the kiosk has joined its network
	where := "consent.3"
	if k.Config().Networked {
		where = "consent.3_networked"
	}
	for _, key := range []string{"consent.1", "consent.2", where, "consent.4"} {
		bullets = append(bullets, touch.Para("•  "+k.T(key)))
	}
	items = append(items, bullets...)
	agree := k.NextButton(k.T("consent.agree"), func() {
		if _, err := k.ensureVisit(); err != nil {
			k.failed(err, k.showConsent)
			return
		}
		k.afterNotice()
	})
	no := k.Kit().NewButton(k.T("consent.no"), nil, touch.OptionHeight, func() { k.Reset("declined consent") })
	no.MinWidth = touch.NavWidth
	if k.TextStep() < 2 {
		return touch.Page(touch.NavBar(no, agree), items...)
	}
	// the largest text: the notice on two pages, "I agree" on the second
	second := touch.Page(touch.NavBar(no, agree), append([]fyne.CanvasObject{touch.Heading(k.T("consent.title"))}, bullets[2:]...)...)
	more := k.NextButton(k.T("nav.next"), func() { k.Show(ui.ScreenConsent, second) })
	return touch.Page(touch.NavBar(no, more), append([]fyne.CanvasObject{touch.Heading(k.T("consent.title"))}, bullets[:2]...)...)
}

// showFinish shows the finish screen, which returns to the welcome screen by
// itself.
func (k *flow) showFinish() {
	f := ui.Screen[*finishScreen](k.Kiosk, ui.ScreenFinish)
	f.course.SetText("")
	f.tips.Hide()
	f.msg.SetText(k.T("finish.screening"))
	if v := k.visit; v != nil && v.Patient() != "" {
		f.msg.SetText(k.T("finish.checkin"))
		// a little self-care for the days of withdrawal
		f.tips.Show()
		// where they are on the usual course, never a score
		a, ok := v.Session().Answer(screening.Key{Instrument: "checkin_use", Item: "last_dose"})
		if ok && a.Time != nil && !a.Declined {
			f.course.SetText(k.course(k.Config().Now().Sub(*a.Time).Hours()))
		}
	}
	k.finishBy = k.Config().Now().Add(k.Config().Settings.Finish)
	k.Show(ui.ScreenFinish, f.obj)
}

// course says where hours since the last dose fall on the usual course,
// in the patient's language; never a score.
func (k *flow) course(hours float64) string {
	phase, n := trend.Where(hours)
	key := map[trend.Phase]string{trend.BeforeOnset: "course.before", trend.Onset: "course.onset", trend.Peak: "course.peak",
		trend.Easing: "course.easing", trend.After: "course.after"}[phase]
	return k.T(key, n)
}

// finishScreen thanks the patient; after a check-in it says where they
// are on the usual course of withdrawal.
type finishScreen struct {
	obj         fyne.CanvasObject
	msg, course *widget.Label
	// tips are self-care for the days of withdrawal, after a check-in
	tips *fyne.Container
}

// clear forgets the course words (they come from the patient's answer).
func (f *finishScreen) Clear() { f.course.SetText("") }

func (k *flow) finishScreen() *finishScreen {
	f := &finishScreen{msg: touch.Para(""), course: touch.Para("")}
	title := touch.Heading(k.T("finish.title"))
	title.Alignment = fyne.TextAlignCenter
	f.msg.Alignment = fyne.TextAlignCenter
	f.course.Alignment = fyne.TextAlignCenter
	f.course.TextStyle = fyne.TextStyle{Bold: true}
	done := k.Kit().NewButton(k.T("finish.done"), theme.ConfirmIcon(), 2*touch.OptionHeight, func() { k.Reset("finished") })
	done.Importance = widget.HighImportance
	tipsTitle := widget.NewLabel(k.T("finish.tips_title"))
	tipsTitle.TextStyle = fyne.TextStyle{Bold: true}
	f.tips = container.NewVBox(tipsTitle)
	for _, key := range []string{"finish.tip1", "finish.tip2", "finish.tip3"} {
		tip := touch.Para("•  " + k.T(key))
		tip.SizeName = theme.SizeNameCaptionText
		f.tips.Add(tip)
	}
	f.tips.Hide()
	f.obj = container.NewPadded(container.NewVBox(layout.NewSpacer(), title, f.msg, f.course, f.tips,
		container.NewPadded(done), layout.NewSpacer()))
	return f
}

// helpNow answers the "I need help now" button from any screen.
func (k *flow) helpNow() {
	v, err := k.ensureVisit()
	if err == nil {
		err = v.Help(context.Background())
	}
	if err != nil {
		k.Config().Log.Error("could not record a help request", "err", err)
	}
	k.showCrisis()
}

// errorScreen tells the patient their answer was not saved, without
// the error itself: a full disk, which trying again cannot mend, sends
// them to the front desk.
func errorScreen(k *flow, err error, retry func()) fyne.CanvasObject {
	again := k.NextButton(k.T("error.retry"), func() {
		k.Release()
		retry()
	})
	body := "error.body"
	if fault.Is(fault.Full, err) {
		body = "error.full"
	}
	return touch.Page(touch.NavBar(nil, again), touch.Heading(k.T("error.title")), touch.Para(k.T(body)))
}

func (s *finishScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
