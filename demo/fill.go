package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
	"intakekiosk/vault"
)

// Store is what Fill writes to; *sqlite.Store provides it.
type Store interface {
	AddSessions(ctx context.Context, list []sqlite.NewSession) error
	IssueCode(ctx context.Context, screeningID, birth, by string, at time.Time) (patientID, code string, err error)
	SetPlan(ctx context.Context, patientID string, clinic *vault.ClinicKey, plan *trend.Plan, by string, at time.Time) error
	AddRating(ctx context.Context, clinic *vault.ClinicKey, patientID, sessionID string, r intakekiosk.Rating, at time.Time) (string, error)
	// MarkAsked puts on record the day a patient was asked instruments
	MarkAsked(ctx context.Context, patientID, day string, instruments []string) error
}

// Returning is a returning patient of the demo clinic: their check-in
// code and the date of birth (YYYY-MM-DD) the kiosk asks with it.
type Returning struct{ Code, Birth string }

// Fill stores a clinic's fortnight of synthetic patients: n screenings
// (Clinic), and, when n is 6 or more, four returning patients with
// check-in codes: one in detox since six days ago checking in daily, one
// on a taper plan for nine days, one who stopped yesterday, and one
// screened four weeks ago in recovery since, checking in about daily; the
// first and the third are rated with COWS at the desk on their first
// days. Their check-ins ask what g's schedule has due (the clinic's
// default when g has none), and the days each patient was last asked are
// put on record as the kiosk keeps them. Staff member by gives the codes,
// plans and ratings (key opens the patients). It returns the returning
// patients' codes and dates of birth.
func Fill(ctx context.Context, st Store, key *vault.ClinicKey, g Generator, now time.Time, n int, by string) ([]Returning, error) {
	if g.Schedule == nil {
		g.Schedule, _ = screening.ParseSchedule(settings.DefaultSchedule)
	}
	g.Asked = map[string]map[string]string{}
	sessions, err := g.Clinic(now, n)
	if err != nil {
		return nil, err
	}
	if err := st.AddSessions(ctx, sessions); err != nil {
		return nil, err
	}
	if n < 6 {
		return nil, nil
	}
	// the returning patients: finished screenings of more than nine days
	// ago, else the oldest finished ones before today, so that a fill of
	// six or more gives its three whatever the random dates
	var picked, later []sqlite.NewSession
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	for _, s := range sessions {
		switch {
		case s.Completed.IsZero() || !s.Started.Before(day):
		case s.Started.Before(day.AddDate(0, 0, -9)):
			picked = append(picked, s)
		default:
			later = append(later, s)
		}
	}
	slices.SortStableFunc(later, func(a, b sqlite.NewSession) int { return a.Started.Compare(b.Started) })
	picked = append(picked, later...)
	picked = picked[:min(3, len(picked))]
	// the patient in recovery was screened four weeks ago
	start := day.AddDate(0, 0, -7*4)
	recovering, err := g.Screening(SessionID(start, "demo-recovery"), start.Add(10*time.Hour), 0.7)
	if err != nil {
		return nil, err
	}
	recovering.Reviewed, recovering.ReviewedBy = recovering.Completed.Add(time.Hour), Reviewer
	if err := st.AddSessions(ctx, []sqlite.NewSession{recovering}); err != nil {
		return nil, err
	}
	picked = append(picked, recovering)
	var codes []Returning
	for i, s := range picked {
		birth := ""
		for _, r := range s.Records {
			if r.Identity != nil {
				birth = r.Identity.Birth
			}
		}
		patient, code, err := st.IssueCode(ctx, s.ID, birth, by, s.Completed.Add(30*time.Minute))
		if err != nil {
			return codes, fmt.Errorf("demo code: %w", err)
		}
		codes = append(codes, Returning{Code: code, Birth: birth})
		// the screening asked the instruments the schedule times
		for _, in := range g.Schedule.AtScreening(g.Catalog, nil) {
			if g.Asked[patient] == nil {
				g.Asked[patient] = map[string]string{}
			}
			g.Asked[patient][in] = screening.Day(s.Started, s.Started.Location())
		}
		var list []sqlite.NewSession
		switch i {
		case 0:
			// the last doses fall 20 and 40 minutes off the taper's whole
			// hours: one kiosk, so no two check-ins at once
			list, err = g.Detox(patient, now.Add(-6*24*time.Hour-5*time.Hour-20*time.Minute), 7, now)
		case 1:
			plan := trend.Plan{Start: day.AddDate(0, 0, -9), StartDose: 20, Percent: 15, EveryDays: 3, Quit: day.AddDate(0, 0, 12)}
			if err := st.SetPlan(ctx, patient, key, &plan, by, plan.Start); err != nil {
				return codes, fmt.Errorf("demo plan: %w", err)
			}
			list, err = g.Taper(patient, plan, 10, now)
		case 2:
			list, err = g.Detox(patient, now.Add(-30*time.Hour-40*time.Minute), 2, now)
		case 3:
			list, err = g.Recovery(patient, start.AddDate(0, 0, 1), 4, now)
		}
		if err != nil {
			return codes, err
		}
		if err := st.AddSessions(ctx, list); err != nil {
			return codes, err
		}
		if err := markAsked(ctx, st, patient, g.Asked[patient]); err != nil {
			return codes, err
		}
		if i != 0 && i != 2 {
			continue
		}
		// COWS rated at the desk an hour after each of the first check-ins
		for j, total := range []int{9, 16, 12, 6}[:min(4, len(list))] {
			r, ok := g.COWS(total, list[j].Started.Add(time.Hour))
			if !ok || r.At.After(now) {
				continue
			}
			r.By = by
			if _, err := st.AddRating(ctx, key, patient, "", r, r.At); err != nil {
				return codes, fmt.Errorf("demo rating: %w", err)
			}
		}
	}
	return codes, nil
}

// markAsked puts on record the days a patient was last asked each
// instrument, a day at a time.
func markAsked(ctx context.Context, st Store, patient string, asked map[string]string) error {
	byDay := map[string][]string{}
	for in, day := range asked {
		byDay[day] = append(byDay[day], in)
	}
	for _, day := range slices.Sorted(maps.Keys(byDay)) {
		ids := byDay[day]
		slices.Sort(ids)
		if err := st.MarkAsked(ctx, patient, day, ids); err != nil {
			return fmt.Errorf("demo asked: %w", err)
		}
	}
	return nil
}
