package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"intakekiosk/screening"
	"intakekiosk/store"
)

// Every screen must fit a 1280x800 touchscreen with nothing cut off: the
// patient flow never scrolls. Each question of every instrument is
// checked, whether or not branching would ask it.
func TestEveryScreenFits(t *testing.T) {
	h := newHarness(t, store.Options{}, nil)
	k := h.k
	screen := fyne.NewSize(1280, 800)
	check := func(name string) {
		t.Helper()
		c := h.w.Content()
		c.Resize(screen)
		if m := c.MinSize(); m.Width > screen.Width || m.Height > screen.Height {
			t.Errorf("%s needs %.0fx%.0f, more than %.0fx%.0f", name, m.Width, m.Height, screen.Width, screen.Height)
		}
	}
	check("welcome")
	h.tap("Start")
	check("consent")
	h.tap("I agree")
	check("first name")
	h.k.showName(false)
	check("last name")
	h.k.showBirth()
	check("date of birth")
	for _, in := range k.cfg.Catalog.Instruments() {
		for i := range in.Items {
			it := &in.Items[i]
			k.showQuestion(screening.Step{Instrument: in, Item: it, N: i + 1, Of: len(in.Items)})
			check(fmt.Sprintf("%s/%s", in.ID, it.ID))
			if it.Kind == screening.When {
				for _, mode := range []string{"Hours ago", "Days ago", "Date and time"} {
					h.tap(mode)
					check(fmt.Sprintf("%s/%s %s", in.ID, it.ID, mode))
				}
			}
		}
	}
	k.showReview(0)
	check("review")
	k.showCrisis()
	check("crisis")
	k.release()
	k.showExit()
	check("exit")
	k.release()
	k.failed(fmt.Errorf("test"), func() {})
	check("error")
	k.release()
	k.showFinish()
	check("finish")
	k.idle = newIdlePrompt(k)
	k.idle.update(30 * time.Second)
	check("idle prompt")
}
