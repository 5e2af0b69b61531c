package staff

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/summary"
	"intakekiosk/trend"
	"intakekiosk/ui"
)

// detox gives the screening s00 a code and stores a detox's check-ins
// up to now; it returns the patient and the code.
func (h *harness) detox(days int) (string, string) {
	h.t.Helper()
	ctx := context.Background()
	patient, code, err := h.st.IssueCode(ctx, "s00", h.birthOf("s00"), testAdmin, h.clock.Now().Add(-time.Duration(days)*24*time.Hour))
	if err != nil {
		h.t.Fatal(err)
	}
	g := demo.Generator{Catalog: h.k.Config().Catalog, Rand: rand.New(rand.NewPCG(21, 22))}
	list, err := g.Detox(patient, h.clock.Now().Add(-time.Duration(days)*24*time.Hour), days, h.clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.st.AddSessions(ctx, list); err != nil {
		h.t.Fatal(err)
	}
	return patient, code
}

func TestCheckinsTab(t *testing.T) {
	var printed []string
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Print = func(title string, doc io.Reader) error {
			pdf := readAll(doc)
			if !strings.HasPrefix(pdf, "%PDF") {
				return fmt.Errorf("not a PDF")
			}
			printed = append(printed, title)
			return nil
		}
	})
	h.seed(1, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	q := h.openStaff()
	test.Tap(q.rows[0])
	v := the[*sessionView](h.k, ui.ScreenSession)
	test.Tap(v.tabs[tabCheckins])
	if !h.shows(checkinText.NoCode) {
		t.Fatalf("check-ins tab before a code: %q", h.texts())
	}
	h.tap(checkinText.Give)
	if !h.shows(checkinText.Issued) || v.patient == nil || len(v.patient.Code) != sqlite.CodeLen {
		t.Fatalf("after giving a code: %q", h.texts())
	}
	code := v.patient.Code
	if !h.shows(fmt.Sprintf(checkinText.Code, code[:4]+" "+code[4:])) {
		t.Errorf("the code is not shown to staff: %q", h.texts())
	}
	h.tap(checkinText.Slip)
	h.wait()
	if len(printed) != 1 || printed[0] != checkinText.SlipTitle {
		t.Errorf("printed %q", printed)
	}
	// a taper plan typed on the plan screen
	h.tap(checkinText.SetPlan)
	h.wantScreen(ui.ScreenPlan)
	ps := the[*planScreen](h.k, ui.ScreenPlan)
	ps.setText(planDose, "")
	h.tap(planText.Save)
	if !h.shows(planText.BadNumber) {
		t.Errorf("an empty dose: %q", h.texts())
	}
	ps.setText(planDose, "20")
	ps.setText(planPercent, "10")
	ps.setText(planEvery, "3")
	ps.setText(planQuit, "1/5/2027")
	h.tap(planText.Save)
	h.wantScreen(ui.ScreenSession)
	if !h.shows("Taper plan: 20 g a day from Nov 25, down 10% every 3 days; quit date Jan 5.") {
		t.Errorf("plan not shown: %q", h.texts())
	}
	if v.patient.Plan == nil || v.patient.Plan.StartDose != 20 {
		t.Errorf("plan stored %+v", v.patient.Plan)
	}
	h.tap(checkinText.Report)
	h.wait()
	if len(printed) != 2 || strings.Contains(printed[1], "Ruiz") {
		t.Errorf("printed %q", printed)
	}
	log, _ := h.st.AuditLog(context.Background())
	acts := map[string]int{}
	for _, e := range log {
		acts[e.Action+":"+e.Detail]++
	}
	if acts[sqlite.ActPrint+":code slip"] != 1 || acts[sqlite.ActPrint+":check-in report"] != 1 || acts[sqlite.ActPlan+":recorded"] != 1 {
		t.Errorf("audit %v", acts)
	}
	// a plan opened and saved unchanged stays as it was, to the last
	// decimal
	plan := *v.patient.Plan
	plan.StartDose = 7.25
	h.k.showPlan(v.patient.ID, &plan)
	h.tap(planText.Save)
	h.wantScreen(ui.ScreenSession)
	if v.patient.Plan == nil || v.patient.Plan.StartDose != 7.25 {
		t.Errorf("a 7.25 g plan saved unchanged became %+v", v.patient.Plan)
	}
}

func TestCheckinsTabTrend(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(1, screening.Identity{First: "Begoña", Last: "Zúñiga", Birth: "1979-01-02"})
	_, code := h.detox(8)
	q := h.openStaff()
	test.Tap(q.allDays)
	h.wait()
	// a check-in row is named by the patient's screening, and a code
	// search finds the patient's sessions
	if !h.shows("Begoña Z.") || !h.shows("Check-in") {
		t.Errorf("queue: %q", h.texts())
	}
	q.setQuery(strings.ToLower(code))
	h.wait()
	if len(q.shown) < 5 {
		t.Errorf("a code search found %d sessions", len(q.shown))
	}
	var checkin string
	for _, r := range q.shown {
		if r.Session.Kind == intakekiosk.Checkin {
			checkin = r.Session.ID
			break
		}
	}
	h.k.showSession(checkin)
	v := the[*sessionView](h.k, ui.ScreenSession)
	if !h.shows("Begoña Zúñiga") {
		t.Errorf("a check-in's view does not name the patient: %q", h.texts())
	}
	test.Tap(v.tabs[tabCheckins])
	if len(v.patient.Points) < 5 || find[*trendChart](h) == nil {
		t.Fatalf("%d points; chart %v", len(v.patient.Points), find[*trendChart](h))
	}
	if !h.shows(checkinText.ChartDose) {
		t.Errorf("check-ins tab: %q", h.texts())
	}
	// one day in five is missed in the synthetic detox: flagged
	if !strings.Contains(strings.Join(h.texts(), "\n"), "No check-in") && !h.shows(checkinText.NoFlags) {
		t.Errorf("neither flags nor 'no flags': %q", h.texts())
	}
	// the table follows, a page at a time
	seen := 0
	for range len(v.pages[tabCheckins]) - 1 {
		test.Tap(v.next)
		for _, s := range h.texts() {
			if strings.Contains(s, "since the last dose · SOWS") {
				seen++
			}
		}
	}
	if seen/3 != len(v.patient.Points) { // each text is seen thrice: label, rich text, segment
		t.Errorf("the table lists %d of %d check-ins", seen/3, len(v.patient.Points))
	}
	log, _ := h.st.AuditLog(context.Background())
	views := 0
	for _, e := range log {
		if e.Action == sqlite.ActViewPatient {
			views++
		}
	}
	if views != 1 {
		t.Errorf("%d patient views audited", views)
	}
}

// The check-ins tab and the plan screen fit 1280x800, page by page.
func TestCheckinsFit(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(1, screening.Identity{First: "María José", Last: "Peña-Ibáñez de la Concepción", Birth: "1979-01-02"})
	h.detox(14)
	// a real window measures text a little wider than the test driver
	check := h.fits(t, fyne.NewSize(30, 10))
	h.openStaff()
	h.k.showSession("s00")
	v := the[*sessionView](h.k, ui.ScreenSession)
	test.Tap(v.tabs[tabCheckins])
	h.tap(checkinText.SetPlan)
	check("plan screen")
	the[*planScreen](h.k, ui.ScreenPlan).say(planText.BadSteps, true)
	check("plan screen with a message")
	h.tap(planText.Save)
	for i := range v.pages[tabCheckins] {
		v.page = i
		v.draw()
		check(fmt.Sprintf("check-ins page %d", i+1))
	}
}

func TestFlagText(t *testing.T) {
	loc := time.FixedZone("PST", -8*3600)
	at := time.Date(2026, 11, 4, 17, 0, 0, 0, time.UTC) // 9 a.m. there
	for _, tc := range []struct {
		f    trend.Flag
		want string
	}{
		{trend.Flag{Kind: trend.OverPlan, At: at, Grams: 21, Planned: 20}, "Wed, Nov 4: Took 21 g in 24 h, above the plan's 20 g a day"},
		{trend.Flag{Kind: trend.Rising, At: at, Scores: [3]int{9, 17, 21}}, "Wed, Nov 4: Withdrawal score rose two check-ins in a row: 9, 17, 21"},
		{trend.Flag{Kind: trend.Missed, At: time.Date(2026, 11, 4, 0, 0, 0, 0, loc), Count: 1}, "No check-in on Wed, Nov 4"},
	} {
		if got := flagText(summary.New(summary.Input{Location: loc}), tc.f, loc); got != tc.want {
			t.Errorf("flagText(%s) = %q, want %q", tc.f.Kind, got, tc.want)
		}
	}
}

// Without a printer, the slip and the report each say what to do
// instead (not "Save PDF", which saves the session summary).
func TestCheckinsTabNoPrinter(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(1, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	q := h.openStaff()
	test.Tap(q.rows[0])
	v := the[*sessionView](h.k, ui.ScreenSession)
	test.Tap(v.tabs[tabCheckins])
	h.tap(checkinText.Give)
	h.tap(checkinText.Slip)
	if !h.shows(checkinText.NoPrinterCode) {
		t.Errorf("slip without a printer: %q", h.texts())
	}
	h.tap(checkinText.Report)
	if !h.shows(checkinText.NoPrinterReport) {
		t.Errorf("report without a printer: %q", h.texts())
	}
}

// The withdrawal chart by day since the last dose starts its line again
// where a later last dose (the patient used again) moves a check-in back
// along the days; under a plan the line runs on.
func TestChartBreaksAtRelapse(t *testing.T) {
	test.NewTempApp(t)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	pt := func(at, dose time.Time, sows int) trend.Point {
		return trend.Point{At: at, LastDose: dose, Withdrawal: sows, Scored: true, Grams: -1, Craving: -1, Doses: -1, Sleep: -1}
	}
	points := []trend.Point{
		pt(day(2, 9), day(1, 9), 30),
		pt(day(3, 9), day(1, 9), 40), // day 2 of withdrawal
		pt(day(4, 9), day(4, 7), 12), // used again: hours since the dose start over
		pt(day(5, 9), day(4, 7), 25),
	}
	for _, tc := range []struct {
		name   string
		plan   *trend.Plan
		hidden []bool
	}{
		{"since the last dose", nil, []bool{false, true, false}},
		{"under a plan", &trend.Plan{Start: day(2, 0), StartDose: 20, Percent: 10, EveryDays: 3}, []bool{false, false, false}},
	} {
		c := newTrendChart(points, tc.plan, nil, "", nil, nil)
		r := test.WidgetRenderer(c).(*chartRenderer)
		if len(r.segs) != len(tc.hidden) {
			t.Fatalf("%s: %d segments; want %d", tc.name, len(r.segs), len(tc.hidden))
		}
		for i, l := range r.segs {
			if l.Hidden != tc.hidden[i] {
				t.Errorf("%s: segment %d hidden %v; want %v", tc.name, i+1, l.Hidden, tc.hidden[i])
			}
		}
	}
}
