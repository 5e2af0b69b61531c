package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/fault"
	"intakekiosk/screening"
	"intakekiosk/trend"
	"intakekiosk/ui/touch"
)

func (k *Kiosk) BackButton(tapped func()) *touch.Button {
	b := k.t.NewButton(k.tr("nav.back"), theme.NavigateBackIcon(), touch.OptionHeight, tapped)
	b.MinWidth = touch.NavWidth
	return b
}

func (k *Kiosk) NextButton(label string, tapped func()) *touch.Button {
	b := k.t.NewButton(label, theme.NavigateNextIcon(), touch.OptionHeight, tapped)
	b.Importance = widget.HighImportance
	b.IconPlacement = widget.ButtonIconTrailingText
	b.MinWidth = touch.NavWidth
	return b
}

// showWelcome shows the first screen: what this is, how long it takes,
// that it is private, and one big Start button.
func (pf *patientFlow) showWelcome() {
	k := pf.k
	k.Show(ScreenWelcome, Screen[still](k, ScreenWelcome).obj)
}

func (pf *patientFlow) welcomeScreen() fyne.CanvasObject {
	k := pf.k
	title := touch.Heading(k.tr("welcome.title", k.cfg.Settings.ClinicName))
	title.Alignment = fyne.TextAlignCenter
	lines := []string{k.tr("welcome.line1"), k.tr("welcome.line2"), k.tr("welcome.line3")}
	var body []fyne.CanvasObject
	for _, l := range lines {
		p := touch.Para(l)
		p.Alignment = fyne.TextAlignCenter
		body = append(body, p)
	}
	start := k.t.NewButton(k.tr("welcome.start"), theme.NavigateNextIcon(), 2*touch.OptionHeight, pf.showConsent)
	start.Importance = widget.HighImportance
	start.IconPlacement = widget.ButtonIconTrailingText
	checkin := k.t.NewButton(k.tr("welcome.checkin"), theme.HistoryIcon(), touch.OptionHeight, pf.showCode)
	// the language, for this patient: two big buttons, each in its own
	// language
	var langs []fyne.CanvasObject
	for _, l := range k.msgs.Languages() {
		b := k.t.NewButton(k.msgs.T(l, "lang."+l), nil, touch.OptionHeight, func() { k.setLang(l) })
		b.MinWidth = touch.NavWidth
		touch.Choose(&b.Importance, l == k.lang)
		langs = append(langs, b)
	}
	items := append(append([]fyne.CanvasObject{container.NewCenter(container.NewHBox(langs...)), layout.NewSpacer(), title}, body...),
		container.NewPadded(start), container.NewCenter(checkin), layout.NewSpacer())
	if k.cfg.Notice != "" {
		n := touch.Para(k.cfg.Notice)
		n.Alignment = fyne.TextAlignCenter
		n.SizeName = theme.SizeNameCaptionText
		items = append(items, n)
	}
	return container.NewPadded(container.NewVBox(items...))
}

// showConsent shows the privacy notice.
func (pf *patientFlow) showConsent() {
	k := pf.k
	k.Show(ScreenConsent, Screen[still](k, ScreenConsent).obj)
}

func (pf *patientFlow) consentScreen() fyne.CanvasObject {
	k := pf.k
	items := []fyne.CanvasObject{touch.Heading(k.tr("consent.title"))}
	var bullets []fyne.CanvasObject
	for _, key := range []string{"consent.1", "consent.2", "consent.3", "consent.4"} {
		bullets = append(bullets, touch.Para("•  "+k.tr(key)))
	}
	items = append(items, bullets...)
	agree := k.NextButton(k.tr("consent.agree"), func() {
		if _, err := pf.ensureVisit(); err != nil {
			pf.failed(err, pf.showConsent)
			return
		}
		pf.showName(true)
	})
	no := k.t.NewButton(k.tr("consent.no"), nil, touch.OptionHeight, func() { k.Reset("declined consent") })
	no.MinWidth = touch.NavWidth
	if k.textStep < 2 {
		return touch.Page(touch.NavBar(no, agree), items...)
	}
	// the largest text: the notice on two pages, "I agree" on the second
	second := touch.Page(touch.NavBar(no, agree), append([]fyne.CanvasObject{touch.Heading(k.tr("consent.title"))}, bullets[2:]...)...)
	more := k.NextButton(k.tr("nav.next"), func() { k.Show(ScreenConsent, second) })
	return touch.Page(touch.NavBar(no, more), append([]fyne.CanvasObject{touch.Heading(k.tr("consent.title"))}, bullets[:2]...)...)
}

// showFinish shows the finish screen, which returns to the welcome screen by
// itself.
func (pf *patientFlow) showFinish() {
	k := pf.k
	f := Screen[*finishScreen](k, ScreenFinish)
	f.course.SetText("")
	f.tips.Hide()
	f.msg.SetText(k.tr("finish.screening"))
	if v := pf.visit; v != nil && v.Patient() != "" {
		f.msg.SetText(k.tr("finish.checkin"))
		// a little self-care for the days of withdrawal
		f.tips.Show()
		// where they are on the usual course, never a score
		a, ok := v.Session().Answer(screening.Key{Instrument: "checkin_use", Item: "last_dose"})
		if ok && a.Time != nil && !a.Declined {
			f.course.SetText(pf.course(k.cfg.Now().Sub(*a.Time).Hours()))
		}
	}
	pf.finishBy = k.cfg.Now().Add(k.cfg.Settings.Finish)
	k.Show(ScreenFinish, f.obj)
}

// course says where hours since the last dose fall on the usual course,
// in the patient's language; never a score.
func (pf *patientFlow) course(hours float64) string {
	k := pf.k
	phase, n := trend.Where(hours)
	key := map[trend.Phase]string{trend.BeforeOnset: "course.before", trend.Onset: "course.onset", trend.Peak: "course.peak",
		trend.Easing: "course.easing", trend.After: "course.after"}[phase]
	return k.tr(key, n)
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

func (pf *patientFlow) finishScreen() *finishScreen {
	k := pf.k
	f := &finishScreen{msg: touch.Para(""), course: touch.Para("")}
	title := touch.Heading(k.tr("finish.title"))
	title.Alignment = fyne.TextAlignCenter
	f.msg.Alignment = fyne.TextAlignCenter
	f.course.Alignment = fyne.TextAlignCenter
	f.course.TextStyle = fyne.TextStyle{Bold: true}
	done := k.t.NewButton(k.tr("finish.done"), theme.ConfirmIcon(), 2*touch.OptionHeight, func() { k.Reset("finished") })
	done.Importance = widget.HighImportance
	tipsTitle := widget.NewLabel(k.tr("finish.tips_title"))
	tipsTitle.TextStyle = fyne.TextStyle{Bold: true}
	f.tips = container.NewVBox(tipsTitle)
	for _, key := range []string{"finish.tip1", "finish.tip2", "finish.tip3"} {
		tip := touch.Para("•  " + k.tr(key))
		tip.SizeName = theme.SizeNameCaptionText
		f.tips.Add(tip)
	}
	f.tips.Hide()
	f.obj = container.NewPadded(container.NewVBox(layout.NewSpacer(), title, f.msg, f.course, f.tips,
		container.NewPadded(done), layout.NewSpacer()))
	return f
}

// helpNow answers the "I need help now" button from any screen.
func (pf *patientFlow) helpNow() {
	k := pf.k
	v, err := pf.ensureVisit()
	if err == nil {
		err = v.Help(context.Background())
	}
	if err != nil {
		k.cfg.Log.Error("could not record a help request", "err", err)
	}
	pf.showCrisis()
}

// showCrisis shows the crisis information over the current screen; the
// patient can then continue where they were.
func (pf *patientFlow) showCrisis() {
	k := pf.k
	if k.screen == ScreenCrisis {
		return
	}
	items := []fyne.CanvasObject{touch.Heading(k.tr("crisis.title"))}
	for _, key := range []string{"crisis.1", "crisis.2", "crisis.3", "crisis.4"} {
		l := k.tr(key)
		p := touch.Para(l)
		p.TextStyle = fyne.TextStyle{Bold: strings.Contains(l, "988") || strings.Contains(l, "911")}
		items = append(items, p)
	}
	cont := k.NextButton(k.tr("nav.continue"), func() {
		// help asked for on the welcome screen is a session of its own:
		// whoever taps Start next must not inherit it
		if k.HeldUnder() == ScreenWelcome {
			k.Reset("help from the welcome screen")
			return
		}
		k.Release()
	})
	k.Hold(ScreenCrisis, touch.Page(touch.NavBar(nil, cont), items...))
}

// errorScreen tells the patient their answer was not saved, without
// the error itself: a full disk, which trying again cannot mend, sends
// them to the front desk.
func errorScreen(k *Kiosk, err error, retry func()) fyne.CanvasObject {
	again := k.NextButton(k.tr("error.retry"), func() {
		k.Release()
		retry()
	})
	body := "error.body"
	if fault.Is(fault.Full, err) {
		body = "error.full"
	}
	return touch.Page(touch.NavBar(nil, again), touch.Heading(k.tr("error.title")), touch.Para(k.tr(body)))
}

func (s *finishScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
