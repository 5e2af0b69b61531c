package trend

import (
	"slices"
	"time"
)

// Rating is a clinician's withdrawal rating (the COWS total, 0-48) and
// when the patient was rated.
type Rating struct {
	At    time.Time
	Total int
}

// Thresholds are the clinic's own induction thresholds (the settings
// induction_cows_min and induction_hours_min): a COWS total of at least
// COWS, and at least Hours since the last reported dose.
type Thresholds struct {
	COWS  int
	Hours int
}

// Dose is a last dose as a patient reported it: the instant of the dose
// and when they reported it (the session's time).
type Dose struct {
	At, Reported time.Time
}

// Induction is what the session view sets side by side for a patient:
// the hours since the last reported dose, the latest COWS rating and the
// latest SOWS score, each against the clinic's thresholds where there is
// one. It is arithmetic only: it holds no advice, and its caller words it
// as a plain comparison.
type Induction struct {
	Thresholds Thresholds
	// Dose is the last dose of the latest report (zero: none reported);
	// Hours the hours from it to now, and HoursMet says Hours is at least
	// the threshold.
	Dose     Dose
	Hours    float64
	HoursMet bool
	// COWS is the latest rating (nil: none); COWSMet says its total is at
	// least the threshold.
	COWS    *Rating
	COWSMet bool
	// SOWS is the latest check-in with a SOWS score (nil: none); the
	// clinic sets no SOWS threshold.
	SOWS *Point
}

// InductionFacts sets out the facts at now: the latest of doses (by when
// each was reported; a dose reported after now, or after the moment
// itself, is left out), of ratings (by when rated) and of the scored
// points (SOWS), against th.
func InductionFacts(doses []Dose, ratings []Rating, points []Point, th Thresholds, now time.Time) Induction {
	f := Induction{Thresholds: th}
	for _, d := range doses {
		if d.At.IsZero() || d.Reported.After(now) || d.At.After(d.Reported) {
			continue
		}
		if f.Dose.At.IsZero() || d.Reported.After(f.Dose.Reported) {
			f.Dose = d
		}
	}
	if !f.Dose.At.IsZero() {
		f.Hours = now.Sub(f.Dose.At).Hours()
		f.HoursMet = f.Hours >= float64(th.Hours)
	}
	for i := range ratings {
		r := &ratings[i]
		if r.At.After(now) {
			continue
		}
		if f.COWS == nil || r.At.After(f.COWS.At) {
			f.COWS = r
		}
	}
	if f.COWS != nil {
		f.COWSMet = f.COWS.Total >= th.COWS
	}
	for i := range points {
		p := &points[i]
		if p.Scored && !p.At.After(now) && (f.SOWS == nil || p.At.After(f.SOWS.At)) {
			f.SOWS = p
		}
	}
	return f
}

// DosesOf are the last doses the check-ins reported.
func DosesOf(points []Point) []Dose {
	var out []Dose
	for _, p := range points {
		if !p.LastDose.IsZero() {
			out = append(out, Dose{At: p.LastDose, Reported: p.At})
		}
	}
	return out
}

// DoseBefore is the last dose to measure a rating at t from: that of the
// latest report made by t, else (a rating made before the patient said)
// that of the first report after t whose dose is before t; false when
// there is none.
func DoseBefore(doses []Dose, t time.Time) (Dose, bool) {
	var best Dose
	for _, d := range doses {
		if !d.Reported.After(t) && (best.At.IsZero() || d.Reported.After(best.Reported)) {
			best = d
		}
	}
	if !best.At.IsZero() {
		return best, true
	}
	for _, d := range doses {
		if !d.At.After(t) && (best.At.IsZero() || d.Reported.Before(best.Reported)) {
			best = d
		}
	}
	return best, !best.At.IsZero()
}

// SortRatings orders ratings by when rated, oldest first.
func SortRatings(rs []Rating) {
	slices.SortStableFunc(rs, func(a, b Rating) int { return a.At.Compare(b.At) })
}
