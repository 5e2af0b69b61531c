package intakekiosk

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"intakekiosk/fault"
	"intakekiosk/screening"
)

// Rating is a clinician's rating of a patient with an instrument staff
// rate at the desk (screening.Instrument.RatedByStaff: COWS), recorded in
// staff mode: the instrument and version, when the patient was rated (At,
// which the rater may set earlier than the recording), who rated and the
// answers. It is sealed like the patient's answers: a record of the
// patient (under their data key, sqlite.PatientPayload) or, for a
// screening's patient who has no check-in code yet, of that screening
// (Payload.Rating).
type Rating struct {
	// ID names the rating (a UUID): the FHIR Observation's id is made from
	// it, so an export written twice names it the same.
	ID         string             `json:"id"`
	Instrument string             `json:"instrument"`
	Version    string             `json:"version,omitempty"`
	At         time.Time          `json:"at"`
	By         string             `json:"by"`
	Answers    []screening.Answer `json:"answers"`
}

// RatingLookback is how far back a rating's time may be set: a rating
// entered later the same shift, or the next morning, is fine; one dated
// a month back is a typing mistake.
const RatingLookback = 7 * 24 * time.Hour

// Answered are the rating's answers by item.
func (r Rating) Answered() screening.Answers {
	as := screening.Answers{}
	for _, a := range r.Answers {
		as[a.Key()] = a
	}
	return as
}

// Score scores the rating with the catalog's instrument; false when the
// catalog has no such instrument (a clinic removed it).
func (r Rating) Score(cat *screening.Catalog) (screening.Result, bool) {
	in, ok := cat.Instrument(r.Instrument)
	if !ok || !in.RatedByStaff() {
		return screening.Result{}, false
	}
	return cat.Score(in, r.Answered(), r.At), true
}

// Check says whether the rating can be recorded at now: an instrument
// staff rate, a time not in the future nor more than RatingLookback
// before now, every scored item rated once with an answer that fits it.
// The error is Invalid, its Field the item at fault ("at" for the time).
func (r Rating) Check(cat *screening.Catalog, now time.Time) error {
	bad := func(field string, err error) error {
		return &fault.Error{Op: "rating", Kind: fault.Invalid, Field: field, Err: err}
	}
	in, ok := cat.Instrument(r.Instrument)
	if !ok || !in.RatedByStaff() {
		return bad("instrument", fmt.Errorf("%q is not an instrument staff rate", r.Instrument))
	}
	switch {
	case r.At.IsZero():
		return bad("at", errors.New("give the time the patient was rated"))
	case r.At.After(now):
		return bad("at", errors.New("the time rated is in the future"))
	case now.Sub(r.At) > RatingLookback:
		return bad("at", errors.New("the time rated is more than 7 days ago"))
	}
	seen := map[string]bool{}
	for _, a := range r.Answers {
		it, ok := in.Item(a.Item)
		if a.Instrument != in.ID || !ok {
			return bad(a.Item, fmt.Errorf("no item %q in %s", a.Item, in.ID))
		}
		if seen[a.Item] {
			return bad(a.Item, errors.New("rated twice"))
		}
		seen[a.Item] = true
		if a.Declined {
			return bad(a.Item, errors.New("every item is rated"))
		}
		if err := it.Validate(a, now); err != nil {
			return bad(a.Item, err)
		}
	}
	if in.Scoring != nil {
		if i := slices.IndexFunc(in.Scoring.Items, func(id string) bool { return !seen[id] }); i >= 0 {
			return bad(in.Scoring.Items[i], errors.New("not rated"))
		}
	}
	return nil
}

// Ratings are a visit's or a patient's ratings in the order of their
// records.
func Ratings(recs []Record) []Rating {
	var out []Rating
	for _, r := range recs {
		if r.Rating != nil {
			out = append(out, *r.Rating)
		}
	}
	return out
}
