//go:build kioskbench

// The autopilot drives the real window in the soak benchmark (the bench
// binary, built with -tags kioskbench: see scripts/window-bench.sh). It is
// no part of the kiosk a clinic runs.

package patient

import (
	"time"

	"fyne.io/fyne/v2"

	"intakekiosk/screening"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// AutoTap plays a patient for one tap on the screen shown: Start, I agree,
// the consent (its pages, the single consent, a signature, Confirm), a name, a date of birth, an instrument's instructions, the first answer of each question, Submit, Done.
// It goes through the same buttons and handlers as a finger, so a soak run
// in the real window (kiosk-bench --soak N) exercises the real screens, store
// and timers. It reports false when the screen offers nothing to tap.
func (k *flow) AutoTap() bool {
	switch k.Screen() {
	case ui.ScreenWelcome:
		return k.autoPress(k.T("welcome.start"))
	case ui.ScreenConsent:
		return k.autoPress(k.T("consent.agree"))
	case ui.ScreenSign:
		return ui.Screen[*signScreen](k.Kiosk, ui.ScreenSign).autoTap()
	case ui.ScreenFirst, ui.ScreenLast:
		if e := findIn[*touch.Entry](k.Window().Content()); e != nil {
			e.SetText("Sam")
		}
		return k.autoPress(k.T("nav.next"))
	case ui.ScreenBirth:
		if d := findIn[*touch.DateEntry](k.Window().Content()); d != nil {
			d.SetDate(time.Date(1990, 6, 15, 0, 0, 0, 0, time.UTC))
		}
		return k.autoPress(k.T("nav.next"))
	case ui.ScreenQuestion:
		return k.autoAnswer()
	case ui.ScreenInstructions:
		return k.autoPress(k.T("nav.next"))
	case ui.ScreenReview:
		return k.autoPress(k.T("review.submit"))
	case ui.ScreenFinish:
		return k.autoPress(k.T("finish.done"))
	case ui.ScreenCrisis:
		return k.autoPress(k.T("nav.continue"))
	}
	return false
}

// autoTap plays the consent screen: Next through the form's pages, the
// single consent chosen, a stroke drawn, Sign, Confirm.
func (s *signScreen) autoTap() bool {
	k := s.k
	switch s.step {
	case stepText:
		return k.autoPress(k.T("nav.next"))
	case stepChoose:
		if !s.tpo {
			s.choose(0)
		}
		return k.autoPress(k.T("nav.next"))
	case stepNames:
		return k.autoPress(k.T("sign.names_done"))
	case stepSign:
		if s.pad.Drawing().IsZero() {
			s.pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(120, 80)}, Dragged: fyne.NewDelta(60, 40)})
			s.pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(200, 60)}, Dragged: fyne.NewDelta(80, -20)})
			s.pad.DragEnd()
		}
		return k.autoPress(k.T("sign.sign"))
	case stepReview:
		return k.autoPress(k.T("sign.confirm"))
	}
	return false
}

// autoAnswer gives the question shown its first answer and taps Next.
func (k *flow) autoAnswer() bool {
	st, ok := k.Question()
	if !ok {
		return false
	}
	it := st.Item
	switch it.Kind {
	case screening.Single:
		return k.autoPress(it.Options[0].Label.In(k.Lang()))
	case screening.Multi:
		k.autoPress(it.Options[0].Label.In(k.Lang()))
	case screening.Number:
		if n := findIn[*touch.NumberEntry](k.Window().Content()); n != nil {
			n.SetValue(*it.Min)
		}
	case screening.When:
		if w := findIn[*touch.WhenEntry](k.Window().Content()); w != nil {
			t := k.Config().Now().Add(-20 * time.Hour)
			w.Set(screening.Answer{Time: &t, Given: "hours", Amount: 20})
		}
	case screening.Free:
		if e := findIn[*touch.Entry](k.Window().Content()); e != nil {
			e.SetText("none")
		}
	}
	return k.autoPress(k.T("nav.next"))
}

// autoPress taps the button labelled label on the screen.
func (k *flow) autoPress(label string) bool {
	var found *touch.Button
	walk(k.Window().Content(), func(o fyne.CanvasObject) bool {
		if b, ok := o.(*touch.Button); ok && b.Text == label && !b.Disabled() {
			found = b
			return false
		}
		return true
	})
	if found == nil {
		return false
	}
	found.Tapped(&fyne.PointEvent{})
	return true
}

// findIn returns the first object of type T inside o's containers.
func findIn[T fyne.CanvasObject](o fyne.CanvasObject) T {
	var found T
	walk(o, func(x fyne.CanvasObject) bool {
		if t, ok := x.(T); ok {
			found = t
			return false
		}
		return true
	})
	return found
}

// walk visits o and the objects of its containers, depth first, until
// visit returns false.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if !visit(o) {
		return false
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, x := range c.Objects {
			if !walk(x, visit) {
				return false
			}
		}
	}
	return true
}
