package screening

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// kindSpec is all the screening package knows about one kind of item: how
// an instrument file defines it, which answers fit it, what it scores,
// what a branching rule can compare and how an answer reads back. A new
// kind is one entry of kinds here and one entry in each table of the
// packages that treat kinds differently (ARCHITECTURE.md names them).
type kindSpec struct {
	// choice: the item offers options (Options or an OptionSet).
	choice bool
	// ops are the rule operators that can test the item besides
	// "answered" and "declined", which test every kind.
	ops []string
	// define checks the item's own fields in its file; it returns the
	// field at fault with the problem.
	define func(it *Item) (field string, err error)
	// check says why an answer that is not declined does not fit.
	check func(it *Item, a Answer, now time.Time) error
	// points is what an answer scores and span the lowest and highest it
	// can; both nil when the kind cannot be scored. scored says whether an
	// item of a kind that can be scored is (nil: always; a number item
	// only with steps). reversible: an instrument may reverse-score it.
	points     func(it *Item, a Answer) (int, bool)
	span       func(it *Item) (lo, hi int)
	scored     func(it *Item) bool
	reversible bool
	// value is what gt, ge, lt and le compare, measured at now; nil when
	// the kind has none.
	value func(it *Item, a Answer, now time.Time) (float64, bool)
	// words are the answer in the instrument's own words in lang; nil
	// when the instrument has none. instant: the answer names an instant
	// (Answer.Time) that the reader words (see Said).
	words   func(it *Item, a Answer, lang string) []string
	instant bool
}

// kinds holds the spec of every item kind.
var kinds = map[Kind]*kindSpec{
	Single: {
		choice:     true,
		ops:        []string{"eq", "ne", "in", "gt", "ge", "lt", "le"},
		define:     defineChoice,
		check:      checkSingle,
		points:     func(it *Item, a Answer) (int, bool) { o, ok := it.Option(a.Choice); return o.Points, ok },
		span:       (*Item).pointRange,
		reversible: true,
		value: func(it *Item, a Answer, _ time.Time) (float64, bool) {
			o, ok := it.Option(a.Choice)
			return float64(o.Points), ok
		},
		words: func(it *Item, a Answer, lang string) []string { return it.labels([]string{a.Choice}, lang) },
	},
	Multi: {
		choice: true,
		ops:    []string{"includes", "excludes"},
		define: defineChoice,
		check:  checkMulti,
		points: func(it *Item, a Answer) (int, bool) {
			p := 0
			for _, c := range a.Choices {
				o, _ := it.Option(c)
				p += o.Points
			}
			return p, true
		},
		span: func(it *Item) (lo, hi int) {
			for _, o := range it.Options {
				hi += o.Points
			}
			return 0, hi
		},
		words: func(it *Item, a Answer, lang string) []string { return it.labels(a.Choices, lang) },
	},
	Number: {
		ops:    []string{"gt", "ge", "lt", "le"},
		define: defineNumber,
		check:  checkNumber,
		points: func(it *Item, a Answer) (int, bool) {
			if a.Number == nil {
				return 0, false
			}
			return it.stepPoints(*a.Number)
		},
		span:   stepSpan,
		scored: func(it *Item) bool { return len(it.Steps) > 0 },
		value: func(_ *Item, a Answer, _ time.Time) (float64, bool) {
			if a.Number == nil {
				return 0, false
			}
			return *a.Number, true
		},
		words: func(it *Item, a Answer, lang string) []string {
			if a.Number == nil {
				return nil
			}
			return []string{FormatNumber(*a.Number, it.Decimals) + " " + it.Unit.In(lang)}
		},
	},
	When: {
		instant: true,
		ops:     []string{"gt", "ge", "lt", "le"},
		define:  func(*Item) (string, error) { return "", nil },
		check:   checkWhen,
		value: func(_ *Item, a Answer, now time.Time) (float64, bool) {
			if a.Time == nil {
				return 0, false
			}
			// measured from when the patient answered, so that a rule (SOWS
			// skipped after 30 days without kratom) reads the same later
			if !a.At.IsZero() {
				now = a.At
			}
			return a.HoursBefore(now), true
		},
	},
	Free: {
		define: func(*Item) (string, error) { return "", nil },
		check:  checkFree,
		words: func(_ *Item, a Answer, _ string) []string {
			if a.Text == "" {
				return nil
			}
			return []string{a.Text}
		},
	},
}

// noKind is the spec of a kind instrument files may not use: it checks,
// scores and words nothing.
var noKind = &kindSpec{}

// specOf is the spec of a kind.
func specOf(k Kind) *kindSpec {
	if s, ok := kinds[k]; ok {
		return s
	}
	return noKind
}

// spec is the item's kind spec, found once when its file is loaded (an
// item built in code finds it on each call).
func (it *Item) spec() *kindSpec {
	if it.kindSpec != nil {
		return it.kindSpec
	}
	return specOf(it.Kind)
}

// scorable says whether the item can be counted in a score.
func (it *Item) scorable() bool {
	s := it.spec()
	return s.span != nil && (s.scored == nil || s.scored(it))
}

// stepPoints is what a number scores on the item's steps: the first step
// it is not above.
func (it *Item) stepPoints(n float64) (int, bool) {
	for _, st := range it.Steps {
		if n <= st.UpTo {
			return st.Points, true
		}
	}
	return 0, false
}

// stepSpan is the lowest and highest points of a number item's steps.
func stepSpan(it *Item) (lo, hi int) {
	return lowHigh(it.Steps, func(s PointStep) int { return s.Points })
}

// Known says whether instrument files may use the kind.
func (k Kind) Known() bool {
	_, ok := kinds[k]
	return ok
}

// HasOptions says whether an item of the kind offers options to choose.
func (k Kind) HasOptions() bool { return specOf(k).choice }

// kindOrder is the order Kinds lists the kinds in.
var kindOrder = []Kind{Single, Multi, Number, When, Free}

// kindNames lists the kinds for an error message.
func kindNames() string {
	names := make([]string, len(kindOrder))
	for i, k := range kindOrder {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// testedBy says whether a rule operator can test an item of the kind.
func (k Kind) testedBy(op string) bool {
	return op == "answered" || op == "declined" || slices.Contains(specOf(k).ops, op)
}

// knownOp says whether any kind (or a score) can be tested with op.
func knownOp(op string) bool {
	if op == "answered" || op == "declined" {
		return true
	}
	for _, s := range kinds {
		if slices.Contains(s.ops, op) {
			return true
		}
	}
	return false
}

// labels are the labels in lang of the options with the given values.
func (it *Item) labels(values []string, lang string) []string {
	var out []string
	for _, v := range values {
		if o, ok := it.Option(v); ok {
			out = append(out, o.Label.In(lang))
		}
	}
	return out
}

func defineChoice(it *Item) (string, error) {
	if len(it.Options) < 2 {
		return "options", fmt.Errorf("a choice item needs at least 2 options")
	}
	seen := map[string]bool{}
	for j, o := range it.Options {
		field := fmt.Sprintf("options[%d]", j)
		if o.Value == "" || seen[o.Value] {
			return field + ".value", fmt.Errorf("%q is missing or used twice", o.Value)
		}
		seen[o.Value] = true
		if o.Label["en"] == "" {
			return field + ".label.en", fmt.Errorf("missing English text")
		}
		if o.Points < 0 || o.Points > maxOptionPoints {
			return field + ".points", fmt.Errorf("%d is out of range (0 to %d)", o.Points, maxOptionPoints)
		}
		if o.LOINC != "" && !laPattern.MatchString(o.LOINC) {
			return field + ".loinc", fmt.Errorf("%q is not a LOINC answer code", o.LOINC)
		}
		if o.LOINCDisplay != "" && o.LOINC == "" {
			return field + ".loinc_display", fmt.Errorf("a display without a LOINC answer code")
		}
		if o.Exclusive && it.Kind != Multi {
			return field + ".exclusive", fmt.Errorf("only a multiple choice option can be exclusive")
		}
	}
	return "", nil
}

func defineNumber(it *Item) (string, error) {
	switch {
	case it.Min == nil || it.Max == nil || *it.Min >= *it.Max:
		return "min", fmt.Errorf("a number item needs min below max")
	case it.Decimals < 0 || it.Decimals > 3:
		return "decimals", fmt.Errorf("%d is out of range (0 to 3)", it.Decimals)
	case it.Unit["en"] == "":
		return "unit.en", fmt.Errorf("a number item needs a unit")
	}
	return defineSteps(it)
}

// defineSteps checks a number item's steps: rising within its range, the
// last at its Max (every answer scores), points in range.
func defineSteps(it *Item) (string, error) {
	prev := math.Inf(-1)
	for j, st := range it.Steps {
		field := fmt.Sprintf("steps[%d]", j)
		switch {
		case st.UpTo <= prev:
			return field + ".up_to", fmt.Errorf("%s does not rise above the step before", FormatNumber(st.UpTo, 3))
		case st.UpTo < *it.Min || st.UpTo > *it.Max:
			return field + ".up_to", fmt.Errorf("%s is outside the item's %s to %s", FormatNumber(st.UpTo, 3),
				FormatNumber(*it.Min, it.Decimals), FormatNumber(*it.Max, it.Decimals))
		case st.Points < 0 || st.Points > maxOptionPoints:
			return field + ".points", fmt.Errorf("%d is out of range (0 to %d)", st.Points, maxOptionPoints)
		}
		prev = st.UpTo
	}
	if n := len(it.Steps); n > 0 && it.Steps[n-1].UpTo != *it.Max {
		return fmt.Sprintf("steps[%d].up_to", n-1), fmt.Errorf("the last step ends at %s, the item goes to %s",
			FormatNumber(it.Steps[n-1].UpTo, 3), FormatNumber(*it.Max, it.Decimals))
	}
	return "", nil
}

func checkSingle(it *Item, a Answer, _ time.Time) error {
	if _, ok := it.Option(a.Choice); !ok {
		return badAnswer(it, "the choice is not one of its options")
	}
	return nil
}

func checkMulti(it *Item, a Answer, _ time.Time) error {
	if len(a.Choices) == 0 {
		return badAnswer(it, "choose at least one option")
	}
	seen := map[string]bool{}
	for _, c := range a.Choices {
		o, ok := it.Option(c)
		if !ok {
			return badAnswer(it, "a choice is not one of its options")
		}
		if seen[c] {
			return badAnswer(it, "an option is chosen twice")
		}
		if o.Exclusive && len(a.Choices) > 1 {
			return badAnswer(it, "an option that stands alone cannot be combined with others")
		}
		seen[c] = true
	}
	return nil
}

func checkNumber(it *Item, a Answer, _ time.Time) error {
	if a.Number == nil {
		return badAnswer(it, "no number given")
	}
	n := *a.Number
	if math.IsNaN(n) {
		return badAnswer(it, "not a number")
	}
	if it.Min != nil && n < *it.Min || it.Max != nil && n > *it.Max {
		// the bounds, not the number: an error may reach a log
		return badAnswer(it, "the number is outside %s to %s",
			FormatNumber(deref(it.Min), it.Decimals), FormatNumber(deref(it.Max), it.Decimals))
	}
	if !fitsDecimals(n, it.Decimals) {
		if it.Decimals == 0 {
			return badAnswer(it, "the number is not a whole number")
		}
		return badAnswer(it, "the number has more than %d decimals", it.Decimals)
	}
	return nil
}

// fitsDecimals says whether n has at most d decimals (a whole number for
// 0), as the kiosk's keypad takes it: 2.5 doses do not fit an item of
// whole doses. The tolerance absorbs binary floating point (12.3 is not
// exactly 123/10).
func fitsDecimals(n float64, d int) bool {
	s := n * math.Pow10(d)
	return math.Abs(s-math.Round(s)) <= 1e-9*math.Max(1, math.Abs(s))
}

func checkWhen(it *Item, a Answer, now time.Time) error {
	switch {
	case a.Time == nil:
		return badAnswer(it, "no time given")
	case a.Time.After(now):
		return badAnswer(it, "the time is in the future")
	case now.Sub(*a.Time).Hours() > it.maxHours():
		return badAnswer(it, "the time is too long ago")
	}
	return nil
}

func checkFree(it *Item, a Answer, _ time.Time) error {
	if strings.TrimSpace(a.Text) == "" {
		return badAnswer(it, "no text given")
	}
	if n := len([]rune(a.Text)); n > it.maxLength() {
		return badAnswer(it, "text is %d characters, at most %d", n, it.maxLength())
	}
	return nil
}

// Kinds lists every item kind.
func Kinds() []Kind { return slices.Clone(kindOrder) }

// AnswerError is an answer that does not fit its item: the item (its id,
// or instrument/id) and why.
type AnswerError struct {
	Item string
	Err  error
}

func (e *AnswerError) Error() string { return "item " + e.Item + ": " + e.Err.Error() }

// Unwrap is why the answer does not fit.
func (e *AnswerError) Unwrap() error { return e.Err }

// badAnswer is an answer that does not fit its item.
func badAnswer(it *Item, format string, args ...any) error {
	return &AnswerError{Item: it.ID, Err: fmt.Errorf(format, args...)}
}
