package screening

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Identity is who the patient says they are.
type Identity struct {
	First string `json:"first"`
	Last  string `json:"last"`
	// Birth is the date of birth as YYYY-MM-DD.
	Birth string `json:"birth"`
}

// Validate checks names (letters, spaces, hyphens, apostrophes, periods;
// 1 to 60 characters) and the date of birth (a real date, age 10 to 120 at
// now).
func (id Identity) Validate(now time.Time) error {
	for _, f := range []struct{ name, v string }{{"first name", id.First}, {"last name", id.Last}} {
		if err := ValidateName(f.v); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	_, err := ParseBirth(id.Birth, now)
	return err
}

// ValidateName checks one name.
func ValidateName(s string) error {
	s = strings.TrimSpace(s)
	n := len([]rune(s))
	if n == 0 {
		return fmt.Errorf("empty")
	}
	if n > 60 {
		return fmt.Errorf("longer than 60 characters")
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && !strings.ContainsRune(" -'.’", r) {
			// which character, not the name: an error may reach a log
			return fmt.Errorf("holds a character that is not a letter, space, hyphen or apostrophe")
		}
	}
	return nil
}

// ParseBirth parses a YYYY-MM-DD date of birth and checks that it gives an
// age from 10 to 120 years at now.
func ParseBirth(s string, now time.Time) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("the date of birth is not a date (YYYY-MM-DD)")
	}
	age := Age(d, now)
	if d.After(now) || age < 10 || age > 120 {
		return time.Time{}, fmt.Errorf("the date of birth gives an age outside 10 to 120 years")
	}
	return d, nil
}

// Age is the age in whole years on now's calendar date of someone born on
// birth.
func Age(birth, now time.Time) int {
	y := now.Year() - birth.Year()
	if now.Month() < birth.Month() || now.Month() == birth.Month() && now.Day() < birth.Day() {
		y--
	}
	return y
}
