package patient

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// answerUntil answers the questions on screen with their first option (or
// a valid value) until the item id is on screen.
func (h *harness) answerUntil(inst, item string) {
	h.t.Helper()
	for range 80 {
		if h.k.visit.at == (screening.Key{Instrument: inst, Item: item}) {
			return
		}
		h.answer("")
	}
	h.t.Fatalf("never reached %s/%s", inst, item)
}

// Through the real screens: the daily-use follow-up shows only the
// substances the patient ticked, and after "Male" the next screen is not
// "Are you pregnant?".
func TestScreeningSkipsWhatIsNotNeeded(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"kratom"} })
	h.begin("Al", "Bo")
	h.answerUntil("kratom", "other_substances")
	h.tap("Opioids (pain pills, heroin, fentanyl)")
	h.tap("Cannabis")
	h.tap("Next")
	if h.k.visit.at.Item != "daily_co_use" {
		t.Fatalf("after ticking opioids: item %s, want daily_co_use", h.k.visit.at.Item)
	}
	for label, want := range map[string]bool{"Opioids": true, "None of these daily": true, "Alcohol": false, "Benzodiazepines": false} {
		if got := len(h.buttons(label)) > 0; got != want {
			t.Errorf("daily use screen shows %q: %v, want %v (buttons %v)", label, got, want, h.buttonLabels())
		}
	}
	h.tap("Opioids")
	h.tap("Next")
	h.answerUntil("kratom", "sex")
	if !h.shows("What was your sex at birth?") {
		t.Errorf("the sex at birth question is not shown: %q", h.texts())
	}
	h.tap("Male")
	if h.k.visit.at.Item != "seizures" || h.shows("Are you pregnant?") {
		t.Errorf("after Male: item %s, want seizures (texts %q)", h.k.visit.at.Item, h.texts())
	}
	h.tap("Back")
	h.tap("Female")
	if h.k.visit.at.Item != "pregnant" || !h.shows("Are you pregnant?") {
		t.Errorf("after Female: item %s, want pregnant", h.k.visit.at.Item)
	}
}

// A check-in whose last dose was 2 days ago goes from that question
// straight to the withdrawal questions: no grams "in the last 24 hours".
func TestCheckinLastDoseDaysAgoSkipsTheAmount(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	_, code := h.returning()
	h.tap("Coming back? Daily check-in with your code")
	h.typeCode(code)
	h.wantScreen(ui.ScreenQuestion)
	if h.k.visit.at.Item != "last_dose" {
		t.Fatalf("first check-in question %s, want last_dose", h.k.visit.at)
	}
	h.tap("Days ago")
	test.Type(find[*touch.NumberEntry](h), "2")
	h.tap("Next")
	if got := h.k.visit.at; got != (screening.Key{Instrument: "sows", Item: "1"}) {
		t.Errorf("after a last dose 2 days ago: %s, want sows/1", got)
	}
	var keys []string
	for _, st := range h.k.visit.Session().Steps(h.clock.Now()) {
		keys = append(keys, st.Key().String())
	}
	if slices.Contains(keys, "checkin_use/grams") || slices.Contains(keys, "checkin_use/doses") {
		t.Errorf("still to ask: %v", keys)
	}
}
