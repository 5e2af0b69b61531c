// Package demo makes synthetic patients: screening sessions answered
// across every band, some urgent, with names from the clinic's community
// (Spanish names with accents among them). The kiosk's --demo mode fills
// its throwaway database with them so anyone can try the staff side, and
// tests and benchmarks use them as realistic data. Nothing here is a real
// person.
package demo

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/consent"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
)

// FHIRBase is the fhir_base setting of a demo database (the kiosk's
// --demo, kioskctl demo on a database without one, the tests): a made-up
// clinic's FHIR base on the project's own name, never a domain reserved
// for examples, which the setting refuses.
const FHIRBase = "https://demo.intakekiosk.org/fhir"

// Generator answers sessions over a catalog with its random source.
type Generator struct {
	Catalog *screening.Catalog
	Rand    *rand.Rand
	// Consent, when set, is the form every synthetic patient signs at a
	// screening: the single consent for treatment, payment and health
	// care operations, with a drawn signature (nil: no consent asked).
	Consent *consent.Form
	// Schedule and Asked, when Asked is set, have a check-in ask what the
	// schedule has due for its patient, as the kiosk does: from Asked (by
	// patient, the day each instrument was last asked), which each
	// check-in moves on. Without Asked a check-in asks every check-in
	// instrument.
	Schedule screening.Schedule
	Asked    map[string]map[string]string
}

var (
	firstNames = []string{"Ana", "José", "María José", "Luis", "Carmen", "Iñaki", "Lucía", "Daniel", "Sofía", "Miguel",
		"Jessica", "Kevin", "Ashley", "Tyler", "Brittany", "Marcus", "Nguyễn", "Ramón", "Begoña", "Andrés"}
	lastNames = []string{"Ruiz", "Núñez", "Peña-Ibáñez", "García", "Martínez", "O'Brien", "Smith", "Johnson", "Zúñiga",
		"Hernández", "López", "Williams", "Brown", "Castañeda", "Muñoz", "Davis", "Lee", "Pérez", "Nakamura", "Ortega"}
	// typical ranges, low to high use, of the kratom profile's numbers
	typical = map[string][2]float64{"doses_per_day": {1, 8}, "grams_per_day": {2, 40}}
	// what patients write at a check-in
	itemTexts = map[string][]string{
		"trigger_other": {"My cousin came over", "Payday", "Could not sleep", "Saw the shop on my way"},
		"note":          {"Slept badly, legs restless", "Better today", "Can we talk about clonidine?", "Hard day at work", "Walked with my sister"},
	}
	texts = []string{"Clonidine 0.1 mg", "Ibuprofeno según necesite", "none", "Sertraline 50 mg daily", "Gabapentina 300 mg"}
)

// Identity returns a synthetic name and date of birth (ages 19 to 65 at
// now).
func (g Generator) Identity(now time.Time) screening.Identity {
	r := g.Rand
	birth := now.AddDate(-19-r.IntN(47), 0, -r.IntN(365))
	return screening.Identity{First: firstNames[r.IntN(len(firstNames))], Last: lastNames[r.IntN(len(lastNames))],
		Birth: birth.Format(time.DateOnly)}
}

// Screening answers a whole screening session started at started, as a
// patient whose symptoms sit at severity (0 none, 1 the most) would,
// taking about 20 seconds a question. The session is new, urgent when its
// answers raise an urgent flag; the caller may change its status.
func (g Generator) Screening(id string, started time.Time, severity float64) (sqlite.NewSession, error) {
	ns := sqlite.NewSession{ID: id, Kind: intakekiosk.Screening, Status: intakekiosk.New, Started: started}
	idt := g.Identity(started)
	at := started.Add(40 * time.Second)
	if f := g.Consent; f != nil {
		c := Signed(f)
		ns.Records = append(ns.Records, intakekiosk.Record{Recorded: started.Add(20 * time.Second), Payload: intakekiosk.Payload{Consent: &c}})
	}
	ns.Records = append(ns.Records, intakekiosk.Record{Recorded: at, Payload: intakekiosk.Payload{Identity: &idt}})
	s := screening.NewSession(g.Catalog, nil)
	for {
		st, ok := s.NextUnanswered(screening.Key{}, at)
		if !ok {
			break
		}
		at = at.Add(time.Duration(8+g.Rand.IntN(25)) * time.Second)
		a := g.answer(st, severity, at)
		if _, err := s.Set(a, at); err != nil {
			return ns, fmt.Errorf("demo answer %s: %w", a.Key(), err)
		}
		ns.Records = append(ns.Records, intakekiosk.Record{Recorded: at, Payload: intakekiosk.Payload{Answer: &a}})
	}
	help := severity > 0.8 && g.Rand.IntN(4) == 0
	if help {
		ns.Records = append(ns.Records, intakekiosk.Record{Recorded: at, Payload: intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}})
	}
	ns.Completed = at.Add(30 * time.Second)
	ns.Urgent, ns.Attention = intakekiosk.Raised(intakekiosk.Concerns(s, help, false, ns.Completed))
	return ns, nil
}

// Signed is a synthetic patient's consent to f: the single consent for
// treatment, payment and health care operations to the form's
// recipients, signed with a drawn scribble (the same for everyone: the
// random source is left as it was).
func Signed(f *consent.Form) consent.Signed {
	var stroke consent.Stroke
	for i := range 40 {
		x := 60 + i*22
		y := 150 + int(90*math.Sin(float64(i)/3))
		stroke = append(stroke, x, y)
	}
	return consent.Signed{Form: f.ID, Version: f.Version, Lang: f.Language, Hash: f.Hash(), Text: f.Text(),
		TPO: true, Recipients: f.Recipients,
		Signature: consent.Signature{W: 1000, H: 300, Strokes: []consent.Stroke{stroke, {80, 260, 940, 260}}}}
}

// answer gives an answer to one question at about the severity asked.
func (g Generator) answer(st screening.Step, severity float64, at time.Time) screening.Answer {
	r := g.Rand
	it := st.Item
	a := screening.Answer{Instrument: st.Instrument.ID, Item: it.ID, At: at}
	// each answer strays a little from the patient's severity
	sev := math.Min(1, math.Max(0, severity+(r.Float64()-0.5)*0.4))
	if a.Item == "mood" {
		// moods are listed worst first
		sev = 1 - sev
	}
	if (a.Instrument == "phq9" && a.Item == "9") || a.Instrument == "checkin_safety" {
		// thoughts of self-harm: only among the most severe, as in a
		// clinic's waiting room (about one patient in six)
		sev = math.Max(0, sev-0.55) * 2
	}
	if bamProtective(st.Instrument, it.ID) {
		// the BAM's protective factors grow as the patient recovers
		sev = 1 - sev
	}
	switch it.Kind {
	case screening.Single:
		opts := it.Options
		if len(opts) == 0 {
			a.Declined = true
			break
		}
		// options are listed mildest first in every instrument, except
		// yes/no items, which list "yes" first and take it only at high
		// severity
		i := min(int(sev*float64(len(opts))), len(opts)-1)
		if yes := slices.IndexFunc(opts, func(o screening.Option) bool { return o.Value == "yes" }); yes >= 0 && len(opts) > 1 {
			// the first other answer ("no"), "yes" only when severe
			i = 0
			if yes == 0 {
				i = 1
			}
			if sev > 0.85 {
				i = yes
			}
		}
		a.Choice = opts[i].Value
	case screening.Multi:
		var regular []string
		var none string
		for _, o := range it.Options {
			if o.Exclusive {
				none = o.Value
			} else {
				regular = append(regular, o.Value)
			}
		}
		for _, v := range regular {
			if r.Float64() < sev*0.5 {
				a.Choices = append(a.Choices, v)
			}
		}
		if len(a.Choices) == 0 {
			if none != "" {
				a.Choices = []string{none}
			} else if len(regular) > 0 {
				a.Choices = []string{regular[r.IntN(len(regular))]}
			}
		}
	case screening.Number:
		lo, hi := 0.0, 30.0
		if it.Min != nil {
			lo = *it.Min
		}
		if it.Max != nil {
			hi = math.Min(*it.Max, lo+40)
		}
		if t, ok := typical[it.ID]; ok {
			lo, hi = t[0], t[1]
		}
		n := lo + (hi-lo)*(0.3*r.Float64()+0.7*sev)
		if st.Instrument.ID == bamID {
			// days of the last 30: few but at the worst
			n = math.Min(hi, (hi-lo)*sev*sev*(0.6+0.8*r.Float64()))
		}
		p := math.Pow(10, float64(it.Decimals))
		n = math.Round(n*p) / p
		a.Number = &n
	case screening.When:
		h := float64(6 + r.IntN(90))
		t := at.Add(-time.Duration(h) * time.Hour).UTC()
		a.Time, a.Given, a.Amount = &t, "hours", h
	case screening.Free:
		list := texts
		if l, ok := itemTexts[it.ID]; ok {
			list = l
		}
		a.Text = list[r.IntN(len(list))]
	}
	return a
}

// checkinTime is more than a synthetic check-in takes, however many
// questions it asks.
const checkinTime = 30 * time.Minute

// bamID is the Brief Addiction Monitor's id in the built-in files.
const bamID = "bam"

// bamProtective says whether an item is among the BAM's protective
// factors (its subscore "protective"), which a recovering patient has more
// of.
func bamProtective(in *screening.Instrument, item string) bool {
	if in.ID != bamID || in.Scoring == nil {
		return false
	}
	for _, sub := range in.Scoring.Subscores {
		if sub.ID == "protective" && slices.Contains(sub.Items, item) {
			return true
		}
	}
	return false
}

// Checkin answers a returning patient's check-in at at: the last dose
// they report, the grams in the last 24 hours, withdrawal, sleep and
// craving at about severity, a trigger or two, what helped; and, on a
// schedule (Asked), what it has due at about severity too.
func (g Generator) Checkin(id, patient string, at, lastDose time.Time, grams, severity float64) (sqlite.NewSession, error) {
	ns := sqlite.NewSession{ID: id, Kind: intakekiosk.Checkin, Status: intakekiosk.New, Started: at, PatientID: patient}
	s := screening.NewSessionFor(g.Catalog, screening.ForCheckin, nil)
	var asks []string
	if g.Asked != nil {
		day := screening.Day(at, at.Location())
		asks = g.Schedule.Plan(g.Catalog, g.Asked[patient], day)
		s = screening.NewSessionOf(g.Catalog, asks)
		ns.Records = append(ns.Records, intakekiosk.Record{Recorded: at, Payload: intakekiosk.Payload{Event: intakekiosk.Event{Asks: asks}}})
		if g.Asked[patient] == nil {
			g.Asked[patient] = map[string]string{}
		}
		for _, in := range asks {
			g.Asked[patient][in] = day
		}
	}
	t := at.Add(20 * time.Second)
	for {
		st, ok := s.NextUnanswered(screening.Key{}, t)
		if !ok {
			break
		}
		t = t.Add(time.Duration(6+g.Rand.IntN(15)) * time.Second)
		a := g.answer(st, severity, t)
		switch st.Key() {
		case screening.Key{Instrument: "checkin_use", Item: "last_dose"}:
			h := t.Sub(lastDose).Hours()
			ld := lastDose.UTC()
			a = screening.Answer{Instrument: "checkin_use", Item: "last_dose", Time: &ld, Given: "hours", Amount: math.Round(h), At: t}
		case screening.Key{Instrument: "checkin_use", Item: "grams"}:
			n := grams
			a.Number = &n
		case screening.Key{Instrument: "checkin_day", Item: "sleep"}:
			n := math.Round((8-6*severity+g.Rand.Float64())*2) / 2
			a.Number = &n
		case screening.Key{Instrument: "checkin_day", Item: "craving"}:
			n := math.Min(10, math.Round(10*severity+g.Rand.Float64()*2-1))
			n = math.Max(0, n)
			a.Number = &n
		}
		if _, err := s.Set(a, t); err != nil {
			return ns, fmt.Errorf("demo check-in answer %s: %w", a.Key(), err)
		}
		ns.Records = append(ns.Records, intakekiosk.Record{Recorded: t, Payload: intakekiosk.Payload{Answer: &a}})
	}
	ns.Completed = t.Add(20 * time.Second)
	ns.Urgent, ns.Attention = intakekiosk.Raised(intakekiosk.Concerns(s, false, false, ns.Completed))
	return ns, nil
}

// Reviewer is the staff member the demo clinic's sessions were reviewed by.
const Reviewer = "demo"

// Clinic makes n screening sessions of the fortnight before now, a third
// of them today (still new), the rest reviewed (half of them printed); severities
// spread across every band, and about one in ten left incomplete.
func (g Generator) Clinic(now time.Time, n int) ([]sqlite.NewSession, error) {
	r := g.Rand
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var out []sqlite.NewSession
	for i := range n {
		var started time.Time
		if i%3 == 0 {
			// today, before now
			since := now.Sub(day)
			if since < time.Hour {
				since = time.Hour
			}
			started = now.Add(-time.Duration(r.Int64N(int64(since))))
		} else {
			started = day.AddDate(0, 0, -1-r.IntN(13)).Add(time.Duration(8*60+r.IntN(9*60)) * time.Minute)
		}
		// most patients are mild to moderate; a few are severe
		sev := math.Pow(r.Float64(), 1.7)
		ns, err := g.Screening(SessionID(started, fmt.Sprintf("demo-%s-%04d", started.Format("20060102-1504"), i)), started, sev)
		if err != nil {
			return nil, err
		}
		switch {
		case r.IntN(10) == 0:
			// walked away part way
			keep := 1 + r.IntN(len(ns.Records)-1)
			ns.Records = ns.Records[:keep]
			ns.Completed, ns.Status = time.Time{}, intakekiosk.Incomplete
		case i%3 != 0:
			// reviewed by the demo counselor, and half of them printed
			ns.Reviewed, ns.ReviewedBy = ns.Completed.Add(time.Duration(5+r.IntN(120))*time.Minute), Reviewer
			if r.IntN(2) == 0 {
				ns.Printed = ns.Reviewed.Add(time.Minute)
			}
		}
		out = append(out, ns)
	}
	return out, nil
}

// Detox makes the check-ins of a patient who took the last dose at
// lastDose: about one a day for days days (one day in five missed), the
// withdrawal following the usual course, worst on days 2-3 and easing
// after; none after now.
func (g Generator) Detox(patient string, lastDose time.Time, days int, now time.Time) ([]sqlite.NewSession, error) {
	var out []sqlite.NewSession
	for d := range days {
		at := lastDose.Add(time.Duration(d)*24*time.Hour + time.Duration(14+g.Rand.IntN(8))*time.Hour)
		if at.Add(checkinTime).After(now) {
			break // none after now, nor one still being answered
		}
		if d > 0 && g.Rand.IntN(5) == 0 {
			continue
		}
		day := at.Sub(lastDose).Hours() / 24
		sev := 0.1 + 0.75*math.Exp(-(day-2.5)*(day-2.5)/(2*1.8*1.8))
		ns, err := g.Checkin(SessionID(at, fmt.Sprintf("%s-d%02d", patient, d)), patient, at, lastDose, 0, sev)
		if err != nil {
			return nil, err
		}
		out = append(out, ns)
	}
	return out, nil
}

// Taper makes the daily check-ins of a patient on a taper plan for days
// days (none after now): the dose taken near the plan's, now and then
// above it; mild withdrawal that rises a little after each step down.
func (g Generator) Taper(patient string, plan trend.Plan, days int, now time.Time) ([]sqlite.NewSession, error) {
	var out []sqlite.NewSession
	for d := range days {
		at := plan.Start.Add(time.Duration(d)*24*time.Hour + time.Duration(9+g.Rand.IntN(9))*time.Hour)
		if at.Add(checkinTime).After(now) {
			break // none after now, nor one still being answered
		}
		planned, _ := plan.DoseOn(at, at.Location())
		took := planned
		if g.Rand.IntN(4) == 0 {
			took = math.Round(planned*1.2*10) / 10
		}
		sev := 0.15 + 0.1*float64(d%max(1, plan.EveryDays))
		lastDose := at.Add(-time.Duration(4+g.Rand.IntN(10)) * time.Hour)
		ns, err := g.Checkin(SessionID(at, fmt.Sprintf("%s-t%02d", patient, d)), patient, at, lastDose, took, sev)
		if err != nil {
			return nil, err
		}
		out = append(out, ns)
	}
	return out, nil
}

// Recovery makes the check-ins of a patient weeks into recovery, the last
// dose the day before start: about one a day from start for weeks weeks
// (one day in six missed, never the first), none after now, their
// severity easing from 0.7 to about 0.15, so that the PHQ-9 and BAM the
// schedule asks fall week by week. Check-ins before today are reviewed.
func (g Generator) Recovery(patient string, start time.Time, weeks int, now time.Time) ([]sqlite.NewSession, error) {
	var out []sqlite.NewSession
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	lastDose := start.Add(-36 * time.Hour)
	for d := range weeks * 7 {
		at := start.AddDate(0, 0, d).Add(time.Duration(9*60+g.Rand.IntN(8*60)) * time.Minute)
		if at.Add(checkinTime).After(now) {
			break // none after now, nor one still being answered
		}
		if d > 0 && g.Rand.IntN(6) == 0 {
			continue
		}
		sev := 0.15 + 0.55*math.Exp(-float64(d)/21)
		ns, err := g.Checkin(SessionID(at, fmt.Sprintf("%s-r%02d", patient, d)), patient, at, lastDose, 0, sev)
		if err != nil {
			return nil, err
		}
		if ns.Started.Before(day) {
			ns.Reviewed, ns.ReviewedBy = ns.Completed.Add(time.Duration(20+g.Rand.IntN(200))*time.Minute), Reviewer
		}
		out = append(out, ns)
	}
	return out, nil
}

// SessionID is a session id of the form the kiosk makes (a UUIDv7, which
// a transfer bundle's reader requires) for a session started at started,
// its other bits from name, so that the demo's ids are the same every run.
func SessionID(started time.Time, name string) string {
	sum := sha256.Sum256([]byte(name))
	var id uuid.UUID
	copy(id[:], sum[:])
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(started.UnixMilli()))
	copy(id[:6], ms[2:])
	id[6] = 0x70 | id[6]&0x0f // version 7
	id[8] = 0x80 | id[8]&0x3f // RFC 4122 variant
	return id.String()
}
