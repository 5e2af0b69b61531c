package demo

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

func TestClinic(t *testing.T) {
	cat := testkit.Catalog(t)
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	g := Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(1, 1))}
	list, err := g.Clinic(now, 120)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 120 {
		t.Fatalf("%d sessions", len(list))
	}
	levels := map[string]map[int]bool{}
	statuses := map[intakekiosk.Standing]int{}
	printed := 0
	urgent, today := 0, 0
	for _, ns := range list {
		statuses[intakekiosk.Session{Status: ns.Status, Reviewed: ns.Reviewed, Completed: ns.Completed}.Standing()]++
		if !ns.Printed.IsZero() {
			printed++
		}
		if ns.Urgent {
			urgent++
		}
		if !ns.Started.Before(now.Truncate(24*time.Hour)) && ns.Started.Before(now) {
			today++
		}
		if ns.Started.After(now) || ns.Records[0].Identity == nil {
			t.Errorf("session %s: started %v, first record %+v", ns.ID, ns.Started, ns.Records[0])
		}
		s := screening.NewSession(cat, nil)
		for _, r := range ns.Records {
			if r.Answer != nil {
				s.Restore(*r.Answer)
			}
		}
		if ns.Status == intakekiosk.Incomplete {
			continue
		}
		for _, r := range s.Results(ns.Completed) {
			if r.Band != nil {
				if levels[r.Instrument.ID] == nil {
					levels[r.Instrument.ID] = map[int]bool{}
				}
				levels[r.Instrument.ID][r.Band.Level] = true
			}
		}
	}
	if today != 40 || statuses[intakekiosk.StandingIncomplete] == 0 || statuses[intakekiosk.StandingReviewed] == 0 || printed == 0 || statuses[intakekiosk.StandingNew] == 0 {
		t.Errorf("%d today, statuses %v, %d printed", today, statuses, printed)
	}
	if urgent == 0 || urgent > 60 {
		t.Errorf("%d urgent of 120", urgent)
	}
	for _, id := range []string{"phq9", "gad7", "sows"} {
		if len(levels[id]) < 3 {
			t.Errorf("%s bands reached: %v", id, levels[id])
		}
	}
}

func TestFill(t *testing.T) {
	ctx := context.Background()
	cat := testkit.Catalog(t)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	if _, err := st.SetUp(ctx, "demo", "demo passphrase", now); err != nil {
		t.Fatal(err)
	}
	key, _, err := st.Unlock(ctx, "demo", "demo passphrase", now)
	if err != nil {
		t.Fatal(err)
	}
	g := Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(3, 3))}
	codes, err := Fill(ctx, st, key, g, now, 36, "demo")
	if err != nil || len(codes) != 4 {
		t.Fatalf("codes %v, %v", codes, err)
	}
	for i, c := range codes {
		patient, err := st.MatchCheckin(ctx, c.Code, c.Birth, now, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := st.Sessions(ctx, sqlite.Filter{Patient: patient, Kind: intakekiosk.Checkin})
		if len(list) < 1 {
			t.Errorf("patient %d has no check-ins", i)
		}
		recs, err := st.PatientRecords(ctx, patient, key)
		if err != nil {
			t.Fatal(err)
		}
		hasPlan := false
		for _, r := range recs {
			hasPlan = hasPlan || r.Plan != nil
		}
		if hasPlan != (i == 1) {
			t.Errorf("patient %d: plan %v", i, hasPlan)
		}
		// each check-in asked what the schedule had due, and the days
		// last asked are on record as the kiosk keeps them
		last := map[string]string{}
		asked := map[string]int{}
		for _, ss := range list {
			recs, err := st.Records(ctx, ss.ID, key)
			if err != nil || len(recs) == 0 || recs[0].Event.Asks == nil {
				t.Fatalf("patient %d check-in %s: no record of what it asks (%v)", i, ss.ID, err)
			}
			for _, in := range recs[0].Event.Asks {
				asked[in]++
				last[in] = max(last[in], screening.Day(ss.Started, now.Location()))
			}
		}
		onRecord, err := st.Asked(ctx, patient)
		if err != nil {
			t.Fatal(err)
		}
		for in, day := range last {
			if onRecord[in] != day {
				t.Errorf("patient %d: %s last asked %q on record, %q by the check-ins", i, in, onRecord[in], day)
			}
		}
		if asked["sows"] != len(list) || asked["bam"] > (len(list)+1)/2+1 {
			t.Errorf("patient %d: %d check-ins asked %v", i, len(list), asked)
		}
		if i == 3 && (len(list) < 18 || asked["bam"] < 3 || asked["phq9"] < 1 || asked["phq9"] > 2) {
			t.Errorf("the patient in recovery: %d check-ins asked %v", len(list), asked)
		}
	}
}
