package patient

import (
	"testing"

	"fyne.io/fyne/v2"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// BenchmarkQuestionScreen puts the next question on screen as a tap on an
// answer does: the question screen is filled with it (PHQ-9 item 1 and
// item 2 in turn: text, four answer buttons, nav bar) and laid out whole
// (the size alternates by a unit so that every layout runs). The test
// painter's capture (~50 ms) is not timed: a real frame is timed in the
// real window (scripts/window-bench.sh).
func BenchmarkQuestionScreen(b *testing.B) {
	h := newHarness(b, sqlite.Options{}, nil)
	k := h.k
	v, err := k.Intake().Screening("en")
	if err != nil {
		b.Fatal(err)
	}
	k.visit = &visit{Visit: v}
	var steps [2]screening.Step
	for i, id := range []string{"1", "2"} {
		st, ok := k.visit.Session().Step(screening.Key{Instrument: "phq9", Item: id}, h.clock.Now())
		if !ok {
			b.Fatalf("no PHQ-9 item %s", id)
		}
		steps[i] = st
	}
	sizes := [2]fyne.Size{fyne.NewSize(1280, 700), fyne.NewSize(1280, 701)}
	i := 0
	b.ResetTimer()
	for b.Loop() {
		k.showQuestion(steps[i%2])
		the[*questionScreen](k, ui.ScreenQuestion).Objects()[0].Resize(sizes[i%2])
		i++
	}
}
