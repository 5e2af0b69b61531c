package demo

import (
	"time"

	"intakekiosk"
	"intakekiosk/screening"
)

// COWS is a synthetic COWS rating of total points rated at: each item
// given the highest of its points that the rest of the total still
// takes, item by item, so the total is exact; false when the catalog has
// no COWS or total is out of its range.
func (g Generator) COWS(total int, at time.Time) (intakekiosk.Rating, bool) {
	in, ok := g.Catalog.Instrument("cows")
	if !ok || !in.RatedByStaff() || in.Scoring == nil || total < in.Scoring.Min || total > in.Scoring.Max {
		return intakekiosk.Rating{}, false
	}
	r := intakekiosk.Rating{Instrument: in.ID, At: at}
	left := total
	for i := range in.Items {
		it := &in.Items[i]
		best := it.Options[0]
		for _, o := range it.Options {
			if o.Points <= left && o.Points > best.Points {
				best = o
			}
		}
		left -= best.Points
		r.Answers = append(r.Answers, screening.Answer{Instrument: in.ID, Item: it.ID, Choice: best.Value, At: at})
	}
	return r, left == 0
}
