package summary

import (
	"intakekiosk/screening"
	"intakekiosk/trend"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

func itoa(n int) string { return strconv.Itoa(n) }

// Name is the patient's full name as given.
func (sh *Sheet) Name() string {
	n := strings.TrimSpace(strings.TrimSpace(sh.in.Identity.First) + " " + strings.TrimSpace(sh.in.Identity.Last))
	if n == "" {
		return sh.T("staff.summary.name_not_given")
	}
	return n
}

// Birth is the date of birth and age at the visit.
func (sh *Sheet) Birth() string {
	b := strings.TrimSpace(sh.in.Identity.Birth)
	if b == "" {
		return sh.T("staff.summary.date_of_birth_not_given")
	}
	t, err := time.Parse(time.DateOnly, b)
	if err != nil {
		return sh.T("staff.summary.date_of_birth") + b
	}
	return sh.T("staff.summary.born_age", t.Format("Jan 2, 2006"), screening.Age(t, sh.visit.In(sh.loc)))
}

// VisitStart is when the session began (or the best instant known).
func (sh *Sheet) VisitStart() time.Time {
	if !sh.in.Started.IsZero() {
		return sh.in.Started
	}
	return sh.visit
}

// Visit is the date and time of the visit.
func (sh *Sheet) Visit() string {
	start := sh.VisitStart()
	s := sh.When(start, "Monday, January 2, 2006, 3:04 PM")
	if c := sh.in.Completed; !c.IsZero() && !c.Equal(start) {
		if c.In(sh.loc).YearDay() == start.In(sh.loc).YearDay() && c.In(sh.loc).Year() == start.In(sh.loc).Year() {
			s += sh.T("staff.summary.to") + sh.When(c, "3:04 PM")
		} else {
			s += sh.T("staff.summary.to") + sh.When(c, "Jan 2, 3:04 PM")
		}
	}
	return s + " " + sh.When(start, "MST")
}

// Code is the instrument's short name for a clinician: the abbreviation in
// its title's last parentheses ("PHQ-9"), else its title.
func (sh *Sheet) Code(in *screening.Instrument) string {
	t := in.Title.In(staff)
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, "("); i >= 0 && len(t)-i <= 14 {
			return t[i+1 : len(t)-1]
		}
	}
	return t
}

// LongName is the instrument's title without the abbreviation.
func (sh *Sheet) LongName(in *screening.Instrument) string {
	t := in.Title.In(staff)
	if c := sh.Code(in); c != t {
		t = strings.TrimSpace(strings.TrimSuffix(t, "("+c+")"))
	}
	return t
}

// ItemNumber is an item's number as staff read it: its id where that is
// the form's number (PHQ-9 item 9, BAM item 7A), else its place in its
// instrument, 1-based.
func ItemNumber(in *screening.Instrument, it *screening.Item) string {
	if itemNumbered.MatchString(it.ID) {
		return strings.ToUpper(it.ID)
	}
	return itoa(slices.IndexFunc(in.Items, func(x screening.Item) bool { return x.ID == it.ID }) + 1)
}

// itemNumbered matches an item id that is the item's number as the form
// prints it: 9, or 7a (the BAM's 7A).
var itemNumbered = regexp.MustCompile(`^[0-9]{1,3}[a-z]?$`)

// answerText puts an answer in words. A "when" answer reads as the time
// before the patient answered, with the date and time in the display zone.
func (sh *Sheet) answerText(it *screening.Item, a screening.Answer) string {
	said := it.Said(a, staff)
	switch {
	case said.Declined:
		return sh.T("staff.summary.prefer_not_to_answer")
	case said.At != nil:
		return sh.lastDoseWords(a) + " (" + sh.When(*said.At, "Mon Jan 2, 3:04 PM") + ")"
	}
	return strings.Join(said.Words, "; ")
}

// AnswerLines puts an answer in words for the answer table: one line per
// option chosen, in the patient's language with the English after it; the
// time before the visit over the date and time of a "when" item; else
// the answer's words on one line.
func (sh *Sheet) AnswerLines(it *screening.Item, a screening.Answer) []string {
	said := it.Said(a, staff)
	switch {
	case said.Declined:
		return []string{sh.T("staff.summary.prefer_not_to_answer")}
	case said.At != nil:
		return []string{sh.lastDoseWords(a), "(" + sh.When(*said.At, "Mon Jan 2, 3:04 PM") + ")"}
	case it.Kind.HasOptions():
		return sh.both(it, a)
	}
	return []string{strings.Join(said.Words, "; ")}
}

// both are the labels of the options chosen in the patient's language
// with the English after each, where they differ: "Varios días (Several
// days)".
func (sh *Sheet) both(it *screening.Item, a screening.Answer) []string {
	en := it.Said(a, "en").Words
	if sh.answerLang == "" || sh.answerLang == "en" {
		return en
	}
	local := it.Said(a, sh.answerLang).Words
	for i, s := range local {
		if s != en[i] {
			en[i] = s + " (" + en[i] + ")"
		}
	}
	return en
}

// answeredAt is when an answer was given (else the visit).
func (sh *Sheet) answeredAt(a screening.Answer) time.Time {
	if a.At.IsZero() {
		return sh.visit
	}
	return a.At
}

// HoursBefore is how long before the patient answered the instant of a
// "when" answer lies.
func (sh *Sheet) HoursBefore(a screening.Answer) float64 {
	return a.HoursBefore(sh.answeredAt(a))
}

// lastDoseWords says how long before the visit an instant was.
func (sh *Sheet) lastDoseWords(a screening.Answer) string {
	return sh.Hours(sh.HoursBefore(a)) + sh.T("staff.summary.before_the_visit")
}

// answer returns the patient's answer to an item that was asked.
func (sh *Sheet) answer(in *screening.Instrument, item string) (*screening.Item, screening.Answer, bool) {
	it, ok := in.Item(item)
	if !ok {
		return nil, screening.Answer{}, false
	}
	k := screening.Key{Instrument: in.ID, Item: item}
	if _, asked := sh.asked[k]; !asked {
		return it, screening.Answer{}, false
	}
	a, ok := sh.in.Session.Answer(k)
	return it, a, ok
}

// Trigger says which answers or score raised a flag, for the banner and the
// flag list: "PHQ-9 item 9 (thoughts of being better off dead or of
// self-harm): Several days". withText adds the item's label or wording.
func (sh *Sheet) Trigger(r screening.Result, f *screening.Flag, withText bool) []string {
	var out []string
	seen := map[string]bool{}
	f.When.Tests(func(rule *screening.Rule, negated bool) {
		if negated {
			return
		}
		in := r.Instrument
		if rule.Instrument != "" && rule.Instrument != in.ID {
			other, ok := sh.in.Session.Catalog().Instrument(rule.Instrument)
			if !ok {
				return
			}
			in = other
		}
		var s string
		switch {
		case rule.Score != "":
			res, ok := sh.Result(in.ID)
			if !ok || !res.Scored || rule.Score != "total" {
				return
			}
			s = sh.T("staff.summary.trigger_total", sh.Code(in), res.Total, in.Scoring.Max)
		case rule.Item != "":
			it, a, ok := sh.answer(in, rule.Item)
			if !ok {
				return
			}
			s = sh.T("staff.summary.instrument_item", sh.Code(in), ItemNumber(in, it))
			if in.ClinicOwn && !withText {
				// the clinic's own items have no numbers a clinician knows
				s = sh.T("staff.summary.answer")
			}
			if withText {
				label := it.Label.In(staff)
				if label == "" {
					label = it.Text.In(staff)
				}
				s += " (" + lowerFirst(label) + ")"
			}
			s += ": " + sh.answerText(it, a)
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

// Result returns the result of an instrument of the session.
func (sh *Sheet) Result(id string) (screening.Result, bool) {
	for _, r := range sh.results {
		if r.Instrument.ID == id {
			return r, true
		}
	}
	return screening.Result{}, false
}

// Missing says why a score is not given: "item 9 skipped".
func (sh *Sheet) Missing(r screening.Result) string {
	var declined, unanswered []string
	for _, id := range r.Missing {
		it, ok := r.Instrument.Item(id)
		if !ok {
			continue
		}
		n := ItemNumber(r.Instrument, it)
		if a, ok := sh.in.Session.Answer(screening.Key{Instrument: r.Instrument.ID, Item: id}); ok && a.Declined {
			declined = append(declined, n)
		} else {
			unanswered = append(unanswered, n)
		}
	}
	items := func(ns []string) string {
		if len(ns) == 1 {
			return sh.T("staff.summary.item_one") + ns[0]
		}
		return sh.T("staff.summary.items") + strings.Join(ns[:len(ns)-1], ", ") + sh.T("staff.summary.and") + ns[len(ns)-1]
	}
	var parts []string
	if len(declined) > 0 {
		parts = append(parts, items(declined)+sh.T("staff.summary.skipped"))
	}
	if len(unanswered) > 0 {
		if len(unanswered) == len(r.Missing) && len(r.Missing) == len(r.Instrument.Scoring.Items) {
			parts = append(parts, sh.T("staff.summary.not_answered"))
		} else {
			parts = append(parts, items(unanswered)+sh.T("staff.summary.items_not_answered"))
		}
	}
	return sh.T("staff.summary.not_scored_because") + strings.Join(parts, "; ")
}

// Kratom use profile items, by id in the built-in kratom instrument.
const kratomID = "kratom"

// Kratom summarises the kratom use profile in sentences: amount,
// doses, forms, how long and the last dose first; then the rest. It
// returns nothing when the session has no kratom profile.
func (sh *Sheet) Kratom() (lines []string, lastDose *screening.Answer) {
	r, ok := sh.Result(kratomID)
	if !ok || r.Skipped {
		return nil, nil
	}
	in := r.Instrument
	// get describes an answer; ok is false when the item was not asked or
	// not answered.
	get := func(id string) (screening.Answer, *screening.Item, bool) {
		it, a, ok := sh.answer(in, id)
		return a, it, ok && it != nil
	}
	declined := sh.T("staff.summary.declined_in_sentence")
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
				ls = append(ls, short(o.Label.In(staff)))
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
		first = append(first, sh.T("staff.summary.about_g_a_day_in", grams, sh.dosesWords(doses)))
	case gOK:
		first = append(first, sh.T("staff.summary.about_g_a_day", grams))
	case dOK:
		first = append(first, sh.dosesWords(doses)+sh.T("staff.summary.a_day"))
	default:
		first = append(first, sh.T("staff.summary.amount_and_doses_a_day_not_given"))
	}
	if s, ok := choices("forms"); ok {
		first = append(first, sh.T("staff.summary.forms")+s)
	}
	if s, ok := choices("duration"); ok {
		if s == declined {
			first = append(first, sh.T("staff.summary.how_long")+s)
		} else {
			first = append(first, sh.T("staff.summary.using_for")+s)
		}
	}
	if a, _, ok := get("last_dose"); ok && !a.Declined && a.Time != nil {
		first = append(first, sh.T("staff.summary.last_dose")+sh.lastDoseWords(a))
		lastDose = &a
	} else if ok && a.Declined {
		first = append(first, sh.T("staff.summary.last_dose_colon")+declined)
	} else {
		first = append(first, sh.T("staff.summary.last_dose_not_given"))
	}
	lines = append(lines, sentence(first))

	var second []string
	if s, ok := choices("reasons"); ok {
		second = append(second, sh.T("staff.summary.reasons")+s)
	}
	if s, ok := choices("other_substances"); ok {
		if daily, ok := choices("daily_co_use"); ok {
			s += sh.T("staff.summary.daily") + daily + ")"
		}
		second = append(second, sh.T("staff.summary.also_uses")+s)
	}
	if s, ok := choices("quit_attempts"); ok {
		q := sh.T("staff.summary.tried_to_stop_or_cut_down") + s
		if p, ok := choices("past_severe_withdrawal"); ok {
			q += sh.T("staff.summary.severe_withdrawal_then") + p
		}
		second = append(second, q)
	}
	if len(second) > 0 {
		lines = append(lines, sentence(second))
	}

	var third []string
	if s, ok := choices("pregnant"); ok {
		third = append(third, sh.T("staff.summary.pregnant")+s)
	}
	if s, ok := choices("seizures"); ok {
		third = append(third, sh.T("staff.summary.seizure_ever")+s)
	}
	if a, _, ok := get("medicines"); ok {
		if a.Declined {
			third = append(third, sh.T("staff.summary.medicines_now")+declined)
		} else {
			third = append(third, sh.T("staff.summary.medicines_now")+strings.TrimSpace(a.Text))
		}
	}
	if len(third) > 0 {
		lines = append(lines, sentence(third))
	}
	return lines, lastDose
}

// dosesWords is a number of doses: "1 dose", "3 doses".
func (sh *Sheet) dosesWords(n string) string {
	if n == "1" {
		return sh.T("staff.summary.1_dose")
	}
	return n + sh.T("staff.summary.doses")
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

// Phase is a phase of the usual course of kratom withdrawal
// (trend.Course) in words: its name on a chart and where it places a
// patient in a sentence.
type Phase struct {
	trend.Phase
	// From and To are hours since the last dose.
	From, To float64
	// Label names the phase on a chart: "onset 12-24 h"; Short where
	// there is less room: "onset".
	Label, Short string
	// Words place a patient in it: "in the usual peak (days 2-3); ...".
	Words string
}

// phaseKeys name each phase's words in the catalog: its label is
// staff.summary.phase.KEY.label (and .short), its words
// staff.summary.phase.KEY.words.
var phaseKeys = map[trend.Phase]string{
	trend.BeforeOnset: "before_onset",
	trend.Onset:       "onset",
	trend.Peak:        "peak",
	trend.Easing:      "easing",
	trend.After:       "after",
}

// Course is trend.Course in words, the one course table the screens and
// the PDFs draw.
func (sh *Sheet) Course() []Phase {
	var out []Phase
	for _, p := range trend.Course() {
		k := "staff.summary.phase." + phaseKeys[p.Phase]
		out = append(out, Phase{Phase: p.Phase, From: p.From, To: p.To, Label: sh.T(k + ".label"), Short: sh.T(k + ".short"),
			Words: sh.T(k + ".words")})
	}
	return out
}

// CourseWords places hours since the last dose on the usual course.
func (sh *Sheet) CourseWords(h float64) string {
	ph, _ := trend.Where(h)
	return sh.T("staff.summary.phase." + phaseKeys[ph] + ".words")
}

// lowerFirst lowercases the first letter of an option label for use inside
// a sentence, unless the word looks like an abbreviation ("OK", "7-OH").
func lowerFirst(s string) string {
	rs := []rune(s)
	if len(rs) < 2 || !unicode.IsUpper(rs[0]) || unicode.IsUpper(rs[1]) {
		return s
	}
	rs[0] = unicode.ToLower(rs[0])
	return string(rs)
}

// short drops parenthesised asides from an option label ("Benzodiazepines
// (Xanax, Valium, Klonopin)" reads "benzodiazepines") for sentences.
func short(s string) string {
	for {
		i := strings.Index(s, " (")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], ")")
		if j < 0 {
			break
		}
		s = s[:i] + s[i+j+1:]
	}
	return lowerFirst(strings.TrimSpace(s))
}

// Plural writes a count with its noun.
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}
