package staff

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/fault"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/trend"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// planText holds every word of the taper plan screen, from the
// catalog's staff.plan.* keys.
var planText = staffWords[struct {
	Title, Explain, Start, Dose, Percent, Every, Quit, Checkin, Ends, Steps, Cancel, Save,
	BadDate, BadNumber, BadSteps, Saved string
}]("plan")

// The plan screen's fields, in order.
const (
	planStart = iota
	planDose
	planPercent
	planEvery
	planQuit
	planCheckin
	planEnds
	planSteps
)

// planScreen records a taper plan, typed on the on-screen keyboard.
type planScreen struct {
	*fieldForm
	k       *mode
	obj     fyne.CanvasObject
	patient string
}

func newPlanScreen(k *mode) *planScreen {
	s := &planScreen{k: k}
	s.fieldForm = newFieldForm(k,
		formField{label: planText.Start, caps: touch.CapitalizeNone},
		formField{label: planText.Dose, caps: touch.CapitalizeNone},
		formField{label: planText.Percent, caps: touch.CapitalizeNone},
		formField{label: planText.Every, caps: touch.CapitalizeNone},
		formField{label: planText.Quit, caps: touch.CapitalizeNone},
		formField{label: planText.Checkin, caps: touch.CapitalizeNone},
		formField{label: planText.Ends, caps: touch.CapitalizeNone},
		formField{label: planText.Steps, caps: touch.CapitalizeNone})
	s.onSubmit = func(i int) {
		if i+1 < len(s.fields) {
			s.selectField(i + 1)
			return
		}
		s.submit()
	}
	s.onChange = func(int) { s.msg.Say("") }
	cancel := k.Kit().NewButton(planText.Cancel, nil, touch.OptionHeight, s.leave)
	cancel.MinWidth = touch.NavWidth
	save := k.NextButton(planText.Save, s.submit)
	save.SetIcon(theme.DocumentSaveIcon())
	column := func(from, to int) fyne.CanvasObject {
		form := container.New(layout.NewFormLayout())
		for i := from; i < to; i++ {
			form.Add(s.labels[i])
			form.Add(s.fields[i])
		}
		return form
	}
	title := widget.NewLabel(planText.Title)
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameSubHeadingText
	explain := touch.Small(planText.Explain)
	top := container.NewVBox(container.NewBorder(nil, nil, title, nil, explain),
		touch.Compact(container.NewGridWithColumns(2, column(planStart, planQuit), column(planQuit, planSteps+1))))
	nav := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewBorder(nil, nil, cancel, save, s.msg)))
	s.obj = container.NewBorder(nil, nav, nil, nil, container.NewPadded(container.NewVBox(top, s.kb.Object())))
	return s
}

// showPlan opens the plan screen over the session view, filled with the
// plan in force.
func (k *mode) showPlan(patient string, p *trend.Plan) {
	if k.on == nil {
		return
	}
	s := ui.Screen[*planScreen](k.Kiosk, ui.ScreenPlan)
	s.Clear()
	s.patient = patient
	loc := k.Location()
	date := func(t time.Time) string { return t.In(loc).Format("1/2/2006") }
	if p == nil {
		s.setText(planStart, date(k.Config().Now()))
		s.setText(planEvery, "3")
		s.setText(planPercent, "10")
		s.setText(planCheckin, "1")
	} else {
		s.setText(planStart, date(p.Start))
		// exact, so a plan saved unchanged stays as it was
		s.setText(planDose, screening.FormatNumber(p.StartDose, -1))
		if p.Percent > 0 {
			s.setText(planPercent, screening.FormatNumber(p.Percent, -1))
			s.setText(planEvery, strconv.Itoa(p.EveryDays))
		}
		if !p.Quit.IsZero() {
			s.setText(planQuit, date(p.Quit))
		}
		s.setText(planCheckin, strconv.Itoa(max(1, p.CheckinDays)))
		if !p.Ends.IsZero() {
			s.setText(planEnds, date(p.Ends))
		}
		var steps []string
		for _, st := range p.Steps {
			steps = append(steps, date(st.From)+" "+screening.FormatNumber(st.Grams, -1))
		}
		s.setText(planSteps, strings.Join(steps, "; "))
	}
	k.Hold(ui.ScreenPlan, s.obj)
	s.selectField(planDose)
}

// clear empties every field.
func (s *planScreen) Clear() {
	s.patient = ""
	for i := range s.fields {
		s.setText(i, "")
	}
	s.msg.Say("")
}

func (s *planScreen) leave() {
	s.Clear()
	s.k.Release()
}

// plan reads the fields; the field at fault and why on error.
func (s *planScreen) plan() (*trend.Plan, int, error) {
	loc := s.k.Location()
	text := func(i int) string { return strings.TrimSpace(s.fields[i].Text) }
	date := func(i int) (time.Time, error) {
		t, ok := review.ParseDate(text(i))
		if !ok {
			return time.Time{}, errors.New(planText.BadDate)
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), nil
	}
	number := func(i int) (float64, error) {
		f, err := strconv.ParseFloat(strings.TrimSuffix(text(i), "%"), 64)
		if err != nil {
			return 0, errors.New(planText.BadNumber)
		}
		return f, nil
	}
	p := &trend.Plan{}
	var err error
	if p.Start, err = date(planStart); err != nil {
		return nil, planStart, err
	}
	if p.StartDose, err = number(planDose); err != nil {
		return nil, planDose, err
	}
	if text(planSteps) == "" {
		if p.Percent, err = number(planPercent); err != nil {
			return nil, planPercent, err
		}
		every, err := number(planEvery)
		if err != nil {
			return nil, planEvery, err
		}
		p.EveryDays = int(every)
	} else {
		for _, part := range strings.Split(text(planSteps), ";") {
			f := strings.Fields(part)
			if len(f) < 2 {
				return nil, planSteps, errors.New(planText.BadSteps)
			}
			t, ok := review.ParseDate(strings.Join(f[:len(f)-1], " "))
			g, gerr := strconv.ParseFloat(f[len(f)-1], 64)
			if !ok || gerr != nil {
				return nil, planSteps, errors.New(planText.BadSteps)
			}
			p.Steps = append(p.Steps, trend.Step{From: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), Grams: g})
		}
	}
	if text(planQuit) != "" {
		if p.Quit, err = date(planQuit); err != nil {
			return nil, planQuit, err
		}
	}
	if text(planCheckin) != "" {
		n, err := number(planCheckin)
		if err != nil {
			return nil, planCheckin, err
		}
		p.CheckinDays = int(n)
	}
	if text(planEnds) != "" {
		if p.Ends, err = date(planEnds); err != nil {
			return nil, planEnds, err
		}
	}
	if err := p.Validate(); err != nil {
		return nil, planDose, err
	}
	return p, 0, nil
}

// submit records the plan and returns to the check-ins tab.
func (s *planScreen) submit() {
	k := s.k
	if k.on == nil || s.patient == "" {
		return
	}
	p, field, err := s.plan()
	if err != nil {
		s.fail(field, planProblem(err))
		return
	}
	if err := k.on.desk.SetPlan(context.Background(), s.patient, p); err != nil {
		k.Config().Log.Error("could not save a taper plan", "err", err)
		s.fail(field, fmt.Sprint(err))
		return
	}
	s.Clear()
	k.Release()
	if v, ok := ui.Built[*sessionView](k.Kiosk, ui.ScreenSession); ok && k.Screen() == ui.ScreenSession {
		v.reload()
		v.say(planText.Saved, false)
	}
}

func (s *planScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }

// planProblem is what the form says of a plan it cannot take: what the
// plan must be, without the operation's name.
func planProblem(err error) string {
	if e, ok := errors.AsType[*fault.Error](err); ok && e.Kind == fault.Invalid {
		return e.Reason()
	}
	return err.Error()
}
