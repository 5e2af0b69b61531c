package screening

import (
	"strconv"
	"strings"
	"time"
)

// Key names one item of one instrument.
type Key struct {
	Instrument string
	Item       string
}

func (k Key) String() string { return k.Instrument + "/" + k.Item }

// Answer is a patient's answer to one item. Exactly one of the value fields
// is set, as the item's kind says, unless Declined.
type Answer struct {
	Instrument string `json:"instrument"`
	Item       string `json:"item"`
	// Declined is "Prefer not to answer".
	Declined bool     `json:"declined,omitempty"`
	Choice   string   `json:"choice,omitempty"`
	Choices  []string `json:"choices,omitempty"`
	Number   *float64 `json:"number,omitempty"`
	// Time is the instant a when item names, in UTC; Given says how the
	// patient gave it ("hours", "days" or "datetime") and Amount the number
	// of hours or days they typed.
	Time   *time.Time `json:"time,omitempty"`
	Given  string     `json:"given,omitempty"`
	Amount float64    `json:"amount,omitempty"`
	Text   string     `json:"text,omitempty"`
	// At is when the answer was given.
	At time.Time `json:"at"`
}

// Key returns the answer's item key.
func (a Answer) Key() Key { return Key{a.Instrument, a.Item} }

// Answers holds a session's answers by item.
type Answers map[Key]Answer

// Get returns the answer to an item.
func (as Answers) Get(instrument, item string) (Answer, bool) {
	a, ok := as[Key{instrument, item}]
	return a, ok
}

// Has says whether any item of the instrument has an answer.
func (as Answers) Has(instrument string) bool {
	for k := range as {
		if k.Instrument == instrument {
			return true
		}
	}
	return false
}

// Validate checks that the answer fits the item: a known option, a number
// in range, an instant not in the future and not too far back, text not too
// long.
func (it *Item) Validate(a Answer, now time.Time) error {
	if a.Declined {
		return nil
	}
	spec := it.spec()
	if spec.check == nil {
		return badAnswer(it, "%q is not a kind of item", it.Kind)
	}
	return spec.check(it, a, now)
}

// MaxChars is how many characters a text item's answer may hold.
func (it *Item) MaxChars() int { return it.maxLength() }

func (it *Item) maxLength() int {
	if it.MaxLength > 0 {
		return it.MaxLength
	}
	return 200
}

func (it *Item) maxHours() float64 {
	if it.MaxHours > 0 {
		return it.MaxHours
	}
	return 10 * 365 * 24
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// FormatNumber writes n with at most the given decimals, dropping trailing
// zeros ("12", "12.5").
func FormatNumber(n float64, decimals int) string {
	s := strconv.FormatFloat(n, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// HoursBefore is how many hours before now the instant of a when answer
// lies.
func (a Answer) HoursBefore(now time.Time) float64 {
	if a.Time == nil {
		return 0
	}
	return now.Sub(*a.Time).Hours()
}
