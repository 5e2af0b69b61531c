package staff

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
	"intakekiosk/ui"
)

// rate fills the COWS screen with the points given, in item order.
func (s *cowsScreen) rate(t *testing.T, points ...int) {
	t.Helper()
	for i, p := range points {
		it := &s.in.Items[i]
		chosen := ""
		for _, o := range it.Options {
			if o.Points == p {
				chosen = o.Value
			}
		}
		if chosen == "" {
			t.Fatalf("item %s has no option of %d points", it.ID, p)
		}
		s.items[i].SetSelected(chosen)
	}
}

// A counselor rates COWS at the desk: for a screening's patient without a
// code, then (once they have one) for the returning patient; the check-ins
// tab shows the latest COWS and SOWS, the hours since the last dose and
// the clinic's thresholds as plain comparisons, and the screen refuses a
// time in the future and an item not rated. It fits 1280x800 and
// 1920x1080.
func TestCOWSAtTheDesk(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(1, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	check := h.fits(t, fyne.Size{})
	q := h.openStaff()
	test.Tap(q.rows[0])
	v := the[*sessionView](h.k, ui.ScreenSession)
	test.Tap(v.tabs[tabCheckins])
	if !h.shows(fmt.Sprintf(inductionText.NoCOWS, 8)) {
		t.Fatalf("check-ins tab before a rating: %q", h.texts())
	}
	h.tap(checkinText.RateCOWS)
	h.wantScreen(ui.ScreenCOWS)
	s := the[*cowsScreen](h.k, ui.ScreenCOWS)
	if !h.shows(fmt.Sprintf(cowsText.For, "Ana Ruiz")) || s.at.Text != h.clock.Now().In(h.k.Location()).Format(cowsTime) {
		t.Fatalf("COWS screen: %q, time %q", h.texts(), s.at.Text)
	}
	check("COWS screen")
	// ten of eleven items: not saved, the one missing named
	s.rate(t, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
	if !h.shows(fmt.Sprintf(cowsText.Partial, 10, 11)) {
		t.Errorf("partial total: %q", h.texts())
	}
	h.tap(cowsText.Save)
	h.wantScreen(ui.ScreenCOWS)
	if !h.shows(fmt.Sprintf(cowsText.NotRated, "Gooseflesh skin")) {
		t.Errorf("an item not rated: %q", h.texts())
	}
	s.rate(t, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)
	if !h.shows(fmt.Sprintf(cowsText.Total, 10, 48, "Mild")) {
		t.Errorf("total: %q", h.texts())
	}
	check("COWS screen, all rated")
	// in the future, then a time that is no time, then twenty minutes ago
	s.at.SetText(h.clock.Now().In(h.k.Location()).Add(2 * time.Hour).Format(cowsTime))
	h.tap(cowsText.Save)
	if !h.shows("the time rated is in the future") {
		t.Errorf("a time in the future: %q", h.texts())
	}
	s.at.SetText("soon")
	h.tap(cowsText.Save)
	if !h.shows(cowsText.BadTime) {
		t.Errorf("a time that is no time: %q", h.texts())
	}
	rated := h.clock.Now().Add(-20 * time.Minute).In(h.k.Location())
	s.at.SetText(rated.Format("3:04 PM"))
	h.tap(cowsText.Save)
	h.wantScreen(ui.ScreenSession)
	if !h.shows(fmt.Sprintf(cowsText.Saved, 10)) {
		t.Errorf("after saving: %q", h.texts())
	}
	want := fmt.Sprintf(inductionText.COWS, 10, rated.Format("3:04 PM"), 8, inductionText.Met)
	if !h.shows(want) {
		t.Errorf("the check-ins tab does not show %q: %q", want, h.texts())
	}
	if s.who.Text != "" || s.items[0].Selected != "" {
		t.Errorf("the COWS screen kept the patient: %q, %q", s.who.Text, s.items[0].Selected)
	}

	// a code: the patient's own COWS, the latest shown
	h.tap(checkinText.Give)
	h.tap(checkinText.RateCOWS)
	h.wantScreen(ui.ScreenCOWS)
	s.rate(t, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0) // 7: one under the threshold
	h.tap(cowsText.Save)
	h.wantScreen(ui.ScreenSession)
	now := h.clock.Now().In(h.k.Location()).Format("3:04 PM")
	if want := fmt.Sprintf(inductionText.COWS, 7, now, 8, inductionText.NotMet); !h.shows(want) {
		t.Errorf("the check-ins tab does not show %q: %q", want, h.texts())
	}
	if v.patient == nil || len(v.patient.COWS) != 2 {
		t.Fatalf("the patient's COWS: %+v", v.patient)
	}
	// the chart plots both on the right scale
	c := find[*trendChart](h)
	if r := test.WidgetRenderer(c).(*chartRenderer); len(r.cy) != 2 || r.rightUnit == nil {
		t.Errorf("chart COWS %v", r.cy)
	}
	check("check-ins tab with COWS")
	h.w.Resize(fyne.NewSize(1920, 1080))
	h.tap(checkinText.RateCOWS)
	h.wantScreen(ui.ScreenCOWS)
	if s.total.Text != fmt.Sprintf(cowsText.Partial, 0, 11) {
		t.Errorf("a new rating starts empty: %q", s.total.Text)
	}
	h.tap(cowsText.Cancel)
	h.wantScreen(ui.ScreenSession)
}

// The induction facts compare at the thresholds and say nothing else:
// met at the threshold, not met one under it.
func TestInductionLines(t *testing.T) {
	loc := time.UTC
	now := time.Date(2026, 11, 25, 9, 40, 0, 0, loc)
	th := trend.Thresholds{COWS: 8, Hours: 12}
	for _, tc := range []struct {
		hours time.Duration
		cows  int
		want  []string
	}{
		{12 * time.Hour, 8, []string{"Last dose 12 h ago — threshold 12 h: met", "COWS 8 at 9:40 AM — clinic's threshold 8 or more: met"}},
		{12*time.Hour - time.Minute, 7, []string{"Last dose 11 h ago — threshold 12 h: not met", "COWS 7 at 9:40 AM — clinic's threshold 8 or more: not met"}},
		{14 * time.Hour, 11, []string{"Last dose 14 h ago — threshold 12 h: met", "COWS 11 at 9:40 AM — clinic's threshold 8 or more: met"}},
	} {
		f := trend.InductionFacts([]trend.Dose{{At: now.Add(-tc.hours), Reported: now}}, []trend.Rating{{At: now, Total: tc.cows}}, nil, th, now)
		got := inductionLines(f, now, loc)
		if len(got) != 3 || got[0] != tc.want[0] || got[1] != tc.want[1] || got[2] != inductionText.NoSOWS {
			t.Errorf("lines %q, want %q", got, tc.want)
		}
	}
}

// advice is what the kiosk never says about withdrawal: a recommendation,
// a dose to take, a medicine.
var advice = regexp.MustCompile(`(?i)\b(recommend\w*|suggest\w*|advis\w*|should|prescri\w*|administer\w*|start|begin|give|take|mg|milligram\w*|buprenorphine|suboxone|subutex|methadone|naltrexone|naloxone|lofexidine|clonidine|medicine\w*|medication\w*|drug\w*|induct now|ready)\b`)

// No word of the COWS screen, the induction facts or the COWS file
// recommends a dose or a medicine.
func TestNoAdviceWords(t *testing.T) {
	catalog := testkit.EnglishTexts(t)
	var words []string
	for k, v := range catalog {
		if strings.HasPrefix(k, "staff.cows.") || strings.HasPrefix(k, "staff.induction.") || k == "staff.checkin.rate_cows" || k == "staff.checkin.ratings" || k == "staff.checkin.rating_row" {
			words = append(words, k+": "+v)
		}
	}
	if len(words) < 20 {
		t.Fatalf("only %d words read", len(words))
	}
	now := time.Date(2026, 11, 25, 9, 40, 0, 0, time.UTC)
	f := trend.InductionFacts([]trend.Dose{{At: now.Add(-14 * time.Hour), Reported: now}}, []trend.Rating{{At: now, Total: 11}},
		[]trend.Point{{At: now, Scored: true, Withdrawal: 20}}, trend.Thresholds{COWS: 8, Hours: 12}, now)
	words = append(words, inductionLines(f, now, time.UTC)...)
	words = append(words, inductionLines(trend.Induction{Thresholds: f.Thresholds}, now, time.UTC)...)
	// and every word the COWS screen shows of the instrument file
	in, ok := testkit.Catalog(t).Instrument("cows")
	if !ok {
		t.Fatal("no COWS")
	}
	words = append(words, in.Title["en"], in.Intro["en"], in.Scoring.Convention)
	for _, it := range in.Items {
		words = append(words, it.Text["en"], it.Hint["en"])
		for _, o := range it.Options {
			words = append(words, o.Label["en"])
		}
	}
	for _, b := range in.Scoring.Bands {
		words = append(words, b.Label["en"])
	}
	for _, w := range words {
		if m := advice.FindString(w); m != "" {
			t.Errorf("%q says %q", w, m)
		}
	}
	if !advice.MatchString("Give 8 mg of buprenorphine") {
		t.Error("the pattern misses advice")
	}
}
