package staff

import (
	"fmt"
	"reflect"

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
		key := "staff." + section + "." + i18n.FieldKey(v.Type().Field(i).Name)
		if !staffCatalog.Has(i18n.Default, key) {
			panic(fmt.Sprintf("ui: no catalog text for %s", key))
		}
		v.Field(i).SetString(staffCatalog.T(i18n.Default, key))
	}
	return w
}
