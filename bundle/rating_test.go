package bundle

import (
	"context"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
)

// The COWS ratings travel in a transfer bundle as the records around
// them do: those under a returning patient and one on a screening whose
// patient has no code; the main clinic opens them and scores them the
// same.
func TestRatingsTravel(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	sat := newClinic(t, "North", main)
	sat.fill(t, 20, 2)
	register(t, main, sat, "North clinic")
	cat := testkit.Catalog(t)
	list, _ := sat.st.Sessions(ctx, sqlite.Filter{})
	var screening string
	patients := map[string]bool{}
	for _, ss := range list {
		if ss.PatientID != "" {
			patients[ss.PatientID] = true
		} else if ss.Kind == intakekiosk.Screening && ss.Status != intakekiosk.InProgress && screening == "" {
			screening = ss.ID
		}
	}
	r, ok := demo.Generator{Catalog: cat}.COWS(21, now.Add(-time.Hour))
	if !ok {
		t.Fatal("no COWS of 21")
	}
	r.By = "Ada"
	if _, err := sat.st.AddRating(ctx, sat.key, "", screening, r, now); err != nil {
		t.Fatal(err)
	}
	path, _ := sat.export(t, time.Time{})
	if _, err := Import(ctx, opener(path), main.st, "Ada", now); err != nil {
		t.Fatal(err)
	}
	totals := func(recs []intakekiosk.Rating) (out []int) {
		for _, x := range recs {
			res, ok := x.Score(cat)
			if !ok || !res.Scored {
				t.Fatalf("a rating that does not score: %+v", x)
			}
			out = append(out, res.Total)
		}
		return out
	}
	moved := 0
	for id := range patients {
		a, err := sat.st.PatientRecords(ctx, id, sat.key)
		if err != nil {
			t.Fatal(err)
		}
		b, err := main.st.PatientRecords(ctx, id, main.key)
		if err != nil {
			t.Fatal(err)
		}
		var ra, rb []intakekiosk.Rating
		for _, x := range a {
			if x.Rating != nil {
				ra = append(ra, *x.Rating)
			}
		}
		for _, x := range b {
			if x.Rating != nil {
				rb = append(rb, *x.Rating)
			}
		}
		if ta, tb := totals(ra), totals(rb); len(ta) != len(tb) || len(ta) > 0 && ta[0] != tb[0] {
			t.Errorf("patient %s: COWS %v at the satellite, %v at the main clinic", id, ta, tb)
		}
		moved += len(rb)
	}
	if moved == 0 {
		t.Error("no patient's COWS reached the main clinic")
	}
	recs, err := main.st.Records(ctx, screening, main.key)
	if err != nil {
		t.Fatal(err)
	}
	if got := totals(intakekiosk.Ratings(recs)); len(got) != 1 || got[0] != 21 {
		t.Errorf("the screening's COWS at the main clinic: %v", got)
	}
}
