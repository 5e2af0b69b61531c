package patient

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// recordedMessages is the built-in catalog noting every key the kiosk
// asks it for.
type recordedMessages struct {
	ui.Messages
	mu   sync.Mutex
	keys map[string]bool
}

func (r *recordedMessages) T(lang, key string, args ...any) string {
	r.mu.Lock()
	r.keys[key] = true
	r.mu.Unlock()
	return r.Messages.T(lang, key, args...)
}

// builtKeys are the prefixes of the keys the product builds at run time
// rather than spells out, with where each is built.
var builtKeys = []string{
	"month.",               // ui/words.go, wordsFor: "month." + 1 to 12
	"lang.",                // ui/screens.go, the welcome screen's language buttons: "lang." + each language
	"staff.summary.phase.", // summary/words.go, Course and CourseWords: each phase's label and words
	// ui/staff's screens read these from the fields of their words
	// (staffWords); TestStaffKeysAreFields there fails on one no field reads
	"staff.checkin.", "staff.consent.", "staff.cows.", "staff.day.", "staff.induction.", "staff.note.", "staff.plan.", "staff.queue.", "staff.save.", "staff.search.",
	"staff.session.", "staff.settings.", "staff.setup.", "staff.staff.", "staff.takehome.", "staff.unlock.",
}

// literalKey is a string literal that may be a catalog key.
var literalKey = regexp.MustCompile(`"([a-z_]+\.[a-z0-9_.]+)"`)

// keysInSources returns the string literals of the product's Go files
// (no tests, no benchmark tooling, no test helpers) that are keys of
// the catalog.
func keysInSources(t *testing.T, catalog map[string]string) map[string]bool {
	t.Helper()
	found := map[string]bool{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "../.." && (strings.HasPrefix(name, ".") || name == "internal" ||
				name == "testdata" || name == "bin" || name == "dist") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(src), "//go:build kioskbench") {
			return nil
		}
		for _, m := range literalKey.FindAllStringSubmatch(string(src), -1) {
			if _, ok := catalog[m[1]]; ok {
				found[m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// Every key of the catalog is used: the kiosk asked for it during a
// whole screening and check-in in Spanish and in English, or the
// product's sources spell it out, or it has a prefix the product builds
// keys from.
func TestCatalogKeysUsed(t *testing.T) {
	catalog := testkit.EnglishTexts(t)
	rec := &recordedMessages{Messages: testkit.Messages(t), keys: map[string]bool{}}
	record := func(c *ui.Config) { c.Messages = rec }

	es := newHarness(t, sqlite.Options{}, record)
	es.playSpanish(t, func(string) {})

	en := newHarness(t, sqlite.Options{}, record)
	_, code := en.returning()
	en.begin("Ana", "Núñez")
	for n := 0; en.asking() || en.k.Screen() == ui.ScreenCrisis; n++ {
		if n > 200 {
			t.Fatal("the questions do not end")
		}
		if en.k.Screen() == ui.ScreenCrisis {
			en.tap(en.k.T("nav.continue"))
			continue
		}
		en.answer("")
	}
	en.wantScreen(ui.ScreenReview)
	en.tap(en.k.T("review.submit"))
	en.wait()
	en.wantScreen(ui.ScreenFinish)
	en.tap(en.k.T("finish.done"))
	en.tap(en.k.T("welcome.checkin"))
	en.typeCode(code)
	for n := 0; en.asking(); n++ {
		if n > 60 {
			t.Fatal("the check-in questions do not end")
		}
		en.answer("")
	}
	en.wantScreen(ui.ScreenReview)
	en.tap(en.k.T("review.submit"))
	en.wait()
	en.wantScreen(ui.ScreenFinish)

	spelled := keysInSources(t, catalog)
	var unused []string
	for key := range catalog {
		if !rec.keys[key] && !spelled[key] && !slices.ContainsFunc(builtKeys, func(p string) bool { return strings.HasPrefix(key, p) }) {
			unused = append(unused, key)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("keys of assets/i18n/en.json nothing uses: %q", unused)
	}
	t.Logf("%d keys: %d asked for, %d spelled out in the sources", len(catalog), len(rec.keys), len(spelled))
}
