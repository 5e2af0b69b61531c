package intakekiosk_test

import (
	"go/build"
	"slices"
	"strings"
	"testing"
)

// The arrows of ARCHITECTURE.md (and DESIGN.md's decision): the domain
// and the leaf packages import nothing of ours but what is listed.
func TestLeafPackagesImportNothingOfOurs(t *testing.T) {
	for dir, allowed := range map[string][]string{
		"screening": nil,
		"vault":     nil,
		"i18n":      nil,
		"assets":    nil,
		"fault":     nil,
		"consent":   nil,
		"takehome":  nil,
		"privfile":  {"intakekiosk/fault"},
		"chime":     {"intakekiosk/fault"},
		"trend":     {"intakekiosk/fault"},
		"exchange":  {"intakekiosk"},
		"settings":  {"intakekiosk/fault", "intakekiosk/screening"},
		"summary":   {"intakekiosk", "intakekiosk/assets", "intakekiosk/i18n", "intakekiosk/screening", "intakekiosk/trend"},
		"report":    {"intakekiosk/consent", "intakekiosk/screening", "intakekiosk/summary", "intakekiosk/takehome", "intakekiosk/trend"},
		"ui/touch":  {"intakekiosk/screening"},
		// the shell knows neither audience's package; the patient's knows
		// nothing of staff mode
		"ui": {"intakekiosk/assets", "intakekiosk/consent", "intakekiosk/desk", "intakekiosk/i18n", "intakekiosk/intake", "intakekiosk/screening",
			"intakekiosk/settings", "intakekiosk/takehome", "intakekiosk/ui/touch"},
		"ui/patient": {"intakekiosk/consent", "intakekiosk/fault", "intakekiosk/intake", "intakekiosk/screening", "intakekiosk/sqlite", "intakekiosk/trend",
			"intakekiosk/ui", "intakekiosk/ui/touch"},
	} {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if (imp == "intakekiosk" || strings.HasPrefix(imp, "intakekiosk/")) && !slices.Contains(allowed, imp) {
				t.Errorf("%s imports %s", dir, imp)
			}
		}
	}
}
