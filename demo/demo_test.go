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
	if err != nil || len(codes) != 3 {
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
	}
}
