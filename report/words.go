package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"intakekiosk/screening"
	"intakekiosk/trend"
)

func itoa(n int) string { return strconv.Itoa(n) }

// name is the patient's full name as given.
func (d *doc) name() string {
	n := strings.TrimSpace(strings.TrimSpace(d.in.Identity.First) + " " + strings.TrimSpace(d.in.Identity.Last))
	if n == "" {
		return "Name not given"
	}
	return n
}

// birthLine is the date of birth and age at the visit.
func (d *doc) birthLine() string {
	b := strings.TrimSpace(d.in.Identity.Birth)
	if b == "" {
		return "Date of birth not given"
	}
	t, err := time.Parse(time.DateOnly, b)
	if err != nil {
		return "Date of birth " + b
	}
	return fmt.Sprintf("Born %s (age %d)", t.Format("Jan 2, 2006"), screening.Age(t, d.visit.In(d.loc)))
}

// visitStart is when the session began (or the best instant known).
func (d *doc) visitStart() time.Time {
	if !d.in.Started.IsZero() {
		return d.in.Started
	}
	return d.visit
}

// visitLine is the date and time of the visit.
func (d *doc) visitLine() string {
	start := d.visitStart()
	s := d.when(start, "Monday, January 2, 2006, 3:04 PM")
	if c := d.in.Completed; !c.IsZero() && !c.Equal(start) {
		if c.In(d.loc).YearDay() == start.In(d.loc).YearDay() && c.In(d.loc).Year() == start.In(d.loc).Year() {
			s += " to " + d.when(c, "3:04 PM")
		} else {
			s += " to " + d.when(c, "Jan 2, 3:04 PM")
		}
	}
	return s + " " + d.when(start, "MST")
}

// code is the instrument's short name for a clinician: the abbreviation in
// its title's last parentheses ("PHQ-9"), else its title.
func (d *doc) code(in *screening.Instrument) string {
	t := in.Title.In(d.lang)
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, "("); i >= 0 && len(t)-i <= 14 {
			return t[i+1 : len(t)-1]
		}
	}
	return t
}

// longName is the instrument's title without the abbreviation.
func (d *doc) longName(in *screening.Instrument) string {
	t := in.Title.In(d.lang)
	if c := d.code(in); c != t {
		t = strings.TrimSpace(strings.TrimSuffix(t, "("+c+")"))
	}
	return t
}

// itemNumber is an item's place in its instrument, 1-based.
func itemNumber(in *screening.Instrument, it *screening.Item) int {
	return slices.IndexFunc(in.Items, func(x screening.Item) bool { return x.ID == it.ID }) + 1
}

// answerText puts an answer in words. A "when" answer reads as the time
// before the patient answered, with the date and time in the display zone.
func (d *doc) answerText(it *screening.Item, a screening.Answer) string {
	said := it.Said(a, d.lang)
	switch {
	case said.Declined:
		return declinedWords
	case said.At != nil:
		return d.lastDoseWords(a) + " (" + d.when(*said.At, "Mon Jan 2, 3:04 PM") + ")"
	}
	return strings.Join(said.Words, "; ")
}

// declinedWords stand for a declined answer.
const declinedWords = "Prefer not to answer"

// answerLines puts an answer in words for the answer table: one line per
// option chosen, in the patient's language with the English after it; the
// time before the visit over the date and time of a "when" item; else
// the answer's words on one line.
func (d *doc) answerLines(it *screening.Item, a screening.Answer) []string {
	said := it.Said(a, d.lang)
	switch {
	case said.Declined:
		return []string{declinedWords}
	case said.At != nil:
		return []string{d.lastDoseWords(a), "(" + d.when(*said.At, "Mon Jan 2, 3:04 PM") + ")"}
	case it.Kind.HasOptions():
		return d.both(it, a)
	}
	return []string{strings.Join(said.Words, "; ")}
}

// both are the labels of the options chosen in the patient's language
// with the English after each, where they differ: "Varios días (Several
// days)".
func (d *doc) both(it *screening.Item, a screening.Answer) []string {
	en := it.Said(a, "en").Words
	if d.answerLang == "" || d.answerLang == "en" {
		return en
	}
	local := it.Said(a, d.answerLang).Words
	for i, s := range local {
		if s != en[i] {
			en[i] = s + " (" + en[i] + ")"
		}
	}
	return en
}

// answeredAt is when an answer was given (else the visit).
func (d *doc) answeredAt(a screening.Answer) time.Time {
	if a.At.IsZero() {
		return d.visit
	}
	return a.At
}

// hoursBefore is how long before the patient answered the instant of a
// "when" answer lies.
func (d *doc) hoursBefore(a screening.Answer) float64 {
	return a.HoursBefore(d.answeredAt(a))
}

// lastDoseWords says how long before the visit an instant was.
func (d *doc) lastDoseWords(a screening.Answer) string {
	return hoursWords(d.hoursBefore(a)) + " before the visit"
}

// answer returns the patient's answer to an item that was asked.
func (d *doc) answer(in *screening.Instrument, item string) (*screening.Item, screening.Answer, bool) {
	it, ok := in.Item(item)
	if !ok {
		return nil, screening.Answer{}, false
	}
	k := screening.Key{Instrument: in.ID, Item: item}
	if _, asked := d.asked[k]; !asked {
		return it, screening.Answer{}, false
	}
	a, ok := d.in.Session.Answer(k)
	return it, a, ok
}

// trigger says which answers or score raised a flag, for the banner and the
// flag list: "PHQ-9 item 9 (thoughts of being better off dead or of
// self-harm): Several days". withText adds the item's label or wording.
func (d *doc) trigger(r screening.Result, f *screening.Flag, withText bool) []string {
	var out []string
	seen := map[string]bool{}
	f.When.Tests(func(rule *screening.Rule, negated bool) {
		if negated {
			return
		}
		in := r.Instrument
		if rule.Instrument != "" && rule.Instrument != in.ID {
			other, ok := d.in.Session.Catalog().Instrument(rule.Instrument)
			if !ok {
				return
			}
			in = other
		}
		var s string
		switch {
		case rule.Score != "":
			res, ok := d.result(in.ID)
			if !ok || !res.Scored || rule.Score != "total" {
				return
			}
			s = fmt.Sprintf("%s total %d of %d", d.code(in), res.Total, in.Scoring.Max)
		case rule.Item != "":
			it, a, ok := d.answer(in, rule.Item)
			if !ok {
				return
			}
			s = fmt.Sprintf("%s item %d", d.code(in), itemNumber(in, it))
			if in.ClinicOwn && !withText {
				// the clinic's own items have no numbers a clinician knows
				s = "answer"
			}
			if withText {
				label := it.Label.In(d.lang)
				if label == "" {
					label = it.Text.In(d.lang)
				}
				s += " (" + lowerFirst(label) + ")"
			}
			s += ": " + d.answerText(it, a)
		default:
			return
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	})
	return out
}

// result returns the result of an instrument of the session.
func (d *doc) result(id string) (screening.Result, bool) {
	for _, r := range d.results {
		if r.Instrument.ID == id {
			return r, true
		}
	}
	return screening.Result{}, false
}

// missingWords says why a score is not given: "item 9 skipped".
func (d *doc) missingWords(r screening.Result) string {
	var declined, unanswered []string
	for _, id := range r.Missing {
		it, ok := r.Instrument.Item(id)
		if !ok {
			continue
		}
		n := itoa(itemNumber(r.Instrument, it))
		if a, ok := d.in.Session.Answer(screening.Key{Instrument: r.Instrument.ID, Item: id}); ok && a.Declined {
			declined = append(declined, n)
		} else {
			unanswered = append(unanswered, n)
		}
	}
	items := func(ns []string) string {
		if len(ns) == 1 {
			return "item " + ns[0]
		}
		return "items " + strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
	}
	var parts []string
	if len(declined) > 0 {
		parts = append(parts, items(declined)+" skipped")
	}
	if len(unanswered) > 0 {
		if len(unanswered) == len(r.Missing) && len(r.Missing) == len(r.Instrument.Scoring.Items) {
			parts = append(parts, "not answered")
		} else {
			parts = append(parts, items(unanswered)+" not answered")
		}
	}
	return "not scored: " + strings.Join(parts, "; ")
}

// Kratom use profile items, by id in the built-in kratom instrument.
const kratomID = "kratom"

// kratomProfile summarises the kratom use profile in sentences: amount,
// doses, forms, how long and the last dose first; then the rest. It
// returns nothing when the session has no kratom profile.
func (d *doc) kratomProfile() (lines []string, lastDose *screening.Answer) {
	r, ok := d.result(kratomID)
	if !ok || r.Skipped {
		return nil, nil
	}
	in := r.Instrument
	// get describes an answer; ok is false when the item was not asked or
	// not answered.
	get := func(id string) (screening.Answer, *screening.Item, bool) {
		it, a, ok := d.answer(in, id)
		return a, it, ok && it != nil
	}
	declined := "prefer not to answer"
	choices := func(id string) (string, bool) {
		a, it, ok := get(id)
		if !ok {
			return "", false
		}
		if a.Declined {
			return declined, true
		}
		var ls []string
		for _, c := range append([]string{a.Choice}, a.Choices...) {
			if o, ok := it.Option(c); ok {
				ls = append(ls, short(o.Label.In(d.lang)))
			}
		}
		return strings.Join(ls, ", "), len(ls) > 0
	}
	number := func(id string) (string, bool) {
		a, it, ok := get(id)
		if !ok {
			return "", false
		}
		if a.Declined || a.Number == nil {
			return "", false
		}
		return screening.FormatNumber(*a.Number, it.Decimals), true
	}

	var first []string
	grams, gOK := number("grams_per_day")
	doses, dOK := number("doses_per_day")
	switch {
	case gOK && dOK:
		first = append(first, fmt.Sprintf("about %s g a day in %s", grams, dosesWords(doses)))
	case gOK:
		first = append(first, fmt.Sprintf("about %s g a day", grams))
	case dOK:
		first = append(first, dosesWords(doses)+" a day")
	default:
		first = append(first, "amount and doses a day not given")
	}
	if s, ok := choices("forms"); ok {
		first = append(first, "forms: "+s)
	}
	if s, ok := choices("duration"); ok {
		if s == declined {
			first = append(first, "how long: "+s)
		} else {
			first = append(first, "using for "+s)
		}
	}
	if a, _, ok := get("last_dose"); ok && !a.Declined && a.Time != nil {
		first = append(first, "last dose "+d.lastDoseWords(a))
		lastDose = &a
	} else if ok && a.Declined {
		first = append(first, "last dose: "+declined)
	} else {
		first = append(first, "last dose not given")
	}
	lines = append(lines, sentence(first))

	var second []string
	if s, ok := choices("reasons"); ok {
		second = append(second, "reasons: "+s)
	}
	if s, ok := choices("other_substances"); ok {
		if daily, ok := choices("daily_co_use"); ok {
			s += " (daily: " + daily + ")"
		}
		second = append(second, "also uses: "+s)
	}
	if s, ok := choices("quit_attempts"); ok {
		q := "tried to stop or cut down: " + s
		if p, ok := choices("past_severe_withdrawal"); ok {
			q += "; severe withdrawal then: " + p
		}
		second = append(second, q)
	}
	if len(second) > 0 {
		lines = append(lines, sentence(second))
	}

	var third []string
	if s, ok := choices("pregnant"); ok {
		third = append(third, "pregnant: "+s)
	}
	if s, ok := choices("seizures"); ok {
		third = append(third, "seizure ever: "+s)
	}
	if a, _, ok := get("medicines"); ok {
		if a.Declined {
			third = append(third, "medicines now: "+declined)
		} else {
			third = append(third, "medicines now: "+strings.TrimSpace(a.Text))
		}
	}
	if len(third) > 0 {
		lines = append(lines, sentence(third))
	}
	return lines, lastDose
}

func dosesWords(n string) string {
	if n == "1" {
		return "1 dose"
	}
	return n + " doses"
}

// sentence joins clauses with semicolons, capitalised and ended with a
// period.
func sentence(parts []string) string {
	s := strings.Join(parts, "; ")
	if s == "" {
		return ""
	}
	rs := []rune(s)
	rs[0] = []rune(strings.ToUpper(string(rs[0])))[0]
	return string(rs) + "."
}

// phase is a phase of the usual course of kratom withdrawal (trend.Course)
// as the PDFs draw it.
type phase struct {
	from, to float64 // hours since the last dose
	label    string
	shade    rgb
}

// phaseLook is how the PDFs name, shade and describe each phase.
var phaseLook = map[trend.Phase]struct {
	label, words string
	shade        rgb
}{
	trend.BeforeOnset: {"before onset", "before the usual onset (12-24 h after the last dose)", rgb{240, 240, 240}},
	trend.Onset:       {"onset 12-24 h", "in the usual onset window (12-24 h); the peak is usually days 2-3", rgb{250, 226, 170}},
	trend.Peak:        {"peak days 2-3", "in the usual peak (days 2-3); symptoms usually ease over the following week", rgb{236, 150, 100}},
	trend.Easing: {"easing by days 5-10", "past the usual peak (days 2-3); the most intense symptoms usually resolve by days 5-10",
		rgb{250, 220, 160}},
	trend.After: {"after day 10", "past the usual acute course (5-10 days); low mood, cravings and poor sleep can last longer",
		rgb{226, 236, 228}},
}

// course is trend.Course as the PDFs draw it.
var course = coursePhases()

func coursePhases() []phase {
	var out []phase
	for _, p := range trend.Course() {
		look := phaseLook[p.Phase]
		out = append(out, phase{from: p.From, to: p.To, label: look.label, shade: look.shade})
	}
	return out
}

// courseWords places hours since the last dose on the usual course.
func courseWords(h float64) string {
	ph, _ := trend.Where(h)
	return phaseLook[ph].words
}
