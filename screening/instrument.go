// Package screening is the domain of the intake kiosk: questionnaires
// (instruments) described as data, their validation, scoring, severity bands,
// safety flags, branching rules and the state of one patient's session.
//
// It imports nothing of the rest of the kiosk and no GUI or SQL packages;
// an answer that does not fit is an *AnswerError, to which the intake
// service gives its kind.
package screening

import "slices"

// Text is wording in one or more languages, keyed by a BCP 47 tag such as
// "en" or "es". English is always present in a valid instrument.
type Text map[string]string

// In returns the wording in lang, falling back to English.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["en"]
}

// Kind is the kind of answer an item takes.
type Kind string

// The item kinds an instrument file may use.
const (
	Single Kind = "single" // one option
	Multi  Kind = "multi"  // any number of options
	Number Kind = "number" // a number with a unit and a range
	When   Kind = "when"   // an instant in the past: a date and time, or "hours ago"
	Free   Kind = "text"   // short free text
)

// Option is one choice of a single or multiple choice item.
type Option struct {
	Value  string `json:"value"`
	Label  Text   `json:"label"`
	Points int    `json:"points"`
	// LOINC is the option's LOINC answer code (LA…); LOINCDisplay the
	// answer as LOINC words it, where that differs from the English label
	// (the display of the code in FHIR).
	LOINC        string `json:"loinc,omitempty"`
	LOINCDisplay string `json:"loinc_display,omitempty"`
	// Exclusive marks an option of a multiple choice item ("None of these")
	// that clears the others when chosen.
	Exclusive bool `json:"exclusive,omitempty"`
	// ShowIf offers the option only when the rule holds on earlier answers,
	// as an item's SkipIf does (a follow-up offers only the substances
	// ticked before). A choice item none of whose options is offered is
	// not asked, and an answer choosing an option not offered counts for
	// nothing, as a skipped item's does.
	ShowIf *Rule `json:"show_if,omitempty"`
}

// Item is one question.
type Item struct {
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	Text Text   `json:"text"`
	// Hint is smaller helper wording shown under the question.
	Hint Text `json:"hint,omitempty"`
	// Options lists the choices; OptionSet names a shared list of the
	// instrument instead. The loader resolves OptionSet into Options.
	Options   []Option `json:"options,omitempty"`
	OptionSet string   `json:"option_set,omitempty"`
	// Unit, Min, Max and Decimals describe a number item.
	Unit     Text     `json:"unit,omitempty"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	Decimals int      `json:"decimals,omitempty"`
	// MaxLength bounds a text item (default 200 characters).
	MaxLength int `json:"max_length,omitempty"`
	// MaxHours bounds how far back a when item may go (default 10 years).
	MaxHours float64 `json:"max_hours,omitempty"`
	// Steps score a number item: an answer scores the points of the first
	// step it is not above (the BAM's days in the past 30 scored 0 to 4).
	// StepSet names a shared list of the instrument instead; the loader
	// resolves it into Steps. A number item without steps is not scored.
	Steps   []PointStep `json:"steps,omitempty"`
	StepSet string      `json:"step_set,omitempty"`
	// AllowDecline overrides the instrument's AllowDecline for this item.
	AllowDecline *bool `json:"allow_decline,omitempty"`
	// LOINC is the question's LOINC code; LOINCDisplay its long common
	// name, the display of an Observation of the answer.
	LOINC        string `json:"loinc,omitempty"`
	LOINCDisplay string `json:"loinc_display,omitempty"`
	// SkipIf skips the item when the rule holds on earlier answers.
	SkipIf *Rule `json:"skip_if,omitempty"`
	// Label is a short name for summaries ("Suicidal thoughts"); optional.
	Label Text `json:"label,omitempty"`

	// kindSpec is the spec of Kind, set when the file is loaded.
	kindSpec *kindSpec
}

// filtersOptions says whether any option of the item has a ShowIf.
func (it *Item) filtersOptions() bool {
	return slices.ContainsFunc(it.Options, func(o Option) bool { return o.ShowIf != nil })
}

// offers says whether an answer chooses only options the item offers (an
// answer to an item without options, or declined, always does).
func (it *Item) offers(a Answer) bool {
	if a.Declined || !it.Kind.HasOptions() {
		return true
	}
	chosen := a.Choices
	if a.Choice != "" {
		chosen = append([]string{a.Choice}, chosen...)
	}
	for _, c := range chosen {
		if _, ok := it.Option(c); !ok {
			return false
		}
	}
	return true
}

// Option returns the option with the given value.
func (it *Item) Option(value string) (Option, bool) {
	for _, o := range it.Options {
		if o.Value == value {
			return o, true
		}
	}
	return Option{}, false
}

// PointRange is the lowest and highest points of the item's options: a
// reverse-scored item scores lo + hi - points.
func (it *Item) PointRange() (lo, hi int) { return it.pointRange() }

// pointRange is the lowest and highest points of the item's options.
func (it *Item) pointRange() (lo, hi int) {
	return lowHigh(it.Options, func(o Option) int { return o.Points })
}

// lowHigh is the lowest and highest points of a list's entries (0, 0 for
// none).
func lowHigh[T any](list []T, points func(T) int) (lo, hi int) {
	for i, e := range list {
		p := points(e)
		if i == 0 || p < lo {
			lo = p
		}
		if i == 0 || p > hi {
			hi = p
		}
	}
	return lo, hi
}

// PointStep is one step of a number item's points: an answer above the step
// before and up to UpTo scores Points. The steps rise, and the last one's
// UpTo is the item's Max, so that every answer scores.
type PointStep struct {
	UpTo   float64 `json:"up_to"`
	Points int     `json:"points"`
}

// Band is one severity band of a score, Min and Max inclusive.
type Band struct {
	Min   int  `json:"min"`
	Max   int  `json:"max"`
	Label Text `json:"label"`
	// Level orders bands by concern, 0 (none) to 4 (most); it colours
	// summaries.
	Level int `json:"level"`
	// Code names the band in the clinic's own code system of bands (the
	// coded interpretation of a score in FHIR), unique among the bands of
	// its score.
	Code string `json:"code,omitempty"`
	// LOINC is the band's LOINC answer code where LOINC has one (the
	// PHQ-9's severity), LOINCDisplay its answer text as LOINC words it.
	LOINC        string `json:"loinc,omitempty"`
	LOINCDisplay string `json:"loinc_display,omitempty"`
	// Interpretation is the band's code in HL7's ObservationInterpretation
	// code system where one means the same: POS or NEG, for a screen.
	Interpretation string `json:"interpretation,omitempty"`
}

// Interpretations are the codes of HL7's ObservationInterpretation code
// system a band may name, with their displays
// (terminology.hl7.org/CodeSystem/v3-ObservationInterpretation).
var Interpretations = map[string]string{"POS": "Positive", "NEG": "Negative"}

// BandSet is a set of bands that applies when its rule holds (no rule: the
// default). AUDIT-C uses two, since its cut-off depends on sex.
type BandSet struct {
	When  *Rule  `json:"when,omitempty"`
	Note  Text   `json:"note,omitempty"`
	Bands []Band `json:"bands"`
}

// Subscore is a named part of an instrument's total.
type Subscore struct {
	ID    string   `json:"id"`
	Label Text     `json:"label"`
	Items []string `json:"items"`
	Bands []Band   `json:"bands,omitempty"`
	// LOINC holds the codes of the subscore as an instrument of its own
	// (PHQ-2: panel 55757-9, total 55758-7).
	LOINC LOINC `json:"loinc,omitempty"`
}

// Scoring says how an instrument is scored: the sum of its items' points.
type Scoring struct {
	Items []string `json:"items"`
	// Reverse items score (lowest + highest - points).
	Reverse   []string   `json:"reverse,omitempty"`
	Min       int        `json:"min"`
	Max       int        `json:"max"`
	Bands     []Band     `json:"bands,omitempty"`
	BandSets  []BandSet  `json:"band_sets,omitempty"`
	Subscores []Subscore `json:"subscores,omitempty"`
	// NoTotal says the instrument has no total score, only its subscores
	// (the BAM's Use, Risk and Protective): Min, Max and the bands are
	// then not given, and a result's total is not reported.
	NoTotal bool `json:"no_total,omitempty"`
	// Convention explains a scoring choice that is not in the published
	// source (the SOWS bands, for example); it is printed with the score.
	Convention string `json:"convention,omitempty"`
}

// Flag is a finding a clinician must see, raised when its rule holds.
type Flag struct {
	ID    string `json:"id"`
	Label Text   `json:"label"`
	// Short is the flag in a few words for the staff queue's row; empty,
	// the row gives the answers that raised it.
	Short Text `json:"short,omitempty"`
	When  Rule `json:"when"`
	// Urgent pins the session at the top of the staff queue until it is
	// reviewed, and alerts staff (the concern table, intakekiosk.Concerns).
	Urgent bool `json:"urgent,omitempty"`
	// Attention pins the session at the top of the staff queue until it
	// is reviewed, without an alert: a finding to ask about in person.
	Attention bool `json:"attention,omitempty"`
	// Safety marks a flag about the patient's safety from themselves (a
	// suicide item, or its decline): it is listed before the others.
	Safety bool `json:"safety,omitempty"`
	// Crisis shows the crisis information to the patient at once.
	Crisis bool `json:"crisis,omitempty"`
	// RedFlag marks a reason for medical supervision.
	RedFlag bool `json:"red_flag,omitempty"`
}

// LOINC holds an instrument's panel and total score codes, each with its
// long common name as LOINC words it (the display of the code in FHIR;
// without it the code is written without a display).
type LOINC struct {
	Panel        string `json:"panel,omitempty"`
	PanelDisplay string `json:"panel_display,omitempty"`
	Total        string `json:"total,omitempty"`
	TotalDisplay string `json:"total_display,omitempty"`
}

// Instrument is one questionnaire, loaded from a data file.
type Instrument struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	// Order places the instrument in the session (lowest first).
	Order      int  `json:"order"`
	Title      Text `json:"title"`
	ShortTitle Text `json:"short_title"`
	// Intro is the stem shown above every item ("Over the last 2 weeks...").
	Intro Text `json:"intro,omitempty"`
	// Instructions are the instrument's published instructions when they
	// are too long to stand above every item (the DAST-10's): shown once,
	// on a screen of their own before its first question, and printed
	// with its answers.
	Instructions Text `json:"instructions,omitempty"`
	// Attribution and Licence are printed with the instrument's results.
	Attribution string `json:"attribution"`
	Licence     string `json:"licence,omitempty"`
	// Translations says, per language other than English, where the
	// instrument's wording in that language comes from: the published
	// translation it reproduces, or that it is the clinic's own translation
	// and not a validated version.
	Translations Text `json:"translations,omitempty"`
	// Sources cites where the file's wording and codes were checked, one
	// source a line, and names any wording that could not be confirmed
	// ("unverified"). It is the file's own record: nobody is shown it.
	Sources []string `json:"sources,omitempty"`
	// For lists the kinds of visit that ask the instrument: "screening"
	// (the first visit), "checkin" (a returning patient's daily check-in),
	// or "schedule": asked only at a check-in whose clinic schedule names
	// it (Schedule), never at a screening; or "staff" alone: a clinician
	// rates the patient with it at the desk (COWS), and no patient's visit
	// ever asks it. Empty means screening only.
	For []string `json:"for,omitempty"`
	// ClinicOwn marks a questionnaire written by the clinic, not a
	// published validated instrument.
	ClinicOwn    bool                `json:"clinic_own,omitempty"`
	LOINC        LOINC               `json:"loinc,omitempty"`
	AllowDecline bool                `json:"allow_decline,omitempty"`
	OptionSets   map[string][]Option `json:"option_sets,omitempty"`
	// StepSets are shared lists of number items' steps (Item.StepSet).
	StepSets map[string][]PointStep `json:"step_sets,omitempty"`
	Items    []Item                 `json:"items"`
	Scoring  *Scoring               `json:"scoring,omitempty"`
	Flags    []Flag                 `json:"flags,omitempty"`
	// SkipIf skips the whole instrument when the rule holds.
	SkipIf *Rule `json:"skip_if,omitempty"`

	// Source names the file the instrument came from.
	Source string `json:"-"`
	index  map[string]int
}

// Item returns the item with the given id.
func (in *Instrument) Item(id string) (*Item, bool) {
	i, ok := in.index[id]
	if !ok {
		return nil, false
	}
	return &in.Items[i], true
}

// CanDecline reports whether the patient may pass over the item with
// "Prefer not to answer".
func (in *Instrument) CanDecline(it *Item) bool {
	if it.AllowDecline != nil {
		return *it.AllowDecline
	}
	return in.AllowDecline
}

// Visit kinds an instrument is asked at (Instrument.For), and ForStaff:
// rated by staff, never asked at a patient's visit.
const (
	ForScreening = "screening"
	ForCheckin   = "checkin"
	ForSchedule  = "schedule"
	ForStaff     = "staff"
)

// RatedByStaff says whether staff rate the patient with the instrument at
// the desk ("for": ["staff"]): no patient's visit asks it.
func (in *Instrument) RatedByStaff() bool { return slices.Contains(in.For, ForStaff) }

// AskedAt says whether the instrument is asked at a visit of that kind
// (never a staff-rated one at a patient's visit: its file may say nothing
// else).
func (in *Instrument) AskedAt(kind string) bool {
	if in.RatedByStaff() {
		return false
	}
	if len(in.For) == 0 {
		return kind == ForScreening
	}
	return slices.Contains(in.For, kind)
}
