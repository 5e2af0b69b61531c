package demo

import (
	"math/rand/v2"
	"testing"
	"time"

	"intakekiosk/assets"
	"intakekiosk/screening"
	"intakekiosk/store"
)

func TestClinic(t *testing.T) {
	cat, errs := screening.Load(screening.Source{Name: "built-in", FS: assets.Instruments()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
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
	statuses := map[store.Status]int{}
	urgent, today := 0, 0
	for _, ns := range list {
		statuses[ns.Status]++
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
		if ns.Status == store.Incomplete {
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
	if today != 40 || statuses[store.Incomplete] == 0 || statuses[store.Reviewed] == 0 || statuses[store.Printed] == 0 || statuses[store.New] == 0 {
		t.Errorf("%d today, statuses %v", today, statuses)
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
