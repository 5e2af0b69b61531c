package report

import (
	"errors"
	"slices"
	"time"

	"intakekiosk/screening"
)

// Note is a counselor's note printed with the summary.
type Note struct {
	At       time.Time
	By, Text string
}

// Facts are the words of a summary without the page: what a staff screen
// shows so that it says exactly what the PDF prints.
type Facts struct {
	// Name, Birth ("Born Mar 7, 1985 (age 41)") and Visit (date and time).
	Name, Birth, Visit string
	// Incomplete says the patient did not submit the session.
	Incomplete bool
	// Urgent says why the session is urgent; empty when it is not.
	Urgent []string
	// Scores has one entry per scored instrument.
	Scores []ScoreFact
	// RedFlags are the reasons for medical supervision; Other the other
	// flags raised.
	RedFlags, Other []FlagFact
	// Kratom is the kratom use profile in sentences (the last dose and
	// where it falls on the usual withdrawal course first).
	Kratom []string
	// Instruments lists every instrument's questions and answers.
	Instruments []InstrumentFacts
}

// ScoreFact is one instrument's score.
type ScoreFact struct {
	// Code is the short name ("PHQ-9").
	Code string
	// Total and Max; meaningful when Scored.
	Total, Max int
	Scored     bool
	Skipped    bool
	// Band is the severity band's label, Level its concern 0-4.
	Band  string
	Level int
	// Words is the score in words: "Total 14 of 27: Moderate",
	// "Not scored: item 9 skipped".
	Words string
}

// FlagFact is a flag raised and the answers that raised it.
type FlagFact struct {
	Label    string
	Evidence string
}

// InstrumentFacts is one instrument's questions and answers.
type InstrumentFacts struct {
	Code, Title, Total string
	Items              []ItemFact
}

// ItemFact is one question and the patient's answer in their words.
type ItemFact struct {
	Number   int
	Question string
	Answer   []string
	// Asked is false when branching skipped the item; Answered is false
	// when it was asked and left unanswered or declined.
	Asked, Answered bool
	// Points is the item's score ("" when not scored).
	Points string
	// Flagged marks an answer that raised a flag.
	Flagged bool
}

// Describe returns the words of the summary of in.
func Describe(in Input) (Facts, error) {
	if in.Session == nil {
		return Facts{}, errors.New("report: no session given")
	}
	if in.Generated.IsZero() {
		in.Generated = time.Unix(0, 0)
	}
	d := newWords(in)
	f := Facts{Name: d.name(), Birth: d.birthLine(), Visit: d.visitLine(),
		Incomplete: in.Completed.IsZero(), Urgent: d.urgentLines()}
	for _, r := range d.results {
		in := r.Instrument
		if in.Scoring != nil {
			s := ScoreFact{Code: d.code(in), Total: r.Total, Max: in.Scoring.Max, Scored: r.Scored && !r.Skipped,
				Skipped: r.Skipped, Words: d.totalWords(r)}
			if r.Band != nil {
				s.Band, s.Level = r.Band.Label.In(d.lang), r.Band.Level
			}
			f.Scores = append(f.Scores, s)
		}
		f.Instruments = append(f.Instruments, d.instrumentFacts(r))
	}
	f.RedFlags, f.Other = d.flagFacts()
	if lines, last := d.kratomProfile(); lines != nil {
		f.Kratom = lines
		if last != nil {
			f.Kratom = append(f.Kratom, "The last dose falls "+courseWords(d.hoursBefore(*last))+".")
		}
	}
	return f, nil
}

// flagFacts lists the red flags and the other flags raised (urgent and
// crisis flags that are not red flags are in the banner).
func (d *doc) flagFacts() (red, other []FlagFact) {
	for _, r := range d.results {
		for _, f := range r.Flags {
			e := FlagFact{f.Label.In(d.lang), joinAnd(d.trigger(r, f, false))}
			if f.RedFlag {
				red = append(red, e)
			} else if !f.Urgent && !f.Crisis {
				other = append(other, e)
			}
		}
	}
	return red, other
}

// instrumentFacts lists one instrument's questions and answers.
func (d *doc) instrumentFacts(r screening.Result) InstrumentFacts {
	in := r.Instrument
	out := InstrumentFacts{Code: d.code(in), Title: d.longName(in), Total: d.totalWords(r)}
	if r.Skipped {
		return out
	}
	flagged := d.flaggedItems(r)
	for i := range in.Items {
		it := &in.Items[i]
		out.Items = append(out.Items, d.itemFact(in, it, flagged[it.ID]))
	}
	return out
}

// itemFact is one question and its answer in words.
func (d *doc) itemFact(in *screening.Instrument, it *screening.Item, flagged bool) ItemFact {
	k := screening.Key{Instrument: in.ID, Item: it.ID}
	_, asked := d.asked[k]
	a, answered := d.in.Session.Answer(k)
	f := ItemFact{Number: itemNumber(in, it), Question: it.Text.In(d.lang), Asked: asked, Flagged: flagged}
	switch {
	case !asked:
		f.Answer = []string{"Skipped by branching"}
	case !answered:
		f.Answer = []string{"Not answered"}
	case a.Declined:
		f.Answer = []string{"Prefer not to answer"}
	default:
		f.Answer, f.Answered = d.answerLines(it, a), true
	}
	if in.Scoring != nil && f.Answered && slices.Contains(in.Scoring.Items, it.ID) {
		if p, ok := itemPoints(in, it, a); ok {
			f.Points = itoa(p)
		}
	}
	return f
}
