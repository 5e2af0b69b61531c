package staff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/consent"
	"intakekiosk/desk"
	"intakekiosk/fault"
	"intakekiosk/review"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// consentText holds every word of the consent tab and its two forms,
// from the catalog's staff.consent.* keys.
var consentText = staffWords[struct {
	Tab, Title, None, NotAsked, Signed, Declined, FromScreening, Form, TPO, TPONo, Named, NoNamed, Notes,
	Revocations, RevokedAll, RevokedOne, Disclosures, NoDisclosures, Disclosure, ByConsent, Emergency, Access,
	Revoke, Disclose, PrintConsent, List, AlreadyRevoked, Failed string
	// the revocation form
	RevokeTitle, RevokeExplain, Whole, Asked, AskedBad, RevokeSave, Cancel, Revoked string
	// the disclosure form
	DiscloseTitle, DiscloseExplain, Patient, Someone, SomeoneField, Reason, Print, Refused, NameIt, NoPrinter, Disclosed string
}]("consent")

// consentWords names a consent's status in a few words (the queue's
// row, the session's header).
func consentWords(s consent.Status) string {
	switch s {
	case consent.StatusSigned:
		return queueText.ConsentSigned
	case consent.StatusDeclined:
		return queueText.ConsentDeclined
	case consent.StatusRevoked:
		return queueText.ConsentRevoked
	case consent.StatusPartly:
		return queueText.ConsentPartly
	case consent.StatusNone:
		return queueText.ConsentNone
	}
	return ""
}

// consentPages are the consent tab: what the patient signed (or that
// they declined), when, the form's version and hash, the recipients, the
// revocations and the disclosures of this session, with Record a
// revocation and Disclose to…. It reads the consent when first shown.
func (v *sessionView) consentPages() []fyne.CanvasObject {
	k := v.k
	if k.on == nil {
		return nil
	}
	d := v.detail
	c, err := k.on.desk.Consent(context.Background(), d.Session.ID)
	if err != nil {
		k.Config().Log.Error("could not read a session's consent", "session", d.Session.ID, "err", err)
		return touch.FlowPages([]touch.Block{touch.TextBlock(touch.Para(consentText.Failed+err.Error()), fullWidth)}, v.budget())
	}
	v.consent = &c
	loc := k.Location()
	when := func(t time.Time) string { return t.Format("Jan 2, 2006 3:04 PM") }
	para := func(s string) touch.Block { return touch.TextBlock(touch.Para(s), fullWidth) }
	finished := d.Session.Status != intakekiosk.InProgress
	revoke := k.Kit().NewButton(consentText.Revoke, theme.CancelIcon(), touch.OptionHeight, func() { k.showRevoke(d.Session.ID, c) })
	touch.Enable(revoke, finished && c.Consent != nil && c.Consent.Agrees() && c.Status() != consent.StatusRevoked)
	disclose := k.Kit().NewButton(consentText.Disclose, theme.MailSendIcon(), touch.OptionHeight, func() { k.showDisclose(d, c) })
	disclose.Importance = widget.HighImportance
	touch.Enable(disclose, finished)
	// the actions first: on the first page, however long the history
	staff, clinic := k.on.desk, k.Config().Settings.ClinicName
	printConsent := k.Kit().NewButton(consentText.PrintConsent, theme.DocumentPrintIcon(), touch.OptionHeight, func() {
		v.printDoc(printJob{title: review.JobTitle(d.Session.ID),
			draw: func(w io.Writer) error {
				return staff.ConsentDocument(context.Background(), w, d.Session.ID, clinic, loc)
			},
			record:    func() error { return nil }, // on record as drawn
			noPrinter: sessionText.NoPrinter})
	})
	touch.Enable(printConsent, c.Consent != nil)
	list := k.Kit().NewButton(consentText.List, theme.ListIcon(), touch.OptionHeight, func() {
		v.printDoc(printJob{title: review.JobTitle(d.Session.ID),
			draw: func(w io.Writer) error {
				return staff.Accounting(context.Background(), w, d.Session.ID, d.Session.PatientID, clinic, loc)
			},
			record: func() error { return nil }, noPrinter: sessionText.NoPrinter})
	})
	title := container.NewBorder(nil, nil, section(consentText.Title), container.NewHBox(printConsent, list, revoke, disclose))
	bs := []touch.Block{{Obj: title, H: touch.OptionHeight, Keep: true}}
	switch sc := c.Consent; {
	case sc == nil && d.Session.Kind == intakekiosk.Checkin:
		bs = append(bs, para(consentText.None))
	case sc == nil:
		bs = append(bs, para(consentText.NotAsked))
	default:
		if c.Holder != d.Session.ID {
			bs = append(bs, para(fmt.Sprintf(consentText.FromScreening, when(c.SignedAt.In(loc)))))
		}
		status := fmt.Sprintf(consentText.Signed, when(c.SignedAt.In(loc)))
		if sc.Declined {
			status = fmt.Sprintf(consentText.Declined, when(c.SignedAt.In(loc)))
		}
		if st := c.Status(); st == consent.StatusRevoked || st == consent.StatusPartly {
			status += " · " + consentWords(st)
		}
		l := touch.Para(status)
		l.TextStyle = fyne.TextStyle{Bold: true}
		bs = append(bs, touch.TextBlock(l, fullWidth))
		bs = append(bs, touch.TextBlock(touch.Small(fmt.Sprintf(consentText.Form, sc.Form, sc.Version, sc.Hash)), fullWidth))
		if !sc.Declined {
			if sc.TPO {
				var names []string
				for _, r := range sc.Recipients {
					names = append(names, r.Name)
				}
				bs = append(bs, para(fmt.Sprintf(consentText.TPO, strings.Join(names, "; "))))
			} else {
				bs = append(bs, para(consentText.TPONo))
			}
			if len(sc.Named) > 0 {
				bs = append(bs, para(fmt.Sprintf(consentText.Named, strings.Join(sc.Named, "; "))))
			} else {
				bs = append(bs, para(consentText.NoNamed))
			}
		}
	}
	bs = append(bs, touch.TextBlock(touch.Small(consentText.Notes), fullWidth))
	if len(c.Revocations) > 0 {
		bs = append(bs, headingBlock(consentText.Revocations, fullWidth))
		for _, r := range c.Revocations {
			line := fmt.Sprintf(consentText.RevokedAll, r.Asked.In(loc).Format("Jan 2, 2006"), r.By)
			if !r.All {
				line = fmt.Sprintf(consentText.RevokedOne, r.Asked.In(loc).Format("Jan 2, 2006"), r.By, r.To)
			}
			bs = append(bs, para(line))
		}
	}
	bs = append(bs, headingBlock(consentText.Disclosures, fullWidth))
	if len(c.Disclosures) == 0 {
		bs = append(bs, para(consentText.NoDisclosures))
	}
	for _, x := range c.Disclosures {
		bs = append(bs, para(fmt.Sprintf(consentText.Disclosure, when(x.At.In(loc)), x.What, x.To, x.By, basisWords(x.Disclosure))))
	}
	return touch.FlowPages(bs, v.budget())
}

// basisWords says why a disclosure was allowed.
func basisWords(d consent.Disclosure) string {
	switch d.Basis {
	case consent.Emergency:
		return fmt.Sprintf(consentText.Emergency, d.Reason)
	case consent.Access:
		return consentText.Access
	}
	return fmt.Sprintf(consentText.ByConsent, d.Version)
}

// recipientsOf are the recipients a consent names: the clinic's of its
// single consent, then the people the patient named.
func recipientsOf(c *consent.Signed) []consent.To {
	var out []consent.To
	if c == nil {
		return nil
	}
	if c.TPO {
		for _, r := range c.Recipients {
			out = append(out, consent.To{Kind: consent.Clinic, ID: r.ID, Name: r.Name})
		}
	}
	for _, n := range c.Named {
		out = append(out, consent.To{Kind: consent.Named, Name: n})
	}
	return out
}

// chooserHeight is the height of a chooser's buttons.
const chooserHeight = 48

// chooser is a column of buttons of which one is chosen.
type chooser struct {
	box     *fyne.Container
	scroll  *container.Scroll
	buttons []*touch.Button
	at      int
	changed func(i int)
}

func newChooser(k *mode, labels []string, changed func(int)) *chooser {
	c := &chooser{box: container.NewVBox(), at: -1, changed: changed}
	// low buttons, scrolled past four: the form's fields and its
	// keyboard take the rest of the window
	c.scroll = container.NewVScroll(c.box)
	c.scroll.SetMinSize(fyne.NewSize(0, 4*(chooserHeight+theme.Padding())))
	c.set(k, labels)
	return c
}

// set makes the buttons anew, none chosen.
func (c *chooser) set(k *mode, labels []string) {
	c.box.RemoveAll()
	c.buttons, c.at = nil, -1
	for i, l := range labels {
		b := k.Kit().NewButton(l, nil, chooserHeight, func() { c.choose(i) })
		b.Alignment = widget.ButtonAlignLeading
		c.buttons = append(c.buttons, b)
		c.box.Add(b)
	}
	c.box.Refresh()
}

func (c *chooser) choose(i int) {
	c.at = i
	for j, b := range c.buttons {
		if touch.Choose(&b.Importance, i == j) {
			b.Refresh()
		}
	}
	if c.changed != nil {
		c.changed(i)
	}
}

// revokeScreen records a patient's revocation: of the whole consent or
// of one recipient, on the day the patient asked.
type revokeScreen struct {
	*fieldForm
	k       *mode
	obj     fyne.CanvasObject
	session string
	to      []consent.To // the recipients offered after "the whole consent"
	which   *chooser
}

func newRevokeScreen(k *mode) *revokeScreen {
	r := &revokeScreen{k: k}
	r.fieldForm = newFieldForm(k, formField{label: consentText.Asked, placeholder: "YYYY-MM-DD"})
	r.which = newChooser(k, nil, func(int) { r.msg.Say("") })
	r.onChange = func(int) { r.msg.Say("") }
	save := k.NextButton(consentText.RevokeSave, r.submit)
	save.SetIcon(theme.ConfirmIcon())
	r.obj = r.page(consentText.RevokeTitle, consentText.RevokeExplain, consentText.Cancel, r.leave, save, r.which.scroll)
	return r
}

// showRevoke opens the revocation form over the session view.
func (k *mode) showRevoke(sessionID string, c desk.Consent) {
	r := ui.Screen[*revokeScreen](k.Kiosk, ui.ScreenRevoke)
	r.Clear()
	r.session = sessionID
	r.to = recipientsOf(c.Consent)
	labels := []string{consentText.Whole}
	for _, to := range r.to {
		if !c.Revoked(to) {
			labels = append(labels, to.String())
		} else {
			labels = append(labels, fmt.Sprintf(consentText.AlreadyRevoked, to))
		}
	}
	r.which.set(k, labels)
	r.which.choose(0)
	r.setText(0, k.Config().Now().In(k.Location()).Format("2006-01-02"))
	k.Hold(ui.ScreenRevoke, r.obj)
	r.selectField(0)
}

// Clear forgets the form.
func (r *revokeScreen) Clear() {
	r.session, r.to = "", nil
	r.which.set(r.k, nil)
	r.setText(0, "")
	r.msg.Say("")
}

func (r *revokeScreen) leave() {
	r.Clear()
	r.k.Release()
}

func (r *revokeScreen) submit() {
	k := r.k
	if k.on == nil || r.session == "" {
		return
	}
	asked, err := parseDay(r.fields[0].Text, k.Location())
	if err != nil {
		r.fail(0, consentText.AskedBad)
		return
	}
	rev := consent.Revocation{All: r.which.at <= 0, Asked: asked}
	if r.which.at > 0 {
		rev.To = r.to[r.which.at-1]
	}
	if err := k.on.desk.Revoke(context.Background(), r.session, rev); err != nil {
		k.Config().Log.Error("could not record a revocation", "session", r.session, "err", err)
		if e, ok := errors.AsType[*fault.Error](err); ok && e.Field == "asked" {
			r.fail(0, consentText.AskedBad)
			return
		}
		r.say(consentText.Failed+err.Error(), true)
		return
	}
	r.Clear()
	k.Release()
	k.consentChanged(consentText.Revoked)
}

// consentChanged shows the consent tab read again, with a message.
func (k *mode) consentChanged(msg string) {
	if v, ok := builtView(k); ok {
		v.reload()
		v.setTab(tabConsent)
		v.say(msg, false)
	}
}

func (r *revokeScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.obj} }

// discloseScreen discloses a session's summary to a recipient: one the
// consent names, someone else (typed), or the patient's own copy; in a
// bona fide medical emergency with its reason. It prints the summary
// without the counselors' notes and puts the disclosure on record.
type discloseScreen struct {
	*fieldForm
	k      *mode
	obj    fyne.CanvasObject
	detail review.Detail
	to     []consent.To // the recipients offered, then someone else, then the patient
	who    *chooser
}

func newDiscloseScreen(k *mode) *discloseScreen {
	s := &discloseScreen{k: k}
	s.fieldForm = newFieldForm(k, formField{label: consentText.SomeoneField, caps: touch.CapitalizeWords},
		formField{label: consentText.Reason, caps: touch.CapitalizeSentences})
	s.who = newChooser(k, nil, func(int) { s.msg.Say("") })
	s.onChange = func(i int) {
		s.msg.Say("")
		if i == 0 && s.fields[0].Text != "" && len(s.to) > 0 {
			s.who.choose(len(s.to) - 2) // typing a name chooses "someone else"
		}
	}
	print := k.NextButton(consentText.Print, s.submit)
	print.SetIcon(theme.DocumentPrintIcon())
	s.obj = s.page(consentText.DiscloseTitle, consentText.DiscloseExplain, consentText.Cancel, s.leave, print, s.who.scroll)
	return s
}

// showDisclose opens the disclosure form over the session view.
func (k *mode) showDisclose(d review.Detail, c desk.Consent) {
	s := ui.Screen[*discloseScreen](k.Kiosk, ui.ScreenDisclose)
	s.Clear()
	s.detail = d
	s.to = recipientsOf(c.Consent)
	// the clinic's recipients the consent does not name are offered too:
	// a disclosure to one is refused, but in an emergency
	if f, ok := k.formRecipients(); ok {
		for _, r := range f {
			to := consent.To{Kind: consent.Clinic, ID: r.ID, Name: r.Name}
			if !containsTo(s.to, to) {
				s.to = append(s.to, to)
			}
		}
	}
	s.to = append(s.to, consent.To{Kind: consent.Named}, consent.To{Kind: consent.Patient})
	var labels []string
	for _, to := range s.to[:len(s.to)-2] {
		labels = append(labels, to.String())
	}
	labels = append(labels, consentText.Someone, consentText.Patient)
	s.who.set(k, labels)
	k.Hold(ui.ScreenDisclose, s.obj)
}

func containsTo(list []consent.To, to consent.To) bool {
	for _, t := range list {
		if t.Same(to) {
			return true
		}
	}
	return false
}

// formRecipients are the recipients of the clinic's consent form.
func (k *mode) formRecipients() ([]consent.Recipient, bool) {
	set := k.Config().Consents
	if set == nil {
		return nil, false
	}
	f, ok := set.Main("en")
	if !ok {
		return nil, false
	}
	return f.Recipients, true
}

// Clear forgets the form.
func (s *discloseScreen) Clear() {
	s.detail, s.to = review.Detail{}, nil
	s.who.set(s.k, nil)
	s.setText(0, "")
	s.setText(1, "")
	s.msg.Say("")
}

func (s *discloseScreen) leave() {
	s.Clear()
	s.k.Release()
}

func (s *discloseScreen) submit() {
	k := s.k
	if k.on == nil || s.detail.Session.ID == "" {
		return
	}
	if s.who.at < 0 {
		s.say(consentText.NameIt, true)
		return
	}
	to := s.to[s.who.at]
	if to.Kind == consent.Named && to.Name == "" {
		to.Name = strings.TrimSpace(s.fields[0].Text)
		if to.Name == "" {
			s.fail(0, consentText.NameIt)
			return
		}
	}
	if k.Config().Print == nil {
		s.say(consentText.NoPrinter, true)
		return
	}
	staff, d := k.on.desk, s.detail
	plan, err := staff.PlanDisclosure(context.Background(), []string{d.Session.ID}, to, "session summary PDF", s.fields[1].Text)
	if errors.Is(err, consent.ErrNotConsented) {
		name := "—"
		if f := d.Identity; f.First != "" {
			name = strings.TrimSpace(f.First + " " + f.Last)
		}
		s.fail(1, fmt.Sprintf(consentText.Refused, name))
		return
	}
	if err != nil {
		s.say(consentText.Failed+err.Error(), true)
		return
	}
	s.Clear()
	k.Release()
	v, ok := builtView(k)
	if !ok {
		return
	}
	// counselors' notes are never part of a disclosure
	d.Notes = nil
	clinic, loc := k.Config().Settings.ClinicName, k.Location()
	v.printDoc(printJob{title: review.JobTitle(d.Session.ID),
		draw:      func(w io.Writer) error { return staff.Summary(w, d, clinic, loc) },
		record:    func() error { return staff.Disclosed(context.Background(), plan) },
		noPrinter: sessionText.NoPrinter, after: func() { k.consentChanged(consentText.Disclosed) }})
}

func (s *discloseScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }

// builtView is the session view when it is shown.
func builtView(k *mode) (*sessionView, bool) {
	v, ok := ui.Built[*sessionView](k.Kiosk, ui.ScreenSession)
	return v, ok && k.Screen() == ui.ScreenSession
}

// parseDay reads a day typed as YYYY-MM-DD in the clinic's zone.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
}
