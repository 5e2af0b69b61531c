package screening

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The limits on what an instrument file may hold, with ample headroom over
// the built-in instruments (the largest file 15 KB, the longest text 422
// characters, 16 items, 10 options, 9 flags, 2 languages). A file beyond
// them is refused, naming the file, the item and the field, before it is
// validated: a clinic's folder cannot make the kiosk parse, lay out or
// score something it was never meant to hold.
const (
	// MaxFileSize is the largest instrument file, in bytes: a larger one
	// is refused from its size, unread.
	MaxFileSize = 1 << 20
	// MaxLongText bounds, in characters, an item's text and hint, the
	// intro, instructions, attribution, licence, translations, each of the sources, a
	// band set's note and the scoring convention; and a text item's
	// max_length.
	MaxLongText = 2000
	// MaxShortText bounds, in characters, titles, labels, units, a flag's
	// short words and the displays of LOINC codes.
	MaxShortText = 200
	// MaxID bounds, in characters, every other string: ids, option values,
	// kinds, operators, language tags, versions and codes.
	MaxID = 40
	// MaxItems bounds the items of an instrument (and the item ids a
	// scoring or subscore lists).
	MaxItems = 200
	// MaxOptions bounds the options of an item or option set (and the
	// values a rule lists).
	MaxOptions = 50
	// MaxFlags bounds the flags of an instrument.
	MaxFlags = 100
	// MaxList bounds every other list: option sets, bands, band sets,
	// subscores, the parts of an all or any rule, the kinds of visit.
	MaxList = 100
	// MaxLanguages bounds the languages of one text.
	MaxLanguages = 20
	// MaxRuleDepth bounds how deeply rules nest (all, any, not).
	MaxRuleDepth = 8
)

// quoteLen is how many characters of a value an error quotes at most.
const quoteLen = 40

// quote quotes at most quoteLen characters of s, marking a cut with "…".
func quote(s string) string {
	if utf8.RuneCountInString(s) <= quoteLen {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == quoteLen {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}

// clip cuts s to at most n bytes on a character boundary, marking a cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// ReadFile reads the instrument file name of fsys, refusing from its size,
// unread, one larger than MaxFileSize or one that is not a regular file (a
// pipe would block). file names it in errors.
func ReadFile(fsys fs.FS, name, file string) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, &FileError{File: file, Err: err}
	}
	if !fi.Mode().IsRegular() {
		return nil, &FileError{File: file, Err: errors.New("not a regular file")}
	}
	if fi.Size() > MaxFileSize {
		return nil, &FileError{File: file, Err: tooBig(fi.Size())}
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &FileError{File: file, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &FileError{File: file, Err: err}
	}
	if len(data) > MaxFileSize { // it grew since the stat
		return nil, &FileError{File: file, Err: tooBig(int64(len(data)))}
	}
	return data, nil
}

func tooBig(n int64) error {
	return fmt.Errorf("%d bytes is larger than an instrument file may be (%d)", n, MaxFileSize)
}

// checkText refuses raw bytes that are not UTF-8 (encoding/json would
// read them as U+FFFD without a word).
func checkText(data []byte) error {
	if len(data) > MaxFileSize {
		return &FileError{Err: tooBig(int64(len(data)))}
	}
	if !utf8.Valid(data) {
		line := 1
		for len(data) > 0 {
			r, n := utf8.DecodeRune(data)
			if r == utf8.RuneError && n <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			data = data[n:]
		}
		return &FileError{Err: fmt.Errorf("line %d: not valid UTF-8", line)}
	}
	return nil
}

// longFields and shortFields are the JSON names of the texts allowed
// MaxLongText and MaxShortText characters; any other string is allowed
// MaxID.
var (
	longFields  = map[string]bool{"text": true, "hint": true, "intro": true, "attribution": true, "licence": true, "translations": true, "instructions": true, "note": true, "convention": true, "sources": true}
	shortFields = map[string]bool{"title": true, "short_title": true, "label": true, "unit": true, "short": true, "loinc_display": true, "panel_display": true, "total_display": true}
	listLimits  = map[string]int{"items": MaxItems, "options": MaxOptions, "flags": MaxFlags, "values": MaxOptions}
)

// checkLimits walks a decoded instrument and refuses the first string,
// list, text or rule beyond the limits, and any control character (none
// is allowed, not even a line break: the kiosk lays its texts out itself).
func (in *Instrument) checkLimits() error {
	w := limitWalker{in: in}
	w.walk(reflect.ValueOf(in).Elem(), "", "", 0)
	if w.err != nil {
		return w.err
	}
	return nil
}

type limitWalker struct {
	in  *Instrument
	err *FileError
}

func (w *limitWalker) bad(field, format string, args ...any) {
	if w.err != nil {
		return
	}
	fe := &FileError{Field: field, Err: fmt.Errorf(format, args...)}
	if m := itemPath.FindStringSubmatch(field); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n < len(w.in.Items) {
			fe.Item = w.in.Items[n].ID
		}
	}
	w.err = fe
}

// walk checks v, found at field (a JSON path) under the JSON name name.
// depth counts the rules it lies in.
func (w *limitWalker) walk(v reflect.Value, field, name string, depth int) {
	if w.err != nil {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			w.walk(v.Elem(), field, name, depth)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[Rule]() {
			if depth++; depth > MaxRuleDepth {
				w.bad(field, "rules nest more than %d deep", MaxRuleDepth)
				return
			}
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || tag == "-" || tag == "" {
				continue
			}
			w.walk(v.Field(i), join(field, tag), tag, depth)
		}
	case reflect.Slice:
		limit, ok := listLimits[name]
		if !ok {
			limit = MaxList
		}
		if v.Len() > limit {
			w.bad(field, "%d entries is more than the %d allowed", v.Len(), limit)
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), fmt.Sprintf("%s[%d]", field, i), name, depth)
		}
	case reflect.Map:
		limit := MaxList
		if v.Type() == reflect.TypeFor[Text]() {
			limit = MaxLanguages
		}
		if v.Len() > limit {
			w.bad(field, "%d entries is more than the %d allowed", v.Len(), limit)
			return
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			key := k.String()
			w.str(key, field, MaxID)
			sub := join(field, clip(key, MaxID))
			if v.Type() == reflect.TypeFor[Text]() {
				w.walk(v.MapIndex(k), sub, name, depth)
			} else {
				w.walk(v.MapIndex(k), sub, "", depth)
			}
		}
	case reflect.String:
		limit := MaxID
		switch {
		case longFields[name]:
			limit = MaxLongText
		case shortFields[name]:
			limit = MaxShortText
		}
		w.str(v.String(), field, limit)
	case reflect.Int:
		if name == "max_length" && v.Int() > MaxLongText {
			w.bad(field, "%d is more than the %d characters a text may hold", v.Int(), MaxLongText)
		}
	}
}

// str checks one string: its length in characters and that it holds no
// control character and no U+FFFD (an escaped lone surrogate, or a
// replacement for bytes that were not text).
func (w *limitWalker) str(s, field string, limit int) {
	if n := utf8.RuneCountInString(s); n > limit {
		w.bad(field, "%d characters is more than the %d allowed (%s)", n, limit, quote(s))
		return
	}
	for i, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			w.bad(field, "control character U+%04X at character %d", r, utf8.RuneCountInString(s[:i])+1)
			return
		}
		if r == utf8.RuneError {
			w.bad(field, "invalid character U+FFFD at character %d", utf8.RuneCountInString(s[:i])+1)
			return
		}
	}
}

func join(field, name string) string {
	if field == "" {
		return name
	}
	return field + "." + name
}
