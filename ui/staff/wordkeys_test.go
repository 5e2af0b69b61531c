package staff

import (
	"reflect"
	"strings"
	"testing"

	"intakekiosk/i18n"
	"intakekiosk/internal/testkit"
)

// staffKeys are the keys the staff screens' words are read from: one per
// field of each screen's struct (staffWords), so a key whose field is
// gone is unused.
func staffKeys() map[string]bool {
	keys := map[string]bool{}
	for section, words := range map[string]any{
		"checkin": checkinText, "day": dayText, "note": noteText, "plan": planText, "queue": queueText,
		"save": saveText, "search": searchText, "session": sessionText, "settings": settingsText,
		"setup": setupText, "staff": staffText, "unlock": unlockText,
	} {
		t := reflect.TypeOf(words)
		for i := range t.NumField() {
			keys["staff."+section+"."+i18n.FieldKey(t.Field(i).Name)] = true
		}
	}
	return keys
}

// Every catalog key of a staff screen's section is read by a field of its
// words: a key whose field is gone is unused (ui's TestCatalogKeysUsed
// leaves these sections to this test).
func TestStaffKeysAreFields(t *testing.T) {
	catalog := testkit.EnglishTexts(t)
	keys := staffKeys()
	sections := map[string]bool{}
	for k := range keys {
		sections[strings.Join(strings.SplitN(k, ".", 3)[:2], ".")+"."] = true
	}
	if len(sections) != 12 {
		t.Fatalf("%d sections of staff words; want 12", len(sections))
	}
	for k := range catalog {
		i := strings.Index(k[len("staff."):]+".", ".")
		if !strings.HasPrefix(k, "staff.") || i < 0 {
			continue
		}
		if sections[k[:len("staff.")+i+1]] && !keys[k] {
			t.Errorf("catalog key %s: no field of staff mode's words reads it", k)
		}
	}
}
