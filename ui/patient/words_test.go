package patient

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"intakekiosk/assets"
	"intakekiosk/i18n"
	"intakekiosk/ui/touch"
)

// The catalog, and the keyboard's words in English, for the tests that
// look for them.
var (
	english      = mustCatalog()
	keyboardText = touch.KeyboardWords{Shift: english.T(i18n.Default, "keyboard.shift"), Space: english.T(i18n.Default, "keyboard.space"),
		Symbols: english.T(i18n.Default, "keyboard.symbols"), Letters: english.T(i18n.Default, "keyboard.letters")}
)

func mustCatalog() *i18n.Catalog {
	c, err := i18n.Load(assets.Messages())
	if err != nil {
		panic(err)
	}
	return c
}

// Every key the kiosk asks the catalog for exists in every language, and
// every text is translated (but for the few that are the same in both,
// and the staff screens' words, "staff.*", which are English only): a
// missing key would fall back to English, never show as a raw key.
func TestCatalogComplete(t *testing.T) {
	keys := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	shell, _ := filepath.Glob("../*.go") // the shell's words: the top bar, the idle prompt
	files = append(files, shell...)
	use := regexp.MustCompile(`(?:tr|T|t)\("([a-z_]+\.[a-z0-9_.]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range use.FindAllStringSubmatch(string(data), -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 50 {
		t.Fatalf("found %d keys used: the pattern is wrong", len(keys))
	}
	for _, lang := range english.Languages() {
		for k := range keys {
			if !english.Has(lang, k) {
				t.Errorf("%s: key %q used by the kiosk is missing", lang, k)
			}
		}
		var missing []string
		for _, k := range english.Missing(lang) {
			if !strings.HasPrefix(k, "staff.") { // staff words are English only
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks %v", lang, missing)
		}
	}
	same := english.Untranslated("es", "lang.en", "lang.es", "keyboard.symbols", "keyboard.letters", "date.mm", "date.dd",
		"when.ago_at") // punctuation only: the same in both
	if len(same) > 0 {
		t.Errorf("es: not translated: %v", same)
	}
	if langs := english.Languages(); len(langs) < 2 || langs[0] != "en" {
		t.Errorf("languages %v", langs)
	}
}
