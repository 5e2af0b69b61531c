package ui

import (
	"fyne.io/fyne/v2"
	"slices"
)

// Audience is who a screen is for. It decides the top bar (the help
// button, read-aloud, the text size), and which event clears the screen:
// the reset clears the patient's, the lock the staff's.
type Audience int

const (
	// ForPatient screens are the patient flow: the "I need help now"
	// button is on them, read_aloud reads them, the reset clears them and
	// a change of language builds them again.
	ForPatient Audience = iota + 1
	// ForSetup screens are the first-run setup: no patient uses the
	// kiosk yet, so no help button.
	ForSetup
	// ForSignIn is the staff sign-in, held over a patient's screen: the
	// top bar stays (the logo), without the patient's buttons.
	ForSignIn
	// ForStaff screens are seen only by a signed-in staff member: no top
	// bar; the lock (and the reset) clears them.
	ForStaff
)

// Part is a screen built once and reused. Its Clear forgets everything
// it holds of a patient or a staff member (typed text, names, answers,
// codes), so that the reset and the lock leave nothing on it; Objects
// gives the canvas objects it may show, walked by the tests that check
// that.
type Part interface {
	Clear()
	Objects() []fyne.CanvasObject
}

// Row is one row of the registry: the screens one Part shows (Names),
// who they are for, and how the part is built. A row without Build is a
// screen built anew at each showing (the crisis and error screens),
// keeping nothing.
type Row struct {
	Names    []string
	Audience Audience
	Build    func(*Kiosk) Part
}

// rowOf finds the registry row of a screen name: screens shown but not
// registered are a programming error the registry test catches.
func (k *Kiosk) rowOf(name string) (Row, bool) {
	for _, r := range k.rows {
		for _, n := range r.Names {
			if n == name {
				return r, true
			}
		}
	}
	return Row{}, false
}

// audienceOf says who the screen named is for (0: not registered).
func (k *Kiosk) AudienceOf(name string) Audience {
	r, _ := k.rowOf(name)
	return r.Audience
}

// notForPatients says whether a screen is not the patient's: no help
// button, never read aloud.
func (k *Kiosk) NotForPatients(name string) bool { return k.AudienceOf(name) != ForPatient }

// Screen returns the part of the screen named, building it the first
// time (the kiosk keeps it until the registry drops it).
func Screen[T Part](k *Kiosk, name string) T {
	r, _ := k.rowOf(name)
	key := r.Names[0]
	p, ok := k.parts[key]
	if !ok {
		p = r.Build(k)
		k.parts[key] = p
	}
	return p.(T)
}

// Built returns the part of the screen named if it has been built.
func Built[T Part](k *Kiosk, name string) (T, bool) {
	r, _ := k.rowOf(name)
	var zero T
	if len(r.Names) == 0 {
		return zero, false
	}
	p, ok := k.parts[r.Names[0]]
	if !ok {
		return zero, false
	}
	t, ok := p.(T)
	return t, ok
}

// drop forgets the part of the screen named: the next showing builds it
// again (in a new language, or for a new text size).
func (k *Kiosk) Drop(name string) {
	if r, ok := k.rowOf(name); ok {
		delete(k.parts, r.Names[0])
	}
}

// clearFor clears every built part of the audiences given.
func (k *Kiosk) ClearFor(auds ...Audience) {
	for _, r := range k.rows {
		p, ok := k.parts[r.Names[0]]
		if !ok {
			continue
		}
		for _, a := range auds {
			if r.Audience == a {
				p.Clear()
			}
		}
	}
}

// dropFor forgets every built part of an audience.
func (k *Kiosk) dropFor(a Audience) {
	for _, r := range k.rows {
		if r.Audience == a {
			delete(k.parts, r.Names[0])
		}
	}
}

// Parts are the built parts of the audiences given, in registry order.
func (k *Kiosk) Parts(auds ...Audience) []Part {
	var out []Part
	for _, r := range k.rows {
		p, ok := k.parts[r.Names[0]]
		if ok && slices.Contains(auds, r.Audience) {
			out = append(out, p)
		}
	}
	return out
}

// Registry is every row of the kiosk's screen registry: the patient's
// and staff mode's.
func (k *Kiosk) Registry() []Row { return slices.Clone(k.rows) }
