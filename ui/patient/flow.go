package patient

import (
	"context"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"intakekiosk/intake"
	"intakekiosk/screening"
	"intakekiosk/ui"
	"time"
)

// flow is the patient's side of the kiosk: the visit under way
// and the screens of a screening and a check-in, from the welcome screen
// to the finish, the crisis screen and the error screen.
type flow struct {
	*ui.Kiosk
	// visit is the patient at the kiosk now; nil on the welcome screen
	visit *visit
	// finishBy is when the finish screen returns to welcome
	finishBy time.Time
	// calling is the line of the crisis screen shown that says whether
	// staff are coming (the call for staff); a desk's answer rewrites it
	calling *widget.Label
}

// visit is one patient's pass through the kiosk.
type visit struct {
	*intake.Visit
	at     screening.Key // the question on screen
	review bool          // answering from the review screen
}

// ensureVisit starts a screening visit if there is none, and puts its
// session on record.
func (k *flow) ensureVisit() (*visit, error) {
	if k.visit == nil {
		v, err := k.Intake().Screening(k.Lang())
		if err != nil {
			return nil, err
		}
		k.visit = &visit{Visit: v}
	}
	return k.visit, k.visit.Start(context.Background())
}

// failed shows that something could not be saved, without losing the
// patient's place: retry runs the same step again.
func (k *flow) failed(err error, retry func()) {
	k.Config().Log.Error("could not save", "err", err)
	k.Hold(ui.ScreenError, errorScreen(k, err, retry))
}

// fitQuestion lays the question shown out again when it was laid out for
// another text size (the size changed while it was shown, or while the
// crisis or error screen was held over it): the question at its size for
// the step, the answers paged again, keeping what the patient has chosen
// or typed.
func (k *flow) fitQuestion() {
	q, ok := ui.Built[*questionScreen](k.Kiosk, ui.ScreenQuestion)
	if !ok || k.visit == nil || q.laidAt == k.TextStep() {
		return
	}
	q.laidAt = k.TextStep()
	if size := q.textSize(); size != q.text.SizeName {
		q.text.SizeName = size
		q.text.Refresh()
	}
	if inputFor(q.st.Item.Kind).relayout != nil {
		q.page = 0
		q.area.Objects = []fyne.CanvasObject{q.areaFor()}
	}
	q.area.Refresh()
}

// New builds the patient's side of k (ui.Config.Patient).
func New(k *ui.Kiosk) ui.PatientFlow { return &flow{Kiosk: k} }

// Rows are the patient's screens: from the welcome screen to the finish,
// and the crisis screens (the crisis information, "I feel physically
// unwell", waiting for staff) and the error screen, built anew at each
// showing.
func (k *flow) Rows() []ui.Row {
	return []ui.Row{
		{Names: []string{ui.ScreenWelcome}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return still{k.welcomeScreen()} }},
		{Names: []string{ui.ScreenConsent}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return still{k.consentScreen()} }},
		{Names: []string{ui.ScreenSign}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return newSignScreen(k) }},
		{Names: []string{ui.ScreenFirst, ui.ScreenLast}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return newNameScreen(k) }},
		{Names: []string{ui.ScreenBirth}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return newBirthScreen(k) }},
		{Names: []string{ui.ScreenCode}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return newCodeScreen(k) }},
		{Names: []string{ui.ScreenCheckinBirth}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return newCheckinBirthScreen(k) }},
		{Names: []string{ui.ScreenQuestion}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return newQuestionScreen(k) }},
		{Names: []string{ui.ScreenInstructions}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return newInstructionsScreen(k) }},
		{Names: []string{ui.ScreenReview}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return newReviewScreen(k) }},
		{Names: []string{ui.ScreenFinish}, Audience: ui.ForPatient, Build: func(*ui.Kiosk) ui.Part { return k.finishScreen() }},
		{Names: []string{ui.ScreenCrisis, ui.ScreenUnwell, ui.ScreenWaiting}, Audience: ui.ForPatient},
		{Names: []string{ui.ScreenError}, Audience: ui.ForPatient},
	}
}

// still is a part that holds nothing of anyone (the welcome screen, the
// privacy notice): its words are the catalog's.
type still struct{ obj fyne.CanvasObject }

func (s still) Clear()                       {}
func (s still) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }

// Welcome shows the welcome screen.
func (k *flow) Welcome() { k.showWelcome() }

// Help is the top bar's "I need help now".
func (k *flow) Help() { k.helpNow() }

// Shown follows a new screen: typing goes to the code screen when it is
// up, and a question or the review is fitted again to a text size changed
// meanwhile.
func (k *flow) Shown(name string) {
	k.typingFor(name)
	k.TextSize()
}

// LangChanged follows a change of the patient's language.
func (k *flow) LangChanged(lang string) {
	if k.visit != nil {
		k.visit.SetLang(lang)
	}
}

// TextSize fits the question or the review on screen to a new text size.
func (k *flow) TextSize() {
	switch k.Screen() {
	case ui.ScreenQuestion:
		k.fitQuestion()
	case ui.ScreenReview:
		k.fitReview()
	case ui.ScreenSign:
		ui.Screen[*signScreen](k.Kiosk, ui.ScreenSign).refit()
	}
}

// FinishBy is when the finish screen returns to welcome.
func (k *flow) FinishBy() time.Time { return k.finishBy }

// Abandon ends the visit under way: a visit not submitted stays on
// record as incomplete.
func (k *flow) Abandon(why string) {
	if v := k.visit; v != nil {
		if err := v.Abandon(context.Background(), why); err != nil {
			k.Config().Log.Error("could not mark session incomplete", "session", v.ID(), "err", err)
		}
	}
	k.visit = nil
}

// Question is the question the visit is at.
func (k *flow) Question() (screening.Step, bool) {
	if k.visit == nil {
		return screening.Step{}, false
	}
	return k.visit.Session().Step(k.visit.at, k.Config().Now())
}

// Visit is the visit's session id and the question it is at.
func (k *flow) Visit() (id string, at screening.Key, ok bool) {
	if k.visit == nil {
		return "", screening.Key{}, false
	}
	return k.visit.ID(), k.visit.at, true
}

// Heard are the answers of the question on screen, read after its words.
func (k *flow) Heard() []string {
	q, ok := ui.Built[*questionScreen](k.Kiosk, ui.ScreenQuestion)
	if !ok || k.Screen() != ui.ScreenQuestion || q.st.Item == nil {
		return nil
	}
	var out []string
	for _, o := range q.st.Item.Options {
		out = append(out, o.Label.In(k.Lang()))
	}
	return out
}

// Private are the labels never read aloud: what the patient typed or
// answered (the check-in code, the answers on the review screen, the
// people named on the consent) is not for the room to hear.
func (k *flow) Private() map[*widget.Label]bool {
	p := map[*widget.Label]bool{}
	if c, ok := ui.Built[*codeScreen](k.Kiosk, ui.ScreenCode); ok {
		p[c.display] = true
	}
	if r, ok := ui.Built[*reviewScreen](k.Kiosk, ui.ScreenReview); ok {
		for _, row := range r.rows {
			p[row.answer] = true
		}
	}
	if s, ok := ui.Built[*signScreen](k.Kiosk, ui.ScreenSign); ok {
		s.private(p)
	}
	return p
}
