package review

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

// Query is what a counselor typed in the search box: a date of birth, or
// parts of a name.
type Query struct {
	// Birth is set when the text reads as a date ("3/7/1985",
	// "1985-03-07", "March 7 1985"); the query then matches the date of
	// birth.
	Birth string
	// Words are the name's words, folded (lower case, no accents); each
	// must begin a word of the first or last name.
	Words []string
	// Code is set when the text reads as a check-in code: the query then
	// also matches the session linked to that code.
	Code string
}

// ParseQuery reads a search text.
func ParseQuery(text string) Query {
	text = strings.TrimSpace(text)
	if t, ok := ParseDate(text); ok {
		return Query{Birth: t.Format(time.DateOnly)}
	}
	q := Query{Words: strings.Fields(fold(text))}
	if code, ok := sqlite.NormalizeCode(text); ok {
		q.Code = code
	}
	return q
}

// Empty says the query matches everything.
func (q Query) Empty() bool { return q.Birth == "" && len(q.Words) == 0 && q.Code == "" }

// Match says whether a session's summary matches the query.
func (q Query) Match(s *Summary) bool {
	if q.Birth != "" {
		return s.Identity.Birth == q.Birth
	}
	if q.Code != "" && s.Code == q.Code {
		return true
	}
	names := s.names
	if names == nil {
		names = nameWords(s.Identity)
	}
	for _, w := range q.Words {
		found := false
		for _, n := range names {
			if strings.HasPrefix(n, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// nameWords are the words of a name a query's words must begin, folded
// ("José Peña-Ibáñez": jose, pena, ibanez).
func nameWords(id screening.Identity) []string {
	return strings.FieldsFunc(fold(id.First+" "+id.Last), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '\''
	})
}

// dateLayouts are the ways a date of birth is typed here (US order).
var dateLayouts = []string{
	"1/2/2006", "01/02/2006", "1-2-2006", "01-02-2006", "2006-01-02", "2006-1-2",
	"January 2 2006", "January 2, 2006", "Jan 2 2006", "Jan 2, 2006", "1.2.2006",
}

// ParseDate reads a date as staff type it (3/7/1985, 1985-03-07, March
// 7, 1985), at midnight UTC.
func ParseDate(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// fold lowers a name and strips its accents, so "peña" finds "Peña" and
// "jose" finds "José".
func fold(s string) string {
	ascii := true
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s) // no accents to strip
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}
