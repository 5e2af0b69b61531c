//go:build kioskbench

// The soak benchmark's hooks into the shell (the bench binary, built with
// -tags kioskbench): no part of the kiosk a clinic runs.

package ui

// NoTapGuard lets every tap through at once: new screens and the
// recovery key no longer wait TapGuard, nor a tapped answer ChosenFor, so
// the soak can tap every 20 ms, faster than a person. A clinic's kiosk
// always keeps the guard.
func (k *Kiosk) NoTapGuard() { k.guard, k.chosen = 0, 0 }

// AutoTap plays a patient for one tap on the screen shown, through the
// patient's side's autopilot (ui/patient); false when there is nothing
// to tap.
func (k *Kiosk) AutoTap() bool {
	a, ok := k.flow.(interface{ AutoTap() bool })
	return ok && a.AutoTap()
}
