package patient

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
)

// An error line keeps its room: when it appears, when one too long for
// its lines appears, and when it clears, the keypad, the keyboard, the
// nav bar's Next and the window stay where they were (they were pushed
// down 60 px), in English and in Spanish, at the first and the largest
// text size.
func TestErrorLinesMoveNothing(t *testing.T) {
	type spot struct {
		name string
		obj  func(h *harness) fyne.CanvasObject
	}
	next := spot{"Next", func(h *harness) fyne.CanvasObject { return h.buttons(h.k.T("nav.next"))[0] }}
	for _, tc := range []struct {
		screen string
		open   func(h *harness)
		spots  []spot
		wrong  func(h *harness) // an error line appears
		say    func(h *harness, text string)
		right  func(h *harness) // it clears
	}{
		{ui.ScreenFirst,
			func(h *harness) {
				v, err := h.k.Intake().Screening(h.k.Lang())
				if err != nil {
					t.Fatal(err)
				}
				h.k.visit = &visit{Visit: v}
				h.k.showName(true)
			},
			[]spot{next, {"the keyboard", func(h *harness) fyne.CanvasObject {
				return the[*nameScreen](h.k, ui.ScreenFirst).kb.Object()
			}}},
			func(h *harness) { h.tap(h.k.T("nav.next")) },
			func(h *harness, text string) { the[*nameScreen](h.k, ui.ScreenFirst).msg.Say(text) },
			func(h *harness) { the[*nameScreen](h.k, ui.ScreenFirst).entry.SetText("A") },
		},
		{ui.ScreenCode,
			func(h *harness) { h.tap(h.k.T("welcome.checkin")) },
			[]spot{{"the keypad", func(h *harness) fyne.CanvasObject { return the[*codeScreen](h.k, ui.ScreenCode).keys[0] }},
				{"Check in", func(h *harness) fyne.CanvasObject { return the[*codeScreen](h.k, ui.ScreenCode).submit }}},
			func(h *harness) { h.tap(h.k.T("code.go")) },
			func(h *harness, text string) { the[*codeScreen](h.k, ui.ScreenCode).say(text) },
			// the clear key (the display's first key moves the keypad a
			// pixel or two: its placeholder is smaller than a code)
			func(h *harness) { the[*codeScreen](h.k, ui.ScreenCode).Clear() },
		},
	} {
		for _, lang := range []string{"en", "es"} {
			for _, big := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/big %v", tc.screen, lang, big), func(t *testing.T) {
					h := newHarness(t, sqlite.Options{}, nil)
					h.k.SetLang(lang)
					if big {
						h.k.SetTextStep(touch.TextSteps - 1)
					}
					tc.open(h)
					h.wantScreen(tc.screen)
					where := func() map[string]fyne.Position {
						got := map[string]fyne.Position{}
						for _, s := range tc.spots {
							got[s.name] = uitest.Where(h.w, s.obj(h))
						}
						got["window height"] = fyne.NewPos(0, h.w.Canvas().Size().Height)
						return got
					}
					before := where()
					check := func(when string) {
						t.Helper()
						for k, b := range where() {
							if a := before[k]; a != b {
								t.Errorf("%s: %s moved from %v to %v (%+.0f px)", when, k, a, b, b.Y-a.Y)
							}
						}
					}
					tc.wrong(h)
					if strings.Join(h.texts(), "") == "" {
						t.Fatal("nothing shown")
					}
					check("an error line")
					tc.say(h, strings.Repeat(h.k.T("code.not_found")+" ", 5))
					check("an error too long for its lines")
					tc.right(h)
					check("the error line cleared")
				})
			}
		}
	}
}
