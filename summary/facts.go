package summary

import (
	"intakekiosk/screening"
	"math"
	"slices"
	"strings"
	"time"
)

// Facts are the words of a summary without the page: what a staff screen
// shows so that it says exactly what the PDF prints.
type Facts struct {
	// Name, Birth ("Born Mar 7, 1985 (age 41)") and Visit (date and time).
	Name, Birth, Visit string
	// Incomplete says the patient did not submit the session.
	Incomplete bool
	// Urgent says why the session is urgent, Attention what to ask in
	// person, each most pressing first; empty when there is nothing.
	Urgent, Attention []string
	// Why is each reason the session needs a person in a few words, most
	// pressing first (Sheet.Why: the queue row leads with them).
	Why []string
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
	// Caution says why the score may read lower than the patient's use
	// (Sheet.Caution); empty when there is nothing to say.
	Caution string
	// Written says, for a paper form typed in, that its branching was not
	// followed: which items were answered although the form skips them,
	// each counted as written (Sheet.NotFollowed); empty otherwise.
	Written string
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
	Number   string
	Question string
	// Answer is the answer in lines (the PDF's table); Line the same on
	// one line (the screens): choices joined with commas, an instant
	// with its date and time after it.
	Answer []string
	Line   string
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
		return Facts{}, ErrNoSession
	}
	if in.Generated.IsZero() {
		in.Generated = time.Unix(0, 0)
	}
	sh := New(in)
	f := Facts{Name: sh.Name(), Birth: sh.Birth(), Visit: sh.Visit(),
		Incomplete: in.Completed.IsZero(), Urgent: sh.Urgent(), Attention: sh.Attention()}
	for _, r := range sh.Reasons() {
		f.Why = append(f.Why, sh.Why(r))
	}
	for _, r := range sh.results {
		in := r.Instrument
		if in.Scoring != nil {
			s := ScoreFact{Code: sh.Code(in), Total: r.Total, Max: in.Scoring.Max, Scored: r.Scored && !r.Skipped, Caution: sh.Caution(r),
				Skipped: r.Skipped, Words: sh.Total(r), Written: sh.NotFollowed(r)}
			if r.Band != nil {
				s.Band, s.Level = r.Band.Label.In(staff), r.Band.Level
			}
			for _, sub := range r.Subscores {
				if in.Scoring.NoTotal && sub.Band != nil {
					s.Level = max(s.Level, sub.Band.Level)
				}
			}
			f.Scores = append(f.Scores, s)
		}
		f.Instruments = append(f.Instruments, sh.instrumentFacts(r))
	}
	f.RedFlags, f.Other = sh.FlagFacts()
	if lines, last := sh.Kratom(); lines != nil {
		f.Kratom = lines
		if last != nil {
			f.Kratom = append(f.Kratom, sh.T("staff.summary.the_last_dose_falls")+sh.CourseWords(sh.HoursBefore(*last))+".")
		}
	}
	return f, nil
}

// FlagFacts lists the red flags and the other flags raised, the safety
// flags (the suicide item, its decline) first in each (urgent, crisis and
// attention flags that are not red flags are in the banners).
func (sh *Sheet) FlagFacts() (red, other []FlagFact) {
	for _, safety := range []bool{true, false} {
		for _, r := range sh.results {
			for _, f := range r.Flags {
				if f.Safety != safety {
					continue
				}
				e := FlagFact{f.Label.In(staff), sh.JoinAnd(sh.Trigger(r, f, false))}
				if f.RedFlag {
					red = append(red, e)
				} else if !f.Urgent && !f.Crisis && !f.Attention {
					other = append(other, e)
				}
			}
		}
	}
	return red, other
}

// instrumentFacts lists one instrument's questions and answers.
func (sh *Sheet) instrumentFacts(r screening.Result) InstrumentFacts {
	in := r.Instrument
	out := InstrumentFacts{Code: sh.Code(in), Title: sh.LongName(in), Total: sh.Total(r)}
	if r.Skipped {
		return out
	}
	flagged := sh.FlaggedItems(r)
	for i := range in.Items {
		it := &in.Items[i]
		out.Items = append(out.Items, sh.ItemFact(in, it, flagged[it.ID]))
	}
	return out
}

// ItemFact is one question and its answer in words.
func (sh *Sheet) ItemFact(in *screening.Instrument, it *screening.Item, flagged bool) ItemFact {
	k := screening.Key{Instrument: in.ID, Item: it.ID}
	_, asked := sh.asked[k]
	a, answered := sh.in.Session.Answer(k)
	f := ItemFact{Number: ItemNumber(in, it), Question: it.Text.In(staff), Asked: asked, Flagged: flagged}
	switch {
	case !asked:
		f.Answer = []string{sh.T("staff.summary.skipped_by_branching")}
	case !answered:
		f.Answer = []string{sh.T("staff.summary.answer_not_answered")}
	case a.Declined:
		f.Answer = []string{sh.T("staff.summary.prefer_not_to_answer")}
	default:
		f.Answer, f.Answered = sh.AnswerLines(it, a), true
		if r, ok := sh.Result(in.ID); ok && slices.Contains(r.NotFollowed, it.ID) {
			f.Answer = append(f.Answer, sh.T("staff.summary.answered_as_written"))
		}
	}
	f.Line = strings.Join(f.Answer, ", ")
	if f.Answered && it.Said(a, staff).At != nil {
		f.Line = strings.Join(f.Answer, " ")
	}
	if in.Scoring != nil && f.Answered && slices.Contains(in.Scoring.Items, it.ID) {
		if p, ok := ItemPoints(in, it, a); ok {
			f.Points = itoa(p)
		}
	}
	return f
}

// ScoreNotes are the small lines under a score: subscores, the band set
// chosen, a scoring convention.
func (sh *Sheet) ScoreNotes(r screening.Result) []string {
	var notes []string
	if r.Skipped {
		return nil
	}
	for _, s := range r.Subscores {
		if r.Instrument.Scoring.NoTotal {
			break // they are the score line (Total)
		}
		n := s.Subscore.Label.In(staff) + ": "
		if !s.Scored {
			n += sh.T("staff.summary.subscore_not_scored")
		} else {
			n += itoa(s.Total)
			if s.Band != nil {
				n += ", " + s.Band.Label.In(staff)
			}
		}
		notes = append(notes, n)
	}
	if note := r.BandNote.In(staff); note != "" {
		notes = append(notes, note+".")
	}
	if c := r.Instrument.Scoring.Convention; c != "" {
		notes = append(notes, sh.T("staff.summary.convention")+c)
	}
	if c := sh.Caution(r); c != "" {
		notes = append(notes, c)
	}
	if w := sh.NotFollowed(r); w != "" {
		notes = append(notes, w)
	}
	return notes
}

// NotFollowed says that a paper form's branching was not followed: "From
// a paper form: items 2 and 3 were answered although the form skips them;
// they are counted as written." "" when every answer is one the form asks.
func (sh *Sheet) NotFollowed(r screening.Result) string {
	if len(r.NotFollowed) == 0 {
		return ""
	}
	var ns []string
	for _, id := range r.NotFollowed {
		if it, ok := r.Instrument.Item(id); ok {
			ns = append(ns, ItemNumber(r.Instrument, it))
		}
	}
	if len(ns) == 1 {
		return sh.T("staff.summary.not_followed_one", ns[0])
	}
	return sh.T("staff.summary.not_followed", strings.Join(ns[:len(ns)-1], ", ")+sh.T("staff.summary.and")+ns[len(ns)-1])
}

// Caution says why a score may read lower than the patient's use: a
// DAST-10 of none or low while the withdrawal score (SOWS moderate or
// worse) or daily kratom use shows dependence, because a patient may not
// count kratom as a drug. "" when there is nothing to say.
func (sh *Sheet) Caution(r screening.Result) string {
	if r.Instrument.ID != dastID || !r.Scored || r.Skipped || r.Band == nil || r.Band.Level > 1 {
		return ""
	}
	if s, ok := sh.Result(sowsID); ok && s.Scored && !s.Skipped && s.Band != nil && s.Band.Level >= 2 {
		return sh.T("staff.summary.dast_low_sows", s.Total)
	}
	if in, ok := sh.in.Session.Catalog().Instrument(kratomID); ok {
		if it, a, ok := sh.answer(in, "doses_per_day"); ok && !a.Declined && a.Number != nil && *a.Number >= 1 {
			return sh.T("staff.summary.dast_low_kratom", screening.FormatNumber(*a.Number, it.Decimals))
		}
	}
	return ""
}

// The instruments a caution reads, by id in the built-in files.
const (
	dastID = "dast10"
	sowsID = "sows"
)

// JoinAnd joins clauses: "a; b and c".
func (sh *Sheet) JoinAnd(ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	return strings.Join(ss[:len(ss)-1], "; ") + sh.T("staff.summary.and") + ss[len(ss)-1]
}

// Hours is a duration in hours for the course line: "20 hours", "3
// days".
func (sh *Sheet) Hours(h float64) string {
	switch {
	case h < 1:
		return sh.T("staff.summary.less_than_an_hour")
	case h < 48:
		return Plural(int(math.Round(h)), sh.T("staff.summary.hour"), sh.T("staff.summary.hours"))
	default:
		return Plural(int(math.Round(h/24)), sh.T("staff.summary.day"), sh.T("staff.summary.days"))
	}
}

// Total is the score line beside an instrument's title.
func (sh *Sheet) Total(r screening.Result) string {
	in := r.Instrument
	switch {
	case r.Skipped:
		return sh.T("staff.summary.skipped_by_branching")
	case in.Scoring == nil:
		return sh.T("staff.summary.instrument_not_scored")
	case in.Scoring.NoTotal:
		return sh.subscoreLine(r)
	case !r.Scored:
		m := []rune(sh.Missing(r))
		m[0] = 'N'
		return string(m)
	}
	s := sh.T("staff.summary.total_line", r.Total, in.Scoring.Max)
	if r.Band != nil {
		s += ": " + r.Band.Label.In(staff)
	}
	return s
}

// subscoreLine is the score line of an instrument without a total: each
// subscore with its range and band ("Use 2 of 12: use reported; …"), the
// items missing after them.
func (sh *Sheet) subscoreLine(r screening.Result) string {
	var parts []string
	for _, s := range r.Subscores {
		_, hi := r.Instrument.SubscoreRange(s.Subscore)
		p := sh.T("staff.summary.subscore_of", s.Subscore.Label.In(staff), s.Total, hi)
		switch {
		case !s.Scored:
			p = s.Subscore.Label.In(staff) + " " + sh.T("staff.summary.subscore_not_scored")
		case s.Band != nil:
			p += ": " + s.Band.Label.In(staff)
		}
		parts = append(parts, p)
	}
	line := strings.Join(parts, "; ")
	if !r.Scored {
		line += " (" + sh.Missing(r) + ")"
	}
	return line
}

// FlaggedItems returns the items whose answers raised a flag.
func (sh *Sheet) FlaggedItems(r screening.Result) map[string]bool {
	items := map[string]bool{}
	for _, f := range r.Flags {
		f.When.Tests(func(rule *screening.Rule, negated bool) {
			if !negated && rule.Item != "" && (rule.Instrument == "" || rule.Instrument == r.Instrument.ID) {
				items[rule.Item] = true
			}
		})
	}
	return items
}

// ItemPoints is what an answer scores, reverse-scored where the instrument
// says so (screening scores it).
func ItemPoints(in *screening.Instrument, it *screening.Item, a screening.Answer) (int, bool) {
	return in.ItemPoints(it, a)
}
