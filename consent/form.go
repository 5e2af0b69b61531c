// Package consent is the 42 CFR Part 2 consent as data and as a record:
// the clinic's consent forms (a versioned file per form and language,
// loaded and checked like instruments), what a patient signed (the
// choices, the recipients, the strokes of the signature, the version and
// the hash of the exact text shown), a revocation, a disclosure, and the
// rule that decides whether a disclosure to a recipient is allowed.
// Pure Go: it knows nothing of storage or screens.
package consent

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a consent file may hold.
const (
	// MaxFileSize is the largest consent file read.
	MaxFileSize = 64 << 10
	// MaxParagraphs is the most paragraphs of text a form shows.
	MaxParagraphs = 30
	// MaxTextLen is the longest paragraph or choice, in characters.
	MaxTextLen = 1200
	// MaxRecipients is the most recipients a form names.
	MaxRecipients = 12
	// MaxNamed is the most recipients a patient may name.
	MaxNamed = 4
	// MaxNameLen is the longest recipient's name, in characters.
	MaxNameLen = 80
)

// Recipient is one the clinic names on its form: its electronic health
// record, a billing service, a referral partner. ID stays the same
// across the form's languages; Name and Purpose are in the form's.
type Recipient struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Purpose string `json:"purpose"`
}

// Form is one version of a consent form in one language, as the patient
// reads it. The whole of what is shown is Text, and Hash its digest: a
// signed record keeps both the version and the hash.
type Form struct {
	// ID names the form ("part2"); Version counts its versions up from 1.
	ID       string `json:"form"`
	Version  int    `json:"version"`
	Language string `json:"language"`
	Title    string `json:"title"`
	// Paragraphs say what is shared, with whom, why, for how long, how
	// to revoke, that care does not depend on it, and that counseling
	// notes are never shared.
	Paragraphs []string `json:"text"`
	// Recipients are the clinic's, named by the single consent for
	// treatment, payment and health care operations (TPO).
	Recipients []Recipient `json:"recipients"`
	// TPO is the words of the single consent; Named of the optional
	// recipients the patient types; Decline of "I do not consent".
	TPO     string `json:"tpo"`
	Named   string `json:"named"`
	Decline string `json:"decline"`
	// Source says who wrote the text and on what it rests (not shown).
	Source string `json:"source,omitempty"`
	// File is where it came from ("built-in/part2.en.json").
	File string `json:"-"`
}

// Text is every word the patient is shown, in order, one line each: the
// title, the paragraphs, each recipient and the three choices.
func (f *Form) Text() string {
	var b strings.Builder
	b.WriteString(f.Title)
	for _, p := range f.Paragraphs {
		b.WriteString("\n" + p)
	}
	for _, r := range f.Recipients {
		b.WriteString("\n" + r.Name + ": " + r.Purpose)
	}
	for _, c := range []string{f.TPO, f.Named, f.Decline} {
		b.WriteString("\n" + c)
	}
	return b.String()
}

// Hash is the SHA-256 of Text, in hex: what proves which words were
// signed.
func (f *Form) Hash() string {
	h := sha256.Sum256([]byte(f.Text()))
	return hex.EncodeToString(h[:])
}

// Recipient finds one of the form's recipients by id.
func (f *Form) Recipient(id string) (Recipient, bool) {
	i := slices.IndexFunc(f.Recipients, func(r Recipient) bool { return r.ID == id })
	if i < 0 {
		return Recipient{}, false
	}
	return f.Recipients[i], true
}

// FileError is a problem in one consent file (or in a form as a whole:
// File is then the form and version). It names the file, the form and
// the field.
type FileError struct {
	File  string
	Form  string
	Field string
	Err   error
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Form != "" {
		fmt.Fprintf(&b, ": form %q", e.Form)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %s", e.Field)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// The problems a consent file can have, matched with errors.Is.
var (
	ErrMissing       = errors.New("is missing")
	ErrEmpty         = errors.New("is empty")
	ErrNotList       = errors.New("must be a list")
	ErrTooLong       = errors.New("is too long")
	ErrDuplicate     = errors.New("is given twice")
	ErrNoLanguage    = errors.New("has no file in a language the kiosk offers")
	ErrRecipientsDif = errors.New("names other recipients than the form's other languages")
	ErrBadText       = errors.New("holds a control character or is not UTF-8")
)

// Source is a folder of consent files (*.json at its top level). Name
// prefixes file names in errors ("built-in", or the folder's path).
type Source struct {
	Name string
	FS   fs.FS
}

// Set is the consent forms the kiosk offers: for each form, its newest
// version whose every file is good and which has a file in every
// language the kiosk offers.
type Set struct {
	forms map[string]map[string]*Form // form id -> language -> form
	ids   []string
}

// IDs lists the forms, sorted.
func (s *Set) IDs() []string { return s.ids }

// Form is a form in a language: the form's file in lang, else in
// English. ok is false for a form the set does not hold.
func (s *Set) Form(id, lang string) (*Form, bool) {
	byLang, ok := s.forms[id]
	if !ok {
		return nil, false
	}
	if f, ok := byLang[lang]; ok {
		return f, true
	}
	f, ok := byLang["en"]
	return f, ok
}

// Main is the form the kiosk shows after the privacy notice: "part2",
// else the first form of the set.
func (s *Set) Main(lang string) (*Form, bool) {
	if _, ok := s.forms[MainForm]; ok {
		return s.Form(MainForm, lang)
	}
	if len(s.ids) == 0 {
		return nil, false
	}
	return s.Form(s.ids[0], lang)
}

// Find is the form of the id, version and language a record names, if
// the set holds that version.
func (s *Set) Find(id string, version int, lang string) (*Form, bool) {
	f, ok := s.Form(id, lang)
	if !ok || f.Version != version {
		return nil, false
	}
	return f, true
}

// MainForm is the id of the clinic's consent form.
const MainForm = "part2"

// Load reads every source's consent files and keeps, for each form, its
// newest good version; a later source's version of a form replaces an
// earlier one's only when it is good and newer. langs are the languages
// the kiosk offers: each version must have a file in each. It returns
// every problem found; a bad file or version is left out, so the kiosk
// keeps the last good version.
func Load(langs []string, sources ...Source) (*Set, []error) {
	type key struct {
		form    string
		version int
	}
	var errs []error
	versions := map[key]map[string]*Form{}
	bad := map[key]bool{}
	for _, src := range sources {
		entries, err := fs.ReadDir(src.FS, ".")
		if err != nil {
			errs = append(errs, fmt.Errorf("consent folder %s: %w", src.Name, err))
			continue
		}
		for _, e := range entries {
			if e.IsDir() || path.Ext(e.Name()) != ".json" {
				continue
			}
			name := src.Name + "/" + e.Name()
			data, err := readFile(src.FS, e.Name(), name)
			var f *Form
			if err == nil {
				f, err = Parse(name, data)
			}
			if err != nil {
				errs = append(errs, err)
				// a file that names its form and version spoils that
				// version, so a half-edited version is never shown
				if h, ok := header(data); ok {
					bad[key{h.ID, h.Version}] = true
				}
				continue
			}
			k := key{f.ID, f.Version}
			if versions[k] == nil {
				versions[k] = map[string]*Form{}
			}
			if prev, dup := versions[k][f.Language]; dup {
				errs = append(errs, &FileError{File: name, Form: f.ID, Field: "version",
					Err: fmt.Errorf("%d in %s %w (also %s)", f.Version, f.Language, ErrDuplicate, prev.File)})
				bad[k] = true
				continue
			}
			versions[k][f.Language] = f
		}
	}
	set := &Set{forms: map[string]map[string]*Form{}}
	keys := slices.Collect(func(yield func(key) bool) {
		for k := range versions {
			if !yield(k) {
				return
			}
		}
	})
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.form, b.form), cmp.Compare(a.version, b.version)) })
	for _, k := range keys {
		byLang := versions[k]
		if err := whole(k.form, k.version, byLang, langs); err != nil {
			errs = append(errs, err)
			continue
		}
		if bad[k] {
			continue
		}
		set.forms[k.form] = byLang // sorted by version: the newest good one stays
	}
	for id := range set.forms {
		set.ids = append(set.ids, id)
	}
	slices.Sort(set.ids)
	return set, errs
}

// whole checks a version as a whole: a file in each language, the same
// recipients in each.
func whole(form string, version int, byLang map[string]*Form, langs []string) error {
	where := fmt.Sprintf("%s version %d", form, version)
	for _, l := range langs {
		if _, ok := byLang[l]; !ok {
			return &FileError{File: where, Form: form, Field: "language", Err: fmt.Errorf("%q: %w", l, ErrNoLanguage)}
		}
	}
	var first *Form
	for _, l := range slices.Sorted(func(yield func(string) bool) {
		for l := range byLang {
			if !yield(l) {
				return
			}
		}
	}) {
		f := byLang[l]
		if first == nil {
			first = f
			continue
		}
		if !slices.Equal(ids(first.Recipients), ids(f.Recipients)) {
			return &FileError{File: f.File, Form: form, Field: "recipients", Err: ErrRecipientsDif}
		}
	}
	return nil
}

func ids(rs []Recipient) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// readFile reads a file no larger than MaxFileSize, refusing a larger
// one from its size.
func readFile(fsys fs.FS, file, name string) ([]byte, error) {
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
	return data, nil
}

// ReadFile reads one consent file from a folder as Load does.
func ReadFile(fsys fs.FS, file, name string) (*Form, error) {
	data, err := readFile(fsys, file, name)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// header reads what a file says its form and version are, whatever else
// is wrong with it.
func header(data []byte) (struct {
	ID      string `json:"form"`
	Version int    `json:"version"`
}, bool) {
	var h struct {
		ID      string `json:"form"`
		Version int    `json:"version"`
	}
	err := json.Unmarshal(data, &h)
	return h, err == nil && h.ID != "" && h.Version > 0
}

// Parse reads and checks one consent file's bytes; name is the file's
// name for errors.
func Parse(name string, data []byte) (*Form, error) {
	if !utf8.Valid(data) {
		return nil, &FileError{File: name, Err: ErrBadText}
	}
	// each field's form first, so that "recipients must be a list" is
	// said as such and not as a decoding error
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &FileError{File: name, Err: fmt.Errorf("not a JSON object: %w", err)}
	}
	form, _ := header(data)
	fe := func(field string, err error) error {
		return &FileError{File: name, Form: form.ID, Field: field, Err: err}
	}
	for _, list := range []string{"text", "recipients"} {
		if v, ok := raw[list]; ok && !bytes.HasPrefix(bytes.TrimSpace(v), []byte("[")) {
			return nil, fe(list, ErrNotList)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f Form
	if err := dec.Decode(&f); err != nil {
		return nil, &FileError{File: name, Form: form.ID, Err: err}
	}
	f.File = name
	if err := check(&f); err != nil {
		var e *FileError
		if errors.As(err, &e) {
			e.File, e.Form = name, f.ID
		}
		return nil, err
	}
	return &f, nil
}

// check checks a form's fields.
func check(f *Form) error {
	fe := func(field string, err error) error { return &FileError{Field: field, Err: err} }
	switch {
	case f.ID == "":
		return fe("form", ErrMissing)
	case !validID(f.ID):
		return fe("form", fmt.Errorf("%q: only lower-case letters, digits, - and _", f.ID))
	case f.Version < 1:
		return fe("version", fmt.Errorf("%w: a whole number from 1", ErrMissing))
	case f.Language == "":
		return fe("language", ErrMissing)
	case !validID(f.Language):
		return fe("language", fmt.Errorf("%q is not a language code", f.Language))
	case len(f.Paragraphs) == 0:
		return fe("text", ErrEmpty)
	case len(f.Paragraphs) > MaxParagraphs:
		return fe("text", fmt.Errorf("%w: %d paragraphs, at most %d", ErrTooLong, len(f.Paragraphs), MaxParagraphs))
	case len(f.Recipients) > MaxRecipients:
		return fe("recipients", fmt.Errorf("%w: %d, at most %d", ErrTooLong, len(f.Recipients), MaxRecipients))
	}
	texts := map[string]string{"title": f.Title, "tpo": f.TPO, "named": f.Named, "decline": f.Decline}
	for i, p := range f.Paragraphs {
		texts[fmt.Sprintf("text[%d]", i)] = p
	}
	seen := map[string]bool{}
	for i, r := range f.Recipients {
		field := fmt.Sprintf("recipients[%d]", i)
		switch {
		case r.ID == "":
			return fe(field+".id", ErrMissing)
		case !validID(r.ID):
			return fe(field+".id", fmt.Errorf("%q: only lower-case letters, digits, - and _", r.ID))
		case seen[r.ID]:
			return fe(field+".id", fmt.Errorf("%q %w", r.ID, ErrDuplicate))
		}
		seen[r.ID] = true
		texts[field+".name"], texts[field+".purpose"] = r.Name, r.Purpose
	}
	for _, field := range slices.Sorted(func(yield func(string) bool) {
		for k := range texts {
			if !yield(k) {
				return
			}
		}
	}) {
		t := texts[field]
		switch {
		case strings.TrimSpace(t) == "":
			return fe(field, ErrEmpty)
		case utf8.RuneCountInString(t) > MaxTextLen:
			return fe(field, fmt.Errorf("%w: at most %d characters", ErrTooLong, MaxTextLen))
		case strings.ContainsFunc(t, unicode.IsControl):
			return fe(field, ErrBadText)
		}
	}
	return nil
}

func validID(s string) bool {
	return s != "" && len(s) <= 40 && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	})
}
