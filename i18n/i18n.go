// Package i18n is the kiosk's message catalog: every word a patient sees,
// by key, in each language, read from JSON files (one per language, a
// flat object of key to text; assets/i18n). A session picks its language;
// a key missing in it falls back to English. Fyne's own lang package
// picks one language for the whole process from the system locale, so a
// per-session choice needs this small catalog.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
)

// Default is the language every key exists in.
const Default = "en"

// Catalog holds the messages of each language.
type Catalog struct {
	msgs map[string]map[string]string
}

// Load reads every *.json file at the top of fsys as the messages of the
// language its name says ("es.json").
func Load(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("messages: %w", err)
	}
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("messages %s: %w", n, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("messages %s: %w", n, err)
		}
		c.msgs[strings.TrimSuffix(path.Base(n), ".json")] = m
	}
	if _, ok := c.msgs[Default]; !ok {
		return nil, fmt.Errorf("messages: no %s.json", Default)
	}
	return c, nil
}

// Languages lists the languages of the catalog, English first.
func (c *Catalog) Languages() []string {
	var out []string
	for l := range c.msgs {
		if l != Default {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return append([]string{Default}, out...)
}

// Has says whether the language has a text for key (no fallback).
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.msgs[lang][key]
	return ok
}

// T is the text of key in lang (English when lang lacks it), formatted
// with args when there are any. A key missing in English too gives "":
// a test keeps every key the kiosk uses in every language.
func (c *Catalog) T(lang, key string, args ...any) string {
	s, ok := c.msgs[lang][key]
	if !ok {
		s = c.msgs[Default][key]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Missing lists the keys of English that lang lacks, sorted.
func (c *Catalog) Missing(lang string) []string {
	var out []string
	for k := range c.msgs[Default] {
		if _, ok := c.msgs[lang][k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Untranslated lists the keys whose text in lang is the English text, but
// for the ones allowed to be the same (numbers, names), sorted.
func (c *Catalog) Untranslated(lang string, allowed ...string) []string {
	var out []string
	for k, en := range c.msgs[Default] {
		if s, ok := c.msgs[lang][k]; ok && s == en && !slices.Contains(allowed, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// FieldKey is a Go field name as the last part of a catalog key, for
// words kept in a typed struct and read from the keys of its fields:
// "NotOpened" is "not_opened", "NotesN" "notes_n", "HourAM" "hour_am".
func FieldKey(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
