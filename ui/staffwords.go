package ui

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"intakekiosk/assets"
	"intakekiosk/i18n"
)

// staffCatalog is the message catalog staff screens read their words
// from: the built-in one, in English (staff keys are English only).
var staffCatalog = func() *i18n.Catalog {
	c, err := i18n.Load(assets.Messages())
	if err != nil {
		panic(err) // the built-in catalog is checked by the tests
	}
	return c
}()

// staffWords fills a staff screen's words, a struct of string fields,
// from the catalog: field NotOpened of section "session" is the key
// "staff.session.not_opened". A field without its key panics when the
// package loads, so no test run misses one.
func staffWords[T any](section string) T {
	var w T
	v := reflect.ValueOf(&w).Elem()
	for i := range v.NumField() {
		key := "staff." + section + "." + snakeCase(v.Type().Field(i).Name)
		if !staffCatalog.Has(i18n.Default, key) {
			panic(fmt.Sprintf("ui: no catalog text for %s", key))
		}
		v.Field(i).SetString(staffCatalog.T(i18n.Default, key))
	}
	return w
}

// snakeCase is a Go field name as a catalog key: "NotOpened" is
// "not_opened", "NotesN" "notes_n".
func snakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
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
