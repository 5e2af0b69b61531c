package staff

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// The queue leads each pinned row with why, and an urgent or
// needs-attention session stays pinned after a print until someone marks
// it reviewed (issue 12, items 1 and 2).
func TestPinnedUntilReviewed(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	cat := h.k.Config().Catalog
	now := h.clock.Now()
	session := func(id string, ago time.Duration, item9 *screening.Answer, urgent, attention bool) sqlite.NewSession {
		at := now.Add(-ago)
		as := testkit.ByPoints(t, cat, "phq9", at, 0, 0, 0, 0, 0, 0, 0, 0, 0)
		if item9 != nil {
			a := *item9
			a.At = at
			as[8] = a
		}
		who := screening.Identity{First: "Pat", Last: id, Birth: "1980-01-02"}
		recs := []intakekiosk.Record{{Recorded: at, Payload: intakekiosk.Payload{Identity: &who}}}
		for i := range as {
			recs = append(recs, intakekiosk.Record{Recorded: at, Payload: intakekiosk.Payload{Answer: &as[i]}})
		}
		return sqlite.NewSession{ID: id, Kind: intakekiosk.Screening, Status: intakekiosk.New, Started: at, Completed: at.Add(time.Minute),
			Urgent: urgent, Attention: attention, Records: recs}
	}
	several := &screening.Answer{Instrument: "phq9", Item: "9", Choice: "1"}
	declined := &screening.Answer{Instrument: "phq9", Item: "9", Declined: true}
	if it, _ := cat.Instrument("phq9"); it != nil {
		nine, _ := it.Item("9")
		several.Choice = nine.Options[1].Value
	}
	list := []sqlite.NewSession{
		session("calm", 10*time.Minute, nil, false, false),
		session("suicide", 50*time.Minute, several, true, false),
		session("skipped", 40*time.Minute, declined, false, true),
	}
	if err := h.st.AddSessions(context.Background(), list); err != nil {
		t.Fatal(err)
	}
	q := h.openStaff()
	if got := h.rows(); !slices.Equal(got, []string{"skipped", "suicide", "calm"}) {
		t.Fatalf("queue %v, want the pinned two first", got)
	}
	facts := func(id string) string {
		for _, r := range q.rows {
			if r.Visible() && r.row.Session.ID == id {
				return r.facts.Text + " | " + r.urgent.Text
			}
		}
		return ""
	}
	for id, want := range map[string]string{
		"suicide": "PHQ-9 item 9: Several days · Screening · New",
		"skipped": "PHQ-9 item 9 not answered — ask in person · Screening · New",
	} {
		if got := facts(id); !strings.HasPrefix(got, want) {
			t.Errorf("row %s: %q, want it to lead with %q", id, got, want)
		}
	}
	if !strings.HasSuffix(facts("suicide"), queueText.Urgent) || !strings.HasSuffix(facts("skipped"), queueText.Attention) {
		t.Errorf("markers: %q, %q", facts("suicide"), facts("skipped"))
	}

	// open the urgent one, save it as PDF by printing: still pinned
	var row *queueRow
	for _, r := range q.rows {
		if r.row.Session.ID == "suicide" {
			row = r
		}
	}
	test.Tap(row)
	h.wantScreen(ui.ScreenSession)
	v := the[*sessionView](h.k, ui.ScreenSession)
	if !strings.HasPrefix(v.urgentLines.Text, "PHQ-9 item 9 (") || v.urgent.Hidden {
		t.Errorf("the urgent banner: %q", v.urgentLines.Text)
	}
	if err := h.k.on.desk.Printed(context.Background(), "suicide", "printed"); err != nil {
		t.Fatal(err)
	}
	h.tap(sessionText.Queue)
	h.wait()
	if got := h.rows(); !slices.Equal(got, []string{"skipped", "suicide", "calm"}) {
		t.Errorf("after a print, queue %v: the urgent session must stay pinned", got)
	}
	// marked reviewed: it takes its place in time order, reviewed by name
	test.Tap(row)
	h.tap(sessionText.Review)
	h.tap(sessionText.Queue)
	h.wait()
	if got := h.rows(); !slices.Equal(got, []string{"skipped", "calm", "suicide"}) {
		t.Errorf("after review, queue %v", got)
	}
	if !strings.Contains(facts("suicide"), "Reviewed by "+testAdmin+", printed") {
		t.Errorf("reviewed row: %q", facts("suicide"))
	}
	log, _ := h.st.AuditLog(context.Background())
	if !slices.ContainsFunc(log, func(e sqlite.Entry) bool {
		return e.Action == sqlite.ActReview && e.Target == "suicide" && e.Actor == testAdmin
	}) {
		t.Error("the review is not audited with the reviewer's name")
	}
}

// A patient's call for staff waits on staff mode's home until a signed-in
// staff member answers it, under their name (issue 12, item 6).
func TestStaffAnswerCall(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.k.CallStaff(nil)
	h.openStaff()
	if !h.shows("A patient at this kiosk called for staff at ") {
		t.Fatalf("the call is not on staff mode's home: %q", h.texts())
	}
	h.tap(staffText.Answer)
	if _, ok := h.k.Called(); ok || h.shows("called for staff") {
		t.Error("the answered call is still waiting")
	}
	log, _ := h.st.AuditLog(context.Background())
	if !slices.ContainsFunc(log, func(e sqlite.Entry) bool { return e.Action == sqlite.ActCallAnswered && e.Actor == testAdmin }) {
		t.Error("the answer is not audited with the staff member's name")
	}
}
