package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui/touch"
)

// Speaker reads text aloud in a language; speech.Speaker (espeak-ng,
// macOS say, Windows SAPI) provides it. Say returns at once; a new Say
// or Stop ends what is playing.
type Speaker interface {
	Say(ctx context.Context, text, lang string) error
	Stop()
	// Speaks tells whether there is a voice for the language: the
	// speaker button is hidden in a language without one.
	Speaks(lang string) bool
}

// readAloud reads the screen shown aloud in the patient's language: its
// headings and paragraphs in order, and on a question the question and
// its answers. The keyboard's keys and the buttons around are left out.
func (k *Kiosk) readAloud() {
	k.Touch()
	if !k.speaks() {
		return
	}
	text := k.screenText()
	if text == "" {
		return
	}
	if err := k.cfg.Speaker.Say(context.Background(), text, k.lang); err != nil {
		k.cfg.Log.Error("could not read aloud", "err", err)
	}
}

// speaks tells whether the screen can be read aloud in the patient's
// language.
func (k *Kiosk) speaks() bool {
	return k.cfg.Speaker != nil && k.cfg.Speaker.Speaks(k.lang)
}

// screenText is what readAloud reads: the visible labels of the screen
// (and the idle prompt or crisis screen over it), then, on a question,
// the answers.
func (k *Kiosk) screenText() string {
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, strings.TrimRight(s, ".")+".")
		}
	}
	private := k.privateLabels()
	var walkObj func(o fyne.CanvasObject)
	walkObj = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *widget.Label:
			if !private[w] {
				add(w.Text)
			}
			return
		case *touch.Button, *touch.Keyboard, *touch.DateEntry, *touch.NumberEntry, *touch.WhenEntry:
			return
		case *fyne.Container:
			for _, c := range w.Objects {
				walkObj(c)
			}
		case *container.ThemeOverride:
			walkObj(w.Content)
		}
	}
	for _, o := range k.body.Objects {
		walkObj(o)
	}
	for _, o := range k.overlay.Objects {
		walkObj(o)
	}
	for _, w := range k.flow.Heard() {
		add(w)
	}
	return strings.Join(parts, " ")
}

// privateLabels are the labels never read aloud: what the patient typed
// or answered (the check-in code, the answers on the review screen) is
// not for the room to hear.
func (k *Kiosk) privateLabels() map[*widget.Label]bool { return k.flow.Private() }

// stopReading stops what is read aloud (the screen changed).
func (k *Kiosk) stopReading() {
	if k.cfg.Speaker != nil {
		k.cfg.Speaker.Stop()
	}
}
