package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"intakekiosk/screening"
	"intakekiosk/store"
)

// BenchmarkQuestionScreen builds one question screen (PHQ-9 item 1: text,
// four answer buttons, nav bar) and lays it out at 1280x800, as a tap on
// an answer does. The test painter's capture (~50 ms) is not timed: a real
// frame is timed in the real window (scripts/window-bench.sh).
func BenchmarkQuestionScreen(b *testing.B) {
	h := newHarness(b, store.Options{}, nil)
	k := h.k
	k.visit = &visit{id: "bench", created: true, sess: screening.NewSession(k.cfg.Catalog, nil)}
	in, _ := k.cfg.Catalog.Instrument("phq9")
	st, ok := k.visit.sess.Step(screening.Key{Instrument: in.ID, Item: "1"}, h.clock.Now())
	if !ok {
		b.Fatal("no PHQ-9 item 1")
	}
	size := fyne.NewSize(1280, 700)
	b.ResetTimer()
	for b.Loop() {
		k.showQuestion(st)
		k.body.Objects[0].Resize(size)
	}
}
