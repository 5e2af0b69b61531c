package patient

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"

	"intakekiosk"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// The privacy notice says where the answers go, in both languages: on
// this device, or, once the kiosk has joined the clinic network, sealed
// to the clinic's own server, readable by its staff only. It fits at
// every text size either way.
func TestPrivacyNoticeSaysWhereAnswersGo(t *testing.T) {
	for _, networked := range []bool{false, true} {
		for _, lang := range []string{"English", "Español"} {
			t.Run(fmt.Sprintf("networked %v/%s", networked, lang), func(t *testing.T) {
				h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Networked = networked })
				k := h.k
				h.tap(lang)
				says, not := k.T("consent.3"), k.T("consent.3_networked")
				if networked {
					says, not = not, says
				}
				h.tap(k.T("welcome.start"))
				h.wantScreen(ui.ScreenConsent)
				if !h.shows("•  "+says) || h.shows("•  "+not) {
					t.Errorf("the notice does not say %q alone: %q", says, h.texts())
				}
				check := h.fits(t, fyne.Size{})
				for step := range touch.TextSteps {
					k.SetTextStep(step)
					k.showConsent()
					check(fmt.Sprintf("consent at %v", touch.TextScale(step)))
					if step >= 2 { // the notice on two pages
						h.tap(k.T("nav.next"))
						check(fmt.Sprintf("consent's second page at %v", touch.TextScale(step)))
						if !h.shows("•  " + says) {
							t.Errorf("the second page does not say %q: %q", says, h.texts())
						}
					}
				}
			})
		}
	}
}

// answerAlert puts on record, through another handle on the kiosk's database
// file (as the clinic network's sync loop writes a desk's answer pulled
// from the server), that by answered session id's alert.
func (h *harness) answerAlert(id, by string) {
	h.t.Helper()
	st, err := sqlite.Open(context.Background(), h.path, sqlite.Options{})
	if err != nil {
		h.t.Fatal(err)
	}
	defer st.Close()
	at := h.clock.Now()
	if err := st.Acknowledge(context.Background(), id, by, at, sqlite.Entry{At: at, Actor: by, Action: sqlite.ActAcknowledged, Target: id}); err != nil {
		h.t.Fatal(err)
	}
}

// A patient who called for staff hears, once a desk answered their
// session's alert and the kiosk pulled it (Changed), who is on the way: on
// the crisis screen shown, the waiting screen and the top bar, in their
// language; another session's answer is not theirs.
func TestCallAnsweredAtADesk(t *testing.T) {
	for _, lang := range []string{"English", "Español"} {
		t.Run(lang, func(t *testing.T) {
			var played atomic.Int32
			h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
				c.Alert = func(context.Context) error { played.Add(1); return nil }
			})
			k := h.k
			h.tap(lang)
			h.tap(k.T("help.button"))
			h.wait()
			h.wantScreen(ui.ScreenCrisis)
			id := k.CalledFor()
			if id == "" || id != k.visit.ID() {
				t.Fatalf("the call is for session %q, want the visit's %q", id, k.visit.ID())
			}
			// another patient's alert answered: nothing changes here
			if err := h.st.CreateSession(context.Background(), "other", intakekiosk.Screening, h.clock.Now()); err != nil {
				t.Fatal(err)
			}
			if err := h.st.Raise(context.Background(), "other", intakekiosk.Urgent); err != nil {
				t.Fatal(err)
			}
			h.answerAlert("other", "Kim")
			k.Changed()
			h.wait()
			if !h.shows(k.T("crisis.called")) || h.shows(k.T("crisis.on_the_way", "Kim")) || h.shows(k.T("call.on_the_way", "Kim")) {
				t.Errorf("another session's answer shows: %q", h.texts())
			}

			h.answerAlert(id, "Sam")
			k.Changed()
			h.wait()
			if !h.shows(k.T("crisis.on_the_way", "Sam")) || h.shows(k.T("crisis.called")) {
				t.Errorf("the crisis screen does not say Sam is on the way: %q", h.texts())
			}
			if !h.shows(k.T("call.on_the_way", "Sam")) {
				t.Errorf("the top bar does not say Sam is on the way: %q", h.texts())
			}
			h.tap(k.T("crisis.wait"))
			h.wantScreen(ui.ScreenWaiting)
			if !h.shows(k.T("crisis.on_the_way", "Sam")) {
				t.Errorf("the waiting screen does not say Sam is on the way: %q", h.texts())
			}
			if played.Load() != 1 {
				t.Errorf("the call sounded %d times, want once", played.Load())
			}
			// the staff member comes and answers the call at the kiosk
			k.AnswerCall()
			if k.CallAnsweredBy() != "" || h.shows(k.T("call.on_the_way", "Sam")) {
				t.Errorf("the answered call still shows: %q", h.texts())
			}
		})
	}
}
