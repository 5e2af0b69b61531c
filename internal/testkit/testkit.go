// Package testkit holds test helpers shared by the packages' tests: the
// built-in instruments and message catalog, loaded once per call and
// failing the test on any error. Only _test.go files import it; product
// code never does (cmd/kiosk's TestProductHasNoBenchTooling checks the
// kiosk binary holds none of it).
package testkit

import (
	"testing"

	"intakekiosk/assets"
	"intakekiosk/i18n"
	"intakekiosk/screening"
)

// Catalog loads the built-in instrument files and fails the test on any
// load error, naming each.
func Catalog(tb testing.TB) *screening.Catalog {
	tb.Helper()
	c, errs := screening.Load(screening.Source{Name: "built-in", FS: assets.Instruments()})
	for _, err := range errs {
		tb.Errorf("built-in instruments: %v", err)
	}
	if len(errs) > 0 {
		tb.FailNow()
	}
	return c
}

// Messages loads the built-in message catalog (assets/i18n) and fails the
// test if it does not load.
func Messages(tb testing.TB) *i18n.Catalog {
	tb.Helper()
	c, err := i18n.Load(assets.Messages())
	if err != nil {
		tb.Fatalf("built-in messages: %v", err)
	}
	return c
}
