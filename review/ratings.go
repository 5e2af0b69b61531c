package review

import (
	"slices"
	"time"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/trend"
)

// COWS is the id of the instrument whose ratings the charts and the
// induction facts read (assets/instruments/cows.json).
const COWS = "cows"

// RatingTotals are the scored totals of the ratings with instrument id,
// by when rated, oldest first; a rating the catalog cannot score (its
// instrument gone) is left out.
func RatingTotals(ratings []intakekiosk.Rating, cat *screening.Catalog, id string) []trend.Rating {
	var out []trend.Rating
	for _, r := range ratings {
		if r.Instrument != id {
			continue
		}
		if res, ok := r.Score(cat); ok && res.Scored {
			out = append(out, trend.Rating{At: r.At, Total: res.Total})
		}
	}
	trend.SortRatings(out)
	return out
}

// sortRatings orders ratings by when rated, oldest first.
func sortRatings(rs []intakekiosk.Rating) {
	slices.SortStableFunc(rs, func(a, b intakekiosk.Rating) int { return a.At.Compare(b.At) })
}

// screeningDose is the last dose a screening's kratom profile reported.
func screeningDose(d *Detail) (trend.Dose, bool) {
	if d == nil || d.Visit.Session == nil {
		return trend.Dose{}, false
	}
	a, ok := answer(d.Visit.Session, "kratom", "last_dose")
	if !ok || a.Time == nil {
		return trend.Dose{}, false
	}
	return trend.Dose{At: *a.Time, Reported: d.At()}, true
}

// Doses are the last doses the patient reported: at screening (the
// kratom profile's "When did you last take kratom?") and at each
// check-in (checkin_use's).
func (p Patient) Doses() []trend.Dose {
	doses := trend.DosesOf(p.Points)
	if d, ok := screeningDose(p.Screening); ok {
		doses = append(doses, d)
	}
	return doses
}

// Induction sets the patient's facts side by side at now: the hours since
// the last reported dose, the latest COWS and SOWS, against th.
func (p Patient) Induction(th trend.Thresholds, now time.Time) trend.Induction {
	points := p.Points
	if p.Screening != nil {
		points = append([]trend.Point{PointOf(*p.Screening)}, points...)
	}
	return trend.InductionFacts(p.Doses(), p.COWS, points, th, now)
}

// Induction sets out the facts of a screening whose patient has no
// check-in code yet: its last dose, the COWS ratings recorded on it, its
// SOWS.
func (d Detail) Induction(cat *screening.Catalog, th trend.Thresholds, now time.Time) trend.Induction {
	var doses []trend.Dose
	if dose, ok := screeningDose(&d); ok {
		doses = append(doses, dose)
	}
	return trend.InductionFacts(doses, RatingTotals(d.Ratings, cat, COWS), []trend.Point{PointOf(d)}, th, now)
}
