package staff

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// A code given before check-ins asked the date of birth shows on the
// check-ins tab as one to reissue (the kiosk sends the patient to the
// desk); New code makes one with the date and the line goes. A plan's
// last day of check-ins is typed on the plan screen and said with it.
func TestCheckinsTabReissue(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(1, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	_, old, err := h.st.IssueCode(context.Background(), "s00", "1985-03-07", testAdmin, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	codeOfBefore(t, h.path)
	q := h.openStaff()
	test.Tap(q.rows[0])
	v := the[*sessionView](h.k, ui.ScreenSession)
	test.Tap(v.tabs[tabCheckins])
	if !h.shows(checkinText.Reissue) {
		t.Fatalf("a code of before: %q", h.texts())
	}
	h.tap(checkinText.NewCode)
	if h.shows(checkinText.Reissue) || v.patient == nil || v.patient.Code == old {
		t.Fatalf("after New code: %q", h.texts())
	}
	if _, err := h.st.MatchCheckin(context.Background(), v.patient.Code, "1985-03-07", h.clock.Now(), h.k.Location()); err != nil {
		t.Errorf("the new code at the kiosk: %v", err)
	}

	h.tap(checkinText.SetPlan)
	ps := the[*planScreen](h.k, ui.ScreenPlan)
	ps.setText(planDose, "20")
	ps.setText(planEnds, "11/1/2026")
	h.tap(planText.Save)
	h.wantScreen(ui.ScreenPlan)
	if !strings.Contains(strings.Join(h.texts(), "\n"), "end before the start") {
		t.Errorf("check-ins ending before the start: %q", h.texts())
	}
	ps.setText(planEnds, "12/30/2026")
	h.tap(planText.Save)
	h.wantScreen(ui.ScreenSession)
	if !h.shows("Taper plan: 20 g a day from Nov 25, down 10% every 3 days; check-ins end Dec 30.") {
		t.Errorf("plan not shown: %q", h.texts())
	}
	if v.patient.Plan == nil || v.patient.Plan.Ends.Format("2006-01-02") != "2026-12-30" {
		t.Errorf("plan stored %+v", v.patient.Plan)
	}
}

// codeOfBefore makes the patients' codes in the database at path codes of
// a release before check-ins asked the date of birth: no check-in hash
// nor box, as that release left them.
func codeOfBefore(tb testing.TB, path string) {
	tb.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("UPDATE patients SET birth_hash = NULL, checkin_sealed = NULL"); err != nil {
		tb.Fatal(err)
	}
}
