package review

import (
	"context"
	"slices"
	"strings"
	"time"

	"intakekiosk"
	"intakekiosk/report"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
	"intakekiosk/vault"
)

// PatientSource is what a patient's timeline reads; *sqlite.Store
// provides it.
type PatientSource interface {
	Source
	PatientRecords(ctx context.Context, patientID string, clinic *vault.ClinicKey) ([]sqlite.PatientRecord, error)
	// NeedsReissue: the code in force has no check-in hash (issued
	// before check-ins asked the date of birth)
	NeedsReissue(ctx context.Context, patientID string) (bool, error)
}

var _ PatientSource = (*sqlite.Store)(nil)

// Patient is a returning patient read back: their check-in code, the
// screening it was linked to, the taper plan in force, and every check-in
// (oldest first) with its point on the trend.
type Patient struct {
	ID   string
	Code string
	// Reissue says the code in force was issued before check-ins asked
	// the date of birth: the kiosk sends the patient to the front desk
	// for a new one.
	Reissue bool
	// Screening is the linked screening (nil when it was purged).
	Screening *Detail
	// Plan is the taper plan in force (nil: none).
	Plan *trend.Plan
	// Checkins are the check-in sessions, oldest first, and Points their
	// points on the trend, in the same order.
	Checkins []Detail
	Points   []trend.Point
	// Records are the staff's records about the patient, oldest first.
	Records []sqlite.PatientRecord
	// Ratings are the clinicians' ratings of the patient (COWS), by when
	// rated: those recorded under the patient and those recorded on
	// their screening before it had a code. COWS are the COWS totals.
	Ratings []intakekiosk.Rating
	COWS    []trend.Rating
}

// LoadPatient reads a patient's records, screening and check-ins: one
// indexed query for their sessions, then each opened with the clinic key.
func LoadPatient(ctx context.Context, src PatientSource, patientID string, key *vault.ClinicKey, cat *screening.Catalog) (Patient, error) {
	recs, err := src.PatientRecords(ctx, patientID, key)
	if err != nil {
		return Patient{}, err
	}
	p := Patient{ID: patientID, Records: recs}
	for _, r := range recs {
		if r.Code != "" {
			p.Code = r.Code
		}
		switch {
		case r.Plan != nil:
			p.Plan = r.Plan
		case r.EndPlan:
			p.Plan = nil
		case r.Rating != nil:
			p.Ratings = append(p.Ratings, *r.Rating)
		}
	}
	if p.Reissue, err = src.NeedsReissue(ctx, patientID); err != nil {
		return Patient{}, err
	}
	sessions, err := src.Sessions(ctx, sqlite.Filter{Patient: patientID})
	if err != nil {
		return Patient{}, err
	}
	slices.Reverse(sessions) // oldest first
	for _, ss := range sessions {
		d, err := Open(ctx, src, ss, key, cat)
		if err != nil {
			return Patient{}, err
		}
		switch ss.Kind {
		case intakekiosk.Screening:
			p.Screening = &d
		case intakekiosk.Checkin:
			p.Checkins = append(p.Checkins, d)
			p.Points = append(p.Points, PointOf(d))
		}
	}
	if p.Screening != nil {
		p.Ratings = append(p.Ratings, p.Screening.Ratings...)
	}
	sortRatings(p.Ratings)
	p.COWS = RatingTotals(p.Ratings, cat, COWS)
	return p, nil
}

// PatientInfo is who a returning patient is (from their screening),
// their check-in code and the clinicians' ratings (COWS) recorded under
// them.
type PatientInfo struct {
	Identity screening.Identity
	Code     string
	// Birth is the date of birth the code in force was made with ("" for
	// a code issued before check-ins asked it).
	Birth   string
	Ratings []intakekiosk.Rating
}

// LoadPatientInfo reads a patient's code, ratings and the identity of
// the screening it was linked to, without their check-ins.
func LoadPatientInfo(ctx context.Context, src PatientSource, patientID string, key *vault.ClinicKey, cat *screening.Catalog) (PatientInfo, error) {
	recs, err := src.PatientRecords(ctx, patientID, key)
	if err != nil {
		return PatientInfo{}, err
	}
	var p PatientInfo
	var screeningID string
	for _, r := range recs {
		if r.Code != "" {
			p.Code, p.Birth = r.Code, r.Birth
		}
		if r.Screening != "" {
			screeningID = r.Screening
		}
		if r.Rating != nil {
			p.Ratings = append(p.Ratings, *r.Rating)
		}
	}
	sortRatings(p.Ratings)
	if screeningID != "" {
		ss, err := src.Session(ctx, screeningID)
		if err == nil {
			if d, err := Open(ctx, src, ss, key, cat); err == nil {
				p.Identity = d.Identity
			}
		}
	}
	return p, nil
}

// Identity is who the patient said they were at screening (empty when
// the screening is gone).
func (p Patient) Identity() screening.Identity {
	if p.Screening == nil {
		return screening.Identity{}
	}
	return p.Screening.Identity
}

// Flags are the trend's flags up to now.
func (p Patient) Flags(now time.Time, loc *time.Location) []trend.Flag {
	return trend.Flags(p.Points, p.Plan, now, loc)
}

// Measures are the results of every scored instrument the patient
// answered, at the screening and each check-in, for the check-in
// report's charts over time (it draws the PHQ-9 and the BAM).
func (p Patient) Measures() []report.Measure {
	var out []report.Measure
	visits := p.Checkins
	if p.Screening != nil {
		visits = append([]Detail{*p.Screening}, visits...)
	}
	for _, d := range visits {
		at := d.At()
		for _, r := range d.Visit.Session.Results(at) {
			if r.Instrument.Scoring != nil && !r.Skipped {
				out = append(out, report.Measure{At: at, Result: r})
			}
		}
	}
	return out
}

// ScreeningChoices returns the labels the patient chose at screening for
// a kratom profile item ("triggers", "coping").
func (p Patient) ScreeningChoices(item string) []string {
	if p.Screening == nil {
		return nil
	}
	return choiceLabels(p.Screening.Visit.Session, "kratom", item)
}

// PointOf reads a check-in's answers into a point on the trend.
func PointOf(d Detail) trend.Point {
	pt := trend.Point{Session: d.Session.ID, At: d.At(), Craving: -1, Doses: -1, Sleep: -1, Grams: -1}
	sess := d.Visit.Session
	if a, ok := answer(sess, "checkin_use", "last_dose"); ok && a.Time != nil {
		pt.LastDose = *a.Time
	}
	if a, ok := answer(sess, "checkin_use", "grams"); ok && a.Number != nil {
		pt.Grams = *a.Number
	} else if _, asked := sess.Step(screening.Key{Instrument: "checkin_use", Item: "grams"}, pt.At); !asked && !pt.LastDose.IsZero() {
		// not asked after a last dose over a day before the check-in:
		// none in the last 24 hours, not an amount missing
		pt.Grams = 0
	}
	if a, ok := answer(sess, "checkin_use", "doses"); ok && a.Number != nil {
		pt.Doses = int(*a.Number)
	} else if pt.Grams == 0 {
		pt.Doses = 0 // skipped: no kratom, no doses
	}
	if a, ok := answer(sess, "checkin_day", "sleep"); ok && a.Number != nil {
		pt.Sleep = *a.Number
	}
	if a, ok := answer(sess, "checkin_day", "craving"); ok && a.Number != nil {
		pt.Craving = int(*a.Number)
	}
	if ls := choiceLabels(sess, "checkin_day", "mood"); len(ls) > 0 {
		pt.Mood = ls[0]
	}
	pt.Triggers = choiceLabels(sess, "checkin_day", "triggers")
	if a, ok := answer(sess, "checkin_day", "trigger_other"); ok && strings.TrimSpace(a.Text) != "" {
		pt.Triggers = append(slices.DeleteFunc(pt.Triggers, func(l string) bool { return l == otherLabel(sess, "checkin_day", "triggers") }),
			strings.TrimSpace(a.Text))
	}
	pt.Helped = choiceLabels(sess, "checkin_day", "helped")
	if a, ok := answer(sess, "checkin_day", "note"); ok {
		pt.Note = strings.TrimSpace(a.Text)
	}
	for _, r := range sess.Results(pt.At) {
		if r.Instrument.ID == "sows" && r.Scored && !r.Skipped {
			pt.Withdrawal, pt.Scored = r.Total, true
		}
	}
	return pt
}

// answer is the answer to an item asked in the session, not declined.
func answer(sess *screening.Session, inst, item string) (screening.Answer, bool) {
	a, ok := sess.Answer(screening.Key{Instrument: inst, Item: item})
	if !ok || a.Declined {
		return screening.Answer{}, false
	}
	if _, asked := sess.Step(a.Key(), a.At); !asked {
		return screening.Answer{}, false
	}
	return a, true
}

// choiceLabels are the English labels of the options chosen for an item,
// leaving out an exclusive "none of these".
func choiceLabels(sess *screening.Session, inst, item string) []string {
	a, ok := answer(sess, inst, item)
	if !ok {
		return nil
	}
	in, ok := sess.Catalog().Instrument(inst)
	if !ok {
		return nil
	}
	it, ok := in.Item(item)
	if !ok {
		return nil
	}
	var out []string
	for _, v := range append([]string{a.Choice}, a.Choices...) {
		if o, ok := it.Option(v); ok && !o.Exclusive {
			out = append(out, o.Label.In("en"))
		}
	}
	return out
}

// otherLabel is the label of an item's "other" option.
func otherLabel(sess *screening.Session, inst, item string) string {
	in, ok := sess.Catalog().Instrument(inst)
	if !ok {
		return ""
	}
	it, ok := in.Item(item)
	if !ok {
		return ""
	}
	if o, ok := it.Option("other"); ok {
		return o.Label.In("en")
	}
	return ""
}

// grams writes a number without a needless ".0".
func grams(g float64) string { return screening.FormatNumber(g, 1) }
