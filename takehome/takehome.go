// Package takehome is the take-home sheet a patient is given at the
// finish of a screening or a check-in, as data: its words in each
// language, a versioned file per language (takehome.LANG.json) the
// clinic can edit, loaded and checked as consent forms are: what to
// expect over the next days of withdrawal (one text a phase of the usual
// course, trend.Course), three coping steps, the crisis numbers, the next
// check-in, and the words of its dates and pages. It holds no score and
// no diagnosis, and knows nothing of a patient: report draws a sheet from
// these words and a patient's dates. Pure Go.
package takehome

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what a take-home file may hold.
const (
	// MaxFileSize is the largest file read.
	MaxFileSize = 32 << 10
	// MaxTextLen is the longest text, in characters.
	MaxTextLen = 600
	// CopingSteps is how many coping steps a sheet gives.
	CopingSteps = 3
	// MaxCrisisLines is the most lines of the crisis box.
	MaxCrisisLines = 6
)

// CrisisNumbers are what the crisis lines must name, together: 911, the
// 988 Suicide & Crisis Lifeline and the Crisis Text Line's 741741
// (CLINICAL.md, Safety). An edit that drops one is refused.
var CrisisNumbers = []string{"911", "988", "741741"}

// Sheet is the take-home sheet's words in one language.
type Sheet struct {
	// Version counts the sheet's versions up from 1; Language is the
	// file's ("en").
	Version  int    `json:"version"`
	Language string `json:"language"`
	Title    string `json:"title"`
	Intro    string `json:"intro"`
	Expect   Expect `json:"expect"`
	Coping   Coping `json:"coping"`
	Crisis   Crisis `json:"crisis"`
	Next     Next   `json:"next"`
	Dates    Dates  `json:"dates"`
	// Page is the foot of a page: "Page {page} of {pages}".
	Page string `json:"page"`
	// Source says on what the words rest (not shown).
	Source string `json:"source,omitempty"`
	// File is where it came from ("built-in/takehome.en.json").
	File string `json:"-"`
}

// Expect is what to expect over the next days: one text for each phase
// of the usual course after the first hours (trend.Onset, Peak, Easing,
// After).
type Expect struct {
	Heading string `json:"heading"`
	Onset   Phase  `json:"onset"`
	Peak    Phase  `json:"peak"`
	Easing  Phase  `json:"easing"`
	After   Phase  `json:"after"`
	// Now marks the phase the patient is in when the last dose is known
	// ("You are here").
	Now string `json:"now"`
	// Taper is said first for a patient on a taper plan, who has no one
	// last dose to count the days from.
	Taper string `json:"taper"`
}

// Phase is one phase of the usual course: when it comes, counted from
// the last dose ("12 to 24 hours after your last dose"), and what it
// usually brings.
type Phase struct {
	When string `json:"when"`
	Text string `json:"text"`
}

// Coping is the three coping steps.
type Coping struct {
	Heading string   `json:"heading"`
	Steps   []string `json:"steps"`
}

// Crisis is where to get help at any hour.
type Crisis struct {
	Heading string   `json:"heading"`
	Lines   []string `json:"lines"`
}

// Next is the next check-in: On with the day it falls on ({date}), None
// when there is no plan to say it.
type Next struct {
	Heading string `json:"heading"`
	On      string `json:"on"`
	None    string `json:"none"`
}

// Dates are the words of the sheet's dates: the months and weekdays,
// a date ("{weekday}, {month} {day}"), a span of days ("{from} to
// {to}") and one with no end ("From {date}").
type Dates struct {
	Months   []string `json:"months"`
	Weekdays []string `json:"weekdays"`
	Date     string   `json:"date"`
	Range    string   `json:"range"`
	From     string   `json:"from"`
}

// Day writes the calendar date of t (in t's location) in the sheet's
// words.
func (s *Sheet) Day(t time.Time) string {
	return strings.NewReplacer("{weekday}", s.Dates.Weekdays[t.Weekday()], "{month}", s.Dates.Months[t.Month()-1],
		"{day}", fmt.Sprint(t.Day()), "{year}", fmt.Sprint(t.Year())).Replace(s.Dates.Date)
}

// Span writes the days from a to b; one day alone when they are the same
// day, "From a" when b is zero.
func (s *Sheet) Span(a, b time.Time) string {
	switch {
	case b.IsZero():
		return strings.ReplaceAll(s.Dates.From, "{date}", s.Day(a))
	case a.Year() == b.Year() && a.YearDay() == b.YearDay():
		return s.Day(a)
	}
	return strings.NewReplacer("{from}", s.Day(a), "{to}", s.Day(b)).Replace(s.Dates.Range)
}

// NextOn says the next check-in on day t.
func (s *Sheet) NextOn(t time.Time) string { return strings.ReplaceAll(s.Next.On, "{date}", s.Day(t)) }

// PageOf writes the foot of page n of all.
func (s *Sheet) PageOf(n, all string) string {
	return strings.NewReplacer("{page}", n, "{pages}", all).Replace(s.Page)
}

// Text is every word of the sheet, one line each, in the order drawn.
func (s *Sheet) Text() string {
	var lines []string
	for _, f := range s.fields() {
		lines = append(lines, f.text)
	}
	return strings.Join(lines, "\n")
}

// field is one text of a sheet and its name in the file.
type field struct{ name, text string }

// fields are the sheet's texts, by their names in the file.
func (s *Sheet) fields() []field {
	fs := []field{{"title", s.Title}, {"intro", s.Intro}, {"expect.heading", s.Expect.Heading}}
	for _, p := range []struct {
		name string
		ph   Phase
	}{{"onset", s.Expect.Onset}, {"peak", s.Expect.Peak}, {"easing", s.Expect.Easing}, {"after", s.Expect.After}} {
		fs = append(fs, field{"expect." + p.name + ".when", p.ph.When}, field{"expect." + p.name + ".text", p.ph.Text})
	}
	fs = append(fs, field{"expect.now", s.Expect.Now}, field{"expect.taper", s.Expect.Taper}, field{"coping.heading", s.Coping.Heading})
	for i, st := range s.Coping.Steps {
		fs = append(fs, field{fmt.Sprintf("coping.steps[%d]", i), st})
	}
	fs = append(fs, field{"crisis.heading", s.Crisis.Heading})
	for i, l := range s.Crisis.Lines {
		fs = append(fs, field{fmt.Sprintf("crisis.lines[%d]", i), l})
	}
	fs = append(fs, field{"next.heading", s.Next.Heading}, field{"next.on", s.Next.On}, field{"next.none", s.Next.None})
	for i, m := range s.Dates.Months {
		fs = append(fs, field{fmt.Sprintf("dates.months[%d]", i), m})
	}
	for i, d := range s.Dates.Weekdays {
		fs = append(fs, field{fmt.Sprintf("dates.weekdays[%d]", i), d})
	}
	return append(fs, field{"dates.date", s.Dates.Date}, field{"dates.range", s.Dates.Range}, field{"dates.from", s.Dates.From},
		field{"page", s.Page})
}

// FileError is a problem in one take-home file (or in a version as a
// whole: File then names the version). It names the file and the field.
type FileError struct {
	File  string
	Field string
	Err   error
}

func (e *FileError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s: field %s: %v", e.File, e.Field, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// The problems a take-home file can have, matched with errors.Is.
var (
	ErrMissing     = errors.New("is missing")
	ErrEmpty       = errors.New("is empty")
	ErrTooLong     = errors.New("is too long")
	ErrCount       = errors.New("has the wrong number of entries")
	ErrPlaceholder = errors.New("lacks a placeholder it must hold")
	ErrNoNumber    = errors.New("does not name every crisis number")
	ErrDuplicate   = errors.New("is given twice")
	ErrNoLanguage  = errors.New("has no file in a language the kiosk offers")
	ErrBadText     = errors.New("holds a control character or is not UTF-8")
)

// placeholders are what a field's text must hold.
var placeholders = map[string][]string{
	"next.on":     {"{date}"},
	"dates.date":  {"{month}", "{day}"},
	"dates.range": {"{from}", "{to}"},
	"dates.from":  {"{date}"},
	"page":        {"{page}", "{pages}"},
}

// Parse reads and checks one take-home file's bytes; name is the file's
// name for errors.
func Parse(name string, data []byte) (*Sheet, error) {
	if !utf8.Valid(data) {
		return nil, &FileError{File: name, Err: ErrBadText}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Sheet
	if err := dec.Decode(&s); err != nil {
		return nil, &FileError{File: name, Err: fmt.Errorf("not a take-home sheet: %w", err)}
	}
	if err := check(&s); err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = name
		}
		return nil, err
	}
	s.File = name
	return &s, nil
}

// check checks a sheet's fields.
func check(s *Sheet) error {
	fe := func(field string, err error) error { return &FileError{Field: field, Err: err} }
	switch {
	case s.Version < 1:
		return fe("version", fmt.Errorf("%w: a whole number from 1", ErrMissing))
	case s.Language == "":
		return fe("language", ErrMissing)
	case !validLang(s.Language):
		return fe("language", fmt.Errorf("%q is not a language code", s.Language))
	case len(s.Coping.Steps) != CopingSteps:
		return fe("coping.steps", fmt.Errorf("%w: %d, want %d", ErrCount, len(s.Coping.Steps), CopingSteps))
	case len(s.Crisis.Lines) == 0 || len(s.Crisis.Lines) > MaxCrisisLines:
		return fe("crisis.lines", fmt.Errorf("%w: %d, want 1 to %d", ErrCount, len(s.Crisis.Lines), MaxCrisisLines))
	case len(s.Dates.Months) != 12:
		return fe("dates.months", fmt.Errorf("%w: %d, want 12", ErrCount, len(s.Dates.Months)))
	case len(s.Dates.Weekdays) != 7:
		return fe("dates.weekdays", fmt.Errorf("%w: %d, want 7 (Sunday first)", ErrCount, len(s.Dates.Weekdays)))
	}
	for _, f := range s.fields() {
		switch {
		case strings.TrimSpace(f.text) == "":
			return fe(f.name, ErrEmpty)
		case utf8.RuneCountInString(f.text) > MaxTextLen:
			return fe(f.name, fmt.Errorf("%w: at most %d characters", ErrTooLong, MaxTextLen))
		case strings.ContainsFunc(f.text, unicode.IsControl):
			return fe(f.name, ErrBadText)
		}
		for _, p := range placeholders[f.name] {
			if !strings.Contains(f.text, p) {
				return fe(f.name, fmt.Errorf("%w: %s", ErrPlaceholder, p))
			}
		}
	}
	crisis := strings.Join(s.Crisis.Lines, "\n")
	for _, n := range CrisisNumbers {
		if !strings.Contains(crisis, n) {
			return fe("crisis.lines", fmt.Errorf("%w: %s", ErrNoNumber, n))
		}
	}
	return nil
}

// validLang is a language code as the catalog names them ("en", "es",
// "pt-br").
func validLang(s string) bool {
	return s != "" && len(s) <= 12 && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '-')
	})
}

// ReadFile reads one take-home file from a folder as Load does, refusing
// one larger than MaxFileSize from its size.
func ReadFile(fsys fs.FS, file, name string) (*Sheet, error) {
	fi, err := fs.Stat(fsys, file)
	if err != nil {
		return nil, &FileError{File: name, Err: err}
	}
	if fi.Size() > MaxFileSize {
		return nil, &FileError{File: name, Err: fmt.Errorf("%w: %d bytes, at most %d", ErrTooLong, fi.Size(), MaxFileSize)}
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, &FileError{File: name, Err: err}
	}
	return Parse(name, data)
}

// Source is a folder of take-home files (takehome.*.json at its top
// level). Name prefixes file names in errors ("built-in", or the
// folder's path).
type Source struct {
	Name string
	FS   fs.FS
}

// Set is the take-home sheet the kiosk prints: its newest version whose
// every file is good and which has a file in every language the kiosk
// offers.
type Set struct {
	version int
	sheets  map[string]*Sheet
}

// Sheet is the sheet in lang, else in English; false when the set holds
// none.
func (s *Set) Sheet(lang string) (*Sheet, bool) {
	if s == nil || len(s.sheets) == 0 {
		return nil, false
	}
	if sh, ok := s.sheets[lang]; ok {
		return sh, true
	}
	sh, ok := s.sheets["en"]
	return sh, ok
}

// Version is the version the set holds (0: none).
func (s *Set) Version() int {
	if s == nil {
		return 0
	}
	return s.version
}

// Load reads every source's take-home files and keeps the newest good
// version; langs are the languages the kiosk offers, and a version must
// have a file in each. It returns every problem found; a bad file spoils
// its version, so the kiosk keeps the last good one.
func Load(langs []string, sources ...Source) (*Set, []error) {
	var errs []error
	versions := map[int]map[string]*Sheet{}
	bad := map[int]bool{}
	for _, src := range sources {
		entries, err := fs.ReadDir(src.FS, ".")
		if err != nil {
			errs = append(errs, fmt.Errorf("take-home folder %s: %w", src.Name, err))
			continue
		}
		for _, e := range entries {
			if e.IsDir() || path.Ext(e.Name()) != ".json" || !strings.HasPrefix(e.Name(), "takehome.") {
				continue
			}
			name := src.Name + "/" + e.Name()
			s, err := ReadFile(src.FS, e.Name(), name)
			if err != nil {
				errs = append(errs, err)
				// a file that names its version spoils that version, so
				// a half-edited version is never printed
				if v, ok := versionOf(src.FS, e.Name()); ok {
					bad[v] = true
				}
				continue
			}
			if versions[s.Version] == nil {
				versions[s.Version] = map[string]*Sheet{}
			}
			if prev, dup := versions[s.Version][s.Language]; dup {
				errs = append(errs, &FileError{File: name, Field: "version",
					Err: fmt.Errorf("%d in %s %w (also %s)", s.Version, s.Language, ErrDuplicate, prev.File)})
				bad[s.Version] = true
				continue
			}
			versions[s.Version][s.Language] = s
		}
	}
	set := &Set{}
	keys := slices.SortedFunc(func(yield func(int) bool) {
		for v := range versions {
			if !yield(v) {
				return
			}
		}
	}, cmp.Compare[int])
	for _, v := range keys {
		if bad[v] {
			continue // its bad file was said
		}
		byLang := versions[v]
		missing := ""
		for _, l := range langs {
			if _, ok := byLang[l]; !ok {
				missing = l
				break
			}
		}
		if missing != "" {
			errs = append(errs, &FileError{File: fmt.Sprintf("take-home version %d", v), Field: "language",
				Err: fmt.Errorf("%q: %w", missing, ErrNoLanguage)})
			continue
		}
		set.version, set.sheets = v, byLang // sorted: the newest good one stays
	}
	return set, errs
}

// versionOf reads what a file says its version is, whatever else is
// wrong with it.
func versionOf(fsys fs.FS, file string) (int, bool) {
	if fi, err := fs.Stat(fsys, file); err != nil || fi.Size() > MaxFileSize {
		return 0, false
	}
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return 0, false
	}
	var h struct {
		Version int `json:"version"`
	}
	return h.Version, json.Unmarshal(data, &h) == nil && h.Version > 0
}
